/* synthetic.h — `boussole demo --synthetic N`: made-up contracts shaped like the demo, to measure
 * the application at scale. */
#ifndef CLI_SYNTHETIC_H
#define CLI_SYNTHETIC_H

#include <stdbool.h>

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

#endif
