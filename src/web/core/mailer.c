/* mailer.c — the thread that empties the outbox: claims a due message, hands it to libcurl
 * (format/mail.c), records the outcome. Must not decide who receives what nor write texts: the
 * screens queue finished messages. */
#include "web/core/mailer.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "base/log.h"
#include "model/core/outbox.h"
#include "format/data/mail.h"
#include "model/account/retention.h"
#include "model/funding/funding_call.h"
#include "web/core/config.h"
#include "web/core/hooks.h"
#include "web/core/server.h"

enum {
    POLL_S = 5,  /* for retries and messages queued by other processes */
    TICK_S = 60, /* how often the scheduled mails (reminders) are looked for */
};

/* The features' scheduled mails: each function queues what is due at now and returns how many
 * mails it queued. A feature with reminders of its own (surveys, funding calls) adds one line. */
/* funding_call.c answers a negative error or the number queued: the tick counts mails. */
static int funding_tick(struct store *db, long long now)
{
    int n = funding_send_due_reminders(db, now);
    if (n < 0) {
        log_error("mail sender: funding reminders not queued: %s", store_errmsg(db));
        return 0;
    }
    return n;
}

/* Not a mail: the directory records past their retention date are erased on the same minute
 * (retention.c); it counts none. */
static int retention_tick(struct store *db, long long now)
{
    int n = retention_purge_tick(db, now);
    if (n < 0)
        log_error("mail sender: retention purge stopped: %s", store_errmsg(db));
    else if (n > 0)
        log_info("directory: %d record(s) past their retention date purged", n);
    return 0;
}

static int (*const ticks[])(struct store *db, long long now) = {
    campaign_remind_tick,
    survey_remind_tick,
    funding_tick,
    retention_tick,
};

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static bool running, stopping, woken;
static struct store *sender_db;

bool mailer_configured(void)
{
    return web_config.smtp_url && *web_config.smtp_url;
}

/* The time messages fall due at: the later of the wall clock and server_clock, since pages and
 * the tick queue them at server_clock (a debug build's test clock may run ahead). */
static long long sender_now(void)
{
    long long wall = (long long)time(NULL), clock = server_clock();
    return clock > wall ? clock : wall;
}

/* Sends one due message; ERR_NOTFOUND when none is due. */
static int send_one(struct store *db, bool *sent)
{
    struct arena a = {0};
    struct outbox_mail m;
    long long now = sender_now();
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
                       .attachment = m.attachment,
                       .list_unsubscribe = m.list_unsubscribe};
    char err[256] = "";
    *sent = mail_send(web_config.smtp_url, &msg, err, sizeof err) == ERR_OK;
    now = sender_now();
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

int mailer_tick(struct store *db, long long now)
{
    int queued = 0;
    for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++)
        queued += ticks[i](db, now);
    return queued;
}

/* Runs the tick when a minute passed on the clock in use (server_clock: the test clock moves
 * by jumps, backwards too), so reminders go out with nobody on the site. */
static void tick_if_due(long long *last_tick)
{
    long long clock = server_clock();
    if (*last_tick && clock >= *last_tick && clock - *last_tick < TICK_S)
        return;
    *last_tick = clock;
    mailer_tick(sender_db, clock);
}

static void *sender_main(void *arg)
{
    (void)arg;
    long long next_purge = 0, last_tick = 0;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        woken = false;
        pthread_mutex_unlock(&lock);
        tick_if_due(&last_tick);
        bool ok;
        int rc;
        while ((rc = send_one(sender_db, &ok)) == ERR_OK) {
            pthread_mutex_lock(&lock);
            bool stop = stopping;
            pthread_mutex_unlock(&lock);
            if (stop)
                break;
        }
        long long now = sender_now(), due = outbox_next_due(sender_db);
        if (now >= next_purge) {
            if (outbox_purge(sender_db, now - OUTBOX_KEEP_S) != ERR_OK)
                log_error("mail sender: old messages not purged: %s", store_errmsg(sender_db));
            next_purge = now + 3600;
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
