/* http.h — what a handler sees of a request and fills in for the response. Handlers do not know
 * the socket: a unit test can build a struct req, call a handler and read the struct res. */
#ifndef WEB_HTTP_H
#define WEB_HTTP_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/str.h"
#include "store/db.h"

struct session;
struct account;
struct hash_job;

struct param {
    const char *key, *value;
};

/* REQ_MAX_FORM: a form may hold many ticked boxes (an action sheet's communes, lists…). */
enum { REQ_MAX_IDS = 4, REQ_MAX_PARAMS = 64, REQ_MAX_FORM = 512, RES_MAX_HEADERS = 12 };

struct req {
    const char *method, *path;  /* path is URL-decoded, without the query string */
    const char *query_string;   /* raw, for links that keep the filters; "" if none */
    struct param query[REQ_MAX_PARAMS];
    int n_query;
    struct param form[REQ_MAX_FORM]; /* urlencoded POST body fields */
    int n_form;
    long long ids[REQ_MAX_IDS]; /* the {id} parts of the route pattern, in order */
    int n_ids;
    struct arena *arena; /* freed when the response is sent */
    struct store *db;    /* this worker thread's connection */
    long long now;       /* Unix time at the start of the request */
    const char *client_addr;    /* the peer's IP address, for throttling and logs */
    const char *cookie_session; /* raw cookie values, NULL when absent */
    const char *cookie_pre;
    const char *cookie_campaign; /* a campaign link's session (web/campaign), NULL when absent */
    const char *cookie_survey;  /* a questionnaire link's session (web/survey), NULL when absent */
    const char *bearer;         /* token of "Authorization: Bearer …", NULL when absent */
    const char *content_type;   /* the Content-Type header, NULL when absent */
    const char *if_none_match;  /* the If-None-Match header (ETags of a cached copy), or NULL */
    const char *body;           /* the raw request body, NUL-terminated; NULL when none */
    size_t body_len;            /* its length (the server caps it at 1 MiB) */
    struct session *session;    /* set by auth_identify for a logged-in browser */
    struct account *account;    /* the acting account (session or bearer); NULL: public */
    bool defer_ok;              /* the server can run password work off the worker and call
                                 * the handler again (web/core/hashpool.h); false in unit tests */
    struct hash_job *hash_job;  /* that work, asked for by the handler or done (hashpool.c) */
};

struct header {
    const char *name, *value;
};

struct res {
    const struct req *req; /* the request answered, for the layout (who is logged in) */
    int status;
    const char *content_type;
    struct buf body;
    struct header headers[RES_MAX_HEADERS];
    int n_headers;
};

/* The value of query parameter key, or NULL when absent (the first one if repeated). */
const char *req_query(const struct req *r, const char *key);
/* The value of form field key, or NULL when absent. */
const char *req_form(const struct req *r, const char *key);
/* Adds a response header; name and value must live as long as the request (literals or arena). */
void res_header(struct res *res, const char *name, const char *value);
/* Answers a conditional GET or HEAD: when res is a 200 carrying an ETag that req's If-None-Match
 * names (weak comparison, or "*"), it becomes a 304 without body, its headers kept. True then. */
bool http_not_modified(const struct req *req, struct res *res);
/* Gives a 200 answer to a GET or HEAD that has no ETag a weak one made from its bytes and type,
 * so that every page can be revalidated with a 304 (the answer is still built: this saves the
 * transfer, not the work). Left alone: other methods and statuses, answers marked no-store. */
void http_tag(const struct req *req, struct res *res);

/* Parses an application/x-www-form-urlencoded string (query or body) into params, decoding
 * %XX and '+'; strings are copied into the arena. Fails (ERR_INVALID) on more than max fields, a
 * bad %-escape or invalid UTF-8 — the caller answers 400. */
int http_parse_urlencoded(const char *s, size_t len, struct arena *a, struct param *params,
                          int max, int *n) MUST_CHECK;

/* Room for a textual IPv4 or IPv6 address and its NUL (INET6_ADDRSTRLEN). */
enum { HTTP_ADDR_LEN = 46 };

/* The client's address, for throttling and logs. It is peer, unless peer is one of `trusted`
 * (comma-separated IP addresses of reverse proxies, NULL or "" for none): then it is the
 * right-most address of forwarded_for (X-Forwarded-For, all its lines joined by ',') that is not
 * a trusted proxy, or real_ip (X-Real-IP) when there is no X-Forwarded-For. An address that does
 * not parse ends the walk: the last trusted hop is used. out is in canonical text form. */
void http_client_address(const char *peer, const char *forwarded_for, const char *real_ip,
                         const char *trusted, char out[HTTP_ADDR_LEN]);
/* True when addr is one of the comma-separated IP addresses of list. */
bool http_address_listed(const char *addr, const char *list);

#endif
