/* str.h — growable buffers and the escaping printf every page, document and API answer goes
 * through. %h escapes for HTML text and attributes, %u encodes a URL component, %j escapes a JSON
 * string's contents; %s copies raw bytes and is only for fragments our own code built. */
#ifndef BASE_STR_H
#define BASE_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* A growable byte buffer, always NUL-terminated; owns its memory (free with buf_free). */
struct buf {
    char *p;
    size_t len, cap;
};

/* Appends n bytes / a C string / one byte. */
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* Appends s escaped for HTML text or a quoted attribute (& < > " '); NULL appends nothing. */
void buf_html(struct buf *b, const char *s);
/* Appends s percent-encoded as a URL component (RFC 3986 unreserved kept). */
void buf_url(struct buf *b, const char *s);
/* Appends s escaped as the contents of a JSON string (no surrounding quotes). */
void buf_json(struct buf *b, const char *s);
/* Appends s as one RFC 4180 CSV field, quoted when it holds the separator, a quote or a newline. */
void buf_csv_field(struct buf *b, const char *s, char sep);
/* True when a spreadsheet would run s as a formula: after any leading apostrophes it starts
 * with = + - @, TAB or CR. Such a cell is written with one more leading apostrophe (OWASP's
 * advice against CSV injection; the apostrophes case keeps the neutralised form reversible). */
bool str_formula_lead(const char *s);
/* s without the apostrophe that neutralised it (s itself when it was not neutralised). */
const char *str_formula_unquote(const char *s);

/* The escaping printf. Conversions: %s (raw), %h (HTML), %u (URL), %j (JSON), %d %i %ld %lld
 * %zu (integers), %f with optional precision (%.1f), %c, %%. NULL strings print as nothing. */
void buf_printf(struct buf *b, const char *fmt, ...);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/* Frees the buffer's memory; the buffer is empty and usable again. */
void buf_free(struct buf *b);
/* The contents as a C string ("" when nothing was appended); owned by the buffer. */
const char *buf_cstr(const struct buf *b);

/* True when s equals t (both may be NULL). */
bool str_eq(const char *s, const char *t);
/* True when s is NULL or has only blanks. */
bool str_blank(const char *s);
/* Parses a whole decimal integer in [min, max]; fails on any other character. */
int str_to_ll(const char *s, long long min, long long max, long long *out) MUST_CHECK;
/* True when the n bytes at s are well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);

#endif
