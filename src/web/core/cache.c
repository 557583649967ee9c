/* cache.c — a fixed-size table of shared answers, replaced in place (direct-mapped), guarded by
 * one lock. Must not cache anything that depends on who asks: callers only offer anonymous
 * requests, and answers that set a cookie are refused here. */
#include "web/core/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { CACHE_ENTRIES = 512, CACHE_MAX_BODY = 512 * 1024 };

struct entry {
    char *key;
    unsigned long long generation;
    int status;
    char *content_type, *body;
    size_t len;
    int n_headers;
    char *names[RES_MAX_HEADERS], *values[RES_MAX_HEADERS];
};

static struct entry entries[CACHE_ENTRIES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

char *cache_key(const struct req *req)
{
    if ((strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) ||
        req->cookie_session || req->cookie_pre || req->cookie_campaign || req->cookie_survey ||
        req->bearer)
        return NULL;
    struct buf b = {0};
    buf_puts(&b, req->path);
    for (int i = 0; i < req->n_query; i++) {
        buf_putc(&b, '\x01');
        buf_puts(&b, req->query[i].key);
        buf_putc(&b, '\x02');
        buf_puts(&b, req->query[i].value);
    }
    char *key = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return key;
}

static struct entry *slot_of(const char *key)
{
    unsigned long h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return &entries[h % CACHE_ENTRIES];
}

static void clear(struct entry *e)
{
    free(e->key);
    free(e->content_type);
    free(e->body);
    for (int i = 0; i < e->n_headers; i++) {
        free(e->names[i]);
        free(e->values[i]);
    }
    memset(e, 0, sizeof *e);
}

bool cache_get(const char *key, unsigned long long generation, struct res *res)
{
    struct entry *e = slot_of(key);
    bool hit = false;
    pthread_mutex_lock(&lock);
    if (e->key && e->generation == generation && strcmp(e->key, key) == 0) {
        const struct req *req = res->req;
        res->status = e->status;
        res->content_type = arena_strdup(req->arena, e->content_type);
        buf_append(&res->body, e->body, e->len);
        for (int i = 0; i < e->n_headers; i++)
            res_header(res, arena_strdup(req->arena, e->names[i]),
                       arena_strdup(req->arena, e->values[i]));
        hit = true;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void cache_put(const char *key, unsigned long long generation, const struct res *res)
{
    if (res->status != 200 || res->body.len > CACHE_MAX_BODY)
        return;
    for (int i = 0; i < res->n_headers; i++)
        if (strcasecmp(res->headers[i].name, "Set-Cookie") == 0)
            return;
    struct entry fresh = {
        .key = xstrdup(key),
        .generation = generation,
        .status = res->status,
        .content_type = xstrdup(res->content_type ? res->content_type : "text/plain"),
        .body = xmalloc(res->body.len + 1),
        .len = res->body.len,
        .n_headers = res->n_headers,
    };
    memcpy(fresh.body, buf_cstr(&res->body), res->body.len);
    for (int i = 0; i < res->n_headers; i++) {
        fresh.names[i] = xstrdup(res->headers[i].name);
        fresh.values[i] = xstrdup(res->headers[i].value);
    }
    struct entry old;
    struct entry *e = slot_of(key);
    pthread_mutex_lock(&lock);
    old = *e;
    *e = fresh;
    pthread_mutex_unlock(&lock);
    clear(&old); /* freed outside the lock */
}
