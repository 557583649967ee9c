/* final_doc.h — the content of a contract's final evaluation report (status figures of every
 * year, survey results when a survey hook is set, indicators against targets, governance, SWOT,
 * recommendations, conclusion), written against the callbacks of doc.h so that the PDF and the
 * OpenDocument file say the same thing. */
#ifndef OUT_FINAL_DOC_H
#define OUT_FINAL_DOC_H

#include <stddef.h>

#include "base/err.h"
#include "base/str.h"
#include "format/doc/doc.h"
#include "model/evaluation/final_report.h"

/* Writes the whole report r through ops (ctx is the format's state). */
void final_doc_write(const struct final_report *r, const struct doc_ops *ops, void *ctx);

/* "Rapport d'évaluation finale", malloc'd. */
char *final_doc_title(const struct final_report *r);

/* The report as a PDF / an OpenDocument text appended to out; ERR_IO with a French reason in
 * err. */
int final_doc_pdf(const struct final_report *r, struct buf *out, char *err,
                  size_t errlen) MUST_CHECK;
int final_doc_odt(const struct final_report *r, struct buf *out, char *err,
                  size_t errlen) MUST_CHECK;

#endif
