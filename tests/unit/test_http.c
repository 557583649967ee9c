/* test_http.c — unit tests of src/web/http/http.c and src/web/core/router.c: path patterns with
 * {id}, the urlencoded parser (escapes, '+', %00, invalid UTF-8, limits), the 404/405 answers and
 * the 304 of a conditional GET.
 * Must not open a socket or a database: handlers that need one are not called. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "web/http/http.h"
#include "web/http/page.h"
#include "web/core/router.h"

static void test_match(void)
{
    long long ids[REQ_MAX_IDS] = {0};
    int n = -1;
    CHECK(router_match("/", "/", ids, &n));
    CHECK_INT(n, 0);
    CHECK(!router_match("/", "/x", ids, &n));
    CHECK(router_match("/contracts/{id}", "/contracts/12", ids, &n));
    CHECK_INT(n, 1);
    CHECK_INT(ids[0], 12);
    CHECK(router_match("/contracts/{id}", "/contracts/007", ids, &n));
    CHECK_INT(ids[0], 7);
    CHECK(!router_match("/contracts/{id}", "/contracts/", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/12/", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/abc", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/12abc", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/-1", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/+1", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/ 1", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/1.0", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/Contracts/1", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/1/tree", ids, &n));
    /* Numbers too long for an id are refused, not wrapped. */
    CHECK(router_match("/contracts/{id}", "/contracts/123456789012345", ids, &n));
    CHECK_INT(ids[0], 123456789012345LL);
    CHECK(!router_match("/contracts/{id}", "/contracts/1234567890123456", ids, &n));
    CHECK(!router_match("/contracts/{id}", "/contracts/99999999999999999999999", ids, &n));

    /* {id} followed by more pattern text. */
    CHECK(router_match("/contracts/{id}/actions", "/contracts/3/actions", ids, &n));
    CHECK_INT(n, 1);
    CHECK_INT(ids[0], 3);
    CHECK(router_match("/contracts/{id}/actions.csv", "/contracts/3/actions.csv", ids, &n));
    CHECK_INT(ids[0], 3);
    CHECK(!router_match("/contracts/{id}/actions", "/contracts/3/actions.csv", ids, &n));
    CHECK(!router_match("/contracts/{id}/actions.csv", "/contracts/3/actions", ids, &n));
    CHECK(!router_match("/contracts/{id}/actions", "/contracts/3actions", ids, &n));
    CHECK(!router_match("/contracts/{id}/actions", "/contracts//actions", ids, &n));
    CHECK(router_match("/api/v1/contracts/{id}/objectives", "/api/v1/contracts/1/objectives", ids,
                       &n));
    CHECK(!router_match("/api/v1/contracts/{id}/objectives", "/api/v1/contracts/1/objective",
                        ids, &n));
    /* Trailing text right after {id}, without a slash. */
    CHECK(router_match("/files/{id}.csv", "/files/42.csv", ids, &n));
    CHECK_INT(ids[0], 42);
    CHECK(!router_match("/files/{id}.csv", "/files/42.xlsx", ids, &n));
    CHECK(!router_match("/files/{id}.csv", "/files/.csv", ids, &n));
    /* Several ids, in order. */
    CHECK(router_match("/a/{id}/b/{id}", "/a/5/b/66", ids, &n));
    CHECK_INT(n, 2);
    CHECK(ids[0] == 5 && ids[1] == 66);
    CHECK(!router_match("/a/{id}/b/{id}", "/a/5/b/", ids, &n));

    /* Every route of the table matches its own example and nothing with a suffix. */
    for (const struct route *r = routes; r->method; r++) {
        char path[256] = "";
        size_t len = 0;
        for (const char *p = r->pattern; *p && len < sizeof path - 8;) {
            if (strncmp(p, "{id}", 4) == 0) {
                len += (size_t)snprintf(path + len, sizeof path - len, "17");
                p += 4;
            } else {
                path[len++] = *p++;
            }
        }
        path[len] = '\0';
        bool ok = router_match(r->pattern, path, ids, &n);
        if (!ok)
            fprintf(stderr, "    route %s does not match %s\n", r->pattern, path);
        CHECK(ok);
        char longer[300];
        snprintf(longer, sizeof longer, "%sx", path);
        CHECK(!router_match(r->pattern, longer, ids, &n));
        CHECK(str_eq(r->method, "GET") || str_eq(r->method, "POST"));
        CHECK(r->handler != NULL);
    }
}

/* Parses s and returns the count, or -1 when refused. */
static int parse(const char *s, struct arena *a, struct param *p, int max)
{
    int n = -2;
    if (http_parse_urlencoded(s, strlen(s), a, p, max, &n) != ERR_OK)
        return -1;
    return n;
}

static void test_urlencoded(void)
{
    struct arena a = {0};
    struct param p[REQ_MAX_PARAMS];
    CHECK_INT(parse("", &a, p, REQ_MAX_PARAMS), 0);
    CHECK_INT(parse("a=1&b=x+y", &a, p, REQ_MAX_PARAMS), 2);
    CHECK_STR(p[0].key, "a");
    CHECK_STR(p[0].value, "1");
    CHECK_STR(p[1].key, "b");
    CHECK_STR(p[1].value, "x y");
    CHECK_INT(parse("q=%41%62c", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_STR(p[0].value, "Abc");
    CHECK_INT(parse("q=sant%C3%A9&r=sant%c3%a9", &a, p, REQ_MAX_PARAMS), 2);
    CHECK_STR(p[0].value, "santé");
    CHECK_STR(p[1].value, "santé");
    CHECK_INT(parse("q=santé", &a, p, REQ_MAX_PARAMS), 1); /* raw UTF-8 is fine */
    CHECK_STR(p[0].value, "santé");
    CHECK_INT(parse("q=1%2B1%3D2&x=%26%3D%25", &a, p, REQ_MAX_PARAMS), 2);
    CHECK_STR(p[0].value, "1+1=2");
    CHECK_STR(p[1].value, "&=%");
    CHECK_INT(parse("a+b=c+d", &a, p, REQ_MAX_PARAMS), 1); /* keys are decoded too */
    CHECK_STR(p[0].key, "a b");
    CHECK_STR(p[0].value, "c d");
    CHECK_INT(parse("flag", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_STR(p[0].key, "flag");
    CHECK_STR(p[0].value, "");
    CHECK_INT(parse("k=", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_STR(p[0].value, "");
    CHECK_INT(parse("=v", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_STR(p[0].key, "");
    CHECK_STR(p[0].value, "v");
    CHECK_INT(parse("&&a=1&&", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_INT(parse("a=1=2", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_STR(p[0].value, "1=2");
    CHECK_INT(parse("a=1&a=2", &a, p, REQ_MAX_PARAMS), 2);
    CHECK_INT(parse("q=%3Cscript%3E", &a, p, REQ_MAX_PARAMS), 1);
    CHECK_STR(p[0].value, "<script>"); /* decoding is not escaping: pages escape on output */

    /* Bad escapes. */
    CHECK_INT(parse("q=%", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%4", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%4&r=1", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%GG", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%G1", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%1G", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("%zz=1", &a, p, REQ_MAX_PARAMS), -1);
    /* NUL would cut the string short: refused. */
    CHECK_INT(parse("q=%00", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=a%00b", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("%00=1", &a, p, REQ_MAX_PARAMS), -1);
    /* Invalid UTF-8, encoded or raw. */
    CHECK_INT(parse("q=%FF", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%C3", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=%C0%AF", &a, p, REQ_MAX_PARAMS), -1);     /* overlong */
    CHECK_INT(parse("q=%ED%A0%80", &a, p, REQ_MAX_PARAMS), -1);  /* surrogate */
    CHECK_INT(parse("q=\xff", &a, p, REQ_MAX_PARAMS), -1);
    CHECK_INT(parse("q=ok&\xc3=1", &a, p, REQ_MAX_PARAMS), -1);

    /* Limits: exactly max is fine, one more is refused. */
    CHECK_INT(parse("a=1&b=2&c=3", &a, p, 3), 3);
    CHECK_INT(parse("a=1&b=2&c=3&d=4", &a, p, 3), -1);
    struct buf many = {0};
    for (int i = 0; i < REQ_MAX_PARAMS + 1; i++)
        buf_printf(&many, "%sk%d=%d", i ? "&" : "", i, i);
    CHECK_INT(parse(buf_cstr(&many), &a, p, REQ_MAX_PARAMS), -1);
    buf_free(&many);

    /* len bounds the input: bytes after it are not read. */
    int n = 0;
    CHECK(http_parse_urlencoded("a=1&b=2", 3, &a, p, REQ_MAX_PARAMS, &n) == ERR_OK);
    CHECK_INT(n, 1);
    CHECK_STR(p[0].value, "1");
    CHECK(http_parse_urlencoded("a=%41BC", 6, &a, p, REQ_MAX_PARAMS, &n) == ERR_OK);
    CHECK_STR(p[0].value, "AB");
    CHECK(http_parse_urlencoded("a=%4142", 4, &a, p, REQ_MAX_PARAMS, &n) != ERR_OK);
    arena_free(&a);
}

static void test_req_res(void)
{
    struct arena a = {0};
    struct req r = {.method = "GET", .path = "/", .arena = &a};
    CHECK(http_parse_urlencoded("year=2023&kind=sheet&year=2020", 30, &a, r.query,
                                REQ_MAX_PARAMS, &r.n_query) == ERR_OK);
    CHECK_STR(req_query(&r, "year"), "2023"); /* the first one when repeated */
    CHECK_STR(req_query(&r, "kind"), "sheet");
    CHECK(req_query(&r, "status") == NULL);
    CHECK(req_form(&r, "year") == NULL);
    CHECK(http_parse_urlencoded("title=x", 7, &a, r.form, REQ_MAX_PARAMS, &r.n_form) == ERR_OK);
    CHECK_STR(req_form(&r, "title"), "x");

    struct res res = {.status = 200};
    for (int i = 0; i < RES_MAX_HEADERS + 3; i++)
        res_header(&res, "X-Test", "v");
    CHECK_INT(res.n_headers, RES_MAX_HEADERS); /* extra headers dropped, no overflow */
    buf_free(&res.body);
    arena_free(&a);
}

/* Dispatches a request that must not reach a handler (so no database is needed). */
static struct res dispatch(const char *method, const char *path, struct arena *a)
{
    struct req r = {.method = method, .path = path, .query_string = "", .arena = a};
    struct res res = {.status = 200};
    router_dispatch(&r, &res);
    return res;
}

static const char *header(const struct res *res, const char *name)
{
    for (int i = 0; i < res->n_headers; i++)
        if (strcasecmp(res->headers[i].name, name) == 0)
            return res->headers[i].value;
    return NULL;
}

static void test_dispatch_errors(void)
{
    struct arena a = {0};
    struct res res = dispatch("GET", "/no/such/page", &a);
    CHECK_INT(res.status, 404);
    CHECK(strstr(buf_cstr(&res.body), "<html") != NULL);
    CHECK(strstr(buf_cstr(&res.body), "Page introuvable") != NULL);
    buf_free(&res.body);

    res = dispatch("GET", "/contracts/abc", &a);
    CHECK_INT(res.status, 404);
    buf_free(&res.body);

    res = dispatch("GET", "/api/v1/nothing", &a);
    CHECK_INT(res.status, 404);
    CHECK(res.content_type && strncmp(res.content_type, "application/json", 16) == 0);
    CHECK(strncmp(buf_cstr(&res.body), "{\"error\":\"", 10) == 0);
    buf_free(&res.body);

    res = dispatch("POST", "/contracts/1", &a);
    CHECK_INT(res.status, 405);
    CHECK(header(&res, "Allow") != NULL);
    buf_free(&res.body);

    res = dispatch("DELETE", "/api/v1/contracts", &a);
    CHECK_INT(res.status, 405);
    CHECK(res.content_type && strncmp(res.content_type, "application/json", 16) == 0);
    buf_free(&res.body);

    res = dispatch("PUT", "/nowhere", &a);
    CHECK_INT(res.status, 404);
    buf_free(&res.body);
    arena_free(&a);
}

/* The client's address behind trusted reverse proxies: the right-most untrusted hop. */
static void test_client_address(void)
{
    char out[HTTP_ADDR_LEN];
    http_client_address("127.0.0.1", "203.0.113.5", NULL, NULL, out);
    CHECK_STR(out, "127.0.0.1"); /* no trusted proxy: the header is the client's say */
    http_client_address("192.0.2.9", "203.0.113.5", NULL, "127.0.0.1", out);
    CHECK_STR(out, "192.0.2.9"); /* not from a trusted proxy */
    http_client_address("127.0.0.1", "6.6.6.6, 203.0.113.5", NULL, "127.0.0.1", out);
    CHECK_STR(out, "203.0.113.5");
    http_client_address("127.0.0.1", "6.6.6.6, 203.0.113.5 ,10.0.0.2", NULL,
                        "127.0.0.1, 10.0.0.2", out);
    CHECK_STR(out, "203.0.113.5");
    http_client_address("127.0.0.1", NULL, "203.0.113.6", "127.0.0.1", out);
    CHECK_STR(out, "203.0.113.6");
    http_client_address("::1", "2001:DB8::1", NULL, "::1", out);
    CHECK_STR(out, "2001:db8::1");
    http_client_address("127.0.0.1", "6.6.6.6, pas-une-adresse", NULL, "127.0.0.1", out);
    CHECK_STR(out, "127.0.0.1"); /* garbage from the proxy: its own address */
    CHECK(http_address_listed("10.0.0.2", "127.0.0.1,10.0.0.2"));
    CHECK(!http_address_listed("10.0.0.3", "127.0.0.1,10.0.0.2"));
    CHECK(!http_address_listed("10.0.0.3", NULL));
}

/* The stylesheet's answer to If-None-Match: 304 without body for its own ETag (weak or in a
 * list), the whole file otherwise; only GET and HEAD are conditional. */
static void test_not_modified(void)
{
    struct arena a = {0};
    static const struct {
        const char *method, *if_none_match;
        int status;
    } cases[] = {
        {"GET", NULL, 200},
        {"GET", "\"nope\"", 200},
        {"GET", "", 200},
        {"GET", "self", 304}, /* replaced below by the stylesheet's ETag */
        {"HEAD", "self", 304},
        {"GET", "W/self", 304},
        {"GET", "\"a\", self", 304},
        {"GET", "\"a\",self ,\"b\"", 304},
        {"GET", "*", 304},
        {"POST", "self", 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct req r = {.method = cases[i].method, .path = "/static/style.css", .arena = &a};
        struct res res = {.req = &r, .status = 200};
        CHECK_INT(page_stylesheet(&r, &res), 200);
        const char *etag = header(&res, "ETag");
        CHECK(etag && etag[0] == '"' && strlen(etag) == 34);
        if (cases[i].if_none_match) {
            const char *v = cases[i].if_none_match, *self = strstr(v, "self");
            char with_etag[128];
            snprintf(with_etag, sizeof with_etag, "%.*s%s%s", self ? (int)(self - v) : 0, v,
                     self ? etag : "", self ? self + 4 : v);
            r.if_none_match = arena_strdup(&a, with_etag);
        }
        CHECK_INT(http_not_modified(&r, &res) ? 304 : 200, cases[i].status);
        CHECK_INT(res.status, cases[i].status);
        if (cases[i].status == 304)
            CHECK_INT((int)res.body.len, 0);
        else
            CHECK(res.body.len > 1000 && memcmp(res.body.p, ":root{", 6) == 0);
        CHECK_STR(header(&res, "Cache-Control"), "public, max-age=3600");
        buf_free(&res.body);
    }
    arena_free(&a);
}

int main(void)
{
    test_match();
    test_urlencoded();
    test_req_res();
    test_dispatch_errors();
    test_client_address();
    test_not_modified();
    return check_report("test_http");
}
