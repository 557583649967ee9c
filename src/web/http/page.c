/* page.c — layout, status badges, error pages and the stylesheet (data/style.css, built in).
 * Must not query the database. */
#include "web/http/page.h"

#include "model/account/account.h"
#include "web/http/assets.h"

#include <string.h>

/* Who is logged in, with the account and logout controls; or the login link. */
static void page_user_menu(struct res *res)
{
    struct buf *b = &res->body;
    const struct req *req = res->req;
    if (!req || !req->account || !req->session) {
        buf_printf(b, "<div class=\"user\"><a href=\"/login?next=%u\">Se connecter</a></div>",
                   req && req->path ? req->path : "/");
        return;
    }
    buf_printf(b,
               "<div class=\"user\">%s%s<a href=\"/account\">%h</a>"
               "<form class=\"inline\" method=\"post\" action=\"/logout\">"
               "<input type=\"hidden\" name=\"csrf\" value=\"%h\">"
               "<button type=\"submit\" class=\"link\">Se déconnecter</button></form></div>",
               str_eq(req->account->role, "admin") ? "<a href=\"/admin/accounts\">Comptes</a>"
                                                   : "",
               req->account->organisation_id ? "<a href=\"/my/actions\">Mes actions</a>" : "",
               req->account->name, req->session->csrf);
}

void page_begin(struct res *res, const char *title, const struct crumb *crumbs, int n_crumbs)
{
    res->status = 200;
    res->content_type = "text/html; charset=utf-8";
    struct buf *b = &res->body;
    buf_printf(b,
               "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>%h — Boussole</title>"
               "<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
               "<a class=\"skip\" href=\"#contenu\">Aller au contenu</a>"
               "<header class=\"site\"><a class=\"brand\" href=\"/\">Boussole</a>"
               "<nav aria-label=\"Navigation principale\"><a href=\"/\">Contrats</a></nav>",
               title);
    page_user_menu(res);
    buf_puts(b, "</header><main id=\"contenu\">");
    if (n_crumbs > 0) {
        buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Fil d'Ariane\"><ol>");
        for (int i = 0; i < n_crumbs; i++) {
            if (crumbs[i].href)
                buf_printf(b, "<li><a href=\"%h\">%h</a></li>", crumbs[i].href, crumbs[i].label);
            else
                buf_printf(b, "<li aria-current=\"page\">%h</li>", crumbs[i].label);
        }
        buf_puts(b, "</ol></nav>");
    }
    buf_printf(b, "<h1>%h</h1>", title);
}

void page_end(struct res *res)
{
    buf_puts(&res->body, "</main><footer class=\"site\">Boussole — pilotage des contrats locaux "
                         "de santé</footer></body></html>\n");
}

void page_status(struct buf *b, enum status s)
{
    buf_printf(b, "<span class=\"status st-%h\">%h</span>", s == ST_NONE ? "none" : status_key(s),
               status_label(s));
}

int page_error(struct req *req, struct res *res, int status, const char *title,
               const char *message)
{
    buf_reset(&res->body);
    if (strncmp(req->path, "/api/", 5) == 0) {
        res->status = status;
        res->content_type = "application/json";
        buf_printf(&res->body, "{\"error\":\"%j\"}\n", message);
        return status;
    }
    page_begin(res, title, NULL, 0);
    res->status = status;
    buf_printf(&res->body, "<p>%h</p><p><a href=\"/\">Revenir à la liste des contrats</a></p>",
               message);
    page_end(res);
    return status;
}

int page_stylesheet(struct req *req, struct res *res)
{
    (void)req;
    res->status = 200;
    res->content_type = "text/css; charset=utf-8";
    res_header(res, "Cache-Control", "public, max-age=3600");
    res_header(res, "ETag", style_css_etag);
    buf_append(&res->body, (const char *)style_css, style_css_len);
    return 200;
}
