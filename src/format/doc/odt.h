/* odt.h — an OpenDocument text (.odt) of a document written against doc.h, for people who want
 * to edit it in LibreOffice or Word: real headings (outline levels), a table of contents, tables
 * with repeated header rows and coloured status cells, charts as pictures, page numbers. Zipped
 * with libzip, every text escaped by a small XML writer. */
#ifndef OUT_ODT_H
#define OUT_ODT_H

#include <stddef.h>

#include "base/err.h"
#include "base/str.h"
#include "format/doc/doc.h"

/* Writes the document's content once through the callbacks. */
typedef void (*odt_content_fn)(void *user, const struct doc_ops *ops, void *odt);

struct odt_options {
    const char *title;  /* document metadata */
    const char *footer; /* left of every page's footer */
};

/* Writes content as an .odt appended to out; ERR_IO with a French reason in err on failure. */
int odt_render(const struct odt_options *o, odt_content_fn content, void *user, struct buf *out,
               char *err, size_t errlen) MUST_CHECK;

/* Appends s escaped for XML text or a quoted attribute: & < > " ' escaped, the characters XML
 * 1.0 forbids (controls other than tab and newlines) and invalid UTF-8 dropped. */
void xml_escape(struct buf *b, const char *s);

#endif
