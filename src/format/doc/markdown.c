/* markdown.c — Markdown to HTML through cmark, always with CMARK_OPT_SAFE (never
 * CMARK_OPT_UNSAFE): what people type can never become markup or script in a page. Must not
 * write the page around it. */
#include "format/doc/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

void markdown_html(struct buf *b, const char *text)
{
    if (!text || !*text)
        return;
    char *html = cmark_markdown_to_html(
        text, strlen(text), CMARK_OPT_SAFE | CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8);
    if (html) {
        buf_puts(b, html);
        free(html);
    }
}
