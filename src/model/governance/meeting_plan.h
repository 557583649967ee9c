/* meeting_plan.h — the yearly meeting plan: for year Y, the meetings each body of a contract
 * should hold, on a day or in a month (a year for plans known only that well). */
#ifndef MODEL_MEETING_PLAN_H
#define MODEL_MEETING_PLAN_H

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"

struct plan_entry {
    long long id, body_id;
    int year;
    char *planned_on, *precision, *note; /* planned_on as meeting_parse_date writes it */
};

/* The plan of a contract's bodies for year (0: every year), by body then date. */
int plan_list(struct store *db, struct arena *a, long long contract_id, int year,
              struct plan_entry **out, int *n) MUST_CHECK;
/* The plan of one body, every year, by date. */
int plan_list_body(struct store *db, struct arena *a, long long body_id, struct plan_entry **out,
                   int *n) MUST_CHECK;
/* Years of a contract's plan, ascending, at most max. */
int plan_years(struct store *db, long long contract_id, int *years, int max, int *n) MUST_CHECK;
/* Inserts an entry inside the caller's transaction, without audit (imports). The year is the
 * date's. ERR_INVALID when the date is not what meeting_parse_date writes. */
int plan_create(struct store *db, long long body_id, const char *planned_on,
                const char *precision, const char *note, long long *id) MUST_CHECK;
/* Adds an entry to a body's plan (audited). */
int plan_add(struct store *db, const struct actor *who, long long body_id,
             const char *planned_on, const char *precision, const char *note,
             long long *id) MUST_CHECK;
/* Removes an entry of body_id's plan (audited); ERR_NOTFOUND when it is not one. */
int plan_remove(struct store *db, const struct actor *who, long long body_id,
                long long id) MUST_CHECK;

#endif
