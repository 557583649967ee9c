/* organisation.h — the directory of organisations that carry, partner or sign. */
#ifndef MODEL_ORGANISATION_H
#define MODEL_ORGANISATION_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"

struct organisation {
    long long id;
    char *slug, *name, *type, *acronym, *aliases; /* aliases: other spellings, " | "-separated */
};

/* An action an organisation takes part in, with its role there. */
struct organisation_action {
    long long action_id, contract_id;
    char *code, *kind, *title, *role, *contract_title;
};

/* A contract that shows an organisation. */
struct organisation_contract {
    long long id;
    char *title;
};

/* Keys of the organisation types (DOMAIN.md), NULL-terminated. */
extern const char *const organisation_types[];
/* French label of a type key ("Association"…); the key itself if unknown. */
const char *organisation_type_label(const char *type);
/* True when type is one of organisation_types. */
int organisation_type_valid(const char *type);

/* One organisation; ERR_NOTFOUND if none. */
int organisation_get(struct store *db, struct arena *a, long long id,
                     struct organisation *out) MUST_CHECK;
/* The organisation whose name, acronym or one alias equals name (ignoring case and accents);
 * ERR_NOTFOUND if none. */
int organisation_find(struct store *db, const char *name, long long *id) MUST_CHECK;
/* Every organisation whose name, acronym or one alias equals name (as organisation_find), by
 * id, at most max. */
int organisation_find_all(struct store *db, const char *name, long long *ids, int max,
                          int *n) MUST_CHECK;
/* The contracts that show an organisation: it carries, co-carries or partners one of their
 * actions (archived ones too), signs them, or is the organisation of one of their contact
 * records, body referents, accounts or directory services. By id; array in the arena. */
int organisation_contracts(struct store *db, struct arena *a, long long id,
                           struct organisation_contract **out, int *n) MUST_CHECK;
/* True when someone who may change the records of contract_id (0: any contract's, -1: none)
 * may change in place an organisation shown by cs[0..n): no other contract
 * shows it. Otherwise only an administrator may, or the contract makes its own copy. */
bool organisation_in_scope(const struct organisation_contract *cs, int n, long long contract_id);
/* The organisation with that slug; ERR_NOTFOUND if none. */
int organisation_find_slug(struct store *db, const char *slug, long long *id) MUST_CHECK;
/* Inserts an organisation (slug may be NULL); *id gets the new id. */
int organisation_create(struct store *db, const struct organisation *o, long long *id) MUST_CHECK;
/* The actions an organisation carries, co-carries or partners, by contract then position. */
int organisation_actions(struct store *db, struct arena *a, long long id,
                         struct organisation_action **out, int *n) MUST_CHECK;
/* The organisations that carry (lead carrier) at least one action of a contract, by name;
 * array in the arena. */
int organisation_carriers(struct store *db, struct arena *a, long long contract_id,
                          struct organisation **out, int *n) MUST_CHECK;

#endif
