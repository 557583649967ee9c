/* router.h — the route table's shape and the one place where a request meets its handler,
 * after the role and CSRF checks the table declares. */
#ifndef WEB_ROUTER_H
#define WEB_ROUTER_H

#include <stdbool.h>

#include "web/http/http.h"

/* Who may use a route (see docs/permissions.md for the same table in words):
 * ROLE_PUBLIC anyone; ROLE_SIGNED_IN any account; ROLE_CARRIER a carrier of the action in scope
 * or the contract's coordination; ROLE_COORDINATOR the contract's coordination; ROLE_ADMIN the
 * instance's administrators; ROLE_REGIONAL the administrators and the accounts that read the
 * region in scope (an ARS officer, table account_region). An admin may do everything; an account
 * tied to a contract nothing outside it. */
enum role {
    ROLE_PUBLIC,
    ROLE_SIGNED_IN,
    ROLE_CARRIER,
    ROLE_COORDINATOR,
    ROLE_ADMIN,
    ROLE_REGIONAL
};

/* What the route's first {id} names, so the check can find its contract and carriers. */
enum scope {
    SCOPE_NONE,
    SCOPE_CONTRACT,
    SCOPE_ACTION,
    SCOPE_OBJECTIVE,
    SCOPE_SIGNATORY,
    SCOPE_BODY,      /* a governance body (its contract) */
    SCOPE_MEETING,   /* a meeting (its contract) */
    SCOPE_PERSON,    /* a contact record (its contract) */
    SCOPE_INDICATOR, /* an indicator (its contract; for an action's, its carriers) */
    SCOPE_SURVEY,    /* an evaluation questionnaire (its contract) */
    SCOPE_REGION,    /* a region, by its INSEE code (no contract) */
};

typedef int (*handler_fn)(struct req *, struct res *);

struct route {
    const char *method;  /* "GET" (also answers HEAD) or "POST" */
    const char *pattern; /* literal path with {id} parts: "/contracts/{id}/actions" */
    handler_fn handler;
    enum role role;
    enum scope scope;
    bool csrf; /* a form token must come with the request (state-changing routes) */
};

/* The route table (routes.c), ended by an entry whose method is NULL. */
extern const struct route routes[];

/* Matches path against pattern, filling ids; true on a match. */
bool router_match(const char *pattern, const char *path, long long *ids, int *n_ids);
/* True when target is a page of this site a GET route answers, safe as a redirect chosen by the
 * client (login's "next"): "/path" or "/path?query" in plain printable ASCII, the path without
 * any %-escape, "//", backslash, control character or blank. Anything else (another host, a
 * scheme, an encoded trick, an unknown page) is false: the caller uses its default page. */
bool router_is_local_get(const char *target);
/* Writes the route table as a Markdown table (docs/permissions.md is this output). */
void router_permissions_markdown(struct buf *b);
/* Finds the route, runs its checks and its handler; always fills res (404, 405 included). */
void router_dispatch(struct req *req, struct res *res);

#endif
