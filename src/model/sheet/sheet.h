/* sheet.h — the standard action sheet: what an action is for, whom and where it reaches, its
 * type, rhythm, dates, budget and funders (DOMAIN.md, questionnaire of annex 7); its state
 * (draft → validated → closed), priority and place in the yearly plan; promotion of a lead to a
 * sheet; the coordinator's list of sheets missing something; the workload of a contract.
 * Writes are audited and version-checked like editing.h's (the action's version). */
#ifndef MODEL_SHEET_H
#define MODEL_SHEET_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"
#include "model/sheet/sheet_lists.h"

enum { SHEET_MAX_CHOICES = 24, SHEET_MAX_FUNDERS = 16, SHEET_MAX_AREAS = 256 };

/* A funder of an action: a key of sheet_funders, or "" with a free name; amount in cents, -1
 * when unknown. */
struct sheet_funder {
    const char *funder, *name;
    long long amount;
};

/* Every field of a sheet. Dates are ISO with the precision given ("2019", "2019-05",
 * "2019-05-06") or ""; budgets in cents, -1 when unknown. Strings are never NULL once read. */
struct sheet {
    const char *description, *objectives, *target_public, *rhythm;
    bool whole_territory;
    const char *planned_start, *planned_end, *actual_start, *actual_end;
    long long planned_budget, actual_budget;
    const char *priority; /* "high", "normal", "low" */
    const char *state;    /* "draft", "validated", "closed" (not changed by sheet_update) */
    const char *choices[SHEET_CHOICE_LISTS][SHEET_MAX_CHOICES]; /* keys, per sheet_choice_lists */
    int n_choices[SHEET_CHOICE_LISTS];
    struct sheet_funder funders[SHEET_MAX_FUNDERS];
    int n_funders;
    const char *areas[SHEET_MAX_AREAS]; /* codes of territory_area (communes, EPCIs) */
    int n_areas;
};

/* The action of a contract whose slug (the stable id of an import) is slug; ERR_NOTFOUND. */
int sheet_action_by_slug(struct store *db, long long contract_id, const char *slug,
                         long long *id) MUST_CHECK;
/* An empty sheet (priority normal, state draft, budgets unknown). */
void sheet_init(struct sheet *s);
/* The sheet of an action; strings in the arena. ERR_NOTFOUND when there is no such action. */
int sheet_get(struct store *db, struct arena *a, long long action_id,
              struct sheet *out) MUST_CHECK;

/* Reads a date of a sheet as people type it: "AAAA", "MM/AAAA", "JJ/MM/AAAA" or the ISO forms
 * "AAAA-MM", "AAAA-MM-JJ" into out as ISO with that precision; blank gives "". ERR_INVALID when
 * it is none of these or not a real date (years 1990–2100). */
int sheet_parse_date(const char *s, char out[11]) MUST_CHECK;
/* Reads an amount in euros ("1 234,56", "1234.5", "1 234 €") into cents; blank gives -1.
 * ERR_INVALID for anything else or more than a billion euros. */
int sheet_parse_amount(const char *s, long long *cents) MUST_CHECK;
/* A date of a sheet as people read it: "2019" → "2019", "2019-05" → "mai 2019",
 * "2019-05-06" → "06/05/2019"; in the arena (or s itself). */
const char *sheet_date_text(struct arena *a, const char *iso);
/* An amount in cents as "1 234,56 €" (no cents when whole: "1 234 €"); "" for -1. */
const char *sheet_amount_text(struct arena *a, long long cents);
/* French labels: "Haute", "Normale", "Basse"; "Brouillon", "Validée", "Close". */
const char *sheet_priority_label(const char *priority);
const char *sheet_state_label(const char *state);

/* Checks a sheet for an action of territory_id: known keys, real dates with the end not before
 * the start, amounts, funders named, areas of the territory, texts not too long. */
void sheet_check(struct store *db, long long territory_id, const struct sheet *s,
                 struct problems *p);
/* Saves every field of s but the state if the action is still at version; bumps it and audits
 * each changed field. ERR_INVALID (see sheet_check), ERR_NOTFOUND, ERR_CONFLICT or ERR_DB. */
int sheet_update(struct store *db, const struct actor *who, long long action_id, int version,
                 const struct sheet *s) MUST_CHECK;

/* Writes every field of s, its state included, inside the caller's transaction and without
 * audit rows: for imports and the demo, which record where their data come from. The caller
 * checks s first (sheet_check). */
int sheet_import(struct store *db, long long action_id, const struct sheet *s) MUST_CHECK;

/* Why a sheet cannot be validated, in French, or NULL when it can: a lead cannot (promote it
 * first); a sheet needs at least one result indicator with a target. */
int sheet_validation_problem(struct store *db, long long action_id, const char **why) MUST_CHECK;
/* Moves a sheet to state ("draft", "validated", "closed"): validated only when
 * sheet_validation_problem finds nothing, closed only from validated. ERR_INVALID with *why set
 * (French) when refused; ERR_CONFLICT when the action is no longer at version. */
int sheet_set_state(struct store *db, const struct actor *who, long long action_id, int version,
                    const char *state, const char **why) MUST_CHECK;
/* The next free sheet code of an objective: its code followed by ".N", N one more than the
 * highest used by an action of the contract under that code ("1.2" → "1.2.3"). ERR_INVALID when
 * the objective has no code. */
int sheet_next_code(struct store *db, struct arena *a, long long objective_id,
                    const char **code) MUST_CHECK;
/* Makes a lead a sheet with the next free code of its objective (*code gets it), audited as a
 * promotion. ERR_INVALID with *why when it is not a lead or its objective has no code. */
int sheet_promote(struct store *db, struct arena *a, const struct actor *who, long long action_id,
                  int version, const char **code, const char **why) MUST_CHECK;

/* Sets the priority of an action (audited; statuses-like: the version is not changed). */
int sheet_set_priority(struct store *db, const struct actor *who, long long action_id,
                       const char *priority) MUST_CHECK;
/* The ids of the actions in the plan of year, in contract order; array in the arena. */
int sheet_plan_ids(struct store *db, struct arena *a, long long contract_id, int year,
                   long long **ids, int *n) MUST_CHECK;
/* The years whose plan holds the action, ascending, at most max. */
int sheet_plan_years(struct store *db, long long action_id, int *years, int max,
                     int *n) MUST_CHECK;
/* A priority to set on an action (with the plan, in one transaction). */
struct sheet_priority {
    long long id;
    const char *priority;
};
/* Makes the plan of year exactly ids (actions of the contract) and sets the priorities given,
 * in one transaction, auditing each action added to or removed from the plan and each priority
 * changed. ERR_INVALID when an id is not an active action of the contract or a priority is not
 * high, normal or low. */
int sheet_plan_set(struct store *db, const struct actor *who, long long contract_id, int year,
                   const long long *ids, int n, const struct sheet_priority *prios,
                   int n_prios) MUST_CHECK;

/* What a sheet lacks (the coordinator's list). */
struct sheet_gaps {
    long long id;
    const char *code, *title, *state;
    bool no_result_indicator, no_target, no_carrier, no_dates;
};
/* Every active sheet (kind sheet, not archived) of a contract that lacks a result indicator,
 * a target on its result indicators, a carrier, or its planned dates, in contract order;
 * *total gets the number of active sheets. Arrays in the arena. */
int sheet_gaps_list(struct store *db, struct arena *a, long long contract_id,
                    struct sheet_gaps **out, int *n, int *total) MUST_CHECK;

/* The dates, priority and state of each active action of a contract (for the Gantt chart). */
struct sheet_dates {
    long long id;
    const char *planned_start, *planned_end, *actual_start, *actual_end, *priority, *state;
};
int sheet_dates_list(struct store *db, struct arena *a, long long contract_id,
                     struct sheet_dates **out, int *n) MUST_CHECK;

/* How much a contract asks of its coordination. active: actions not archived, not closed
 * (sheet state) and whose latest status is neither done and closed nor abandoned. fte 0 when
 * unknown; threshold: active actions per FTE above which the contract home warns. */
struct workload {
    int active, version;
    double fte, threshold;
};
int sheet_workload(struct store *db, long long contract_id, struct workload *out) MUST_CHECK;
/* True when the figure passes the threshold (an unknown FTE never warns). */
bool sheet_workload_exceeded(const struct workload *w);
/* Sets the FTE and threshold inside the caller's transaction, without audit (the demo). */
int sheet_workload_import(struct store *db, long long contract_id, double fte,
                          double threshold) MUST_CHECK;
/* Sets the coordinator's FTE (0: unknown) and the threshold (audited on the contract).
 * ERR_INVALID when fte is not in 0–20 or threshold not in 1–1000. */
int sheet_workload_set(struct store *db, const struct actor *who, long long contract_id,
                       double fte, double threshold) MUST_CHECK;

#endif
