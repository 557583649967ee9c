/* text.c — UTF-8 cutting (by characters or bytes, with or without an ellipsis) and folding for
 * comparison. Must know nothing of HTTP or contracts: callers say how long, this file says where
 * a character ends. */
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/str.h"

/* True when byte c begins a character (is not a UTF-8 continuation byte). */
static bool starts_char(char c)
{
    return ((unsigned char)c & 0xC0) != 0x80;
}

size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += starts_char(*s);
    return n;
}

size_t text_cut_chars(const char *s, size_t max)
{
    size_t chars = 0;
    const char *p = s;
    for (; p && *p; p++)
        if (starts_char(*p) && chars++ == max)
            break;
    return p ? (size_t)(p - s) : 0;
}

size_t text_cut_bytes(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && !starts_char(s[n]))
        n--;
    return n;
}

/* s's first n bytes followed by "…", in the arena. */
static const char *with_ellipsis(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 4);
    memcpy(out, s, n);
    memcpy(out + n, "…", 4);
    return out;
}

const char *text_short(struct arena *a, const char *s, int max)
{
    if (!s)
        return "";
    if (max < 0)
        return s;
    size_t n = text_cut_chars(s, (size_t)max);
    return s[n] ? with_ellipsis(a, s, n) : s;
}

const char *text_short_bytes(struct arena *a, const char *s, size_t max)
{
    if (strlen(s) <= max)
        return s;
    return with_ellipsis(a, s, text_cut_bytes(s, max < 3 ? 0 : max - 3));
}

void buf_html_cut(struct buf *b, const char *s, int max)
{
    if (!s)
        return;
    if ((long)text_chars(s) <= max) {
        buf_html(b, s);
        return;
    }
    /* max 0 or less keeps the whole text before the ellipsis, as the charts always did */
    struct buf tmp = {0};
    buf_append(&tmp, s, max < 1 ? strlen(s) : text_cut_chars(s, (size_t)max - 1));
    buf_html(b, buf_cstr(&tmp));
    buf_puts(b, "…");
    buf_free(&tmp);
}

/* ---- folding -------------------------------------------------------------------------------- */

/* Base letters for U+00C0..U+00FF (Latin-1 supplement letters); 0 keeps the character. */
static const char latin1_base[64] = {
    'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   0,
    'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y',
};

/* Appends the folded form of s to b. */
static void fold_into(struct buf *b, const char *s)
{
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned char c = *p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
            (c == 0xC2 && p[1] == 0xA0)) { /* no-break space */
            space = b->len > 0;
            p += c == 0xC2 ? 2 : 1;
            continue;
        }
        if (space) {
            buf_putc(b, ' ');
            space = false;
        }
        if (c < 0x80) {
            buf_putc(b, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
            p++;
        } else if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF && latin1_base[p[1] - 0x80]) {
            buf_putc(b, latin1_base[p[1] - 0x80]);
            p += 2;
        } else if (c == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) { /* Œ œ */
            buf_puts(b, "oe");
            p += 2;
        } else {
            buf_putc(b, (char)c);
            p++;
        }
    }
}

int text_fold(const char *s, char *out, size_t cap)
{
    struct buf b = {0};
    fold_into(&b, s);
    int rc = ERR_INVALID;
    if (b.len < cap) {
        memcpy(out, buf_cstr(&b), b.len + 1);
        rc = ERR_OK;
    }
    buf_free(&b);
    return rc;
}

char *text_fold_dup(const char *s)
{
    struct buf b = {0};
    fold_into(&b, s ? s : "");
    return b.p ? b.p : xstrdup("");
}

bool text_contains_folded(const char *haystack, const char *folded_needle)
{
    if (!folded_needle || !*folded_needle)
        return true;
    if (!haystack)
        return false;
    char *h = text_fold_dup(haystack);
    bool found = strstr(h, folded_needle) != NULL;
    free(h);
    return found;
}
