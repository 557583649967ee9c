/* doc.h — the few building blocks a generated document is made of (headings, paragraphs, label
 * and value lines, Markdown blocks, tables with group rows and coloured status cells, charts),
 * as a table of callbacks. The report's content is written once against it (format/report_doc.c) and
 * drawn by each format: PDF (format/pdf.c), OpenDocument text (format/odt.c) and the HTML preview
 * (web/report/report_pages.c), so that the three show the same thing. */
#ifndef OUT_DOC_H
#define OUT_DOC_H

#include <stdbool.h>

#include "model/core/status.h"

/* One piece of inline text of a Markdown block. Pointers are valid during the callback only. */
enum { MD_BOLD = 1, MD_ITALIC = 2, MD_CODE = 4, MD_BREAK = 8 /* a hard line break, no text */ };
struct md_run {
    const char *text;
    unsigned flags;
    const char *href; /* an http(s) or mailto link around the text, else NULL */
};

/* A block of Markdown: a paragraph, a heading (level 1–6, relative to the section), a list
 * item's paragraph (level = depth from 1, bullet "•" or "3." on its first paragraph, "" on the
 * next ones), a quotation, or preformatted text (one run, newlines kept). */
enum md_kind { MD_PARAGRAPH, MD_HEADING, MD_ITEM, MD_QUOTE, MD_PRE };
struct md_block {
    enum md_kind kind;
    int level;
    const char *bullet;
    const struct md_run *runs;
    int n_runs;
};

/* Paragraph styles: ordinary text, or the grey note of an empty state ("Aucune réunion…"). */
enum doc_style { DOC_TEXT, DOC_NOTE };

/* A table cell: its text, and a status when the cell shows one (its colour and label). */
struct doc_cell {
    const char *text;
    enum status status; /* ST_NONE with is_status: the "Sans état" cell */
    bool is_status;
};

/* A table's columns: header texts, relative widths (any scale), numeric (right-aligned). */
struct doc_table {
    int n_cols;
    const char *const *heads;
    const double *widths;
    const bool *numeric; /* NULL: none */
    const char *caption; /* NULL: none */
};

/* What a document format implements. ctx is the format's own state. */
struct doc_ops {
    /* The document's title block (first thing written). */
    void (*title)(void *ctx, const char *title, const char *subtitle);
    /* A heading: level 1 (numbered section, in the table of contents), 2 (in the table of
     * contents too) or 3. */
    void (*heading)(void *ctx, int level, const char *text);
    void (*paragraph)(void *ctx, enum doc_style style, const char *text);
    /* "Label : value" on one line (the identification blocks). */
    void (*field)(void *ctx, const char *label, const char *value);
    /* A bulleted list of plain items. */
    void (*list)(void *ctx, const char *const *items, int n);
    void (*markdown)(void *ctx, const struct md_block *b);
    void (*table_begin)(void *ctx, const struct doc_table *t);
    /* A row spanning the whole table that names the group of the rows below (level 1 or 2). */
    void (*table_group)(void *ctx, int level, const char *text);
    void (*table_row)(void *ctx, const struct doc_cell *cells);
    void (*table_end)(void *ctx);
    /* A chart: the SVG text (from format/svg.c) and its title (for a text alternative). */
    void (*chart)(void *ctx, const char *svg, const char *title);
};

/* Walks Markdown text (CommonMark, raw HTML shown as text, links kept only for http, https and
 * mailto) and calls block once per block, in order. Invalid UTF-8 is replaced. */
void md_walk(const char *markdown, void (*block)(void *ctx, const struct md_block *b),
             void *ctx);

/* The plain text of a Markdown run list (runs joined, breaks as newlines), malloc'd. */
char *md_plain(const struct md_block *b);

#endif
