/* json.c — the JSON writing helpers of the API files (see json.h): one copy instead of one per
 * file. Must not know any record of the domain. */
#include "web/kit/json.h"

#include <math.h>
#include <stdio.h>

#include "web/http/page.h"

void json_begin(struct res *res, int status)
{
    buf_reset(&res->body);
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
}

void json_text(struct buf *b, const char *s)
{
    if (s && *s)
        buf_printf(b, "\"%j\"", s);
    else
        buf_puts(b, "null");
}

void json_int(struct buf *b, long long v)
{
    if (v)
        buf_printf(b, "%lld", v);
    else
        buf_puts(b, "null");
}

void json_number(struct buf *b, bool has, double v)
{
    if (!has || !isfinite(v)) {
        buf_puts(b, "null");
        return;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    buf_puts(b, tmp);
}

void json_keys(struct buf *b, const char *const *keys, int n)
{
    buf_putc(b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s\"%j\"", i ? "," : "", keys[i]);
    buf_putc(b, ']');
}

int json_error(struct res *res, int status, const char *field, const char *message)
{
    json_begin(res, status);
    buf_printf(&res->body, "{\"error\":\"%j\",\"field\":", message);
    json_text(&res->body, field);
    buf_puts(&res->body, "}\n");
    return status;
}

int json_db_error(struct req *req, struct res *res)
{
    return page_error(req, res, 500, "Erreur", "La base de données n'a pas pu être lue.");
}
