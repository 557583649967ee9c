/* opendata.h — what a contract publishes as open data: its actions (with the year each starts to
 * exist, figures.h's rule), the status of each action in each year, its indicators and their
 * values; only what its public pages show (remarks only when the contract makes them public).
 * Statuses come from action_status_grid, the grid every count is made from, so that a count
 * made from the published rows equals the dashboard's. */
#ifndef MODEL_OPENDATA_H
#define MODEL_OPENDATA_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/contract.h"
#include "model/core/status.h"

struct od_action {
    long long id;
    char *code, *kind, *title, *objective_code, *objective_title, *axis_code, *axis_title;
    char *carrier; /* the lead carrier's name in the directory, else the carrier as written */
    int first_year;
};

struct od_status {
    long long action_id;
    int year;
    enum status status;
    char *remarks; /* "" when the contract keeps remarks private */
    bool correction;
};

struct od_indicator {
    long long id, action_id, objective_id; /* one of action_id, objective_id is 0 */
    char *name, *kind, *unit, *frequency;
    bool has_baseline, has_target;
    double baseline, target;
};

struct od_value {
    long long indicator_id;
    char *period;
    double value;
};

struct opendata {
    struct contract contract;
    bool with_remarks;
    struct od_action *actions;
    int n_actions;
    struct od_status *statuses;
    int n_statuses;
    struct od_indicator *indicators;
    int n_indicators;
    struct od_value *values;
    int n_values;
};

/* Reads what contract_id publishes; ERR_NOTFOUND for an unknown contract. Arrays in the arena. */
int opendata_read(struct store *db, struct arena *a, long long contract_id,
                  struct opendata *out) MUST_CHECK;

#endif
