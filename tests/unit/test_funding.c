/* test_funding.c — the funding model on a small contract built here: a year of the financing
 * plan is final only when income equals expenses (and the refusal says by how much), a final
 * year refuses changes, stale versions are refused, lines are audited; the matching rule of
 * funding calls (theme, public, territory) on hand-written cases; hostile JSON refused; saved
 * calls matched to actions; reminders queued once per delay. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/str.h"
#include "check.h"
#include "model/funding/funding.h"
#include "model/funding/funding_call.h"
#include "store/db.h"

static struct store *db;
static long long contract_id;

static long long exec_id(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    int rc = stmt_exec(st);
    CHECK(rc == ERR_OK);
    return store_last_id(db);
}

static long long count(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    long long n = -1;
    if (stmt_step(st) == 1) {
        n = stmt_int(st, 0);
        stmt_done(st);
    }
    return n;
}

static void fixture(void)
{
    exec_id("INSERT INTO territory (id, name) VALUES (1, 'PETR Test')");
    exec_id("INSERT INTO territory_area (territory_id, kind, code, name) VALUES "
            "(1, 'epci', '245501176', 'CC du Territoire de Fresnes-en-Woëvre'), "
            "(1, 'commune', '55021', 'Avillers-Sainte-Croix')");
    contract_id = exec_id("INSERT INTO contract (territory_id, title, created_at) VALUES (1, "
                          "'CLS test', '2024-01-01')");
    exec_id("INSERT INTO objective (id, contract_id, level, code, title) VALUES (1, 1, "
            "'operational', '1.1', 'Favoriser une alimentation équilibrée')");
    exec_id("INSERT INTO organisation (id, name, type) VALUES (1, 'Association A', "
            "'association'), (2, 'Commune B', 'commune')");
    exec_id("INSERT INTO action (id, contract_id, objective_id, kind, title, created_at) VALUES "
            "(1, 1, 1, 'sheet', 'Ateliers cuisine pour les familles', '2024-01-01'), "
            "(2, 1, 1, 'sheet', 'Réunion annuelle des partenaires', '2024-01-01')");
    exec_id("INSERT INTO action_organisation (action_id, organisation_id, role) VALUES "
            "(1, 1, 'carrier'), (2, 2, 'carrier')");
    exec_id("INSERT INTO account (email, name, role, contract_id, created_at) VALUES "
            "('coord@example.test', 'Coordinatrice', 'coordinator', 1, '2024-01-01')");
}

static struct financing_year year_of(struct arena *a, int year)
{
    struct financing_plan p;
    struct financing_year none = {0};
    CHECK(financing_plan_get(db, a, contract_id, &p) == ERR_OK);
    for (int i = 0; i < p.n_years; i++)
        if (p.years[i].year == year)
            return p.years[i];
    return none;
}

static void test_balance(void)
{
    struct arena a = {0};
    struct actor who = {0, "test"};
    const char *why = NULL;
    long long id = 0, salary = 0;
    struct financing_line l = {.year = 2020, .label = "Salaire brut", .amount = 2224153};
    CHECK(financing_line_add(db, &who, contract_id, &l, &salary, &why) == ERR_OK);
    l = (struct financing_line){.year = 2020, .label = "Charges", .amount = 906252};
    CHECK(financing_line_add(db, &who, contract_id, &l, &id, &why) == ERR_OK);
    l = (struct financing_line){.year = 2020, .income = true, .label = "ARS", .amount = 1250000};
    CHECK(financing_line_add(db, &who, contract_id, &l, &id, &why) == ERR_OK);
    l = (struct financing_line){.year = 2020,
                                .income = true,
                                .label = "Région",
                                .amount = 1565203};
    long long region = 0;
    CHECK(financing_line_add(db, &who, contract_id, &l, &region, &why) == ERR_OK);
    l = (struct financing_line){.year = 2020, .income = true, .label = "PETR", .amount = 315203};
    CHECK(financing_line_add(db, &who, contract_id, &l, &id, &why) == ERR_OK);

    /* Annex 2's year 2020: income 31 304,06 € for 31 304,05 € of expenses. */
    struct financing_year y = year_of(&a, 2020);
    CHECK(y.expense == 3130405);
    CHECK(y.income == 3130406);
    CHECK(financing_gap(&y) == 1);
    why = NULL;
    CHECK(financing_year_set_final(db, &a, &who, contract_id, 2020, y.version, true, &why) ==
          ERR_INVALID);
    CHECK(why && strstr(why, "dépassent") && strstr(why, "0,01"));
    CHECK(!year_of(&a, 2020).final);

    /* A stale version is refused; the right one corrects the line, audited. */
    struct financing_line fix = {.label = "Région", .amount = 1565202};
    CHECK(financing_line_update(db, &who, region, 7, &fix, false, &why) == ERR_CONFLICT);
    CHECK(financing_line_update(db, &who, region, 1, &fix, false, &why) == ERR_OK);
    CHECK(count("SELECT count(*) FROM audit_log WHERE entity = 'financing_line' AND field = "
                "'amount' AND old_value = '15652.03' AND new_value = '15652.02'") == 1);
    y = year_of(&a, 2020);
    CHECK(financing_gap(&y) == 0);
    CHECK(financing_year_set_final(db, &a, &who, contract_id, 2020, y.version, true, &why) ==
          ERR_OK);
    CHECK(year_of(&a, 2020).final);

    /* A final year refuses new and changed lines. */
    l = (struct financing_line){.year = 2020, .income = true, .label = "Autre", .amount = 100};
    why = NULL;
    CHECK(financing_line_add(db, &who, contract_id, &l, &id, &why) == ERR_INVALID && why);
    CHECK(financing_line_update(db, &who, salary, 1, &fix, true, &why) == ERR_INVALID);
    CHECK(count("SELECT count(*) FROM financing_line WHERE label = 'Autre'") == 0);

    /* The summary over the years sums each label and the totals. */
    struct financing_plan p;
    CHECK(financing_plan_get(db, &a, contract_id, &p) == ERR_OK);
    long long total_expense = -1;
    for (int i = 0; i < p.n_sums; i++)
        if (!p.sums[i].income && !*p.sums[i].label)
            total_expense = p.sums[i].amount;
    CHECK(total_expense == 3130405);
    arena_free(&a);
}

static void test_matching(void)
{
    struct arena a = {0};
    const char *names[] = {"PETR Test", "Avillers-Sainte-Croix"};
    const char *deps[] = {"55"};
    struct funding_territory t = {names, 2, deps, 1};
    struct funding_action_text food = {"Ateliers cuisine | alimentation équilibrée des familles",
                                       "association", 0};
    const char *why = NULL;

    struct funding_call c = {.name = "Appel à projets Alimentation et santé",
                             .categories = "Santé | Nutrition",
                             .audiences = "Associations | Communes",
                             .perimeter = "Grand Est",
                             .perimeter_scale = "Région"};
    CHECK(funding_call_matches(&c, &food, &t, &a, &why));
    CHECK(why && strstr(why, "alimentation") && strstr(why, "régional"));

    /* Theme: "transport" must not be read as "sport". */
    struct funding_action_text mobility = {"Transport à la demande", "commune", 0};
    struct funding_call sport = c;
    sport.name = "Sport pour tous";
    sport.categories = "";
    sport.audiences = "";
    CHECK(!funding_call_matches(&sport, &mobility, &t, &a, &why));
    CHECK(str_eq(why, "aucun thème en commun"));

    /* Public: a call for companies only does not suit an association's action. */
    struct funding_call firms = c;
    firms.audiences = "Entreprises privées";
    CHECK(!funding_call_matches(&firms, &food, &t, &a, &why));
    CHECK(strstr(why, "public") != NULL);

    /* Territory: another département refuses, the département, a commune, France accept. */
    struct funding_call other = c;
    other.perimeter = "Gironde";
    other.perimeter_scale = "Département";
    CHECK(!funding_call_matches(&other, &food, &t, &a, &why));
    other.perimeter = "Meuse";
    CHECK(funding_call_matches(&other, &food, &t, &a, &why));
    other.perimeter = "avillers-sainte-croix";
    other.perimeter_scale = "Commune";
    CHECK(funding_call_matches(&other, &food, &t, &a, &why));
    other.perimeter = "France";
    other.perimeter_scale = "Pays";
    CHECK(funding_call_matches(&other, &food, &t, &a, &why));
    CHECK(str_eq(funding_department_name("55", NULL), "Meuse"));
    arena_free(&a);
}

static void test_import_and_reminders(void)
{
    struct arena a = {0};
    struct funding_call *calls = NULL;
    int n = 0, cap = 0;
    const char *next = NULL;
    char err[256] = "";
    /* Hostile pages: wrong types, a missing id, a bad date, not JSON: refused with where. */
    static const char *const bad[] = {
        "{\"results\": {\"id\": 1}}",
        "[{\"id\": 1, \"name\": [\"x\"]}]",
        "[{\"name\": \"Sans id\"}]",
        "[{\"id\": 2, \"name\": \"A\", \"submission_deadline\": \"31/12/2031\"}]",
        "[{\"id\": 2, \"name\": \"A\", \"categories\": [1, 2]}]",
        "{\"results\": [], \"next\": 12}",
        "pas du JSON",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = 0;
        err[0] = 0;
        CHECK(funding_calls_parse(bad[i], strlen(bad[i]), &a, &calls, &n, &cap, &next, err,
                                  sizeof err) == ERR_INVALID);
        CHECK(*err);
    }
    n = 0;
    CHECK(funding_calls_parse("[{\"id\": 1}]", 11, &a, &calls, &n, &cap, &next, err, sizeof err) ==
          ERR_INVALID);
    CHECK(strstr(err, "aide n° 1") && strstr(err, "name"));

    const char *page = "{\"count\": 2, \"next\": \"https://x.test/api/aids/all/?page=2\", "
                       "\"results\": [{\"id\": 101, \"name\": \"Nutrition des familles\", "
                       "\"categories\": [\"Santé\"], \"targeted_audiences\": [\"Associations\"], "
                       "\"perimeter\": \"Meuse\", \"submission_deadline\": \"2031-03-20\", "
                       "\"financers\": [\"ARS Grand Est\"]}, {\"id\": 102, \"name\": \"Voirie "
                       "communale\", \"perimeter\": \"France\", \"perimeter_scale\": \"Pays\"}]}";
    n = 0;
    CHECK(funding_calls_parse(page, strlen(page), &a, &calls, &n, &cap, &next, err, sizeof err) ==
          ERR_OK);
    CHECK(n == 2);
    CHECK(next && str_eq(next, "https://x.test/api/aids/all/?page=2"));
    struct actor who = {0, "test"};
    int added = 0, updated = 0, matches = 0;
    CHECK(funding_calls_save(db, &who, contract_id, "test", calls, n, &added, &updated,
                             &matches) == ERR_OK);
    CHECK(added == 2 && updated == 0 && matches == 1);
    CHECK(count("SELECT count(*) FROM funding_call_match WHERE action_id = 1") == 1);
    CHECK(funding_calls_save(db, &who, contract_id, "test", calls, n, &added, &updated,
                             &matches) == ERR_OK);
    CHECK(added == 0 && updated == 2);

    /* Reminders: 2031-03-20 is 30 days after 2031-02-18 (nothing), 14 then 3 days before. */
    long long day = 86400, feb18 = 1929139200; /* 2031-02-18T00:00:00Z */
    CHECK(funding_send_due_reminders(db, feb18) == 0);
    CHECK(funding_send_due_reminders(db, feb18 + 16 * day) == 1); /* 2031-03-06: 14 days */
    CHECK(funding_send_due_reminders(db, feb18 + 17 * day) == 0); /* once per delay */
    CHECK(funding_send_due_reminders(db, feb18 + 27 * day) == 1); /* 2031-03-17: 3 days */
    CHECK(funding_send_due_reminders(db, feb18 + 40 * day) == 0); /* past: nothing */
    CHECK(count("SELECT count(*) FROM outbox WHERE kind = 'funding_call' AND "
                "to_addr = 'coord@example.test'") == 2);
    arena_free(&a);
}

/* The API's shapes (tests/data/README.md): the bearer token from /api/connexion/, an aid's
 * "url" given as a path of the site. */
static void test_api_shapes(void)
{
    struct arena a = {0};
    char err[256] = "";
    const char *bearer = NULL;
    const char *ok = "{\"token\": \"eyJhbGciOiJIUzI1NiJ9.eyJ1IjoxfQ.c2ln\"}";
    CHECK(funding_calls_bearer(ok, strlen(ok), &a, &bearer, err, sizeof err) == ERR_OK);
    CHECK(bearer && str_eq(bearer, "eyJhbGciOiJIUzI1NiJ9.eyJ1IjoxfQ.c2ln"));
    static const char *const bad[] = {
        "{\"token\": \"abc\\r\\nX-Injected: 1\"}",
        "{\"token\": \"a b\"}",
        "{\"token\": \"\"}",
        "{\"token\": 12}",
        "{\"message\": \"User not found\"}",
        "[\"abc\"]",
        "pas du JSON",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        CHECK(funding_calls_bearer(bad[i], strlen(bad[i]), &a, &bearer, err, sizeof err) ==
              ERR_INVALID);
        CHECK(*err && !bearer);
    }
    const char *page = "[{\"id\": 1, \"name\": \"A\", \"url\": \"/aides/une-aide/\"}, "
                       "{\"id\": 2, \"name\": \"B\", \"url\": \"//ailleurs.test/x\"}, "
                       "{\"id\": 3, \"name\": \"C\", \"url\": \"/aides/a b\"}]";
    struct funding_call *calls = NULL;
    int n = 0, cap = 0;
    const char *next = NULL;
    CHECK(funding_calls_parse(page, strlen(page), &a, &calls, &n, &cap, &next, err, sizeof err) ==
          ERR_OK);
    CHECK(n == 3);
    CHECK(str_eq(calls[0].url, "https://aides-territoires.beta.gouv.fr/aides/une-aide/"));
    CHECK(str_eq(calls[1].url, "") && str_eq(calls[2].url, ""));
    arena_free(&a);
}

static void test_scdl(void)
{
    struct arena a = {0};
    struct actor who = {0, "test"};
    struct action_funding f = {.action_id = 1,
                               .funder = "ARS Grand Est",
                               .year = 2022,
                               .asked = 500000,
                               .granted = 450000,
                               .funder_siret = "13000548100010",
                               .beneficiary = "Association A",
                               .beneficiary_siret = "12345678901234",
                               .decision_date = "2022-03-01",
                               .decision_ref = "",
                               .purpose = "Ateliers",
                               .nature = "aide en numéraire",
                               .payment = "unique",
                               .payment_dates = "2022-04-01"};
    struct problems p = {0};
    action_funding_check(&f, &p);
    CHECK(p.n == 0);
    long long id = 0;
    CHECK(action_funding_add(db, &who, &f, &id) == ERR_OK);
    struct action_funding bad = f;
    bad.funder_siret = "123";
    bad.payment_dates = "2022-04-01/2022";
    bad.nature = "chèque";
    p.n = 0;
    action_funding_check(&bad, &p);
    CHECK(p.n == 3);
    struct buf csv = {0};
    int rows = 0, skipped = 0;
    CHECK(funding_scdl_csv(db, &a, contract_id, &csv, &rows, &skipped) == ERR_OK);
    CHECK(rows == 1 && skipped == 0);
    CHECK(strstr(buf_cstr(&csv), ",4500.00,aide en numéraire,unique,2022-04-01,,non,1.00,") !=
          NULL);
    CHECK(action_funding_update(db, &who, id, 9, &f, true) == ERR_CONFLICT);
    CHECK(action_funding_update(db, &who, id, 1, &f, true) == ERR_OK);
    buf_free(&csv);
    arena_free(&a);
}

int main(void)
{
    char dir[] = "/tmp/boussole-test-funding-XXXXXX";
    if (!mkdtemp(dir) || secret_init() != ERR_OK) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/funding.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_funding: %s\n", err);
        return 1;
    }
    fixture();
    test_balance();
    test_matching();
    test_import_and_reminders();
    test_api_shapes();
    test_scdl();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        perror("rm");
    return check_report("test_funding");
}
