/* pg_sql.c — the few rewrites that let one SQL text run on SQLite and PostgreSQL (see
 * pg_sql.h). A small scanner, not a parser: it only needs to know what is inside quotes. */
#include "store/pg_sql.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/str.h"

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Length of the keyword kw at p (case-insensitive, whole word), else 0. */
static size_t keyword_at(const char *start, const char *p, const char *kw)
{
    size_t n = strlen(kw);
    if (p > start && is_word_char(p[-1]))
        return 0;
    if (strncasecmp(p, kw, n) != 0 || is_word_char(p[n]))
        return 0;
    return n;
}

/* Copies a quoted run starting at p (quote q, doubled quote escapes it); returns past it. */
static const char *copy_quoted(struct buf *b, const char *p)
{
    char q = *p;
    buf_putc(b, *p++);
    while (*p) {
        if (*p == q && p[1] == q) {
            buf_append(b, p, 2);
            p += 2;
        } else if (*p == q) {
            buf_putc(b, *p++);
            break;
        } else {
            buf_putc(b, *p++);
        }
    }
    return p;
}

/* Appends ON CONFLICT DO NOTHING before a RETURNING clause or the end of the statement. */
static void add_on_conflict(struct buf *b, size_t returning_at)
{
    static const char clause[] = " ON CONFLICT DO NOTHING ";
    if (returning_at == 0) {
        size_t end = b->len;
        while (end > 0 && (isspace((unsigned char)b->p[end - 1]) || b->p[end - 1] == ';'))
            end--;
        b->len = end;
        buf_append(b, clause, sizeof clause - 2);
        return;
    }
    struct buf tail = {0};
    buf_append(&tail, b->p + returning_at, b->len - returning_at);
    b->len = returning_at;
    buf_append(b, clause, sizeof clause - 1);
    buf_append(b, tail.p, tail.len);
    buf_free(&tail);
}

char *pg_translate(const char *sql, int *nparams)
{
    struct buf b = {0};
    int highest = 0;
    bool or_ignore = false;
    size_t returning_at = 0;
    const char *p = sql;
    while (*p) {
        size_t n;
        if (*p == '\'' || *p == '"') {
            p = copy_quoted(&b, p);
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                buf_putc(&b, *p++);
        } else if (*p == '?') {
            p++;
            int num = 0;
            while (isdigit((unsigned char)*p))
                num = num * 10 + (*p++ - '0');
            if (num == 0)
                num = highest + 1;
            if (num > highest)
                highest = num;
            buf_printf(&b, "$%d", num);
        } else if ((n = keyword_at(sql, p, "INSERT OR IGNORE"))) {
            buf_append(&b, "INSERT", 6);
            or_ignore = true;
            p += n;
        } else if ((n = keyword_at(sql, p, "RETURNING"))) {
            returning_at = b.len;
            buf_append(&b, p, n);
            p += n;
        } else if ((n = keyword_at(sql, p, "date")) && p[n] == '(') {
            buf_append(&b, "sqlite_date", 11);
            p += n;
        } else {
            buf_putc(&b, *p++);
        }
    }
    if (or_ignore)
        add_on_conflict(&b, returning_at);
    *nparams = highest;
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}
