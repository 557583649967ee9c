/* router.c — path matching and dispatch. Must not hold any route: they are all in routes.c.
 * printf-text: prints the permission table as Markdown text, no markup. */
#include "web/core/router.h"

#include <string.h>

#include "web/core/auth.h"
#include "web/http/page.h"

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

bool router_is_local_get(const char *target)
{
    if (!target || target[0] != '/')
        return false;
    /* Browsers drop TAB, CR and LF inside URLs and read a backslash as "/": "/<TAB>/evil.test"
     * would leave the site. Only plain printable ASCII is accepted. */
    size_t path_len = 0;
    bool in_path = true;
    for (const char *s = target; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= ' ' || c >= 0x7f || c == '\\')
            return false;
        if (c == '?' || c == '#')
            in_path = false;
        if (in_path) {
            if (c == '%')
                return false; /* no route has one: only a decoding trick would */
            path_len++;
        }
    }
    char path[512];
    if (path_len >= sizeof path || (path_len > 1 && target[1] == '/'))
        return false;
    memcpy(path, target, path_len);
    path[path_len] = '\0';
    long long ids[REQ_MAX_IDS];
    int n_ids;
    for (const struct route *r = routes; r->method; r++)
        if (strcmp(r->method, "GET") == 0 && router_match(r->pattern, path, ids, &n_ids))
            return true;
    return false;
}

void router_dispatch(struct req *req, struct res *res)
{
    bool get_exists = false, post_exists = false;
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    for (const struct route *r = routes; r->method; r++) {
        if (!router_match(r->pattern, req->path, req->ids, &req->n_ids))
            continue;
        if (strcmp(r->method, method) != 0) {
            get_exists |= strcmp(r->method, "GET") == 0;
            post_exists |= strcmp(r->method, "POST") == 0;
            continue;
        }
        auth_identify(req);
        if (auth_check(req, res, r) != 0 || (r->csrf && auth_check_csrf(req, res) != 0))
            return;
        r->handler(req, res);
        return;
    }
    if (get_exists || post_exists) {
        res_header(res, "Allow", get_exists && post_exists ? "GET, HEAD, POST"
                                 : get_exists              ? "GET, HEAD"
                                                           : "POST");
        page_error(req, res, 405, "Méthode non permise",
                   "Cette adresse ne s'utilise pas ainsi.");
        return;
    }
    page_error(req, res, 404, "Page introuvable",
               "Cette adresse ne correspond à aucune page de Boussole.");
}

static const char *role_words(enum role r)
{
    switch (r) {
    case ROLE_PUBLIC: return "anyone (public)";
    case ROLE_SIGNED_IN: return "any signed-in account";
    case ROLE_CARRIER: return "the action's carrier, coordination";
    case ROLE_COORDINATOR: return "the contract's coordination";
    case ROLE_ADMIN: return "administrators";
    case ROLE_REGIONAL: return "administrators, the region's accounts";
    }
    return "?";
}

static const char *scope_words(enum scope s)
{
    switch (s) {
    case SCOPE_NONE: return "—";
    case SCOPE_CONTRACT: return "contract";
    case SCOPE_ACTION: return "action (its contract, its carriers)";
    case SCOPE_OBJECTIVE: return "objective (its contract)";
    case SCOPE_SIGNATORY: return "signatory (its contract)";
    case SCOPE_BODY: return "governance body (its contract)";
    case SCOPE_MEETING: return "meeting (its contract)";
    case SCOPE_PERSON: return "person (its contract)";
    case SCOPE_INDICATOR: return "indicator (its contract; an action's: its carriers)";
    case SCOPE_SURVEY: return "survey (its contract)";
    case SCOPE_REGION: return "region";
    }
    return "?";
}

void router_permissions_markdown(struct buf *b)
{
    buf_puts(b, "# Permissions\n\n"
                "Generated from the route table (`src/web/routes.c`) by `boussole routes`; "
                "`make check` fails when this file and the table differ.\n\n"
                "An administrator may do everything. An account tied to a contract sees and "
                "changes nothing of another contract. A carrier is tied to an organisation and "
                "changes only the actions that organisation carries or co-carries. An account "
                "with a region (an ARS officer) reads that region's pages and nothing private "
                "of its contracts. A request "
                "that needs an account and has none is sent to `/login` (pages) or answered "
                "401 (API); a request the account may not make is answered 403. State-changing "
                "requests need the form's CSRF token (or an API bearer token).\n\n"
                "| method | path | who may | scope | CSRF |\n| --- | --- | --- | --- | --- |\n");
    for (const struct route *r = routes; r->method; r++)
        buf_printf(b, "| %s | `%s` | %s | %s | %s |\n", r->method, r->pattern, role_words(r->role),
                   scope_words(r->scope), r->csrf ? "yes" : "no");
}
