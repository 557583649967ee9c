/* access.c — small lookups for the permission checks of src/web/core/router.c. Must not decide
 * anything: it only says where a record belongs. */
#include "model/core/access.h"

/* Runs a one-column, one-row integer query bound to id. */
static int one_int(struct stmt *st, long long id, long long *out)
{
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        *out = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int scope_action(struct store *db, long long action_id, long long organisation_id,
                 long long *contract_id, bool *carried)
{
    int rc = one_int(store_prepare(db, "SELECT contract_id FROM action WHERE id = ?1"), action_id,
                     contract_id);
    *carried = false;
    if (rc != ERR_OK || !organisation_id)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT 1 FROM action_organisation WHERE action_id = ?1 AND organisation_id = ?2 "
            "AND role IN ('carrier', 'co_carrier')");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, organisation_id);
    rc = stmt_step(st);
    stmt_done(st);
    *carried = rc == 1;
    return rc < 0 ? rc : ERR_OK;
}

int scope_objective(struct store *db, long long objective_id, long long *contract_id)
{
    return one_int(store_prepare(db, "SELECT contract_id FROM objective WHERE id = ?1"),
                   objective_id, contract_id);
}

int scope_signatory(struct store *db, long long signatory_id, long long *contract_id)
{
    return one_int(store_prepare(db, "SELECT contract_id FROM signatory WHERE id = ?1"),
                   signatory_id, contract_id);
}

int scope_body(struct store *db, long long body_id, long long *contract_id)
{
    return one_int(store_prepare(db, "SELECT contract_id FROM body WHERE id = ?1"), body_id,
                   contract_id);
}

int scope_meeting(struct store *db, long long meeting_id, long long *contract_id)
{
    return one_int(store_prepare(db, "SELECT contract_id FROM meeting WHERE id = ?1"),
                   meeting_id, contract_id);
}

int scope_person(struct store *db, long long person_id, long long *contract_id)
{
    return one_int(store_prepare(db, "SELECT contract_id FROM person WHERE id = ?1"), person_id,
                   contract_id);
}

int scope_indicator(struct store *db, long long indicator_id, long long organisation_id,
                    long long *contract_id, bool *carried)
{
    long long action_id = 0;
    *carried = false;
    int rc = one_int(store_prepare(db, "SELECT coalesce(action_id, 0) FROM indicator "
                                       "WHERE id = ?1"),
                     indicator_id, &action_id);
    if (rc != ERR_OK)
        return rc;
    if (action_id)
        return scope_action(db, action_id, organisation_id, contract_id, carried);
    return one_int(store_prepare(db, "SELECT contract_id FROM indicator WHERE id = ?1"),
                   indicator_id, contract_id);
}

int scope_contract(struct store *db, long long contract_id)
{
    long long id;
    return one_int(store_prepare(db, "SELECT id FROM contract WHERE id = ?1"), contract_id, &id);
}

int scope_region(struct store *db, long long region_code)
{
    long long code;
    return one_int(store_prepare(db, "SELECT code FROM region WHERE code = ?1"), region_code,
                   &code);
}

int scope_account_region(struct store *db, long long account_id, long long *region_code)
{
    return one_int(store_prepare(db, "SELECT region_code FROM account_region WHERE account_id = "
                                     "?1"),
                   account_id, region_code);
}
