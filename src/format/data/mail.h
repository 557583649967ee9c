/* mail.h — plain-text e-mail over SMTP (libcurl), with an optional attachment. */
#ifndef OUT_MAIL_H
#define OUT_MAIL_H

#include <stddef.h>

#include "base/err.h"

struct mail {
    const char *from, *to, *subject; /* subject in UTF-8 */
    const char *text;                /* body, UTF-8, LF line ends */
    /* Optional attachment (e.g. text/calendar): NULL name for none. */
    const char *attachment_name, *attachment_type, *attachment;
    /* Optional one-click unsubscribe address (https): sent as List-Unsubscribe with
     * List-Unsubscribe-Post (RFC 8058) so that mail clients offer their own button. */
    const char *list_unsubscribe;
};

/* Sends the message through the SMTP server at url ("smtp://host:port"). On failure returns
 * ERR_IO with the reason in err. */
int mail_send(const char *url, const struct mail *m, char *err, size_t errlen) MUST_CHECK;
/* Builds the RFC 5322 message (headers, MIME parts) into a malloc'd string; for tests. */
char *mail_format(const struct mail *m);

#endif
