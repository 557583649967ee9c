/* rows.h — the one way model code reads a query's rows into a list: an arena array that grows
 * as rows come, with no count asked first and no cap that would silently drop rows. */
#ifndef STORE_ROWS_H
#define STORE_ROWS_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

/* Makes room for element n of an arena array of *cap elements of size bytes (NULL and 0 at
 * first): returns the array, moved to one twice as large (zeroed tail) when it was full. Never
 * NULL, so calling it once before the first row gives an empty list that can be sorted. */
void *rows_grow(struct arena *a, void *arr, int n, int *cap, size_t size);

/* Reads the current row of st into row (the caller's struct), strings in the arena. */
typedef void rows_read_fn(struct stmt *st, struct arena *a, void *row);
/* Steps st to its end, reading each row with read into a new element of size bytes of an arena
 * array: *out (never NULL) and *n. Returns ERR_OK, or the failed step's error (the rows read
 * before it stay in *out and *n; the statement is reset either way). */
int rows_read_all(struct stmt *st, struct arena *a, size_t size, rows_read_fn *read, void **out,
                  int *n) MUST_CHECK;

#endif
