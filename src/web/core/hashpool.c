/* hashpool.c — the threads that run argon2id for logins and password changes, and the hand-off
 * with libmicrohttpd's suspend/resume. Must not know which page asked: handlers pass strings. */
#include "web/core/hashpool.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "web/http/page.h"

enum job_kind { JOB_VERIFY, JOB_HASH };

struct hash_job {
    enum job_kind kind;
    char hash[SECRET_HASH_MAX]; /* VERIFY: the stored hash; HASH: the result */
    char *password;
    bool ok;     /* VERIFY: matches */
    int rc;      /* 0, HASHPOOL_BUSY (cancelled at stop) or ERR_IO (HASH) */
    bool done;   /* guarded by mu */
    struct MHD_Connection *conn; /* suspended waiting for the job; guarded by mu */
    pthread_mutex_t mu;
    struct hash_job *next;
};

/* Any hash of the right shape: verifying against it costs what a real one costs, so an unknown
 * address or an account without a password is not answered faster. */
static const char DUMMY_HASH[] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                                 "5mYF0ZJYmtXwTV3sZx7l2V0B2FSS0bLxP6lKIhm3cXw";

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct hash_job *head, *tail;
static int queued, queue_limit, n_threads;
static bool running, stopping;
static pthread_t threads[64];

static void run_job(struct hash_job *j)
{
    if (j->kind == JOB_VERIFY) {
        bool real = j->hash[0] != '\0';
        bool ok = secret_check_password(real ? j->hash : DUMMY_HASH, j->password);
        j->ok = real && ok;
        j->rc = ERR_OK;
    } else {
        j->rc = secret_hash_password(j->password, j->hash) == ERR_OK ? ERR_OK : ERR_IO;
    }
}

/* Marks the job done and resumes its connection if the server suspended it. */
static void finish(struct hash_job *j)
{
    pthread_mutex_lock(&j->mu);
    j->done = true;
    struct MHD_Connection *c = j->conn;
    pthread_mutex_unlock(&j->mu);
    if (c)
        MHD_resume_connection(c); /* the job may be freed from here on */
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!head && !stopping)
            pthread_cond_wait(&cond, &lock);
        if (!head)
            break;
        struct hash_job *j = head;
        head = j->next;
        if (!head)
            tail = NULL;
        queued--;
        bool cancel = stopping;
        pthread_mutex_unlock(&lock);
        if (cancel)
            j->rc = HASHPOOL_BUSY;
        else
            run_job(j);
        finish(j);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int hashpool_start(int want, int queue_max)
{
    if (want <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        want = cores > 1 ? (int)cores - 1 : 1;
    }
    if (want > (int)(sizeof threads / sizeof *threads))
        want = (int)(sizeof threads / sizeof *threads);
    pthread_mutex_lock(&lock);
    stopping = false;
    queue_limit = queue_max > 0 ? queue_max : 8 * want;
    pthread_mutex_unlock(&lock);
    for (n_threads = 0; n_threads < want; n_threads++)
        if (pthread_create(&threads[n_threads], NULL, worker, NULL) != 0)
            break;
    if (n_threads == 0)
        return ERR_IO;
    pthread_mutex_lock(&lock);
    running = true;
    pthread_mutex_unlock(&lock);
    log_info("password hashing on %d thread%s, at most %d waiting", n_threads,
             n_threads > 1 ? "s" : "", queue_limit);
    return ERR_OK;
}

void hashpool_stop(void)
{
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        return;
    }
    stopping = true;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n_threads; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_lock(&lock);
    running = false;
    pthread_mutex_unlock(&lock);
}

void hashpool_free(struct hash_job *j)
{
    if (!j)
        return;
    if (j->password) {
        explicit_bzero(j->password, strlen(j->password));
        free(j->password);
    }
    explicit_bzero(j->hash, sizeof j->hash);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

bool hashpool_suspend(struct hash_job *j, struct MHD_Connection *conn)
{
    pthread_mutex_lock(&j->mu);
    bool wait = !j->done;
    if (wait) {
        j->conn = conn;
        MHD_suspend_connection(conn); /* before the worker can resume it: under j->mu */
    }
    pthread_mutex_unlock(&j->mu);
    return wait;
}

/* The finished job of this request for the same work, if the handler runs a second time. */
static struct hash_job *finished(struct req *req, enum job_kind kind, const char *hash,
                                 const char *password)
{
    struct hash_job *j = req->hash_job;
    if (!j)
        return NULL;
    pthread_mutex_lock(&j->mu);
    bool done = j->done;
    pthread_mutex_unlock(&j->mu);
    if (!done || j->kind != kind || strcmp(j->password, password) != 0 ||
        (kind == JOB_VERIFY && strcmp(j->hash, hash ? hash : "") != 0))
        return NULL;
    return j;
}

/* Queues the work for the pool: HASHPOOL_PENDING, or HASHPOOL_BUSY when the queue is full. */
static int submit(struct req *req, enum job_kind kind, const char *hash, const char *password)
{
    if (req->hash_job)
        return -1; /* one job per request: a second one runs in place */
    pthread_mutex_lock(&lock);
    if (!running || stopping) {
        pthread_mutex_unlock(&lock);
        return running ? HASHPOOL_BUSY : -1;
    }
    if (queued >= queue_limit) {
        pthread_mutex_unlock(&lock);
        return HASHPOOL_BUSY;
    }
    struct hash_job *j = xcalloc(1, sizeof *j);
    j->kind = kind;
    if (kind == JOB_VERIFY && hash)
        snprintf(j->hash, sizeof j->hash, "%s", hash);
    j->password = xstrdup(password);
    pthread_mutex_init(&j->mu, NULL);
    if (tail)
        tail->next = j;
    else
        head = j;
    tail = j;
    queued++;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    req->hash_job = j;
    return HASHPOOL_PENDING;
}

int hashpool_verify(struct req *req, const char *hash, const char *password, bool *ok)
{
    *ok = false;
    struct hash_job *j = finished(req, JOB_VERIFY, hash, password);
    if (j) {
        *ok = j->ok;
        return j->rc;
    }
    if (req->defer_ok && strlen(hash ? hash : "") < SECRET_HASH_MAX) {
        int rc = submit(req, JOB_VERIFY, hash, password);
        if (rc > 0)
            return rc;
    }
    struct hash_job here = {.kind = JOB_VERIFY, .password = (char *)password};
    if (hash && strlen(hash) < SECRET_HASH_MAX)
        snprintf(here.hash, sizeof here.hash, "%s", hash);
    run_job(&here);
    *ok = here.ok;
    return ERR_OK;
}

int hashpool_hash(struct req *req, const char *password, char out[SECRET_HASH_MAX])
{
    struct hash_job *j = finished(req, JOB_HASH, NULL, password);
    if (j) {
        if (j->rc == ERR_OK)
            memcpy(out, j->hash, SECRET_HASH_MAX);
        return j->rc;
    }
    if (req->defer_ok) {
        int rc = submit(req, JOB_HASH, NULL, password);
        if (rc > 0)
            return rc;
    }
    return secret_hash_password(password, out) == ERR_OK ? ERR_OK : ERR_IO;
}

int hashpool_busy_answer(struct req *req, struct res *res)
{
    log_info("%s %s from %s: password work queue full", req->method, req->path,
             req->client_addr);
    page_error(req, res, 429, "Trop de tentatives",
               "Trop de tentatives de connexion en ce moment : réessayez dans un instant.");
    res_header(res, "Retry-After", "2");
    return 429;
}
