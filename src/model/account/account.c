/* account.c — SQL for accounts, sessions, throttling, mail and API tokens.
 * Must not decide who may do what: permissions are the route table's (src/web/routes.c). */
#include "model/account/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/account/gdpr.h"
#include "store/rows.h"

const char *const account_roles[] = {"admin", "coordinator", "carrier", "referent", "signatory",
                                     NULL};
static const char *const role_labels[] = {"Administration", "Coordination du contrat",
                                          "Porteur d'action", "Élu référent", "Signataire"};

const char *account_role_label(const char *role)
{
    for (int i = 0; account_roles[i]; i++)
        if (str_eq(account_roles[i], role))
            return role_labels[i];
    return role;
}

bool account_role_valid(const char *role)
{
    for (int i = 0; account_roles[i]; i++)
        if (str_eq(account_roles[i], role))
            return true;
    return false;
}

#define ACCOUNT_COLUMNS                                                                         \
    "SELECT id, coalesce(contract_id, 0), coalesce(organisation_id, 0), email, name, role, "     \
    "created_at, disabled, password_hash <> '' FROM account "

static void read_account(struct stmt *st, struct arena *ar, struct account *a)
{
    a->id = stmt_int(st, 0);
    a->contract_id = stmt_int(st, 1);
    a->organisation_id = stmt_int(st, 2);
    a->email = stmt_text(st, 3, ar);
    a->name = stmt_text(st, 4, ar);
    a->role = stmt_text(st, 5, ar);
    a->created_at = stmt_text(st, 6, ar);
    a->disabled = stmt_int(st, 7) != 0;
    a->has_password = stmt_int(st, 8) != 0;
}

/* Steps a one-row query into *out; ERR_NOTFOUND when there is no row. */
static int one_account(struct stmt *st, struct arena *ar, struct account *out)
{
    int rc = stmt_step(st);
    if (rc == 1)
        read_account(st, ar, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

bool account_contract_ok(const char *role, long long contract_id)
{
    return contract_id > 0 || str_eq(role, "admin");
}

int account_create(struct store *db, const struct account *a, const char *password_hash,
                   long long *id)
{
    /* An account without a contract used to read every contract: refused at the root, whatever
     * the caller (command line, administration page, demo). */
    if (!account_contract_ok(a->role, a->contract_id))
        return ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "INSERT INTO account (email, name, role, contract_id, organisation_id, password_hash, "
            "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_text(st, 1, a->email);
    stmt_bind_text(st, 2, a->name);
    stmt_bind_text(st, 3, a->role);
    if (a->contract_id)
        stmt_bind_int(st, 4, a->contract_id);
    if (a->organisation_id)
        stmt_bind_int(st, 5, a->organisation_id);
    stmt_bind_text(st, 6, password_hash ? password_hash : "");
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int account_get(struct store *db, struct arena *ar, long long id, struct account *out)
{
    struct stmt *st = store_prepare(db, ACCOUNT_COLUMNS "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    return one_account(st, ar, out);
}

int account_find_email(struct store *db, struct arena *ar, const char *email,
                       struct account *out)
{
    struct stmt *st = store_prepare(db, ACCOUNT_COLUMNS "WHERE email = lower(?1)");
    stmt_bind_text(st, 1, email);
    return one_account(st, ar, out);
}

int account_list(struct store *db, struct arena *ar, struct account **out, int *n)
{
    struct stmt *st = store_prepare(db, ACCOUNT_COLUMNS "ORDER BY name, id");
    int rc, cap = 0;
    *out = rows_grow(ar, NULL, 0, &cap, sizeof **out);
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(ar, *out, *n, &cap, sizeof **out);
        read_account(st, ar, &(*out)[(*n)++]);
    }
    return rc < 0 ? rc : ERR_OK;
}

int account_password_hash(struct store *db, struct arena *ar, long long id, char **hash)
{
    struct stmt *st = store_prepare(db, "SELECT password_hash FROM account WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        *hash = stmt_text(st, 0, ar);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int account_set_password(struct store *db, long long id, const char *password_hash)
{
    struct stmt *st = store_prepare(
        db, "UPDATE account SET password_hash = ?2, version = version + 1 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, password_hash);
    int rc = stmt_exec(st);
    return rc == ERR_OK && store_changes(db) == 0 ? ERR_NOTFOUND : rc;
}

const char *account_password_problem(const char *password, const char *email)
{
    size_t chars = text_chars(password), bytes = strlen(password);
    if (chars < 14)
        return "Le mot de passe doit compter au moins 14 caractères : une phrase de passe de "
               "quatre ou cinq mots sans rapport entre eux convient très bien.";
    if (bytes > 512)
        return "Le mot de passe ne doit pas dépasser 512 octets.";
    bool same = true;
    for (size_t i = 1; i < bytes && same; i++)
        same = password[i] == password[0];
    if (same)
        return "Le mot de passe ne doit pas répéter un seul caractère.";
    if (email && *email) {
        char *p = text_fold_dup(password), *e = text_fold_dup(email);
        bool contains = strstr(p, e) != NULL;
        free(p);
        free(e);
        if (contains)
            return "Le mot de passe ne doit pas contenir votre adresse e-mail.";
    }
    return NULL;
}

int session_create(struct store *db, long long account_id, long long now,
                   char token_out[SECRET_TOKEN_LEN + 1], char csrf_out[SECRET_TOKEN_LEN + 1])
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_token(token_out);
    secret_token(csrf_out);
    secret_digest(token_out, digest);
    struct stmt *st = store_prepare(
        db, "INSERT INTO session (token_digest, account_id, csrf_token, created_at, last_seen_at) "
            "VALUES (?1, ?2, ?3, ?4, ?4)");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, account_id);
    stmt_bind_text(st, 3, csrf_out);
    stmt_bind_int(st, 4, now);
    return stmt_exec(st);
}

int session_find(struct store *db, struct arena *ar, const char *token, long long now,
                 long long idle_s, long long max_age_s, struct session *out)
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, s.account_id, a.disabled "
            "FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_digest = ?1");
    stmt_bind_text(st, 1, digest);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    out->id = stmt_int(st, 0);
    out->csrf = stmt_text(st, 1, ar);
    long long created = stmt_int(st, 2), seen = stmt_int(st, 3), account_id = stmt_int(st, 4);
    bool disabled = stmt_int(st, 5) != 0;
    stmt_done(st);
    if (disabled || now - seen > idle_s || now - created > max_age_s) {
        st = store_prepare(db, "DELETE FROM session WHERE id = ?1");
        stmt_bind_int(st, 1, out->id);
        rc = stmt_exec(st);
        return rc == ERR_OK ? ERR_NOTFOUND : rc;
    }
    /* One write a minute at most per session, not one per page. */
    if (now - seen >= 60) {
        st = store_prepare(db, "UPDATE session SET last_seen_at = ?2 WHERE id = ?1");
        stmt_bind_int(st, 1, out->id);
        stmt_bind_int(st, 2, now);
        if ((rc = stmt_exec(st)) != ERR_OK)
            return rc;
    }
    out->created_at = created;
    out->seen_at = now - seen >= 60 ? now : seen;
    return account_get(db, ar, account_id, &out->account);
}

int session_delete(struct store *db, const char *token)
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(db, "DELETE FROM session WHERE token_digest = ?1");
    stmt_bind_text(st, 1, digest);
    return stmt_exec(st);
}

int session_delete_account(struct store *db, long long account_id)
{
    struct stmt *st = store_prepare(db, "DELETE FROM session WHERE account_id = ?1");
    stmt_bind_int(st, 1, account_id);
    return stmt_exec(st);
}

int throttle_check(struct store *db, const char *key, long long now, long long *wait_s)
{
    struct stmt *st =
        store_prepare(db, "SELECT next_allowed_at FROM login_throttle WHERE throttle_key = ?1");
    stmt_bind_text(st, 1, key);
    int rc = stmt_step(st);
    *wait_s = 0;
    if (rc == 1) {
        long long next = stmt_int(st, 0);
        *wait_s = next > now ? next - now : 0;
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int throttle_fail(struct store *db, const char *key, long long now, int *failures)
{
    return throttle_fail_after(db, key, now, 3, 0, failures);
}

int throttle_fail_after(struct store *db, const char *key, long long now, int free_failures,
                        long long forget_s, int *failures)
{
    if (forget_s > 0) {
        struct stmt *old = store_prepare(db, "DELETE FROM login_throttle WHERE throttle_key = ?1 "
                                             "AND next_allowed_at + ?3 < ?2");
        stmt_bind_text(old, 1, key);
        stmt_bind_int(old, 2, now);
        stmt_bind_int(old, 3, forget_s);
        int rc = stmt_exec(old);
        if (rc != ERR_OK)
            return rc;
    }
    struct stmt *st = store_prepare(
        db,
        "INSERT INTO login_throttle (throttle_key, failures, next_allowed_at) VALUES (?1, 1, ?2) "
        "ON CONFLICT (throttle_key) DO UPDATE SET failures = login_throttle.failures + 1");
    stmt_bind_text(st, 1, key);
    stmt_bind_int(st, 2, now);
    int rc = stmt_exec(st);
    if (rc != ERR_OK)
        return rc;
    st = store_prepare(db, "SELECT failures FROM login_throttle WHERE throttle_key = ?1");
    stmt_bind_text(st, 1, key);
    rc = stmt_step(st);
    *failures = rc == 1 ? (int)stmt_int(st, 0) : 1;
    stmt_done(st);
    if (rc < 0)
        return rc;
    long long wait = 0;
    if (*failures > free_failures) {
        int shift = *failures - free_failures - 1 > 10 ? 10 : *failures - free_failures - 1;
        wait = 1LL << shift;
        if (wait > 900)
            wait = 900;
    }
    st = store_prepare(db, "UPDATE login_throttle SET next_allowed_at = ?2 WHERE throttle_key = ?1");
    stmt_bind_text(st, 1, key);
    stmt_bind_int(st, 2, now + wait);
    return stmt_exec(st);
}

int throttle_clear(struct store *db, const char *key)
{
    struct stmt *st = store_prepare(db, "DELETE FROM login_throttle WHERE throttle_key = ?1");
    stmt_bind_text(st, 1, key);
    return stmt_exec(st);
}

int mail_token_create(struct store *db, long long account_id, const char *purpose, long long now,
                      long long ttl_s, char token_out[SECRET_TOKEN_LEN + 1])
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_token(token_out);
    secret_digest(token_out, digest);
    struct stmt *st = store_prepare(
        db, "INSERT INTO mail_token (token_digest, account_id, purpose, expires_at) "
            "VALUES (?1, ?2, ?3, ?4)");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, account_id);
    stmt_bind_text(st, 3, purpose);
    stmt_bind_int(st, 4, now + ttl_s);
    return stmt_exec(st);
}

int mail_token_peek(struct store *db, const char *token, const char *purpose, long long now,
                    long long *account_id)
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "SELECT account_id FROM mail_token WHERE token_digest = ?1 AND purpose = ?2 AND "
            "used_at IS NULL AND expires_at > ?3");
    stmt_bind_text(st, 1, digest);
    stmt_bind_text(st, 2, purpose);
    stmt_bind_int(st, 3, now);
    int rc = stmt_step(st);
    if (rc == 1)
        *account_id = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int mail_token_use(struct store *db, const char *token, const char *purpose, long long now,
                   long long *account_id)
{
    int rc = mail_token_peek(db, token, purpose, now, account_id);
    if (rc != ERR_OK)
        return rc;
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "UPDATE mail_token SET used_at = ?2 WHERE token_digest = ?1 AND used_at IS NULL");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, now);
    rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        return ERR_NOTFOUND;
    return rc;
}

int api_token_create(struct store *db, long long account_id, const char *name,
                     char token_out[SECRET_TOKEN_LEN + 1], long long *id)
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_token(token_out);
    secret_digest(token_out, digest);
    struct stmt *st = store_prepare(
        db, "INSERT INTO api_token (account_id, name, token_digest, created_at) "
            "VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, account_id);
    stmt_bind_text(st, 2, name);
    stmt_bind_text(st, 3, digest);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int api_token_account(struct store *db, struct arena *ar, const char *token, struct account *out)
{
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "SELECT a.id, coalesce(a.contract_id, 0), coalesce(a.organisation_id, 0), a.email, "
            "a.name, a.role, a.created_at, a.disabled, a.password_hash <> '' FROM api_token t "
            "JOIN account a ON a.id = t.account_id WHERE t.token_digest = ?1 AND "
            "t.revoked_at IS NULL AND a.disabled = 0");
    stmt_bind_text(st, 1, digest);
    return one_account(st, ar, out);
}

int api_token_revoke(struct store *db, long long account_id, long long id)
{
    struct stmt *st = store_prepare(
        db, "UPDATE api_token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
            "WHERE id = ?1 AND account_id = ?2 AND revoked_at IS NULL");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, account_id);
    int rc = stmt_exec(st);
    return rc == ERR_OK && store_changes(db) == 0 ? ERR_NOTFOUND : rc;
}

int mail_token_revoke_account(struct store *db, long long account_id, long long now)
{
    struct stmt *st = store_prepare(
        db, "UPDATE mail_token SET used_at = ?2 WHERE account_id = ?1 AND used_at IS NULL");
    stmt_bind_int(st, 1, account_id);
    stmt_bind_int(st, 2, now);
    return stmt_exec(st);
}

int reset_request_count(struct store *db, const char *key, long long now, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT count(*) FROM reset_request WHERE throttle_key = ?1 AND at > ?2");
    stmt_bind_text(st, 1, key);
    stmt_bind_int(st, 2, now - 3600);
    int rc = stmt_step(st);
    *n = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_DB : rc;
}

int reset_request_add(struct store *db, const char *key, long long now)
{
    struct stmt *st = store_prepare(db, "DELETE FROM reset_request WHERE at < ?1");
    stmt_bind_int(st, 1, now - 86400);
    int rc = stmt_exec(st);
    if (rc != ERR_OK)
        return rc;
    st = store_prepare(db, "INSERT INTO reset_request (throttle_key, at) VALUES (?1, ?2)");
    stmt_bind_text(st, 1, key);
    stmt_bind_int(st, 2, now);
    return stmt_exec(st);
}

int api_token_revoke_all(struct store *db, long long account_id, int *n)
{
    struct stmt *st = store_prepare(
        db, "UPDATE api_token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
            "WHERE account_id = ?1 AND revoked_at IS NULL");
    stmt_bind_int(st, 1, account_id);
    int rc = stmt_exec(st);
    if (n)
        *n = rc == ERR_OK ? store_changes(db) : 0;
    return rc;
}

int api_token_list(struct store *db, struct arena *ar, long long account_id,
                   struct api_token **out, int *n)
{
    int cap = 0;
    *out = rows_grow(ar, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT id, name, created_at, coalesce(revoked_at, '') FROM api_token "
            "WHERE account_id = ?1 ORDER BY id DESC");
    stmt_bind_int(st, 1, account_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(ar, *out, *n, &cap, sizeof **out);
        struct api_token *t = &(*out)[(*n)++];
        t->id = stmt_int(st, 0);
        t->name = stmt_text(st, 1, ar);
        t->created_at = stmt_text(st, 2, ar);
        t->revoked_at = stmt_text(st, 3, ar);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int account_export_json(struct store *db, long long id, struct buf *out)
{
    struct arena a = {0};
    struct account acc;
    int rc = account_get(db, &a, id, &acc);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    buf_printf(out,
               "{\"account\":{\"id\":%lld,\"email\":\"%j\",\"name\":\"%j\",\"role\":\"%j\","
               "\"contract_id\":%lld,\"organisation_id\":%lld,\"created_at\":\"%j\","
               "\"disabled\":%s,\"has_password\":%s}",
               acc.id, acc.email, acc.name, acc.role, acc.contract_id, acc.organisation_id,
               acc.created_at, acc.disabled ? "true" : "false",
               acc.has_password ? "true" : "false");
    arena_free(&a);
    static const struct gdpr_section sections[] = {
        {"api_tokens", "SELECT id, name, created_at, coalesce(revoked_at, '') AS revoked_at "
                       "FROM api_token WHERE account_id = ?1 ORDER BY id"},
        {"sessions", "SELECT created_at, last_seen_at FROM session WHERE account_id = ?1 "
                     "ORDER BY id"},
        {"changes", "SELECT at, entity, entity_id, field, old_value, new_value FROM audit_log "
                    "WHERE account_id = ?1 ORDER BY id"},
        {"statuses_recorded", "SELECT action_id, year, status, remarks, recommendations, "
                              "recorded_at FROM action_status WHERE account_id = ?1 "
                              "ORDER BY id"},
    };
    rc = gdpr_json_sections(db, out, id, sections, (int)(sizeof sections / sizeof *sections));
    /* The contact records tied to the account, with their attendance. */
    long long *people = NULL;
    int n_people = 0;
    if (rc == ERR_OK) {
        buf_puts(out, ",\n\"contact_records\":[");
        rc = gdpr_account_people(db, &a, id, &people, &n_people);
    }
    for (int i = 0; rc == ERR_OK && i < n_people; i++) {
        buf_puts(out, i ? ",\n" : "\n");
        rc = gdpr_person_json(db, people[i], out);
    }
    if (rc == ERR_OK)
        buf_puts(out, "]");
    arena_free(&a);
    buf_puts(out, "}\n");
    return rc;
}

static int exec_with_id(struct store *db, const char *sql, long long id)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    return stmt_exec(st);
}

int account_erase(struct store *db, long long id)
{
    static const char *const steps[] = {
        "UPDATE account SET name = 'Personne n°' || id, email = 'efface-' || id || "
        "'@compte-efface.invalid', password_hash = '', disabled = 1, "
        "erased_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), version = version + 1 WHERE id = ?1",
        "DELETE FROM session WHERE account_id = ?1",
        "DELETE FROM mail_token WHERE account_id = ?1",
        "DELETE FROM outbox WHERE account_id = ?1",
        "DELETE FROM api_token WHERE account_id = ?1",
        "UPDATE audit_log SET actor = 'Personne n°' || ?1 WHERE account_id = ?1",
        "UPDATE action_status SET recorded_by = 'Personne n°' || ?1 WHERE account_id = ?1",
        /* The other histories that name their author. */
        "UPDATE report_text SET recorded_by = 'Personne n°' || ?1 WHERE account_id = ?1",
        "UPDATE indicator_value SET recorded_by = 'Personne n°' || ?1 WHERE account_id = ?1",
    };
    struct arena a = {0};
    struct account acc;
    int rc = account_get(db, &a, id, &acc);
    arena_free(&a);
    if (rc != ERR_OK)
        return rc;
    if ((rc = store_begin(db)) != ERR_OK)
        return rc;
    for (size_t i = 0; rc == ERR_OK && i < sizeof steps / sizeof steps[0]; i++)
        rc = exec_with_id(db, steps[i], id);
    /* Its contact records (member, invitee) go under the same pseudonym. */
    long long *people = NULL;
    int n_people = 0;
    char pseudonym[48];
    snprintf(pseudonym, sizeof pseudonym, "Personne n°%lld", id);
    if (rc == ERR_OK)
        rc = gdpr_account_people(db, &a, id, &people, &n_people);
    for (int i = 0; rc == ERR_OK && i < n_people; i++)
        rc = gdpr_person_scrub(db, NULL, people[i], pseudonym);
    arena_free(&a);
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    /* The old values stay in the write-ahead log until checkpointed over: erase them there. */
    return store_checkpoint_truncate(db);
}

int account_set_disabled(struct store *db, long long id, bool disabled)
{
    struct stmt *st = store_prepare(
        db, "UPDATE account SET disabled = ?2, version = version + 1 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, disabled);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) == 0)
        return ERR_NOTFOUND;
    if (rc == ERR_OK && disabled)
        rc = session_delete_account(db, id);
    return rc;
}
