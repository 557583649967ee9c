/* communication.h — a contract's communication plan (rows of objective, medium, public, message,
 * indicator), each row's yearly target and what was done each year; the newsletter issues sent
 * count toward the rows that say so. */
#ifndef MODEL_COMMUNICATION_H
#define MODEL_COMMUNICATION_H

#include <stdbool.h>

#include "base/arena.h"
#include "model/core/audit.h"
#include "store/db.h"

struct comm_item {
    long long id, contract_id;
    int position;
    char *objective, *support, *target_public, *message, *strategy, *resources, *schedule;
    char *indicator, *plan_version, *source;
    int target_per_year, target_from; /* 0: no yearly target / from the contract's start */
    bool counts_newsletters;
    int version;
};

/* What the demo loader or a form gives for a new row (strings copied). */
struct comm_item_new {
    const char *objective, *support, *target_public, *message, *strategy, *resources, *schedule;
    const char *indicator, *plan_version, *source;
    int target_per_year, target_from;
    bool counts_newsletters;
};

/* How a row did in a year: done (recorded counts plus newsletters sent when the row counts
 * them) against its target. */
enum comm_outcome {
    COMM_NO_TARGET, /* the row has no yearly target that year */
    COMM_MET,       /* done >= target */
    COMM_MISSED,    /* a past year below its target */
    COMM_ONGOING,   /* the current year, not reached yet */
    COMM_FUTURE,    /* a year still to come */
};

struct comm_year {
    int year, done, target;
    enum comm_outcome outcome;
};

/* French label of an outcome ("Objectif atteint"…). */
const char *comm_outcome_label(enum comm_outcome o);

/* The plan's rows of a contract in plan order; array in the arena. */
int comm_list(struct store *db, struct arena *a, long long contract_id, struct comm_item **out,
              int *n) MUST_CHECK;
/* One row; ERR_NOTFOUND when none. */
int comm_get(struct store *db, struct arena *a, long long id, struct comm_item *out) MUST_CHECK;
/* Adds a row at the end of the plan (audited on the contract; who NULL: a fixture loader, not
 * journaled, like the rest of a loaded demo). */
int comm_add(struct store *db, const struct actor *who, long long contract_id,
             const struct comm_item_new *x, long long *id) MUST_CHECK;
/* Sets a row's yearly target (per_year 0..1000, from 0 or a year); ERR_CONFLICT when version is
 * not the row's current one; audited. */
int comm_set_target(struct store *db, const struct actor *who, long long id, int version,
                    int per_year, int from) MUST_CHECK;
/* Appends what was done for a row in year (count may be negative: a correction); audited
 * (who NULL: a fixture loader, see comm_add). */
int comm_record(struct store *db, const struct actor *who, long long item_id, int year, int count,
                const char *note, long long now) MUST_CHECK;
/* The row's years first..last (at most 20), each with done, target and outcome as seen in
 * current_year; array in the arena. */
int comm_years(struct store *db, struct arena *a, const struct comm_item *x, int first, int last,
               int current_year, struct comm_year **out, int *n) MUST_CHECK;

#endif
