/* final_report.h — everything the final evaluation report of a contract shows, gathered once for
 * the page, the PDF and the ODT: the status figures of every year (figures.h, the one counting
 * rule), indicator results against their targets, governance meetings held against those
 * required, the SWOT, the recommendations, and the French sentences drafted from those figures
 * (replaced by the coordinator's text when there is one). */
#ifndef MODEL_FINAL_REPORT_H
#define MODEL_FINAL_REPORT_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/contract.h"
#include "model/evaluation/evaluation.h"
#include "model/plan/figures.h"
#include "model/governance/governance.h"
#include "model/sheet/indicator.h"

enum { FINAL_MAX_YEARS = 64 };

/* An indicator's latest value against its target. */
struct final_indicator {
    const struct indicator *ind;
    bool has_value;
    double value;       /* the latest period's */
    const char *period; /* "" when no value */
    int reached;        /* 1 reached or passed, 0 not, -1 no target or no value */
};

/* A governance body over the contract's years: meetings required (the minimum per year),
 * planned and held. */
struct final_body {
    const char *name, *kind;
    int required, planned, held;
};

/* The survey section: none yet in this module. The survey feature fills survey and
 * survey_write after final_report_load (see final_report_set_survey); the documents call
 * survey_write(survey, ops, ctx) with the doc.h callbacks between the status and the indicator
 * sections, and skip the section when survey_write is NULL. */
struct doc_ops;
typedef void (*final_survey_fn)(const void *survey, const struct doc_ops *ops, void *ctx);

struct final_report {
    struct contract contract;
    int years[FINAL_MAX_YEARS], n_years;          /* years with statuses, ascending */
    struct year_figures figures[FINAL_MAX_YEARS]; /* figures_count of each year */
    struct final_indicator *indicators;
    int n_indicators;
    struct gov_summary gov;
    struct final_body *bodies;
    int n_bodies, gov_held, gov_planned; /* totals over the bodies */
    struct swot_item *swot;
    int n_swot;
    struct recommendation *recs;
    int n_recs;
    struct eval_texts texts;       /* the coordinator's, "" when none */
    const char *drafts[EVS_COUNT]; /* drafted from the figures */
    const void *survey;
    final_survey_fn survey_write;
};

/* Gathers the final report of a contract (today "AAAA-MM-JJ": the governance's cut-off).
 * ERR_NOTFOUND when there is no such contract. Everything in the arena. */
int final_report_load(struct store *db, struct arena *a, long long contract_id, const char *today,
                      struct final_report *out) MUST_CHECK;
/* The hook for the survey results (see final_survey_fn). */
void final_report_set_survey(struct final_report *r, const void *survey, final_survey_fn write);
/* The text of a section in force: the coordinator's when not blank, else the draft. */
const char *final_report_text(const struct final_report *r, enum eval_section s);
/* True when the coordinator's text replaces the draft of s. */
bool final_report_text_is_custom(const struct final_report *r, enum eval_section s);

/* The sentences drafted from the figures, in the arena (exposed for the tests).
 * « Sur les 76 actions du contrat en 2023, 28 (37 %) ont été réalisées, … » */
const char *final_draft_status(struct arena *a, const int *years,
                               const struct year_figures *figures, int n_years);
const char *final_draft_indicators(struct arena *a, const struct final_indicator *xs, int n);
const char *final_draft_governance(struct arena *a, const struct gov_summary *g, int held,
                                   int n_bodies);
const char *final_draft_conclusion(struct arena *a, const struct final_report *r);

#endif
