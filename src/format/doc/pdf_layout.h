/* pdf_layout.h — the page engine under format/pdf.c: A4 pages with their footer, text flowing
 * across pages, table rows split across pages with the table's header repeated. Shared by
 * pdf.c and pdf_layout.c only. */
#ifndef OUT_PDF_LAYOUT_H
#define OUT_PDF_LAYOUT_H

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#include "base/str.h"

/* A4 in points, margins of 2 cm, the footer under the bottom margin. */
#define PDF_PAGE_W 595.276
#define PDF_PAGE_H 841.89
#define PDF_MARGIN 56.7
#define PDF_TOP PDF_MARGIN
#define PDF_BOTTOM (PDF_PAGE_H - 62.0)
#define PDF_CONTENT_W (PDF_PAGE_W - 2 * PDF_MARGIN)
#define PDF_CELL_PAD 3.5
#define PDF_FONT "DejaVu Sans"

enum { PDF_MAX_COLS = 8 };

struct pdf_toc_entry {
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
    bool inline_title; /* pdf_options.no_front_matter */
    /* Headings: recorded in the measuring pass, looked up in the drawing pass. */
    struct pdf_toc_entry *toc;
    int n_toc, cap_toc, next_heading, outline_l1;
    /* The open table. */
    bool in_table;
    int n_cols;
    double col_x[PDF_MAX_COLS], col_w[PDF_MAX_COLS];
    char *heads[PDF_MAX_COLS];
    bool numeric[PDF_MAX_COLS];
    char *groups[2]; /* the group rows in force, repeated after a page break */
    double header_bottom; /* y under the repeated header: a row starting there is at the top */
    /* Column minima, per table in document order: the widest word of each column (cell padding
     * included), recorded in a measuring pass so that no word is cut inside a cell. */
    double (*word_w)[PDF_MAX_COLS];
    int n_tables, cap_tables, table_index;
    bool refit;  /* a measured word was wider than its column: measure again */
    /* The open table's text size, as a fraction of the usual one: below 1 when its widest
     * words do not fit side by side at the usual size (pdf_table_font). */
    double table_scale;
    int lines;   /* lines of text, table rows and charts drawn on the current page */
    int squeeze; /* percent taken off charts and block spacing to save a nearly empty page */
};

/* One cell being drawn: its layout and lines, and how far it got. */
struct pdf_cell {
    PangoLayout *l;
    int n_lines, next;
    double *top, *height; /* per line, relative to the layout */
};

/* Where the cells of a row go: x and width of each. */
struct pdf_geometry {
    const double *x, *w;
};

/* ---- pages ---- */

/* Closes the open page, if any, drawing its footer ("Page n / total") unless measuring. */
void pdf_end_page(struct pdf *p);

/* Closes the open page and opens the next one, repeating the open table's header. */
void pdf_new_page(struct pdf *p);

/* Makes sure h points fit under the cursor, starting a page when they do not. */
void pdf_need(struct pdf *p, double h);

/* ---- text ---- */

/* A word-wrapped layout in font ("DejaVu Sans Bold 10") width points wide, hyphens off;
 * the caller unrefs it with g_object_unref. */
PangoLayout *pdf_text_layout(struct pdf *p, const char *font, double width);

/* Sets text that may not be valid UTF-8 (pango refuses it): invalid bytes become U+FFFD. */
void pdf_set_text(PangoLayout *l, const char *s);

/* Sets pango markup, keeping hyphens off. */
void pdf_set_markup(PangoLayout *l, const char *markup);

/* Draws a layout line by line from the cursor at x, breaking pages between lines but never
 * leaving one line of a paragraph alone at the foot or the head of a page. */
void pdf_flow(struct pdf *p, PangoLayout *l, double x);

/* Width in points of the widest unbreakable piece (a word) of text in font. */
double pdf_widest_word(struct pdf *p, const char *font, const char *text);

/* Spacing s reduced by the squeeze in force. */
double pdf_space(const struct pdf *p, double s);

/* Appends s escaped for pango markup. */
void pdf_markup_text(struct buf *b, const char *s);

/* A paragraph of markup indented by indent points, with an optional bullet hanging in the
 * left indent. */
void pdf_bulleted(struct pdf *p, const char *markup, const char *font, double indent,
                  const char *bullet);

/* ---- tables ---- */

/* Lays out text (NULL: empty) in a cell width points wide, right-aligned when right; release
 * it with pdf_cell_close. */
void pdf_cell_open(struct pdf *p, struct pdf_cell *c, const char *font, const char *text,
                   double width, bool right);

/* Frees what pdf_cell_open allocated. */
void pdf_cell_close(struct pdf_cell *c);

/* Draws a row of cells across pages: whole on the next page when it is short, else split
 * between lines. fills / inks: per column background and text colour ("#rrggbb", NULL for
 * none). */
void pdf_row(struct pdf *p, const struct pdf_geometry *g, struct pdf_cell *cells, int n,
             const char *const *fills, const char *const *inks);

/* A row spanning the table: a group's name (g: level 0 or 1). */
void pdf_group_row(struct pdf *p, int g, const char *text);

/* The font of the open table's text at its scale: base is a font name and its usual size in
 * points ("Bold", 8); out holds the Pango description. */
const char *pdf_table_font(const struct pdf *p, const char *style, double size, char *out,
                           size_t len);
/* Draws the open table's header (p->heads, p->col_x, p->col_w) and the group rows in force,
 * marked as continued; sets p->header_bottom. */
void pdf_table_header(struct pdf *p);

#endif
