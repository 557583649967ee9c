/* test_routes.c — the route table: docs/permissions.md is exactly its printed form, and every
 * state-changing route is protected by a CSRF check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "check.h"
#include "web/core/router.h"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    return b.p ? b.p : calloc(1, 1);
}

static void test_permissions_doc_matches_table(void)
{
    const char *data = getenv("BOUSSOLE_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/../docs/permissions.md", data ? data : "data");
    char *doc = read_file(path);
    CHECK(doc != NULL);
    struct buf b = {0};
    router_permissions_markdown(&b);
    if (doc && strcmp(doc, buf_cstr(&b)) != 0)
        fprintf(stderr, "docs/permissions.md is stale: regenerate it with "
                        "`build/boussole routes > docs/permissions.md`\n");
    CHECK(doc && strcmp(doc, buf_cstr(&b)) == 0);
    free(doc);
    buf_free(&b);
}

static void test_posts_need_csrf(void)
{
    for (const struct route *r = routes; r->method; r++) {
        if (strcmp(r->method, "POST") == 0 && !r->csrf)
            fprintf(stderr, "POST %s has no CSRF check\n", r->pattern);
        CHECK(strcmp(r->method, "POST") != 0 || r->csrf);
    }
}

static void test_no_duplicate_route(void)
{
    for (const struct route *r = routes; r->method; r++)
        for (const struct route *s = r + 1; s->method; s++)
            CHECK(!(strcmp(r->method, s->method) == 0 && strcmp(r->pattern, s->pattern) == 0));
}

/* Login's next= only names a GET page of this site. */
static void test_local_get(void)
{
    CHECK(router_is_local_get("/"));
    CHECK(router_is_local_get("/contracts/1/actions?year=2023"));
    CHECK(router_is_local_get("/actions/12"));
    const char *hostile[] = {NULL, "", "//evil.test", "/\\evil.test", "/\t/evil.test",
                             "https://evil.test", "/%2F%2Fevil.test", "javascript:alert(1)",
                             "/\r\nLocation: x", "/actions/1 ", "/pas-une-page", "evil.test",
                             "/logout", "/actions/\xc3\xa9", "/%61ctions/1"};
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        if (router_is_local_get(hostile[i]))
            fprintf(stderr, "accepted: %s\n", hostile[i] ? hostile[i] : "(null)");
        CHECK(!router_is_local_get(hostile[i]));
    }
}

int main(void)
{
    test_permissions_doc_matches_table();
    test_posts_need_csrf();
    test_no_duplicate_route();
    test_local_get();
    return check_report("test_routes");
}
