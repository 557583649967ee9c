/* fuzz_json.c — libFuzzer target: JSON bodies of the API writes (api_parse_status_body and
 * api_parse_action_body): no crash, no leak; an accepted body holds only checked values and
 * valid UTF-8 texts within their limits; a refusal is 400 or 422 with a French message and, when
 * it names a field, a valid UTF-8 one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "web/api/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    if (!s || strlen(s) > EDIT_TEXT_MAX || !utf8_valid(s, strlen(s)))
        abort();
}

static void check_refusal(const struct api_body_error *e)
{
    if ((e->status != 400 && e->status != 422) || !e->message || !*e->message ||
        !utf8_valid(e->message, strlen(e->message)) ||
        (e->field && !utf8_valid(e->field, strlen(e->field))))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = {0};
    const char *body = (const char *)data;
    struct api_body_error e;

    struct api_status_body s;
    if (api_parse_status_body(body, size, &a, &s, &e) == ERR_OK) {
        if (s.year < 1990 || s.year > 2100 || s.status <= ST_NONE || s.status >= ST_COUNT)
            abort();
        check_text(s.remarks);
        check_text(s.recommendations);
    } else {
        check_refusal(&e);
    }

    struct api_action_body b;
    if (api_parse_action_body(body, size, &a, &b, &e) == ERR_OK) {
        if (b.version < 1 || b.n_co_carriers < 0 || b.n_co_carriers > EDIT_MAX_ORGS ||
            b.n_partners < 0 || b.n_partners > EDIT_MAX_ORGS || b.objective_id < 0 ||
            b.carrier_id < 0)
            abort();
        if ((b.given & API_F_KIND) && !str_eq(b.kind, "sheet") && !str_eq(b.kind, "lead"))
            abort();
        if (b.given & API_F_CODE)
            check_text(b.code);
        if (b.given & API_F_TITLE)
            check_text(b.title);
        if (b.given & API_F_NOTES)
            check_text(b.notes);
        for (int i = 0; i < b.n_co_carriers; i++)
            if (b.co_carriers[i] < 1)
                abort();
        for (int i = 0; i < b.n_partners; i++)
            if (b.partners[i] < 1)
                abort();
        struct action_edit ed = {.kind = "sheet", .code = "", .title = "", .notes = ""};
        api_action_body_apply(&b, &ed);
    } else {
        check_refusal(&e);
    }
    arena_free(&a);
    return 0;
}
