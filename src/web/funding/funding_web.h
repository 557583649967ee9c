/* funding_web.h — what the two files of web/funding share (funding_pages.c, funding_forms.c). */
#ifndef WEB_FUNDING_WEB_H
#define WEB_FUNDING_WEB_H
#include <stdbool.h>
#include "model/core/contract.h"
#include "web/kit/form.h"
#include "web/http/http.h"

/* An amount in cents as "1 234,56 €" ("—" for -1), in the arena. */
const char *funding_money(struct arena *a, long long cents);
/* Queues the funding call reminders that are due (see funding_send_due_reminders). */
void funding_remind(struct req *req);
/* The plan page with the add form's errors or a refusal notice, answered with status. */
int financing_plan_show(struct req *req, struct res *res, const struct contract *c,
                        const struct form_errors *errs, const char *notice, int status);
/* The contract's funding page, with the refusal of an uploaded file (or NULL), as status. */
int funding_page_show(struct req *req, struct res *res, const struct contract *c,
                      const char *error, int status);
/* Days from the request's day to an ISO deadline; false when there is none. */
bool funding_days_left(const struct req *req, const char *deadline, int *days);
/* A <td> with the deadline in French, days left, or "Date limite dépassée". */
void funding_deadline_cell(struct buf *b, const struct req *req, const char *deadline);

#endif
