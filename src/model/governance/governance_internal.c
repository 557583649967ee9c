/* governance_internal.c — small helpers of the governance model files (see
 * governance_internal.h): arrays, whole-record writes and links with their audit rows. Must not
 * hold any domain rule. */
#include "model/governance/governance_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"

int gov_read_one(struct stmt *st, struct arena *a, rows_read_fn *read, void *out)
{
    int rc = stmt_step(st);
    if (rc == 1)
        read(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

const char *gov_str(const char *s)
{
    return s ? s : "";
}

int gov_read_years(struct stmt *st, int *years, int max, int *n)
{
    int rc;
    *n = 0;
    while ((rc = stmt_step(st)) == 1)
        if (*n < max)
            years[(*n)++] = (int)stmt_int(st, 0);
    return rc;
}

/* One audit row per field whose value changed from before (NULL: a new record) to now. */
static int audit_fields(struct store *db, const struct actor *who, const struct gov_kind *k,
                        long long id, int version, const char **before, const char **now)
{
    int rc = ERR_OK;
    for (int i = 0; i < k->n_fields && rc == ERR_OK; i++)
        rc = audit_field(db, who, k->entity, id, version, k->fields[i], before ? before[i] : "",
                         now[i]);
    return rc;
}

/* The record's other contracts (k->shared) into out, and the last audit entry before the
 * change into *mark, inside the transaction. */
static int shared_before(struct store *db, const struct gov_kind *k, long long id,
                         long long contract_id, const void *edit, long long *out, int *n,
                         long long *mark)
{
    *n = 0;
    *mark = 0;
    if (!k->shared)
        return ERR_OK;
    int rc = k->shared(db, id, contract_id, edit, out, n);
    return rc == ERR_OK ? audit_last_id(db, mark) : rc;
}

/* Lists the change's audit entries in the journals of the other contracts. */
static int shared_after(struct store *db, const long long *contracts, int n, long long mark)
{
    int rc = ERR_OK;
    for (int i = 0; i < n && rc == ERR_OK; i++)
        rc = audit_show_in(db, mark, contracts[i]);
    return rc;
}

/* ERR_INVALID when the check finds a problem in edit, else opens the transaction. */
static int check_and_begin(struct store *db, const struct gov_kind *k, const void *edit)
{
    struct problems p = {0};
    k->check(db, edit, &p);
    return p.n ? ERR_INVALID : store_begin(db);
}

int gov_add(struct store *db, const struct actor *who, const struct gov_kind *k,
            long long contract_id, const void *edit, long long *id)
{
    int rc = check_and_begin(db, k, edit);
    if (rc != ERR_OK)
        return rc;
    long long shared[GOV_MAX_SHARED], mark = 0;
    int n_shared = 0;
    rc = shared_before(db, k, 0, contract_id, edit, shared, &n_shared, &mark);
    if (rc == ERR_OK)
        rc = k->create(db, contract_id, edit, id);
    struct arena a = {0};
    const char *now[GOV_MAX_FIELDS];
    if (rc == ERR_OK) {
        k->values(&a, edit, now);
        rc = audit_fields(db, who, k, *id, 1, NULL, now);
    }
    if (rc == ERR_OK)
        rc = shared_after(db, shared, n_shared, mark);
    arena_free(&a);
    return edit_finish(db, rc);
}

int gov_update(struct store *db, const struct actor *who, const struct gov_kind *k, long long id,
               int version, const void *edit)
{
    int rc = check_and_begin(db, k, edit);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    const char *before[GOV_MAX_FIELDS], *now[GOV_MAX_FIELDS];
    long long shared[GOV_MAX_SHARED], mark = 0;
    int n_shared = 0;
    rc = k->current(db, &a, id, before);
    if (rc == ERR_OK)
        rc = shared_before(db, k, id, 0, edit, shared, &n_shared, &mark);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(db, k->update_sql);
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        k->bind(st, edit);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK) {
        k->values(&a, edit, now);
        rc = audit_fields(db, who, k, id, version + 1, before, now);
    }
    if (rc == ERR_OK)
        rc = shared_after(db, shared, n_shared, mark);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* The link's old value into *old (in the arena; "" when none); *found tells. */
static int link_old(struct store *db, struct arena *a, const struct gov_link *l,
                    const char **old, bool *found)
{
    struct stmt *st = store_prepare(db, l->old_sql);
    stmt_bind_int(st, 1, l->id1);
    stmt_bind_int(st, 2, l->id2);
    int rc = stmt_step(st);
    *found = rc == 1;
    *old = rc == 1 ? stmt_text(st, 0, a) : "";
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Runs sql bound to the link's ids (and value as ?3 when not NULL). */
static int link_exec(struct store *db, const struct gov_link *l, const char *sql,
                     const char *value)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, l->id1);
    stmt_bind_int(st, 2, l->id2);
    if (value)
        stmt_bind_text(st, 3, value);
    return stmt_exec(st);
}

int gov_link_set(struct store *db, const struct actor *who, const struct gov_link *l,
                 const char *set_sql, const char *value)
{
    struct arena a = {0};
    const char *old;
    bool found;
    int rc = link_old(db, &a, l, &old, &found);
    if (rc == ERR_OK)
        rc = link_exec(db, l, set_sql, value);
    char field[64];
    snprintf(field, sizeof field, "%s%lld", l->prefix, l->key);
    if (rc == ERR_OK)
        rc = audit_field(db, who, l->entity, l->entity_id, 0, field, old, value);
    arena_free(&a);
    return rc;
}

int gov_link_remove(struct store *db, const struct actor *who, const struct gov_link *l,
                    const char *const *deletes)
{
    struct arena a = {0};
    const char *old;
    bool found;
    int rc = link_old(db, &a, l, &old, &found);
    if (rc == ERR_OK && !found)
        rc = ERR_NOTFOUND;
    for (int i = 0; rc == ERR_OK && deletes[i]; i++)
        rc = link_exec(db, l, deletes[i], NULL);
    char field[64];
    snprintf(field, sizeof field, "%s%lld", l->prefix, l->key);
    if (rc == ERR_OK)
        rc = audit_record(db, who, l->entity, l->entity_id, 0, field, old, "");
    arena_free(&a);
    return rc;
}
