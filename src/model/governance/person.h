/* person.h — contact records of the people who run a contract: members of bodies, invitees,
 * attendees; tied to an account when the person has one. Professional details only (GDPR);
 * the public directory will read the same records. */
#ifndef MODEL_PERSON_H
#define MODEL_PERSON_H

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

struct person {
    long long id, contract_id;
    long long organisation_id, account_id; /* 0 when none */
    char *name, *function, *email, *phone;
    char *organisation_name; /* "" when none */
    int version;
};

/* What a form or the demo loader sets on a person. */
struct person_edit {
    const char *name, *function, *email, *phone;
    long long organisation_id, account_id; /* 0: none */
};

/* The people of a contract, by name; array in the arena. */
int person_list(struct store *db, struct arena *a, long long contract_id, struct person **out,
                int *n) MUST_CHECK;
/* One person; ERR_NOTFOUND if none. */
int person_get(struct store *db, struct arena *a, long long id, struct person *out) MUST_CHECK;
/* Checks a person: name required, an e-mail address that looks like one, organisation and
 * account that exist; problems in French by field name. */
void person_check(struct store *db, const struct person_edit *e, struct problems *p);
/* Inserts a person as it is, inside the caller's transaction, without audit (imports). */
int person_create(struct store *db, long long contract_id, const struct person_edit *e,
                  long long *id) MUST_CHECK;
/* The contract of an account (0: none, or account_id 0). */
int person_account_contract(struct store *db, long long account_id,
                            long long *contract_id) MUST_CHECK;
/* Adds a person to a contract's contacts (with audit rows); *id gets the new id. scope: the one
 * contract whose records who may change (0: any — administrators, the command line). A record
 * tied to the account of another contract's person is shown by that contract too: only with
 * scope 0 (ERR_FORBIDDEN otherwise), and its audit entries are in both journals. */
int person_add(struct store *db, const struct actor *who, long long scope, long long contract_id,
               const struct person_edit *e, long long *id) MUST_CHECK;
/* Saves every field if the person is still at version (ERR_CONFLICT otherwise); scope and the
 * records tied to another contract's account as for person_add (before or after the change). */
int person_update(struct store *db, const struct actor *who, long long scope, long long id,
                  int version, const struct person_edit *e) MUST_CHECK;
/* Gives the record's contract its own copy of a contact record tied to another contract's
 * account: the same details without the account; the contract's body seats, referent seats and
 * invitations move to the copy, the original stays the account's. Audited in both contracts.
 * ERR_INVALID when no other contract shows the record, ERR_FORBIDDEN when scope (as for
 * person_add) is neither 0 nor the record's contract; *copy_id gets the copy. */
int person_copy(struct store *db, const struct actor *who, long long scope, long long id,
                long long *copy_id) MUST_CHECK;

#endif
