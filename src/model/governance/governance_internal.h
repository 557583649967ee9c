/* governance_internal.h — helpers shared by the governance model files only (person.c, body.c,
 * meeting_plan.c, meeting.c, invitee.c, decision.c, governance.c, gdpr.c); other modules use
 * their headers. The transaction and audit-text helpers (edit_finish, edit_bumped,
 * edit_one_int, edit_int_text, edit_too_long) are editing_internal.h's. */
#ifndef MODEL_GOVERNANCE_INTERNAL_H
#define MODEL_GOVERNANCE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "store/db.h"
#include "store/rows.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"
#include "model/plan/editing_internal.h"

/* Steps st once, reading its row with read into out: ERR_NOTFOUND when there is none. */
int gov_read_one(struct stmt *st, struct arena *a, rows_read_fn *read, void *out) MUST_CHECK;
/* NULL as "". */
const char *gov_str(const char *s);
/* Steps a query of one integer column (years) into years, keeping at most max; *n of them. */
int gov_read_years(struct stmt *st, int *years, int max, int *n) MUST_CHECK;

/* A record edited as a whole by a form (a body, a person): what gov_add and gov_update need.
 * edit points to the record's own edit struct (struct body_edit…). */
struct gov_kind {
    const char *entity;          /* its name in the audit log */
    const char *const *fields;   /* the audited fields, in the order of values() */
    int n_fields;                /* at most GOV_MAX_FIELDS */
    const char *update_sql;      /* UPDATE … WHERE id = ?1 AND version = ?2; bind() sets ?3… */
    void (*check)(struct store *db, const void *edit, struct problems *p);
    void (*values)(struct arena *a, const void *edit, const char **out);
    void (*bind)(struct stmt *st, const void *edit);
    /* Inserts the record, without audit; *id gets its id. */
    int (*create)(struct store *db, long long contract_id, const void *edit, long long *id);
    /* The audited values of the record as it is now (ERR_NOTFOUND when there is none). */
    int (*current)(struct store *db, struct arena *a, long long id, const char **out);
    /* Optional, inside the transaction before the write (id 0 for a new record of contract_id):
     * the other contracts that show the record as it is or as edit makes it, into
     * out[0..*n) (at most GOV_MAX_SHARED), whose journals list its audit entries too;
     * ERR_FORBIDDEN refuses the change. */
    int (*shared)(struct store *db, long long id, long long contract_id, const void *edit,
                  long long *out, int *n);
};
enum { GOV_MAX_FIELDS = 16, GOV_MAX_SHARED = 4 };

/* Checks edit and inserts it with one audit row per field set, in one transaction;
 * ERR_INVALID when the check finds a problem. */
int gov_add(struct store *db, const struct actor *who, const struct gov_kind *k,
            long long contract_id, const void *edit, long long *id) MUST_CHECK;
/* Checks edit and saves every field if the record is still at version (ERR_CONFLICT
 * otherwise), with one audit row per changed field, in one transaction. */
int gov_update(struct store *db, const struct actor *who, const struct gov_kind *k, long long id,
               int version, const void *edit) MUST_CHECK;

/* A link between two records (a member of a body, a planned meeting, a decision, an invitee),
 * audited on entity/entity_id as field prefix + key ("member:12"). old_sql reads its value
 * (one column) with ?1 = id1 and ?2 = id2. */
struct gov_link {
    const char *entity;
    long long entity_id;
    const char *prefix;
    long long key;
    const char *old_sql;
    long long id1, id2;
};

/* Inside the caller's transaction: runs set_sql (?1 = id1, ?2 = id2, ?3 = value) and records the
 * change from the link's old value ("" when there was none) to value. */
int gov_link_set(struct store *db, const struct actor *who, const struct gov_link *l,
                 const char *set_sql, const char *value) MUST_CHECK;
/* Inside the caller's transaction: runs each statement of deletes (NULL-terminated; ?1 = id1,
 * ?2 = id2) and records the change from the link's old value to "". ERR_NOTFOUND when there is
 * no such link. */
int gov_link_remove(struct store *db, const struct actor *who, const struct gov_link *l,
                    const char *const *deletes) MUST_CHECK;

#endif
