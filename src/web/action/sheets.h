/* sheets.h — what the action-sheet screens share (sheet_pages.c, sheet_form.c,
 * indicator_pages.c, objective_pages.c, gantt_pages.c, api_sheets.c), and the hooks other
 * screens call: the sheet part of the action page, the workload notice of the contract home and
 * the sheet fields of the action's JSON. */
#ifndef WEB_SHEETS_H
#define WEB_SHEETS_H

#include <stdbool.h>

#include "model/plan/action.h"
#include "model/sheet/indicator.h"
#include "model/sheet/sheet.h"
#include "web/core/hooks.h"
#include "web/http/http.h"

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
