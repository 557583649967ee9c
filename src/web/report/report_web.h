/* report_web.h — what the report and spreadsheet screens share (report_pages.c, report_edit.c,
 * import_pages.c): the year asked for and the report of the route's contract. */
#ifndef WEB_REPORT_WEB_H
#define WEB_REPORT_WEB_H

#include "model/report/report.h"
#include "web/core/hooks.h"
#include "web/http/http.h"

/* The report of the route's contract ({id}) for ?year=; 0, or the error page's status. */
int report_web_load(struct req *req, struct res *res, struct report *r);
/* The contract's short title, else its title. */
const char *report_web_contract_name(const struct contract *c);

#endif
