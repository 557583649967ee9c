/* hooks.h — the functions one web feature calls of another, declared below them all so that a
 * feature includes web/core and never another feature (tools/check_layers.py): the sheet parts
 * of the action page, contract home, dashboard and JSON (web/action, web/api) and the report's
 * year (web/report, for the import). The governance hooks of the contract home and action page
 * are in handlers.h; the audit log's labels of each feature in routes.c (web/core/audit_kinds.h). */
#ifndef WEB_HOOKS_H
#define WEB_HOOKS_H

#include <stdbool.h>

#include "base/err.h"
#include "model/plan/action.h"
#include "web/http/http.h"
#include "store/db.h"

/* ---- the action sheet (web/action/sheet_pages.c, gantt_pages.c; web/api/api_sheets.c) ---- */

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

/* ---- communication (web/communication/communication_pages.c) ---- */
/* On the contract home: the communication plan's targets missed in past years and the current
 * year's progress; nothing when the contract has no plan with yearly targets. */
struct contract;
void communication_home_notice(struct req *req, struct res *res, const struct contract *c);
/* ---- funding (web/funding/funding_pages.c) ---- */
/* The funding part of an action's page: its lines by funder and year (links to change them
 * for may_edit) and the funding calls matched to it with the reason. */
void funding_action_section(struct req *req, struct res *res, const struct action *x,
                            bool may_edit);
/* On the contract home: the matched funding calls' next deadlines (overdue flagged) and the
 * link to the contract's funding. */
void funding_home_calls(struct req *req, struct res *res, long long contract_id);

/* ---- the report (web/report/report_pages.c) ---- */

/* The year of ?year= (default: the latest with statuses, else the current one); on a bad value
 * the error page is written and its status returned, else 0. */
int report_web_year(struct req *req, struct res *res, long long contract_id, int *year);

/* ---- the questionnaires (web/survey/survey_pages.c) ---- */

/* Queues the questionnaire reminders due at now (7 days and 1 day before each open survey's
 * deadline, each once) with their mail texts: the survey pages call it, and so may a timer. */
int survey_send_due_reminders(struct store *db, long long now) MUST_CHECK;
/* ---- the mailer's periodic tick (web/core/mailer.c's table) ---- */

/* campaign_pages.c: queues the scheduled reminders of every open campaign that are due at now
 * (7 days and 1 day before its deadline, each once); returns the number of mails queued. */
int campaign_remind_tick(struct store *db, long long now);
/* survey_pages.c: the same for the questionnaires' scheduled reminders. */
int survey_remind_tick(struct store *db, long long now);

#endif
