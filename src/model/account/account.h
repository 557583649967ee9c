/* account.h — people who log in: accounts and their role, sessions, login throttling, e-mailed
 * one-time links and API tokens. Tokens are never stored: only their SHA-256 digest is. */
#ifndef MODEL_ACCOUNT_H
#define MODEL_ACCOUNT_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/secret.h"
#include "store/db.h"

struct account {
    long long id, contract_id, organisation_id; /* 0 when not tied to one */
    char *email, *name, *role, *created_at;
    bool disabled, has_password;
};

/* Role keys: "admin", "coordinator", "carrier", "referent", "signatory"; NULL-terminated. */
extern const char *const account_roles[];
/* French name of a role ("Coordinatrice ou coordinateur"…); the key if unknown. */
const char *account_role_label(const char *role);
bool account_role_valid(const char *role);

/* True when an account of that role may be tied to no contract: only an administrator reads
 * every contract; any other role must name its contract (contract_id 0 is refused). */
bool account_contract_ok(const char *role, long long contract_id);
/* Inserts an account (email lower-cased by the caller); password_hash may be "" (no password
 * yet: an invitation sets it). ERR_CONFLICT when the e-mail is taken; ERR_INVALID for a role
 * other than admin without a contract (account_contract_ok). */
int account_create(struct store *db, const struct account *a, const char *password_hash,
                   long long *id) MUST_CHECK;
int account_get(struct store *db, struct arena *ar, long long id, struct account *out) MUST_CHECK;
int account_find_email(struct store *db, struct arena *ar, const char *email,
                       struct account *out) MUST_CHECK;
/* Every account, by name; arrays in the arena. */
int account_list(struct store *db, struct arena *ar, struct account **out, int *n) MUST_CHECK;
/* The stored argon2id hash ("" when none). */
int account_password_hash(struct store *db, struct arena *ar, long long id,
                          char **hash) MUST_CHECK;
int account_set_password(struct store *db, long long id, const char *password_hash) MUST_CHECK;
/* Why a password is refused, in French, or NULL when it is acceptable. The rule follows the
 * CNIL's recommendation for passwords alone: length rather than composition (at least 14
 * characters, passphrases welcome), not the e-mail address, not one repeated character. */
const char *account_password_problem(const char *password, const char *email);

/* A logged-in session and its account. */
struct session {
    long long id;
    char *csrf;
    struct account account;
    long long created_at, seen_at; /* Unix times, seen_at after session_find's own touch */
};

/* Opens a session for an account: token_out gets the cookie value, csrf_out its form token. */
int session_create(struct store *db, long long account_id, long long now,
                   char token_out[SECRET_TOKEN_LEN + 1],
                   char csrf_out[SECRET_TOKEN_LEN + 1]) MUST_CHECK;
/* The live session of a cookie value: ERR_NOTFOUND when unknown, idle longer than idle_s or
 * older than max_age_s (an expired one is deleted), or its account is disabled. */
int session_find(struct store *db, struct arena *ar, const char *token, long long now,
                 long long idle_s, long long max_age_s, struct session *out) MUST_CHECK;
/* Ends one session / every session of an account ("log out everywhere"). */
int session_delete(struct store *db, const char *token) MUST_CHECK;
int session_delete_account(struct store *db, long long account_id) MUST_CHECK;

/* Login throttling per key ("email:…", "addr:…"): *wait_s > 0 while the key must wait. */
int throttle_check(struct store *db, const char *key, long long now, long long *wait_s) MUST_CHECK;
/* Counts a failure; the wait grows with the failures (none for the first 3, then doubling from
 * 1 s up to 15 min). *failures gets the new count. */
int throttle_fail(struct store *db, const char *key, long long now, int *failures) MUST_CHECK;
/* The same with free_failures failures before the first wait (throttle_fail: 3), and the count
 * forgotten when the key has been allowed again for forget_s seconds without a new failure (0:
 * kept until throttle_clear). */
int throttle_fail_after(struct store *db, const char *key, long long now, int free_failures,
                        long long forget_s, int *failures) MUST_CHECK;
int throttle_clear(struct store *db, const char *key) MUST_CHECK;

/* A single-use link token for "reset" or "invite", valid ttl_s seconds. */
int mail_token_create(struct store *db, long long account_id, const char *purpose, long long now,
                      long long ttl_s, char token_out[SECRET_TOKEN_LEN + 1]) MUST_CHECK;
/* The account a live token of that purpose belongs to, without using it up. */
int mail_token_peek(struct store *db, const char *token, const char *purpose, long long now,
                    long long *account_id) MUST_CHECK;
/* Uses the token up (atomically: a second use fails with ERR_NOTFOUND). */
int mail_token_use(struct store *db, const char *token, const char *purpose, long long now,
                   long long *account_id) MUST_CHECK;

/* Uses up every live link of the account (reset and invitation): after a reset or "log out
 * everywhere", an older link opens nothing. */
int mail_token_revoke_account(struct store *db, long long account_id, long long now) MUST_CHECK;

/* Password reset requests in the last hour under key ("reset-addr:…", "reset-email:…"). */
int reset_request_count(struct store *db, const char *key, long long now, int *n) MUST_CHECK;
/* Records a request under key (and forgets those older than a day). */
int reset_request_add(struct store *db, const char *key, long long now) MUST_CHECK;

struct api_token {
    long long id;
    char *name, *created_at, *revoked_at; /* revoked_at "" while valid */
};

/* Creates a bearer token for the API; token_out is shown once to its owner. */
int api_token_create(struct store *db, long long account_id, const char *name,
                     char token_out[SECRET_TOKEN_LEN + 1], long long *id) MUST_CHECK;
/* The account of a valid (not revoked) bearer token; ERR_NOTFOUND otherwise. */
int api_token_account(struct store *db, struct arena *ar, const char *token,
                      struct account *out) MUST_CHECK;
/* Revokes one of the account's tokens; ERR_NOTFOUND if it is not theirs. */
int api_token_revoke(struct store *db, long long account_id, long long id) MUST_CHECK;
/* Revokes every live token of the account; *n (may be NULL) gets how many. */
int api_token_revoke_all(struct store *db, long long account_id, int *n) MUST_CHECK;
int api_token_list(struct store *db, struct arena *ar, long long account_id,
                   struct api_token **out, int *n) MUST_CHECK;

#endif

/* Everything held about an account, as JSON: the account, its API tokens (names and dates),
 * its sessions (dates), the audit entries it made, the statuses it recorded, and the contact
 * records tied to it with their memberships and attendance (gdpr_person_json). */
struct buf;
int account_export_json(struct store *db, long long id, struct buf *out) MUST_CHECK;
/* GDPR erasure: removes the account's personal fields (name, e-mail, password), its sessions,
 * tokens and links, and replaces its name in the history by the pseudonym "Personne n°ID";
 * the contact records tied to it take the same pseudonym, their e-mail and phone emptied
 * (gdpr_person_scrub). The history and the attendance are kept. One transaction. */
int account_erase(struct store *db, long long id) MUST_CHECK;
/* Enables or disables an account; a disabled account's sessions are closed. */
int account_set_disabled(struct store *db, long long id, bool disabled) MUST_CHECK;
