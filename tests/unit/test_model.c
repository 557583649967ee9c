/* test_model.c — unit tests of src/model/ on the demo contract (CLS 2 Cœur de Lorraine, loaded
 * with demo_load from $BOUSSOLE_DATA/demo): counts that must agree with the data files and the
 * README's reconciliation table, the action list's filters and sorting, and the status history.
 * Expected numbers come from /work/shared/data/cls2-coeur-de-lorraine/README.md and from
 * counting the CSV files of data/demo by hand; they are not read back from the loader. */
#include <stdlib.h>
#include <unistd.h>

#include "base/str.h"
#include "base/text.h"
#include "check.h"
#include "cli/cli.h"
#include "model/plan/action.h"
#include "model/plan/figures.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "model/core/outbox.h"
#include "model/core/status.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-model-XXXXXX";
static struct store *db;
static long long contract_id;

static int list(const struct action_filter *f, struct arena *a, struct action **out)
{
    int n = -1;
    if (action_list(db, a, f, out, &n) != ERR_OK)
        return -1;
    return n;
}

/* Number of actions the filter lets through (-1 on error). */
static int count(struct action_filter f)
{
    struct arena a = {0};
    struct action *x;
    f.contract_id = contract_id;
    int n = list(&f, &a, &x);
    arena_free(&a);
    return n;
}

/* The id of the objective of a level with that code, or 0. */
static long long objective_id(enum objective_level level, const char *code)
{
    struct arena a = {0};
    struct objective *o;
    int n = 0;
    long long id = 0;
    if (objective_list(db, &a, contract_id, &o, &n) == ERR_OK)
        for (int i = 0; i < n; i++)
            if (o[i].level == level && str_eq(o[i].code, code))
                id = o[i].id;
    arena_free(&a);
    return id;
}

static long long action_id_by_code(const char *code)
{
    struct arena a = {0};
    struct action *x;
    struct action_filter f = {.contract_id = contract_id};
    int n = list(&f, &a, &x);
    long long id = 0;
    for (int i = 0; i < n; i++)
        if (str_eq(x[i].code, code))
            id = x[i].id;
    arena_free(&a);
    return id;
}

static void test_load(void)
{
    struct arena a = {0};
    struct contract *c;
    int n = 0;
    CHECK(contract_list(db, &a, &c, &n) == ERR_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        contract_id = c[0].id;
        CHECK_STR(c[0].slug, "cls2-coeur-de-lorraine");
        CHECK_STR(c[0].territory.name, "PETR Cœur de Lorraine");
        CHECK_INT(c[0].generation, 2);
        CHECK_INT(c[0].start_year, 2019);
        CHECK_INT(c[0].end_year, 2023);
        CHECK(c[0].general_objective[0] != '\0');
    }
    struct contract one;
    CHECK(contract_get(db, &a, contract_id, &one) == ERR_OK);
    CHECK_INT(contract_get(db, &a, 999999, &one), ERR_NOTFOUND);

    struct signatory *sig;
    CHECK(contract_signatories(db, &a, contract_id, &sig, &n) == ERR_OK);
    CHECK_INT(n, 7);

    int years[8], ny = 0;
    CHECK(contract_status_years(db, contract_id, years, 8, &ny) == ERR_OK);
    CHECK_INT(ny, 4);
    if (ny == 4)
        CHECK(years[0] == 2020 && years[1] == 2021 && years[2] == 2022 && years[3] == 2023);

    /* Loading twice adds nothing. */
    bool loaded = true;
    const char *data = getenv("BOUSSOLE_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/demo", data ? data : BOUSSOLE_DATADIR);
    CHECK(demo_load(db, path, &loaded) == ERR_OK);
    CHECK(!loaded);
    CHECK(contract_list(db, &a, &c, &n) == ERR_OK);
    CHECK_INT(n, 1);
    arena_free(&a);
}

static void test_tree(void)
{
    struct arena a = {0};
    struct objective *o;
    int n = 0, per_level[4] = {0};
    CHECK(objective_list(db, &a, contract_id, &o, &n) == ERR_OK);
    for (int i = 0; i < n; i++)
        if (o[i].level >= OBJ_GENERAL && o[i].level <= OBJ_OPERATIONAL)
            per_level[o[i].level]++;
    CHECK_INT(n, 33);
    CHECK_INT(per_level[OBJ_GENERAL], 1);
    CHECK_INT(per_level[OBJ_STRATEGIC], 2);
    CHECK_INT(per_level[OBJ_SPECIFIC], 7);
    CHECK_INT(per_level[OBJ_OPERATIONAL], 23);
    /* Every operational objective hangs under a specific one, under an axe. */
    for (int i = 0; i < n; i++) {
        if (o[i].level != OBJ_OPERATIONAL)
            continue;
        int s = objective_ancestor(o, n, i, OBJ_SPECIFIC);
        int t = objective_ancestor(o, n, i, OBJ_STRATEGIC);
        CHECK(s >= 0 && t >= 0);
    }
    CHECK(objective_id(OBJ_SPECIFIC, "1") != 0);
    CHECK(objective_id(OBJ_SPECIFIC, "7") != 0);
    CHECK(objective_id(OBJ_STRATEGIC, "Axe 1") != 0);
    CHECK(objective_id(OBJ_OPERATIONAL, "1.1") != 0);
    CHECK_STR(objective_level_key(OBJ_SPECIFIC), "specific");
    CHECK_INT(objective_level_from_key("operational"), OBJ_OPERATIONAL);
    CHECK_INT(objective_level_from_key("nope"), -1);
    arena_free(&a);
}

static void test_counts(void)
{
    CHECK_INT(count((struct action_filter){0}), 76);
    CHECK_INT(count((struct action_filter){.kind = "sheet"}), 36);
    CHECK_INT(count((struct action_filter){.kind = "lead"}), 40);

    /* README.md "Reconciliation": per year, the latest status of each action. */
    static const struct {
        int year;
        int counts[ST_COUNT]; /* done_closed, done_recurring, done, in_progress, reflection,
                                 not_started, abandoned */
    } want[] = {
        {2020, {0, 7, 9, 29, 13, 13, 0}},
        {2021, {0, 9, 10, 28, 10, 13, 1}},
        {2022, {0, 9, 11, 28, 12, 10, 1}},
        {2023, {0, 8, 20, 21, 7, 14, 5}},
    };
    int years[8], counts[8][ST_COUNT], ny = 0;
    CHECK(action_status_counts(db, contract_id, years, counts, 8, &ny) == ERR_OK);
    CHECK_INT(ny, 4);
    for (int y = 0; y < 4 && y < ny; y++) {
        CHECK_INT(years[y], want[y].year);
        for (int s = 0; s < ST_COUNT; s++) {
            if (counts[y][s] != want[y].counts[s])
                fprintf(stderr, "    year %d, status %s:\n", want[y].year, status_key(s));
            CHECK_INT(counts[y][s], want[y].counts[s]);
        }
    }
    /* The same through the list filter, status by status. */
    for (int y = 0; y < 4; y++) {
        int total = 0;
        for (int s = 0; s < ST_COUNT; s++) {
            int got = count((struct action_filter){.year = want[y].year, .status = status_key(s)});
            if (got != want[y].counts[s])
                fprintf(stderr, "    list filter year %d, status %s:\n", want[y].year,
                        status_key(s));
            CHECK_INT(got, want[y].counts[s]);
            total += want[y].counts[s];
        }
        int done = want[y].counts[ST_DONE_CLOSED] + want[y].counts[ST_DONE_RECURRING] +
                   want[y].counts[ST_DONE];
        CHECK_INT(count((struct action_filter){.year = want[y].year, .status = "done_any"}), done);
        /* A year counts the actions that exist then: 71 in 2020–2022, 76 in 2023. */
        int existing = want[y].year == 2023 ? 76 : 71;
        CHECK_INT(count((struct action_filter){.year = want[y].year, .status = "none"}),
                  existing - total);
        struct year_figures f;
        CHECK(figures_for_year(db, 1, want[y].year, &f) == ERR_OK);
        CHECK_INT(f.total, existing);
        CHECK_INT(f.done, done);
        CHECK_INT(f.none, existing - total);
    }
    /* 71 actions in 2020–2022, 75 with a status in 2023 (5.2.1 has none); the 5 actions added
     * in 2023 do not exist in 2020. */
    CHECK_INT(count((struct action_filter){.year = 2020, .status = "none"}), 0);
    int reporting = 0;
    CHECK(figures_reporting_year(db, 1, &reporting, NULL) == ERR_OK);
    CHECK_INT(reporting, 2023);
    CHECK_INT(figures_first_year(2023, 0, "2026-01-02T10:00:00Z"), 2023);
    CHECK_INT(figures_first_year(0, 2021, "2026-01-02T10:00:00Z"), 2021);
    CHECK_INT(figures_first_year(0, 0, "2026-01-02T10:00:00Z"), 2026);
    CHECK(!figures_exists_in(2023, 2022) && figures_exists_in(2020, 2023));
    {
        struct arena la = {0};
        const char *names[] = {"CC A", "CC B", "CC C", "CC D"};
        const char *epci[] = {"intercommunality", "intercommunality", "intercommunality",
                              "intercommunality"};
        const char *mixed[] = {"association", "intercommunality"};
        CHECK(str_eq(figures_carriers_label(&la, names, epci, 4),
                     "4 intercommunalités : CC A, CC B, CC C et CC D"));
        CHECK(str_eq(figures_carriers_label(&la, names, epci, 1), "CC A"));
        CHECK(str_eq(figures_carriers_label(&la, names, mixed, 2), "CC A et CC B"));
        CHECK(figures_carriers_label(&la, names, epci, 0) == NULL);
        arena_free(&la);
    }
    CHECK_INT(count((struct action_filter){.year = 2023, .status = "none"}), 1);
    CHECK_INT(count((struct action_filter){.year = 2023, .kind = "sheet", .status = "none"}), 1);
}

static void test_filters(void)
{
    /* Specific objectives 1–7: actions under each, from actions.csv and objectives.csv. */
    static const int per_specific[7] = {13, 7, 15, 13, 17, 9, 2};
    int sum = 0;
    for (int i = 0; i < 7; i++) {
        char code[4];
        snprintf(code, sizeof code, "%d", i + 1);
        long long id = objective_id(OBJ_SPECIFIC, code);
        CHECK(id != 0);
        int got = count((struct action_filter){.specific_id = id});
        if (got != per_specific[i])
            fprintf(stderr, "    specific objective %s:\n", code);
        CHECK_INT(got, per_specific[i]);
        sum += got;
    }
    CHECK_INT(sum, 76);
    CHECK_INT(count((struct action_filter){.strategic_id = objective_id(OBJ_STRATEGIC, "Axe 1")}),
              20);
    CHECK_INT(count((struct action_filter){.strategic_id = objective_id(OBJ_STRATEGIC, "Axe 2")}),
              56);
    long long op11 = objective_id(OBJ_OPERATIONAL, "1.1");
    int n11 = count((struct action_filter){.operational_id = op11});
    CHECK(n11 > 0 && n11 < 13);
    /* Filters combine: an operational objective of specific 2 inside specific 1 is empty. */
    CHECK_INT(count((struct action_filter){.operational_id = op11,
                                           .specific_id = objective_id(OBJ_SPECIFIC, "2")}),
              0);
    CHECK_INT(count((struct action_filter){.operational_id = op11,
                                           .specific_id = objective_id(OBJ_SPECIFIC, "1")}),
              n11);
    /* An id of another level or of nothing filters everything out. */
    CHECK_INT(count((struct action_filter){.specific_id = 999999}), 0);

    /* Lead carriers: annex 8's first named organisation, else the 2023 table's: 17 have none. */
    int none = count((struct action_filter){.no_carrier = true});
    CHECK_INT(none, 17);
    CHECK_INT(count((struct action_filter){.carrier_type = "intercommunality"}), 21);
    CHECK_INT(count((struct action_filter){.carrier_type = "no_such_type"}), 0);
    struct arena a = {0};
    struct action *x;
    struct action_filter f = {.contract_id = contract_id, .no_carrier = true};
    int n = list(&f, &a, &x);
    for (int i = 0; i < n; i++)
        CHECK(x[i].carrier_id == 0 && x[i].carrier_name[0] == '\0');
    /* Filtering by one carrier gives exactly the actions that name it as lead carrier. */
    f = (struct action_filter){.contract_id = contract_id};
    n = list(&f, &a, &x);
    long long some_carrier = 0;
    int expect = 0;
    for (int i = 0; i < n; i++)
        if (x[i].carrier_id && !some_carrier)
            some_carrier = x[i].carrier_id;
    for (int i = 0; i < n; i++)
        expect += x[i].carrier_id == some_carrier;
    CHECK(some_carrier != 0);
    CHECK_INT(count((struct action_filter){.carrier_id = some_carrier}), expect);
    CHECK_INT(count((struct action_filter){.carrier_id = some_carrier, .no_carrier = true}), 0);

    /* Free text: without case or accents, in title, code or carrier. */
    int sante = count((struct action_filter){.text = "sante"});
    CHECK(sante > 0);
    CHECK_INT(count((struct action_filter){.text = "Santé"}), sante);
    CHECK_INT(count((struct action_filter){.text = "SANTÉ"}), sante);
    CHECK_INT(count((struct action_filter){.text = "  santé  "}), sante);
    f = (struct action_filter){.contract_id = contract_id, .text = "SANTE"};
    n = list(&f, &a, &x);
    for (int i = 0; i < n; i++)
        CHECK(text_contains_folded(x[i].title, "sante") || text_contains_folded(x[i].code, "sante")
              || text_contains_folded(x[i].carrier_name, "sante") ||
              text_contains_folded(x[i].carrier_label, "sante"));
    CHECK_INT(count((struct action_filter){.text = "octobre rose"}), 1);
    CHECK_INT(count((struct action_filter){.text = "OCTOBRE ROSE", .kind = "sheet"}), 1);
    CHECK_INT(count((struct action_filter){.text = "octobre rose", .kind = "lead"}), 0);
    CHECK_INT(count((struct action_filter){.text = "1.1.1"}), 1);
    CHECK_INT(count((struct action_filter){.text = "bus itinerant"}), 1);
    CHECK_INT(count((struct action_filter){.text = "zzzz-nothing-matches"}), 0);
    CHECK_INT(count((struct action_filter){.text = ""}), 76);
    arena_free(&a);
}

/* Position of each action in contract order, to check ties. */
static void test_sorting(void)
{
    struct arena a = {0};
    struct action *x;
    struct action_filter f = {.contract_id = contract_id, .year = 2023};
    int n = list(&f, &a, &x);
    CHECK_INT(n, 76);
    for (int i = 1; i < n; i++)
        CHECK(x[i - 1].position <= x[i].position); /* default: contract order */
    CHECK_STR(x[0].code, "1.1.1");

    f.sort = "code";
    f.desc = true;
    n = list(&f, &a, &x);
    for (int i = 1; i < n; i++)
        CHECK(x[i - 1].position >= x[i].position);

    for (int desc = 0; desc < 2; desc++) {
        f = (struct action_filter){.contract_id = contract_id, .sort = "title", .desc = desc};
        n = list(&f, &a, &x);
        CHECK_INT(n, 76);
        int bad = 0;
        for (int i = 1; i < n; i++) {
            if (!x[i - 1].title[0] || !x[i].title[0])
                continue; /* empty titles sort last */
            char *p = text_fold_dup(x[i - 1].title), *q = text_fold_dup(x[i].title);
            int c = strcmp(p, q);
            bad += desc ? c < 0 : c > 0;
            free(p);
            free(q);
        }
        CHECK_INT(bad, 0);
        /* Every action of the demo has a title (annex 8 wording). */
        for (int i = 0; i < n; i++)
            CHECK(x[i].title[0] != '\0');

        f.sort = "carrier";
        n = list(&f, &a, &x);
        bad = 0;
        int seen_empty = 0;
        for (int i = 0; i < n; i++) {
            if (!x[i].carrier_name[0]) {
                seen_empty = 1;
                continue;
            }
            bad += seen_empty; /* no carrier is not a name: last whatever the direction */
            if (i > 0 && x[i - 1].carrier_name[0]) {
                char *p = text_fold_dup(x[i - 1].carrier_name);
                char *q = text_fold_dup(x[i].carrier_name);
                int c = strcmp(p, q);
                bad += desc ? c < 0 : c > 0;
                free(p);
                free(q);
            }
        }
        CHECK_INT(bad, 0);
        CHECK(x[n - 1].carrier_name[0] == '\0');

        f.sort = "status";
        f.year = 2023;
        n = list(&f, &a, &x);
        bad = 0;
        for (int i = 1; i < n; i++) {
            int p = x[i - 1].status == ST_NONE ? ST_COUNT : x[i - 1].status;
            int q = x[i].status == ST_NONE ? ST_COUNT : x[i].status;
            if (p == ST_COUNT || q == ST_COUNT)
                continue;
            bad += desc ? p < q : p > q;
        }
        CHECK_INT(bad, 0);
        if (!desc) {
            CHECK_INT(x[0].status, ST_DONE_RECURRING); /* no done_closed in the demo */
            CHECK_INT(x[n - 1].status, ST_NONE);
        } else {
            CHECK_INT(x[0].status == ST_NONE ? x[1].status : x[0].status, ST_ABANDONED);
        }
    }
    /* Sorting keeps the filter. */
    f = (struct action_filter){.contract_id = contract_id, .kind = "lead", .sort = "title"};
    CHECK_INT(list(&f, &a, &x), 40);
    arena_free(&a);
}

static void test_action_detail(void)
{
    struct arena a = {0};
    long long id = action_id_by_code("1.1.1");
    CHECK(id != 0);
    struct action x;
    CHECK(action_get(db, &a, id, 0, &x) == ERR_OK);
    CHECK_STR(x.title, "Acquérir un bus itinérant");
    CHECK_STR(x.kind, "sheet");
    CHECK_STR(action_kind_label(x.kind), "Fiche action");
    CHECK_STR(action_kind_label("lead"), "Piste d'action");
    CHECK_INT(x.n_history, 4);
    for (int i = 0; i < x.n_history && i < 4; i++) {
        CHECK_INT(x.history[i].year, 2020 + i);
        CHECK_INT(x.history[i].status, ST_DONE_RECURRING);
    }
    CHECK_INT(x.status, ST_DONE_RECURRING); /* year 0: the latest recorded */
    CHECK(x.n_orgs >= 1);
    CHECK(x.carrier_id != 0);
    int carriers = 0;
    for (int i = 0; i < x.n_orgs; i++)
        carriers += str_eq(x.orgs[i].role, "carrier");
    CHECK_INT(carriers, 1);
    CHECK_INT(action_get(db, &a, 999999, 0, &x), ERR_NOTFOUND);

    /* The organisation page's list: the carrier lists this action. */
    struct organisation o;
    CHECK(organisation_get(db, &a, x.carrier_id, &o) == ERR_OK);
    struct organisation_action *oa;
    int n = 0, found = 0;
    CHECK(organisation_actions(db, &a, o.id, &oa, &n) == ERR_OK);
    for (int i = 0; i < n; i++)
        found += oa[i].action_id == id && str_eq(oa[i].role, "carrier");
    CHECK_INT(found, 1);
    CHECK_INT(organisation_get(db, &a, 999999, &o), ERR_NOTFOUND);
    long long petr;
    CHECK(organisation_find(db, "petr coeur de lorraine", &petr) == ERR_OK ||
          organisation_find(db, "PETR", &petr) == ERR_OK);
    CHECK_INT(organisation_find(db, "Nobody at all", &petr), ERR_NOTFOUND);
    arena_free(&a);
}

static void test_record_status(void)
{
    struct arena a = {0};
    long long id = action_id_by_code("1.1.1");
    struct action before, after;
    CHECK(action_get(db, &a, id, 0, &before) == ERR_OK);

    bool added = false;
    CHECK(action_record_status(db, id, 2023, ST_IN_PROGRESS, "En cours", "(-) bus en panne",
                               "", "test", &added) == ERR_OK);
    CHECK(added);
    CHECK(action_get(db, &a, id, 2023, &after) == ERR_OK);
    CHECK_INT(after.n_history, before.n_history + 1);
    CHECK_INT(after.status, ST_IN_PROGRESS);
    CHECK_STR(after.remarks, "(-) bus en panne");
    /* The earlier 2023 row is still there, before the new one. */
    int rows_2023 = 0;
    for (int i = 0; i < after.n_history; i++)
        if (after.history[i].year == 2023)
            rows_2023++;
    CHECK_INT(rows_2023, 2);
    CHECK_INT(after.history[after.n_history - 2].status, ST_DONE_RECURRING);
    CHECK_INT(after.history[after.n_history - 1].status, ST_IN_PROGRESS);
    CHECK_STR(after.history[after.n_history - 1].recorded_by, "test");
    CHECK(after.history[after.n_history - 1].recorded_at[0] != '\0');
    /* The yearly counts follow the latest row. */
    CHECK_INT(count((struct action_filter){.year = 2023, .status = "in_progress"}), 22);
    CHECK_INT(count((struct action_filter){.year = 2023, .status = "done_recurring"}), 7);
    /* The other years are untouched. */
    CHECK_INT(count((struct action_filter){.year = 2022, .status = "done_recurring"}), 9);

    /* Recording the same thing again adds nothing. */
    CHECK(action_record_status(db, id, 2023, ST_IN_PROGRESS, "En cours", "(-) bus en panne", "",
                               "someone else", &added) == ERR_OK);
    CHECK(!added);
    CHECK(action_get(db, &a, id, 2023, &after) == ERR_OK);
    CHECK_INT(after.n_history, before.n_history + 1);
    /* Same status, other remarks: a new row. */
    CHECK(action_record_status(db, id, 2023, ST_IN_PROGRESS, NULL, "(+) bus réparé", NULL, NULL,
                               &added) == ERR_OK);
    CHECK(added);
    CHECK(action_get(db, &a, id, 2023, &after) == ERR_OK);
    CHECK_INT(after.n_history, before.n_history + 2);
    /* Going back to the first status is a change too, recorded as one more row. */
    CHECK(action_record_status(db, id, 2023, ST_DONE_RECURRING, NULL, "", "", NULL, &added) ==
          ERR_OK);
    CHECK(added);
    CHECK_INT(count((struct action_filter){.year = 2023, .status = "done_recurring"}), 8);
    /* A new year. */
    CHECK(action_record_status(db, id, 2024, ST_DONE_CLOSED, "Réalisé et clos", "", "", "test",
                               &added) == ERR_OK);
    CHECK(added);
    CHECK_INT(count((struct action_filter){.year = 2024, .status = "done_closed"}), 1);
    CHECK_INT(count((struct action_filter){.year = 2024, .status = "none"}), 75);
    CHECK(action_get(db, &a, id, 0, &after) == ERR_OK);
    CHECK_INT(after.status, ST_DONE_CLOSED); /* year 0: the latest year */
    CHECK_INT(after.n_history, before.n_history + 4);
    arena_free(&a);
}

static void test_status_words(void)
{
    CHECK_STR(status_key(ST_DONE_RECURRING), "done_recurring");
    CHECK(status_key(ST_NONE) == NULL);
    CHECK_STR(status_label(ST_DONE_CLOSED), "Réalisée et close");
    CHECK_STR(status_label(ST_REFLECTION), "Réflexion engagée");
    CHECK_STR(status_label(ST_NONE), "Sans état");
    CHECK_INT(status_from_key("abandoned"), ST_ABANDONED);
    CHECK_INT(status_from_key("Abandoned"), ST_NONE);
    CHECK_INT(status_parse("Réalisé"), ST_DONE);
    CHECK_INT(status_parse("REALISE"), ST_DONE);
    CHECK_INT(status_parse("en cours"), ST_IN_PROGRESS);
    CHECK_INT(status_parse("Engagée"), ST_REFLECTION);
    CHECK_INT(status_parse("Non réalisé"), ST_NOT_STARTED);
    CHECK_INT(status_parse("Non Commencé"), ST_NOT_STARTED);
    CHECK_INT(status_parse("Abandonnée"), ST_ABANDONED);
    CHECK_INT(status_parse("not_started"), ST_NOT_STARTED);
    CHECK_INT(status_parse("peut-être"), ST_NONE);
    CHECK_INT(status_parse(NULL), ST_NONE);
    CHECK(status_is_done(ST_DONE) && status_is_done(ST_DONE_CLOSED) &&
          status_is_done(ST_DONE_RECURRING));
    CHECK(!status_is_done(ST_IN_PROGRESS) && !status_is_done(ST_NONE));
}

static long long outbox_rows(struct store *s)
{
    struct stmt *st = store_prepare(s, "SELECT count(*) FROM outbox");
    long long n = stmt_step(st) == 1 ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return n;
}

/* The outbox: due times, the lease of a claimed message, the doubling retry delay, giving up,
 * and a sent message losing its body. */
static void test_outbox(void)
{
    struct arena a = {0};
    struct outbox_mail m = {.kind = "reset", .to = "paul@exemple.fr", .subject = "Sujet",
                            .body = "lien secret"}, got;
    long long id = 0, now = 1000000;
    int pending = -1;
    CHECK(outbox_add(db, &m, now, &id) == ERR_OK);
    CHECK(id > 0);
    CHECK_INT(outbox_next_due(db), now);
    CHECK_INT(outbox_claim(db, &a, now - 1, &got), ERR_NOTFOUND);
    CHECK(outbox_claim(db, &a, now, &got) == ERR_OK);
    CHECK_INT(got.id, id);
    CHECK_INT(got.attempts, 1);
    CHECK_STR(got.body, "lien secret");
    CHECK(got.attachment_name == NULL);
    /* Claimed: no second sender gets it while it is being sent. */
    CHECK_INT(outbox_claim(db, &a, now, &got), ERR_NOTFOUND);
    long long delay = OUTBOX_FIRST_RETRY_S;
    for (int attempt = 1; attempt < OUTBOX_MAX_ATTEMPTS; attempt++) {
        CHECK(outbox_mark_failed(db, id, now, "SMTP: connexion refusée") == ERR_OK);
        CHECK_INT(outbox_next_due(db), now + delay);
        CHECK_INT(outbox_claim(db, &a, now + delay - 1, &got), ERR_NOTFOUND);
        now += delay;
        CHECK(outbox_claim(db, &a, now, &got) == ERR_OK);
        CHECK_INT(got.attempts, attempt + 1);
        delay = delay * 2 > OUTBOX_MAX_RETRY_S ? OUTBOX_MAX_RETRY_S : delay * 2;
    }
    CHECK(outbox_mark_failed(db, id, now, "encore") == ERR_OK); /* the last one: given up */
    CHECK(outbox_pending(db, &pending) == ERR_OK);
    CHECK_INT(pending, 0);
    CHECK_INT(outbox_next_due(db), 0);
    CHECK_INT(outbox_claim(db, &a, now + 100000, &got), ERR_NOTFOUND);

    m.attachment_name = "invitation.ics";
    m.attachment_type = "text/calendar; method=REQUEST";
    m.attachment = "BEGIN:VCALENDAR";
    CHECK(outbox_add(db, &m, now, &id) == ERR_OK);
    CHECK(outbox_claim(db, &a, now, &got) == ERR_OK);
    CHECK_STR(got.attachment_name, "invitation.ics");
    CHECK_STR(got.attachment, "BEGIN:VCALENDAR");
    CHECK(outbox_mark_sent(db, id, now) == ERR_OK);
    struct stmt *st = store_prepare(db, "SELECT body, attachment IS NULL, sent_at FROM outbox "
                                        "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    CHECK(stmt_step(st) == 1);
    CHECK_STR(stmt_text(st, 0, &a), "");
    CHECK_INT(stmt_int(st, 1), 1);
    CHECK_INT(stmt_int(st, 2), now);
    stmt_done(st);
    CHECK(outbox_pending(db, &pending) == ERR_OK);
    CHECK_INT(pending, 0);
    /* Finished messages are forgotten after a while; a pending one never is. */
    CHECK(outbox_add(db, &m, now, &id) == ERR_OK);
    CHECK(outbox_purge(db, now + 1) == ERR_OK);
    CHECK_INT(outbox_rows(db), 1);
    arena_free(&a);
}

/* Lists longer than any fixed size: the signatories and the organisations of an action were
 * read into 64 slots and the 65th and later silently dropped. Rolled back at the end. */
static void test_long_lists(void)
{
    struct arena a = {0};
    CHECK(store_begin(db) == ERR_OK);
    enum { MANY = 70 };
    struct action x;
    long long action_id = 0;
    struct stmt *st = store_prepare(db, "SELECT min(id) FROM action WHERE contract_id = ?1");
    stmt_bind_int(st, 1, contract_id);
    if (stmt_step(st) == 1)
        action_id = stmt_int(st, 0);
    stmt_done(st);
    CHECK(action_get(db, &a, action_id, 0, &x) == ERR_OK);
    int orgs_before = x.n_orgs;
    int fails = 0;
    for (int i = 0; i < MANY; i++) {
        char name[64];
        snprintf(name, sizeof name, "Partenaire de test %d", i);
        st = store_prepare(db, "INSERT INTO signatory (contract_id, institution, position) "
                               "VALUES (?1, ?2, 1000 + ?3)");
        stmt_bind_int(st, 1, contract_id);
        stmt_bind_text(st, 2, name);
        stmt_bind_int(st, 3, i);
        fails += stmt_exec(st) != ERR_OK;
        st = store_prepare(db, "INSERT INTO organisation (name) VALUES (?1)");
        stmt_bind_text(st, 1, name);
        fails += stmt_exec(st) != ERR_OK;
        st = store_prepare(db, "INSERT INTO action_organisation (action_id, organisation_id, "
                               "role, position) VALUES (?1, ?2, 'partner', 1000 + ?3)");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_int(st, 2, store_last_id(db));
        stmt_bind_int(st, 3, i);
        fails += stmt_exec(st) != ERR_OK;
    }
    CHECK_INT(fails, 0);
    struct signatory *sig;
    int n = 0;
    CHECK(contract_signatories(db, &a, contract_id, &sig, &n) == ERR_OK);
    CHECK_INT(n, 7 + MANY);
    if (n == 7 + MANY)
        CHECK_STR(sig[n - 1].institution, "Partenaire de test 69");
    CHECK(action_get(db, &a, action_id, 0, &x) == ERR_OK);
    CHECK_INT(x.n_orgs, orgs_before + MANY);
    if (x.n_orgs == orgs_before + MANY)
        CHECK_STR(x.orgs[x.n_orgs - 1].name, "Partenaire de test 69");
    store_rollback(db);
    arena_free(&a);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/model.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_model: %s\n", err);
        return 1;
    }
    const char *data = getenv("BOUSSOLE_DATA");
    char demo[1024];
    snprintf(demo, sizeof demo, "%s/demo", data ? data : BOUSSOLE_DATADIR);
    bool loaded = false;
    CHECK(demo_load(db, demo, &loaded) == ERR_OK);
    CHECK(loaded);
    if (!loaded) {
        fprintf(stderr, "test_model: the demo did not load from %s\n", demo);
    } else {
        test_load();
        test_tree();
        test_counts();
        test_filters();
        test_sorting();
        test_action_detail();
        test_record_status();
        test_status_words();
        test_outbox();
        test_long_lists();
    }
    store_close(db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_model");
}
