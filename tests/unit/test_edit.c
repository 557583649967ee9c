/* test_edit.c — unit tests of the audited writes of src/model/editing*.c on the demo contract:
 * a stale version is refused with ERR_CONFLICT and changes nothing; every changed field gets one
 * audit row with its actor; archiving keeps the row but leaves the lists and counts; statuses are
 * appended with the account; invalid input is refused before anything is written. */
#include <stdlib.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/core/audit.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-edit-XXXXXX";
static struct store *db;
static long long contract_id;
static struct actor alice, bob;

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

/* Audit rows of one record (entity, id), newest first. */
static int audit_of(struct arena *a, const char *entity, long long id, int after_version,
                    struct audit_entry **e)
{
    struct audit_filter f = {.entity = entity, .entity_id = id, .after_version = after_version};
    int n = -1;
    if (audit_list(db, a, &f, e, &n) != ERR_OK)
        return -1;
    return n;
}

static const struct audit_entry *find_field(const struct audit_entry *e, int n, const char *field)
{
    for (int i = 0; i < n; i++)
        if (str_eq(e[i].field, field))
            return &e[i];
    return NULL;
}

static int active_actions(void)
{
    int n = -1;
    if (action_count(db, contract_id, &n) != ERR_OK)
        return -1;
    return n;
}

static void test_dates(void)
{
    char out[11];
    CHECK(edit_parse_date("20/12/2018", out) == ERR_OK);
    CHECK_STR(out, "2018-12-20");
    CHECK(edit_parse_date("2019-05-03", out) == ERR_OK);
    CHECK_STR(out, "2019-05-03");
    CHECK(edit_parse_date("3/5/2019", out) == ERR_OK);
    CHECK_STR(out, "2019-05-03");
    CHECK(edit_parse_date("  ", out) == ERR_OK);
    CHECK_STR(out, "");
    CHECK_INT(edit_parse_date("31/02/2019", out), ERR_INVALID);
    CHECK_INT(edit_parse_date("29/02/2023", out), ERR_INVALID);
    CHECK(edit_parse_date("29/02/2024", out) == ERR_OK);
    CHECK_INT(edit_parse_date("2019-13-01", out), ERR_INVALID);
    CHECK_INT(edit_parse_date("demain", out), ERR_INVALID);
    CHECK_INT(edit_parse_date("12/2019", out), ERR_INVALID);
    CHECK_INT(edit_parse_date("2019-05-03x", out), ERR_INVALID);
}

static void test_contract(void)
{
    struct arena a = {0};
    struct contract_meta m;
    CHECK(contract_meta_get(db, contract_id, &m) == ERR_OK);
    CHECK_INT(m.version, 1);
    CHECK(!m.public_remarks && !m.public_people);
    struct contract before;
    CHECK(contract_get(db, &a, contract_id, &before) == ERR_OK);
    struct contract_edit e = {.title = "CLS 2 modifié",
                              .short_title = before.short_title,
                              .signed_on = before.signed_on,
                              .start_year = before.start_year,
                              .end_year = before.end_year,
                              .status = before.status,
                              .public_remarks = true};
    CHECK(contract_update(db, &alice, contract_id, 1, &e) == ERR_OK);
    CHECK(contract_meta_get(db, contract_id, &m) == ERR_OK);
    CHECK_INT(m.version, 2);
    CHECK(m.public_remarks && !m.public_people);
    struct audit_entry *log;
    int n = audit_of(&a, "contract", contract_id, 0, &log);
    CHECK_INT(n, 2); /* title and public_remarks; the rest did not change */
    const struct audit_entry *t = find_field(log, n, "title");
    CHECK(t != NULL);
    if (t) {
        CHECK_STR(t->old_value, before.title);
        CHECK_STR(t->new_value, "CLS 2 modifié");
        CHECK_INT(t->account_id, alice.account_id);
        CHECK_STR(t->actor, "Alice Coordinatrice");
        CHECK_INT(t->version, 2);
        CHECK_STR(t->label, "CLS 2 modifié");
    }
    /* Bob loaded version 1 too: his save is refused and changes nothing. */
    struct contract_edit stale = e;
    stale.title = "Écrasé";
    CHECK_INT(contract_update(db, &bob, contract_id, 1, &stale), ERR_CONFLICT);
    struct contract now;
    CHECK(contract_get(db, &a, contract_id, &now) == ERR_OK);
    CHECK_STR(now.title, "CLS 2 modifié");
    CHECK_INT(audit_of(&a, "contract", contract_id, 0, &log), 2);
    /* What changed since version 1 is what Bob is shown. */
    CHECK_INT(audit_of(&a, "contract", contract_id, 1, &log), 2);
    CHECK_INT(audit_of(&a, "contract", contract_id, 2, &log), 0);
    /* Invalid input: refused, nothing written. */
    struct contract_edit bad = e;
    bad.title = " ";
    bad.start_year = 2025;
    bad.end_year = 2020;
    bad.status = "paused";
    struct problems p = {0};
    contract_check(&bad, &p);
    CHECK_INT(p.n, 3);
    CHECK_INT(contract_update(db, &alice, contract_id, 2, &bad), ERR_INVALID);
    CHECK(contract_meta_get(db, contract_id, &m) == ERR_OK);
    CHECK_INT(m.version, 2);
    CHECK_INT(contract_update(db, &alice, 999999, 1, &e), ERR_NOTFOUND);
    arena_free(&a);
}

static void test_action_fields(void)
{
    struct arena a = {0};
    long long id = action_id_by_code("1.1.1");
    CHECK(id > 0);
    int version = 0;
    bool archived = true;
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    CHECK_INT(version, 1);
    CHECK(!archived);
    struct action x;
    CHECK(action_get(db, &a, id, 0, &x) == ERR_OK);
    struct action_edit e;
    action_edit_from(&x, &e);
    CHECK(e.carrier_id > 0);
    long long partner = 0;
    CHECK(organisation_find(db, "PETR", &partner) == ERR_OK ||
          organisation_find(db, "petr coeur de lorraine", &partner) == ERR_OK);
    struct action_edit mine = e;
    mine.title = "Nouveau titre de la 1.1.1";
    mine.notes = "Une note";
    mine.n_partners = 0;
    if (partner != e.carrier_id)
        mine.partners[mine.n_partners++] = partner;
    CHECK(action_update(db, &alice, id, 1, &mine) == ERR_OK);
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    CHECK_INT(version, 2);
    struct audit_entry *log;
    int n = audit_of(&a, "action", id, 0, &log);
    const struct audit_entry *t = find_field(log, n, "title");
    CHECK(t && str_eq(t->old_value, x.title) && str_eq(t->new_value, mine.title) &&
          t->account_id == alice.account_id && t->version == 2);
    CHECK(find_field(log, n, "notes") != NULL);
    CHECK(find_field(log, n, "code") == NULL); /* unchanged: no row */
    CHECK(find_field(log, n, "carrier") == NULL);
    int rows = n;
    struct action y;
    CHECK(action_get(db, &a, id, 0, &y) == ERR_OK);
    CHECK_STR(y.title, "Nouveau titre de la 1.1.1");
    CHECK_INT(y.carrier_id, e.carrier_id);

    /* Bob saves over version 1: refused, nothing changed, what Alice did is listed. */
    struct action_edit theirs = e;
    theirs.title = "Titre de Bob";
    CHECK_INT(action_update(db, &bob, id, 1, &theirs), ERR_CONFLICT);
    CHECK(action_get(db, &a, id, 0, &y) == ERR_OK);
    CHECK_STR(y.title, "Nouveau titre de la 1.1.1");
    CHECK_STR(y.notes, "Une note");
    CHECK_INT(audit_of(&a, "action", id, 0, &log), rows);
    n = audit_of(&a, "action", id, 1, &log);
    CHECK_INT(n, rows);
    CHECK(find_field(log, n, "title") != NULL);
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    CHECK_INT(version, 2);

    /* Validation: a lead with a code, a blank title, another action's code, a specific
     * objective instead of an operational one, the carrier twice. */
    struct action_edit bad = mine;
    bad.kind = "lead";
    bad.title = "";
    bad.objective_id = objective_id(OBJ_SPECIFIC, "1");
    bad.co_carriers[0] = e.carrier_id;
    bad.n_co_carriers = 1;
    struct problems p = {0};
    action_check(db, contract_id, id, &bad, &p);
    CHECK_INT(p.n, 4);
    CHECK_INT(action_update(db, &alice, id, 2, &bad), ERR_INVALID);
    bad = mine;
    bad.code = "1.1.2";
    p = (struct problems){0};
    action_check(db, contract_id, id, &bad, &p);
    CHECK_INT(p.n, 1);
    CHECK_STR(p.field[0], "code");
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    CHECK_INT(version, 2);

    /* Moving to another operational objective (coordinator's job). */
    struct action_edit moved = mine;
    moved.objective_id = objective_id(OBJ_OPERATIONAL, "1.2");
    CHECK(moved.objective_id > 0);
    CHECK(action_update(db, &alice, id, 2, &moved) == ERR_OK);
    CHECK(action_get(db, &a, id, 0, &y) == ERR_OK);
    CHECK_INT(y.objective_id, moved.objective_id);
    n = audit_of(&a, "action", id, 2, &log);
    CHECK_INT(n, 1);
    CHECK(n == 1 && str_eq(log[0].field, "objective") && strstr(log[0].new_value, "1.2"));
    arena_free(&a);
}

/* Older data may name two lead carriers: the form shows the second as a co-carrier, so that a
 * save keeps it (as co-carrier) instead of dropping it. */
static void test_second_carrier(void)
{
    struct arena a = {0};
    long long id = action_id_by_code("1.1.3"), other = 0;
    CHECK(organisation_find(db, "CAF de la Meuse", &other) == ERR_OK);
    CHECK(action_link_organisation(db, id, other, "carrier", 9) == ERR_OK);
    struct action x;
    CHECK(action_get(db, &a, id, 0, &x) == ERR_OK);
    struct action_edit e;
    action_edit_from(&x, &e);
    CHECK(e.carrier_id != 0 && e.carrier_id != other);
    bool found = false;
    for (int i = 0; i < e.n_co_carriers; i++)
        found |= e.co_carriers[i] == other;
    CHECK(found);
    struct problems p = {0};
    action_check(db, contract_id, id, &e, &p);
    CHECK_INT(p.n, 0);
    int version;
    bool archived;
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    CHECK(action_update(db, &alice, id, version, &e) == ERR_OK);
    CHECK(action_get(db, &a, id, 0, &x) == ERR_OK);
    int carriers = 0, co = 0;
    for (int i = 0; i < x.n_orgs; i++) {
        carriers += str_eq(x.orgs[i].role, "carrier");
        co += str_eq(x.orgs[i].role, "co_carrier") && x.orgs[i].id == other;
    }
    CHECK_INT(carriers, 1);
    CHECK_INT(co, 1);
    arena_free(&a);
}

static void test_action_add_archive(void)
{
    struct arena a = {0};
    int before = active_actions();
    long long op = objective_id(OBJ_OPERATIONAL, "2.1");
    struct action_edit e = {.kind = "lead", .code = "", .title = "Piste nouvelle", .notes = "",
                            .objective_id = op};
    long long id = 0;
    CHECK(action_add(db, &alice, contract_id, &e, &id) == ERR_OK);
    CHECK(id > 0);
    CHECK_INT(active_actions(), before + 1);
    /* Placed right after the other actions of its objective in the list. */
    struct action *list;
    int n = 0;
    struct action_filter f = {.contract_id = contract_id};
    CHECK(action_list(db, &a, &f, &list, &n) == ERR_OK);
    int at = -1;
    for (int i = 0; i < n; i++)
        if (list[i].id == id)
            at = i;
    CHECK(at > 0);
    if (at > 0)
        CHECK_INT(list[at - 1].objective_id, op);
    if (at >= 0 && at + 1 < n)
        CHECK(list[at + 1].objective_id != op);
    struct audit_entry *log;
    int rows = audit_of(&a, "action", id, 0, &log);
    CHECK(find_field(log, rows, "created") != NULL);
    CHECK(find_field(log, rows, "title") != NULL);

    /* Archiving keeps the row, leaves the list and the counts; a stale archive is refused. */
    const char *why;
    CHECK_INT(action_archive(db, &bob, id, 7, true, &why), ERR_CONFLICT);
    CHECK(action_archive(db, &alice, id, 1, true, &why) == ERR_OK);
    CHECK_INT(active_actions(), before);
    struct action x;
    CHECK(action_get(db, &a, id, 0, &x) == ERR_OK);
    CHECK_STR(x.title, "Piste nouvelle");
    int version;
    bool archived = false;
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    CHECK(archived);
    CHECK_INT(version, 2);
    CHECK(action_list(db, &a, &f, &list, &n) == ERR_OK);
    int seen = 0;
    for (int i = 0; i < n; i++)
        seen += list[i].id == id;
    CHECK_INT(seen, 0);
    rows = audit_of(&a, "action", id, 1, &log);
    CHECK(rows == 1 && str_eq(log[0].field, "archived") && str_eq(log[0].new_value, "1"));
    /* Restored: back in the list. */
    CHECK(action_archive(db, &alice, id, 2, false, &why) == ERR_OK);
    CHECK_INT(active_actions(), before + 1);
    CHECK(action_archive(db, &alice, id, 3, true, &why) == ERR_OK);
    arena_free(&a);
}

static void test_objectives(void)
{
    struct arena a = {0};
    long long spec = objective_id(OBJ_SPECIFIC, "1"), op11 = objective_id(OBJ_OPERATIONAL, "1.1");
    const char *why = NULL;
    /* An objective with actions cannot be archived. */
    struct objective o;
    struct objective_meta m;
    CHECK(objective_get(db, &a, op11, &o, &m) == ERR_OK);
    CHECK(m.n_actions > 0);
    CHECK_INT(objective_archive(db, &alice, op11, m.version, true, &why), ERR_INVALID);
    CHECK(why != NULL);
    CHECK(objective_get(db, &a, op11, &o, &m) == ERR_OK);
    CHECK(!m.archived);

    /* A new operational objective under specific 1, first among its siblings. */
    struct objective n = {.level = OBJ_OPERATIONAL, .parent_id = spec, .code = "1.9",
                          .title = "Nouvel objectif", .position = 1};
    long long id = 0;
    CHECK(objective_add(db, &alice, contract_id, &n, &id) == ERR_OK);
    struct objective *list;
    int count = 0;
    CHECK(objective_list(db, &a, contract_id, &list, &count) == ERR_OK);
    int first_child = -1;
    for (int i = 0; i < count && first_child < 0; i++)
        if (list[i].parent_id == spec)
            first_child = i;
    CHECK(first_child >= 0 && list[first_child].id == id);
    /* Positions are the depth-first order: each parent before its children. */
    bool ordered = true;
    for (int i = 0; i < count; i++) {
        int p = list[i].parent_id ? objective_index(list, count, list[i].parent_id) : -1;
        ordered &= p < i;
    }
    CHECK(ordered);

    /* Wrong parent level: refused. */
    struct objective bad = n;
    bad.parent_id = objective_id(OBJ_STRATEGIC, "Axe 1");
    struct problems p = {0};
    objective_check(db, contract_id, 0, &bad, &p);
    CHECK_INT(p.n, 1);
    CHECK_STR(p.field[0], "parent_id");

    /* Move it under specific 2, renamed; a stale save is refused. */
    long long spec2 = objective_id(OBJ_SPECIFIC, "2");
    struct objective moved = {.parent_id = spec2, .code = "2.9", .title = "Objectif déplacé"};
    CHECK(objective_update(db, &alice, id, 1, &moved) == ERR_OK);
    CHECK_INT(objective_update(db, &bob, id, 1, &moved), ERR_CONFLICT);
    CHECK(objective_get(db, &a, id, &o, &m) == ERR_OK);
    CHECK_INT(o.parent_id, spec2);
    CHECK_STR(o.title, "Objectif déplacé");
    CHECK_INT(o.level, OBJ_OPERATIONAL);
    CHECK_INT(m.version, 2);
    struct audit_entry *log;
    int rows = audit_of(&a, "objective", id, 1, &log);
    CHECK(find_field(log, rows, "parent") != NULL);
    CHECK(find_field(log, rows, "title") != NULL);
    CHECK(find_field(log, rows, "code") != NULL);

    /* Archived: out of the tree, still readable. */
    CHECK(objective_archive(db, &alice, id, 2, true, &why) == ERR_OK);
    CHECK(objective_list(db, &a, contract_id, &list, &count) == ERR_OK);
    CHECK_INT(objective_index(list, count, id), -1);
    CHECK(objective_get(db, &a, id, &o, &m) == ERR_OK);
    CHECK(m.archived);
    bool *arch;
    CHECK(objective_list_all(db, &a, contract_id, &list, &arch, &count) == ERR_OK);
    int k = objective_index(list, count, id);
    CHECK(k >= 0 && arch[k]);
    /* No action may go under an archived objective. */
    struct action_edit e = {.kind = "lead", .code = "", .title = "x", .objective_id = id};
    p = (struct problems){0};
    action_check(db, contract_id, 0, &e, &p);
    CHECK_INT(p.n, 1);
    arena_free(&a);
}

static void test_status(void)
{
    struct arena a = {0};
    long long id = action_id_by_code("1.1.2");
    struct action before, after;
    CHECK(action_get(db, &a, id, 0, &before) == ERR_OK);
    int version;
    bool archived;
    CHECK(action_meta(db, id, &version, &archived) == ERR_OK);
    bool added = false;
    CHECK(action_status_add(db, &bob, id, 2024, ST_IN_PROGRESS, "(+) lancé", "Continuer",
                            &added) == ERR_OK);
    CHECK(added);
    CHECK(action_get(db, &a, id, 2024, &after) == ERR_OK);
    CHECK_INT(after.n_history, before.n_history + 1);
    CHECK_INT(after.status, ST_IN_PROGRESS);
    const struct status_entry *last = &after.history[after.n_history - 1];
    CHECK_INT(last->year, 2024);
    CHECK_STR(last->recorded_by, "Bob Porteur");
    CHECK_STR(last->remarks, "(+) lancé");
    CHECK_STR(last->recommendations, "Continuer");
    struct stmt *st = store_prepare(db, "SELECT account_id FROM action_status WHERE id = ?1");
    stmt_bind_int(st, 1, last->id);
    CHECK_INT(stmt_step(st), 1);
    CHECK_INT(stmt_int(st, 0), bob.account_id);
    stmt_done(st);
    struct audit_entry *log;
    int rows = audit_of(&a, "action", id, 0, &log);
    const struct audit_entry *s = find_field(log, rows, "status:2024");
    CHECK(s && str_eq(s->old_value, "") && str_eq(s->new_value, "in_progress") &&
          s->account_id == bob.account_id);
    CHECK(find_field(log, rows, "remarks:2024") != NULL);
    /* The same again: nothing appended, no audit row. */
    CHECK(action_status_add(db, &bob, id, 2024, ST_IN_PROGRESS, "(+) lancé", "Continuer",
                            &added) == ERR_OK);
    CHECK(!added);
    CHECK_INT(audit_of(&a, "action", id, 0, &log), rows);
    /* A change of status only: one more row, one audit row; the earlier row stays. */
    CHECK(action_status_add(db, &bob, id, 2024, ST_DONE, "(+) lancé", "Continuer", &added) ==
          ERR_OK);
    CHECK(added);
    CHECK(action_get(db, &a, id, 2024, &after) == ERR_OK);
    CHECK_INT(after.n_history, before.n_history + 2);
    CHECK_INT(after.history[after.n_history - 2].status, ST_IN_PROGRESS);
    CHECK_INT(audit_of(&a, "action", id, 0, &log), rows + 1);
    /* Statuses are history: the action's version does not move. */
    int v2;
    CHECK(action_meta(db, id, &v2, &archived) == ERR_OK);
    CHECK_INT(v2, version);
    /* Invalid year or status: nothing written. */
    CHECK_INT(action_status_add(db, &bob, id, 1800, ST_DONE, "", "", &added), ERR_INVALID);
    CHECK_INT(action_status_add(db, &bob, id, 2024, ST_NONE, "", "", &added), ERR_INVALID);
    CHECK_INT(action_status_add(db, &bob, 999999, 2024, ST_DONE, "", "", &added), ERR_NOTFOUND);
    CHECK(action_get(db, &a, id, 2024, &after) == ERR_OK);
    CHECK_INT(after.n_history, before.n_history + 2);
    arena_free(&a);
}

static void test_organisations_signatories(void)
{
    struct arena a = {0};
    struct organisation o = {.name = "Maison de santé de Test", .type = "health_establishment",
                             .acronym = "MST", .aliases = ""};
    long long id = 0;
    CHECK(organisation_add(db, &alice, &o, &id) == ERR_OK);
    int version = 0;
    CHECK(organisation_version(db, id, &version) == ERR_OK);
    CHECK_INT(version, 1);
    struct problems p = {0};
    organisation_check(db, 0, &o, &p); /* same name again */
    CHECK_INT(p.n, 1);
    struct organisation bad = {.name = "", .type = "spaceship"};
    p = (struct problems){0};
    organisation_check(db, 0, &bad, &p);
    CHECK_INT(p.n, 2);
    struct organisation renamed = o;
    renamed.name = "Maison de santé pluriprofessionnelle de Test";
    CHECK(organisation_update(db, &alice, 0, id, 1, &renamed) == ERR_OK);
    CHECK_INT(organisation_update(db, &bob, 0, id, 1, &o), ERR_CONFLICT);
    struct organisation got;
    CHECK(organisation_get(db, &a, id, &got) == ERR_OK);
    CHECK_STR(got.name, "Maison de santé pluriprofessionnelle de Test");
    struct audit_entry *log;
    int rows = audit_of(&a, "organisation", id, 1, &log);
    CHECK_INT(rows, 1);
    struct organisation *all;
    int n = 0;
    CHECK(organisation_all(db, &a, &all, &n) == ERR_OK);
    CHECK(n > 80);

    struct signatory s = {.institution = "Caisse de test", .representative_name = "M. Test",
                          .signed_on = "2019-06-01"};
    long long sid = 0;
    CHECK(signatory_new(db, &alice, contract_id, &s, &sid) == ERR_OK);
    struct signatory g;
    long long cid = 0;
    CHECK(signatory_get(db, &a, sid, &cid, &g, &version) == ERR_OK);
    CHECK_INT(cid, contract_id);
    CHECK_INT(version, 1);
    struct signatory *sigs;
    CHECK(contract_signatories(db, &a, contract_id, &sigs, &n) == ERR_OK);
    CHECK(n > 0 && sigs[n - 1].id == sid);
    s.representative_name = "Mme Test";
    CHECK(signatory_update(db, &alice, sid, 1, &s) == ERR_OK);
    CHECK_INT(signatory_update(db, &bob, sid, 1, &s), ERR_CONFLICT);
    rows = audit_of(&a, "signatory", sid, 1, &log);
    CHECK(rows == 1 && str_eq(log[0].old_value, "M. Test") &&
          str_eq(log[0].new_value, "Mme Test"));
    s.institution = "";
    CHECK_INT(signatory_update(db, &alice, sid, 2, &s), ERR_INVALID);
    arena_free(&a);
}

static void test_contract_log(void)
{
    struct arena a = {0};
    struct audit_entry *log;
    int n = 0;
    struct audit_filter f = {.contract_id = contract_id};
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    bool kinds[4] = {false};
    static const char *const entities[] = {"contract", "signatory", "objective", "action"};
    int organisations = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++)
            kinds[k] |= str_eq(log[i].entity, entities[k]);
        organisations += str_eq(log[i].entity, "organisation");
    }
    CHECK(kinds[0] && kinds[1] && kinds[2] && kinds[3]);
    CHECK_INT(organisations, 0); /* the directory is not one contract's */
    /* Bob's entries only. */
    f.account_id = bob.account_id;
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    CHECK(n > 0);
    bool only_bob = true;
    for (int i = 0; i < n; i++)
        only_bob &= log[i].account_id == bob.account_id;
    CHECK(only_bob);
    /* Dates: everything is today; a range in the past gives nothing. */
    f = (struct audit_filter){.contract_id = contract_id, .until = "2000-01-01"};
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    CHECK_INT(n, 0);
    /* Another contract's log is empty. */
    f = (struct audit_filter){.contract_id = 999999};
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    CHECK_INT(n, 0);
    struct audit_person *people;
    CHECK(audit_people(db, &a, contract_id, &people, &n) == ERR_OK);
    CHECK_INT(n, 3); /* with the demo's directory, imported (and journaled) at load time */
    if (n == 3) {
        CHECK_STR(people[0].name, "Alice Coordinatrice");
        CHECK_STR(people[1].name, "Bob Porteur");
        CHECK_STR(people[2].name, "Données de démonstration");
    }
    arena_free(&a);
}

/* The fields only the coordination changes: the same refusals for every caller (issue 10). */
static void test_action_role_rules(void)
{
    struct action_edit was = {.kind = "sheet", .code = "1.1.1", .title = "T", .notes = "",
                              .objective_id = 5, .carrier_id = 23};
    struct action_editor carrier = {false, 23}, coordination = {true, 0};
    struct action_edit e = was;
    e.title = "Autre intitulé"; /* a carrier changes its action's title */
    struct problems p = {0};
    action_role_check(&was, &e, &carrier, &p);
    CHECK_INT(p.n, 0);
    static const char *const fields[] = {"objective_id", "kind", "code", "carrier_id"};
    for (int k = 0; k < 4; k++) {
        e = was;
        if (k == 0)
            e.objective_id = 6;
        else if (k == 1)
            e.kind = "lead";
        else if (k == 2)
            e.code = "1.1.9";
        else
            e.carrier_id = 24;
        p = (struct problems){0};
        action_role_check(&was, &e, &carrier, &p);
        CHECK(p.n == 1 && str_eq(p.field[0], fields[k]));
        p = (struct problems){0};
        action_role_check(&was, &e, &coordination, &p);
        CHECK_INT(p.n, 0);
    }
    /* Handing the lead to another organisation while staying co-carrier is allowed. */
    e = was;
    e.carrier_id = 24;
    e.co_carriers[0] = 23;
    e.n_co_carriers = 1;
    p = (struct problems){0};
    action_role_check(&was, &e, &carrier, &p);
    CHECK_INT(p.n, 0);
}

/* An organisation a second contract shows: changed in place only with scope 0 (administrators),
 * the change in both journals; a copy moves only one contract's links. */
static void test_shared_organisation(void)
{
    struct arena a = {0};
    struct contract *cs;
    int n = 0;
    CHECK(contract_list(db, &a, &cs, &n) == ERR_OK && n == 1);
    struct contract c2 = {.territory = cs[0].territory, .title = "Contrat de test 2"};
    long long other = 0;
    CHECK(contract_create(db, &c2, &other) == ERR_OK);
    long long x = action_id_by_code("1.1.1");
    struct action act;
    CHECK(action_get(db, &a, x, 0, &act) == ERR_OK && act.n_orgs > 0);
    long long org = act.orgs[0].id;
    struct organisation_contract *oc;
    CHECK(organisation_contracts(db, &a, org, &oc, &n) == ERR_OK);
    CHECK(n == 1 && oc[0].id == contract_id && organisation_in_scope(oc, n, contract_id));
    struct signatory s = {.institution = "Signataire du contrat 2", .organisation_id = org};
    long long sid = 0;
    CHECK(signatory_new(db, &alice, other, &s, &sid) == ERR_OK);
    CHECK(organisation_contracts(db, &a, org, &oc, &n) == ERR_OK && n == 2);
    CHECK(!organisation_in_scope(oc, n, contract_id) && !organisation_in_scope(oc, n, other));
    CHECK(organisation_in_scope(oc, n, 0));
    struct organisation o;
    int version = 0;
    CHECK(organisation_get(db, &a, org, &o) == ERR_OK);
    CHECK(organisation_version(db, org, &version) == ERR_OK);
    struct organisation renamed = o;
    renamed.name = "Nom changé par une coordination";
    CHECK_INT(organisation_update(db, &alice, contract_id, org, version, &renamed),
              ERR_FORBIDDEN);
    CHECK_INT(organisation_update(db, &alice, -1, org, version, &renamed), ERR_FORBIDDEN);
    renamed.name = "Nom changé par l'administration";
    CHECK(organisation_update(db, &alice, 0, org, version, &renamed) == ERR_OK);
    long long contracts[] = {contract_id, other};
    for (int i = 0; i < 2; i++) {
        struct audit_filter f = {.contract_id = contracts[i], .entity = "organisation",
                                 .entity_id = org};
        struct audit_entry *log;
        CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
        CHECK(n == 1 && str_eq(log[0].new_value, "Nom changé par l'administration"));
    }
    /* The copy: contract 1's actions move to it; contract 2's signatory keeps the original. */
    struct problems p = {0};
    long long copy = 0;
    CHECK_INT(organisation_copy(db, &alice, contract_id, org, other, &renamed, &p, &copy),
              ERR_FORBIDDEN);
    CHECK(organisation_copy(db, &alice, contract_id, org, contract_id, &renamed, &p, &copy) ==
          ERR_OK);
    CHECK_INT(p.n, 0);
    CHECK(organisation_contracts(db, &a, org, &oc, &n) == ERR_OK && n == 1 && oc[0].id == other);
    CHECK(organisation_contracts(db, &a, copy, &oc, &n) == ERR_OK && n == 1 &&
          oc[0].id == contract_id);
    CHECK(action_get(db, &a, x, 0, &act) == ERR_OK && act.orgs[0].id == copy);
    CHECK(organisation_version(db, copy, &version) == ERR_OK);
    renamed.name = "Nom propre au contrat 1";
    CHECK(organisation_update(db, &alice, contract_id, copy, version, &renamed) == ERR_OK);
    /* Not shared any more: nothing to copy. */
    p = (struct problems){0};
    CHECK_INT(organisation_copy(db, &alice, 0, copy, contract_id, &renamed, &p, &x),
              ERR_INVALID);
    CHECK(p.n == 1 && str_eq(p.field[0], "contract"));
    arena_free(&a);
}

static long long make_account(const char *email, const char *name, const char *role)
{
    struct account acc = {.email = (char *)email, .name = (char *)name, .role = (char *)role,
                          .contract_id = contract_id};
    long long id = 0;
    CHECK(account_create(db, &acc, "", &id) == ERR_OK);
    return id;
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/edit.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_edit: %s\n", err);
        return 1;
    }
    const char *data = getenv("BOUSSOLE_DATA");
    char demo[1024];
    snprintf(demo, sizeof demo, "%s/demo", data ? data : BOUSSOLE_DATADIR);
    bool loaded = false;
    CHECK(demo_load(db, demo, &loaded) == ERR_OK);
    CHECK(loaded);
    struct arena a = {0};
    struct contract *c;
    int n = 0;
    if (loaded && contract_list(db, &a, &c, &n) == ERR_OK && n == 1)
        contract_id = c[0].id;
    arena_free(&a);
    if (!contract_id) {
        fprintf(stderr, "test_edit: the demo did not load from %s\n", demo);
    } else {
        alice = (struct actor){make_account("alice@test.invalid", "Alice Coordinatrice",
                                            "coordinator"),
                               "Alice Coordinatrice"};
        bob = (struct actor){make_account("bob@test.invalid", "Bob Porteur", "carrier"),
                             "Bob Porteur"};
        test_dates();
        test_contract();
        test_action_fields();
        test_second_carrier();
        test_action_add_archive();
        test_objectives();
        test_status();
        test_organisations_signatories();
        test_contract_log();
        test_action_role_rules();
        test_shared_organisation();
    }
    store_close(db);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "test_edit: could not remove %s\n", dir);
    return check_report("test_edit");
}
