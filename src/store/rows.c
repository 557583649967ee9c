/* rows.c — growable arena arrays filled from a query's rows (see rows.h): replaces the old
 * count-then-fetch reads, which raced with writers and truncated to the count. */
#include "store/rows.h"

#include <string.h>

void *rows_grow(struct arena *a, void *arr, int n, int *cap, size_t size)
{
    if (arr && n < *cap)
        return arr;
    int new_cap = *cap ? *cap * 2 : 16;
    void *p = arena_alloc(a, size * (size_t)new_cap);
    if (arr && n)
        memcpy(p, arr, size * (size_t)n);
    *cap = new_cap;
    return p;
}

int rows_read_all(struct stmt *st, struct arena *a, size_t size, rows_read_fn *read, void **out,
                  int *n)
{
    int cap = 0, rc;
    char *rows = rows_grow(a, NULL, 0, &cap, size);
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        rows = rows_grow(a, rows, *n, &cap, size);
        read(st, a, rows + size * (size_t)(*n)++);
    }
    *out = rows;
    return rc < 0 ? rc : ERR_OK;
}
