/* editing_internal.h — helpers shared by the model files that write with their audit rows
 * (editing.c, action_write.c, objective_write.c, sheets and indicators, governance through
 * governance_internal.h); not for other modules (they use editing.h). */
#ifndef MODEL_EDITING_INTERNAL_H
#define MODEL_EDITING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "store/db.h"

/* Commits when rc is ERR_OK, else rolls back; returns the final result. */
int edit_finish(struct store *db, int rc) MUST_CHECK;
/* ERR_OK when the last UPDATE changed exactly one row (the version matched), else ERR_CONFLICT. */
int edit_bumped(struct store *db) MUST_CHECK;
/* ERR_OK when the one-parameter query sql returns a row for id, ERR_NOTFOUND when none. */
int edit_exists(struct store *db, const char *sql, long long id) MUST_CHECK;
/* Runs a one-row, one-integer query bound to id: ERR_NOTFOUND when it returns no row. */
int edit_one_int(struct store *db, const char *sql, long long id, long long *out) MUST_CHECK;
/* A number as audit text ("" for 0), in the arena. */
const char *edit_int_text(struct arena *a, long long v);
/* True when s has more than max bytes. */
bool edit_too_long(const char *s, size_t max);
/* "code — title" of an objective (or its title alone) for the audit log; "" for none. */
const char *edit_objective_text(struct store *db, struct arena *a, long long id);

#endif
