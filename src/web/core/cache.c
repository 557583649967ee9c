/* cache.c — two fixed-size tables of answers, replaced in place (direct-mapped), each guarded
 * by one lock: the visitors' whole answers, and the signed-in pages shared by everyone who sees
 * the same thing, kept with holes where each person's own values (CSRF token, name) go. */
#include "web/core/cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secret.h"
#include "model/account/account.h"
#include "web/core/auth.h"
#include "web/core/router.h"

enum {
    CACHE_ENTRIES = 512,
    CACHE_MAX_BODY = 512 * 1024,
    /* The whole table, emptied when an answer would pass it: unique query strings (each one a
     * key) could otherwise hold 512 answers of 512 KiB. 1 MiB holds a contract's dashboards
     * and action pages; it keeps make bench's peak RSS under load below 30 MiB. */
    CACHE_CAP_BYTES = 1024 * 1024,
};

struct entry {
    char *key;
    unsigned long long generation;
    int status;
    char *content_type, *body;
    size_t len, bytes;
    int n_headers;
    char *names[RES_MAX_HEADERS], *values[RES_MAX_HEADERS];
};

static struct entry entries[CACHE_ENTRIES];
static size_t entries_bytes;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Sizes an empty body for n bytes: growing by doubling from 256 gave a 69 kB page a 128 KiB
 * block, a whole spare half of it on each answer in flight. */
static void reserve(struct buf *b, size_t n)
{
    if (b->p || !n)
        return;
    b->p = xmalloc(n + 1);
    b->cap = n + 1;
    b->p[0] = '\0';
}

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
        reserve(&res->body, e->len);
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
    fresh.bytes = fresh.len + strlen(key) + strlen(fresh.content_type);
    for (int i = 0; i < res->n_headers; i++) {
        fresh.names[i] = xstrdup(res->headers[i].name);
        fresh.values[i] = xstrdup(res->headers[i].value);
        fresh.bytes += strlen(fresh.names[i]) + strlen(fresh.values[i]);
    }
    struct entry old;
    struct entry *e = slot_of(key);
    pthread_mutex_lock(&lock);
    old = *e;
    entries_bytes -= old.bytes;
    if (entries_bytes + fresh.bytes > CACHE_CAP_BYTES) {
        for (int i = 0; i < CACHE_ENTRIES; i++)
            if (&entries[i] != e)
                clear(&entries[i]);
        entries_bytes = 0;
    }
    *e = fresh;
    entries_bytes += fresh.bytes;
    pthread_mutex_unlock(&lock);
    clear(&old); /* freed outside the lock */
}

/* ---- signed-in pages, shared by visibility ---------------------------------------------------
 * A page is rendered once per visibility with markers in place of the per-person values, kept
 * cut at the markers, and each request gets it stitched with its own values. Only routes read
 * and checked to depend on nothing of the account but what the visibility key holds are here:
 * their handlers look at the account only through auth_may, auth_sees_private and its
 * organisation (scope_action), print its name only in the page frame (page.c) and its CSRF
 * token only through auth_form_token. Never a /my/ or /account page. */
static const char *const shared_routes[] = {
    "/contracts/{id}/dashboard",
    "/contracts/{id}/actions",
    "/actions/{id}",
    "/api/v1/contracts/{id}/actions",
    NULL,
};

enum {
    SHARED_ENTRIES = 1024,
    SHARED_CAP_BYTES = 4 * 1024 * 1024, /* the whole table; emptied when a page would pass it */
    SHARED_MAX_SLOTS = 64,
    MARKER_PREFIX_LEN = SECRET_TOKEN_LEN - 3, /* + a 3-letter kind: a CSRF marker is as long as a
                                               * token, so auth_form_token takes it as one */
};

enum slot_kind { SLOT_CSRF, SLOT_NAME };

struct slot {
    size_t at; /* offset in the body with the markers taken out */
    enum slot_kind kind;
};

struct shared_entry {
    char *key;
    unsigned long long generation, tag_seed; /* tag_seed: a hash of the cut page */
    char *content_type, *body;
    size_t len, bytes;
    int n_slots, n_headers;
    struct slot *slots;
    char *names[RES_MAX_HEADERS], *values[RES_MAX_HEADERS];
};

static struct shared_entry shared[SHARED_ENTRIES];
static size_t shared_bytes;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

/* Random for each process and never sent (every marker is replaced before an answer leaves),
 * so no stored text can hold one: 240 random bits. */
static char marker_prefix[MARKER_PREFIX_LEN + 1];
static char marker_csrf[SECRET_TOKEN_LEN + 1], marker_name[SECRET_TOKEN_LEN + 1],
    marker_email[SECRET_TOKEN_LEN + 1];
static bool shared_enabled;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_init(void)
{
    char token[SECRET_TOKEN_LEN + 1];
    secret_token(token);
    memcpy(marker_prefix, token, MARKER_PREFIX_LEN);
    marker_prefix[MARKER_PREFIX_LEN] = '\0';
    snprintf(marker_csrf, sizeof marker_csrf, "%sCSR", marker_prefix);
    snprintf(marker_name, sizeof marker_name, "%sNAM", marker_prefix);
    snprintf(marker_email, sizeof marker_email, "%sEML", marker_prefix);
    /* BOUSSOLE_SHARED_CACHE=off renders every signed-in page: the tests compare both. */
    const char *env = getenv("BOUSSOLE_SHARED_CACHE");
    shared_enabled = !(env && strcmp(env, "off") == 0);
}

static bool shared_route(const char *path)
{
    long long ids[REQ_MAX_IDS];
    int n_ids;
    for (int i = 0; shared_routes[i]; i++)
        if (router_match(shared_routes[i], path, ids, &n_ids))
            return true;
    return false;
}

/* A signed-in GET of a listed route, without a campaign's or questionnaire's cookie. */
static bool shared_eligible(const struct req *req)
{
    pthread_once(&shared_once, shared_init);
    return shared_enabled &&
           (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
           (req->cookie_session || req->bearer) && !req->cookie_campaign && !req->cookie_survey &&
           shared_route(req->path);
}

/* Everything the listed pages may depend on apart from the data (store_generation) and the
 * per-person values: the account's role, the contract it is tied to, the organisation it
 * carries for (auth_may, auth_sees_private, scope_action), whether it came with a browser
 * session (the page frame shows the account menu) or a bearer token, and the day (forms
 * default to the current year, deadlines count days); then the path and query. */
static char *shared_key(const struct req *req)
{
    const struct account *a = req->account;
    struct buf b = {0};
    buf_puts(&b, a->role);
    buf_printf(&b, "\x01%lld\x01%lld\x01%c\x01%lld\x01", a->contract_id, a->organisation_id,
               req->session ? 's' : 'b', req->now / 86400);
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

static void shared_clear(struct shared_entry *e)
{
    free(e->key);
    free(e->content_type);
    free(e->body);
    free(e->slots);
    for (int i = 0; i < e->n_headers; i++) {
        free(e->names[i]);
        free(e->values[i]);
    }
    memset(e, 0, sizeof *e);
}

static unsigned long long fnv(unsigned long long h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001B3ull;
    return h;
}

/* Writes the page of e with this request's own values in its holes, escaped as the page frame
 * and the forms escape them (%h), and its weak entity tag: the cut page's hash mixed with the
 * values, so that it changes with the data and with the person without hashing the whole page
 * again. Called with shared_lock held. */
static void stitch(struct req *req, struct res *res, const struct shared_entry *e)
{
    res->status = 200;
    res->content_type = arena_strdup(req->arena, e->content_type);
    for (int i = 0; i < e->n_headers; i++)
        res_header(res, arena_strdup(req->arena, e->names[i]),
                   arena_strdup(req->arena, e->values[i]));
    reserve(&res->body, e->len + (size_t)e->n_slots * 2 * SECRET_TOKEN_LEN);
    const char *csrf = NULL;
    unsigned long long tag = e->tag_seed;
    size_t at = 0;
    for (int i = 0; i < e->n_slots; i++) {
        buf_append(&res->body, e->body + at, e->slots[i].at - at);
        at = e->slots[i].at;
        size_t before = res->body.len;
        if (e->slots[i].kind == SLOT_NAME) {
            buf_printf(&res->body, "%h", req->account->name);
        } else {
            if (!csrf) /* the session's token, or the pre-session cookie's (set if missing) */
                csrf = auth_form_token(req, res);
            buf_printf(&res->body, "%h", csrf);
        }
        tag = fnv(tag ^ (unsigned long long)i, res->body.p + before, res->body.len - before);
    }
    buf_append(&res->body, e->body + at, e->len - at);
    char *etag = arena_alloc(req->arena, 24);
    snprintf(etag, 24, "W/\"%016llx\"", tag);
    res_header(res, "ETag", etag);
}

/* Cuts a page rendered with markers into an entry; false when it must not be shared: not a
 * 200, sets a cookie or its own tag, marked no-store, too big, a marker outside an HTML page,
 * or one of an unknown kind (the e-mail's: no listed page shows it, so the escaping it would
 * need is unknown). */
static bool cut_template(const struct res *t, struct shared_entry *e)
{
    if (t->status != 200 || t->body.len > SHARED_CAP_BYTES / 4)
        return false;
    for (int i = 0; i < t->n_headers; i++)
        if (strcasecmp(t->headers[i].name, "Set-Cookie") == 0 ||
            strcasecmp(t->headers[i].name, "ETag") == 0 ||
            (strcasecmp(t->headers[i].name, "Cache-Control") == 0 &&
             strstr(t->headers[i].value, "no-store")))
            return false;
    const char *type = t->content_type ? t->content_type : "text/plain";
    bool html = strncmp(type, "text/html", 9) == 0;
    const char *p = t->body.p ? t->body.p : "", *end = p + t->body.len;
    struct buf body = {0};
    struct slot slots[SHARED_MAX_SLOTS];
    int n = 0;
    for (;;) {
        const char *m = memmem(p, (size_t)(end - p), marker_prefix, MARKER_PREFIX_LEN);
        if (!m)
            break;
        if (!html || n == SHARED_MAX_SLOTS || end - m < SECRET_TOKEN_LEN ||
            (memcmp(m, marker_csrf, SECRET_TOKEN_LEN) != 0 &&
             memcmp(m, marker_name, SECRET_TOKEN_LEN) != 0)) {
            buf_free(&body);
            return false;
        }
        buf_append(&body, p, (size_t)(m - p));
        slots[n++] = (struct slot){
            body.len, memcmp(m, marker_csrf, SECRET_TOKEN_LEN) == 0 ? SLOT_CSRF : SLOT_NAME};
        p = m + SECRET_TOKEN_LEN;
    }
    buf_append(&body, p, (size_t)(end - p));
    e->content_type = xstrdup(type);
    e->len = body.len;
    e->body = xmalloc(body.len + 1);
    memcpy(e->body, buf_cstr(&body), body.len);
    buf_free(&body);
    e->tag_seed = fnv(fnv(0xCBF29CE484222325ull, type, strlen(type)), e->body, e->len);
    for (int i = 0; i < n; i++) {
        unsigned long long at = slots[i].at * 2 + (slots[i].kind == SLOT_CSRF);
        e->tag_seed = fnv(e->tag_seed, (const char *)&at, sizeof at);
    }
    e->n_slots = n;
    e->slots = xmalloc(sizeof *e->slots * (size_t)(n ? n : 1));
    memcpy(e->slots, slots, sizeof *slots * (size_t)n);
    e->n_headers = t->n_headers;
    e->bytes = e->len + sizeof *e->slots * (size_t)n + strlen(type);
    for (int i = 0; i < t->n_headers; i++) {
        e->names[i] = xstrdup(t->headers[i].name);
        e->values[i] = xstrdup(t->headers[i].value);
        e->bytes += strlen(e->names[i]) + strlen(e->values[i]);
    }
    return true;
}

/* Renders the route for the request's visibility: the account's name and e-mail and the form
 * token replaced by markers, everything else as the request has it. */
static void render_template(struct req *req, struct res *t)
{
    struct session *session = req->session, s;
    struct account *account = req->account, a = *account;
    const char *pre = req->cookie_pre;
    a.name = marker_name;
    a.email = marker_email;
    if (session) {
        s = *session;
        s.csrf = marker_csrf;
        s.account = a;
        req->session = &s;
        req->account = &s.account;
    } else {
        req->account = &a;
    }
    req->cookie_pre = marker_csrf;
    router_dispatch(req, t);
    req->session = session;
    req->account = account;
    req->cookie_pre = pre;
}

/* Keeps e under its key, emptying the whole table first when it would pass its cap. */
static void shared_put(struct shared_entry *e)
{
    unsigned long h = 5381;
    for (const char *p = e->key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    struct shared_entry *slot = &shared[h % SHARED_ENTRIES];
    pthread_mutex_lock(&shared_lock);
    shared_bytes -= slot->bytes;
    shared_clear(slot);
    if (shared_bytes + e->bytes > SHARED_CAP_BYTES) {
        for (int i = 0; i < SHARED_ENTRIES; i++)
            shared_clear(&shared[i]);
        shared_bytes = 0;
    }
    *slot = *e;
    shared_bytes += e->bytes;
    pthread_mutex_unlock(&shared_lock);
}

static bool shared_get(struct req *req, struct res *res, const char *key,
                       unsigned long long generation)
{
    unsigned long h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    const struct shared_entry *e = &shared[h % SHARED_ENTRIES];
    bool hit = false;
    pthread_mutex_lock(&shared_lock);
    if (e->key && e->generation == generation && strcmp(e->key, key) == 0) {
        stitch(req, res, e);
        hit = true;
    }
    pthread_mutex_unlock(&shared_lock);
    return hit;
}

/* Answers a signed-in request of a listed route from the shared table, filling it on a miss;
 * false when the request is not one (nothing is written to res then). */
static bool shared_answer(struct req *req, struct res *res)
{
    if (!shared_eligible(req))
        return false;
    unsigned long long generation = store_generation(req->db);
    auth_identify_at(req, generation);
    if (!req->account)
        return false;
    char *key = shared_key(req);
    if (shared_get(req, res, key, generation)) {
        res_header(res, "X-Boussole-Cache", "shared-hit");
        return true;
    }
    struct res t = {.req = req, .status = 200};
    render_template(req, &t);
    struct shared_entry e = {.generation = generation};
    bool kept = cut_template(&t, &e);
    buf_free(&t.body);
    if (!kept) { /* rendered again as it is, with the person's own values */
        shared_clear(&e);
        return false;
    }
    stitch(req, res, &e);
    e.key = xstrdup(key);
    e.bytes += strlen(key);
    shared_put(&e);
    res_header(res, "X-Boussole-Cache", "shared-miss");
    return true;
}

void cache_dispatch(struct req *req, struct res *res)
{
    if (shared_answer(req, res)) {
        http_not_modified(req, res);
        return;
    }
    char *key = cache_key(req);
    unsigned long long generation = key ? store_generation(req->db) : 0;
    if (key && cache_get(key, generation, res)) {
        res_header(res, "X-Cache", "hit");
    } else {
        router_dispatch(req, res);
        http_tag(req, res);
        if (key)
            cache_put(key, generation, res);
    }
    http_not_modified(req, res);
}
