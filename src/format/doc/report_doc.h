/* report_doc.h — the content of the yearly execution report, section by section in the order of
 * the report's annex 5, written against the document callbacks of doc.h so that the PDF, the
 * OpenDocument file and the browser preview say the same thing. */
#ifndef OUT_REPORT_DOC_H
#define OUT_REPORT_DOC_H

#include "model/report/report.h"
#include <stddef.h>

#include "format/doc/doc.h"

/* Writes the whole report r through ops (ctx is the format's state). */
void report_doc_write(const struct report *r, const struct doc_ops *ops, void *ctx);

/* The title of the report of r ("Bilan d'exécution 2023"), malloc'd. */
char *report_doc_title(const struct report *r);

/* The status summary chart of r as SVG (stacked bars: all actions, then each specific
 * objective), appended to out. */
struct buf;
void report_doc_chart(const struct report *r, struct buf *out);

/* The report of r as a PDF (format/pdf.c) appended to out; ERR_IO with a French reason in err. */
int report_doc_pdf(const struct report *r, struct buf *out, char *err,
                   size_t errlen) MUST_CHECK;

/* The report of r as an OpenDocument text (format/odt.c) appended to out. */
int report_doc_odt(const struct report *r, struct buf *out, char *err,
                   size_t errlen) MUST_CHECK;

#endif
