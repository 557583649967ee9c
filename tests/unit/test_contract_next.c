/* test_contract_next.c — the next contract model on a small contract built here: the tree copied,
 * only the kept actions copied (with the same organisations, sheet lists and indicator
 * definitions, never statuses nor values), the links back both ways, recommendations carried
 * as an objective and an action, a stale plan and a second creation refused with nothing
 * changed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "model/evaluation/contract_next.h"
#include "store/db.h"

static struct store *db;

static void exec(const char *sql)
{
    CHECK(stmt_exec(store_prepare(db, sql)) == ERR_OK);
}

static long long one(const char *sql, long long param)
{
    struct stmt *st = store_prepare(db, sql);
    if (param)
        stmt_bind_int(st, 1, param);
    long long n = -1;
    if (stmt_step(st) == 1) {
        n = stmt_int(st, 0);
        stmt_done(st);
    }
    return n;
}

/* Contract 1 (generation 2): axis 1 > specific 2 > operational 3; actions 1 (kept), 2
 * (modified), 3 (dropped), 4 (archived); action 1 has a carrier, a partner, a sheet choice, an
 * indicator with a value and two statuses; two recommendations. */
static void fixture(void)
{
    exec("INSERT INTO territory (id, name) VALUES (1, 'Pays test')");
    exec("INSERT INTO contract (id, territory_id, generation, title, start_year, end_year, "
         "created_at) VALUES (1, 1, 2, 'CLS 2 test', 2019, 2023, 'x')");
    exec("INSERT INTO objective (id, contract_id, parent_id, level, code, title, position) VALUES "
         "(1, 1, NULL, 'strategic', 'Axe 1', 'Prévenir', 1), (2, 1, 1, 'specific', '1', "
         "'Informer', 2), (3, 1, 2, 'operational', '1.1', 'Sensibiliser', 3)");
    exec("INSERT INTO organisation (id, name) VALUES (1, 'Mairie'), (2, 'Association')");
    exec("INSERT INTO action (id, contract_id, objective_id, kind, code, title, position, "
         "created_at, sheet_state) VALUES (1, 1, 3, 'sheet', '1.1.1', 'Forum santé', 1, 'x', "
         "'validated'), (2, 1, 3, 'sheet', '1.1.2', 'Affiches', 2, 'x', 'validated'), (3, 1, 3, "
         "'lead', '', 'Piste', 3, 'x', 'draft'), (4, 1, 3, 'lead', '', 'Archivée', 4, 'x', "
         "'draft')");
    exec("UPDATE action SET archived = 1 WHERE id = 4");
    exec("INSERT INTO action_organisation (action_id, organisation_id, role) VALUES "
         "(1, 1, 'carrier'), (1, 2, 'partner'), (2, 2, 'carrier')");
    exec("INSERT INTO action_choice (action_id, list, choice) VALUES (1, 'age_bands', 'adults')");
    exec("INSERT INTO indicator (id, contract_id, action_id, name, kind, target, created_at) "
         "VALUES (1, 1, 1, 'Participants', 'result', 100, 'x')");
    exec("INSERT INTO indicator_value (indicator_id, period, value, recorded_at) VALUES "
         "(1, '2022', 80, 'x')");
    exec("INSERT INTO action_status (action_id, year, status, recorded_at) VALUES "
         "(1, 2022, 'in_progress', 'x'), (1, 2023, 'done_recurring', 'x'), "
         "(3, 2023, 'abandoned', 'x')");
    exec("INSERT INTO recommendation (id, contract_id, number, title) VALUES "
         "(1, 1, 1, 'Animer le réseau'), (2, 1, 2, 'Créer un annuaire'), (3, 1, 3, 'Mesurer')");
}

static void test_next(void)
{
    struct arena a = {0};
    struct actor who = {0, "Test"};
    long long actions[] = {1, 2, 3};
    enum next_choice choices[] = {NEXT_RECONDUCT, NEXT_MODIFY, NEXT_DROP};
    long long recs[] = {1, 2, 3}, under[] = {1, 3, 3};
    enum next_carry carries[] = {CARRY_OBJECTIVE, CARRY_ACTION, CARRY_OBJECTIVE};
    struct next_plan plan = {.title = "CLS 3 test",
                             .start_year = 2024,
                             .end_year = 2028,
                             .action_ids = actions,
                             .choices = choices,
                             .n_actions = 2, /* stale: action 3 has no choice */
                             .rec_ids = recs,
                             .carries = carries,
                             .carry_under = under,
                             .n_recs = 3};
    struct problems p = {0};
    long long id = 0;
    long long contracts = one("SELECT count(*) FROM contract", 0);
    /* Action 3's title is long and accented: the message quotes it shortened by characters. */
    char title[700] = "x"; /* an odd byte count: a cut by bytes would split a character */
    for (int i = 0; i < 300; i++)
        strcat(title, "é");
    struct stmt *st = store_prepare(db, "UPDATE action SET title = ?1 WHERE id = 3");
    stmt_bind_text(st, 1, title);
    CHECK(stmt_exec(st) == ERR_OK);
    CHECK(next_contract_create(db, &a, &who, 1, &plan, &p, &id) == ERR_INVALID);
    CHECK(p.n == 1 && strcmp(p.field[0], "action-3") == 0);
    CHECK(p.n == 1 && utf8_valid(p.message[0], strlen(p.message[0])) &&
          strstr(p.message[0], "éé… » : choisissez reconduite"));
    CHECK(one("SELECT count(*) FROM contract", 0) == contracts);
    CHECK(one("SELECT count(*) FROM objective", 0) == 3);

    /* An action carried with no objective is refused too. */
    plan.n_actions = 3;
    under[1] = 0;
    memset(&p, 0, sizeof p);
    CHECK(next_contract_create(db, &a, &who, 1, &plan, &p, &id) == ERR_INVALID);
    CHECK(p.n == 1 && strcmp(p.field[0], "rec-2") == 0);
    under[1] = 3;

    memset(&p, 0, sizeof p);
    CHECK(next_contract_create(db, &a, &who, 1, &plan, &p, &id) == ERR_OK);
    CHECK(id > 1);
    CHECK(one("SELECT previous_id FROM contract WHERE id = ?1", id) == 1);
    CHECK(one("SELECT generation FROM contract WHERE id = ?1", id) == 3);
    /* The tree (3 objectives) and the carried objectives: under the axis, a specific one; "under"
     * an operational one, its sibling. */
    CHECK(one("SELECT count(*) FROM objective WHERE contract_id = ?1", id) == 5);
    long long sibling = one("SELECT objective_id FROM recommendation_carry WHERE "
                            "recommendation_id = 3",
                            0);
    CHECK(one("SELECT count(*) FROM objective o JOIN objective p ON p.id = o.parent_id WHERE "
              "o.id = ?1 AND o.level = 'operational' AND p.level = 'specific'",
              sibling) == 1);
    CHECK(one("SELECT count(*) FROM objective o JOIN objective p ON p.id = o.parent_id WHERE "
              "o.contract_id = ?1 AND o.level = 'operational' AND p.level = 'specific' AND "
              "p.contract_id = o.contract_id",
              id) == 2);
    long long carried_obj = one("SELECT objective_id FROM recommendation_carry WHERE "
                                "recommendation_id = 1",
                                0);
    CHECK(one("SELECT count(*) FROM objective o JOIN objective p ON p.id = o.parent_id WHERE "
              "o.id = ?1 AND o.level = 'specific' AND p.code = 'Axe 1'",
              carried_obj) == 1);
    /* Kept actions 1 and 2 plus the carried one; not 3 (dropped) nor 4 (archived). */
    CHECK(one("SELECT count(*) FROM action WHERE contract_id = ?1", id) == 3);
    long long new1 = one("SELECT action_id FROM action_origin WHERE origin_action_id = 1", 0);
    long long new2 = one("SELECT action_id FROM action_origin WHERE origin_action_id = 2", 0);
    CHECK(new1 > 0 && new2 > 0);
    CHECK(one("SELECT count(*) FROM action_origin WHERE origin_action_id IN (3, 4)", 0) == 0);
    CHECK(one("SELECT count(*) FROM action_origin WHERE origin_action_id = 2 AND kind = "
              "'modified'",
              0) == 1);
    CHECK(one("SELECT count(*) FROM action WHERE id = ?1 AND sheet_state = 'draft'", new2) == 1);
    CHECK(one("SELECT count(*) FROM action WHERE id = ?1 AND sheet_state = 'validated'", new1) ==
          1);
    /* Same organisations (linked, not copied), sheet choices and indicator definitions. */
    CHECK(one("SELECT count(*) FROM organisation", 0) == 2);
    CHECK(one("SELECT count(*) FROM action_organisation WHERE action_id = ?1", new1) == 2);
    CHECK(one("SELECT count(*) FROM action_choice WHERE action_id = ?1", new1) == 1);
    long long ind = one("SELECT id FROM indicator WHERE action_id = ?1", new1);
    CHECK(ind > 0);
    CHECK(one("SELECT contract_id FROM indicator WHERE id = ?1", ind) == id);
    CHECK(one("SELECT count(*) FROM indicator_value WHERE indicator_id = ?1", ind) == 0);
    /* Statuses stay with the old contract. */
    CHECK(one("SELECT count(*) FROM action_status s JOIN action x ON x.id = s.action_id WHERE "
              "x.contract_id = ?1",
              id) == 0);
    CHECK(one("SELECT count(*) FROM action_status WHERE action_id = 1", 0) == 2);

    /* The links as the pages read them, both ways. */
    struct next_link from = {0}, to = {0};
    bool has_from = false, has_to = false;
    CHECK(next_action_links(db, &a, new1, &from, &has_from, &to, &has_to) == ERR_OK);
    CHECK(has_from && !has_to && from.action_id == 1 && from.generation == 2);
    CHECK(next_action_links(db, &a, 1, &from, &has_from, &to, &has_to) == ERR_OK);
    CHECK(!has_from && has_to && to.action_id == new1 && to.generation == 3);
    CHECK_STR(to.kind, "reconducted");
    CHECK(next_action_links(db, &a, 3, &from, &has_from, &to, &has_to) == ERR_OK);
    CHECK(!has_from && !has_to);
    struct next_recommendation r = {0};
    long long rc_contract = 0;
    int gen = 0;
    bool found = false;
    long long carried_act = one("SELECT action_id FROM recommendation_carry WHERE "
                                "recommendation_id = 2",
                                0);
    CHECK(next_carried_from(db, &a, 0, carried_act, &r, &rc_contract, &gen, &found) == ERR_OK);
    CHECK(found && r.number == 2 && rc_contract == 1 && gen == 2);
    CHECK(one("SELECT objective_id FROM action WHERE id = ?1", carried_act) ==
          one("SELECT id FROM objective WHERE contract_id = ?1 AND code = '1.1'", id));
    long long next = 0, prev = 0;
    CHECK(next_successor(db, 1, &next) == ERR_OK && next == id);
    CHECK(next_predecessor(db, id, &prev) == ERR_OK && prev == 1);
    /* Audited on both contracts. */
    CHECK(one("SELECT count(*) FROM audit_log WHERE entity = 'contract' AND entity_id = ?1 AND "
              "field = 'previous'",
              id) == 1);
    CHECK(one("SELECT count(*) FROM audit_log WHERE entity = 'contract' AND entity_id = 1 AND "
              "field = 'next'",
              0) == 1);

    /* A second creation (double click, stale form) is refused and names the first. */
    long long again = 0, actions_now = one("SELECT count(*) FROM action", 0);
    memset(&p, 0, sizeof p);
    CHECK(next_contract_create(db, &a, &who, 1, &plan, &p, &again) == ERR_CONFLICT);
    CHECK(again == id);
    CHECK(one("SELECT count(*) FROM contract WHERE previous_id = 1", 0) == 1);
    CHECK(one("SELECT count(*) FROM action", 0) == actions_now);
    arena_free(&a);
}

int main(void)
{
    char dir[] = "/tmp/boussole-test-next-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/next.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_contract_next: %s\n", err);
        return 1;
    }
    fixture();
    test_next();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        perror("rm");
    return check_report("test_contract_next");
}
