/* pdf_layout.c — the page engine of the PDF: pages and their footer, text flowing across
 * pages, table rows split across pages with the header and group rows repeated. Knows nothing
 * of doc.h or of what a document says (format/pdf.c does); must not read the database. */
#include "format/doc/pdf_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* ---- pages ------------------------------------------------------------------------------- */

static void footer(struct pdf *p)
{
    if (p->measuring)
        return;
    cairo_t *cr = p->cr;
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT " 7.5");
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, PDF_MARGIN, PDF_BOTTOM + 18);
    cairo_line_to(cr, PDF_PAGE_W - PDF_MARGIN, PDF_BOTTOM + 18);
    cairo_stroke(cr);
    pango_layout_set_width(l, (int)(PDF_CONTENT_W * 0.75 * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(l, p->footer ? p->footer : "", -1);
    cairo_move_to(cr, PDF_MARGIN, PDF_BOTTOM + 24);
    pango_cairo_show_layout(cr, l);
    char num[48];
    snprintf(num, sizeof num, "Page %d / %d", p->page, p->total_pages);
    pango_layout_set_width(l, -1);
    pango_layout_set_text(l, num, -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    cairo_move_to(cr, PDF_PAGE_W - PDF_MARGIN - (double)w / PANGO_SCALE, PDF_BOTTOM + 24);
    pango_cairo_show_layout(cr, l);
    cairo_set_source_rgb(cr, 0, 0, 0);
    g_object_unref(l);
}

void pdf_end_page(struct pdf *p)
{
    if (!p->page_open)
        return;
    footer(p);
    cairo_show_page(p->cr);
    p->page_open = false;
}

void pdf_new_page(struct pdf *p)
{
    if (p->page_open) {
        pdf_end_page(p);
        p->page++;
    }
    p->page_open = true;
    p->y = PDF_TOP;
    p->lines = 0;
    if (p->in_table)
        pdf_table_header(p);
}

/* Makes sure h points fit under the cursor, starting a page when they do not. */
void pdf_need(struct pdf *p, double h)
{
    if (!p->page_open || p->y + h > PDF_BOTTOM)
        pdf_new_page(p);
}

/* ---- text -------------------------------------------------------------------------------- */

PangoLayout *pdf_text_layout(struct pdf *p, const char *font, double width)
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
void pdf_set_text(PangoLayout *l, const char *s)
{
    if (g_utf8_validate(s, -1, NULL)) {
        pango_layout_set_text(l, s, -1);
        return;
    }
    gchar *v = g_utf8_make_valid(s, -1);
    pango_layout_set_text(l, v, -1);
    g_free(v);
}

void pdf_set_markup(PangoLayout *l, const char *markup)
{
    pango_layout_set_markup(l, markup, -1); /* replaces the attributes: hyphens off again */
    PangoAttrList *old = pango_layout_get_attributes(l);
    PangoAttrList *attrs = old ? pango_attr_list_copy(old) : pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
}

/* Draws a layout line by line from the cursor at x, breaking pages between lines. A break
 * keeps at least two lines on each side (no orphan at the foot of a page, no widow at the
 * head of the next): a two- or three-line paragraph moves whole. bullet (may be NULL) is drawn
 * at bullet_x level with the first line, on whichever page that line lands. */
static void flow(struct pdf *p, PangoLayout *l, double x, PangoLayout *bullet, double bullet_x)
{
    int n = pango_layout_get_line_count(l);
    double *h = xcalloc((size_t)n + 1, sizeof *h);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int i = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        h[i++] = (double)r.height / PANGO_SCALE;
    } while (i < n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    it = pango_layout_get_iter(l);
    i = 0;
    while (i < n) {
        if (!p->page_open)
            pdf_new_page(p);
        bool at_top = p->y <= PDF_TOP + 0.5 || (p->in_table && p->y <= p->header_bottom + 0.5);
        double y = p->y;
        int k = i; /* lines [i, k) go on this page */
        while (k < n && y + h[k] <= PDF_BOTTOM)
            y += h[k++];
        if (k < n) {
            if (n - k < 2 && k - 1 > i)
                k--; /* the last line does not go over alone */
            if (k - i < 2 && !at_top)
                k = i; /* nor does one line stay behind */
            if (k == i && at_top)
                k = i + 1; /* a line taller than a page: drawn anyway */
        }
        for (; i < k; i++) {
            if (!p->measuring) {
                PangoRectangle r;
                pango_layout_iter_get_line_extents(it, NULL, &r);
                double base = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
                if (i == 0 && bullet) {
                    cairo_move_to(p->cr, bullet_x, p->y);
                    pango_cairo_show_layout(p->cr, bullet);
                }
                cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base);
                pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
            }
            p->y += h[i];
            p->lines++;
            pango_layout_iter_next_line(it);
        }
        if (i < n)
            pdf_new_page(p);
    }
    pango_layout_iter_free(it);
    free(h);
}

void pdf_flow(struct pdf *p, PangoLayout *l, double x)
{
    flow(p, l, x, NULL, 0);
}

double pdf_widest_word(struct pdf *p, const char *font, const char *text)
{
    if (!text || !*text)
        return 0;
    PangoLayout *l = pdf_text_layout(p, font, 1);
    pango_layout_set_width(l, -1); /* one line: x positions along it measure each piece */
    pdf_set_text(l, text);
    const char *s = pango_layout_get_text(l);
    int n_attrs = 0;
    const PangoLogAttr *a = pango_layout_get_log_attrs_readonly(l, &n_attrs);
    int n_chars = n_attrs - 1; /* one attribute per character and one for the end */
    double widest = 0;
    const char *c = s, *from = s, *last = NULL; /* last: the piece's last non-blank char */
    for (int i = 0; i < n_chars && *c; i++, c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        if (!g_unichar_isspace(u))
            last = c;
        if (i + 1 < n_chars && !a[i + 1].is_line_break && !a[i + 1].is_mandatory_break)
            continue;
        if (last && last >= from) {
            /* Trailing pieces of the same line: x distances along the one line. */
            PangoRectangle r0, r1;
            pango_layout_index_to_pos(l, (int)(from - s), &r0);
            pango_layout_index_to_pos(l, (int)(last - s), &r1);
            double w = (double)(r1.x + r1.width - r0.x) / PANGO_SCALE;
            widest = w > widest ? w : widest;
        }
        from = g_utf8_next_char(c);
    }
    g_object_unref(l);
    return widest;
}

double pdf_space(const struct pdf *p, double s)
{
    return s * (100 - p->squeeze) / 100.0;
}

/* Appends s escaped for pango markup. */
void pdf_markup_text(struct buf *b, const char *s)
{
    gchar *e = g_markup_escape_text(s, -1);
    buf_puts(b, e);
    g_free(e);
}

/* A paragraph of markup with an optional bullet hanging in the left indent. */
void pdf_bulleted(struct pdf *p, const char *markup, const char *font, double indent,
                  const char *bullet)
{
    PangoLayout *l = pdf_text_layout(p, font, PDF_CONTENT_W - indent);
    pdf_set_markup(l, markup);
    PangoLayout *bl = NULL;
    if (bullet && *bullet) {
        bl = pdf_text_layout(p, font, indent);
        pdf_set_text(bl, bullet);
    }
    flow(p, l, PDF_MARGIN + indent, bl,
         PDF_MARGIN + indent - 13 - (bullet && strlen(bullet) > 3 ? 6 : 0));
    if (bl)
        g_object_unref(bl);
    g_object_unref(l);
}


/* ---- tables ------------------------------------------------------------------------------ */

void pdf_cell_open(struct pdf *p, struct pdf_cell *c, const char *font, const char *text,
                      double width, bool right)
{
    c->l = pdf_text_layout(p, font, width - 2 * PDF_CELL_PAD);
    if (right)
        pango_layout_set_alignment(c->l, PANGO_ALIGN_RIGHT);
    pdf_set_text(c->l, text ? text : "");
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

void pdf_cell_close(struct pdf_cell *c)
{
    g_object_unref(c->l);
    free(c->top);
    free(c->height);
}

/* Height of the lines of c from its next one that fit in avail. */
static double cell_take(const struct pdf_cell *c, double avail, int *upto)
{
    double h = 0;
    int i = c->next;
    while (i < c->n_lines && h + c->height[i] <= avail)
        h += c->height[i++];
    *upto = i;
    return h;
}

/* Draws lines [c->next, upto) of c in the box at (x, y). */
static void cell_draw(struct pdf *p, const struct pdf_cell *c, int upto, double x, double y)
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
            cairo_move_to(p->cr, x + PDF_CELL_PAD + (double)r.x / PANGO_SCALE,
                          y + PDF_CELL_PAD + base);
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

/* Fills and frames the boxes of one chunk of a row. fills: per column colour or NULL. */
static void boxes(struct pdf *p, const struct pdf_geometry *g, double y, double h,
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
void pdf_row(struct pdf *p, const struct pdf_geometry *g, struct pdf_cell *cells, int n,
                const char *const *fills, const char *const *inks)
{
    double full = 0;
    for (int k = 0; k < n; k++) {
        int upto;
        double h = cell_take(&cells[k], 1e9, &upto);
        full = h > full ? h : full;
    }
    full += 2 * PDF_CELL_PAD;
    if (p->y + full > PDF_BOTTOM && full < (PDF_BOTTOM - PDF_TOP) * 0.4)
        pdf_new_page(p);
    for (;;) {
        double avail = PDF_BOTTOM - p->y - 2 * PDF_CELL_PAD, chunk = 0;
        int upto[PDF_MAX_COLS];
        bool left = false;
        for (int k = 0; k < n; k++) {
            double h = cell_take(&cells[k], avail, &upto[k]);
            chunk = h > chunk ? h : chunk;
        }
        if (chunk <= 0 && p->y > p->header_bottom + 0.5) {
            pdf_new_page(p); /* nothing fits under the cursor */
            continue;
        }
        for (int k = 0; k < n; k++)
            if (upto[k] == cells[k].next && cells[k].next < cells[k].n_lines &&
                chunk <= 0)
                upto[k] = cells[k].next + 1; /* a line taller than a page: draw it anyway */
        if (chunk <= 0)
            chunk = 12;
        boxes(p, g, p->y, chunk + 2 * PDF_CELL_PAD, fills, n);
        int most = 1;
        for (int k = 0; k < n; k++)
            most = upto[k] - cells[k].next > most ? upto[k] - cells[k].next : most;
        p->lines += most;
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
        p->y += chunk + 2 * PDF_CELL_PAD;
        if (!left)
            break;
        pdf_new_page(p);
    }
}

/* A row spanning the table: a group's name (level 0 or 1). */
void pdf_group_row(struct pdf *p, int g, const char *text)
{
    static const double x[1] = {PDF_MARGIN}, w[1] = {PDF_CONTENT_W};
    const struct pdf_geometry geo = {x, w};
    struct pdf_cell c;
    pdf_cell_open(p, &c, g == 0 ? PDF_FONT " Bold 8.5" : PDF_FONT " Bold 8", text,
                  PDF_CONTENT_W, false);
    const char *fill = g == 0 ? "#cfd8e3" : "#eef1f5";
    pdf_row(p, &geo, &c, 1, &fill, NULL);
    pdf_cell_close(&c);
}

const char *pdf_table_font(const struct pdf *p, const char *style, double size, char *out,
                           size_t len)
{
    double scale = p->table_scale > 0 ? p->table_scale : 1;
    snprintf(out, len, "%s%s%s %.2f", PDF_FONT, *style ? " " : "", style, size * scale);
    return out;
}

void pdf_table_header(struct pdf *p)
{
    struct pdf_cell cells[PDF_MAX_COLS];
    const char *fills[PDF_MAX_COLS];
    char font[64];
    pdf_table_font(p, "Bold", 8, font, sizeof font);
    for (int k = 0; k < p->n_cols; k++) {
        pdf_cell_open(p, &cells[k], font, p->heads[k], p->col_w[k], p->numeric[k]);
        fills[k] = "#e8eef4";
    }
    p->header_bottom = 1e9; /* a header never splits */
    const struct pdf_geometry geo = {p->col_x, p->col_w};
    pdf_row(p, &geo, cells, p->n_cols, fills, NULL);
    for (int k = 0; k < p->n_cols; k++)
        pdf_cell_close(&cells[k]);
    p->header_bottom = p->y;
    /* The groups in force, marked as continued. */
    for (int g = 0; g < 2; g++) {
        if (!p->groups[g])
            continue;
        char *text = g_strdup_printf("%s (suite)", p->groups[g]);
        pdf_group_row(p, g, text);
        g_free(text);
        p->header_bottom = p->y;
    }
}
