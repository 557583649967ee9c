/* test_region.c — unit tests of model/region: for every contract of a region, the figures read
 * in one batch equal those of the per-contract functions each contract's pages call
 * (action_status_grid + figures_count, final_report_load's indicators, governance_summary,
 * campaign_rate), with and without filters; with a cache, a write of each kind to one contract
 * has that contract alone read again, with the figures of a load without cache; governance_span
 * and indicator_reached's rules; a department of another region is refused; an officer's
 * account reads one region. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli/demo/synthetic.h"
#include "model/core/access.h"
#include "model/evaluation/final_report.h"
#include "model/governance/governance.h"
#include "model/region/region.h"
#include "model/report/campaign.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-region-XXXXXX";
enum { THIS_YEAR = 2026 };

/* One contract's figures through the functions its own pages use. */
static void check_contract(struct store *db, const struct region_contract *c)
{
    struct arena a = {0};
    struct action_brief *xs;
    int years[REGION_MAX_YEARS], n_years, n;
    CHECK(action_status_grid(db, &a, c->id, years, REGION_MAX_YEARS, &n_years, &xs, &n) == ERR_OK);
    CHECK_INT(c->counts.n_years, n_years);
    for (int y = 0; y < n_years && y < c->counts.n_years; y++) {
        struct year_figures f;
        figures_count(xs, n, years, n_years, years[y], &f);
        CHECK_INT(c->counts.years[y], years[y]);
        CHECK(memcmp(&f, &c->counts.figures[y], sizeof f) == 0);
    }
    struct final_report r;
    CHECK(final_report_load(db, &a, c->id, "2026-06-01", &r) == ERR_OK);
    int with_target = 0, reached = 0, unmeasured = 0;
    for (int i = 0; i < r.n_indicators; i++) {
        with_target += r.indicators[i].ind->has_target;
        reached += r.indicators[i].reached == 1;
        unmeasured += r.indicators[i].ind->has_target && !r.indicators[i].has_value;
    }
    CHECK_INT(c->counts.indicators, r.n_indicators);
    CHECK_INT(c->counts.with_target, with_target);
    CHECK_INT(c->counts.reached, reached);
    CHECK_INT(c->counts.unmeasured, unmeasured);
    CHECK_INT(c->counts.gov_required, r.gov.required);
    CHECK_INT(c->counts.gov_held, r.gov.held);
    CHECK_INT(c->counts.gov_first, r.gov.first_year);
    CHECK_INT(c->counts.bodies, r.n_bodies);
    struct campaign *list;
    int nc;
    CHECK(campaign_list(db, &a, c->id, &list, &nc) == ERR_OK);
    CHECK_INT(c->counts.campaign_id, nc ? list[0].id : 0);
    if (nc) {
        struct campaign_rate rate;
        CHECK(campaign_rate(db, &a, list[0].id, &rate) == ERR_OK);
        CHECK_INT(c->counts.campaign_total, rate.overall.total);
        CHECK_INT(c->counts.campaign_answered, rate.overall.answered);
        CHECK(c->counts.campaign_answered > 0 &&
              c->counts.campaign_answered <= c->counts.campaign_total);
    }
    arena_free(&a);
}

static void test_batch_equals_each_contract(struct store *db)
{
    struct arena a = {0};
    struct region_summary s;
    struct region_filter f = {.region = 44, .department = ""};
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &s) == ERR_OK);
    CHECK_INT(s.n, 12);
    CHECK_STR(s.region.name, "Grand Est");
    CHECK_INT(s.n_departments, 10);
    CHECK_INT(s.n_generations, 2);
    for (int i = 0; i < s.n; i++)
        check_contract(db, &s.contracts[i]);
    /* Filters: one department (contracts 1 and 11), one generation (11 and 12). */
    f.department = "08";
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &s) == ERR_OK);
    CHECK_INT(s.n, 2);
    for (int i = 0; i < s.n; i++) {
        CHECK_STR(s.contracts[i].department, "08");
        check_contract(db, &s.contracts[i]);
    }
    f.department = "";
    f.generation = 2;
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &s) == ERR_OK);
    CHECK_INT(s.n, 2);
    for (int i = 0; i < s.n; i++)
        CHECK_INT(s.contracts[i].generation, 2);
    /* A department of another region, an unknown region. */
    f = (struct region_filter){.region = 44, .department = "75"};
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &s) == ERR_INVALID);
    f = (struct region_filter){.region = 99, .department = ""};
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &s) == ERR_NOTFOUND);
    struct region *list;
    int n;
    CHECK(region_list(db, &a, 0, &list, &n) == ERR_OK);
    CHECK_INT(n, 18);
    CHECK(region_list(db, &a, 44, &list, &n) == ERR_OK);
    CHECK_INT(n, 1);
    CHECK_INT(list[0].contracts, 12);
    arena_free(&a);
}

/* The figures of two loads of the same contracts are the same, byte for byte. */
static void check_same(const struct region_summary *x, const struct region_summary *y)
{
    CHECK_INT(x->n, y->n);
    for (int i = 0; i < x->n && i < y->n; i++) {
        CHECK_INT(x->contracts[i].id, y->contracts[i].id);
        const struct region_counts *p = &x->contracts[i].counts, *q = &y->contracts[i].counts;
        CHECK(memcmp(p, q, offsetof(struct region_counts, years)) == 0);
        CHECK(memcmp(p->years, q->years, sizeof *p->years * (size_t)p->n_years) == 0);
        CHECK(memcmp(p->figures, q->figures, sizeof *p->figures * (size_t)p->n_years) == 0);
    }
}

static void exec_sql(struct store *db, const char *sql, long long contract_id)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, contract_id);
    CHECK(stmt_exec(st) == ERR_OK);
}

/* Writes of every kind the figures are read from, each to contract ?1 as another program
 * would make them (the triggers of migration 021 see them all). */
static const char *const writes[] = {
    "INSERT INTO action_status (action_id, year, status, recorded_at) SELECT min(id), 2024, "
    "'abandoned', '2026-01-01' FROM action WHERE contract_id = ?1",
    "UPDATE action_status SET status = 'done' WHERE id = (SELECT max(s.id) FROM action_status s "
    "JOIN action a ON a.id = s.action_id WHERE a.contract_id = ?1)",
    "DELETE FROM action_status WHERE id = (SELECT max(s.id) FROM action_status s JOIN action a "
    "ON a.id = s.action_id WHERE a.contract_id = ?1)",
    "UPDATE action SET archived = 1 WHERE id = (SELECT max(id) FROM action WHERE contract_id = "
    "?1)",
    "INSERT INTO indicator_value (indicator_id, period, value, recorded_at) SELECT min(id), "
    "'2030', 1000000, '2026-01-01' FROM indicator WHERE contract_id = ?1",
    "UPDATE indicator_value SET value = 0 WHERE period = '2030' AND indicator_id IN (SELECT id "
    "FROM indicator WHERE contract_id = ?1)",
    "UPDATE indicator SET target = NULL WHERE id = (SELECT max(id) FROM indicator WHERE "
    "contract_id = ?1)",
    "UPDATE objective SET archived = 1 WHERE id = (SELECT max(id) FROM objective WHERE "
    "contract_id = ?1)",
    "UPDATE body SET min_per_year = min_per_year + 2 WHERE id = (SELECT min(id) FROM body WHERE "
    "contract_id = ?1)",
    "UPDATE meeting SET status = 'cancelled' WHERE id = (SELECT min(id) FROM meeting WHERE "
    "contract_id = ?1 AND status = 'held')",
    "DELETE FROM meeting WHERE id = (SELECT max(id) FROM meeting WHERE contract_id = ?1)",
    "UPDATE campaign SET state = 'closed', close_mark = (SELECT max(id) FROM action_status) "
    "WHERE contract_id = ?1",
    "INSERT INTO campaign_entry (campaign_id, link_id, action_id, at) SELECT l.campaign_id, "
    "l.id, (SELECT min(id) FROM action WHERE contract_id = ?1 AND archived = 0), 1767225600 "
    "FROM "
    "campaign_link l JOIN campaign c ON c.id = l.campaign_id WHERE c.contract_id = ?1",
    "UPDATE contract SET end_year = end_year + 3 WHERE id = ?1",
};

static void test_cache_reads_only_what_changed(struct store *db)
{
    struct region_cache *cache = region_cache_new();
    struct arena a = {0};
    struct region_summary s, fresh;
    struct region_filter f = {.region = 44, .department = ""};
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, cache, &s) == ERR_OK);
    CHECK_INT(s.recounted, s.n);
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, cache, &s) == ERR_OK);
    CHECK_INT(s.recounted, 0);
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &fresh) == ERR_OK);
    check_same(&s, &fresh);
    long long cid = s.contracts[3].id;
    /* A referent and a link of the contract's campaign, for the answer through a link below:
     * neither is read by the figures, so neither moves the revision. */
    exec_sql(db,
             "INSERT INTO person (contract_id, name, organisation_id, created_at) SELECT ?1, "
             "'Référente', min(id), '2026-01-01' FROM organisation",
             cid);
    exec_sql(db,
             "INSERT INTO campaign_link (campaign_id, person_id, organisation_id) SELECT c.id, "
             "(SELECT max(id) FROM person), (SELECT min(id) FROM organisation) FROM campaign c "
             "WHERE c.contract_id = ?1",
             cid);
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, cache, &s) == ERR_OK);
    CHECK_INT(s.recounted, 0);
    for (size_t w = 0; w < sizeof writes / sizeof *writes; w++) {
        exec_sql(db, writes[w], cid);
        CHECK(store_changes(db) > 0);
        CHECK(region_summary_load(db, &a, &f, THIS_YEAR, cache, &s) == ERR_OK);
        CHECK_INT(s.recounted, 1);
        CHECK(region_summary_load(db, &a, &f, THIS_YEAR, NULL, &fresh) == ERR_OK);
        check_same(&s, &fresh);
        for (int i = 0; i < s.n; i++)
            if (s.contracts[i].id == cid)
                check_contract(db, &s.contracts[i]);
        if (s.recounted != 1)
            fprintf(stderr, "write %zu: %d contracts read again\n", w, s.recounted);
    }
    /* A write to a row the figures do not read moves no revision. */
    exec_sql(db, "UPDATE person SET phone = '03 83 00 00 00' WHERE contract_id = ?1", cid);
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR, cache, &s) == ERR_OK);
    CHECK_INT(s.recounted, 0);
    /* A new year: governance counts up to it, so every contract is read again. */
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR + 1, cache, &s) == ERR_OK);
    CHECK_INT(s.recounted, s.n);
    CHECK(region_summary_load(db, &a, &f, THIS_YEAR + 1, NULL, &fresh) == ERR_OK);
    check_same(&s, &fresh);
    region_cache_free(cache);
    arena_free(&a);
}

static void test_rules(void)
{
    int first, last;
    governance_span(2019, 2023, 0, 0, 2026, &first, &last);
    CHECK(first == 2019 && last == 2023);
    governance_span(2019, 2030, 0, 0, 2026, &first, &last); /* up to this year */
    CHECK(first == 2019 && last == 2026);
    governance_span(0, 2023, 2020, 2021, 2026, &first, &last); /* meetings give the start */
    CHECK(first == 2020 && last == 2023);
    governance_span(0, 0, 0, 0, 2026, &first, &last);
    CHECK(first == 0 && last == 0);
    governance_span(2027, 2030, 0, 0, 2026, &first, &last); /* not begun */
    CHECK(first == 0 && last == 0);
    struct indicator up = {.has_target = true, .target = 10}, down = up;
    down.has_baseline = true;
    down.baseline = 30;
    CHECK(indicator_reached(&up, 10) && !indicator_reached(&up, 9));
    CHECK(indicator_reached(&down, 8) && !indicator_reached(&down, 11));
    struct indicator none = {0};
    CHECK(!indicator_reached(&none, 100));
}

static void test_officer_account(struct store *db)
{
    long long id = 0, region = 0;
    CHECK(region_account_create(db, "ars@exemple.fr", "Agent", "", "2026-01-01T00:00:00Z", 44,
                                &id) == ERR_OK);
    CHECK(scope_account_region(db, id, &region) == ERR_OK);
    CHECK_INT(region, 44);
    CHECK(region_account_create(db, "ars@exemple.fr", "Agent", "", "2026-01-01T00:00:00Z", 44,
                                &id) == ERR_CONFLICT);
    CHECK(region_account_create(db, "autre@exemple.fr", "Agent", "", "2026-01-01T00:00:00Z", 99,
                                &id) == ERR_INVALID);
    CHECK(region_set_account(db, id, 0) == ERR_OK);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/region.db", dir);
    struct store *db = NULL;
    int created = 0;
    CHECK(store_open(path, &db, err, sizeof err) == ERR_OK);
    if (db) {
        CHECK(synthetic_load(db, 12, false, &created) == ERR_OK);
        test_batch_equals_each_contract(db);
        test_officer_account(db);
        test_cache_reads_only_what_changed(db);
        store_close(db);
    }
    test_rules();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_region");
}
