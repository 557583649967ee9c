/* pdf.h — an A4 PDF of a document written against doc.h, laid out with cairo and pango (fonts
 * embedded), charts drawn from their SVG with librsvg: a title block and table of contents on
 * the first page(s), numbered pages, table headers repeated on each page, coloured status
 * cells. */
#ifndef OUT_PDF_H
#define OUT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "base/str.h"
#include "format/doc/doc.h"

/* Writes the document's content: called twice (the first time to measure, the second to
 * draw), it must call the same callbacks in the same order each time. */
typedef void (*pdf_content_fn)(void *user, const struct doc_ops *ops, void *pdf);

struct pdf_options {
    const char *title;  /* document metadata */
    const char *footer; /* left of every page's footer ("Bilan d'exécution 2023 — …") */
    /* A leaflet: the title block heads the first page of content, with no table of contents
     * page (a one-page summary such as « Le CLS en un coup d'œil »). */
    bool no_front_matter;
};

/* Lays out content and appends the PDF to out. On failure returns ERR_INVALID or ERR_IO with a
 * French reason in err; out is then left as it was. Safe to call from several threads. */
int pdf_render(const struct pdf_options *o, pdf_content_fn content, void *user, struct buf *out,
               char *err, size_t errlen) MUST_CHECK;

#endif
