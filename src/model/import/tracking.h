/* tracking.h — the tracking table of the yearly reports (annex 5 of the evaluation report): one
 * row per action with its operational objective, sheet code or "Piste", carrier, status of one
 * year, remarks and recommendations. Reading rows into a contract (every row validated before
 * anything is written, then one transaction) and producing a contract's rows. Knows nothing of
 * CSV or any other file format: callers turn files into rows and rows into files. */
#ifndef MODEL_TRACKING_H
#define MODEL_TRACKING_H

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

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
    /* Every table has the columns above, and the export writes them; the strategy tree's upper
     * levels are optional: they name the axis and the specific objective of a new contract's
     * operational objectives (a table without them gets "Axe 1" and "Objectif spécifique 1"). */
    TRK_REQUIRED,
    TRK_AXIS_CODE = TRK_REQUIRED,
    TRK_AXIS,
    TRK_SPECIFIC_CODE,
    TRK_SPECIFIC,
    TRK_COLUMNS
};

/* The headers, in column order: "code_objectif", "objectif", "action", "fiche", "porteur",
 * "etat", "remarques", "preconisations" (written on export), then the optional "code_axe",
 * "axe", "code_objectif_specifique", "objectif_specifique". */
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
    int statuses_kept, rows_refused; /* choices of the plan: entries kept, rows left out */
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
     * title and the objective tree found in the table: each row's operational objective goes
     * under the specific objective its code_objectif_specifique names (else the first part of
     * its code: "1" for "1.1"), under the axis its code_axe / axe name (else one "Axe 1"),
     * titled by the table's axe / objectif_specifique cells (else "Objectif spécifique 1"); an
     * operational objective without a code goes under the specific objective of the row above
     * it. Tree cells must agree with the tree (one title per code, one axis per specific
     * objective), in an existing contract too. */
    const char *new_title, *territory;
    int year;                /* the year of the statuses */
    const char *recorded_by; /* who records the statuses (shown in the history) */
    long long account_id;    /* the account importing (0: the command line); a status of the
                              * year written by another account is flagged in the plan */
    /* Rows the coordinator attached to an existing action instead of creating one (the
     * choices of tracking_plan's new actions): the row of line updates action_id. */
    const struct tracking_link *links;
    int n_links;
};

struct tracking_link {
    int line;
    long long action_id;
};

/* Imports rows with the default choices of their plan (tracking_plan then tracking_apply).
 * Rows are data only, no header; h from tracking_read_header. Every row is checked
 * first: an unknown objective code, an empty action title, a sheet code that is not one, an
 * unknown status, remarks without a status, a sheet code given twice for one objective, invalid
 * UTF-8, a new contract that exists already or has no row, two rows naming one action. Any
 * error: ERR_INVALID, every error in res->errors, nothing written. Otherwise, in one
 * transaction: finds each action by (objective, sheet code) or, for leads and rows without a
 * code, by (objective, title ignoring case, accents, blanks and punctuation) — when the
 * contract has several actions with one key, rows take them in contract order — creating those
 * not found; finds the carrier by organisation name, acronym or alias (same normalisation, and
 * without blanks: "CD 55" is "CD55"), else reads it as the closest organisation when that one
 * is nearly the same name, else creates it (type "other"), and makes it the action's carrier
 * when it is not already (a blank carrier cell changes nothing; a cell equal to the action's
 * carrier as written neither); records the status of the year unless the latest one already
 * says the same, or was written by another account (kept). A database error rolls everything back and is returned, with one error in res. */
int tracking_import(struct store *db, struct arena *a, const struct tracking_import *opt,
                    const struct tracking_row *rows, int n, const struct tracking_header *h,
                    struct tracking_result *res) MUST_CHECK;

/* ---- the plan: every change an import would make, shown and confirmed before writing ---- */

enum { TRACKING_PROPOSALS = 3, TRACKING_STRONG = 90 };

/* An existing organisation or action proposed for a name the table writes; score 0–100
 * (tracking_similarity), best first. */
struct tracking_proposal {
    long long id;
    const char *label;
    int score;
};

/* A carrier name no organisation of the directory has (name, acronym or alias, ignoring case,
 * accents, blanks and punctuation): created, or read as one of the proposals. */
struct tracking_new_org {
    const char *name; /* as the first row writes it */
    int line, n_rows; /* first row naming it, rows naming it */
    struct tracking_proposal proposals[TRACKING_PROPOSALS];
    int n_proposals;
    long long choice; /* 0: create it; else the id of one of the proposals. Default: the first
                       * proposal when its score is TRACKING_STRONG or more, else 0 */
};

/* A row whose action the contract does not have (same objective, same sheet code or, without
 * code, same title ignoring case, accents, blanks and punctuation). */
struct tracking_new_action {
    int line;
    const char *title, *objective_code, *code; /* code: sheet code, "Piste" or "" */
    struct tracking_proposal proposals[TRACKING_PROPOSALS]; /* the contract's closest titles */
    int n_proposals;
    bool refuse; /* in: true leaves the row out (nothing of it is written) */
};

/* An existing action whose carrier the row changes. new_org >= 0: the carrier is the new
 * organisation new_orgs[new_org] (what it becomes depends on that choice). */
struct tracking_carrier_change {
    int line, new_org;
    long long action_id, old_id, new_id; /* old_id 0: no carrier organisation */
    const char *action, *old_name, *new_name;
};

/* A status of the year the row replaces as the action's current one (the old entry stays in the
 * history). by_other: written by an account other than the importing one (a carrier…). */
struct tracking_status_change {
    int line;
    long long action_id;
    const char *action, *old_status, *old_by, *old_at, *new_status;
    bool by_other;
    bool keep; /* in: true keeps the old entry and ignores the row's status, remarks and
                * recommendations. Default: by_other */
};

/* Everything an import would do, in the arena. fingerprint identifies the plan (the rows and the
 * database it was computed on, and the attached rows): a plan shown, then confirmed, is applied
 * only if the fingerprint is unchanged. */
struct tracking_plan {
    int rows, unchanged, statuses_added;
    struct tracking_new_action *actions;
    int n_actions;
    struct tracking_new_org *orgs;
    int n_orgs;
    struct tracking_carrier_change *carriers;
    int n_carriers;
    struct tracking_status_change *statuses; /* replaced ones */
    int n_statuses;
    char fingerprint[17];
};

/* Checks every row (as tracking_import) and computes the plan with its default choices, writing
 * nothing. Two rows naming the same action (after normalisation, or through links) are an
 * error naming both lines. ERR_INVALID with every error in res. */
int tracking_plan(struct store *db, struct arena *a, const struct tracking_import *opt,
                  const struct tracking_row *rows, int n, const struct tracking_header *h,
                  struct tracking_plan *plan, struct tracking_result *res) MUST_CHECK;

/* What tracking_apply reads of a confirmed plan, copied into a: its counts, fingerprint and the
 * coordinator's choices (organisation chosen, status kept, action refused); names and proposals
 * are left out (NULL, none). The arena p was computed in can then be freed before applying: for
 * a large table it holds an index of every row, and the apply pass builds its own. */
void tracking_plan_choices(const struct tracking_plan *p, struct arena *a,
                           struct tracking_plan *out);

/* Applies confirmed (a plan of tracking_plan with the coordinator's choices) in one
 * transaction: computes the plan again on the same rows; a different fingerprint (the data
 * changed since the preview) is ERR_CONFLICT with one error and nothing written; a choice that
 * is not one of the proposals is ERR_INVALID. Records every change in the audit log as
 * opt->recorded_by (account opt->account_id). Counts in res. */
int tracking_apply(struct store *db, struct arena *a, const struct tracking_import *opt,
                   const struct tracking_row *rows, int n, const struct tracking_header *h,
                   const struct tracking_plan *confirmed, struct tracking_result *res) MUST_CHECK;

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
