/* hashpool.h — password hashing and verification (argon2id, ~64 MiB and tens of milliseconds
 * each) off the page workers: a few threads (one per core but one) with a bounded queue. A
 * handler asks for the work; when the server can wait for it (req->defer_ok) the connection is
 * suspended, the work runs on the pool, and the handler is called again with the result, so the
 * workers keep answering pages whatever the number of logins. Beyond the queue the answer is
 * "busy" at once. Without a running pool (unit tests, commands) the work runs in place. */
#ifndef WEB_HASHPOOL_H
#define WEB_HASHPOOL_H

#include <stdbool.h>

#include "base/secret.h"
#include "web/http/http.h"

enum {
    HASHPOOL_PENDING = 1, /* the handler must return now: it will be called again */
    HASHPOOL_BUSY = 2,    /* the queue is full: answer 429 and let the client retry */
};

/* Starts threads workers (0: one per core but one, at least one) and a queue of queue_max. */
int hashpool_start(int threads, int queue_max) MUST_CHECK;
/* Stops the pool: the job being computed ends, queued ones end as busy; every suspended
 * connection is resumed. Call before stopping the HTTP daemon. */
void hashpool_stop(void);

/* True in *ok when password matches hash (a NULL or empty hash never matches, after the same
 * work as a real one). 0, HASHPOOL_PENDING or HASHPOOL_BUSY. */
int hashpool_verify(struct req *req, const char *hash, const char *password, bool *ok);
/* A new argon2id hash of password into out. 0, HASHPOOL_PENDING, HASHPOOL_BUSY or ERR_IO. */
int hashpool_hash(struct req *req, const char *password, char out[SECRET_HASH_MAX]);
/* The answer to HASHPOOL_BUSY: 429 "Trop de tentatives, réessayez dans un instant". */
int hashpool_busy_answer(struct req *req, struct res *res);

/* For the server (server.c). A job left in req->hash_job by a handler that is not done yet:
 * hashpool_suspend suspends conn until it is (true), or returns false when it is done already
 * and the handler can be called again at once. */
struct hash_job;
struct MHD_Connection;
bool hashpool_suspend(struct hash_job *job, struct MHD_Connection *conn);
/* Frees a job once its request is answered. */
void hashpool_free(struct hash_job *job);

#endif
