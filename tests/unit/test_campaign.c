/* test_campaign.c — the yearly update campaign model on a small contract built here: who gets a
 * link, tokens kept as digests only, a link limited to its organisation's actions, reminders
 * only to those who still lack answers (and each scheduled one once), the reporting rate by
 * carrier and axis, on time and late, and the close that stops links and flags corrections. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/str.h"
#include "check.h"
#include "model/report/campaign.h"
#include "model/plan/editing.h"
#include "store/db.h"

static struct store *db;
static struct arena mail_arena;

/* What the mail callback saw: one token per mail, in order. */
static char tokens[16][CAMPAIGN_TOKEN_LEN + 1];
static long long token_link[16];
static int n_tokens;

static int mail(void *ctx, const struct campaign *c, const struct campaign_contact *to,
                const char *token, const char *kind, struct outbox_mail *out)
{
    (void)ctx;
    (void)c;
    if (n_tokens < 16) {
        snprintf(tokens[n_tokens], sizeof tokens[0], "%s", token);
        token_link[n_tokens++] = to->link_id;
    }
    struct buf b = {0};
    buf_puts(&b, "Lien : /campaign?token=");
    buf_puts(&b, token);
    out->subject = str_eq(kind, "open") ? "Campagne" : "Rappel";
    out->body = arena_strdup(&mail_arena, buf_cstr(&b));
    buf_free(&b);
    return 0;
}

static long long exec_id(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    int rc = stmt_exec(st);
    CHECK(rc == ERR_OK);
    return store_last_id(db);
}

static long long count(const char *sql, const char *text)
{
    struct stmt *st = store_prepare(db, sql);
    if (text)
        stmt_bind_text(st, 1, text);
    long long n = -1;
    if (stmt_step(st) == 1) {
        n = stmt_int(st, 0);
        stmt_done(st);
    }
    return n;
}

/* Two axes, four organisations; action 5 is archived; contacts: two of org 1, one of org 2,
 * org 3's contact has no e-mail, org 4 only carries the archived action. */
static long long contract_id, act[6];
static void fixture(void)
{
    exec_id("INSERT INTO territory (name) VALUES ('Pays test')");
    contract_id = exec_id("INSERT INTO contract (territory_id, title, created_at) VALUES (1, "
                          "'CLS test', '2020-01-01T00:00:00Z')");
    exec_id("INSERT INTO objective (id, contract_id, level, code, title) VALUES "
            "(1, 1, 'strategic', '1', 'Axe un'), (2, 1, 'strategic', '2', 'Axe deux'), "
            "(3, 1, 'operational', '1.1', 'Op un'), (4, 1, 'operational', '2.1', 'Op deux')");
    exec_id("UPDATE objective SET parent_id = 1 WHERE id = 3");
    exec_id("UPDATE objective SET parent_id = 2 WHERE id = 4");
    exec_id("INSERT INTO organisation (id, name) VALUES (1, 'Org A'), (2, 'Org B'), "
            "(3, 'Org C'), (4, 'Org D')");
    static const char *const sql[] = {
        "",
        "INSERT INTO action (contract_id, objective_id, kind, title, created_at) VALUES "
        "(1, 3, 'sheet', 'A1', '2020-01-01T00:00:00Z')",
        "INSERT INTO action (contract_id, objective_id, kind, title, created_at) VALUES "
        "(1, 3, 'sheet', 'A2', '2020-01-01T00:00:00Z')",
        "INSERT INTO action (contract_id, objective_id, kind, title, created_at) VALUES "
        "(1, 4, 'sheet', 'A3', '2020-01-01T00:00:00Z')",
        "INSERT INTO action (contract_id, objective_id, kind, title, created_at) VALUES "
        "(1, 4, 'sheet', 'A4', '2020-01-01T00:00:00Z')",
        "INSERT INTO action (contract_id, objective_id, kind, title, created_at, archived) "
        "VALUES (1, 3, 'sheet', 'A5', '2020-01-01T00:00:00Z', 1)",
    };
    for (int i = 1; i <= 5; i++)
        act[i] = exec_id(sql[i]);
    exec_id("INSERT INTO action_organisation (action_id, organisation_id, role) VALUES "
            "(1, 1, 'carrier'), (2, 1, 'carrier'), (3, 2, 'carrier'), (4, 3, 'carrier'), "
            "(5, 4, 'carrier'), (3, 1, 'partner')");
    exec_id("INSERT INTO person (contract_id, name, organisation_id, email, created_at) VALUES "
            "(1, 'Paul Un', 1, 'p1@a.example', 'x'), (1, 'Berthe Deux', 2, 'p2@b.example', 'x'), "
            "(1, 'Claire Sans', 3, '', 'x'), (1, 'Denis Archive', 4, 'p4@d.example', 'x'), "
            "(1, 'Eve Cinq', 1, 'p5@a.example', 'x')");
}

static long long link_of(const char *email)
{
    return count("SELECT l.id FROM campaign_link l JOIN person p ON p.id = l.person_id WHERE "
                 "p.email = ?1",
                 email);
}

static const char *token_for(long long link)
{
    for (int i = n_tokens - 1; i >= 0; i--)
        if (token_link[i] == link)
            return tokens[i];
    return "";
}

static void test_campaign(void)
{
    const long long june1 = 1717200000;        /* 2024-06-01T00:00:00Z */
    const long long deadline_end = 1719791999; /* 2024-06-30T23:59:59Z */
    struct actor coord = {0, "Camille Coordination"};
    struct arena a = {0};
    long long id = 0;
    const char *why = NULL;
    CHECK(campaign_open(db, &coord, contract_id, 2024, "2024-05-01", june1, mail, NULL, &id,
                        &why) == ERR_INVALID);
    CHECK(why != NULL);
    CHECK(campaign_open(db, &coord, contract_id, 2024, "31/02/2024", june1, mail, NULL, &id,
                        &why) == ERR_INVALID);
    CHECK_INT(count("SELECT count(*) FROM outbox", NULL), 0);

    struct campaign_contact *cs;
    int n = 0;
    CHECK(campaign_contacts(db, &a, contract_id, &cs, &n) == ERR_OK);
    CHECK_INT(n, 3);
    CHECK(campaign_open(db, &coord, contract_id, 2024, "30/06/2024", june1, mail, NULL, &id,
                        &why) == ERR_OK);
    CHECK_INT(n_tokens, 3);
    CHECK_INT(count("SELECT count(*) FROM outbox WHERE kind = 'campaign'", NULL), 3);
    struct campaign c;
    CHECK(campaign_get(db, &a, id, &c) == ERR_OK);
    CHECK_INT(c.deadline_at, deadline_end);
    CHECK_STR(c.state, "open");
    CHECK_INT(c.links, 3);
    /* Only digests are stored, and a token has at least 128 random bits. */
    CHECK_INT(strlen(tokens[0]), CAMPAIGN_TOKEN_LEN);
    CHECK_INT(count("SELECT count(*) FROM campaign_token WHERE digest = ?1", tokens[0]), 0);
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(tokens[0], digest);
    CHECK_INT(count("SELECT count(*) FROM campaign_token WHERE digest = ?1", digest), 1);
    long long again = 0;
    CHECK(campaign_open(db, &coord, contract_id, 2024, "30/06/2024", june1, mail, NULL, &again,
                        &why) == ERR_CONFLICT);
    CHECK_INT(count("SELECT count(*) FROM outbox", NULL), 3);

    /* Berthe (Org B) answers for A3; she may not touch Org A's A1, nor A3 as a partner of A. */
    char session[SECRET_TOKEN_LEN + 1];
    bool closed = true;
    CHECK(campaign_link_use(db, "AAAAAAAAAAAAAAAAAAAAAA", june1, session, &closed) ==
          ERR_NOTFOUND);
    CHECK(!closed);
    CHECK(campaign_link_use(db, token_for(link_of("p2@b.example")), june1 + 10, session,
                            &closed) == ERR_OK);
    struct campaign_visit v;
    CHECK(campaign_session_find(db, &a, session, june1 + 20, &v, &closed) == ERR_OK);
    CHECK_STR(v.organisation, "Org B");
    CHECK(campaign_session_find(db, &a, session, june1 + CAMPAIGN_SESSION_S + 11, &v, &closed) ==
          ERR_NOTFOUND);
    CHECK(campaign_session_find(db, &a, session, june1 + 20, &v, &closed) == ERR_OK);
    struct carried_action *xs;
    CHECK(campaign_visit_actions(db, &a, &v, &xs, &n) == ERR_OK);
    CHECK_INT(n, 1);
    CHECK(campaign_answer(db, &v, act[3], ST_IN_PROGRESS, "Bien avancé", NULL, 0, june1 + 30) ==
          ERR_OK);
    CHECK(campaign_answer(db, &v, act[1], ST_DONE, "", NULL, 0, june1 + 30) == ERR_FORBIDDEN);
    CHECK_INT(count("SELECT count(*) FROM action_status WHERE action_id = 1", NULL), 0);
    /* Indicator values of the year: only of the action's own active indicators. */
    long long ind = exec_id("INSERT INTO indicator (contract_id, action_id, name, kind, "
                            "created_at) VALUES (1, 3, 'Participants', 'process', '2024-01-01')");
    long long other = exec_id("INSERT INTO indicator (contract_id, action_id, name, kind, "
                              "created_at) VALUES (1, 1, 'Autre', 'process', '2024-01-01')");
    struct campaign_value val = {ind, 42.5}, bad = {other, 1};
    CHECK(campaign_answer(db, &v, act[3], ST_IN_PROGRESS, "Bien avancé", &bad, 1, june1 + 31) ==
          ERR_FORBIDDEN);
    CHECK(campaign_answer(db, &v, act[3], ST_IN_PROGRESS, "Bien avancé", &val, 1, june1 + 31) ==
          ERR_OK);
    CHECK_INT(count("SELECT count(*) FROM indicator_value WHERE period = '2024' AND value = 42.5 "
                    "AND recorded_by = 'Org B (lien de campagne)'",
                    NULL),
              1);
    CHECK_INT(count("SELECT count(*) FROM indicator_value", NULL), 1);
    /* Public rows name the organisation; only the journal names the contact. */
    CHECK_INT(count("SELECT count(*) FROM action_status WHERE action_id = 3 AND recorded_by = "
                    "'Org B (lien de campagne)'",
                    NULL),
              1);
    CHECK_INT(count("SELECT count(*) FROM action_status WHERE recorded_by LIKE '%Berthe%'", NULL),
              0);
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE entity = 'action' AND entity_id = 3 "
                    "AND actor LIKE 'Berthe Deux%'",
                    NULL),
              3); /* status, remarks and the indicator value */

    struct campaign_rate r;
    CHECK(campaign_rate(db, &a, id, &r) == ERR_OK);
    CHECK_INT(r.overall.total, 4);
    CHECK_INT(r.overall.answered, 1);
    CHECK_INT(r.overall.on_time, 1);
    CHECK_INT(r.n_axes, 2);
    for (int i = 0; i < r.n_axes; i++) {
        CHECK_INT(r.axes[i].total, 2);
        CHECK_INT(r.axes[i].answered, r.axes[i].id == 2);
    }
    CHECK_STR(r.axes[0].label, "1 — Axe un");
    CHECK_INT(r.n_carriers, 3);

    /* Reminders: Org A's two contacts only (Org B is done, Org C has no contact). */
    int sent = -1;
    CHECK(campaign_remind(db, id, june1 + 40, mail, NULL, &sent) == ERR_OK);
    CHECK_INT(sent, 2);
    CHECK_INT(count("SELECT count(*) FROM outbox WHERE to_addr LIKE 'p1@%'", NULL), 2);
    CHECK_INT(count("SELECT count(*) FROM outbox WHERE to_addr LIKE 'p2@%'", NULL), 1);
    /* Scheduled: nothing before 7 days ahead, then once, then the 1-day one. */
    CHECK(campaign_remind_due(db, deadline_end - 8 * 86400, mail, NULL, &sent) == ERR_OK);
    CHECK_INT(sent, 0);
    CHECK(campaign_remind_due(db, deadline_end - 6 * 86400, mail, NULL, &sent) == ERR_OK);
    CHECK_INT(sent, 2);
    CHECK(campaign_remind_due(db, deadline_end - 5 * 86400, mail, NULL, &sent) == ERR_OK);
    CHECK_INT(sent, 0);
    /* The first mail's link still works next to the reminder's. */
    CHECK(campaign_link_use(db, tokens[0], june1, session, &closed) == ERR_OK);

    /* Paul answers A1 late. */
    CHECK(campaign_link_use(db, token_for(link_of("p1@a.example")), deadline_end + 100, session,
                            &closed) == ERR_OK);
    CHECK(campaign_session_find(db, &a, session, deadline_end + 100, &v, &closed) == ERR_OK);
    CHECK(campaign_answer(db, &v, act[1], ST_DONE, "Fini", NULL, 0, deadline_end + 100) == ERR_OK);
    CHECK(campaign_rate(db, &a, id, &r) == ERR_OK);
    CHECK_INT(r.overall.answered, 2);
    CHECK_INT(r.overall.on_time, 1);
    CHECK_INT(r.overall.late, 1);

    /* Close: links and sessions stop, later statuses of 2024 are flagged and journaled. */
    CHECK(campaign_close(db, &coord, id, deadline_end + 200) == ERR_OK);
    CHECK(campaign_close(db, &coord, id, deadline_end + 300) == ERR_INVALID);
    CHECK(campaign_session_find(db, &a, session, deadline_end + 201, &v, &closed) == ERR_NOTFOUND);
    CHECK(campaign_link_use(db, tokens[0], deadline_end + 201, session, &closed) == ERR_NOTFOUND);
    CHECK(closed);
    CHECK(campaign_remind(db, id, deadline_end + 300, mail, NULL, &sent) == ERR_INVALID);
    CHECK_INT(count("SELECT count(*) FROM action_status WHERE correction = 1", NULL), 0);
    bool added = false;
    CHECK(action_status_add(db, &coord, act[2], 2024, ST_ABANDONED, "Corrigé", "", &added) ==
          ERR_OK);
    CHECK(added);
    CHECK(action_status_add(db, &coord, act[2], 2025, ST_ABANDONED, "", "", &added) == ERR_OK);
    CHECK_INT(count("SELECT count(*) FROM action_status WHERE correction = 1 AND year = 2024 "
                    "AND action_id = 2",
                    NULL),
              1);
    CHECK_INT(count("SELECT count(*) FROM action_status WHERE correction = 1", NULL), 1);
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE field = 'correction:2024' AND actor = "
                    "'Camille Coordination'",
                    NULL),
              1);
    /* Renaming (or erasing: gdpr.c pseudonymises the name) a contact renames its journal
     * entries made through a link. */
    exec_id("UPDATE person SET name = 'Personne effacée 1' WHERE name = 'Berthe Deux'");
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE actor LIKE '%Berthe%'", NULL), 0);
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE actor = 'Personne effacée 1 (Org B, "
                    "lien de campagne)'",
                    NULL),
              3);
    /* The rate is frozen at the close: the correction is not an answer of the campaign. */
    CHECK(campaign_rate(db, &a, id, &r) == ERR_OK);
    CHECK_INT(r.overall.answered, 2);
    arena_free(&a);
}

int main(void)
{
    char dir[] = "/tmp/boussole-test-campaign-XXXXXX";
    if (!mkdtemp(dir) || secret_init() != ERR_OK) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/campaign.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_campaign: %s\n", err);
        return 1;
    }
    fixture();
    test_campaign();
    store_close(db);
    arena_free(&mail_arena);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        perror("rm");
    return check_report("test_campaign");
}
