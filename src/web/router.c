/* router.c — path matching and dispatch. Must not hold any route: they are all in routes.c. */
#include "router.h"

#include <string.h>

#include "auth.h"
#include "page.h"

bool router_match(const char *pattern, const char *path, long long *ids, int *n_ids)
{
    *n_ids = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (strncmp(p, "{id}", 4) == 0) {
            long long v = 0;
            const char *start = s;
            while (*s >= '0' && *s <= '9' && s - start < 15)
                v = v * 10 + (*s++ - '0');
            if (s == start || (*s >= '0' && *s <= '9') || *n_ids == REQ_MAX_IDS)
                return false;
            ids[(*n_ids)++] = v;
            p += 4;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *s == '\0';
}

void router_dispatch(struct req *req, struct res *res)
{
    bool path_known = false;
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    for (const struct route *r = routes; r->method; r++) {
        if (!router_match(r->pattern, req->path, req->ids, &req->n_ids))
            continue;
        path_known = true;
        if (strcmp(r->method, method) != 0)
            continue;
        auth_identify(req);
        if (auth_check(req, res, r) != 0 || (r->csrf && auth_check_csrf(req, res) != 0))
            return;
        r->handler(req, res);
        return;
    }
    if (path_known) {
        res_header(res, "Allow", strcmp(method, "GET") == 0 ? "POST" : "GET, HEAD");
        page_error(req, res, 405, "Méthode non permise",
                   "Cette adresse ne s'utilise pas ainsi.");
        return;
    }
    page_error(req, res, 404, "Page introuvable",
               "Cette adresse ne correspond à aucune page de Boussole.");
}
