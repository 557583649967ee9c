/* demo_evaluation.h — the final-evaluation part of the demo contract (demo_evaluation.c). */
#ifndef CLI_DEMO_EVALUATION_H
#define CLI_DEMO_EVALUATION_H

#include <stddef.h>

#include "base/arena.h"
#include "store/db.h"

/* Loads, inside the caller's transaction, the SWOT (dir/swot.csv) and the 10 recommendations
 * (dir/recommendations.csv) of the CLS 2 evaluation report, each with its source line. On error
 * a one-line reason is in err. */
int demo_load_evaluation(struct store *db, struct arena *a, const char *dir, long long contract_id,
                         char *err, size_t errlen) MUST_CHECK;

#endif
