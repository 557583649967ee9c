/* router.h — the route table's shape and the one place where a request meets its handler,
 * after the role and CSRF checks the table declares. */
#ifndef WEB_ROUTER_H
#define WEB_ROUTER_H

#include <stdbool.h>

#include "http.h"

/* Who may use a route. Only ROLE_PUBLIC exists until accounts land; the table already says it. */
enum role { ROLE_PUBLIC, ROLE_CARRIER, ROLE_COORDINATOR, ROLE_ADMIN };

typedef int (*handler_fn)(struct req *, struct res *);

struct route {
    const char *method;  /* "GET" (also answers HEAD) or "POST" */
    const char *pattern; /* literal path with {id} parts: "/contracts/{id}/actions" */
    handler_fn handler;
    enum role role;
    bool csrf;
};

/* The route table (routes.c), ended by an entry whose method is NULL. */
extern const struct route routes[];

/* Matches path against pattern, filling ids; true on a match. */
bool router_match(const char *pattern, const char *path, long long *ids, int *n_ids);
/* Finds the route, runs its checks and its handler; always fills res (404, 405 included). */
void router_dispatch(struct req *req, struct res *res);

#endif
