/* mailer.c — the thread that empties the outbox: claims a due message, hands it to libcurl
 * (format/mail.c), records the outcome. Must not decide who receives what nor write texts: the
 * screens queue finished messages. */
#include "web/core/mailer.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "base/log.h"
#include "model/funding_call.h"
#include "model/outbox.h"
#include "format/mail.h"
#include "web/core/config.h"

enum { POLL_S = 5 }; /* for retries and messages queued by other processes */

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static bool running, stopping, woken;
static struct store *sender_db;

bool mailer_configured(void)
{
    return web_config.smtp_url && *web_config.smtp_url;
}

/* Sends one due message; ERR_NOTFOUND when none is due. */
static int send_one(struct store *db, bool *sent)
{
    struct arena a = {0};
    struct outbox_mail m;
    long long now = (long long)time(NULL);
    int rc = outbox_claim(db, &a, now, &m);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct mail msg = {.from = web_config.mail_from,
                       .to = m.to,
                       .subject = m.subject,
                       .text = m.body,
                       .attachment_name = m.attachment_name,
                       .attachment_type = m.attachment_type,
                       .attachment = m.attachment};
    char err[256] = "";
    *sent = mail_send(web_config.smtp_url, &msg, err, sizeof err) == ERR_OK;
    now = (long long)time(NULL);
    if (*sent) {
        rc = outbox_mark_sent(db, m.id, now);
        log_info("mail %lld (%s) sent after %d attempt%s", m.id, m.kind, m.attempts,
                 m.attempts > 1 ? "s" : "");
    } else {
        rc = outbox_mark_failed(db, m.id, now, err);
        log_error("mail %lld (%s), attempt %d of %d: %s", m.id, m.kind, m.attempts,
                  OUTBOX_MAX_ATTEMPTS, err);
    }
    if (rc != ERR_OK)
        log_error("mail %lld: outcome not recorded: %s", m.id, store_errmsg(db));
    arena_free(&a);
    return rc;
}

int mailer_send_due(struct store *db, int *sent, int *failed)
{
    *sent = *failed = 0;
    if (!mailer_configured())
        return ERR_OK;
    for (;;) {
        bool ok = false;
        int rc = send_one(db, &ok);
        if (rc == ERR_NOTFOUND)
            return ERR_OK;
        if (rc != ERR_OK)
            return rc;
        if (ok)
            (*sent)++;
        else
            (*failed)++;
    }
}

static void *sender_main(void *arg)
{
    (void)arg;
    long long next_purge = 0;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        woken = false;
        pthread_mutex_unlock(&lock);
        bool ok;
        int rc;
        while ((rc = send_one(sender_db, &ok)) == ERR_OK) {
            pthread_mutex_lock(&lock);
            bool stop = stopping;
            pthread_mutex_unlock(&lock);
            if (stop)
                break;
        }
        long long now = (long long)time(NULL), due = outbox_next_due(sender_db);
        if (now >= next_purge) {
            if (outbox_purge(sender_db, now - OUTBOX_KEEP_S) != ERR_OK)
                log_error("mail sender: old messages not purged: %s", store_errmsg(sender_db));
            next_purge = now + 3600;
            /* The funding calls' reminders ride on the same hourly tick. */
            if (funding_send_due_reminders(sender_db, now) < 0)
                log_error("mail sender: funding reminders not queued: %s",
                          store_errmsg(sender_db));
        }
        long long wait = due > now && due - now < POLL_S ? due - now : POLL_S;
        if (rc != ERR_NOTFOUND && rc != ERR_OK)
            wait = POLL_S; /* the database was busy or failing: try again later */
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += wait;
        pthread_mutex_lock(&lock);
        while (!stopping && !woken &&
               pthread_cond_timedwait(&cond, &lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int mailer_start(const char *db_path)
{
    if (!mailer_configured()) {
        log_info("no SMTP server configured (--smtp): e-mails wait in the outbox");
        return ERR_OK;
    }
    char err[256];
    if (store_open(db_path, &sender_db, err, sizeof err) != ERR_OK) {
        log_error("mail sender: %s", err);
        return ERR_IO;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&cond, &attr);
    pthread_condattr_destroy(&attr);
    stopping = woken = false;
    if (pthread_create(&thread, NULL, sender_main, NULL) != 0) {
        store_close(sender_db);
        sender_db = NULL;
        return ERR_IO;
    }
    running = true;
    return ERR_OK;
}

void mailer_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&cond);
    store_close(sender_db);
    sender_db = NULL;
    running = false;
}

void mailer_wake(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    woken = true;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}
