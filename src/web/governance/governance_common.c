/* governance_common.c — what the governance screens share (see governance.h): today and the
 * years shown, dates and rhythms in words, status badges, the page frame, loading the route's
 * record, redirects and the answers of forms. Must not contain SQL: data comes from src/model/;
 * untrusted text goes out through %h and %u. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "model/plan/editing.h"
#include "model/governance/meeting_plan.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/governance/governance.h"
#include "web/http/page.h"

const char *gov_today(const struct req *req)
{
    struct date today = date_of_time((long long)req->now);
    char *out = arena_alloc(req->arena, 11);
    date_iso(&today, out);
    return out;
}

int gov_today_year(const struct req *req)
{
    return date_of_time((long long)req->now).y;
}

int gov_year(const struct req *req, const struct contract *c, int *year)
{
    const char *v = req_query(req, "year");
    if (!str_blank(v)) {
        long long y;
        if (str_to_ll(v, 1900, 2200, &y) != ERR_OK)
            return ERR_INVALID;
        *year = (int)y;
        return ERR_OK;
    }
    *year = gov_today_year(req);
    if (c->end_year && *year > c->end_year)
        *year = c->end_year;
    return ERR_OK;
}

int gov_years(struct req *req, const struct contract *c, int extra, int *years, int max, int *n)
{
    int first = c->start_year, last = c->end_year;
    if (!first || !last) {
        int my[GOV_MAX_YEARS], nm;
        if (meeting_years(req->db, c->id, my, GOV_MAX_YEARS, &nm) != ERR_OK)
            return ERR_DB;
        first = nm ? my[0] : extra;
        last = nm ? my[nm - 1] : extra;
    }
    if (extra && extra < first)
        first = extra;
    if (extra && extra > last)
        last = extra;
    *n = 0;
    if (!first || !last)
        return ERR_OK;
    if (last - first >= max)
        first = last - max + 1;
    for (int y = first; y <= last; y++)
        years[(*n)++] = y;
    return ERR_OK;
}

const char *gov_date_label(struct arena *a, const char *date, const char *precision)
{
    if (str_eq(precision, "year")) {
        char tmp[24];
        snprintf(tmp, sizeof tmp, "année %.4s", date);
        return arena_strdup(a, tmp);
    }
    return date_fr(a, date);
}

const char *gov_when(struct arena *a, const struct meeting *m)
{
    struct buf text = {0};
    if (*m->end_on && !str_eq(m->end_on, m->held_on))
        buf_printf(&text, "du %s au %s", date_fr(a, m->held_on), date_fr(a, m->end_on));
    else
        buf_puts(&text, gov_date_label(a, m->held_on, m->precision));
    if (*m->start_time && *m->end_time)
        buf_printf(&text, " de %s à %s", m->start_time, m->end_time);
    else if (*m->start_time)
        buf_printf(&text, " à %s", m->start_time);
    const char *s = arena_strdup(a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

void gov_status_badge(struct buf *b, const char *status)
{
    buf_printf(b, "<span class=\"mstatus ms-%h\">%h</span>", status,
               meeting_status_label(status));
}

const char *gov_required_words(struct arena *a, int min, int max)
{
    char tmp[64];
    if (!min && !max)
        return "—";
    if (max && max == min)
        snprintf(tmp, sizeof tmp, "%d par an", min);
    else if (max)
        snprintf(tmp, sizeof tmp, "%d à %d par an", min, max);
    else
        snprintf(tmp, sizeof tmp, "au moins %d par an", min);
    return arena_strdup(a, tmp);
}

void gov_cell_html(struct buf *b, const struct gov_cell *c, bool current)
{
    const char *cls = "gov-none", *verdict = NULL;
    if (c->required_min) {
        if (c->held >= c->required_min) {
            cls = "gov-ok";
            verdict = "✓ minimum atteint";
        } else if (c->below_required) {
            cls = "gov-late";
            verdict = "✗ minimum non atteint";
        } else if (c->overdue) {
            cls = "gov-late";
            verdict = "⚠ réunion prévue en retard";
        } else if (current) {
            cls = "gov-open";
            verdict = "année en cours";
        } else {
            cls = "gov-open";
            verdict = "à venir";
        }
    } else if (c->overdue) {
        cls = "gov-late";
        verdict = "⚠ réunion prévue en retard";
    }
    buf_printf(b, "<td class=\"gov-cell %h\"><span class=\"gov-num\">%d tenue%s", cls, c->held,
               c->held > 1 ? "s" : "");
    if (c->required_min)
        buf_printf(b, " sur %d requise%s", c->required_min, c->required_min > 1 ? "s" : "");
    buf_puts(b, "</span>");
    if (c->planned)
        buf_printf(b, "<br><span class=\"muted\">%d prévue%s au plan</span>", c->planned,
                   c->planned > 1 ? "s" : "");
    if (verdict)
        buf_printf(b, "<br><span class=\"gov-verdict\">%h</span>", verdict);
    if (c->overdue && c->below_required)
        buf_printf(b, "<br><span class=\"gov-verdict\">⚠ %d réunion%s prévue%s non tenue%s</span>",
                   c->overdue, c->overdue > 1 ? "s" : "", c->overdue > 1 ? "s" : "",
                   c->overdue > 1 ? "s" : "");
    buf_puts(b, "</td>");
}

/* The 303 of gov_redirect and gov_created. */
static int redirect_v(struct req *req, struct res *res, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int redirect_v(struct req *req, struct res *res, const char *fmt, va_list ap)
{
    char tmp[256];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    res->status = 303;
    res_header(res, "Location", arena_strdup(req->arena, tmp));
    return 303;
}

int gov_redirect(struct req *req, struct res *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int status = redirect_v(req, res, fmt, ap);
    va_end(ap);
    return status;
}

int gov_created(struct req *req, struct res *res, int rc, const char *fmt, ...)
{
    if (rc != ERR_OK)
        return rc == ERR_INVALID ? 0 : page_db_error(req, res);
    va_list ap;
    va_start(ap, fmt);
    int status = redirect_v(req, res, fmt, ap);
    va_end(ap);
    return status;
}

int gov_refused(struct res *res, int status)
{
    page_end(res);
    res->status = status;
    return status;
}

int gov_form_answer(struct req *req, struct res *res, int rc, const char *page, const char *what,
                    const char *anchor)
{
    if (rc != ERR_OK && rc != ERR_INVALID && rc != ERR_NOTFOUND)
        return page_db_error(req, res);
    return gov_redirect(req, res, "%s?%s=%s#%s", page, rc == ERR_INVALID ? "error" : "done", what,
                        anchor);
}

int gov_loaded(struct req *req, struct res *res, int rc, const char *missing, const char *text,
               const char *unreadable)
{
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, missing, text);
    return rc == ERR_OK ? 0 : page_error(req, res, 500, "Erreur", unreadable);
}

int gov_load_body(struct req *req, struct res *res, struct body *b)
{
    return gov_loaded(req, res, body_get(req->db, req->arena, req->ids[0], b),
                      "Instance introuvable",
                      "Aucune instance ne porte ce numéro. Retrouvez-la sur la page de "
                      "gouvernance de son contrat.",
                      "L'instance n'a pas pu être lue.");
}

void gov_begin(struct req *req, struct res *res, const struct contract *c, const char *title,
               const char *middle, const char *middle_href)
{
    char *home = arena_alloc(req->arena, 48), *gov = arena_alloc(req->arena, 64);
    snprintf(home, 48, "/contracts/%lld", c->id);
    snprintf(gov, 64, "/contracts/%lld/governance", c->id);
    struct crumb crumbs[5] = {{"Contrats", "/"}, {*c->short_title ? c->short_title : c->title,
                                                  home}};
    int n = 2;
    bool is_gov = strncmp(title, "Gouvernance", 11) == 0;
    crumbs[n++] = (struct crumb){"Gouvernance", is_gov ? NULL : gov};
    if (middle)
        crumbs[n++] = (struct crumb){middle, middle_href};
    if (!is_gov)
        crumbs[n++] = (struct crumb){title, NULL};
    page_begin(res, title, crumbs, n);
}
