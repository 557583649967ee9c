/* action.h — action sheets and leads, their organisations and their yearly status history. */
#ifndef MODEL_ACTION_H
#define MODEL_ACTION_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/status.h"

/* An organisation's part in an action. role: "carrier", "co_carrier" or "partner". */
struct action_org {
    long long id;
    char *name, *type, *role;
};

/* One recorded status: rows are appended, the latest row of a year is that year's status. */
struct status_entry {
    long long id;
    long long account_id; /* the account that recorded it; 0 for an import (recorded_by is then
                           * the source document, else the person's name) */
    int year;
    enum status status;
    char *as_written, *remarks, *recommendations, *recorded_at, *recorded_by;
    bool correction; /* written after the close of that year's campaign (migration 012) */
};

struct action {
    long long id, contract_id, objective_id;
    char *slug, *kind, *code, *title, *carrier_label, *notes, *created_at;
    int position;
    /* Filled by action_list and action_get: */
    char *objective_code, *objective_title;
    long long carrier_id; /* lead carrier, 0 when none */
    char *carrier_name, *carrier_type;
    enum status status; /* status in the year asked for, ST_NONE if none */
    char *remarks;      /* remarks of that status, "" if none */
    int first_year;     /* the year it starts to exist (figures_first_year), 0 if unknown */
    char *source_ref;   /* where it was taken from ("" when entered here) */
    /* Filled by action_get only: */
    struct action_org *orgs;
    int n_orgs;
    struct status_entry *history; /* every row, by year then order of recording */
    int n_history;
};

/* Filters of the action list; zero/NULL fields do not filter. */
struct action_filter {
    long long contract_id; /* required */
    int year;              /* the year whose status is shown and filtered on; 0: none */
    long long strategic_id, specific_id, operational_id, carrier_id;
    const char *kind;        /* "sheet" or "lead" */
    const char *status;      /* a status key, "done_any" (the three kinds of done) or "none" */
    const char *carrier_type; /* an organisation type key */
    bool no_carrier;
    const char *text; /* free text, matched without case or accents in code, title, carrier */
    const char *sort; /* "code" (default, contract order), "title", "carrier", "status" */
    bool desc;
    int plan_year; /* only the actions in the yearly plan of that year (sheet.h); 0: any */
};

/* "sheet" → "Fiche action", "lead" → "Piste d'action". */
const char *action_kind_label(const char *kind);

/* The actions of a contract that pass the filter, sorted; array in the arena. */
int action_list(struct store *db, struct arena *a, const struct action_filter *f,
                struct action **out, int *n) MUST_CHECK;
/* One action with its organisations and whole status history; status/remarks for year (0 =
 * the latest year recorded). ERR_NOTFOUND if none. */
int action_get(struct store *db, struct arena *a, long long id, int year,
               struct action *out) MUST_CHECK;

/* Inserts an action (kind, title, contract and objective required); *id gets the new id. */
int action_create(struct store *db, const struct action *x, long long *id) MUST_CHECK;
/* Links an organisation to an action in a role; an existing link is kept as it is. */
int action_link_organisation(struct store *db, long long action_id, long long organisation_id,
                             const char *role, int position) MUST_CHECK;
/* Appends a status row for (action, year) unless the latest one already says exactly the same;
 * *added tells which. */
int action_record_status(struct store *db, long long action_id, int year, enum status status,
                         const char *as_written, const char *remarks, const char *recommendations,
                         const char *recorded_by, bool *added) MUST_CHECK;

/* Number of actions of a contract per year and status, the latest row of each year counting:
 * counts[y][s] for years[y]; years ascending; at most max_years. */
int action_status_counts(struct store *db, long long contract_id, int *years,
                         int counts[][ST_COUNT], int max_years, int *n_years) MUST_CHECK;
/* Number of actions of a contract, whatever their status. */
int action_count(struct store *db, long long contract_id, int *n) MUST_CHECK;

/* One action as the dashboard counts it: where it sits, who carries it, its status each year. */
struct action_brief {
    long long id, objective_id, carrier_id; /* carrier_id: lead carrier, 0 when none */
    char *kind, *code, *title, *carrier_label, *carrier_type;
    enum status *statuses; /* statuses[y] for years[y] of action_status_grid, ST_NONE if none */
    int first_year;        /* the year it starts to exist (figures.h), from every status row */
};

/* Every action of a contract in contract order with its lead carrier, and its status in each
 * year that has at least one (the latest row of a year counting): two queries, no per-action
 * subquery. years ascending, at most max_years (the latest kept); arrays in the arena. */
int action_status_grid(struct store *db, struct arena *a, long long contract_id, int *years,
                       int max_years, int *n_years, struct action_brief **out,
                       int *n) MUST_CHECK;

/* One action an organisation carries or co-carries, for its "Mes actions" page. */
struct carried_action {
    long long id, contract_id;
    char *code, *title, *kind, *role; /* role: "carrier" (lead) or "co_carrier" */
    enum status status;                /* status in the year asked for, ST_NONE if none */
    int indicators, missing_values;    /* active indicators; those without a value that year */
};
/* The active actions organisation_id carries or co-carries (in contract_id, or in every
 * contract when 0), in contract order, with what year still lacks; array in the arena. */
int action_list_carried(struct store *db, struct arena *a, long long organisation_id,
                        long long contract_id, int year, struct carried_action **out,
                        int *n) MUST_CHECK;

#endif
