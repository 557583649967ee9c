/* filters.h — small helpers shared by the contract, action and organisation screens: reading
 * ids, years and the action list's filters from the query string, building the list's URL back
 * from them, and showing dates the French way. */
#ifndef WEB_FILTERS_H
#define WEB_FILTERS_H

#include "base/text.h"
#include "model/plan/action.h"
#include "model/plan/objective.h"
#include "web/http/http.h"

enum { FILTER_MAX_YEARS = 64 };

/* The years of a contract that have statuses and the one a page shows. */
struct year_choice {
    int years[FILTER_MAX_YEARS]; /* ascending */
    int n_years;
    int year; /* ?year=Y, else the contract's reporting year (figures.h), else 0 */
};

/* Reads query parameter key as a positive id: absent or empty gives 0. ERR_INVALID when it is
 * anything else than digits. */
int filter_param_id(const struct req *r, const char *key, long long *out) MUST_CHECK;

/* Fills y with the contract's status years and the year asked for by ?year= (default: the
 * contract's reporting year, figures_reporting_year). ERR_INVALID when year is not a number in 1900–2200; ERR_DB when the query fails. */
int filter_year(struct req *r, long long contract_id, struct year_choice *y) MUST_CHECK;

/* Reads every filter of the action list (year excluded: pass it in y) into f for the contract;
 * objs is the contract's objective tree, used to check the objective ids. On a bad value
 * returns ERR_INVALID and *why gets a French sentence naming the parameter (in the arena). */
int filter_parse_actions(struct req *r, long long contract_id, const struct year_choice *y,
                         const struct objective *objs, int n_objs, struct action_filter *f,
                         const char **why) MUST_CHECK;

/* Appends to b the URL of path (e.g. "/contracts/1/actions") with f's filters as its query
 * string (only the ones set; sort and dir only when f->sort is set). Values are URL-encoded;
 * write the result into HTML through %h. */
void filter_url(struct buf *b, const char *path, const struct action_filter *f);

/* An arena copy of the action list URL for f (see filter_url). */
const char *filter_list_href(struct arena *a, const struct action_filter *f);

/* Shows an ISO date as people read it: "2018-12-20" → "20/12/2018", "2019-05" → "mai 2019",
 * "2026-01-02T10:30:00Z" → "02/01/2026 à 10:30"; anything else is returned unchanged. The
 * result is in the arena (or is iso itself). */
const char *date_fr(struct arena *a, const char *iso);

#endif
