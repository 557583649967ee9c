/* access.h — what a permission check needs to know about a record: the contract it belongs to
 * and, for an action, whether an organisation carries it. */
#ifndef MODEL_ACCESS_H
#define MODEL_ACCESS_H

#include <stdbool.h>

#include "store/db.h"

/* The contract of an action, and whether organisation_id carries or co-carries it (false when
 * organisation_id is 0). ERR_NOTFOUND for an unknown action. */
int scope_action(struct store *db, long long action_id, long long organisation_id,
                 long long *contract_id, bool *carried) MUST_CHECK;
/* The contract of an objective / a signatory. ERR_NOTFOUND if unknown. */
int scope_objective(struct store *db, long long objective_id, long long *contract_id) MUST_CHECK;
int scope_signatory(struct store *db, long long signatory_id, long long *contract_id) MUST_CHECK;
/* The contract of a governance body / a meeting / a person (contact record). */
int scope_body(struct store *db, long long body_id, long long *contract_id) MUST_CHECK;
int scope_meeting(struct store *db, long long meeting_id, long long *contract_id) MUST_CHECK;
int scope_person(struct store *db, long long person_id, long long *contract_id) MUST_CHECK;
/* The contract of an indicator and, for an action's indicator, whether organisation_id carries
 * or co-carries that action (an objective's indicator is carried by nobody). */
int scope_indicator(struct store *db, long long indicator_id, long long organisation_id,
                    long long *contract_id, bool *carried) MUST_CHECK;
/* ERR_OK when the region (INSEE code) exists, ERR_NOTFOUND otherwise. */
int scope_region(struct store *db, long long region_code) MUST_CHECK;
/* The region an account reads (table account_region); ERR_NOTFOUND when it reads none. */
int scope_account_region(struct store *db, long long account_id,
                         long long *region_code) MUST_CHECK;
/* ERR_OK when the contract exists, ERR_NOTFOUND otherwise. */
int scope_contract(struct store *db, long long contract_id) MUST_CHECK;

#endif
