/* server.c — libmicrohttpd glue: limits, the per-worker database, request and response
 * translation, security headers. Must not contain routes, SQL or page markup. */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../base/log.h"
#include "cache.h"
#include "hashpool.h"
#include "mailer.h"
#include "multipart.h"
#include "page.h"
#include "router.h"

enum {
    MAX_CONNECTIONS = 1024, /* above it a request is answered 503 */
    MAX_PER_ADDRESS = 256,  /* above it a client's request is answered 429 */
    HARD_MARGIN = 64,       /* libmicrohttpd refuses connections beyond limit + margin */
    ADDRESS_SLOTS = 4096,
    IDLE_TIMEOUT_S = 30,
    MEMORY_PER_CONNECTION = 128 * 1024, /* request headers must fit in it */
    MAX_BODY = 1024 * 1024,
};

/* Read-only after start. */
static const char *db_path;
static pthread_key_t db_key;

/* Open connections per client address, so that an over-limit request gets an HTTP answer
 * (429/503) instead of a closed socket. Open addressing; a slot whose count fell to 0 keeps its
 * address as a tombstone so probe chains stay intact, and is reused for new addresses. */
struct address_slot {
    char addr[INET6_ADDRSTRLEN];
    int count;
};
static struct address_slot address_slots[ADDRESS_SLOTS];
static int open_connections;
static pthread_mutex_t address_lock = PTHREAD_MUTEX_INITIALIZER;

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

/* Copies what identifies the client: cookies, bearer token, address, time. */
static void read_identity(struct MHD_Connection *conn, struct req *req)
{
    req->now = (long long)time(NULL);
    const char *v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "bsl_session");
    if (v && *v && strlen(v) < 128)
        req->cookie_session = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "bsl_pre");
    if (v && *v && strlen(v) < 128)
        req->cookie_pre = arena_strdup(req->arena, v);
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (v && strncasecmp(v, "Bearer ", 7) == 0 && strlen(v + 7) < 128)
        req->bearer = arena_strdup(req->arena, v + 7);
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (v && strlen(v) < 256)
        req->content_type = arena_strdup(req->arena, v);
    char addr[INET6_ADDRSTRLEN];
    address_of(conn, addr);
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

/* The slot of addr, claiming a free one if needed; called with address_lock held. */
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

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    pthread_mutex_lock(&address_lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        char addr[INET6_ADDRSTRLEN];
        address_of(conn, addr);
        struct address_slot *s = address_slot(addr);
        if (s)
            s->count++;
        *socket_context = s;
        open_connections++;
    } else {
        struct address_slot *s = *socket_context;
        if (s)
            s->count--;
        open_connections--;
    }
    pthread_mutex_unlock(&address_lock);
}

/* 0 when the connection is within the limits, else the status to answer (429 or 503). */
static int over_limit(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const struct address_slot *s = info ? info->socket_context : NULL;
    pthread_mutex_lock(&address_lock);
    int status = open_connections > MAX_CONNECTIONS   ? 503
                 : s && s->count > MAX_PER_ADDRESS    ? 429
                                                      : 0;
    pthread_mutex_unlock(&address_lock);
    return status;
}

/* True for a JSON body ("application/json", parameters allowed): it is left to the handler
 * (req->body) instead of being read as form fields. */
static bool is_json(const char *content_type)
{
    return content_type && strncasecmp(content_type, "application/json", 16) == 0 &&
           (content_type[16] == '\0' || content_type[16] == ';' || content_type[16] == ' ');
}

/* Runs the route, or answers an anonymous request from the shared cache while the data is
 * unchanged since the cached copy was made. */
static void dispatch_or_cached(struct req *req, struct res *res)
{
    char *key = cache_key(req);
    unsigned long long generation = key ? store_generation(req->db) : 0;
    if (key && cache_get(key, generation, res)) {
        res_header(res, "X-Cache", "hit");
        return;
    }
    router_dispatch(req, res);
    if (key)
        cache_put(key, generation, res);
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
        dispatch_or_cached(&req, &res);
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    int limit = *state ? 0 : over_limit(conn);
    if (limit == 429)
        return send_plain(conn, 429, "Trop de connexions depuis votre adresse : réessayez dans "
                                     "un instant.\n");
    if (limit == 503)
        return send_plain(conn, 503, "Le serveur est très sollicité : réessayez dans un "
                                     "instant.\n");
    /* Answering in the first call, before libmicrohttpd has read the whole request, makes it
     * close the connection: so every request, even a GET, is answered on a later call. */
    int has_body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
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
    if (p->too_large)
        return send_plain(conn, 413, "Requête trop volumineuse.\n");
    return handle(conn, url, method, &p->body, &p->job);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    struct pending *p = *state;
    if (p && p != &no_body) {
        hashpool_free(p->job);
        buf_free(&p->body);
        free(p);
        *state = NULL;
    }
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
    pthread_key_create(&db_key, close_worker_db);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : cores > 0 ? (unsigned)cores : 2;

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* worker threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);

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
        (unsigned)(MAX_CONNECTIONS + HARD_MARGIN), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(MAX_PER_ADDRESS + HARD_MARGIN), MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_PER_CONNECTION,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        hashpool_stop();
        mailer_stop();
        fprintf(stderr, "boussole: cannot listen on %s (address in use or not allowed)\n",
                cfg->listen);
        return ERR_IO;
    }
    log_info("Boussole listening on http://%s/ (%u workers, database %s)", cfg->listen, threads,
             cfg->db_path);
    int sig;
    sigwait(&stop, &sig);
    log_info("stopping (signal %d)", sig);
    hashpool_stop(); /* resumes every connection waiting for it: the daemon can stop */
    MHD_stop_daemon(d);
    mailer_stop();
    return ERR_OK;
}
