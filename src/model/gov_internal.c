/* gov_internal.c — small helpers of the governance model files (see gov_internal.h). Must not
 * hold any domain rule. */
#include "gov_internal.h"

#include <stdio.h>
#include <string.h>

void *gov_grow(struct arena *a, void *arr, int n, int *cap, size_t size)
{
    if (n < *cap)
        return arr;
    int new_cap = *cap ? *cap * 2 : 16;
    void *p = arena_alloc(a, size * (size_t)new_cap);
    if (n)
        memcpy(p, arr, size * (size_t)n);
    *cap = new_cap;
    return p;
}

int gov_finish(struct store *db, int rc)
{
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK)
        store_rollback(db);
    return rc;
}

int gov_one_changed(struct store *db)
{
    return store_changes(db) == 1 ? ERR_OK : ERR_CONFLICT;
}

int gov_one_int(struct store *db, const char *sql, long long id, long long *out)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        *out = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

const char *gov_int_text(struct arena *a, long long v)
{
    if (!v)
        return "";
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", v);
    return arena_strdup(a, tmp);
}

bool gov_too_long(const char *s, size_t max)
{
    return s && strlen(s) > max;
}

const char *gov_str(const char *s)
{
    return s ? s : "";
}
