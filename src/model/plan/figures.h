/* figures.h — the one rule that says which actions count in a year, the counts per status built
 * on it, the year every page shows by default (the contract's reporting year) and the figures a
 * source document states, to cite next to ours. Dashboard, home, lists, reports, spreadsheets
 * and the API all count through here, so that their numbers agree. */
#ifndef MODEL_FIGURES_H
#define MODEL_FIGURES_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/plan/action.h"
#include "model/core/status.h"

/* The year an action starts to exist: the earliest of the first year it has a status, the year
 * it is known to have entered the contract (since_year: an imported table's year) and the year it
 * was created (created_at, ISO). 0 when none is known; first_status_year and since_year are 0
 * when unknown. */
int figures_first_year(int first_status_year, int since_year, const char *created_at);
/* Records that an action is in the contract since year (see figures_first_year). */
int figures_action_since(struct store *db, long long action_id, int year) MUST_CHECK;

/* An action counts in year when it exists that year: first_year (figures_first_year) is known
 * and not after year. An action added in 2023 does not count in 2020–2022; one without a 2023
 * status that existed before counts in 2023 as "sans état". */
bool figures_exists_in(int first_year, int year);

/* The counts of one year: the actions that exist that year, by status. */
struct year_figures {
    int year;
    int by_status[ST_COUNT]; /* latest status of the year of each action that counts */
    int none;                /* actions that count but have no status that year */
    int done;                /* the three kinds of done together */
    int total;               /* every action that counts that year */
};

/* Counts year over the actions of a grid (action_status_grid: years[], statuses[y]). */
void figures_count(const struct action_brief *xs, int n, const int *years, int n_years, int year,
                   struct year_figures *out);
/* The counts of a contract's non-archived actions in year (reads the grid). */
int figures_for_year(struct store *db, long long contract_id, int year,
                     struct year_figures *out) MUST_CHECK;
/* Rounded percentage of part in total ("37" for 28 of 76); 0 when total is 0. */
int figures_percent(int part, int total);

/* The contract's reporting year: the one the coordination chose (contract.reporting_year, set
 * with the contract's edit form: contract_update), else
 * the computed default: the last year in which a strict majority of the actions that exist that
 * year have a status (a campaign that is done, not one carrier's early entry); else the last
 * year with any status; 0 when the contract has none. *chosen (may be NULL) tells which. */
int figures_reporting_year(struct store *db, long long contract_id, int *year,
                           bool *chosen) MUST_CHECK;
/* The computed default alone (see figures_reporting_year). */
int figures_default_year(struct store *db, long long contract_id, int *year) MUST_CHECK;
/* How a document names the carriers of an action (names[i] of organisation type types[i], in
 * naming order): one name alone; several intercommunalities as "4 intercommunalités : A, B, C
 * et D" (the source's "4 EPCI", never printed as the first one alone); others as "A, B et C".
 * NULL when n is 0. In the arena. */
const char *figures_carriers_label(struct arena *a, const char *const *names,
                                   const char *const *types, int n);

/* Records where an action, or the signatory at position in a contract's signature block, was
 * taken from ("Rapport d'évaluation du CLS 2, annexe 8 (ligne 2930)"): data in French, shown as
 * a discreet "Source" line, never as a note. */
int figures_action_source(struct store *db, long long action_id, const char *ref) MUST_CHECK;
int figures_signatory_source(struct store *db, long long contract_id, int position,
                             const char *ref) MUST_CHECK;

/* A figure a source document states (table source_figure). */
struct source_figure {
    const char *metric; /* "done", "abandoned", "remaining", "total" */
    int value, share;   /* actions and percent; -1 when the source gives none */
    const char *source; /* "Rapport d'évaluation du CLS 2, ligne 429" */
};

/* The source figures of a year, in recording order; array in the arena. */
int figures_source_list(struct store *db, struct arena *a, long long contract_id, int year,
                        struct source_figure **out, int *n) MUST_CHECK;
/* Records a source figure (share -1: none). */
int figures_source_add(struct store *db, long long contract_id, int year,
                       const struct source_figure *f) MUST_CHECK;

#endif
