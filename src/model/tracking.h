/* tracking.h — the tracking table of the yearly reports (annex 5 of the evaluation report): one
 * row per action with its operational objective, sheet code or "Piste", carrier, status of one
 * year, remarks and recommendations. Reading rows into a contract (every row validated before
 * anything is written, then one transaction) and producing a contract's rows. Knows nothing of
 * CSV or any other file format: callers turn files into rows and rows into files. */
#ifndef MODEL_TRACKING_H
#define MODEL_TRACKING_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

/* The columns of the table, in the report's order. */
enum tracking_column {
    TRK_OBJECTIVE_CODE,
    TRK_OBJECTIVE,
    TRK_ACTION,
    TRK_SHEET,
    TRK_CARRIER,
    TRK_STATUS,
    TRK_REMARKS,
    TRK_RECOMMENDATIONS,
    TRK_COLUMNS
};

/* The headers written on export, in column order: "code_objectif", "objectif", "action",
 * "fiche", "porteur", "etat", "remarques", "preconisations". */
extern const char *const tracking_headers[TRK_COLUMNS];

/* The "fiche" cell of a lead. */
#define TRACKING_LEAD "Piste"

/* One row: cells in column order, never NULL (empty cells are ""). line is the record number
 * as a spreadsheet shows it (the header is line 1). */
struct tracking_row {
    int line;
    const char *cells[TRK_COLUMNS];
};

/* One problem found in a table: line and 0-based file column (-1: the whole row), reason in
 * French. */
struct tracking_error {
    int line, column;
    char *reason;
};

/* What an import did or found. Errors are in line order; everything is in the caller's arena. */
struct tracking_result {
    long long contract_id; /* the contract imported into (the new one with new_title) */
    int rows, actions_created, statuses_recorded, unchanged;
    int carriers_changed, organisations_created, objectives_created;
    struct tracking_error *errors;
    int n_errors, cap_errors;
};

/* Where the header record places each column. */
struct tracking_header {
    int col[TRK_COLUMNS]; /* 0-based index in the file of each column */
};

/* Reads the header record (n names): each column is recognised without case or accents, with
 * spaces or '-' for '_' ("Code objectif", "État", "Préconisations"); other columns are ignored.
 * A missing or repeated column is added to res->errors; returns ERR_INVALID when there is one. */
int tracking_read_header(const char *const *names, int n, int line, struct tracking_header *h,
                         struct arena *a, struct tracking_result *res) MUST_CHECK;

/* "A" for column 0, "B", … "Z", "AA"…: the letter a spreadsheet shows. out holds 8 bytes. */
void tracking_column_letter(int column, char out[8]);
/* Formats an error as "line N, column C: reason" (C: the column letter), in the arena. */
char *tracking_error_text(const struct tracking_error *e, struct arena *a);

/* What to import into. */
struct tracking_import {
    long long contract_id; /* the existing contract, or 0 with new_title */
    /* With new_title: creates the territory called territory (if needed), a contract with that
     * title and the objective tree found in the table: an objective code like "1.1" becomes an
     * operational objective under the specific objective "1" ("Objectif spécifique 1"), itself
     * under one strategic objective "Axe 1"; an operational objective without a code goes
     * under the specific objective of the row above it. */
    const char *new_title, *territory;
    int year;                /* the year of the statuses */
    const char *recorded_by; /* who records the statuses (shown in the history) */
};

/* Imports rows (data only, no header; h from tracking_read_header). Every row is checked
 * first: an unknown objective code, an empty action title, a sheet code that is not one, an
 * unknown status, remarks without a status, a sheet code given twice for one objective, invalid
 * UTF-8, a new contract that exists already or has no row. Any error: ERR_INVALID, every error
 * in res->errors, nothing written. Otherwise, in one transaction: finds each action by
 * (objective, sheet code) or, for leads and rows without a code, by (objective, title) — rows
 * take the actions with one key in contract order, so a title written twice is two actions —
 * creating those not found; finds the carrier by organisation name, acronym or alias
 * (creating it, type "other", when none matches) and makes it the action's carrier when it is
 * not already (a blank carrier cell changes nothing; a cell equal to the action's carrier as
 * written neither); records the status of the year unless the latest one already says the
 * same. A database error rolls everything back and is returned, with one error in res. */
int tracking_import(struct store *db, struct arena *a, const struct tracking_import *opt,
                    const struct tracking_row *rows, int n, const struct tracking_header *h,
                    struct tracking_result *res) MUST_CHECK;

/* One action of a contract as export and import see it: its carrier is the first carrier
 * organisation (carrier_id 0 and carrier_name "" when none), status, remarks and
 * recommendations those of the latest status of the year asked ("" when none). */
struct tracking_action {
    long long id, objective_id, carrier_id;
    int position;
    char *kind, *code, *title, *carrier_label, *objective_code, *objective_title, *carrier_name;
    char *status, *remarks, *recommendations;
    int first_year; /* the year it starts to exist (figures.h) */
};

/* The actions of a contract in contract order (year 0: no status), archived ones left out: they
 * are not exported, and an import never matches one (its row makes a new action). Array and
 * strings in the arena. */
int tracking_load_actions(struct store *db, struct arena *a, long long contract_id, int year,
                          struct tracking_action **out, int *n) MUST_CHECK;

/* The rows of a contract in contract order for year (0: the latest year with a status; *used
 * gets the year used, 0 when the contract has no status at all): objective code and title of
 * the action's objective, title, sheet code or "Piste", carrier organisation name (or the
 * carrier as written when it has none), status as its French label (status_label, "" when none
 * that year), remarks, recommendations. Array and strings in the arena; line = 2, 3, … */
int tracking_rows(struct store *db, struct arena *a, long long contract_id, int year,
                  struct tracking_row **out, int *n, int *used) MUST_CHECK;

#endif
