/* test_routes.c — the route table: docs/permissions.md is exactly its printed form, and every
 * state-changing route is protected by a CSRF check; the audit log's kinds of records label each
 * feature's entries (governance's through its own functions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "check.h"
#include "web/kit/audit_kinds.h"
#include "web/kit/edit_forms.h"
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

/* The POSTs whose proof is a personal token in their URL, not a session: the one-click
 * unsubscribe of RFC 8058, which a mail client posts without any page nor cookie. */
static bool token_bearing(const struct route *r)
{
    return strcmp(r->pattern, "/newsletter/unsubscribe") == 0 && r->role == ROLE_PUBLIC;
}

static void test_posts_need_csrf(void)
{
    for (const struct route *r = routes; r->method; r++) {
        if (token_bearing(r))
            continue;
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

static struct audit_entry entry(char *entity, long long id, char *field, char *old_value,
                                char *new_value, char *label)
{
    return (struct audit_entry){.entity_id = id,
                                .at = "2024-03-02 10:00:00",
                                .actor = "Alice",
                                .entity = entity,
                                .field = field,
                                .old_value = old_value,
                                .new_value = new_value,
                                .label = label};
}

/* Each audited entity is listed once with its page; the audit table shows governance entries with
 * governance's names and values (registered in routes.c: web/core does not call governance). */
static void test_audit_kinds(void)
{
    int n = 0;
    for (const struct audit_kind *k = audit_kinds; k->entity; k++, n++) {
        /* SWOT items, recommendations and funding lines have no page of their own (href NULL:
         * the noun). */
        CHECK(k->noun && (k->href ? k->href[0] == '/' && k->href_suffix : !k->href_suffix));
        for (const struct audit_kind *j = audit_kinds; j < k; j++)
            CHECK(strcmp(j->entity, k->entity) != 0);
        bool governance = str_eq(k->entity, "body") || str_eq(k->entity, "meeting") ||
                          str_eq(k->entity, "person");
        CHECK(governance == (k->field_label != NULL && k->value != NULL));
    }
    CHECK_INT(n, 13); /* + service (the directory), action_funding and financing_line */

    struct arena a = {0};
    struct audit_entry e[] = {
        entry("meeting", 7, "attendance:12", "", "excused", "CoPil"),
        entry("body", 3, "plan:4", "", "2024-05-06", ""),
        entry("person", 5, "erased", "0", "1", "Bob"),
        entry("action", 9, "status:2023", "", "done", "1.1 Agir"),
        entry("widget", 2, "title", "", "x", "w"),
    };
    struct buf b = {0};
    edit_audit_table(&b, &a, e, 5, true, "Journal");
    const char *html = buf_cstr(&b);
    static const char *const wanted[] = {
        "Réunion : <a href=\"/meetings/7\">CoPil</a>",
        "Présence (personne n° 12)",
        ">Excusé<",
        "Instance : <a href=\"/bodies/3\">(sans nom)</a>",
        "Réunion prévue (prévision n° 4)",
        "06/05/2024",
        "Personne : <a href=\"/people/5/edit\">Bob</a>",
        "Effacement des données personnelles (RGPD)",
        ">oui<",
        "Action : <a href=\"/actions/9\">1.1 Agir</a>",
        "État d&#39;avancement 2023",
        "widget n° 2 w",
    };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (!strstr(html, wanted[i])) {
            fprintf(stderr, "missing in the audit table: %s\n", wanted[i]);
            CHECK(false);
        }
    buf_free(&b);
    arena_free(&a);
}

int main(void)
{
    test_permissions_doc_matches_table();
    test_posts_need_csrf();
    test_no_duplicate_route();
    test_local_get();
    test_audit_kinds();
    return check_report("test_routes");
}
