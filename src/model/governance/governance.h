/* governance.h — the figures of a contract's governance: per body and year the meetings
 * required, planned and held, what is overdue (a planned date passed with no meeting held, a
 * year ended below the required number), the whole contract's "x of y required meetings held",
 * and the meetings held in a year per body kind (the yearly report's indicator). */
#ifndef MODEL_GOVERNANCE_H
#define MODEL_GOVERNANCE_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/governance/body.h"
#include "model/governance/meeting_plan.h"

/* One body in one year. */
struct gov_cell {
    int required_min, required_max; /* max 0: no upper bound */
    int planned;                    /* entries of the yearly plan */
    int held;                       /* meetings with status held */
    int overdue;                    /* planned entries whose period passed, beyond those held */
    bool year_over;                 /* the year has ended (before today's year) */
    bool below_required;            /* the year has ended with fewer meetings than required */
};

/* Figures of bodies[i] in years[j], at (*out)[i * n_years + j]; today is "AAAA-MM-JJ". */
int governance_grid(struct store *db, struct arena *a, long long contract_id,
                    const struct body *bodies, int n_bodies, const int *years, int n_years,
                    const char *today, struct gov_cell **out) MUST_CHECK;

/* True when the plan entry, the index-th (0-based, by date) of its body's year, is overdue:
 * its day, month or year has passed and fewer than index + 1 meetings were held that year. */
bool governance_entry_overdue(struct arena *a, const struct plan_entry *e, int index, int held,
                              const char *today);

/* The contract's required meetings over its years up to today's year (the contract's period,
 * else the years with meetings), and how many of them were held (each body-year counts at most
 * its minimum). */
struct gov_summary {
    int required, held;
    int first_year, last_year; /* 0 when no year */
};
/* The years governance_summary counts: the contract's period (start, end; 0 when unknown), else
 * the first and last years with meetings (met_first, met_last; 0 when none), up to this_year
 * and at most 61 years; *first and *last are 0 when there is none. */
void governance_span(int start, int end, int met_first, int met_last, int this_year, int *first,
                     int *last);
int governance_summary(struct store *db, struct arena *a, long long contract_id,
                       const char *today, struct gov_summary *out) MUST_CHECK;

/* Meetings held in year per body kind: counts[k] for body_kinds[k], counts[BODY_KIND_COUNT]
 * for meetings of no body. */
int governance_held_by_kind(struct store *db, long long contract_id, int year,
                            int counts[BODY_KIND_COUNT + 1]) MUST_CHECK;

#endif
