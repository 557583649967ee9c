/* http.c — request/response helpers and the urlencoded parser. Must not touch the socket. */
#include "web/http/http.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *req_query(const struct req *r, const char *key)
{
    for (int i = 0; i < r->n_query; i++)
        if (strcmp(r->query[i].key, key) == 0)
            return r->query[i].value;
    return NULL;
}

const char *req_form(const struct req *r, const char *key)
{
    for (int i = 0; i < r->n_form; i++)
        if (strcmp(r->form[i].key, key) == 0)
            return r->form[i].value;
    return NULL;
}

void res_header(struct res *res, const char *name, const char *value)
{
    if (res->n_headers < RES_MAX_HEADERS)
        res->headers[res->n_headers++] = (struct header){name, value};
}

/* True when the comma-separated entity tags of list hold etag or "*"; the W/ of weak tags is
 * ignored on both sides, as If-None-Match compares weakly (RFC 9110, 13.1.2). */
static bool etag_listed(const char *etag, const char *list)
{
    if (strncmp(etag, "W/", 2) == 0)
        etag += 2;
    size_t n = strlen(etag);
    for (const char *p = list; *p; p += strcspn(p, ",")) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        size_t len = end ? (size_t)(end + 1 - p) : strcspn(p, ", \t");
        if (len == n && strncmp(p, etag, n) == 0)
            return true;
        p += len;
    }
    return false;
}

bool http_not_modified(const struct req *req, struct res *res)
{
    if (res->status != 200 || !req->if_none_match ||
        (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0))
        return false;
    for (int i = 0; i < res->n_headers; i++) {
        if (strcasecmp(res->headers[i].name, "ETag") != 0 ||
            !etag_listed(res->headers[i].value, req->if_none_match))
            continue;
        res->status = 304;
        buf_free(&res->body);
        return true;
    }
    return false;
}

/* A 64-bit hash of the answer, eight bytes per step: an entity tag only has to change when the
 * bytes do (a client comparing it learns nothing it did not already hold), so speed matters
 * more than resistance to crafted collisions. */
static unsigned long long body_hash(const char *type, const char *p, size_t n)
{
    const unsigned long long k = 0x9E3779B97F4A7C15ull;
    unsigned long long h = 0xCBF29CE484222325ull ^ n;
    for (const char *t = type; t && *t; t++)
        h = (h ^ (unsigned char)*t) * 0x100000001B3ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned long long w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001B3ull;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

void http_tag(const struct req *req, struct res *res)
{
    if (res->status != 200 || !req->method ||
        (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0))
        return;
    for (int i = 0; i < res->n_headers; i++) {
        if (strcasecmp(res->headers[i].name, "ETag") == 0)
            return;
        if (strcasecmp(res->headers[i].name, "Cache-Control") == 0 &&
            strstr(res->headers[i].value, "no-store"))
            return;
    }
    char *tag = arena_alloc(req->arena, 24);
    snprintf(tag, 24, "W/\"%016llx\"", body_hash(res->content_type, res->body.p, res->body.len));
    res_header(res, "ETag", tag);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..len) into a new arena string; NULL on a bad escape, a NUL byte or bad UTF-8. */
static char *decode_component(const char *s, size_t len, struct arena *a)
{
    char *out = arena_alloc(a, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%') {
            if (len - i < 3)
                return NULL;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return utf8_valid(out, (size_t)(o - out)) ? out : NULL;
}

int http_parse_urlencoded(const char *s, size_t len, struct arena *a, struct param *params,
                          int max, int *n)
{
    *n = 0;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            if (*n == max)
                return ERR_INVALID;
            char *key = decode_component(s + i, eq - i, a);
            char *value = eq < end ? decode_component(s + eq + 1, end - eq - 1, a)
                                   : arena_strdup(a, "");
            if (!key || !value)
                return ERR_INVALID;
            params[(*n)++] = (struct param){key, value};
        }
        i = end + 1;
    }
    return ERR_OK;
}

/* Parses one address (blanks around it allowed) into its binary form; false if it is none. */
static bool parse_address(const char *s, size_t len, unsigned char bin[16], int *family)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    char tmp[HTTP_ADDR_LEN];
    if (len == 0 || len >= sizeof tmp)
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    memset(bin, 0, 16);
    if (inet_pton(AF_INET, tmp, bin) == 1)
        *family = AF_INET;
    else if (inet_pton(AF_INET6, tmp, bin) == 1)
        *family = AF_INET6;
    else
        return false;
    return true;
}

static bool listed(const unsigned char bin[16], int family, const char *list)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        unsigned char other[16];
        int other_family;
        if (parse_address(p, len, other, &other_family) && other_family == family &&
            memcmp(bin, other, 16) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

bool http_address_listed(const char *addr, const char *list)
{
    unsigned char bin[16];
    int family;
    return addr && parse_address(addr, strlen(addr), bin, &family) && listed(bin, family, list);
}

void http_client_address(const char *peer, const char *forwarded_for, const char *real_ip,
                         const char *trusted, char out[HTTP_ADDR_LEN])
{
    snprintf(out, HTTP_ADDR_LEN, "%s", peer ? peer : "?");
    unsigned char bin[16];
    int family;
    if (!trusted || !*trusted || !peer || !parse_address(peer, strlen(peer), bin, &family) ||
        !listed(bin, family, trusted))
        return; /* a header from anyone else is whatever the client chose to write */
    const char *hops = forwarded_for && *forwarded_for ? forwarded_for : real_ip;
    if (!hops)
        return;
    /* Each trusted proxy appends the address it received from: read from the right, the first
     * address that is not one of ours is the client; what lies left of it is the client's say. */
    size_t end = strlen(hops);
    for (;;) {
        size_t start = end;
        while (start > 0 && hops[start - 1] != ',')
            start--;
        if (!parse_address(hops + start, end - start, bin, &family))
            return;
        inet_ntop(family, bin, out, HTTP_ADDR_LEN);
        if (!listed(bin, family, trusted) || start == 0)
            return;
        end = start - 1;
    }
}
