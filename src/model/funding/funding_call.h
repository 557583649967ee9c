/* funding_call.h — funding calls (aides) imported from Aides-territoires pages or a saved JSON
 * file, matched to a contract's actions by theme, public and territory, listed by deadline, and
 * the reminders queued in the outbox before a deadline. */
#ifndef MODEL_FUNDING_CALL_H
#define MODEL_FUNDING_CALL_H
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "model/core/audit.h"
#include "store/db.h"

enum {
    FUNDING_CALLS_PAGE_MAX = 8 * 1024 * 1024, /* bytes of one page or file */
    FUNDING_CALLS_MAX = 5000,                 /* calls in one import */
    FUNDING_CALL_TEXT_MAX = 20000,            /* bytes of one text field */
};

/* Aides-territoires' site: the API's "url" of an aid is a path on it. */
#define FUNDING_CALLS_SITE "https://aides-territoires.beta.gouv.fr"

struct funding_call {
    long long id, contract_id;
    char *external_id, *name, *url, *financers, *categories, *audiences, *perimeter,
        *perimeter_scale, *deadline, *description, *source;
    char *reason;  /* why it matches the action asked (funding_calls_of_action) */
    int n_actions; /* actions it matches (funding_calls_of_contract) */
};

/* Reads one Aides-territoires page ({"results":[…], "next": URL|null}) or a saved file (that
 * page, or a bare array of aids) into *out and *n (appended: *cap as for rows_grow), strings in
 * the arena; *next gets the next page's URL or NULL. ERR_INVALID with a French reason naming
 * the aid (index) and the field when the JSON is malformed, too big or of the wrong types. */
int funding_calls_parse(const char *json, size_t len, struct arena *a, struct funding_call **out,
                        int *n, int *cap, const char **next, char *err, size_t errlen) MUST_CHECK;
/* Reads the answer of Aides-territoires' POST /api/connexion/ ({"token": "<JWT>"}), which turns
 * the account's X-AUTH-TOKEN into the bearer token the other API calls want. *bearer gets the
 * token (only the characters of a JWT, at most 8 KB, so it cannot smuggle a header), or
 * ERR_INVALID with a French reason. */
int funding_calls_bearer(const char *json, size_t len, struct arena *a, const char **bearer,
                         char *err, size_t errlen) MUST_CHECK;
/* Saves the calls into a contract in one transaction (an aid already there by its id is
 * updated), then matches every call of the contract to its actions again; counts in *added,
 * *updated and *matches (pairs call–action). */
int funding_calls_save(struct store *db, const struct actor *who, long long contract_id,
                       const char *source, const struct funding_call *calls, int n, int *added,
                       int *updated, int *matches) MUST_CHECK;
/* The calls of a contract, nearest deadline first (those without a deadline last). */
int funding_calls_of_contract(struct store *db, struct arena *a, long long contract_id,
                              struct funding_call **out, int *n) MUST_CHECK;
/* The calls matched to an action, nearest deadline first, with the reason. */
int funding_calls_of_action(struct store *db, struct arena *a, long long action_id,
                            struct funding_call **out, int *n) MUST_CHECK;

/* ---- the matching rule (pure: unit-tested) ---- */

/* What the rule reads of an action. */
struct funding_action_text {
    const char *text;          /* title, description, objectives of the action and its
                                * operational objective's title */
    const char *carrier_types; /* organisation types of its carriers, blank-separated */
    unsigned themes;           /* funding_themes_of(text) when known, else 0 (computed) */
};
/* What the rule reads of the contract's territory. */
struct funding_territory {
    const char *const *names; /* the territory's name, its intercommunalities and communes */
    int n_names;
    const char *const *departments; /* département codes of its communes ("55") */
    int n_departments;
};
/* The themes the rule knows (French labels), NULL-terminated, and their keywords. */
extern const char *const funding_theme_labels[];
/* Bit set of the themes found in text (keywords at the start of a word, accents ignored). */
unsigned funding_themes_of(const char *text);
/* True when the call suits the action: a theme in common, a public that includes a type of its
 * carriers (or no public given, or no typed carrier), a perimeter covering the territory (the
 * whole country, its region or département, the territory or one of its areas). *reason gets a
 * French sentence in the arena (why, or why not). */
bool funding_call_matches(const struct funding_call *c, const struct funding_action_text *x,
                          const struct funding_territory *t, struct arena *a, const char **reason);
/* The name of département code ("55" → "Meuse") and its region, or NULL. */
const char *funding_department_name(const char *code, const char **region);

/* ---- reminders ---- */

/* Days before a deadline when the contract's coordination is reminded. */
extern const int funding_reminder_days[]; /* 0-terminated */
/* Queues in the outbox, to every coordinator of the contract, the reminders of the calls
 * matched to at least one action whose deadline is at one of funding_reminder_days or nearer
 * (each call and delay once; nothing for a past deadline): the number of mails queued, or a
 * negative enum err. The mailer's tick may call it; so does every funding page. */
int funding_send_due_reminders(struct store *db, long long now) MUST_CHECK;

#endif
