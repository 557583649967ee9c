/* editing.h — the changes people make through forms and the API. Every write is one transaction
 * that checks the version the person loaded (optimistic concurrency: a stale write is refused with
 * ERR_CONFLICT and changes nothing), bumps it, and records one audit row per changed field with
 * the actor. Nothing that actions refer to is deleted: objectives and actions are archived.
 * Validation returns per-field problems in French; the web layer shows them next to the fields. */
#ifndef MODEL_EDITING_H
#define MODEL_EDITING_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/plan/action.h"
#include "model/core/audit.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "model/core/status.h"

enum { PROBLEMS_MAX = 32, EDIT_MAX_ORGS = 64, EDIT_TEXT_MAX = 20000 };

/* What is wrong with a submitted record, by field name (messages are literals or arena text). */
struct problems {
    int n;
    const char *field[PROBLEMS_MAX];
    const char *message[PROBLEMS_MAX];
};

/* Records a problem of a field (the first one of each field is kept). */
void problems_add(struct problems *p, const char *field, const char *message);

/* Reads a date typed as "JJ/MM/AAAA" (or "J/M/AAAA") or "AAAA-MM-JJ" into out as "AAAA-MM-JJ";
 * blank gives "". ERR_INVALID when it is not a real calendar date. */
int edit_parse_date(const char *s, char out[11]) MUST_CHECK;

/* ---- contract and signatories ------------------------------------------------------------- */

/* What the coordinator can change on a contract. */
struct contract_edit {
    const char *title, *short_title, *signed_on; /* signed_on: "AAAA-MM-JJ" or "" */
    int start_year, end_year;                    /* 0 when unknown */
    int reporting_year; /* the year pages show by default; 0: computed (figures.h) */
    const char *status;                          /* "draft", "active" or "closed" */
    bool public_remarks, public_people;
};

/* The version and the public-visibility flags of a contract. */
struct contract_meta {
    int version;
    bool public_remarks, public_people;
};

/* French label of a contract status key ("Projet", "En vigueur", "Clos"); the key if unknown. */
const char *contract_status_label(const char *status);
int contract_meta_get(struct store *db, long long id, struct contract_meta *out) MUST_CHECK;
/* Checks a contract edit: title required, years in 1990–2100 and in order, known status. */
void contract_check(const struct contract_edit *e, struct problems *p);
/* Saves the contract if it is still at version; ERR_INVALID (see contract_check),
 * ERR_NOTFOUND, ERR_CONFLICT or ERR_DB. */
int contract_update(struct store *db, const struct actor *who, long long id, int version,
                    const struct contract_edit *e) MUST_CHECK;

/* One signatory with its version and contract. */
int signatory_get(struct store *db, struct arena *a, long long id, long long *contract_id,
                  struct signatory *out, int *version) MUST_CHECK;
/* Checks a signatory: institution required, organisation (if any) exists, date already parsed. */
void signatory_check(struct store *db, const struct signatory *s, struct problems *p);
/* Appends a signatory to the contract's signature block; *id gets its id. */
int signatory_new(struct store *db, const struct actor *who, long long contract_id,
                  const struct signatory *s, long long *id) MUST_CHECK;
int signatory_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct signatory *s) MUST_CHECK;

/* ---- objectives --------------------------------------------------------------------------- */

/* One objective, archived or not, with what the edit form needs. */
struct objective_meta {
    long long contract_id;
    int version;
    bool archived;
    int n_children, n_actions; /* active sub-objectives and actions */
};

/* Every objective of a contract, archived ones included, in tree order; *archived[i] tells. */
int objective_list_all(struct store *db, struct arena *a, long long contract_id,
                       struct objective **out, bool **archived, int *n) MUST_CHECK;
int objective_get(struct store *db, struct arena *a, long long id, struct objective *out,
                  struct objective_meta *meta) MUST_CHECK;
/* Checks an objective of contract_id: title required; the parent is an active objective of the
 * same contract one level up (a strategic objective may also have no parent; a general one has
 * none); self is the objective being edited (0 for a new one). */
void objective_check(struct store *db, long long contract_id, long long self,
                     const struct objective *o, struct problems *p);
/* Adds an objective (level, parent, code, title; position 0: after the others). */
int objective_add(struct store *db, const struct actor *who, long long contract_id,
                  const struct objective *o, long long *id) MUST_CHECK;
/* Renames, recodes, moves (new parent of the right level) or reorders; level is kept. */
int objective_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct objective *o) MUST_CHECK;
/* Archives (or restores) an objective. Archiving one that still has active sub-objectives or
 * actions is ERR_INVALID with *why set (French); restoring one under an archived parent too. */
int objective_archive(struct store *db, const struct actor *who, long long id, int version,
                      bool archived, const char **why) MUST_CHECK;

/* ---- organisations ------------------------------------------------------------------------ */

/* Every organisation of the directory by name (for pickers); array in the arena. */
int organisation_all(struct store *db, struct arena *a, struct organisation **out,
                     int *n) MUST_CHECK;
int organisation_version(struct store *db, long long id, int *version) MUST_CHECK;
/* Checks an organisation: name required, known type, the name not already another's (self is
 * the one edited, 0 for a new one). */
void organisation_check(struct store *db, long long self, const struct organisation *o,
                        struct problems *p);
int organisation_add(struct store *db, const struct actor *who, const struct organisation *o,
                     long long *id) MUST_CHECK;
/* Saves an organisation if it is still at version. scope: the one contract whose records who
 * may change (0: any — administrators, the command line; -1: none). ERR_FORBIDDEN when another
 * contract shows the organisation (organisation_in_scope): only an administrator changes a
 * shared organisation, and the change is in the journal of every contract that shows it. */
int organisation_update(struct store *db, const struct actor *who, long long scope, long long id,
                        int version, const struct organisation *o) MUST_CHECK;
/* Gives contract_id its own copy of a shared organisation, with o's fields: the contract's
 * actions, signatories, contact records, body referents and accounts move to the copy, the
 * other contracts keep the original. Audited on both (the original's entry in every contract
 * that showed it, the copy's in contract_id). ERR_INVALID with p filled when o is wrong or the
 * organisation is not shared by contract_id and another; ERR_FORBIDDEN when scope (as for
 * organisation_update) is neither 0 nor contract_id. *copy_id gets the copy's id. */
int organisation_copy(struct store *db, const struct actor *who, long long scope, long long id,
                      long long contract_id, const struct organisation *o, struct problems *p,
                      long long *copy_id) MUST_CHECK;

/* ---- actions (action_write.c) ------------------------------------------------------------- */

/* The fields of an action a form or the API changes. */
struct action_edit {
    const char *kind, *code, *title, *notes;
    long long objective_id; /* an active operational objective of the contract */
    long long carrier_id;   /* 0: no carrier */
    long long co_carriers[EDIT_MAX_ORGS];
    int n_co_carriers;
    long long partners[EDIT_MAX_ORGS];
    int n_partners;
};

/* The audited fields of an action, in form order, as audit_log.field keys. */
enum { ACTION_FIELDS = 8 };
extern const char *const action_field_keys[ACTION_FIELDS];
/* Each field of e as the audit log writes it (objective "code — title", organisation names
 * ", "-separated…), in the order of action_field_keys; strings in the arena. Lets a caller
 * compare a form with audit values (what someone else changed in between). */
void action_edit_texts(struct store *db, struct arena *a, const struct action_edit *e,
                       const char *out[ACTION_FIELDS]);

/* The version and archived flag of an action. */
int action_meta(struct store *db, long long id, int *version, bool *archived) MUST_CHECK;
/* Fills e from an action read with action_get (strings point into x). */
void action_edit_from(const struct action *x, struct action_edit *e);
/* Checks an action of contract_id: known kind, a code for a sheet and none for a lead, code not
 * used by another action of the contract, title required, an active operational objective of
 * the contract, organisations that exist, none twice. self: the action edited (0 when new). */
void action_check(struct store *db, long long contract_id, long long self,
                  const struct action_edit *e, struct problems *p);
/* Who changes an action, for the fields only the contract's coordination may change. */
struct action_editor {
    bool coordinator;          /* the contract's coordination or an administrator */
    long long organisation_id; /* a carrier's organisation (0: none) */
};
/* The rules of who may change which field of an existing action (was: the action as it is,
 * e: what is asked), the same for the form and the API: a carrier may not move the action to
 * another objective, change its type (a lead becomes a sheet when the coordination promotes
 * it) or its code, and its organisation must stay carrier or co-carrier. Each refusal goes to
 * p under its field; the callers answer 403 when there is any. */
void action_role_check(const struct action_edit *was, const struct action_edit *e,
                       const struct action_editor *who, struct problems *p);
/* Creates an action in a contract with its organisations; placed after the last action of its
 * objective. */
int action_add(struct store *db, const struct actor *who, long long contract_id,
               const struct action_edit *e, long long *id) MUST_CHECK;
/* Saves every field of e (organisations replaced by e's lists) if the action is at version. */
int action_update(struct store *db, const struct actor *who, long long id, int version,
                  const struct action_edit *e) MUST_CHECK;
/* Archives (or restores) an action: it leaves the lists and counts, its page stays. Restoring
 * under an archived objective is ERR_INVALID with *why set. */
int action_archive(struct store *db, const struct actor *who, long long id, int version,
                   bool archived, const char **why) MUST_CHECK;
/* Records the status of a year with remarks and recommendations, attributed to who (account
 * and name), with audit rows; nothing is added when the latest row of that year already says
 * exactly the same (*added false). The action's version is not changed: statuses are history. */
int action_status_add(struct store *db, const struct actor *who, long long action_id, int year,
                      enum status status, const char *remarks, const char *recommendations,
                      bool *added) MUST_CHECK;

#endif
