/* campaign.c — the SQL of yearly update campaigns (migration 012): opening with one mail per
 * carrier contact, reminders, the reporting rate and the close; what a carrier does through
 * a personal link is in campaign_link.c. Mail texts come from the caller (campaign_mail_fn): no
 * wording here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/secret.h"
#include "base/str.h"
#include "model/report/campaign.h"
#include "model/plan/editing.h"
#include "model/plan/editing_internal.h"
#include "model/plan/figures.h"
#include "store/rows.h"

#define CAMPAIGN_COLUMNS                                                             \
    "c.id, c.contract_id, c.year, c.deadline, c.state, c.opened_by, c.deadline_at, " \
    "c.opened_at, coalesce(c.closed_at, 0), "                                        \
    "(SELECT count(*) FROM campaign_link l WHERE l.campaign_id = c.id) FROM campaign c "

static void read_campaign(struct stmt *st, struct arena *a, struct campaign *c)
{
    *c = (struct campaign){
        .id = stmt_int(st, 0),
        .contract_id = stmt_int(st, 1),
        .year = (int)stmt_int(st, 2),
        .deadline = stmt_text(st, 3, a),
        .state = stmt_text(st, 4, a),
        .opened_by = stmt_text(st, 5, a),
        .deadline_at = stmt_int(st, 6),
        .opened_at = stmt_int(st, 7),
        .closed_at = stmt_int(st, 8),
        .links = (int)stmt_int(st, 9),
    };
}

int campaign_list(struct store *db, struct arena *a, long long contract_id, struct campaign **out,
                  int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " CAMPAIGN_COLUMNS
                                        "WHERE c.contract_id = ?1 ORDER BY c.year DESC");
    stmt_bind_int(st, 1, contract_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        read_campaign(st, a, &(*out)[(*n)++]);
    }
    return rc;
}

int campaign_get(struct store *db, struct arena *a, long long id, struct campaign *out)
{
    struct stmt *st = store_prepare(db, "SELECT " CAMPAIGN_COLUMNS "WHERE c.id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    read_campaign(st, a, out);
    stmt_done(st);
    return ERR_OK;
}

int campaign_contacts(struct store *db, struct arena *a, long long contract_id,
                      struct campaign_contact **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT p.id, p.organisation_id, p.name, p.email, o.name FROM person p "
            "JOIN organisation o ON o.id = p.organisation_id WHERE p.contract_id = ?1 "
            "AND p.email <> '' AND EXISTS (SELECT 1 FROM action_organisation ao JOIN action x "
            "ON x.id = ao.action_id WHERE ao.organisation_id = p.organisation_id AND "
            "ao.role IN ('carrier', 'co_carrier') AND x.contract_id = ?1 AND x.archived = 0) "
            "ORDER BY o.name, p.name, p.id");
    stmt_bind_int(st, 1, contract_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct campaign_contact){
            .person_id = stmt_int(st, 0),
            .organisation_id = stmt_int(st, 1),
            .name = stmt_text(st, 2, a),
            .email = stmt_text(st, 3, a),
            .organisation = stmt_text(st, 4, a),
        };
    }
    return rc;
}

/* ---- answers: which actions of the year were answered during the campaign, and when ------- */

struct answers {
    long long *ids, *at; /* sorted by action id */
    int n;
    long long *exists; /* sorted ids of the actions that exist in the year (figures.h) */
    int n_exists;
    struct action_brief *xs; /* the grid, for the rate */
    int n_xs;
};

static int cmp_ll(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;
    return a < b ? -1 : a > b;
}

static int read_answers(struct store *db, struct arena *a, long long id, struct answers *out)
{
    *out = (struct answers){0};
    struct stmt *st = store_prepare(
        db, "SELECT c.contract_id, c.year, c.status_mark, c.close_mark FROM campaign c "
            "WHERE c.id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    long long contract_id = stmt_int(st, 0);
    int year = (int)stmt_int(st, 1);
    long long mark = stmt_int(st, 2);
    bool closed = !stmt_is_null(st, 3);
    long long close_mark = stmt_int(st, 3);
    stmt_done(st);
    /* A status row of the year between the opening and the close, whatever wrote it (its time is
     * the link answer's when there is one, else the row's own), or an answer through a link that
     * only confirmed the status already recorded. SQLite's planner is held to action, then
     * status (CROSS JOIN): left free, it read every status of the year in the instance (14 ms
     * at 1,000 contracts) instead of this contract's by (action_id, year, id). */
    st = store_prepare(
        db, "SELECT action_id, min(t) FROM (SELECT s.action_id AS action_id, coalesce((SELECT "
            "min(e.at) FROM campaign_entry e WHERE e.action_status_id = s.id), "
            "CAST(strftime('%s', s.recorded_at) AS INTEGER)) AS t FROM action x CROSS JOIN "
            "action_status s WHERE s.action_id = x.id AND x.contract_id = ?1 AND s.year = ?2 "
            "AND s.id > ?3 AND (?4 IS NULL OR s.id <= ?4) UNION ALL SELECT e.action_id, e.at "
            "FROM campaign_entry e WHERE e.campaign_id = ?5) AS moments GROUP BY action_id "
            "ORDER BY action_id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_int(st, 3, mark);
    if (closed)
        stmt_bind_int(st, 4, close_mark);
    else
        stmt_bind_null(st, 4);
    stmt_bind_int(st, 5, id);
    int cap = 0, cap2 = 0;
    while ((rc = stmt_step(st)) == 1) {
        out->ids = rows_grow(a, out->ids, out->n, &cap, sizeof *out->ids);
        out->at = rows_grow(a, out->at, out->n, &cap2, sizeof *out->at);
        out->ids[out->n] = stmt_int(st, 0);
        out->at[out->n++] = stmt_int(st, 1);
    }
    if (rc != ERR_OK)
        return rc;
    int years[64], n_years;
    rc = action_status_grid(db, a, contract_id, years, 64, &n_years, &out->xs, &out->n_xs);
    if (rc != ERR_OK)
        return rc;
    out->exists = arena_alloc(a, (size_t)(out->n_xs + 1) * sizeof *out->exists);
    for (int i = 0; i < out->n_xs; i++)
        if (figures_exists_in(out->xs[i].first_year, year))
            out->exists[out->n_exists++] = out->xs[i].id;
    qsort(out->exists, (size_t)out->n_exists, sizeof *out->exists, cmp_ll);
    return ERR_OK;
}

/* The time of an action's first answer, or 0 when it has none. */
static long long answered_at(const struct answers *w, long long action_id)
{
    if (w->n == 0)
        return 0; /* no answer yet: ids may be NULL, which bsearch must not be given */
    const long long *p = bsearch(&action_id, w->ids, (size_t)w->n, sizeof *w->ids, cmp_ll);
    return p ? w->at[p - w->ids] : 0;
}

static bool exists(const struct answers *w, long long action_id)
{
    return w->n_exists &&
           bsearch(&action_id, w->exists, (size_t)w->n_exists, sizeof *w->exists, cmp_ll);
}

/* How many of an organisation's actions of the contract still lack an answer. */
static int count_unanswered(struct store *db, const struct answers *w, long long contract_id,
                            long long organisation_id, int *n)
{
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT DISTINCT x.id FROM action x JOIN action_organisation ao ON ao.action_id = "
            "x.id WHERE ao.organisation_id = ?1 AND ao.role IN ('carrier', 'co_carrier') AND "
            "x.contract_id = ?2 AND x.archived = 0");
    stmt_bind_int(st, 1, organisation_id);
    stmt_bind_int(st, 2, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        long long aid = stmt_int(st, 0);
        if (exists(w, aid) && !answered_at(w, aid))
            (*n)++;
    }
    return rc;
}

int campaign_links(struct store *db, struct arena *a, long long campaign_id,
                   struct campaign_contact **out, int *n)
{
    struct answers w;
    int rc = read_answers(db, a, campaign_id, &w);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT l.id, l.person_id, l.organisation_id, p.name, p.email, o.name, "
            "l.reminders, c.contract_id FROM campaign_link l JOIN organisation o ON o.id = "
            "l.organisation_id JOIN campaign c ON c.id = l.campaign_id JOIN person p ON p.id = "
            "l.person_id WHERE l.campaign_id = ?1 ORDER BY o.name, p.name, l.id");
    stmt_bind_int(st, 1, campaign_id);
    int cap = 0;
    long long contract_id = 0;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct campaign_contact){
            .link_id = stmt_int(st, 0),
            .person_id = stmt_int(st, 1),
            .organisation_id = stmt_int(st, 2),
            .name = stmt_text(st, 3, a),
            .email = stmt_text(st, 4, a),
            .organisation = stmt_text(st, 5, a),
            .reminders = (int)stmt_int(st, 6),
        };
        contract_id = stmt_int(st, 7);
    }
    for (int i = 0; i < *n && rc == ERR_OK; i++)
        rc = count_unanswered(db, &w, contract_id, (*out)[i].organisation_id,
                              &(*out)[i].unanswered);
    return rc;
}

/* ---- opening, reminders, close --------------------------------------------------------- */

/* A fresh token for a link: its digest is stored, the token itself only goes in the mail. */
static int new_token(struct store *db, long long link_id, long long now,
                     char token[CAMPAIGN_TOKEN_LEN + 1])
{
    char full[SECRET_TOKEN_LEN + 1], digest[SECRET_DIGEST_LEN + 1];
    secret_token(full);
    memcpy(token, full, CAMPAIGN_TOKEN_LEN);
    token[CAMPAIGN_TOKEN_LEN] = '\0';
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "INSERT INTO campaign_token (digest, link_id, created_at) VALUES (?1, ?2, ?3)");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, link_id);
    stmt_bind_int(st, 3, now);
    return stmt_exec(st);
}

static int send_link(struct store *db, const struct campaign *c, const struct campaign_contact *to,
                     const char *kind, long long now, campaign_mail_fn mail, void *ctx)
{
    char token[CAMPAIGN_TOKEN_LEN + 1];
    int rc = new_token(db, to->link_id, now, token);
    struct outbox_mail m = {0};
    if (rc == ERR_OK && mail(ctx, c, to, token, kind, &m) != 0)
        rc = ERR_INVALID;
    if (rc == ERR_OK) {
        m.kind = "campaign";
        m.person_id = to->person_id;
        m.contract_id = c->contract_id;
        m.to = to->email;
        rc = outbox_add(db, &m, now, NULL);
    }
    return rc;
}

int campaign_open(struct store *db, const struct actor *who, long long contract_id, int year,
                  const char *deadline, long long now, campaign_mail_fn mail, void *ctx,
                  long long *id, const char **why)
{
    *why = NULL;
    char day[11];
    if (year < 1990 || year > 2100) {
        *why = "L'année doit être comprise entre 1990 et 2100.";
        return ERR_INVALID;
    }
    if (!deadline || !*deadline || edit_parse_date(deadline, day) != ERR_OK || !*day) {
        *why = "La date limite doit être une date réelle (JJ/MM/AAAA).";
        return ERR_INVALID;
    }
    long long end = (long long)date_days_from_civil(atoi(day), atoi(day + 5), atoi(day + 8)) *
                        86400 +
                    86399;
    if (end < now) {
        *why = "La date limite est déjà passée.";
        return ERR_INVALID;
    }
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct stmt *st = store_prepare(
        db, "INSERT INTO campaign (contract_id, year, deadline, deadline_at, opened_at, "
            "opened_by, status_mark) VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT coalesce(max(id), "
            "0) FROM action_status))");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, day);
    stmt_bind_int(st, 4, end);
    stmt_bind_int(st, 5, now);
    stmt_bind_text(st, 6, who && who->name ? who->name : "");
    rc = stmt_exec(st);
    if (rc == ERR_CONFLICT)
        *why = "Une campagne existe déjà pour cette année.";
    struct campaign c = {0};
    struct campaign_contact *cs = NULL;
    int n = 0;
    if (rc == ERR_OK) {
        *id = store_last_id(db);
        rc = campaign_get(db, &a, *id, &c);
    }
    if (rc == ERR_OK)
        rc = campaign_contacts(db, &a, contract_id, &cs, &n);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        st = store_prepare(db, "INSERT INTO campaign_link (campaign_id, person_id, "
                               "organisation_id) VALUES (?1, ?2, ?3)");
        stmt_bind_int(st, 1, *id);
        stmt_bind_int(st, 2, cs[i].person_id);
        stmt_bind_int(st, 3, cs[i].organisation_id);
        rc = stmt_exec(st);
        if (rc == ERR_OK) {
            cs[i].link_id = store_last_id(db);
            rc = send_link(db, &c, &cs[i], "open", now, mail, ctx);
        }
    }
    if (rc == ERR_OK) {
        char field[40];
        snprintf(field, sizeof field, "campaign:%d", year);
        rc = audit_record(db, who, "contract", contract_id, 0, field, "", "open");
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

/* Reminders to every link of an open campaign whose organisation still lacks answers. */
static int remind(struct store *db, long long id, long long now, campaign_mail_fn mail, void *ctx,
                  int *sent)
{
    struct arena a = {0};
    struct campaign c;
    struct campaign_contact *ls = NULL;
    int n = 0;
    int rc = campaign_get(db, &a, id, &c);
    if (rc == ERR_OK && !str_eq(c.state, "open"))
        rc = ERR_INVALID;
    if (rc == ERR_OK)
        rc = campaign_links(db, &a, id, &ls, &n);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        if (ls[i].unanswered == 0 || !*ls[i].email)
            continue;
        rc = send_link(db, &c, &ls[i], "reminder", now, mail, ctx);
        if (rc == ERR_OK) {
            struct stmt *st = store_prepare(
                db, "UPDATE campaign_link SET reminders = reminders + 1, last_reminder_at = ?2 "
                    "WHERE id = ?1");
            stmt_bind_int(st, 1, ls[i].link_id);
            stmt_bind_int(st, 2, now);
            rc = stmt_exec(st);
            (*sent)++;
        }
    }
    arena_free(&a);
    return rc;
}

int campaign_remind(struct store *db, long long id, long long now, campaign_mail_fn mail,
                    void *ctx, int *sent)
{
    *sent = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = remind(db, id, now, mail, ctx, sent);
    if (rc != ERR_OK)
        *sent = 0;
    return edit_finish(db, rc);
}

int campaign_remind_due(struct store *db, long long now, campaign_mail_fn mail, void *ctx,
                        int *sent)
{
    *sent = 0;
    static const struct {
        const char *kind;
        long long before;
    } due[] = {{"7d", CAMPAIGN_REMIND_EARLY_S}, {"1d", CAMPAIGN_REMIND_LATE_S}};
    /* Asked on every campaign page: a plain read first, the write lock only when one is due. */
    struct stmt *st = store_prepare(
        db, "SELECT count(*) FROM campaign c WHERE c.state = 'open' AND c.deadline_at >= ?1 AND "
            "((c.deadline_at - ?2 <= ?1 AND c.opened_at < c.deadline_at - ?2 AND NOT EXISTS "
            "(SELECT 1 FROM campaign_reminder r WHERE r.campaign_id = c.id AND r.kind = '7d')) "
            "OR (c.deadline_at - ?3 <= ?1 AND c.opened_at < c.deadline_at - ?3 AND NOT EXISTS "
            "(SELECT 1 FROM campaign_reminder r WHERE r.campaign_id = c.id AND r.kind = '1d')))");
    stmt_bind_int(st, 1, now);
    stmt_bind_int(st, 2, CAMPAIGN_REMIND_EARLY_S);
    stmt_bind_int(st, 3, CAMPAIGN_REMIND_LATE_S);
    int rc = stmt_step(st);
    long long n_due = rc == 1 ? stmt_int(st, 0) : 0;
    if (rc == 1)
        stmt_done(st);
    if (rc < 0 || n_due == 0)
        return rc < 0 ? rc : ERR_OK;
    rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    for (size_t k = 0; k < sizeof due / sizeof due[0] && rc == ERR_OK; k++) {
        /* The end of the deadline day minus the delay; the reminder of a campaign opened after
         * that moment is not sent (its opening mail is more recent). */
        st = store_prepare(
            db, "SELECT c.id FROM campaign c WHERE c.state = 'open' AND c.deadline_at - ?2 <= "
                "?1 AND c.opened_at < c.deadline_at - ?2 AND c.deadline_at >= ?1 AND NOT EXISTS "
                "(SELECT 1 FROM campaign_reminder r WHERE r.campaign_id = c.id AND r.kind = ?3) "
                "ORDER BY c.id");
        stmt_bind_int(st, 1, now);
        stmt_bind_int(st, 2, due[k].before);
        stmt_bind_text(st, 3, due[k].kind);
        long long ids[64];
        int n = 0;
        while ((rc = stmt_step(st)) == 1)
            if (n < 64)
                ids[n++] = stmt_int(st, 0);
        for (int i = 0; i < n && rc == ERR_OK; i++) {
            int s = 0;
            rc = remind(db, ids[i], now, mail, ctx, &s);
            *sent += s;
            if (rc == ERR_OK) {
                st = store_prepare(db, "INSERT INTO campaign_reminder (campaign_id, kind, "
                                       "sent_at) VALUES (?1, ?2, ?3)");
                stmt_bind_int(st, 1, ids[i]);
                stmt_bind_text(st, 2, due[k].kind);
                stmt_bind_int(st, 3, now);
                rc = stmt_exec(st);
            }
        }
    }
    if (rc != ERR_OK)
        *sent = 0;
    return edit_finish(db, rc);
}

int campaign_close(struct store *db, const struct actor *who, long long id, long long now)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "UPDATE campaign SET state = 'closed', closed_at = ?2, close_mark = (SELECT "
            "coalesce(max(id), 0) FROM action_status) WHERE id = ?1 AND state = 'open' "
            "RETURNING contract_id, year");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, now);
    long long contract_id = 0;
    int year = 0;
    rc = stmt_step(st);
    if (rc == 1) {
        contract_id = stmt_int(st, 0);
        year = (int)stmt_int(st, 1);
        stmt_done(st);
        rc = ERR_OK;
    } else if (rc == 0) {
        rc = ERR_INVALID;
    }
    /* Links and sessions stay in the tables until they expire: every use checks the state, so
     * they stop at once and their holder is told the campaign is closed (410), not "unknown". */
    if (rc == ERR_OK) {
        char field[40];
        snprintf(field, sizeof field, "campaign:%d", year);
        rc = audit_record(db, who, "contract", contract_id, 0, field, "open", "closed");
    }
    return edit_finish(db, rc);
}

/* ---- the reporting rate ------------------------------------------------------------------ */

static void tally(struct campaign_tally *t, long long at, long long deadline_at)
{
    t->total++;
    if (at) {
        t->answered++;
        if (at <= deadline_at)
            t->on_time++;
        else
            t->late++;
    }
}

/* The tally of key in xs (created at the end when new). */
static struct campaign_tally *tally_of(struct arena *a, struct campaign_tally **xs, int *n,
                                       int *cap, long long key)
{
    for (int i = 0; i < *n; i++)
        if ((*xs)[i].id == key)
            return &(*xs)[i];
    *xs = rows_grow(a, *xs, *n, cap, sizeof **xs);
    (*xs)[*n] = (struct campaign_tally){.id = key, .label = ""};
    return &(*xs)[(*n)++];
}

/* Each carrier's tally takes its organisation's name: the contract's carriers in one query
 * (one query per carrier was 40 round trips to PostgreSQL for a contract's detail). */
static int name_carriers(struct store *db, struct arena *a, long long contract_id,
                         struct campaign_rate *out)
{
    for (int i = 0; i < out->n_carriers; i++)
        if (!out->carriers[i].id)
            out->carriers[i].label = "Sans porteur";
    struct stmt *st = store_prepare(
        db, "SELECT DISTINCT org.id, org.name FROM action x JOIN action_organisation ao ON "
            "ao.action_id = x.id AND ao.role = 'carrier' JOIN organisation org ON org.id = "
            "ao.organisation_id WHERE x.contract_id = ?1");
    stmt_bind_int(st, 1, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        long long org = stmt_int(st, 0);
        for (int i = 0; i < out->n_carriers; i++)
            if (out->carriers[i].id == org)
                out->carriers[i].label = stmt_text(st, 1, a);
    }
    return rc;
}

int campaign_rate(struct store *db, struct arena *a, long long id, struct campaign_rate *out)
{
    *out = (struct campaign_rate){0};
    out->overall.label = "";
    struct campaign c;
    struct answers w;
    int rc = campaign_get(db, a, id, &c);
    if (rc == ERR_OK)
        rc = read_answers(db, a, id, &w);
    if (rc != ERR_OK)
        return rc;
    /* The axis of each objective: its strategic ancestor (none above: no axis). The axis's code
     * and title go down the tree with it: joined back to objective afterwards, PostgreSQL could
     * not tell the tree's size and read every objective of the instance (15 ms at 1,000
     * contracts). */
    struct stmt *st = store_prepare(
        db, "WITH RECURSIVE up(id, axis, code, title) AS (SELECT id, id, code, title FROM "
            "objective WHERE contract_id = ?1 AND level = 'strategic' UNION ALL SELECT o.id, "
            "up.axis, up.code, up.title FROM objective o JOIN up ON o.parent_id = up.id) SELECT "
            "id, axis, code, title FROM up ORDER BY id");
    stmt_bind_int(st, 1, c.contract_id);
    long long *obj = NULL, *axis = NULL;
    char **code = NULL, **title = NULL;
    int n_obj = 0, cap[4] = {0};
    while ((rc = stmt_step(st)) == 1) {
        obj = rows_grow(a, obj, n_obj, &cap[0], sizeof *obj);
        axis = rows_grow(a, axis, n_obj, &cap[1], sizeof *axis);
        code = rows_grow(a, code, n_obj, &cap[2], sizeof *code);
        title = rows_grow(a, title, n_obj, &cap[3], sizeof *title);
        obj[n_obj] = stmt_int(st, 0);
        axis[n_obj] = stmt_int(st, 1);
        code[n_obj] = stmt_text(st, 2, a);
        title[n_obj++] = stmt_text(st, 3, a);
    }
    if (rc != ERR_OK)
        return rc;
    int cap_c = 0, cap_a = 0;
    for (int i = 0; i < w.n_xs; i++) {
        const struct action_brief *x = &w.xs[i];
        if (!exists(&w, x->id))
            continue;
        long long at = answered_at(&w, x->id);
        tally(&out->overall, at, c.deadline_at);
        struct campaign_tally *t = tally_of(a, &out->carriers, &out->n_carriers, &cap_c,
                                            x->carrier_id);
        tally(t, at, c.deadline_at);
        int k = -1;
        for (int j = 0; j < n_obj && k < 0; j++)
            if (obj[j] == x->objective_id)
                k = j;
        t = tally_of(a, &out->axes, &out->n_axes, &cap_a, k < 0 ? 0 : axis[k]);
        if (k >= 0 && !*t->label) {
            struct buf b = {0};
            buf_puts(&b, code[k]);
            buf_puts(&b, *code[k] ? " — " : "");
            buf_puts(&b, title[k]);
            t->label = arena_strdup(a, buf_cstr(&b));
            buf_free(&b);
        }
        tally(t, at, c.deadline_at);
    }
    for (int i = 0; i < out->n_axes; i++)
        if (!out->axes[i].id)
            out->axes[i].label = "Sans axe";
    return name_carriers(db, a, c.contract_id, out);
}
