/* fuzz_funding_calls.c — libFuzzer target: Aides-territoires pages and saved files read by
 * funding_calls_parse: no crash, no leak; an accepted page gives calls with an id and a name,
 * UTF-8 texts within their limit, a deadline empty or "AAAA-MM-JJ" and a link only to a web
 * address; a refusal always says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model/funding/funding_call.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A text field within its limit (lists join up to 200 items of 1 000 bytes). */
static void check_text(const char *s, size_t max)
{
    if (!s || strlen(s) > max || !utf8_valid(s, strlen(s)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = {0};
    struct funding_call *calls = NULL;
    int n = 0, cap = 0;
    const char *next = NULL;
    char err[512] = "";
    if (funding_calls_parse((const char *)data, size, &a, &calls, &n, &cap, &next, err,
                            sizeof err) == ERR_OK) {
        for (int i = 0; i < n; i++) {
            const struct funding_call *c = &calls[i];
            if (!*c->external_id || str_blank(c->name) ||
                (*c->deadline && (strlen(c->deadline) != 10 || c->deadline[4] != '-')) ||
                (*c->url && strncmp(c->url, "http", 4) != 0))
                abort();
            check_text(c->name, FUNDING_CALL_TEXT_MAX);
            check_text(c->description, FUNDING_CALL_TEXT_MAX);
            check_text(c->categories, 200 * 1003);
            check_text(c->audiences, 200 * 1003);
        }
    } else if (!*err) {
        abort();
    }
    /* The same bytes as a connexion answer: an accepted bearer never holds a header break. */
    const char *bearer = NULL;
    err[0] = 0;
    if (funding_calls_bearer((const char *)data, size, &a, &bearer, err, sizeof err) == ERR_OK) {
        if (!bearer || !*bearer || strpbrk(bearer, "\r\n :"))
            abort();
    } else if (!*err || bearer) {
        abort();
    }
    arena_free(&a);
    return 0;
}
