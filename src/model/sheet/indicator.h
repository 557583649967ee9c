/* indicator.h — indicators of actions and objectives (process or result; unit, baseline,
 * target, how, by whom and how often they are collected) and their values per period, appended
 * with a source and a comment, never overwritten: the value of a period is its latest row.
 * Changes are audited on the action or objective the indicator belongs to. */
#ifndef MODEL_INDICATOR_H
#define MODEL_INDICATOR_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

/* The value of one period (its latest row). */
struct indicator_value {
    long long id, account_id; /* account 0: an import (recorded_by names the source) */
    char *period;             /* "2023", "2023-06" or "2023-06-30" */
    double value;
    char *source, *comment, *recorded_at, *recorded_by;
};

struct indicator {
    long long id, contract_id, action_id, objective_id; /* one of action_id, objective_id is 0 */
    char *name, *kind, *unit, *method, *collected_by, *frequency, *created_at;
    bool has_baseline, has_target;
    double baseline, target;
    int position, version;
    bool archived;
    /* Where it belongs, for lists and roll-ups: the action's code and title, or the
     * objective's. */
    char *owner_code, *owner_title;
    struct indicator_value *values; /* latest row of each period, periods ascending */
    int n_values;
};

/* What a form or the API sets. */
struct indicator_edit {
    const char *name, *kind, *unit, *method, *collected_by, *frequency;
    bool has_baseline, has_target;
    double baseline, target;
};

/* "process" → "Processus", "result" → "Résultat". */
const char *indicator_kind_label(const char *kind);
/* A number as people read it: no decimals when whole, a decimal comma otherwise ("14,506"). */
const char *indicator_number(struct arena *a, double v);
/* Reads a number typed with a comma or a dot ("14,5", "1 200"); blank gives *has false. */
int indicator_parse_number(const char *s, double *out, bool *has) MUST_CHECK;
/* Reads a period: "AAAA", "MM/AAAA", "JJ/MM/AAAA" or ISO, into ISO (see sheet_parse_date). */
int indicator_parse_period(const char *s, char out[11]) MUST_CHECK;

/* The indicators of an action / of an objective (archived ones only when asked), in order,
 * each with its values. Arrays in the arena. */
int indicator_list_action(struct store *db, struct arena *a, long long action_id,
                          bool with_archived, struct indicator **out, int *n) MUST_CHECK;
int indicator_list_objective(struct store *db, struct arena *a, long long objective_id,
                             bool with_archived, struct indicator **out, int *n) MUST_CHECK;
/* The active indicators of the active actions under an objective (itself and every objective
 * below it), in contract order: the objective page's roll-up. */
int indicator_rollup(struct store *db, struct arena *a, long long objective_id,
                     struct indicator **out, int *n) MUST_CHECK;
/* Every active indicator of a contract (of its actions and objectives), in contract order. */
int indicator_list_contract(struct store *db, struct arena *a, long long contract_id,
                            struct indicator **out, int *n) MUST_CHECK;
/* True when value reaches the indicator's target: at or above it, or at or below it when the
 * target is below the baseline (a decrease to reach). False without a target. The one rule of
 * the final evaluation and the regional view. */
bool indicator_reached(const struct indicator *x, double value);
/* One indicator with its values; ERR_NOTFOUND when none. */
int indicator_get(struct store *db, struct arena *a, long long id,
                  struct indicator *out) MUST_CHECK;

/* Checks an indicator: name required, kind process or result, texts not too long. */
void indicator_check(const struct indicator_edit *e, struct problems *p);
/* Adds an indicator to an action (objective_id 0) or to an objective (action_id 0); *id gets
 * its id. ERR_INVALID when the edit is wrong or the owner is not active. */
int indicator_add(struct store *db, const struct actor *who, long long action_id,
                  long long objective_id, const struct indicator_edit *e,
                  long long *id) MUST_CHECK;
/* Saves an indicator if it is still at version. */
int indicator_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct indicator_edit *e) MUST_CHECK;
/* Archives (or restores) an indicator: it leaves the lists, validation and roll-ups. */
int indicator_archive(struct store *db, const struct actor *who, long long id, int version,
                      bool archived) MUST_CHECK;
/* Records the value of a period (period from indicator_parse_period), with its source and a
 * comment; *added false when the latest value of that period already says exactly the same. */
int indicator_value_add(struct store *db, const struct actor *who, long long id,
                        const char *period, double value, const char *source,
                        const char *comment, bool *added) MUST_CHECK;

/* Inserts an indicator / a value inside the caller's transaction without audit (imports, the
 * demo): recorded_by names the source. */
int indicator_create(struct store *db, long long contract_id, long long action_id,
                     long long objective_id, const struct indicator_edit *e,
                     long long *id) MUST_CHECK;
int indicator_value_create(struct store *db, long long id, const char *period, double value,
                           const char *source, const char *comment,
                           const char *recorded_by) MUST_CHECK;

#endif
