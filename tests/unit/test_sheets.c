/* test_sheets.c — unit tests of the action sheet (model/sheet.c, sheet_state.c, indicator.c,
 * area.c, the generated questionnaire lists) and of the Gantt chart (format/gantt.c), on the demo
 * contract loaded into a temporary SQLite file: what the demo holds (from the report only), the
 * typed dates and amounts, validation needing a result indicator with a target, states,
 * promotion of a lead, the yearly plan, the list of sheets missing something, the workload. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/plan/action.h"
#include "model/core/area.h"
#include "model/core/audit.h"
#include "model/core/contract.h"
#include "model/sheet/indicator.h"
#include "model/plan/objective.h"
#include "model/sheet/sheet.h"
#include "format/draw/gantt.h"

static struct store *db;
static long long contract_id;
static struct actor coord = {0, "Test coordination"};

/* The id of the demo action whose slug is slug (0 when none). */
static long long action_id(const char *slug)
{
    long long id = 0;
    if (sheet_action_by_slug(db, contract_id, slug, &id) != ERR_OK)
        return 0;
    return id;
}

static int version_of(long long id)
{
    int v = 0;
    bool archived;
    if (action_meta(db, id, &v, &archived) != ERR_OK)
        return 0;
    return v;
}

static void test_lists(void)
{
    CHECK_INT(sheet_age_bands.n, 8);
    CHECK_STR(sheet_age_bands.items[1].label, "nourrissons (0-2 ans)");
    CHECK_INT(sheet_action_types.n, 18);
    CHECK_INT(sheet_action_types.question, 16);
    for (int i = 0; i < sheet_action_types.n; i++)
        CHECK(sheet_action_types.items[i].help && *sheet_action_types.items[i].help);
    CHECK_INT(sheet_rhythms.n, 3);
    CHECK_STR(sheet_rhythms.items[0].key, "one_off");
    CHECK_STR(sheet_rhythms.items[0].label, "Ponctuelle");
    CHECK_STR(sheet_publics.items[2].key, "both");
    CHECK_INT(sheet_population_groups.n, 12);
    CHECK_INT(sheet_professionals.n, 8);
    CHECK_INT(sheet_partner_types.n, 12);
    CHECK_INT(sheet_funders.n, 14);
    CHECK_INT(sheet_project_team.n, 7);
    CHECK(sheet_choice_find(&sheet_funders, "region_grand_est") != NULL);
    CHECK(sheet_choice_find(&sheet_funders, "je_ne_sais_pas") == NULL);
    CHECK(sheet_list_named("action_types") == &sheet_action_types);
}

static void test_typed_values(void)
{
    char iso[11];
    struct {
        const char *in, *out;
    } dates[] = {{"2019", "2019"},        {"05/2019", "2019-05"},    {"2019-05", "2019-05"},
                 {" 06/05/2019 ", "2019-05-06"}, {"2019-05-06", "2019-05-06"}, {"", ""},
                 {"29/02/2024", "2024-02-29"}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        CHECK(sheet_parse_date(dates[i].in, iso) == ERR_OK);
        CHECK_STR(iso, dates[i].out);
    }
    const char *bad[] = {"13/2019", "2019-13", "31/02/2019", "1850", "mai 2019", "19", "2019-5",
                         "00/2020"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(sheet_parse_date(bad[i], iso) == ERR_INVALID);
    long long c;
    CHECK(sheet_parse_amount("1 234,56", &c) == ERR_OK && c == 123456);
    CHECK(sheet_parse_amount("1234.5", &c) == ERR_OK && c == 123450);
    CHECK(sheet_parse_amount("18 000 €", &c) == ERR_OK && c == 1800000);
    CHECK(sheet_parse_amount("", &c) == ERR_OK && c == -1);
    CHECK(sheet_parse_amount("12,345", &c) == ERR_INVALID);
    CHECK(sheet_parse_amount("-5", &c) == ERR_INVALID);
    CHECK(sheet_parse_amount("abc", &c) == ERR_INVALID);
    struct arena a = {0};
    CHECK_STR(sheet_amount_text(&a, 123456), "1 234,56 €");
    CHECK_STR(sheet_amount_text(&a, 1800000), "18 000 €");
    CHECK_STR(sheet_amount_text(&a, -1), "");
    CHECK_STR(sheet_date_text(&a, "2019-05"), "mai 2019");
    CHECK_STR(sheet_date_text(&a, "2019-05-06"), "06/05/2019");
    CHECK_STR(sheet_date_text(&a, "2019"), "2019");
    double v;
    bool has;
    CHECK(indicator_parse_number("14,506", &v, &has) == ERR_OK && has && v > 14.5 && v < 14.51);
    CHECK(indicator_parse_number("78 500", &v, &has) == ERR_OK && has && v == 78500);
    CHECK(indicator_parse_number("", &v, &has) == ERR_OK && !has);
    CHECK(indicator_parse_number("1e400", &v, &has) == ERR_INVALID);
    CHECK(indicator_parse_number("12a", &v, &has) == ERR_INVALID);
    CHECK_STR(indicator_number(&a, 14.506), "14,506");
    CHECK_STR(indicator_number(&a, 139), "139");
    arena_free(&a);
}

/* The demo holds what the report gives, nothing else. */
static void test_demo(void)
{
    struct arena a = {0};
    struct contract c;
    CHECK(contract_get(db, &a, contract_id, &c) == ERR_OK);
    struct area *areas;
    int n = 0, epci = 0;
    CHECK(area_list(db, &a, c.territory.id, &areas, &n) == ERR_OK);
    for (int i = 0; i < n; i++)
        epci += str_eq(areas[i].kind, "epci");
    CHECK_INT(epci, 4);
    CHECK_INT(n - epci, 123);
    /* The respite action: 32 sessions and 139 participants, no target (unknown). */
    long long respite = action_id("halte-repit");
    struct indicator *inds;
    int n_inds = 0;
    CHECK(respite && indicator_list_action(db, &a, respite, false, &inds, &n_inds) == ERR_OK);
    CHECK_INT(n_inds, 2);
    if (n_inds == 2) {
        CHECK_STR(inds[0].name, "Nombre de séances");
        CHECK(inds[0].n_values == 1 && inds[0].values[0].value == 32);
        CHECK(inds[1].n_values == 1 && inds[1].values[0].value == 139);
        CHECK_STR(inds[1].values[0].period, "2021");
        CHECK(!inds[0].has_target && !inds[1].has_target);
        CHECK_STR(inds[0].kind, "process");
    }
    struct sheet *s = arena_alloc(&a, sizeof *s);
    CHECK(sheet_get(db, &a, action_id("gestes-qui-sauvent"), s) == ERR_OK);
    CHECK_STR(s->planned_start, "2020");
    CHECK_STR(s->actual_start, "2022-09-19");
    CHECK_STR(s->actual_end, "2023-12");
    CHECK(s->whole_territory);
    CHECK_STR(s->description, ""); /* not in the report: left empty */
    CHECK(s->planned_budget == -1);
    CHECK(sheet_get(db, &a, action_id("aides-aux-aidants"), s) == ERR_OK);
    CHECK(s->n_areas == 1 && str_eq(s->areas[0], "55463")); /* Saint-Mihiel */
    CHECK(sheet_get(db, &a, action_id("forum-autonomie"), s) == ERR_OK);
    CHECK_STR(s->rhythm, "one_off");
    CHECK_STR(s->state, "draft");
    /* The workload of the report: 71 active actions for 0.5 FTE. */
    struct workload w;
    CHECK(sheet_workload(db, contract_id, &w) == ERR_OK);
    CHECK_INT(w.active, 71);
    CHECK(w.fte == 0.5);
    CHECK(sheet_workload_exceeded(&w));
    /* No sheet has a result indicator: every active sheet (36) is in the list; the 17 actions
     * without a carrier are all leads, and only the first-aid sheet has its planned dates. */
    struct sheet_gaps *g;
    int n_gaps = 0, total = 0, no_carrier = 0, no_dates = 0;
    CHECK(sheet_gaps_list(db, &a, contract_id, &g, &n_gaps, &total) == ERR_OK);
    CHECK_INT(total, 36);
    CHECK_INT(n_gaps, total);
    for (int i = 0; i < n_gaps; i++) {
        CHECK(g[i].no_result_indicator && g[i].no_target);
        no_carrier += g[i].no_carrier;
        no_dates += g[i].no_dates;
    }
    CHECK_INT(no_carrier, 0);
    CHECK_INT(no_dates, total - 1);
    arena_free(&a);
}

static void test_validation(void)
{
    struct arena a = {0};
    long long id = action_id("halte-repit");
    const char *why = NULL;
    int v = version_of(id);
    CHECK(sheet_set_state(db, &coord, id, v, "validated", &why) == ERR_INVALID);
    CHECK(why && strstr(why, "aucun indicateur de résultat"));
    CHECK_INT(version_of(id), v); /* refused: nothing written */
    struct indicator_edit e = {.name = "Part des aidants qui se disent soulagés",
                               .kind = "result", .unit = "%", .method = "", .collected_by = "",
                               .frequency = ""};
    long long ind = 0;
    CHECK(indicator_add(db, &coord, id, 0, &e, &ind) == ERR_OK && ind > 0);
    CHECK(sheet_validation_problem(db, id, &why) == ERR_OK && why && strstr(why, "cible"));
    CHECK(sheet_set_state(db, &coord, id, v, "validated", &why) == ERR_INVALID);
    e.has_target = true;
    e.target = 80;
    struct indicator x;
    CHECK(indicator_get(db, &a, ind, &x) == ERR_OK);
    CHECK(indicator_update(db, &coord, ind, x.version + 1, &e) == ERR_CONFLICT);
    CHECK(indicator_update(db, &coord, ind, x.version, &e) == ERR_OK);
    CHECK(sheet_validation_problem(db, id, &why) == ERR_OK && why == NULL);
    CHECK(sheet_set_state(db, &coord, id, v + 1, "validated", &why) == ERR_CONFLICT);
    CHECK(sheet_set_state(db, &coord, id, v, "validated", &why) == ERR_OK);
    CHECK_INT(version_of(id), v + 1);
    struct sheet *s = arena_alloc(&a, sizeof *s);
    CHECK(sheet_get(db, &a, id, s) == ERR_OK && str_eq(s->state, "validated"));
    CHECK(sheet_set_state(db, &coord, id, v + 1, "closed", &why) == ERR_OK);
    CHECK(sheet_set_state(db, &coord, id, v + 2, "draft", &why) == ERR_OK);
    CHECK(sheet_set_state(db, &coord, id, v + 3, "closed", &why) == ERR_INVALID);
    CHECK(why && strstr(why, "validée"));
    /* The state changes are in the action's history. */
    struct audit_filter f = {.entity = "action", .entity_id = id};
    struct audit_entry *log;
    int n = 0, states = 0, indicators = 0;
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    for (int i = 0; i < n; i++) {
        states += str_eq(log[i].field, "sheet_state");
        indicators += strncmp(log[i].field, "indicator:", 10) == 0;
    }
    CHECK_INT(states, 3);
    CHECK_INT(indicators, 2);
    /* Values: appended, the same twice is not added; an archived indicator takes none. */
    bool added = false;
    CHECK(indicator_value_add(db, &coord, ind, "2024", 65, "questionnaire", "", &added) ==
              ERR_OK &&
          added);
    CHECK(indicator_value_add(db, &coord, ind, "2024", 65, "questionnaire", "", &added) ==
              ERR_OK &&
          !added);
    CHECK(indicator_value_add(db, &coord, ind, "2024", 70, "questionnaire", "", &added) ==
              ERR_OK &&
          added);
    CHECK(indicator_get(db, &a, ind, &x) == ERR_OK);
    CHECK(x.n_values == 1 && x.values[0].value == 70);
    CHECK(indicator_value_add(db, &coord, ind, "24", 1, "", "", &added) == ERR_INVALID);
    CHECK(indicator_archive(db, &coord, ind, x.version, true) == ERR_OK);
    CHECK(indicator_value_add(db, &coord, ind, "2025", 1, "", "", &added) == ERR_INVALID);
    CHECK(sheet_validation_problem(db, id, &why) == ERR_OK && why != NULL);
    /* A lead cannot be validated. */
    long long lead = action_id("forum-autonomie");
    CHECK(sheet_validation_problem(db, lead, &why) == ERR_OK && why && strstr(why, "piste"));
    arena_free(&a);
}

static void test_promotion(void)
{
    struct arena a = {0};
    /* A lead of 1.3 becomes the next sheet of 1.3. */
    struct action_filter f = {.contract_id = contract_id, .kind = "lead"};
    struct action *leads;
    int n = 0;
    CHECK(action_list(db, &a, &f, &leads, &n) == ERR_OK && n > 0);
    const struct action *lead = NULL, *uncoded = NULL;
    for (int i = 0; i < n; i++) {
        if (!lead && str_eq(leads[i].objective_code, "1.3"))
            lead = &leads[i];
        if (!uncoded && !*leads[i].objective_code)
            uncoded = &leads[i];
    }
    CHECK(lead && uncoded);
    if (!lead || !uncoded) {
        arena_free(&a);
        return;
    }
    const char *next = NULL, *code = NULL, *why = NULL;
    CHECK(sheet_next_code(db, &a, lead->objective_id, &next) == ERR_OK);
    CHECK_STR(next, "1.3.3"); /* 1.3.1 and 1.3.2 exist */
    int v = version_of(lead->id);
    CHECK(sheet_promote(db, &a, &coord, lead->id, v + 1, &code, &why) == ERR_CONFLICT);
    CHECK(sheet_promote(db, &a, &coord, lead->id, v, &code, &why) == ERR_OK);
    CHECK_STR(code, "1.3.3");
    struct action x;
    CHECK(action_get(db, &a, lead->id, 0, &x) == ERR_OK);
    CHECK_STR(x.kind, "sheet");
    CHECK_STR(x.code, "1.3.3");
    CHECK(sheet_next_code(db, &a, lead->objective_id, &next) == ERR_OK);
    CHECK_STR(next, "1.3.4");
    struct audit_filter af = {.entity = "action", .entity_id = lead->id};
    struct audit_entry *log;
    int n_log = 0;
    bool promoted = false;
    CHECK(audit_list(db, &a, &af, &log, &n_log) == ERR_OK);
    for (int i = 0; i < n_log; i++)
        promoted |= str_eq(log[i].field, "promoted") && str_eq(log[i].new_value, "1.3.3");
    CHECK(promoted);
    CHECK(sheet_promote(db, &a, &coord, lead->id, v + 1, &code, &why) == ERR_INVALID);
    CHECK(why != NULL);
    /* A lead under an objective without a code cannot get one by itself. */
    CHECK(sheet_promote(db, &a, &coord, uncoded->id, version_of(uncoded->id), &code, &why) ==
          ERR_INVALID);
    CHECK(why && strstr(why, "pas de code"));
    arena_free(&a);
}

static void test_sheet_update(void)
{
    struct arena a = {0};
    long long id = action_id("octobre-rose");
    struct contract c;
    CHECK(contract_get(db, &a, contract_id, &c) == ERR_OK);
    struct sheet *s = arena_alloc(&a, sizeof *s);
    CHECK(sheet_get(db, &a, id, s) == ERR_OK);
    int v = version_of(id);
    s->description = "Soutien aux manifestations d'Octobre rose.";
    s->target_public = "population";
    s->planned_start = "2024-10";
    s->planned_end = "2024-10-31";
    s->planned_budget = 150000;
    s->choices[3][s->n_choices[3]++] = "de_la_communication_information_et_ou";
    s->funders[s->n_funders++] = (struct sheet_funder){"region_grand_est", "", 50000};
    s->funders[s->n_funders++] = (struct sheet_funder){"", "Ligue contre le cancer", -1};
    s->areas[s->n_areas++] = "245500327";
    s->areas[s->n_areas++] = "55463";
    struct problems p = {0};
    sheet_check(db, c.territory.id, s, &p);
    CHECK_INT(p.n, 0);
    if (p.n)
        fprintf(stderr, "  %s: %s\n", p.field[0], p.message[0]);
    CHECK(sheet_update(db, &coord, id, v, s) == ERR_OK);
    CHECK(sheet_update(db, &coord, id, v, s) == ERR_CONFLICT);
    struct sheet *t = arena_alloc(&a, sizeof *t);
    CHECK(sheet_get(db, &a, id, t) == ERR_OK);
    CHECK_STR(t->planned_end, "2024-10-31");
    CHECK(t->planned_budget == 150000 && t->n_funders == 2 && t->funders[1].amount == -1);
    CHECK_STR(t->funders[1].name, "Ligue contre le cancer");
    CHECK(t->n_areas == 2 && str_eq(t->areas[0], "245500327"));
    CHECK_INT(t->n_choices[3], 1);
    /* Refusals: an end before the start, a commune of another territory, both whole and parts,
     * an unknown key, a free funder without a name. */
    struct sheet *bad = arena_alloc(&a, sizeof *bad);
    *bad = *t;
    bad->planned_end = "2024-09";
    bad->areas[0] = "75056";
    bad->whole_territory = true;
    bad->rhythm = "sometimes";
    bad->funders[1].name = "";
    struct problems q = {0};
    sheet_check(db, c.territory.id, bad, &q);
    const char *want[] = {"planned_end", "areas", "rhythm", "funders"};
    for (size_t k = 0; k < 4; k++) {
        bool found = false;
        for (int i = 0; i < q.n; i++)
            found |= str_eq(q.field[i], want[k]);
        CHECK(found);
    }
    CHECK(sheet_update(db, &coord, id, v + 1, bad) == ERR_INVALID);
    CHECK_INT(version_of(id), v + 1);
    /* Each changed field has its audit row. */
    struct audit_filter f = {.entity = "action", .entity_id = id, .after_version = v};
    struct audit_entry *log;
    int n = 0;
    bool funders = false, budget = false;
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    for (int i = 0; i < n; i++) {
        funders |= str_eq(log[i].field, "funders") &&
                   strstr(log[i].new_value, "Région Grand Est (500 €)") != NULL;
        budget |= str_eq(log[i].field, "planned_budget") && str_eq(log[i].new_value, "1 500 €");
    }
    CHECK(funders && budget);
    arena_free(&a);
}

static void test_plan(void)
{
    struct arena a = {0};
    long long x = action_id("octobre-rose"), y = action_id("bus-itinerant");
    long long ids[] = {x, y, x};
    struct sheet_priority prios[] = {{y, "high"}};
    CHECK(sheet_plan_set(db, &coord, contract_id, 2026, ids, 3, prios, 1) == ERR_OK);
    long long *plan;
    int n = 0;
    CHECK(sheet_plan_ids(db, &a, contract_id, 2026, &plan, &n) == ERR_OK);
    CHECK_INT(n, 2);
    CHECK(n == 2 && plan[0] == y && plan[1] == x); /* contract order */
    struct sheet *s = arena_alloc(&a, sizeof *s);
    CHECK(sheet_get(db, &a, y, s) == ERR_OK && str_eq(s->priority, "high"));
    int years[8], n_years = 0;
    CHECK(sheet_plan_years(db, x, years, 8, &n_years) == ERR_OK && n_years == 1 &&
          years[0] == 2026);
    /* One bad id: nothing changes (the priority neither). */
    long long wrong[] = {x, 999999};
    struct sheet_priority low[] = {{x, "low"}};
    CHECK(sheet_plan_set(db, &coord, contract_id, 2026, wrong, 2, low, 1) == ERR_INVALID);
    CHECK(sheet_get(db, &a, x, s) == ERR_OK && str_eq(s->priority, "normal"));
    struct sheet_priority odd[] = {{x, "urgent"}};
    CHECK(sheet_plan_set(db, &coord, contract_id, 2026, ids, 2, odd, 1) == ERR_INVALID);
    CHECK(sheet_plan_ids(db, &a, contract_id, 2026, &plan, &n) == ERR_OK && n == 2);
    CHECK(sheet_plan_set(db, &coord, contract_id, 2026, ids + 1, 1, NULL, 0) == ERR_OK);
    CHECK(sheet_plan_ids(db, &a, contract_id, 2026, &plan, &n) == ERR_OK && n == 1);
    /* The workload threshold is a setting. */
    CHECK(sheet_workload_set(db, &coord, contract_id, 0.5, 200) == ERR_OK);
    struct workload w;
    CHECK(sheet_workload(db, contract_id, &w) == ERR_OK && !sheet_workload_exceeded(&w));
    CHECK(sheet_workload_set(db, &coord, contract_id, 0.5, 0) == ERR_INVALID);
    CHECK(sheet_workload_set(db, &coord, contract_id, 0.5, 40) == ERR_OK);
    arena_free(&a);
}

static int count(const char *s, const char *part)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, part)); p++)
        n++;
    return n;
}

static void test_gantt(void)
{
    struct gantt_row rows[] = {
        {1, "1.1 — Mobilité", "1.1.1", "Bus <itinérant>", "/actions/1", "", "", "2020-09", "",
         ST_IN_PROGRESS},
        {2, "1.1 — Mobilité", "1.1.2", "Sans date", "/actions/2", "", "", "", "", ST_NONE},
        {3, "2.1 — Habitat", "2.1.1", "Forum", NULL, "2020-04", "", "2022-05-06", "2022-05-06",
         ST_ABANDONED},
        {4, "2.1 — Habitat", "2.1.2", "Étude", NULL, "2019", "2020", "", "2020", ST_DONE},
    };
    struct gantt_chart c = {.id = "g", .title = "Calendrier & test", .today = "2026-01-15",
                            .known_until = "2023-12-31", .first_year = 2019, .last_year = 2023};
    struct buf b = {0};
    CHECK(!gantt_row_dated(&rows[1]) && gantt_row_dated(&rows[0]));
    gantt_svg(&b, &c, rows, 4);
    const char *s = buf_cstr(&b);
    CHECK(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    CHECK_INT(count(s, "<g class=\"action\""), 3);
    CHECK_INT(count(s, "<g"), count(s, "</g>"));
    CHECK_INT(count(s, "<a "), count(s, "</a>"));
    CHECK(strstr(s, "Bus &lt;itinérant&gt;") != NULL);
    CHECK(strstr(s, "Calendrier &amp; test") != NULL);
    CHECK(strstr(s, "class=\"today\"") != NULL);
    CHECK(strstr(s, ">2026<") != NULL && strstr(s, ">2019<") != NULL);
    CHECK_INT(count(s, "class=\"group\""), 2);
    CHECK(strstr(s, "Sans date") == NULL);
    buf_free(&b);
}

int main(void)
{
    char dir[] = "/tmp/test_sheets_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/sheets.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_sheets: %s\n", err);
        return 1;
    }
    const char *data = getenv("BOUSSOLE_DATA");
    char demo[1024];
    snprintf(demo, sizeof demo, "%s/demo", data ? data : BOUSSOLE_DATADIR);
    bool loaded = false;
    CHECK(demo_load(db, demo, &loaded) == ERR_OK && loaded);
    CHECK(contract_find_slug(db, "cls2-coeur-de-lorraine", &contract_id) == ERR_OK);
    test_lists();
    test_typed_values();
    test_gantt();
    if (contract_id) {
        test_demo();
        test_validation();
        test_promotion();
        test_sheet_update();
        test_plan();
    }
    store_close(db);
    char p[300];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
    return check_report("test_sheets");
}
