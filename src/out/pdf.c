/* pdf.c — the PDF layout engine: pages, flowing text, tables split across pages with their
 * header repeated, charts rendered from SVG, table of contents with links and outline. Knows
 * nothing of what a report says (out/report_doc.c does); must not read the database. */
#include "pdf.h"

#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "svg.h"

/* A4 in points, margins of 2 cm, the footer under the bottom margin. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 56.7
#define TOP MARGIN
#define BOTTOM (PAGE_H - 62.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define CELL_PAD 3.5
#define FONT "DejaVu Sans"

enum { MAX_COLS = 8 };

struct toc_entry {
    int level, page;
    char *text;
};

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    bool measuring;
    int page;        /* current page, 1-based */
    int first_page;  /* page of the content's first page (after the table of contents) */
    int total_pages; /* known in the drawing pass */
    double y;
    bool page_open;
    const char *footer;
    char *title, *subtitle;
    /* Headings: recorded in the measuring pass, looked up in the drawing pass. */
    struct toc_entry *toc;
    int n_toc, cap_toc, next_heading, outline_l1;
    /* The open table. */
    bool in_table;
    int n_cols;
    double col_x[MAX_COLS], col_w[MAX_COLS];
    char *heads[MAX_COLS];
    bool numeric[MAX_COLS];
    char *groups[2]; /* the group rows in force, repeated after a page break */
    double header_bottom; /* y under the repeated header: a row starting there is at the top */
};

/* ---- pages ------------------------------------------------------------------------------- */

static void footer(struct pdf *p)
{
    if (p->measuring)
        return;
    cairo_t *cr = p->cr;
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT " 7.5");
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, BOTTOM + 18);
    cairo_line_to(cr, PAGE_W - MARGIN, BOTTOM + 18);
    cairo_stroke(cr);
    pango_layout_set_width(l, (int)(CONTENT_W * 0.75 * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(l, p->footer ? p->footer : "", -1);
    cairo_move_to(cr, MARGIN, BOTTOM + 24);
    pango_cairo_show_layout(cr, l);
    char num[48];
    snprintf(num, sizeof num, "Page %d / %d", p->page, p->total_pages);
    pango_layout_set_width(l, -1);
    pango_layout_set_text(l, num, -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    cairo_move_to(cr, PAGE_W - MARGIN - (double)w / PANGO_SCALE, BOTTOM + 24);
    pango_cairo_show_layout(cr, l);
    cairo_set_source_rgb(cr, 0, 0, 0);
    g_object_unref(l);
}

static void end_page(struct pdf *p)
{
    if (!p->page_open)
        return;
    footer(p);
    cairo_show_page(p->cr);
    p->page_open = false;
}

static void table_header(struct pdf *p);

static void new_page(struct pdf *p)
{
    if (p->page_open) {
        end_page(p);
        p->page++;
    }
    p->page_open = true;
    p->y = TOP;
    if (p->in_table)
        table_header(p);
}

/* Makes sure h points fit under the cursor, starting a page when they do not. */
static void need(struct pdf *p, double h)
{
    if (!p->page_open || p->y + h > BOTTOM)
        new_page(p);
}

/* ---- text -------------------------------------------------------------------------------- */

static PangoLayout *layout(struct pdf *p, const char *font, double width)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    /* A word cut at the end of a narrow cell gets no hyphen: the text stays the text. */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    return l;
}

/* Sets text that may not be valid UTF-8 (pango refuses it): invalid bytes become U+FFFD. */
static void set_text(PangoLayout *l, const char *s)
{
    if (g_utf8_validate(s, -1, NULL)) {
        pango_layout_set_text(l, s, -1);
        return;
    }
    gchar *v = g_utf8_make_valid(s, -1);
    pango_layout_set_text(l, v, -1);
    g_free(v);
}

static void set_markup(PangoLayout *l, const char *markup)
{
    pango_layout_set_markup(l, markup, -1); /* replaces the attributes: hyphens off again */
    PangoAttrList *old = pango_layout_get_attributes(l);
    PangoAttrList *attrs = old ? pango_attr_list_copy(old) : pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
}

/* Draws a layout line by line from the cursor at x, breaking pages between lines. */
static void flow(struct pdf *p, PangoLayout *l, double x)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double h = (double)r.height / PANGO_SCALE;
        need(p, h);
        if (!p->measuring) {
            double base = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
            cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        p->y += h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Appends s escaped for pango markup. */
static void markup_text(struct buf *b, const char *s)
{
    gchar *e = g_markup_escape_text(s, -1);
    buf_puts(b, e);
    g_free(e);
}

/* ---- document callbacks ----------------------------------------------------------------- */

static void pdf_title(void *ctx, const char *title, const char *subtitle)
{
    struct pdf *p = ctx;
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
    const char *font = level == 1 ? FONT " Bold 14" : level == 2 ? FONT " Bold 11.5" : FONT
                                                                               " Bold 10";
    PangoLayout *l = layout(p, font, CONTENT_W);
    set_text(l, text);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double space = level == 1 ? 16 : 10;
    /* Keep the heading with a few lines of what follows. */
    if (p->page_open && p->y > TOP)
        p->y += space;
    need(p, (double)h / PANGO_SCALE + 48);
    char dest[32] = "";
    if (level <= 2 && p->measuring) {
        if (p->n_toc == p->cap_toc) {
            p->cap_toc = p->cap_toc ? p->cap_toc * 2 : 32;
            p->toc = xrealloc(p->toc, sizeof *p->toc * (size_t)p->cap_toc);
        }
        p->toc[p->n_toc++] = (struct toc_entry){level, p->page, xstrdup(text)};
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
        cairo_move_to(p->cr, MARGIN, p->y);
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
    PangoLayout *l = layout(p, style == DOC_NOTE ? FONT " Oblique 9.5" : FONT " 9.5", CONTENT_W);
    set_text(l, text);
    if (!p->measuring && style == DOC_NOTE)
        cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
    flow(p, l, MARGIN);
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += 5;
    g_object_unref(l);
}

static void pdf_field(void *ctx, const char *label, const char *value)
{
    struct pdf *p = ctx;
    struct buf m = {0};
    buf_puts(&m, "<b>");
    markup_text(&m, label);
    buf_puts(&m, " :</b> ");
    markup_text(&m, g_utf8_validate(value, -1, NULL) ? value : "?");
    PangoLayout *l = layout(p, FONT " 9.5", CONTENT_W);
    set_markup(l, buf_cstr(&m));
    flow(p, l, MARGIN);
    p->y += 3;
    g_object_unref(l);
    buf_free(&m);
}

/* A paragraph of markup with an optional bullet hanging in the left indent. */
static void bulleted(struct pdf *p, const char *markup, const char *font, double indent,
                     const char *bullet)
{
    PangoLayout *l = layout(p, font, CONTENT_W - indent);
    set_markup(l, markup);
    if (bullet && *bullet) {
        /* The bullet goes with the first line: make room for that line before drawing it. */
        PangoLayoutIter *it = pango_layout_get_iter(l);
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        pango_layout_iter_free(it);
        need(p, (double)r.height / PANGO_SCALE);
        if (!p->measuring) {
            PangoLayout *bl = layout(p, font, indent);
            set_text(bl, bullet);
            cairo_move_to(p->cr, MARGIN + indent - 13 - (strlen(bullet) > 3 ? 6 : 0), p->y);
            pango_cairo_show_layout(p->cr, bl);
            g_object_unref(bl);
        }
    }
    flow(p, l, MARGIN + indent);
    g_object_unref(l);
}

static void pdf_list(void *ctx, const char *const *items, int n)
{
    struct pdf *p = ctx;
    for (int i = 0; i < n; i++) {
        struct buf m = {0};
        markup_text(&m, items[i]);
        bulleted(p, buf_cstr(&m), FONT " 9.5", 16, "•");
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
        markup_text(&m, r->text);
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
            markup_text(&m, r->href);
            buf_puts(&m, ")");
        }
    }
    switch (b->kind) {
    case MD_HEADING:
        p->y += 4;
        need(p, 40);
        bulleted(p, buf_cstr(&m), b->level <= 1 ? FONT " Bold 11" : FONT " Bold 10", 0, NULL);
        p->y += 3;
        break;
    case MD_ITEM:
        bulleted(p, buf_cstr(&m), FONT " 9.5", 16.0 * b->level, b->bullet);
        p->y += 2;
        break;
    case MD_QUOTE:
        bulleted(p, buf_cstr(&m), FONT " Oblique 9.5", 20, NULL);
        p->y += 5;
        break;
    case MD_PRE:
        bulleted(p, buf_cstr(&m), "DejaVu Sans Mono 8.5", 10, NULL);
        p->y += 5;
        break;
    default:
        bulleted(p, buf_cstr(&m), FONT " 9.5", 0, NULL);
        p->y += 5;
        break;
    }
    buf_free(&m);
}

/* ---- tables ------------------------------------------------------------------------------ */

/* One cell being drawn: its layout and lines, and how far it got. */
struct cell {
    PangoLayout *l;
    int n_lines, next;
    double *top, *height; /* per line, relative to the layout */
};

static void cell_open(struct pdf *p, struct cell *c, const char *font, const char *text,
                      double width, bool right)
{
    c->l = layout(p, font, width - 2 * CELL_PAD);
    if (right)
        pango_layout_set_alignment(c->l, PANGO_ALIGN_RIGHT);
    set_text(c->l, text ? text : "");
    c->n_lines = pango_layout_get_line_count(c->l);
    c->top = xcalloc((size_t)c->n_lines + 1, sizeof *c->top);
    c->height = xcalloc((size_t)c->n_lines + 1, sizeof *c->height);
    c->next = 0;
    PangoLayoutIter *it = pango_layout_get_iter(c->l);
    int i = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        c->top[i] = (double)r.y / PANGO_SCALE;
        c->height[i] = (double)r.height / PANGO_SCALE;
        i++;
    } while (i < c->n_lines && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void cell_close(struct cell *c)
{
    g_object_unref(c->l);
    free(c->top);
    free(c->height);
}

/* Height of the lines of c from its next one that fit in avail. */
static double cell_take(const struct cell *c, double avail, int *upto)
{
    double h = 0;
    int i = c->next;
    while (i < c->n_lines && h + c->height[i] <= avail)
        h += c->height[i++];
    *upto = i;
    return h;
}

/* Draws lines [c->next, upto) of c in the box at (x, y). */
static void cell_draw(struct pdf *p, const struct cell *c, int upto, double x, double y)
{
    if (p->measuring || c->next >= upto)
        return;
    double shift = c->top[c->next];
    cairo_save(p->cr);
    PangoLayoutIter *it = pango_layout_get_iter(c->l);
    int i = 0;
    do {
        if (i >= c->next && i < upto) {
            PangoRectangle r;
            pango_layout_iter_get_line_extents(it, NULL, &r);
            double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE - shift;
            cairo_move_to(p->cr, x + CELL_PAD + (double)r.x / PANGO_SCALE, y + CELL_PAD + base);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        i++;
    } while (i < upto && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    cairo_restore(p->cr);
}

static void rgb(struct pdf *p, const char *hex)
{
    unsigned v = (unsigned)strtoul(hex + 1, NULL, 16);
    cairo_set_source_rgb(p->cr, ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
                         (v & 255) / 255.0);
}

/* Where the cells of a row go: x and width of each. */
struct geometry {
    const double *x, *w;
};

/* Fills and frames the boxes of one chunk of a row. fills: per column colour or NULL. */
static void boxes(struct pdf *p, const struct geometry *g, double y, double h,
                  const char *const *fills, int n)
{
    if (p->measuring)
        return;
    for (int k = 0; k < n; k++) {
        cairo_rectangle(p->cr, g->x[k], y, g->w[k], h);
        if (fills && fills[k]) {
            rgb(p, fills[k]);
            cairo_fill_preserve(p->cr);
        }
        cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(p->cr, 0.4);
        cairo_stroke(p->cr);
    }
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

/* Draws a row of cells across pages: whole on the next page when it is short, else split
 * between lines. fills / inks: per column background and text colour (NULL for none). */
static void row(struct pdf *p, const struct geometry *g, struct cell *cells, int n,
                const char *const *fills, const char *const *inks)
{
    double full = 0;
    for (int k = 0; k < n; k++) {
        int upto;
        double h = cell_take(&cells[k], 1e9, &upto);
        full = h > full ? h : full;
    }
    full += 2 * CELL_PAD;
    if (p->y + full > BOTTOM && full < (BOTTOM - TOP) * 0.4)
        new_page(p);
    for (;;) {
        double avail = BOTTOM - p->y - 2 * CELL_PAD, chunk = 0;
        int upto[MAX_COLS];
        bool left = false;
        for (int k = 0; k < n; k++) {
            double h = cell_take(&cells[k], avail, &upto[k]);
            chunk = h > chunk ? h : chunk;
        }
        if (chunk <= 0 && p->y > p->header_bottom + 0.5) {
            new_page(p); /* nothing fits under the cursor */
            continue;
        }
        for (int k = 0; k < n; k++)
            if (upto[k] == cells[k].next && cells[k].next < cells[k].n_lines &&
                chunk <= 0)
                upto[k] = cells[k].next + 1; /* a line taller than a page: draw it anyway */
        if (chunk <= 0)
            chunk = 12;
        boxes(p, g, p->y, chunk + 2 * CELL_PAD, fills, n);
        for (int k = 0; k < n; k++) {
            if (!p->measuring) {
                if (inks && inks[k])
                    rgb(p, inks[k]);
                else
                    cairo_set_source_rgb(p->cr, 0, 0, 0);
            }
            cell_draw(p, &cells[k], upto[k], g->x[k], p->y);
            cells[k].next = upto[k];
            left |= cells[k].next < cells[k].n_lines;
        }
        if (!p->measuring)
            cairo_set_source_rgb(p->cr, 0, 0, 0);
        p->y += chunk + 2 * CELL_PAD;
        if (!left)
            break;
        new_page(p);
    }
}

/* A row spanning the table: a group's name (level 0 or 1). */
static void group_row(struct pdf *p, int g, const char *text)
{
    static const double x[1] = {MARGIN}, w[1] = {CONTENT_W};
    const struct geometry geo = {x, w};
    struct cell c;
    cell_open(p, &c, g == 0 ? FONT " Bold 8.5" : FONT " Bold 8", text, CONTENT_W, false);
    const char *fill = g == 0 ? "#cfd8e3" : "#eef1f5";
    row(p, &geo, &c, 1, &fill, NULL);
    cell_close(&c);
}

static void table_header(struct pdf *p)
{
    struct cell cells[MAX_COLS];
    const char *fills[MAX_COLS];
    for (int k = 0; k < p->n_cols; k++) {
        cell_open(p, &cells[k], FONT " Bold 8", p->heads[k], p->col_w[k], p->numeric[k]);
        fills[k] = "#e8eef4";
    }
    p->header_bottom = 1e9; /* a header never splits */
    const struct geometry geo = {p->col_x, p->col_w};
    row(p, &geo, cells, p->n_cols, fills, NULL);
    for (int k = 0; k < p->n_cols; k++)
        cell_close(&cells[k]);
    p->header_bottom = p->y;
    /* The groups in force, marked as continued. */
    for (int g = 0; g < 2; g++) {
        if (!p->groups[g])
            continue;
        char *text = g_strdup_printf("%s (suite)", p->groups[g]);
        group_row(p, g, text);
        g_free(text);
        p->header_bottom = p->y;
    }
}

static void pdf_table_begin(void *ctx, const struct doc_table *t)
{
    struct pdf *p = ctx;
    double sum = 0;
    p->n_cols = t->n_cols < MAX_COLS ? t->n_cols : MAX_COLS;
    for (int k = 0; k < p->n_cols; k++)
        sum += t->widths[k];
    double x = MARGIN;
    for (int k = 0; k < p->n_cols; k++) {
        p->col_x[k] = x;
        p->col_w[k] = CONTENT_W * t->widths[k] / sum;
        x += p->col_w[k];
        p->heads[k] = xstrdup(t->heads[k]);
        p->numeric[k] = t->numeric && t->numeric[k];
    }
    p->y += 4;
    if (t->caption) {
        PangoLayout *l = layout(p, FONT " Bold 9", CONTENT_W);
        set_text(l, t->caption);
        need(p, 80);
        flow(p, l, MARGIN);
        g_object_unref(l);
        p->y += 2;
    }
    need(p, 60);
    p->in_table = true;
    table_header(p);
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
    if (p->y + 50 > BOTTOM)
        new_page(p); /* keep the group with its first row */
    group_row(p, g, text);
    p->groups[g] = xstrdup(text);
}

/* Text colour readable on a status fill (the inks of out/svg.c). */
static const char *status_ink(enum status s)
{
    return s == ST_DONE || s == ST_REFLECTION || s == ST_NONE ? "#000000" : "#ffffff";
}

static void pdf_table_row(void *ctx, const struct doc_cell *cells)
{
    struct pdf *p = ctx;
    struct cell c[MAX_COLS];
    const char *fills[MAX_COLS], *inks[MAX_COLS];
    for (int k = 0; k < p->n_cols; k++) {
        bool st = cells[k].is_status;
        cell_open(p, &c[k], st ? FONT " Bold 7.5" : FONT " 7.5", cells[k].text, p->col_w[k],
                  p->numeric[k]);
        fills[k] = st ? svg_status_colour(cells[k].status) : NULL;
        inks[k] = st ? status_ink(cells[k].status) : NULL;
    }
    const struct geometry geo = {p->col_x, p->col_w};
    row(p, &geo, c, p->n_cols, fills, inks);
    for (int k = 0; k < p->n_cols; k++)
        cell_close(&c[k]);
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
    double scale = w > CONTENT_W ? CONTENT_W / w : 1.0;
    double dh = hh * scale;
    if (dh > BOTTOM - TOP) { /* taller than a page: shrink to fit */
        scale *= (BOTTOM - TOP) / dh;
        dh = BOTTOM - TOP;
    }
    p->y += 6;
    need(p, dh);
    if (!p->measuring) {
        RsvgRectangle vp = {MARGIN, p->y, w * scale, dh};
        if (!rsvg_handle_render_document(h, p->cr, &vp, &e))
            g_clear_error(&e);
    }
    p->y += dh + 10;
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
    new_page(p);
    p->y = TOP + 40;
    PangoLayout *l = layout(p, FONT " Bold 22", CONTENT_W);
    set_text(l, p->title ? p->title : "");
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0.043, 0.23, 0.4);
    flow(p, l, MARGIN);
    g_object_unref(l);
    l = layout(p, FONT " 13", CONTENT_W);
    set_text(l, p->subtitle ? p->subtitle : "");
    p->y += 6;
    flow(p, l, MARGIN);
    g_object_unref(l);
    if (!p->measuring)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += 30;
    l = layout(p, FONT " Bold 14", CONTENT_W);
    set_text(l, "Sommaire");
    flow(p, l, MARGIN);
    g_object_unref(l);
    p->y += 8;
    for (int i = 0; i < p->n_toc; i++) {
        const struct toc_entry *t = &p->toc[i];
        double indent = t->level == 1 ? 0 : 18;
        char num[16];
        snprintf(num, sizeof num, "%d", t->page + p->first_page - 1);
        PangoLayout *e = layout(p, t->level == 1 ? FONT " Bold 10" : FONT " 9.5",
                                CONTENT_W - indent - 40);
        set_text(e, t->text);
        PangoLayout *n = layout(p, t->level == 1 ? FONT " Bold 10" : FONT " 9.5", 40);
        pango_layout_set_alignment(n, PANGO_ALIGN_RIGHT);
        set_text(n, num);
        int w, h;
        pango_layout_get_size(e, &w, &h);
        need(p, (double)h / PANGO_SCALE);
        if (!p->measuring) {
            char link[32];
            snprintf(link, sizeof link, "dest='h%d'", i);
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, link);
            cairo_move_to(p->cr, MARGIN + indent, p->y);
            pango_cairo_show_layout(p->cr, e);
            cairo_move_to(p->cr, PAGE_W - MARGIN - 40, p->y);
            pango_cairo_show_layout(p->cr, n);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        }
        p->y += (double)h / PANGO_SCALE + (t->level == 1 ? 5 : 2);
        g_object_unref(e);
        g_object_unref(n);
    }
    int pages = p->page;
    end_page(p);
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
    p->surface = cairo_pdf_surface_create_for_stream(sink, closure, PAGE_W, PAGE_H);
    p->cr = cairo_create(p->surface);
    p->page_open = false;
    p->next_heading = 0;
    p->outline_l1 = CAIRO_PDF_OUTLINE_ROOT;
    if (!p->measuring) {
        p->page = front_matter(p); /* p->first_page is already known */
    } else {
        p->page = 0;
    }
    p->page_open = false;
    p->page++;
    new_page(p);
    content(user, &pdf_ops, p);
    end_page(p);
}

int pdf_render(const struct pdf_options *o, pdf_content_fn content, void *user, struct buf *out,
               char *err, size_t errlen)
{
    struct pdf p = {.measuring = true, .footer = o->footer, .total_pages = 0};
    pass(&p, discard, NULL, content, user);
    int content_pages = p.page;
    cairo_status_t st = cairo_surface_status(p.surface);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_surface_destroy(p.surface);

    /* The table of contents' length, measured on a scratch surface. */
    p.surface = cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
    p.cr = cairo_create(p.surface);
    p.first_page = 1;
    int front = front_matter(&p);
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
