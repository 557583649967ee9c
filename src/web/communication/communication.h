/* communication.h — what the communication pages share inside their feature: the newsletter's
 * texts (newsletter_text.c). */
#ifndef WEB_COMMUNICATION_H
#define WEB_COMMUNICATION_H

#include "model/core/contract.h"
#include "model/communication/newsletter.h"
#include "web/http/http.h"

/* The composer's first draft of an issue (Markdown, in the request arena): the actions done or
 * in progress in the reporting year, the meetings to come, the key figures of the year. */
const char *newsletter_first_draft(struct req *req, const struct contract *c);
/* The mail of an issue to one subscriber (newsletter_mail_fn; ctx is the request). */
int newsletter_issue_mail(void *ctx, const struct newsletter *x, const char *to,
                          const char *unsubscribe_url, struct outbox_mail *out);

#endif
