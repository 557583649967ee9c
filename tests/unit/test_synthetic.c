/* test_synthetic.c — unit tests of the scale data generator (boussole demo --synthetic N): the
 * counts it promises (contracts, the demo-shaped tree, 80 actions, 5 yearly statuses each), a mix
 * of statuses and carriers, a shared directory, and the same data for contract K whatever N. */
#include <stdlib.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/demo/synthetic.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-synthetic-XXXXXX";

static struct store *open_db(const char *name)
{
    char path[256], err[256];
    struct store *db = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (store_open(path, &db, err, sizeof err) != ERR_OK)
        fprintf(stderr, "test_synthetic: %s\n", err);
    return db;
}

/* The tree of one contract: 1 general, 2 strategic, 7 specific, 23 operational objectives, each
 * below an objective of the level above. */
static void check_tree(struct store *db, long long contract_id)
{
    struct arena a = {0};
    struct objective *o;
    int n = 0, per_level[4] = {0};
    CHECK(objective_list(db, &a, contract_id, &o, &n) == ERR_OK);
    CHECK_INT(n, SYNTH_OBJECTIVES);
    for (int i = 0; i < n; i++) {
        per_level[o[i].level]++;
        int parent = objective_index(o, n, o[i].parent_id);
        if (o[i].level == OBJ_GENERAL)
            CHECK(o[i].parent_id == 0);
        else
            CHECK(parent >= 0 && o[parent].level == o[i].level - 1);
    }
    CHECK_INT(per_level[OBJ_GENERAL], 1);
    CHECK_INT(per_level[OBJ_STRATEGIC], 2);
    CHECK_INT(per_level[OBJ_SPECIFIC], SYNTH_SPECIFIC);
    CHECK_INT(per_level[OBJ_OPERATIONAL], 23);
    arena_free(&a);
}

/* 80 actions, each with one status in each of the first 4 years and, in the last, 55 to 100 %
 * of them (the answers to that year's campaign); *no_carrier gets how many have no lead carrier
 * and seen[s] is set for each status met in the last year. */
static void check_actions(struct store *db, long long contract_id, int *no_carrier, bool *seen)
{
    int n = 0, years[8], counts[8][ST_COUNT], n_years = 0;
    CHECK(action_count(db, contract_id, &n) == ERR_OK);
    CHECK_INT(n, SYNTH_ACTIONS);
    CHECK(action_status_counts(db, contract_id, years, counts, 8, &n_years) == ERR_OK);
    CHECK_INT(n_years, SYNTH_YEARS);
    int rows = 0;
    for (int y = 0; y < n_years; y++) {
        CHECK_INT(years[y], SYNTH_FIRST_YEAR + y);
        int in_year = 0;
        for (int s = 0; s < ST_COUNT; s++) {
            in_year += counts[y][s];
            if (y == n_years - 1 && counts[y][s])
                seen[s] = true;
        }
        if (y < n_years - 1)
            CHECK_INT(in_year, SYNTH_ACTIONS);
        else
            CHECK(in_year >= SYNTH_ACTIONS * 50 / 100 && in_year <= SYNTH_ACTIONS);
        rows += in_year;
    }
    CHECK(rows > SYNTH_ACTIONS * (SYNTH_YEARS - 1) && rows <= SYNTH_ACTIONS * SYNTH_YEARS);
    struct arena a = {0};
    struct action *x;
    struct action_filter f = {.contract_id = contract_id, .no_carrier = true};
    CHECK(action_list(db, &a, &f, &x, no_carrier) == ERR_OK);
    arena_free(&a);
}

/* Titles of a contract's actions in order, joined, for comparing two databases. */
static char *titles(struct store *db, long long contract_id)
{
    struct arena a = {0};
    struct action *x;
    int n = 0;
    struct buf b = {0};
    struct action_filter f = {.contract_id = contract_id, .year = SYNTH_FIRST_YEAR + 2};
    if (action_list(db, &a, &f, &x, &n) == ERR_OK)
        for (int i = 0; i < n; i++)
            buf_printf(&b, "%s|%s|%s|%d\n", x[i].code, x[i].title, x[i].carrier_name,
                       (int)x[i].status);
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    arena_free(&a);
    return s;
}

static void test_three(void)
{
    struct store *db = open_db("three.db");
    if (!db) {
        CHECK(db != NULL);
        return;
    }
    int created = -1;
    CHECK(synthetic_load(db, 3, false, &created) == ERR_OK);
    CHECK_INT(created, 3);

    struct arena a = {0};
    struct contract *c;
    int n = 0;
    CHECK(contract_list(db, &a, &c, &n) == ERR_OK);
    CHECK_INT(n, 3);
    int no_carrier = 0, total_no_carrier = 0;
    bool seen[ST_COUNT] = {0};
    for (int i = 0; i < n; i++) {
        char want[64];
        snprintf(want, sizeof want, "Territoire synthétique %d", i + 1);
        CHECK_STR(c[i].territory.name, want);
        check_tree(db, c[i].id);
        check_actions(db, c[i].id, &no_carrier, seen);
        CHECK(no_carrier > 0 && no_carrier < SYNTH_ACTIONS / 2);
        total_no_carrier += no_carrier;
    }
    int kinds = 0;
    for (int s = 0; s < ST_COUNT; s++)
        kinds += seen[s];
    CHECK(kinds >= 4); /* a mix of statuses, not one repeated */
    CHECK(total_no_carrier > 0);

    /* One directory for every contract: contracts 1 and 2 share carriers. */
    struct organisation *o1, *o2;
    int n1 = 0, n2 = 0, shared = 0;
    CHECK(organisation_carriers(db, &a, c[0].id, &o1, &n1) == ERR_OK);
    CHECK(organisation_carriers(db, &a, c[1].id, &o2, &n2) == ERR_OK);
    for (int i = 0; i < n1; i++)
        for (int j = 0; j < n2; j++)
            shared += o1[i].id == o2[j].id;
    CHECK(shared > 0);

    /* Loading again keeps what is there; a larger N adds only the missing contracts. */
    CHECK(synthetic_load(db, 3, false, &created) == ERR_OK);
    CHECK_INT(created, 0);
    CHECK(synthetic_load(db, 4, false, &created) == ERR_OK);
    CHECK_INT(created, 1);
    CHECK(contract_list(db, &a, &c, &n) == ERR_OK);
    CHECK_INT(n, 4);
    long long org;
    CHECK(organisation_find_slug(db, "synthetique-org-1", &org) == ERR_OK);

    /* Contract 1 is the same in a database made with N = 1. */
    struct store *one = open_db("one.db");
    long long id1 = 0, id3 = 0;
    CHECK(one != NULL);
    if (one) {
        CHECK(synthetic_load(one, 1, false, &created) == ERR_OK);
        CHECK(contract_find_slug(one, "synthetique-1", &id1) == ERR_OK);
        CHECK(contract_find_slug(db, "synthetique-1", &id3) == ERR_OK);
        char *t1 = titles(one, id1), *t3 = titles(db, id3);
        CHECK(strlen(t1) > 1000);
        CHECK_STR(t1, t3);
        free(t1);
        free(t3);
        store_close(one);
    }
    arena_free(&a);
    store_close(db);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_three();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_synthetic");
}
