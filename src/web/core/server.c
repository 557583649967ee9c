/* server.c — libmicrohttpd glue: limits, the per-worker database, request and response
 * translation, security headers. Must not contain routes, SQL or page markup. */
#include "web/core/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tcp.h>
#include <malloc.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "web/core/cache.h"
#include "web/core/hashpool.h"
#include "web/core/mailer.h"
#include "web/http/multipart.h"
#include "web/http/page.h"
#include "web/core/router.h"

enum {
    MAX_CONNECTIONS = 1024, /* default; above it the oldest slow connection is closed, or 503 */
    MAX_PER_ADDRESS = 256,  /* default; above it a client's connection is answered 429 */
    ADDRESS_SLOTS = 4096,
    IDLE_TIMEOUT_S = 30,    /* a connection with no request and no traffic */
    HEADER_DEADLINE_S = 10, /* from a request's first byte to the end of its headers */
    BODY_MIN_RATE = 8192,   /* bytes per second a body must keep up, after HEADER_DEADLINE_S */
    REFUSED_GRACE_S = 2,    /* an over-limit connection's request gets this long to arrive */
    EVICT_MIN_AGE_S = 1,    /* a waiting connection younger than this is never evicted */
    /* The request line and headers must fit in it (about 39 KiB; past that libmicrohttpd
     * answers 414 or 431 itself, in English). It writes over most of it on each connection:
     * at 128 KiB, 64 clients held 5 MiB. */
    MEMORY_PER_CONNECTION = 40 * 1024,
    MAX_BODY = 1024 * 1024,
};

/* Read-only after start. */
static const char *db_path;
static pthread_key_t db_key;
static const char *trusted_proxies;
static int max_connections = MAX_CONNECTIONS, max_per_address = MAX_PER_ADDRESS;

/* Open connections per client address, so that an over-limit connection gets an HTTP answer
 * (429) instead of a closed socket. Open addressing; a slot whose count fell to 0 keeps its
 * address as a tombstone so probe chains stay intact, and is reused for new addresses. */
struct address_slot {
    char addr[INET6_ADDRSTRLEN];
    int count;
};

/* Where a connection is in its life, for the deadlines the reaper enforces. libmicrohttpd only
 * has an idle timeout, which a client sending one byte every few seconds never reaches: without
 * deadlines a few hundred such clients held every connection slot, and once its own limit was
 * reached libmicrohttpd stopped accepting, leaving everyone else waiting in the backlog. */
enum conn_phase {
    CONN_WAITING, /* for a request: idle keep-alive, or its headers arriving */
    CONN_BODY,    /* headers read, the body arriving */
    CONN_BUSY,    /* the handler runs or the answer is being sent: never cut */
};

struct conn {
    struct conn *prev, *next; /* in opening order, oldest first */
    struct address_slot *slot;
    int fd;
    enum conn_phase phase;
    long long since;                /* when the phase began (monotonic seconds) */
    unsigned long long bytes_mark;  /* bytes received when WAITING began */
    long long first_byte;           /* when the reaper first saw the awaited request; 0: not yet */
    long long body_deadline;        /* CONN_BODY: when the whole body must be in */
    int refused;                    /* 429 or 503: answered if the request comes in time */
    bool cut;                       /* shut down by us; no longer counted */
};

/* Everything below is guarded by conn_lock. libmicrohttpd calls NOTIFY_CLOSED before it closes
 * a socket, and the entry is removed there under the lock: so a descriptor seen in the list
 * under the lock is still that connection's, and shutdown() on it cannot hit another socket. */
static struct address_slot address_slots[ADDRESS_SLOTS];
static struct conn *conn_head, *conn_tail;
static int open_connections; /* not counting those cut and not yet closed */
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;

/* State of one request while its body arrives. */
struct pending {
    struct buf body;
    int too_large;
    struct hash_job *job; /* password work of the handler (hashpool.h), freed at the end */
};

/* The state of a request without a body: nothing to keep. */
static struct pending no_body;

static void close_worker_db(void *db)
{
    store_close(db);
}

/* This worker thread's connection, opened on first use. */
static struct store *worker_db(void)
{
    struct store *db = pthread_getspecific(db_key);
    if (!db) {
        char err[256];
        if (store_open(db_path, &db, err, sizeof err) != ERR_OK) {
            log_error("%s", err);
            return NULL;
        }
        pthread_setspecific(db_key, db);
    }
    return db;
}

struct query_copy {
    struct req *req;
    int bad;
};

/* Copies one query parameter; a NUL byte (%00), invalid UTF-8 or too many parameters make the
 * whole request a 400. */
static enum MHD_Result copy_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct query_copy *q = cls;
    struct req *r = q->req;
    if (!value)
        value_size = 0;
    if (r->n_query == REQ_MAX_PARAMS || strlen(key) != key_size ||
        (value && strlen(value) != value_size) || !utf8_valid(key, key_size) ||
        (value && !utf8_valid(value, value_size))) {
        q->bad = 1;
        return MHD_NO;
    }
    r->query[r->n_query++] = (struct param){arena_strdup(r->arena, key),
                                            arena_strdup(r->arena, value ? value : "")};
    return MHD_YES;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct res *res, double ms)
{
    struct MHD_Response *resp;
    if (res->body.p) { /* the body's memory is handed over to libmicrohttpd: no copy */
        resp = MHD_create_response_from_buffer(res->body.len, res->body.p, MHD_RESPMEM_MUST_FREE);
        if (resp)
            res->body = (struct buf){0};
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            res->content_type ? res->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    char timing[48];
    snprintf(timing, sizeof timing, "app;dur=%.3f", ms);
    MHD_add_response_header(resp, "Server-Timing", timing);
    int has_cache = 0;
    for (int i = 0; i < res->n_headers; i++) {
        MHD_add_response_header(resp, res->headers[i].name, res->headers[i].value);
        has_cache |= strcasecmp(res->headers[i].name, "Cache-Control") == 0;
    }
    if (!has_cache)
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void address_of(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN]);

/* Joins every X-Forwarded-For line with ',' (a proxy may add a line rather than extend one). */
static enum MHD_Result join_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                      size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    struct buf *b = cls;
    if (strcasecmp(key, "X-Forwarded-For") == 0 && value && b->len + value_size < 4096) {
        if (b->len)
            buf_append(b, ",", 1);
        buf_append(b, value, value_size);
    }
    return MHD_YES;
}

/* The time a request runs at (req->now: sessions, links, the login throttle). A debug build
 * reads it, when BOUSSOLE_TEST_CLOCK names a file, from that file (Unix seconds): the tests
 * then move time forward by writing it instead of sleeping. Release builds (NDEBUG) have no
 * such door. */
long long server_clock(void)
{
#ifndef NDEBUG
    const char *path = getenv("BOUSSOLE_TEST_CLOCK");
    long long t = 0;
    FILE *f = path && *path ? fopen(path, "r") : NULL;
    if (f) {
        if (fscanf(f, "%lld", &t) != 1)
            t = 0;
        fclose(f);
    }
    if (t > 0)
        return t;
#endif
    return (long long)time(NULL);
}

/* Copies what identifies the client: cookies, bearer token, address, time. */
static void read_identity(struct MHD_Connection *conn, struct req *req)
{
    req->now = server_clock();
    const char *v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "bsl_session");
    if (v && *v && strlen(v) < 128)
        req->cookie_session = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "bsl_pre");
    if (v && *v && strlen(v) < 128)
        req->cookie_pre = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "bsl_campaign");
    if (v && *v && strlen(v) < 128)
        req->cookie_campaign = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "bsl_survey");
    if (v && *v && strlen(v) < 128)
        req->cookie_survey = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (v && strncasecmp(v, "Bearer ", 7) == 0 && strlen(v + 7) < 128)
        req->bearer = arena_strdup(req->arena, v + 7);
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (v && strlen(v) < 256)
        req->content_type = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    if (v && strlen(v) < 1024)
        req->if_none_match = arena_strdup(req->arena, v);
    char peer[INET6_ADDRSTRLEN], addr[HTTP_ADDR_LEN];
    address_of(conn, peer);
    struct buf forwarded = {0};
    if (trusted_proxies)
        MHD_get_connection_values_n(conn, MHD_HEADER_KIND, join_forwarded, &forwarded);
    http_client_address(peer, forwarded.len ? buf_cstr(&forwarded) : NULL,
                        trusted_proxies
                            ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Real-IP")
                            : NULL,
                        trusted_proxies, addr);
    buf_free(&forwarded);
    req->client_addr = arena_strdup(req->arena, addr);
}

static void address_of(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN])
{
    strcpy(out, "?");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  INET6_ADDRSTRLEN);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  INET6_ADDRSTRLEN);
}

static unsigned long hash_address(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* The slot of addr, claiming a free one if needed; called with conn_lock held. */
static struct address_slot *address_slot(const char *addr)
{
    unsigned long h = hash_address(addr);
    struct address_slot *reusable = NULL;
    for (int i = 0; i < ADDRESS_SLOTS; i++) {
        struct address_slot *s = &address_slots[(h + (unsigned long)i) % ADDRESS_SLOTS];
        if (strcmp(s->addr, addr) == 0)
            return s;
        if (!reusable && s->count == 0)
            reusable = s;
        if (!s->addr[0])
            break;
    }
    if (reusable)
        snprintf(reusable->addr, sizeof reusable->addr, "%s", addr);
    return reusable;
}

static long long mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec;
}

/* Bytes the kernel has received on the socket so far (Linux TCP_INFO): tells an idle keep-alive
 * connection from one whose next request is trickling in, bytes libmicrohttpd already read
 * included. */
static unsigned long long bytes_received(int fd)
{
    struct tcp_info info;
    socklen_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
        return 0;
    return info.tcpi_bytes_received;
}

/* Ends a connection from outside libmicrohttpd: it then sees the socket fail and closes it
 * itself (NOTIFY_CLOSED follows). Called with conn_lock held. */
static void cut(struct conn *c)
{
    if (c->cut)
        return;
    shutdown(c->fd, SHUT_RDWR);
    c->cut = true;
    open_connections--;
    if (c->slot)
        c->slot->count--;
}

/* The oldest connection waiting for a request (idle or trickling its headers) for at least
 * EVICT_MIN_AGE_S, to make room for a new one; NULL when every connection is busy. A client that
 * sends a whole request at once is never in this state long, a slow one always is. */
static struct conn *evictable(long long now)
{
    for (struct conn *c = conn_head; c; c = c->next)
        if (!c->cut && !c->refused && c->phase == CONN_WAITING && now - c->since >= EVICT_MIN_AGE_S)
            return c;
    return NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        char addr[INET6_ADDRSTRLEN];
        address_of(conn, addr);
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn *c = xcalloc(1, sizeof *c);
        c->fd = info ? info->connect_fd : -1;
        /* A trusted proxy carries many people's requests: the per-address limit is not its. */
        bool proxy = http_address_listed(addr, trusted_proxies);
        pthread_mutex_lock(&conn_lock);
        long long now = mono_now();
        c->since = now;
        c->slot = proxy ? NULL : address_slot(addr);
        if (c->slot)
            c->slot->count++;
        open_connections++;
        if (c->slot && c->slot->count > max_per_address) {
            c->refused = 429;
        } else if (open_connections > max_connections) {
            struct conn *victim = evictable(now);
            if (victim)
                cut(victim);
            else
                c->refused = 503;
        }
        c->prev = conn_tail;
        if (conn_tail)
            conn_tail->next = c;
        else
            conn_head = c;
        conn_tail = c;
        pthread_mutex_unlock(&conn_lock);
        *socket_context = c;
        return;
    }
    struct conn *c = *socket_context;
    if (!c)
        return;
    pthread_mutex_lock(&conn_lock);
    if (!c->cut) {
        open_connections--;
        if (c->slot)
            c->slot->count--;
    }
    if (c->prev)
        c->prev->next = c->next;
    else
        conn_head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        conn_tail = c->prev;
    pthread_mutex_unlock(&conn_lock);
    free(c);
    *socket_context = NULL;
}

static struct conn *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* Moves the connection to a phase; body_len: the announced body size in CONN_BODY. */
static void set_phase(struct MHD_Connection *conn, enum conn_phase phase,
                      unsigned long long body_len)
{
    struct conn *c = conn_of(conn);
    if (!c)
        return;
    unsigned long long mark = phase == CONN_WAITING ? bytes_received(c->fd) : 0;
    pthread_mutex_lock(&conn_lock);
    long long now = mono_now();
    c->phase = phase;
    c->since = now;
    c->first_byte = 0;
    c->bytes_mark = mark;
    if (body_len > MAX_BODY)
        body_len = MAX_BODY;
    c->body_deadline = now + HEADER_DEADLINE_S + (long long)(body_len / BODY_MIN_RATE);
    if (phase == CONN_WAITING)
        c->refused = 0; /* a connection answered once was within the limits then */
    pthread_mutex_unlock(&conn_lock);
}

/* 0 when the connection is within the limits, else the status to answer (429 or 503). */
static int over_limit(struct MHD_Connection *conn)
{
    const struct conn *c = conn_of(conn);
    pthread_mutex_lock(&conn_lock);
    int status = c ? c->refused : 0;
    pthread_mutex_unlock(&conn_lock);
    return status;
}

/* Once a second: cuts the connections past their deadline. */
static pthread_mutex_t reaper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reaper_wake = PTHREAD_COND_INITIALIZER;
static bool reaper_stop;

static void *reaper(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&reaper_lock);
    while (!reaper_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&reaper_wake, &reaper_lock, &until);
        if (reaper_stop)
            break;
        int slow_headers = 0, slow_bodies = 0, refused = 0;
        pthread_mutex_lock(&conn_lock);
        long long now = mono_now();
        for (struct conn *c = conn_head; c; c = c->next) {
            if (c->cut)
                continue;
            if (c->phase == CONN_WAITING && c->refused && now - c->since >= REFUSED_GRACE_S) {
                cut(c);
                refused++;
            } else if (c->phase == CONN_WAITING) {
                if (!c->first_byte && bytes_received(c->fd) > c->bytes_mark)
                    c->first_byte = now;
                if (c->first_byte && now - c->first_byte > HEADER_DEADLINE_S) {
                    cut(c);
                    slow_headers++;
                }
            } else if (c->phase == CONN_BODY && now > c->body_deadline) {
                cut(c);
                slow_bodies++;
            }
        }
        pthread_mutex_unlock(&conn_lock);
        if (slow_headers || slow_bodies || refused)
            log_info("closed %d connection(s) too slow to send their headers, %d too slow to "
                     "send their body, %d over the limits without a request",
                     slow_headers, slow_bodies, refused);
    }
    pthread_mutex_unlock(&reaper_lock);
    return NULL;
}

/* True for a JSON body ("application/json", parameters allowed): it is left to the handler
 * (req->body) instead of being read as form fields. */
static bool is_json(const char *content_type)
{
    return content_type && strncasecmp(content_type, "application/json", 16) == 0 &&
           (content_type[16] == '\0' || content_type[16] == ';' || content_type[16] == ' ');
}

/* job: where the request keeps the password work its handler asks for; NULL when the
 * request cannot wait for it (no body: the work then runs in place). */
static enum MHD_Result handle(struct MHD_Connection *conn, const char *url, const char *method,
                              struct buf *body, struct hash_job **job)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct arena arena = {0};
    struct req req = {.method = method, .path = url, .query_string = "", .arena = &arena};
    struct res res = {.req = &req, .status = 200};
    req.defer_ok = job != NULL;
    req.hash_job = job ? *job : NULL;
    struct query_copy q = {&req, 0};
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, copy_query, &q);
    read_identity(conn, &req);
    if (body && body->len) {
        req.body = arena_strndup(&arena, body->p, body->len);
        req.body_len = body->len;
    }
    req.db = worker_db();
    if (!utf8_valid(url, strlen(url)) || q.bad) {
        page_error(&req, &res, 400, "Requête invalide",
                   "L'adresse contient des caractères invalides ou trop de paramètres.");
    } else if (body && body->len && multipart_is(req.content_type) &&
               multipart_form_fields(&req) != ERR_OK) {
        page_error(&req, &res, 400, "Formulaire invalide",
                   "Le formulaire envoyé est mal formé (fichier joint ou champs illisibles).");
    } else if (body && body->len && !is_json(req.content_type) &&
               !multipart_is(req.content_type) &&
               http_parse_urlencoded(body->p, body->len, &arena, req.form, REQ_MAX_FORM,
                                     &req.n_form) != ERR_OK) {
        page_error(&req, &res, 400, "Formulaire invalide",
                   "Le formulaire envoyé est mal formé (encodage ou nombre de champs).");
    } else if (!req.db) {
        page_error(&req, &res, 503, "Service indisponible",
                   "La base de données ne peut pas être ouverte. Réessayez dans un instant.");
    } else {
        cache_dispatch(&req, &res);
    }
    if (req.db)
        store_reset_all(req.db);
    if (job && req.hash_job != *job) {
        /* The handler asked for password work: the connection waits for it without holding
         * this worker, then the handler runs again with the result. */
        *job = req.hash_job;
        buf_free(&res.body);
        arena_free(&arena);
        if (hashpool_suspend(*job, conn))
            return MHD_YES;
        return handle(conn, url, method, body, job);
    }
    enum MHD_Result ret = send_response(conn, &res, elapsed_ms(&t0));
    buf_free(&res.body);
    arena_free(&arena);
    return ret;
}

static enum MHD_Result send_plain(struct MHD_Connection *conn, unsigned status, const char *msg)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The request state of a URL with too many query parameters (see on_uri). */
static struct pending uri_too_long;

/* Called by libmicrohttpd with the request line, before it stores the query parameters: it
 * keeps each one in the connection's fixed memory pool, and with a couple of thousand it ran out
 * of memory, could not even send its own error and left the client hanging. A query with more
 * parameters than a request may have is cut here (the buffer is libmicrohttpd's writable read
 * buffer; it searched for the '?' before this call and parses what follows it after), and the
 * request is answered 414. The returned pointer is the request's initial state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    char *query = strchr(uri, '?');
    if (!query)
        return NULL;
    int params = 1;
    for (const char *s = query + 1; *s; s++)
        params += *s == '&';
    if (params <= REQ_MAX_PARAMS)
        return NULL;
    query[1] = '\0';
    return &uri_too_long;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    int has_body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    if (!*state || *state == &uri_too_long) { /* the headers are in */
        const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long body_len = len ? strtoull(len, NULL, 10) : MAX_BODY;
        set_phase(conn, has_body ? CONN_BODY : CONN_BUSY, body_len);
        int limit = over_limit(conn);
        if (limit == 429)
            return send_plain(conn, 429, "Trop de connexions depuis votre adresse : réessayez "
                                         "dans un instant.\n");
        if (limit == 503)
            return send_plain(conn, 503, "Le serveur est très sollicité : réessayez dans un "
                                         "instant.\n");
        if (*state == &uri_too_long) {
            *state = NULL;
            return send_plain(conn, 414, "Adresse trop longue : une adresse de Boussole a au "
                                         "plus 64 paramètres après le « ? ».\n");
        }
    }
    /* Answering in the first call, before libmicrohttpd has read the whole request, makes it
     * close the connection: so every request, even a GET, is answered on a later call. */
    if (!*state && !has_body) {
        *state = &no_body;
        return MHD_YES;
    }
    if (*state == &no_body)
        return handle(conn, url, method, NULL, NULL);
    struct pending *p = *state;
    if (!p) {
        const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (len && strtoull(len, NULL, 10) > MAX_BODY)
            return send_plain(conn, 413, "Requête trop volumineuse.\n");
        *state = xcalloc(1, sizeof *p);
        return MHD_YES;
    }
    if (*upload_size) {
        if (p->body.len + *upload_size > MAX_BODY)
            p->too_large = 1;
        else
            buf_append(&p->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    set_phase(conn, CONN_BUSY, 0);
    if (p->too_large)
        return send_plain(conn, 413, "Requête trop volumineuse.\n");
    return handle(conn, url, method, &p->body, &p->job);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)code;
    struct pending *p = *state;
    if (p && p != &no_body && p != &uri_too_long) {
        hashpool_free(p->job);
        buf_free(&p->body);
        free(p);
    }
    *state = NULL;
    set_phase(conn, CONN_WAITING, 0); /* a keep-alive connection now waits for its next request */
}

static int parse_listen(const char *listen, struct sockaddr_in *addr)
{
    char host[64] = "127.0.0.1";
    const char *colon = strrchr(listen, ':');
    const char *port_s = colon ? colon + 1 : listen;
    if (colon && colon != listen) {
        size_t n = (size_t)(colon - listen);
        if (n >= sizeof host)
            return ERR_INVALID;
        memcpy(host, listen, n);
        host[n] = '\0';
    }
    long long port;
    if (str_to_ll(port_s, 0, 65535, &port) != ERR_OK)
        return ERR_INVALID;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return ERR_INVALID;
    return ERR_OK;
}

int server_run(const struct server_config *cfg)
{
    struct sockaddr_in addr;
    if (parse_listen(cfg->listen, &addr) != ERR_OK) {
        fprintf(stderr, "boussole: --listen %s: expected ADDRESS:PORT, e.g. 127.0.0.1:8080\n",
                cfg->listen);
        return ERR_INVALID;
    }
    db_path = cfg->db_path;
    trusted_proxies = cfg->trusted_proxies && *cfg->trusted_proxies ? cfg->trusted_proxies : NULL;
    if (cfg->max_connections > 0)
        max_connections = cfg->max_connections;
    if (cfg->max_per_address > 0)
        max_per_address = cfg->max_per_address;
    /* libmicrohttpd's own limit is only a backstop, well above ours: when it is reached it stops
     * accepting and new clients wait unanswered in the backlog. Cut and evicted connections
     * still hold a descriptor until closed, hence twice the limit; the rest of the descriptors
     * are for the database and the logs. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    long long fd_room = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                            ? (long long)files.rlim_cur - 64
                            : 1LL << 20;
    if (2LL * max_connections + 64 > fd_room) {
        max_connections = fd_room > 256 ? (int)((fd_room - 64) / 2) : 64;
        log_info("only %lld file descriptors: at most %d connections", fd_room + 64,
                 max_connections);
    }
    /* One malloc arena for every thread: the workers mostly copy cached pages, and an arena
     * per thread kept each one's freed copies (1 MiB less at the peak of make bench). */
    mallopt(M_ARENA_MAX, 1);
    pthread_key_create(&db_key, close_worker_db);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : cores > 0 ? (unsigned)cores : 2;

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* worker threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);

#ifndef NDEBUG
    /* Said before the socket listens: a test that waits for the port then reads the log finds it. */
    const char *test_clock = getenv("BOUSSOLE_TEST_CLOCK");
    if (test_clock)
        log_info("test clock: requests run at the time written in %s", test_clock);
#endif
    if (mailer_start(cfg->db_path) != ERR_OK || hashpool_start(0, 0) != ERR_OK) {
        fprintf(stderr, "boussole: cannot start the mail sender or the password threads\n");
        mailer_stop();
        return ERR_IO;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(2 * max_connections + 64), MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)MEMORY_PER_CONNECTION, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        hashpool_stop();
        mailer_stop();
        fprintf(stderr, "boussole: cannot listen on %s (address in use or not allowed)\n",
                cfg->listen);
        return ERR_IO;
    }
    pthread_t reaper_thread;
    bool reaping = pthread_create(&reaper_thread, NULL, reaper, NULL) == 0;
    if (!reaping)
        log_error("cannot start the thread that closes slow connections: %s", strerror(errno));
    log_info("Boussole listening on http://%s/ (%u workers, database %s)", cfg->listen, threads,
             cfg->db_path);
    int sig;
    sigwait(&stop, &sig);
    log_info("stopping (signal %d)", sig);
    hashpool_stop(); /* resumes every connection waiting for it: the daemon can stop */
    if (reaping) {
        pthread_mutex_lock(&reaper_lock);
        reaper_stop = true;
        pthread_cond_signal(&reaper_wake);
        pthread_mutex_unlock(&reaper_lock);
        pthread_join(reaper_thread, NULL);
    }
    MHD_stop_daemon(d);
    mailer_stop();
    return ERR_OK;
}
