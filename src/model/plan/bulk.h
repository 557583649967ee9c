/* bulk.h — fast appends for generators of large data sets (boussole demo --synthetic): no
 * read-before-write, no comparison with what is there. Interactive code uses action.h. */
#ifndef MODEL_BULK_H
#define MODEL_BULK_H

#include "store/db.h"
#include "model/core/status.h"

/* Appends a status row for (action, year) unconditionally, recorded now by recorded_by (NULL
 * strings are stored as ""). For actions the caller has just created in the open transaction. */
int bulk_status_append(struct store *db, long long action_id, int year, enum status status,
                       const char *as_written, const char *remarks, const char *recommendations,
                       const char *recorded_by) MUST_CHECK;

#endif
