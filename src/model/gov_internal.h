/* gov_internal.h — helpers shared by the governance model files only (person.c, body.c, plan.c,
 * meeting.c, invitee.c, decision.c, governance.c); other modules use their headers. */
#ifndef MODEL_GOV_INTERNAL_H
#define MODEL_GOV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../store/db.h"

/* Makes room for one more element in an arena array of *cap elements of size bytes holding n:
 * doubles it (copying) when full. Returns the (maybe moved) array. */
void *gov_grow(struct arena *a, void *arr, int n, int *cap, size_t size);
/* Commits when rc is ERR_OK, else rolls back; returns the final result. */
int gov_finish(struct store *db, int rc) MUST_CHECK;
/* ERR_OK when the last UPDATE or DELETE changed exactly one row, else ERR_CONFLICT. */
int gov_one_changed(struct store *db) MUST_CHECK;
/* Runs a query of one integer column bound to id (?1): ERR_NOTFOUND when it gives no row. */
int gov_one_int(struct store *db, const char *sql, long long id, long long *out) MUST_CHECK;
/* A number as text for the audit log ("" for 0), in the arena. */
const char *gov_int_text(struct arena *a, long long v);
/* True when s is longer than max bytes. */
bool gov_too_long(const char *s, size_t max);
/* NULL as "". */
const char *gov_str(const char *s);

#endif
