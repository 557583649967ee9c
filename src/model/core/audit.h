/* audit.h — who changed what: one row per changed field, appended in the same transaction as the
 * change itself, never updated. */
#ifndef MODEL_AUDIT_H
#define MODEL_AUDIT_H

#include "base/arena.h"
#include "store/db.h"

/* The person a change is attributed to (account 0: the command line or an import). */
struct actor {
    long long account_id;
    const char *name;
};

struct audit_entry {
    long long id, account_id, entity_id;
    int version;
    char *at, *actor, *entity, *field, *old_value, *new_value;
    char *label; /* what the record is called now: action "1.1.1 Title", objective, person,
                  * body, meeting "Title du 28/03/2019"… */
};

struct audit_filter {
    const char *entity; /* "action", "contract"…; NULL for any */
    long long entity_id, account_id;
    const char *since, *until; /* ISO dates "YYYY-MM-DD", inclusive; NULL for open */
    int limit;                 /* 0: 500 */
    long long contract_id;     /* only the records of that contract: itself, its signatories,
                                * objectives, actions, governance bodies, meetings and
                                * contact records (0: any) */
    int after_version;         /* only entries that made the record's version greater than this
                                * (what changed since someone loaded it); 0: any */
};

/* Someone who appears in the audit log. */
struct audit_person {
    long long account_id; /* 0: the command line or an import */
    char *name;           /* the name they had when they last changed something */
};

/* Records that field of entity/entity_id went from old_value to new_value (at version). */
int audit_record(struct store *db, const struct actor *who, const char *entity, long long entity_id,
                 int version, const char *field, const char *old_value,
                 const char *new_value) MUST_CHECK;
/* Records the change only when old and new differ; a NULL counts as "". */
int audit_field(struct store *db, const struct actor *who, const char *entity, long long entity_id,
                int version, const char *field, const char *old_value,
                const char *new_value) MUST_CHECK;
/* The id of the latest audit entry (0 when none): what audit_show_in starts after. */
int audit_last_id(struct store *db, long long *id) MUST_CHECK;
/* Lists every entry written after after_id (this transaction's) in contract_id's journal too:
 * the change of a record another contract shows is seen there. */
int audit_show_in(struct store *db, long long after_id, long long contract_id) MUST_CHECK;
/* Entries passing the filter, newest first; arrays in the arena. */
int audit_list(struct store *db, struct arena *a, const struct audit_filter *f,
               struct audit_entry **out, int *n) MUST_CHECK;
/* The people who changed records of a contract (see audit_filter.contract_id), by name. */
int audit_people(struct store *db, struct arena *a, long long contract_id,
                 struct audit_person **out, int *n) MUST_CHECK;

#endif
