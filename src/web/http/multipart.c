/* multipart.c — splits multipart/form-data bodies into named parts: boundary from the
 * Content-Type, part headers (Content-Disposition name and filename, Content-Type), data by
 * reference. Reads outside input: bounded, never reads past the body, no allocation proportional
 * to anything but the number of parts. Must not know what the fields mean. */
#include "web/http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"

enum { MAX_BOUNDARY = 70, MAX_HEADER = 1024 };

bool multipart_is(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    return strncasecmp(ct, "multipart/form-data", 19) == 0 &&
           (ct[19] == '\0' || ct[19] == ';' || ct[19] == ' ');
}

/* Copies the value of parameter key ("boundary", "name"…) of a header value into out
 * (unquoted, backslash escapes undone); false when absent, empty or too long. */
static bool param(const char *h, size_t hlen, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    size_t i = 0;
    while (i < hlen) {
        /* Skip to the next ';' outside quotes. */
        bool quoted = false;
        while (i < hlen && (quoted || h[i] != ';')) {
            if (h[i] == '"')
                quoted = !quoted;
            else if (h[i] == '\\' && quoted && i + 1 < hlen)
                i++;
            i++;
        }
        if (i >= hlen)
            return false;
        i++; /* the ';' */
        while (i < hlen && (h[i] == ' ' || h[i] == '\t'))
            i++;
        if (i + klen >= hlen || strncasecmp(h + i, key, klen) != 0 || h[i + klen] != '=')
            continue;
        i += klen + 1;
        size_t n = 0;
        if (i < hlen && h[i] == '"') {
            for (i++; i < hlen && h[i] != '"'; i++) {
                if (h[i] == '\\' && i + 1 < hlen)
                    i++;
                if (n + 1 >= cap)
                    return false;
                out[n++] = h[i];
            }
            if (i >= hlen)
                return false; /* unterminated quote */
        } else {
            for (; i < hlen && h[i] != ';' && h[i] != ' ' && h[i] != '\t'; i++) {
                if (n + 1 >= cap)
                    return false;
                out[n++] = h[i];
            }
        }
        out[n] = '\0';
        return n > 0 || strcmp(key, "filename") == 0;
    }
    return false;
}

static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || hlen < nlen)
        return NULL;
    return memmem(hay, hlen, needle, nlen);
}

/* Reads the headers of one part (between p and end); fills name, filename, type. */
static bool part_headers(const char *p, size_t len, struct arena *a, struct multipart_part *part)
{
    char name[MAX_HEADER], filename[MAX_HEADER], type[MAX_HEADER];
    bool has_name = false, has_file = false;
    type[0] = '\0';
    size_t i = 0;
    while (i < len) {
        const char *eol = find(p + i, len - i, "\r\n", 2);
        size_t l = eol ? (size_t)(eol - (p + i)) : len - i;
        const char *h = p + i;
        if (l > MAX_HEADER)
            return false;
        if (l >= 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
            const char *v = h + 20;
            size_t vl = l - 20;
            while (vl && *v == ' ')
                v++, vl--;
            if (vl < 9 || strncasecmp(v, "form-data", 9) != 0)
                return false;
            has_name = param(v, vl, "name", name, sizeof name);
            has_file = param(v, vl, "filename", filename, sizeof filename);
        } else if (l >= 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
            const char *v = h + 13;
            size_t vl = l - 13;
            while (vl && *v == ' ')
                v++, vl--;
            if (vl >= sizeof type)
                return false;
            memcpy(type, v, vl);
            type[vl] = '\0';
        }
        i += l + 2;
    }
    if (!has_name)
        return false;
    part->name = arena_strdup(a, name);
    part->filename = arena_strdup(a, has_file ? filename : "");
    part->content_type = arena_strdup(a, type);
    return true;
}

int multipart_parse(const char *content_type, const char *body, size_t len, struct arena *a,
                    struct multipart_part *parts, int max, int *n)
{
    *n = 0;
    if (!multipart_is(content_type) || !body)
        return ERR_INVALID;
    char boundary[MAX_BOUNDARY + 1];
    const char *semi = strchr(content_type, ';');
    if (!semi || !param(semi, strlen(semi), "boundary", boundary, sizeof boundary))
        return ERR_INVALID;
    /* The delimiter is CRLF "--" boundary; the first one may start the body. */
    char delim[MAX_BOUNDARY + 5];
    size_t dlen = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    const char *p;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
        p = body + dlen - 2;
    else if ((p = find(body, len, delim, dlen)) != NULL)
        p += dlen;
    else
        return ERR_INVALID;
    const char *end = body + len;
    for (;;) {
        /* After a delimiter: "--" closes, CRLF opens a part. */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return ERR_OK;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++; /* transport padding */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return ERR_INVALID;
        p += 2;
        const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        const char *data;
        size_t hlen;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
            hlen = 0; /* no header at all */
            data = p + 2;
        } else if (hend) {
            hlen = (size_t)(hend - p);
            data = hend + 4;
        } else {
            return ERR_INVALID;
        }
        const char *next = find(data, (size_t)(end - data), delim, dlen);
        if (!next)
            return ERR_INVALID; /* the body was cut */
        if (*n >= max)
            return ERR_INVALID;
        struct multipart_part *part = &parts[*n];
        if (!part_headers(p, hlen, a, part))
            return ERR_INVALID;
        part->data = data;
        part->len = (size_t)(next - data);
        (*n)++;
        p = next + dlen;
    }
}

int multipart_form_fields(struct req *req)
{
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    int n;
    if (multipart_parse(req->content_type, req->body, req->body_len, req->arena, parts,
                        MULTIPART_MAX_PARTS, &n) != ERR_OK)
        return ERR_INVALID;
    for (int i = 0; i < n; i++) {
        if (*parts[i].filename || *parts[i].content_type)
            continue; /* a file: the handler reads it */
        if (req->n_form >= (int)(sizeof req->form / sizeof req->form[0]) ||
            !utf8_valid(parts[i].data, parts[i].len) ||
            memchr(parts[i].data, '\0', parts[i].len))
            return ERR_INVALID;
        req->form[req->n_form].key = parts[i].name;
        req->form[req->n_form].value = arena_strndup(req->arena, parts[i].data, parts[i].len);
        req->n_form++;
    }
    return ERR_OK;
}

const struct multipart_part *multipart_file(const struct multipart_part *parts, int n,
                                            const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(parts[i].name, name) == 0 && (*parts[i].filename || *parts[i].content_type))
            return &parts[i];
    return NULL;
}
