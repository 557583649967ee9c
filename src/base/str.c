/* str.c — buffers, escaping by context and the escaping printf.
 * Must not know anything about HTTP or contracts: callers pick the context, this file escapes. */
#include "base/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

static void buf_grow(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void buf_append(struct buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
    if (s)
        buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

void buf_html(struct buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
}

void buf_url(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, enc, 3);
        }
    }
}

void buf_json(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '<': buf_puts(b, "\\u003c"); break; /* keeps JSON safe inside a <script> too */
        default:
            if (c < 0x20) {
                char enc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_append(b, enc, 6);
            } else {
                buf_putc(b, (char)c);
            }
        }
    }
}

void buf_csv_field(struct buf *b, const char *s, char sep)
{
    if (!s)
        return;
    if (!strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

bool str_formula_lead(const char *s)
{
    if (!s)
        return false;
    while (*s == '\'')
        s++;
    return *s && strchr("=+-@\t\r", *s);
}

const char *str_formula_unquote(const char *s)
{
    return s && s[0] == '\'' && str_formula_lead(s) ? s + 1 : s;
}

/* Formats one numeric conversion with the C library, spec being e.g. "%.1f" or "%lld". */
static void put_number(struct buf *b, const char *spec, size_t spec_len, int kind, va_list *ap)
{
    char fmt[16], out[64];
    if (spec_len >= sizeof fmt)
        spec_len = sizeof fmt - 1;
    memcpy(fmt, spec, spec_len);
    fmt[spec_len] = '\0';
    int n = 0;
    /* The spec was checked by buf_vprintf's parser: digits, '.', '-' and length letters only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    switch (kind) {
    case 'i': n = snprintf(out, sizeof out, fmt, va_arg(*ap, int)); break;
    case 'l': n = snprintf(out, sizeof out, fmt, va_arg(*ap, long)); break;
    case 'L': n = snprintf(out, sizeof out, fmt, va_arg(*ap, long long)); break;
    case 'z': n = snprintf(out, sizeof out, fmt, va_arg(*ap, size_t)); break;
    case 'f': n = snprintf(out, sizeof out, fmt, va_arg(*ap, double)); break;
    }
#pragma GCC diagnostic pop
    if (n > 0)
        buf_append(b, out, (size_t)n < sizeof out ? (size_t)n : sizeof out - 1);
}

/* Plain decimal integers are most of what pages print: skip snprintf for them. */
static void put_integer(struct buf *b, long long v)
{
    char digits[24], *p = digits + sizeof digits;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    buf_append(b, p, (size_t)(digits + sizeof digits - p));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        buf_append(b, run, (size_t)(p - run));
        const char *spec = p++;
        while (*p == '.' || (*p >= '0' && *p <= '9') || *p == '-')
            p++;
        int longs = 0, size_t_mod = 0;
        while (*p == 'l') {
            longs++;
            p++;
        }
        if (*p == 'z') {
            size_t_mod = 1;
            p++;
        }
        size_t spec_len = (size_t)(p - spec) + 1;
        switch (*p) {
        case 's': buf_puts(b, va_arg(args, const char *)); break;
        case 'h': buf_html(b, va_arg(args, const char *)); break;
        case 'u':
            if (size_t_mod) /* %zu is a size, not a URL component */
                put_number(b, spec, spec_len, 'z', &args);
            else
                buf_url(b, va_arg(args, const char *));
            break;
        case 'j': buf_json(b, va_arg(args, const char *)); break;
        case 'c': buf_putc(b, (char)va_arg(args, int)); break;
        case '%': buf_putc(b, '%'); break;
        case 'd':
        case 'i':
            if (spec_len == (size_t)(longs + size_t_mod + 2)) { /* no width or precision */
                long long v = size_t_mod  ? (long long)va_arg(args, size_t)
                              : longs == 0 ? va_arg(args, int)
                              : longs == 1 ? va_arg(args, long)
                                           : va_arg(args, long long);
                put_integer(b, v);
                break;
            }
            put_number(b, spec, spec_len, size_t_mod ? 'z' : longs == 0 ? 'i' : longs == 1 ? 'l' : 'L',
                       &args);
            break;
        case 'f': put_number(b, spec, spec_len, 'f', &args); break;
        default:
            /* An unknown conversion is a bug in our own format string. */
            fprintf(stderr, "buf_printf: bad conversion in \"%s\"\n", fmt);
            abort();
        }
        run = p + 1;
        if (!*p)
            break;
    }
    buf_puts(b, run);
    va_end(args);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

const char *buf_cstr(const struct buf *b)
{
    return b->p ? b->p : "";
}

bool str_eq(const char *s, const char *t)
{
    if (!s || !t)
        return s == t;
    return strcmp(s, t) == 0;
}

bool str_blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

int str_to_ll(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '-'))
        return ERR_INVALID;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return ERR_INVALID;
    *out = v;
    return ERR_OK;
}

bool utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    while (s < end) {
        unsigned c = *s;
        size_t len;
        unsigned min;
        if (c < 0x80) {
            s++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - s) < len)
            return false;
        for (size_t i = 1; i < len; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (s[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        s += len;
    }
    return true;
}
