/* demo_funding.h — the coordinator post's financing plan of the demo contract (demo_funding.c). */
#ifndef CLI_DEMO_FUNDING_H
#define CLI_DEMO_FUNDING_H

#include <stddef.h>

#include "base/arena.h"
#include "store/db.h"

/* Loads, inside the caller's transaction, annex 2 of the evaluation report from dir/budget.csv:
 * the yearly expense and income lines, the totals the report prints, the five-year summary it
 * states; each year that balances is then marked final (2020 stays a draft: its income is
 * 0,01 € above its expenses in the source). On error a one-line reason is in err. */
int demo_load_funding(struct store *db, struct arena *a, const char *dir, long long contract_id,
                      char *err, size_t errlen) MUST_CHECK;

#endif
