/* mailer.h — the background sender of the outbox (model/outbox.h): one thread with its own
 * database connection sends queued e-mails over SMTP, so no page worker ever waits on a mail
 * server; woken when a message is queued, and every few seconds for retries and for messages
 * queued by another process (the command line). */
#ifndef WEB_MAILER_H
#define WEB_MAILER_H

#include <stdbool.h>

#include "store/db.h"

/* True when an SMTP server is configured (--smtp): without one, messages wait in the outbox
 * and the pages say that mail cannot be sent. */
bool mailer_configured(void);
/* Starts the sender on a connection of its own to db_path; without SMTP configured it does
 * nothing (messages stay queued). 0 or a negative enum err. */
int mailer_start(const char *db_path) MUST_CHECK;
/* Stops the sender after the message it is sending, if any; what is still queued is sent by the
 * next start. */
void mailer_stop(void);
/* Tells the sender that a message was committed to the outbox: call it after the commit. */
void mailer_wake(void);
/* Sends, in this thread, every message due now (for commands that run without a server);
 * *sent and *failed get the counts. 0 or a negative enum err (database). */
int mailer_send_due(struct store *db, int *sent, int *failed) MUST_CHECK;

/* Queues the scheduled mails due at now (campaign reminders…: mailer.c's table); the sender
 * thread calls it every minute of server_clock. Returns the number of mails queued. */
int mailer_tick(struct store *db, long long now);

#endif
