/* markdown.h — long text fields (agendas, minutes) written in Markdown, turned into HTML with
 * cmark in its safe mode. */
#ifndef OUT_MARKDOWN_H
#define OUT_MARKDOWN_H

#include "base/str.h"

/* Appends the HTML of a Markdown text: raw HTML is dropped (cmark writes a comment instead),
 * links and images with a javascript:, vbscript:, file: or data: address lose it, line breaks
 * are kept. NULL or "" appends nothing. */
void markdown_html(struct buf *b, const char *text);

#endif
