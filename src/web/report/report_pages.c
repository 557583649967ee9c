/* report_pages.c — the yearly execution report in the browser: the preview page (the same
 * content as the PDF and the ODT, drawn as HTML through the doc.h callbacks) and the PDF and ODT
 * downloads. Must not contain SQL (model/report.c) nor decide what the report says
 * (format/report_doc.c); every text goes out through %h. */
#include <stdio.h>
#include <string.h>

#include "model/report/report.h"
#include "format/doc/report_doc.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/report/report_web.h"

/* ---- the HTML format of doc.h ------------------------------------------------------------ */

enum { MAX_LIST_DEPTH = 16 };

struct html_doc {
    struct buf body; /* the content, written before the table of contents is known */
    struct buf toc;
    int n_headings, n_cols;
    int depth;                          /* open Markdown lists */
    bool ordered[MAX_LIST_DEPTH + 1];
    bool li_open[MAX_LIST_DEPTH + 1];
    bool in_sub; /* a level-2 entry list is open in the table of contents */
    const char *subtitle;
    struct arena *a;
};

static void close_lists(struct html_doc *d, int depth)
{
    while (d->depth > depth) {
        if (d->li_open[d->depth])
            buf_puts(&d->body, "</li>");
        buf_puts(&d->body, d->ordered[d->depth] ? "</ol>" : "</ul>");
        d->depth--;
    }
}

static void h_title(void *ctx, const char *title, const char *subtitle)
{
    struct html_doc *d = ctx;
    (void)title; /* the page's <h1> */
    d->subtitle = arena_strdup(d->a, subtitle);
}

static void h_heading(void *ctx, int level, const char *text)
{
    struct html_doc *d = ctx;
    close_lists(d, 0);
    int k = ++d->n_headings;
    buf_printf(&d->body, "<h%d id=\"s%d\">%h</h%d>", level + 1, k, text, level + 1);
    if (level == 1) {
        if (d->in_sub)
            buf_puts(&d->toc, "</ol>");
        if (d->n_headings > 1)
            buf_puts(&d->toc, "</li>");
        buf_printf(&d->toc, "<li><a href=\"#s%d\">%h</a>", k, text);
        d->in_sub = false;
    } else if (level == 2) {
        if (!d->in_sub)
            buf_puts(&d->toc, "<ol>");
        d->in_sub = true;
        buf_printf(&d->toc, "<li><a href=\"#s%d\">%h</a></li>", k, text);
    }
}

static void h_paragraph(void *ctx, enum doc_style style, const char *text)
{
    struct html_doc *d = ctx;
    close_lists(d, 0);
    buf_printf(&d->body, style == DOC_NOTE ? "<p class=\"muted\">%h</p>" : "<p>%h</p>", text);
}

static void h_field(void *ctx, const char *label, const char *value)
{
    struct html_doc *d = ctx;
    close_lists(d, 0);
    buf_printf(&d->body, "<p class=\"field-line\"><strong>%h :</strong> %h</p>", label, value);
}

static void h_list(void *ctx, const char *const *items, int n)
{
    struct html_doc *d = ctx;
    close_lists(d, 0);
    buf_puts(&d->body, "<ul>");
    for (int i = 0; i < n; i++)
        buf_printf(&d->body, "<li>%h</li>", items[i]);
    buf_puts(&d->body, "</ul>");
}

static void runs(struct buf *b, const struct md_block *m)
{
    for (int i = 0; i < m->n_runs; i++) {
        const struct md_run *r = &m->runs[i];
        if (r->flags & MD_BREAK) {
            buf_puts(b, "<br>");
            continue;
        }
        if (r->href)
            buf_printf(b, "<a href=\"%h\" rel=\"noopener noreferrer\">", r->href);
        if (r->flags & MD_BOLD)
            buf_puts(b, "<strong>");
        if (r->flags & MD_ITALIC)
            buf_puts(b, "<em>");
        if (r->flags & MD_CODE)
            buf_puts(b, "<code>");
        buf_html(b, r->text);
        if (r->flags & MD_CODE)
            buf_puts(b, "</code>");
        if (r->flags & MD_ITALIC)
            buf_puts(b, "</em>");
        if (r->flags & MD_BOLD)
            buf_puts(b, "</strong>");
        if (r->href)
            buf_puts(b, "</a>");
    }
}

static void h_markdown(void *ctx, const struct md_block *m)
{
    struct html_doc *d = ctx;
    struct buf *b = &d->body;
    if (m->kind != MD_ITEM)
        close_lists(d, 0);
    switch (m->kind) {
    case MD_HEADING: {
        int h = m->level + 3 > 6 ? 6 : m->level + 3;
        buf_printf(b, "<h%d>", h);
        runs(b, m);
        buf_printf(b, "</h%d>", h);
        break;
    }
    case MD_ITEM: {
        int level = m->level > MAX_LIST_DEPTH ? MAX_LIST_DEPTH : m->level;
        while (d->depth < level) {
            d->depth++;
            d->ordered[d->depth] = m->bullet[0] >= '0' && m->bullet[0] <= '9';
            d->li_open[d->depth] = false;
            buf_puts(b, d->ordered[d->depth] ? "<ol>" : "<ul>");
        }
        close_lists(d, level);
        if (*m->bullet || !d->li_open[level]) {
            if (d->li_open[level])
                buf_puts(b, "</li>");
            buf_puts(b, "<li>");
            d->li_open[level] = true;
        }
        buf_puts(b, "<p>");
        runs(b, m);
        buf_puts(b, "</p>");
        break;
    }
    case MD_QUOTE:
        buf_puts(b, "<blockquote><p>");
        runs(b, m);
        buf_puts(b, "</p></blockquote>");
        break;
    case MD_PRE:
        buf_puts(b, "<pre>");
        for (int i = 0; i < m->n_runs; i++)
            buf_html(b, m->runs[i].text);
        buf_puts(b, "</pre>");
        break;
    default:
        buf_puts(b, "<p>");
        runs(b, m);
        buf_puts(b, "</p>");
        break;
    }
}

static void h_table_begin(void *ctx, const struct doc_table *t)
{
    struct html_doc *d = ctx;
    close_lists(d, 0);
    d->n_cols = t->n_cols;
    /* Focusable: a table wider than the screen scrolls inside its box (keyboard users too). */
    buf_printf(&d->body, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                         "aria-label=\"%h\"><table class=\"report\">",
               t->caption ? t->caption : t->heads[0]);
    if (t->caption)
        buf_printf(&d->body, "<caption>%h</caption>", t->caption);
    buf_puts(&d->body, "<thead><tr>");
    for (int k = 0; k < t->n_cols; k++)
        buf_printf(&d->body, "<th scope=\"col\"%s>%h</th>",
                   t->numeric && t->numeric[k] ? " class=\"num\"" : "", t->heads[k]);
    buf_puts(&d->body, "</tr></thead><tbody>");
}

static void h_table_group(void *ctx, int level, const char *text)
{
    struct html_doc *d = ctx;
    buf_printf(&d->body, "<tr class=\"group g%d\"><th colspan=\"%d\" scope=\"colgroup\">%h</th>"
                         "</tr>",
               level, d->n_cols, text);
}

static void h_table_row(void *ctx, const struct doc_cell *cells)
{
    struct html_doc *d = ctx;
    buf_puts(&d->body, "<tr>");
    for (int k = 0; k < d->n_cols; k++) {
        if (cells[k].is_status) {
            buf_puts(&d->body, "<td>");
            page_status(&d->body, cells[k].status);
            buf_puts(&d->body, "</td>");
        } else {
            buf_printf(&d->body, "<td>%h</td>", cells[k].text);
        }
    }
    buf_puts(&d->body, "</tr>");
}

static void h_table_end(void *ctx)
{
    struct html_doc *d = ctx;
    buf_puts(&d->body, "</tbody></table></div>");
}

static void h_chart(void *ctx, const char *svg_html, const char *title)
{
    struct html_doc *d = ctx;
    close_lists(d, 0);
    /* The SVG is format/svg.c's own output, every text in it already escaped. */
    buf_printf(&d->body,
               "<figure class=\"chart-box\">%s<figcaption class=\"muted\">%h"
               "</figcaption></figure>",
               svg_html, title);
}

static const struct doc_ops html_ops = {
    h_title,       h_heading,     h_paragraph,   h_field,     h_list, h_markdown,
    h_table_begin, h_table_group, h_table_row,   h_table_end, h_chart,
};

/* ---- pages ------------------------------------------------------------------------------- */

int report_web_year(struct req *req, struct res *res, long long contract_id, int *year)
{
    struct year_choice y;
    int rc = filter_year(req, contract_id, &y);
    if (rc == ERR_INVALID)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2023.");
    if (rc < 0)
        return page_error(req, res, 503, "Service indisponible",
                          "La base de données n'a pas répondu ; réessayez.");
    *year = y.year ? y.year : action_current_year(req);
    return 0;
}

int report_web_load(struct req *req, struct res *res, struct report *r)
{
    int year, rc = report_web_year(req, res, req->ids[0], &year);
    if (rc)
        return rc;
    return load_contract_answer(req, res, report_load(req->db, req->arena, req->ids[0], year, r));
}

const char *report_web_contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

/* The GET form choosing the year, with the years that have statuses and the current one. */
static void year_choice_form(struct req *req, struct buf *b, const char *action, int year)
{
    struct year_choice y;
    if (filter_year(req, req->ids[0], &y) != ERR_OK)
        return;
    int now = action_current_year(req);
    buf_printf(b, "<form method=\"get\" action=\"%h\" class=\"filters noprint\"><label>Année "
                  "du bilan<select name=\"year\">",
               action);
    int last = y.n_years ? y.years[y.n_years - 1] : now;
    int top = last > now ? last : now, bottom = y.n_years ? y.years[0] : now;
    for (int v = top; v >= bottom && top - v < 60; v--)
        buf_printf(b, "<option value=\"%d\"%s>%d</option>", v, v == year ? " selected" : "", v);
    buf_puts(b, "</select></label><button type=\"submit\">Afficher</button></form>");
}

int report_preview_page(struct req *req, struct res *res)
{
    struct report r;
    int rc = report_web_load(req, res, &r);
    if (rc)
        return rc;
    char path[64];
    snprintf(path, sizeof path, "/contracts/%lld", r.contract.id);
    char title[64];
    snprintf(title, sizeof title, "Bilan d'exécution %d", r.year);
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {report_web_contract_name(&r.contract), path},
                             {title, NULL}};
    page_begin(res, title, crumbs, 3);
    struct buf *b = &res->body;
    if (str_eq(req_query(req, "saved"), "1"))
        buf_puts(b, "<p class=\"notice success\" role=\"status\">Textes du bilan enregistrés."
                    "</p>");
    buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"%h/report.pdf?"
                  "year=%d\">Télécharger le PDF</a></li><li><a href=\"%h/report.odt?year=%d\">"
                  "Télécharger le document modifiable (ODT)</a></li>",
               path, r.year, path, r.year);
    if (auth_may(req, ROLE_COORDINATOR, r.contract.id, false))
        buf_printf(b, "<li><a href=\"%h/report/edit?year=%d\">Rédiger les textes du bilan %d"
                      "</a></li><li><a href=\"%h/import?year=%d\">Importer un tableau de suivi"
                      "</a></li>",
                   path, r.year, r.year, path, r.year);
    buf_printf(b, "<li><a href=\"%h/tracking.xlsx\">Tableau de suivi de toutes les années (XLSX)"
                  "</a></li></ul>",
               path);
    year_choice_form(req, b, edit_fmt(req->arena, "/contracts/%lld/report", r.contract.id),
                     r.year);
    struct html_doc d = {.a = req->arena};
    report_doc_write(&r, &html_ops, &d);
    close_lists(&d, 0);
    if (d.in_sub)
        buf_puts(&d.toc, "</ol>");
    if (d.n_headings)
        buf_puts(&d.toc, "</li>");
    buf_printf(b, "<p class=\"lede\">%h</p><p class=\"muted\">Aperçu du bilan tel qu'il sera "
                  "imprimé : mêmes sections, même contenu que le PDF et le document ODT.</p>",
               d.subtitle ? d.subtitle : "");
    const char *toc_html = buf_cstr(&d.toc), *body_html = buf_cstr(&d.body);
    buf_printf(b,
               "<nav class=\"report-toc\" aria-label=\"Sommaire du bilan\"><h2>Sommaire</h2>"
               "<ol>%s</ol></nav><div class=\"report-body\">%s</div>",
               toc_html, body_html);
    buf_free(&d.toc);
    buf_free(&d.body);
    page_end(res);
    return 200;
}

/* Answers a document download: its bytes, type and file name. */
static int download(struct req *req, struct res *res, struct buf *data, const char *type,
                    const char *name)
{
    res->status = 200;
    res->content_type = type;
    res_header(res, "Content-Disposition",
               edit_fmt(req->arena, "attachment; filename=\"%s\"", name));
    res_header(res, "Cache-Control", "private, no-store");
    buf_append(&res->body, data->p ? data->p : "", data->len);
    return 200;
}

static int document(struct req *req, struct res *res, bool odt)
{
    struct report r;
    int rc = report_web_load(req, res, &r);
    if (rc)
        return rc;
    struct buf data = {0};
    char err[256];
    rc = odt ? report_doc_odt(&r, &data, err, sizeof err)
             : report_doc_pdf(&r, &data, err, sizeof err);
    if (rc != ERR_OK) {
        buf_free(&data);
        return page_error(req, res, 500, "Document indisponible", err);
    }
    char name[64];
    snprintf(name, sizeof name, "bilan-%d.%s", r.year, odt ? "odt" : "pdf");
    download(req, res, &data,
             odt ? "application/vnd.oasis.opendocument.text" : "application/pdf",
             arena_strdup(req->arena, name));
    buf_free(&data);
    return 200;
}

int report_pdf_download(struct req *req, struct res *res)
{
    return document(req, res, false);
}

int report_odt_download(struct req *req, struct res *res)
{
    return document(req, res, true);
}
