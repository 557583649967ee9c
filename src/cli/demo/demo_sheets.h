/* demo_sheets.h — the action-sheet part of the demo contract (demo_sheets.c). */
#ifndef CLI_DEMO_SHEETS_H
#define CLI_DEMO_SHEETS_H

#include <stddef.h>

#include "base/arena.h"
#include "store/db.h"

/* Loads, inside the caller's transaction, what the evaluation report says of the demo's sheets:
 * the territory's communes and intercommunalities (data/territories/), the coordinator's FTE
 * (contract.csv), the dates, places and publics of dir/sheets.csv and the indicator values of
 * dir/indicators.csv. On error a one-line reason is in err. */
int demo_load_sheets(struct store *db, struct arena *a, const char *dir, long long contract_id,
                     char *err, size_t errlen) MUST_CHECK;

#endif
