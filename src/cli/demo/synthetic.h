/* synthetic.h — `boussole demo --synthetic N`: made-up contracts shaped like the demo, to measure
 * the application at scale. */
#ifndef CLI_SYNTHETIC_H
#define CLI_SYNTHETIC_H

#include <stdbool.h>

#include "base/err.h"

struct store;

/* Shape of one synthetic contract (the demo's: 1 general, 2 strategic, 7 specific and 23
 * operational objectives) and its actions, each with one status a year for SYNTH_YEARS years
 * from SYNTH_FIRST_YEAR. */
enum {
    SYNTH_OBJECTIVES = 33,
    SYNTH_SPECIFIC = 7,
    SYNTH_ACTIONS = 80,
    SYNTH_YEARS = 5,
    SYNTH_FIRST_YEAR = 2020,
};

/* Creates contracts 1..n ("Territoire synthétique K", slug "synthetique-K") with their strategy
 * trees, actions, carriers from one shared pool of organisations and yearly statuses, all in one
 * transaction; contracts already there are kept as they are. The data is pseudo-random from a
 * fixed seed: contract K is the same whatever n. Progress goes to stderr when progress is true.
 * *created gets the number of contracts created. Returns 0 or a negative enum err with a message
 * on stderr (nothing is then written). */
int synthetic_load(struct store *db, int n, bool progress, int *created);

/* synthetic_steer.c: what the regional view reads of contract k besides its statuses. */
/* Its department (the ten of Grand Est in turn) and generation (1, 2, 3 by tens). */
const char *synthetic_department(int k);
int synthetic_generation(int k);
int synthetic_department_set(struct store *db, long long territory_id, int k) MUST_CHECK;
/* Three action indicators (two with a target), values for the last two years (seed varies). */
int synthetic_indicators(struct store *db, long long contract_id, const long long *actions,
                         int n_actions, unsigned long long seed) MUST_CHECK;
/* A steering committee (1 a year) and a technical committee (2 a year), 0 to 2 meetings held
 * each year. */
int synthetic_governance(struct store *db, long long contract_id,
                         unsigned long long seed) MUST_CHECK;
/* Opens year's campaign (deadline in 30 days, no contact to mail) / closes it. */
int synthetic_campaign_open(struct store *db, long long contract_id, int year,
                            long long *id) MUST_CHECK;
int synthetic_campaign_close(struct store *db, long long id) MUST_CHECK;

#endif
