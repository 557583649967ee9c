/* report.h — what the yearly execution report (bilan d'exécution, annex 5 of the evaluation
 * report) holds besides the tracking table: the beneficiary block, the ARS conventions, the
 * narrative texts the coordination writes for each year (Markdown, every version kept), and
 * everything gathered for one contract and one year, ready for a document format to lay out. */
#ifndef MODEL_REPORT_H
#define MODEL_REPORT_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/governance/meeting.h"
#include "model/plan/objective.h"
#include "model/core/status.h"
#include "model/import/tracking.h"

/* The narrative sections of a year, in the order of the report. RS_OBJECTIVE is one text per
 * specific objective; RS_PERSON is one line (the project lead of that year). */
enum report_section {
    RS_CONTEXT,
    RS_MISSIONS,
    RS_GOVERNANCE,
    RS_COMMUNICATION,
    RS_OBJECTIVE,
    RS_COMMUNICATION_DONE,
    RS_NEW_ACTIONS,
    RS_CONCLUSION,
    RS_PERSON,
    RS_COUNT
};

/* "context", "missions", … as stored; NULL out of range. */
const char *report_section_key(enum report_section s);
/* The section whose key is key, or -1. */
int report_section_from_key(const char *key);
/* French name of a section for forms ("Contexte", "Missions réalisées"…). */
const char *report_section_label(enum report_section s);

enum { REPORT_TEXT_MAX = 100000, REPORT_FIELD_MAX = 300 };

/* The beneficiary block; every field "" when none was recorded (version 0). */
struct report_identity {
    char *beneficiary, *siret, *address, *person_in_charge, *phone, *email;
    int version;
};

int report_identity_get(struct store *db, struct arena *a, long long contract_id,
                        struct report_identity *out) MUST_CHECK;
/* Saves the block (creating it when needed), auditing each changed field, in the caller's
 * transaction. Fields longer than REPORT_FIELD_MAX or not UTF-8 are refused (ERR_INVALID). */
int report_identity_save(struct store *db, const struct actor *who, long long contract_id,
                         const struct report_identity *in) MUST_CHECK;

/* A financing convention: number ("" when unknown) and its whole period (ISO days). */
struct report_convention {
    long long id;
    char *number, *start_on, *end_on;
};

/* The conventions of a contract by start date; array in the arena. */
int report_conventions(struct store *db, struct arena *a, long long contract_id,
                       struct report_convention **out, int *n) MUST_CHECK;
/* The convention whose period holds year (the latest starting one when several); ERR_NOTFOUND
 * when none. */
int report_convention_of_year(struct store *db, struct arena *a, long long contract_id, int year,
                              struct report_convention *out) MUST_CHECK;
/* Records a convention (start_on <= end_on, ISO days); *id gets its id (may be NULL). */
int report_convention_add(struct store *db, long long contract_id, const char *number,
                          const char *start_on, const char *end_on, long long *id) MUST_CHECK;
/* Changes the number and period of a convention of that contract; ERR_NOTFOUND if none. */
int report_convention_update(struct store *db, long long contract_id, long long id,
                             const char *number, const char *start_on,
                             const char *end_on) MUST_CHECK;

/* One narrative text in force (the latest version of its section). */
struct report_text {
    enum report_section section;
    long long objective_id; /* RS_OBJECTIVE only, else 0 */
    char *body, *recorded_at, *recorded_by;
};

/* The texts in force for a year, in section order; array in the arena. */
int report_texts(struct store *db, struct arena *a, long long contract_id, int year,
                 struct report_text **out, int *n) MUST_CHECK;
/* Appends a version of a text unless the one in force says exactly the same (*added tells;
 * may be NULL); objective_id must be a specific objective of the contract for RS_OBJECTIVE, 0
 * otherwise. Runs in the caller's transaction. ERR_INVALID: too long, not UTF-8, bad section
 * or objective. */
int report_text_save(struct store *db, const struct actor *who, long long contract_id, int year,
                     enum report_section section, long long objective_id, const char *body,
                     bool *added) MUST_CHECK;

/* One row of the year's per-action table. */
struct report_action {
    const struct tracking_action *x; /* code, title, carrier, remarks… of the year */
    enum status status;              /* ST_NONE: no status that year */
    int specific, operational;       /* indices in report.objs, -1 when none */
    bool is_new;                     /* first listed this year (not in the first year) */
    const char *carriers; /* every carrier named (figures_carriers_label), else the label */
};

/* Everything the yearly report shows, for one contract and one year. */
struct report {
    struct contract contract;
    int year;
    struct report_identity identity;
    struct report_convention convention;
    bool has_convention;
    const char *person_in_charge; /* the year's, else the identity's ("" when none) */
    const char *texts[RS_COUNT];  /* in force, "" when none (RS_OBJECTIVE unused) */
    struct objective *objs;
    int n_objs;
    const char **objective_texts; /* per index in objs (specific objectives), "" when none */
    struct report_action *actions; /* the actions of the year's table, in contract order */
    int n_actions;
    int counts[ST_COUNT + 1];     /* per status of the year, [ST_COUNT]: no status */
    int years[64], n_years;       /* years with statuses up to this one, ascending */
    int (*year_counts)[ST_COUNT + 1]; /* counts per status for each of years (the actions
                                       * existing that year) */
    int first_year;               /* the contract's first year with statuses, 0 if none */
    struct year_figures figures;  /* the year's counts (figures_count): tables and sentences */
    struct source_figure *source_figures; /* what a source document says of the year */
    int n_source_figures;
    struct meeting *meetings;     /* held in the year, by date */
    int n_meetings;
    struct signatory *signatories; /* the signature block, for the default context */
    int n_signatories;
};

/* Gathers the report of a contract for year: the actions listed and counted are those that
 * exist that year (figures_exists_in: never those that only appear later). ERR_NOTFOUND when the contract
 * does not exist. Everything in the arena. */
int report_load(struct store *db, struct arena *a, long long contract_id, int year,
                struct report *out) MUST_CHECK;

#endif
