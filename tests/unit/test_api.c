/* test_api.c — the JSON API writes: the strict body parsers (every refusal names its field and
 * says 400 or 422), then the handlers through the router on the demo contract with bearer
 * tokens: 401 without a token, 403 on another organisation's action, 200 with the action as GET
 * shows it, 409 with the changes since a stale version, partial updates; and the JSON writers
 * of web/core/json.c. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "store/db.h"
#include "web/api/api.h"
#include "web/kit/json.h"
#include "web/core/router.h"

/* ---- parsers ------------------------------------------------------------------------------ */

static int status_body(const char *json, struct arena *a, struct api_status_body *out,
                       struct api_body_error *err)
{
    return api_parse_status_body(json, strlen(json), a, out, err);
}

/* Checks that json is refused with this HTTP status and field (NULL: the whole body). */
static void status_refused(const char *json, int status, const char *field)
{
    struct arena a = {0};
    struct api_status_body b;
    struct api_body_error e;
    int rc = status_body(json, &a, &b, &e);
    if (rc == ERR_OK)
        fprintf(stderr, "accepted: %s\n", json);
    CHECK_INT(rc, ERR_INVALID);
    CHECK_INT(e.status, status);
    CHECK_STR(e.field, field);
    CHECK(e.message && *e.message);
    arena_free(&a);
}

static void action_refused(const char *json, int status, const char *field)
{
    struct arena a = {0};
    struct api_action_body b;
    struct api_body_error e;
    int rc = api_parse_action_body(json, strlen(json), &a, &b, &e);
    if (rc == ERR_OK)
        fprintf(stderr, "accepted: %s\n", json);
    CHECK_INT(rc, ERR_INVALID);
    CHECK_INT(e.status, status);
    CHECK_STR(e.field, field);
    CHECK(e.message && *e.message);
    arena_free(&a);
}

static void test_status_body(void)
{
    struct arena a = {0};
    struct api_status_body b;
    struct api_body_error e;
    CHECK_INT(status_body("{\"year\": 2023, \"status\": \"in_progress\", \"remarks\": "
                          "\"50 % fait, \\u00e9t\\u00e9 <b>\", \"recommendations\": \"Relancer\"}",
                          &a, &b, &e),
              ERR_OK);
    CHECK_INT(b.year, 2023);
    CHECK_INT(b.status, ST_IN_PROGRESS);
    CHECK_STR(b.remarks, "50 % fait, été <b>");
    CHECK_STR(b.recommendations, "Relancer");
    /* Optional texts: absent or null give "". */
    CHECK_INT(status_body("{\"status\":\"done_closed\",\"year\":1990,\"remarks\":null}", &a, &b,
                          &e),
              ERR_OK);
    CHECK_INT(b.year, 1990);
    CHECK_INT(b.status, ST_DONE_CLOSED);
    CHECK_STR(b.remarks, "");
    CHECK_STR(b.recommendations, "");
    /* The length given counts, not a NUL: the body need not be terminated. */
    const char *twice = "{\"year\":2021,\"status\":\"done\"}{\"year\":";
    CHECK_INT(api_parse_status_body(twice, 29, &a, &b, &e), ERR_OK);
    CHECK_INT(b.year, 2021);
    arena_free(&a);

    status_refused("", 400, NULL);
    status_refused("   ", 400, NULL);
    status_refused("{\"year\":", 400, NULL);
    status_refused("[2023, \"done\"]", 400, NULL);
    status_refused("\"done\"", 400, NULL);
    status_refused("null", 400, NULL);
    status_refused("{\"year\":2023,\"status\":\"done\"} x", 400, NULL);
    status_refused("{\"year\":2023,\"year\":2022,\"status\":\"done\"}", 400, NULL);
    status_refused("{\"year\":2023,\"status\":\"done\",\"statut\":\"done\"}", 400, "statut");
    status_refused("{\"year\":\"2023\",\"status\":\"done\"}", 400, "year");
    status_refused("{\"year\":2023.0,\"status\":\"done\"}", 400, "year");
    status_refused("{\"year\":true,\"status\":\"done\"}", 400, "year");
    status_refused("{\"year\":1989,\"status\":\"done\"}", 422, "year");
    status_refused("{\"year\":2101,\"status\":\"done\"}", 422, "year");
    status_refused("{\"year\":-2023,\"status\":\"done\"}", 422, "year");
    status_refused("{\"year\":99999999999999999999,\"status\":\"done\"}", 400, NULL);
    status_refused("{\"status\":\"done\"}", 422, "year");
    status_refused("{\"year\":2023}", 422, "status");
    status_refused("{\"year\":2023,\"status\":\"Réalisé\"}", 422, "status");
    status_refused("{\"year\":2023,\"status\":\"DONE\"}", 422, "status");
    status_refused("{\"year\":2023,\"status\":null}", 400, "status");
    status_refused("{\"year\":2023,\"status\":3}", 400, "status");
    status_refused("{\"year\":2023,\"status\":\"done\",\"remarks\":[\"a\"]}", 400, "remarks");
    status_refused("{\"year\":2023,\"status\":\"done\",\"remarks\":\"a\\u0000b\"}", 400, NULL);
    status_refused("{\"year\":2023,\"status\":\"done\",\"remarks\":\"\xff\"}", 400, NULL);
    status_refused("{\"year\":2023,\"status\":\"done\",\"recommendations\":{}}", 400,
                   "recommendations");

    /* 20 000 bytes of remarks pass, one more is refused. */
    struct buf big = {0};
    buf_puts(&big, "{\"year\":2023,\"status\":\"done\",\"remarks\":\"");
    for (int i = 0; i < EDIT_TEXT_MAX; i++)
        buf_putc(&big, 'r');
    buf_puts(&big, "\"}");
    CHECK_INT(status_body(buf_cstr(&big), &a, &b, &e), ERR_OK);
    CHECK_INT(strlen(b.remarks), EDIT_TEXT_MAX);
    buf_reset(&big);
    buf_puts(&big, "{\"year\":2023,\"status\":\"done\",\"remarks\":\"é");
    for (int i = 0; i < EDIT_TEXT_MAX; i++)
        buf_putc(&big, 'r');
    buf_puts(&big, "\"}");
    status_refused(buf_cstr(&big), 422, "remarks");
    buf_free(&big);
    arena_free(&a);
}

static void test_action_body(void)
{
    struct arena a = {0};
    struct api_action_body b;
    struct api_body_error e;
    const char *json = "{\"version\": 4, \"title\": \"Nouveau titre\", \"carrier_id\": null, "
                       "\"co_carriers\": [7, 9], \"partners\": []}";
    CHECK_INT(api_parse_action_body(json, strlen(json), &a, &b, &e), ERR_OK);
    CHECK_INT(b.version, 4);
    CHECK_INT(b.given, API_F_TITLE | API_F_CARRIER | API_F_CO_CARRIERS | API_F_PARTNERS);
    CHECK_STR(b.title, "Nouveau titre");
    CHECK_INT(b.carrier_id, 0);
    CHECK_INT(b.n_co_carriers, 2);
    CHECK_INT(b.co_carriers[1], 9);
    CHECK_INT(b.n_partners, 0);

    /* Applying keeps what the body did not give. */
    struct action_edit ed = {.kind = "sheet", .code = "1.1.1", .title = "Ancien", .notes = "n",
                             .objective_id = 5, .carrier_id = 3, .n_co_carriers = 1,
                             .n_partners = 1};
    ed.co_carriers[0] = 8;
    ed.partners[0] = 11;
    api_action_body_apply(&b, &ed);
    CHECK_STR(ed.kind, "sheet");
    CHECK_STR(ed.code, "1.1.1");
    CHECK_STR(ed.title, "Nouveau titre");
    CHECK_STR(ed.notes, "n");
    CHECK_INT(ed.objective_id, 5);
    CHECK_INT(ed.carrier_id, 0);
    CHECK_INT(ed.n_co_carriers, 2);
    CHECK_INT(ed.co_carriers[0], 7);
    CHECK_INT(ed.n_partners, 0);

    json = "{\"version\":1,\"kind\":\"lead\",\"code\":null,\"notes\":null,\"objective_id\":12,"
           "\"carrier_id\":23}";
    CHECK_INT(api_parse_action_body(json, strlen(json), &a, &b, &e), ERR_OK);
    CHECK_INT(b.given, API_F_KIND | API_F_CODE | API_F_NOTES | API_F_OBJECTIVE | API_F_CARRIER);
    CHECK_STR(b.code, "");
    CHECK_INT(b.objective_id, 12);
    CHECK_INT(b.carrier_id, 23);
    arena_free(&a);

    action_refused("{\"title\":\"x\"}", 422, "version");
    action_refused("{\"version\":0}", 422, "version");
    action_refused("{\"version\":\"3\"}", 400, "version");
    action_refused("{\"version\":3,\"id\":10}", 400, "id");
    action_refused("{\"version\":3,\"kind\":\"fiche\"}", 422, "kind");
    action_refused("{\"version\":3,\"kind\":null}", 400, "kind");
    action_refused("{\"version\":3,\"title\":null}", 400, "title");
    action_refused("{\"version\":3,\"title\":12}", 400, "title");
    action_refused("{\"version\":3,\"objective_id\":0}", 422, "objective_id");
    action_refused("{\"version\":3,\"objective_id\":null}", 400, "objective_id");
    action_refused("{\"version\":3,\"carrier_id\":\"23\"}", 400, "carrier_id");
    action_refused("{\"version\":3,\"carrier_id\":-1}", 422, "carrier_id");
    action_refused("{\"version\":3,\"co_carriers\":7}", 400, "co_carriers");
    action_refused("{\"version\":3,\"co_carriers\":[7,\"8\"]}", 400, "co_carriers");
    action_refused("{\"version\":3,\"partners\":[1.5]}", 400, "partners");
    action_refused("{\"version\":3,\"partners\":[0]}", 422, "partners");
    action_refused("[{\"version\":3}]", 400, NULL);
    struct buf many = {0};
    buf_puts(&many, "{\"version\":3,\"partners\":[1");
    for (int i = 2; i <= EDIT_MAX_ORGS + 1; i++)
        buf_printf(&many, ",%d", i);
    buf_puts(&many, "]}");
    action_refused(buf_cstr(&many), 422, "partners");
    buf_free(&many);

    CHECK_STR(api_action_field("co_carrier"), "co_carriers");
    CHECK_STR(api_action_field("partner"), "partners");
    CHECK_STR(api_action_field("title"), "title");
    CHECK(api_is_json("application/json"));
    CHECK(api_is_json("Application/JSON; charset=utf-8"));
    CHECK(!api_is_json("application/jsonp"));
    CHECK(!api_is_json("application/x-www-form-urlencoded"));
    CHECK(!api_is_json(NULL));
}

/* ---- handlers, through the router, on the demo ------------------------------------------- */

static struct store *db;
static long long contract_id;

static long long action_id_by_code(const char *code)
{
    struct arena a = {0};
    struct action *x;
    int n = 0;
    struct action_filter f = {.contract_id = contract_id};
    long long id = 0;
    if (action_list(db, &a, &f, &x, &n) == ERR_OK)
        for (int i = 0; i < n; i++)
            if (str_eq(x[i].code, code))
                id = x[i].id;
    arena_free(&a);
    return id;
}

/* A token for a new account of that role (organisation: for a carrier). */
static char *make_token(const char *email, const char *role, long long organisation_id)
{
    struct account acc = {.email = (char *)email, .name = (char *)email, .role = (char *)role,
                          .contract_id = contract_id, .organisation_id = organisation_id};
    long long id = 0, token_id = 0;
    static char tokens[4][SECRET_TOKEN_LEN + 1];
    static int used;
    char *t = tokens[used++ % 4];
    CHECK(account_create(db, &acc, "", &id) == ERR_OK);
    CHECK(api_token_create(db, id, "test", t, &token_id) == ERR_OK);
    return t;
}

/* Runs POST path with a JSON body and a bearer token (NULL: none); the answer's body stays
 * in out (free it). */
static int post(const char *path, const char *token, const char *json, struct buf *out)
{
    struct arena a = {0};
    struct req r = {.method = "POST", .path = path, .query_string = "", .arena = &a, .db = db,
                    .now = 1700000000, .client_addr = "127.0.0.1", .bearer = token,
                    .content_type = "application/json", .body = json,
                    .body_len = json ? strlen(json) : 0};
    struct res res = {.req = &r, .status = 200};
    router_dispatch(&r, &res);
    store_reset_all(db);
    buf_reset(out);
    buf_puts(out, buf_cstr(&res.body));
    buf_free(&res.body);
    arena_free(&a);
    return res.status;
}

static bool has(const struct buf *b, const char *s)
{
    bool yes = strstr(buf_cstr(b), s) != NULL;
    if (!yes)
        fprintf(stderr, "not in the answer: %s\n    answer: %.400s\n", s, buf_cstr(b));
    return yes;
}

static void test_handlers(void)
{
    long long mine = action_id_by_code("1.3.1"), other = action_id_by_code("1.1.1");
    CHECK(mine && other);
    struct arena a = {0};
    struct action x;
    CHECK(action_get(db, &a, mine, 0, &x) == ERR_OK);
    const char *carrier = make_token("porteur@test.invalid", "carrier", x.carrier_id);
    const char *coord = make_token("coord@test.invalid", "coordinator", 0);
    arena_free(&a);
    char path[64], status_path[64], other_path[64];
    snprintf(path, sizeof path, "/api/v1/actions/%lld", mine);
    snprintf(status_path, sizeof status_path, "/api/v1/actions/%lld/status", mine);
    snprintf(other_path, sizeof other_path, "/api/v1/actions/%lld/status", other);
    struct buf out = {0};
    const char *st =
        "{\"year\":2023,\"status\":\"in_progress\",\"remarks\":\"api-test \\\"ok\\\"\"}";

    CHECK_INT(post(status_path, NULL, st, &out), 401);
    CHECK(has(&out, "\"error\":"));
    CHECK_INT(post(status_path, "not-a-token", st, &out), 401);
    CHECK_INT(post(other_path, carrier, st, &out), 403);
    CHECK(has(&out, "\"error\":"));
    CHECK_INT(post("/api/v1/actions/999999/status", coord, st, &out), 404);

    CHECK_INT(post(status_path, carrier, st, &out), 200);
    CHECK(has(&out, "\"remarks\":\"api-test \\\"ok\\\"\""));
    CHECK(has(&out, "\"version\":1,"));
    CHECK(has(&out, "\"recorded_by\":\"porteur@test.invalid\""));
    CHECK_INT(post(other_path, coord, st, &out), 200); /* the coordination may */
    CHECK_INT(post(status_path, carrier, "{\"year\":2023,\"status\":\"finie\"}", &out), 422);
    CHECK(has(&out, "\"field\":\"status\""));
    CHECK_INT(post(status_path, carrier, "{\"year\":2025,\"status\":\"done\"}", &out), 422);
    CHECK(has(&out, "\"field\":\"year\"")); /* 2025 has not started on 2023-11-14 */

    /* Partial update: only the title changes; the version goes up. */
    CHECK_INT(post(path, carrier, "{\"version\":1,\"title\":\"Titre par l'API\"}", &out), 200);
    CHECK(has(&out, "\"version\":2,"));
    CHECK(has(&out, "\"title\":\"Titre par l'API\""));
    CHECK(has(&out, "\"code\":\"1.3.1\""));
    /* The same version again: 409 with what changed. */
    CHECK_INT(post(path, coord, "{\"version\":1,\"notes\":\"n\"}", &out), 409);
    CHECK(has(&out, "\"current_version\":2"));
    CHECK(has(&out, "\"field\":\"title\""));
    CHECK(has(&out, "\"new_value\":\"Titre par l'API\""));
    /* A carrier cannot hand its action to another organisation nor move it (403, the form's
     * refusals); problems name the fields. */
    CHECK_INT(post(path, carrier, "{\"version\":2,\"carrier_id\":null}", &out), 403);
    CHECK(has(&out, "\"field\":\"carrier_id\""));
    CHECK_INT(post(path, carrier, "{\"version\":2,\"title\":\"\",\"objective_id\":1}", &out),
              403);
    CHECK(has(&out, "{\"field\":\"objective_id\""));
    CHECK_INT(post(path, carrier, "{\"version\":2,\"title\":\"\"}", &out), 422);
    CHECK(has(&out, "{\"field\":\"title\""));
    CHECK_INT(post(path, carrier, "{\"version\":2,\"unknown\":1}", &out), 400);
    CHECK(has(&out, "\"field\":\"unknown\""));
    CHECK_INT(post(path, carrier, NULL, &out), 400);
    /* Nothing of the refused ones was written. */
    CHECK_INT(post(path, coord, "{\"version\":2,\"notes\":\"Notes de la coordination\"}", &out),
              200);
    CHECK(has(&out, "\"version\":3,"));
    CHECK(has(&out, "\"title\":\"Titre par l'API\""));
    CHECK(has(&out, "\"notes\":\"Notes de la coordination\""));
    buf_free(&out);
}

/* ---- web/core/json.c: the writers every API file shares ---------------------------------- */

static void test_json_writers(void)
{
    struct res res = {0};
    struct buf *b = &res.body;
    buf_puts(b, "left over");
    json_begin(&res, 201);
    CHECK_INT(res.status, 201);
    CHECK_STR(res.content_type, "application/json; charset=utf-8");
    buf_putc(b, '[');
    json_text(b, "a \"b\"\n");
    buf_putc(b, ',');
    json_text(b, "");
    buf_putc(b, ',');
    json_text(b, NULL);
    buf_putc(b, ',');
    json_int(b, 42);
    buf_putc(b, ',');
    json_int(b, 0);
    buf_putc(b, ',');
    json_number(b, true, 12.5);
    buf_putc(b, ',');
    json_number(b, false, 3);
    buf_putc(b, ',');
    json_number(b, true, 1.0 / 0.0);
    buf_putc(b, ',');
    const char *keys[] = {"x", "y\"z"};
    json_keys(b, keys, 2);
    buf_putc(b, ']');
    CHECK_STR(buf_cstr(b),
              "[\"a \\\"b\\\"\\n\",null,null,42,null,12.5,null,null,[\"x\",\"y\\\"z\"]]");
    CHECK_INT(json_error(&res, 422, "year", "Année « 20x » invalide."), 422);
    CHECK_INT(res.status, 422);
    CHECK_STR(buf_cstr(b), "{\"error\":\"Année « 20x » invalide.\",\"field\":\"year\"}\n");
    json_error(&res, 400, NULL, "Pas du JSON.");
    CHECK_STR(buf_cstr(b), "{\"error\":\"Pas du JSON.\",\"field\":null}\n");
    buf_free(b);
}

int main(void)
{
    test_status_body();
    test_action_body();
    test_json_writers();

    static char dir[] = "/tmp/boussole-test-api-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/api.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_api: %s\n", err);
        return 1;
    }
    const char *data = getenv("BOUSSOLE_DATA");
    char demo[1024];
    snprintf(demo, sizeof demo, "%s/demo", data ? data : BOUSSOLE_DATADIR);
    bool loaded = false;
    CHECK(demo_load(db, demo, &loaded) == ERR_OK);
    struct arena a = {0};
    struct contract *c;
    int n = 0;
    if (loaded && contract_list(db, &a, &c, &n) == ERR_OK && n == 1)
        contract_id = c[0].id;
    arena_free(&a);
    CHECK(contract_id != 0);
    if (contract_id)
        test_handlers();
    store_close(db);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "test_api: could not remove %s\n", dir);
    return check_report("test_api");
}
