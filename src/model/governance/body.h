/* body.h — the governance bodies of a contract (steering committee, technical committee,
 * project team, thematic groups, referents' meeting…), how often each must meet, its members
 * with their role and the elected referent of each intercommunality. */
#ifndef MODEL_BODY_H
#define MODEL_BODY_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

/* Kind keys, in the order screens list them; NULL-terminated. */
extern const char *const body_kinds[];
enum { BODY_KIND_COUNT = 6 };
/* French name of a kind ("Comité de pilotage (COPIL)"…); the key itself if unknown. */
const char *body_kind_label(const char *kind);
/* Index of a kind in body_kinds, or -1. */
int body_kind_index(const char *kind);

/* Member role keys "chair", "member", "guest"; NULL-terminated. */
extern const char *const body_roles[];
/* "Présidence", "Membre", "Invité permanent"; the key if unknown. */
const char *body_role_label(const char *role);

struct body {
    long long id, contract_id;
    char *kind, *name, *theme, *description;
    int min_per_year, max_per_year; /* max 0: no upper bound */
    int position, version;
};

/* What a form or the demo loader sets on a body. */
struct body_edit {
    const char *kind, *name, *theme, *description;
    int min_per_year, max_per_year; /* max 0: no upper bound */
};

struct body_member {
    long long person_id;
    char *name, *function, *organisation_name, *email, *role;
};

struct body_referent {
    long long organisation_id, person_id;
    char *organisation_name, *person_name, *person_function;
};

/* The bodies of a contract in screen order (kind, then position); array in the arena. */
int body_list(struct store *db, struct arena *a, long long contract_id, struct body **out,
              int *n) MUST_CHECK;
/* One body; ERR_NOTFOUND if none. */
int body_get(struct store *db, struct arena *a, long long id, struct body *out) MUST_CHECK;
/* Checks a body: known kind, name required, 0 ≤ min ≤ max ≤ 52 (max 0: none). */
void body_check(const struct body_edit *e, struct problems *p);
/* Inserts a body as it is, inside the caller's transaction, without audit (imports). */
int body_create(struct store *db, long long contract_id, const struct body_edit *e,
                long long *id) MUST_CHECK;
/* Adds a body to a contract (audited); *id gets the new id. */
int body_add(struct store *db, const struct actor *who, long long contract_id,
             const struct body_edit *e, long long *id) MUST_CHECK;
/* Saves every field if the body is still at version (ERR_CONFLICT otherwise). */
int body_update(struct store *db, const struct actor *who, long long id, int version,
                const struct body_edit *e) MUST_CHECK;

/* Members of a body: chair first, then members, then guests, by name. */
int body_members(struct store *db, struct arena *a, long long body_id, struct body_member **out,
                 int *n) MUST_CHECK;
/* Inserts a member as it is, inside the caller's transaction, without audit (imports). */
int body_member_create(struct store *db, long long body_id, long long person_id,
                       const char *role) MUST_CHECK;
/* Adds a person of the body's contract as member in a role, or changes their role.
 * ERR_INVALID for an unknown role or a person of another contract. */
int body_member_set(struct store *db, const struct actor *who, long long body_id,
                    long long person_id, const char *role) MUST_CHECK;
/* Removes a member; ERR_NOTFOUND when not a member. */
int body_member_remove(struct store *db, const struct actor *who, long long body_id,
                       long long person_id) MUST_CHECK;

/* The elected referents of a body, by intercommunality name. */
int body_referents(struct store *db, struct arena *a, long long body_id,
                   struct body_referent **out, int *n) MUST_CHECK;
/* Names (or replaces) the referent of an intercommunality: the organisation must be of type
 * intercommunality and the person of the body's contract (else ERR_INVALID). */
int body_referent_set(struct store *db, const struct actor *who, long long body_id,
                      long long organisation_id, long long person_id) MUST_CHECK;
int body_referent_remove(struct store *db, const struct actor *who, long long body_id,
                         long long organisation_id) MUST_CHECK;

#endif
