/* pdf.c — the PDF of a doc.h document: its callbacks (coloured status cells, charts from SVG),
 * the title block, linked table of contents and outline, the measuring and drawing passes. Pages
 * and text flow are pdf_layout.c's, the report's words report_doc.c's; must not read the DB. */
#include "format/doc/pdf.h"

#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "format/doc/pdf_layout.h"
#include "format/draw/svg.h"

/* ---- document callbacks ----------------------------------------------------------------- */

/* The title and subtitle flowed at the current position (a leaflet's heading). */
static void title_block(struct pdf *p, const char *title, const char *subtitle)
{
    PangoLayout *l = pdf_text_layout(p, PDF_FONT " Bold 18", PDF_CONTENT_W);
    pdf_set_text(l, title ? title : "");
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0.043, 0.23, 0.4);
    pdf_flow(p, l, PDF_MARGIN);
    g_object_unref(l);
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    if (subtitle && *subtitle) {
        l = pdf_text_layout(p, PDF_FONT " 11", PDF_CONTENT_W);
        pdf_set_text(l, subtitle);
        p->y += 4;
        pdf_flow(p, l, PDF_MARGIN);
        g_object_unref(l);
    }
    p->y += 8;
}

static void pdf_title(void *ctx, const char *title, const char *subtitle)
{
    struct pdf *p = ctx;
    if (p->inline_title) {
        title_block(p, title, subtitle);
        return;
    }
    if (!p->measuring)
        return; /* drawn with the table of contents, before the content */
    free(p->title);
    free(p->subtitle);
    p->title = xstrdup(title);
    p->subtitle = xstrdup(subtitle);
}

static void pdf_heading(void *ctx, int level, const char *text)
{
    struct pdf *p = ctx;
    const char *font = level == 1   ? PDF_FONT " Bold 14"
                       : level == 2 ? PDF_FONT " Bold 11.5"
                                    : PDF_FONT " Bold 10";
    PangoLayout *l = pdf_text_layout(p, font, PDF_CONTENT_W);
    pdf_set_text(l, text);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double space = level == 1 ? 16 : 10;
    /* Keep the heading with a few lines of what follows. */
    if (p->page_open && p->y > PDF_TOP)
        p->y += space;
    pdf_need(p, (double)h / PANGO_SCALE + 48);
    char dest[32] = "";
    if (level <= 2 && p->measuring) {
        if (p->n_toc == p->cap_toc) {
            p->cap_toc = p->cap_toc ? p->cap_toc * 2 : 32;
            p->toc = xrealloc(p->toc, sizeof *p->toc * (size_t)p->cap_toc);
        }
        p->toc[p->n_toc++] = (struct pdf_toc_entry){level, p->page, xstrdup(text)};
    } else if (level <= 2) {
        int k = p->next_heading++;
        char link[32];
        snprintf(link, sizeof link, "dest='h%d'", k);
        int id = cairo_pdf_surface_add_outline(
            p->surface, level == 1 ? CAIRO_PDF_OUTLINE_ROOT : p->outline_l1, text, link, 0);
        if (level == 1)
            p->outline_l1 = id;
        snprintf(dest, sizeof dest, "name='h%d'", k);
    }
    if (!p->measuring) {
        if (*dest)
            cairo_tag_begin(p->cr, CAIRO_TAG_DEST, dest);
        cairo_set_source_rgb(p->cr, 0.043, 0.23, 0.4);
        cairo_move_to(p->cr, PDF_MARGIN, p->y);
        pango_cairo_show_layout(p->cr, l);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        if (*dest)
            cairo_tag_end(p->cr, CAIRO_TAG_DEST);
    }
    p->y += (double)h / PANGO_SCALE + 5;
    g_object_unref(l);
}

static void pdf_paragraph(void *ctx, enum doc_style style, const char *text)
{
    struct pdf *p = ctx;
    const char *font = style == DOC_NOTE ? PDF_FONT " Oblique 9.5" : PDF_FONT " 9.5";
    PangoLayout *l = pdf_text_layout(p, font, PDF_CONTENT_W);
    pdf_set_text(l, text);
    if (!p->measuring && style == DOC_NOTE)
        cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
    pdf_flow(p, l, PDF_MARGIN);
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += pdf_space(p, 5);
    g_object_unref(l);
}

static void pdf_field(void *ctx, const char *label, const char *value)
{
    struct pdf *p = ctx;
    struct buf m = {0};
    buf_puts(&m, "<b>");
    pdf_markup_text(&m, label);
    buf_puts(&m, " :</b> ");
    pdf_markup_text(&m, g_utf8_validate(value, -1, NULL) ? value : "?");
    PangoLayout *l = pdf_text_layout(p, PDF_FONT " 9.5", PDF_CONTENT_W);
    pdf_set_markup(l, buf_cstr(&m));
    pdf_flow(p, l, PDF_MARGIN);
    p->y += 3;
    g_object_unref(l);
    buf_free(&m);
}

static void pdf_list(void *ctx, const char *const *items, int n)
{
    struct pdf *p = ctx;
    for (int i = 0; i < n; i++) {
        struct buf m = {0};
        pdf_markup_text(&m, items[i]);
        pdf_bulleted(p, buf_cstr(&m), PDF_FONT " 9.5", 16, "•");
        p->y += 2;
        buf_free(&m);
    }
    p->y += 4;
}

static void pdf_markdown(void *ctx, const struct md_block *b)
{
    struct pdf *p = ctx;
    struct buf m = {0};
    for (int i = 0; i < b->n_runs; i++) {
        const struct md_run *r = &b->runs[i];
        if (r->flags & MD_BREAK) {
            buf_putc(&m, '\n');
            continue;
        }
        if (r->flags & MD_BOLD)
            buf_puts(&m, "<b>");
        if (r->flags & MD_ITALIC)
            buf_puts(&m, "<i>");
        if (r->flags & MD_CODE)
            buf_puts(&m, "<span font_family=\"DejaVu Sans Mono\">");
        if (r->href)
            buf_puts(&m, "<span foreground=\"#0b4f8a\" underline=\"single\">");
        pdf_markup_text(&m, r->text);
        if (r->href)
            buf_puts(&m, "</span>");
        if (r->flags & MD_CODE)
            buf_puts(&m, "</span>");
        if (r->flags & MD_ITALIC)
            buf_puts(&m, "</i>");
        if (r->flags & MD_BOLD)
            buf_puts(&m, "</b>");
        /* The link's target, when it is not the text itself. */
        if (r->href && strcmp(r->href, r->text) != 0 && (i + 1 == b->n_runs ||
                                                         b->runs[i + 1].href != r->href)) {
            buf_puts(&m, " (");
            pdf_markup_text(&m, r->href);
            buf_puts(&m, ")");
        }
    }
    switch (b->kind) {
    case MD_HEADING:
        p->y += 4;
        pdf_need(p, 40);
        pdf_bulleted(p, buf_cstr(&m), b->level <= 1 ? PDF_FONT " Bold 11" : PDF_FONT " Bold 10",
                     0, NULL);
        p->y += 3;
        break;
    case MD_ITEM:
        pdf_bulleted(p, buf_cstr(&m), PDF_FONT " 9.5", 16.0 * b->level, b->bullet);
        p->y += 2;
        break;
    case MD_QUOTE:
        pdf_bulleted(p, buf_cstr(&m), PDF_FONT " Oblique 9.5", 20, NULL);
        p->y += 5;
        break;
    case MD_PRE:
        pdf_bulleted(p, buf_cstr(&m), "DejaVu Sans Mono 8.5", 10, NULL);
        p->y += 5;
        break;
    default:
        pdf_bulleted(p, buf_cstr(&m), PDF_FONT " 9.5", 0, NULL);
        p->y += pdf_space(p, 5);
        break;
    }
    buf_free(&m);
}

/* ---- table callbacks --------------------------------------------------------------------- */

/* The minima recorded for the table being begun, or NULL; makes room for a new table. */
static double *table_minima(struct pdf *p)
{
    int idx = p->table_index++;
    if (idx >= p->n_tables) {
        if (idx >= p->cap_tables) {
            p->cap_tables = p->cap_tables ? p->cap_tables * 2 : 16;
            p->word_w = xrealloc(p->word_w, sizeof *p->word_w * (size_t)p->cap_tables);
        }
        for (int i = p->n_tables; i <= idx; i++)
            for (int k = 0; k < PDF_MAX_COLS; k++)
                p->word_w[i][k] = 0;
        p->n_tables = idx + 1;
    }
    return p->word_w[idx];
}

/* The smallest table text, as a fraction of the usual size (7.5 pt cells become 6.5 pt). */
#define TABLE_SCALE_MIN (6.5 / 7.5)

/* Column widths: the document's proportions, each column widened to its widest word (taking
 * the room from the columns that have some to spare), so that a cell wraps between words. A
 * word wider than 40 % of the page (a web address) may still be cut. */
static void fit_columns(struct pdf *p, const double *weights, const double *minima)
{
    int n = p->n_cols;
    double min[PDF_MAX_COLS], sum_min = 0, text = 0;
    const double pad = 2 * PDF_CELL_PAD + 0.5;
    for (int k = 0; k < n; k++) {
        min[k] = minima[k] < PDF_CONTENT_W * 0.4 ? minima[k] : PDF_CONTENT_W * 0.4;
        sum_min += min[k];
        text += min[k] > pad ? min[k] - pad : 0;
    }
    /* Long French words side by side ("neurodégénératives", "professionnalisation") may not
     * fit at the usual size: the table's text gets smaller, down to TABLE_SCALE_MIN, before
     * any word is cut. */
    p->table_scale = 1;
    if (sum_min > PDF_CONTENT_W && text > 0) {
        /* 3 % to spare: a smaller size is not exactly proportional (hinting, kerning). */
        double scale = (PDF_CONTENT_W - n * pad) / (text * 1.03);
        p->table_scale = scale > TABLE_SCALE_MIN ? scale : TABLE_SCALE_MIN;
        sum_min = 0;
        for (int k = 0; k < n; k++) {
            if (min[k] > pad)
                min[k] = pad + (min[k] - pad) * p->table_scale;
            sum_min += min[k];
        }
    }
    if (sum_min > PDF_CONTENT_W) {
        /* Too wide together: lower the widest minima to a common cap, keeping the narrow
         * columns (a code, a status) whole; a rare long word of a long text gets cut. */
        double lo = 0, hi = PDF_CONTENT_W;
        for (int it = 0; it < 40; it++) {
            double cap = (lo + hi) / 2, sum = 0;
            for (int k = 0; k < n; k++)
                sum += min[k] < cap ? min[k] : cap;
            if (sum > PDF_CONTENT_W)
                hi = cap;
            else
                lo = cap;
        }
        for (int k = 0; k < n; k++)
            min[k] = min[k] < lo ? min[k] : lo;
    }
    bool fixed[PDF_MAX_COLS] = {false};
    for (bool again = true; again;) {
        again = false;
        double room = PDF_CONTENT_W, weight = 0;
        for (int k = 0; k < n; k++) {
            if (fixed[k])
                room -= min[k];
            else
                weight += weights[k];
        }
        for (int k = 0; k < n; k++) {
            if (fixed[k])
                continue;
            p->col_w[k] = weight > 0 ? room * weights[k] / weight : 0;
            if (p->col_w[k] < min[k]) {
                fixed[k] = true;
                again = true;
            }
        }
        for (int k = 0; k < n; k++)
            if (fixed[k])
                p->col_w[k] = min[k];
    }
    double x = PDF_MARGIN;
    for (int k = 0; k < n; k++) {
        p->col_x[k] = x;
        x += p->col_w[k];
    }
}

/* Measuring: records the widest word of text in font as a minimum of column k. */
static void record_word(struct pdf *p, int k, const char *font, const char *text)
{
    if (!p->measuring || !p->table_index)
        return;
    double w = pdf_widest_word(p, font, text) + 2 * PDF_CELL_PAD + 0.5;
    double *min = &p->word_w[p->table_index - 1][k];
    if (w > *min + 0.01) {
        *min = w;
        if (w > p->col_w[k] + 0.01 && p->col_w[k] < PDF_CONTENT_W * 0.4)
            p->refit = true;
    }
}

static void pdf_table_begin(void *ctx, const struct doc_table *t)
{
    struct pdf *p = ctx;
    p->n_cols = t->n_cols < PDF_MAX_COLS ? t->n_cols : PDF_MAX_COLS;
    const double *minima = table_minima(p);
    fit_columns(p, t->widths, minima);
    for (int k = 0; k < p->n_cols; k++) {
        p->heads[k] = xstrdup(t->heads[k]);
        p->numeric[k] = t->numeric && t->numeric[k];
        record_word(p, k, PDF_FONT " Bold 8", t->heads[k]);
    }
    p->y += 4;
    if (t->caption) {
        PangoLayout *l = pdf_text_layout(p, PDF_FONT " Bold 9", PDF_CONTENT_W);
        pdf_set_text(l, t->caption);
        pdf_need(p, 80);
        pdf_flow(p, l, PDF_MARGIN);
        g_object_unref(l);
        p->y += 2;
    }
    pdf_need(p, 60);
    p->in_table = true;
    pdf_table_header(p);
}

static void pdf_table_group(void *ctx, int level, const char *text)
{
    struct pdf *p = ctx;
    int g = level <= 1 ? 0 : 1;
    free(p->groups[g]);
    p->groups[g] = NULL;
    if (g == 0) {
        free(p->groups[1]);
        p->groups[1] = NULL;
    }
    if (p->y + 50 > PDF_BOTTOM)
        pdf_new_page(p); /* keep the group with its first row */
    pdf_group_row(p, g, text);
    p->groups[g] = xstrdup(text);
}

/* Text colour readable on a status fill (the inks of format/svg.c). */
static const char *status_ink(enum status s)
{
    return s == ST_DONE || s == ST_REFLECTION || s == ST_NONE ? "#000000" : "#ffffff";
}

static void pdf_table_row(void *ctx, const struct doc_cell *cells)
{
    struct pdf *p = ctx;
    struct pdf_cell c[PDF_MAX_COLS];
    const char *fills[PDF_MAX_COLS], *inks[PDF_MAX_COLS];
    for (int k = 0; k < p->n_cols; k++) {
        bool st = cells[k].is_status;
        char font[64];
        record_word(p, k, st ? PDF_FONT " Bold 7.5" : PDF_FONT " 7.5", cells[k].text);
        pdf_table_font(p, st ? "Bold" : "", 7.5, font, sizeof font);
        pdf_cell_open(p, &c[k], font, cells[k].text, p->col_w[k], p->numeric[k]);
        fills[k] = st ? svg_status_colour(cells[k].status) : NULL;
        inks[k] = st ? status_ink(cells[k].status) : NULL;
    }
    const struct pdf_geometry geo = {p->col_x, p->col_w};
    pdf_row(p, &geo, c, p->n_cols, fills, inks);
    for (int k = 0; k < p->n_cols; k++)
        pdf_cell_close(&c[k]);
}

static void pdf_table_end(void *ctx)
{
    struct pdf *p = ctx;
    p->in_table = false;
    for (int k = 0; k < p->n_cols; k++) {
        free(p->heads[k]);
        p->heads[k] = NULL;
    }
    for (int g = 0; g < 2; g++) {
        free(p->groups[g]);
        p->groups[g] = NULL;
    }
    p->header_bottom = 0;
    p->y += 8;
}

static void pdf_chart(void *ctx, const char *svg, const char *title)
{
    struct pdf *p = ctx;
    (void)title; /* the chart draws its own title */
    GError *e = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, strlen(svg), &e);
    if (!h) {
        g_clear_error(&e);
        pdf_paragraph(p, DOC_NOTE, "(graphique indisponible)");
        return;
    }
    gdouble w = 0, hh = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w <= 0 || hh <= 0) {
        w = 640;
        hh = 320;
    }
    double scale = (w > PDF_CONTENT_W ? PDF_CONTENT_W / w : 1.0) * (100 - p->squeeze) / 100.0;
    double dh = hh * scale;
    if (dh > PDF_BOTTOM - PDF_TOP) { /* taller than a page: shrink to fit */
        scale *= (PDF_BOTTOM - PDF_TOP) / dh;
        dh = PDF_BOTTOM - PDF_TOP;
    }
    p->y += pdf_space(p, 6);
    pdf_need(p, dh);
    if (!p->measuring) {
        RsvgRectangle vp = {PDF_MARGIN, p->y, w * scale, dh};
        if (!rsvg_handle_render_document(h, p->cr, &vp, &e))
            g_clear_error(&e);
    }
    p->y += dh + pdf_space(p, 10);
    p->lines += 3;
    g_object_unref(h);
}

static const struct doc_ops pdf_ops = {
    pdf_title,       pdf_heading,     pdf_paragraph, pdf_field,     pdf_list, pdf_markdown,
    pdf_table_begin, pdf_table_group, pdf_table_row, pdf_table_end, pdf_chart,
};

/* ---- title block and table of contents -------------------------------------------------- */

/* Lays out (and draws unless measuring) the title block and the table of contents from the
 * first page; returns the number of pages used. */
static int front_matter(struct pdf *p)
{
    p->page = 1;
    p->page_open = false;
    pdf_new_page(p);
    p->y = PDF_TOP + 40;
    PangoLayout *l = pdf_text_layout(p, PDF_FONT " Bold 22", PDF_CONTENT_W);
    pdf_set_text(l, p->title ? p->title : "");
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0.043, 0.23, 0.4);
    pdf_flow(p, l, PDF_MARGIN);
    g_object_unref(l);
    l = pdf_text_layout(p, PDF_FONT " 13", PDF_CONTENT_W);
    pdf_set_text(l, p->subtitle ? p->subtitle : "");
    p->y += 6;
    pdf_flow(p, l, PDF_MARGIN);
    g_object_unref(l);
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += 30;
    l = pdf_text_layout(p, PDF_FONT " Bold 14", PDF_CONTENT_W);
    pdf_set_text(l, "Sommaire");
    pdf_flow(p, l, PDF_MARGIN);
    g_object_unref(l);
    p->y += 8;
    for (int i = 0; i < p->n_toc; i++) {
        const struct pdf_toc_entry *t = &p->toc[i];
        double indent = t->level == 1 ? 0 : 18;
        char num[16];
        snprintf(num, sizeof num, "%d", t->page + p->first_page - 1);
        PangoLayout *e = pdf_text_layout(p, t->level == 1 ? PDF_FONT " Bold 10" : PDF_FONT " 9.5",
                                PDF_CONTENT_W - indent - 40);
        pdf_set_text(e, t->text);
        PangoLayout *n =
            pdf_text_layout(p, t->level == 1 ? PDF_FONT " Bold 10" : PDF_FONT " 9.5", 40);
        pango_layout_set_alignment(n, PANGO_ALIGN_RIGHT);
        pdf_set_text(n, num);
        int w, h;
        pango_layout_get_size(e, &w, &h);
        pdf_need(p, (double)h / PANGO_SCALE);
        if (!p->measuring) {
            char link[32];
            snprintf(link, sizeof link, "dest='h%d'", i);
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, link);
            cairo_move_to(p->cr, PDF_MARGIN + indent, p->y);
            pango_cairo_show_layout(p->cr, e);
            cairo_move_to(p->cr, PDF_PAGE_W - PDF_MARGIN - 40, p->y);
            pango_cairo_show_layout(p->cr, n);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        }
        p->y += (double)h / PANGO_SCALE + (t->level == 1 ? 5 : 2);
        g_object_unref(e);
        g_object_unref(n);
    }
    int pages = p->page;
    pdf_end_page(p);
    return pages;
}

/* ---- the two passes ---------------------------------------------------------------------- */

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure, (void)data, (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
    buf_append(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

static void pass(struct pdf *p, cairo_write_func_t sink, void *closure, pdf_content_fn content,
                 void *user)
{
    p->surface = cairo_pdf_surface_create_for_stream(sink, closure, PDF_PAGE_W, PDF_PAGE_H);
    p->cr = cairo_create(p->surface);
    p->page_open = false;
    p->next_heading = 0;
    p->outline_l1 = CAIRO_PDF_OUTLINE_ROOT;
    p->table_index = 0;
    p->lines = 0;
    if (p->inline_title) {
        p->page = 0;
    } else if (!p->measuring) {
        p->page = front_matter(p); /* p->first_page is already known */
    } else {
        p->page = 0;
    }
    p->page_open = false;
    p->page++;
    pdf_new_page(p);
    content(user, &pdf_ops, p);
    pdf_end_page(p);
}

/* The measuring pass: pages, headings and column minima; sets *st to cairo's status. */
static void measure(struct pdf *p, pdf_content_fn content, void *user, cairo_status_t *st)
{
    for (int i = 0; i < p->n_toc; i++)
        free(p->toc[i].text);
    p->n_toc = 0;
    p->measuring = true;
    p->refit = false;
    pass(p, discard, NULL, content, user);
    *st = cairo_surface_status(p->surface);
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    cairo_surface_destroy(p->surface);
}

int pdf_render(const struct pdf_options *o, pdf_content_fn content, void *user, struct buf *out,
               char *err, size_t errlen)
{
    struct pdf p = {.measuring = true,
                    .footer = o->footer,
                    .total_pages = 0,
                    .inline_title = o->no_front_matter};
    cairo_status_t st;
    measure(&p, content, user, &st);
    if (p.refit) /* columns widened to their widest word: the pages change */
        measure(&p, content, user, &st);
    /* A last page with a line or two: charts and spacing give up a little room, step by step,
     * until the end fits on the page before; if nothing does, the plain layout stays. */
    if (p.page > 1 && p.lines < 3) {
        for (p.squeeze = 4; p.squeeze <= 20; p.squeeze += 4) {
            measure(&p, content, user, &st);
            if (p.lines >= 3)
                break;
        }
        if (p.lines < 3) {
            p.squeeze = 0;
            measure(&p, content, user, &st);
        }
    }
    int content_pages = p.page;

    /* The table of contents' length, measured on a scratch surface. */
    p.surface = cairo_pdf_surface_create_for_stream(discard, NULL, PDF_PAGE_W, PDF_PAGE_H);
    p.cr = cairo_create(p.surface);
    p.first_page = 1;
    int front = p.inline_title ? 0 : front_matter(&p);
    p.first_page = front + 1;
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_surface_destroy(p.surface);

    struct buf pdf = {0};
    p.measuring = false;
    p.total_pages = front + content_pages;
    if (st == CAIRO_STATUS_SUCCESS) {
        pass(&p, collect, &pdf, content, user);
        if (o->title)
            cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, o->title);
        cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "Boussole");
        cairo_destroy(p.cr);
        cairo_surface_finish(p.surface);
        st = cairo_surface_status(p.surface);
        cairo_surface_destroy(p.surface);
    }
    for (int i = 0; i < p.n_toc; i++)
        free(p.toc[i].text);
    free(p.toc);
    free(p.word_w);
    free(p.title);
    free(p.subtitle);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "le PDF n'a pas pu être produit (%s)", cairo_status_to_string(st));
        buf_free(&pdf);
        return ERR_IO;
    }
    buf_append(out, pdf.p ? pdf.p : "", pdf.len);
    buf_free(&pdf);
    return ERR_OK;
}