/* sheets.h — what the action-sheet screens share (sheet_pages.c, sheet_form.c,
 * indicator_pages.c, objective_pages.c, gantt_pages.c, api_sheets.c), and the hooks other
 * screens call: the sheet part of the action page, the workload notice of the contract home and
 * the sheet fields of the action's JSON. */
#ifndef WEB_SHEETS_H
#define WEB_SHEETS_H

#include <stdbool.h>

#include "model/action.h"
#include "model/indicator.h"
#include "model/sheet.h"
#include "web/http.h"

/* sheet_pages.c: the sheet part of an action's page: state, priority, plan and every field of
 * the sheet, its indicators with their charts, and the forms of those who may use them
 * (may_edit: carrier of the action or coordination). */
void sheet_section(struct req *req, struct res *res, const struct action *x, bool may_edit);
/* gantt_pages.c: on the contract home, the workload warning (active actions per coordinator
 * FTE above the contract's threshold) and the links to the Gantt chart, the yearly plan and,
 * for the coordination, the sheets missing something. */
void sheet_home_notice(struct req *req, struct res *res, long long contract_id);
/* gantt_pages.c: the dashboard's ?plan=Y: keeps in acts only the actions of the yearly plan of
 * Y (*plan_year gets Y; 0 when the parameter is absent, and nothing is removed). ERR_INVALID
 * when the parameter is not a year; ERR_DB when the plan cannot be read. */
int sheet_plan_keep(struct req *req, long long contract_id, struct action_brief *acts, int *n,
                    int *plan_year) MUST_CHECK;
/* gantt_pages.c: the dashboard's line about the yearly plan: the plan shown and a link back to
 * every action, or a link to the plan of the year alone. */
void sheet_dashboard_plan(struct req *req, struct res *res, long long contract_id, int year,
                          int plan_year);
/* api_sheets.c: appends ,"sheet":{…},"indicators":[…] to the JSON of an action. */
void sheet_api_fields(struct req *req, struct buf *b, const struct action *x);

/* indicator_pages.c: one indicator as a page part: heading, definition, chart of its values
 * against its target, table of values; the value form and edit link when may_edit. comments
 * and people: whether value comments and who recorded them may be shown. */
void indicator_block(struct req *req, struct res *res, const struct indicator *x, bool may_edit,
                     bool comments, bool people);

/* sheet_form.c: an ISO date of a sheet as people type it ("2019-05" → "05/2019"). */
const char *sheet_typed_date(struct arena *a, const char *iso);
/* sheet_pages.c: "1.1.1", or "Piste" for a lead. */
const char *sheet_code(const struct action *x);

#endif
