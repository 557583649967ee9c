/* text.h — UTF-8 text as people read it: counting and cutting on character boundaries (with or
 * without an ellipsis) and folding for comparison (lower case, no accents). The one place for
 * these; screens, documents and the import use it. */
#ifndef BASE_TEXT_H
#define BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct arena;
struct buf;

/* Characters (not bytes) in s; 0 for NULL. */
size_t text_chars(const char *s);
/* Bytes of the first max characters of s (all of s when shorter). */
size_t text_cut_chars(const char *s, size_t max);
/* The largest byte count ≤ max that ends s on a character boundary (strlen(s) when shorter). */
size_t text_cut_bytes(const char *s, size_t max);

/* s cut to at most max characters with "…" when cut; in the arena (s itself when not cut, ""
 * for NULL). */
const char *text_short(struct arena *a, const char *s, int max);
/* s cut to at most max bytes, "…" included when cut; in the arena (s itself when not cut). */
const char *text_short_bytes(struct arena *a, const char *s, size_t max);
/* Appends s HTML-escaped to b, cut to max characters ending in "…" when longer (the ellipsis is
 * the max-th character); NULL appends nothing. */
void buf_html_cut(struct buf *b, const char *s, int max);

/* Folds text for comparison: ASCII lower case, French accented letters to their base letter
 * (é→e, Œ→oe…), runs of blanks to one space, trimmed. ERR_INVALID when out (cap bytes) is too
 * small. */
int text_fold(const char *s, char *out, size_t cap) MUST_CHECK;
/* Folded copy of s in a new malloc'd string (free it). */
char *text_fold_dup(const char *s);
/* True when the folded needle occurs in the fold of haystack; needle must already be folded. */
bool text_contains_folded(const char *haystack, const char *folded_needle);

#endif
