/* campaign_link.c — what a carrier does through a campaign's personal link (campaign.h): the
 * link traded for a short session, the actions it may answer for, and each answer written as
 * the action's status and indicator values of the year, in the carrier's name. */
#include <stdio.h>
#include <string.h>

#include "base/secret.h"
#include "base/str.h"
#include "model/plan/action.h"
#include "model/plan/editing.h"
#include "model/plan/editing_internal.h"
#include "model/report/campaign.h"
#include "model/sheet/indicator.h"

int campaign_link_use(struct store *db, const char *token, long long now, char *session,
                      bool *closed)
{
    *closed = false;
    if (!token || strlen(token) != CAMPAIGN_TOKEN_LEN)
        return ERR_NOTFOUND;
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT t.link_id, c.state, c.closed_at FROM campaign_token t JOIN campaign_link l "
            "ON l.id = t.link_id JOIN campaign c ON c.id = l.campaign_id WHERE t.digest = ?1");
    stmt_bind_text(st, 1, digest);
    rc = stmt_step(st);
    long long link_id = 0;
    if (rc == 1) {
        link_id = stmt_int(st, 0);
        char state[8] = "";
        struct arena a = {0};
        snprintf(state, sizeof state, "%s", stmt_text(st, 1, &a));
        arena_free(&a);
        stmt_done(st);
        *closed = !str_eq(state, "open");
        rc = *closed ? ERR_NOTFOUND : ERR_OK;
    } else if (rc == 0) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_OK) {
        char sdigest[SECRET_DIGEST_LEN + 1];
        secret_token(session);
        secret_digest(session, sdigest);
        st = store_prepare(db, "INSERT INTO campaign_session (digest, link_id, expires_at) "
                               "VALUES (?1, ?2, ?3)");
        stmt_bind_text(st, 1, sdigest);
        stmt_bind_int(st, 2, link_id);
        stmt_bind_int(st, 3, now + CAMPAIGN_SESSION_S);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "UPDATE campaign_link SET used_at = ?2 WHERE id = ?1");
        stmt_bind_int(st, 1, link_id);
        stmt_bind_int(st, 2, now);
        rc = stmt_exec(st);
        /* Old sessions are of no use to anyone: forget them while we are here. */
        if (rc == ERR_OK) {
            st = store_prepare(db, "DELETE FROM campaign_session WHERE expires_at < ?1");
            stmt_bind_int(st, 1, now);
            rc = stmt_exec(st);
        }
    }
    if (rc == ERR_NOTFOUND) {
        store_rollback(db);
        return rc;
    }
    return edit_finish(db, rc);
}

int campaign_session_find(struct store *db, struct arena *a, const char *session, long long now,
                          struct campaign_visit *out, bool *closed)
{
    *closed = false;
    if (!session || strlen(session) != SECRET_TOKEN_LEN)
        return ERR_NOTFOUND;
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(session, digest);
    struct stmt *st = store_prepare(
        db,
        "SELECT l.id, l.campaign_id, l.organisation_id, p.name, o.name FROM campaign_session s "
        "JOIN campaign_link l ON l.id = s.link_id JOIN organisation o ON o.id = "
        "l.organisation_id JOIN person p ON p.id = l.person_id WHERE s.digest = ?1 AND "
        "s.expires_at >= ?2");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, now);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    long long campaign_id = stmt_int(st, 1);
    out->link_id = stmt_int(st, 0);
    out->organisation_id = stmt_int(st, 2);
    out->name = stmt_text(st, 3, a);
    out->organisation = stmt_text(st, 4, a);
    stmt_done(st);
    rc = campaign_get(db, a, campaign_id, &out->campaign);
    if (rc == ERR_OK && !str_eq(out->campaign.state, "open")) {
        *closed = true;
        rc = ERR_NOTFOUND;
    }
    return rc;
}

int campaign_visit_actions(struct store *db, struct arena *a, const struct campaign_visit *v,
                           struct carried_action **out, int *n)
{
    return action_list_carried(db, a, v->organisation_id, v->campaign.contract_id,
                               v->campaign.year, out, n);
}

/* Names the organisation, not the contact, on the row just written to table (the public action
 * page shows it; the journal, for the coordination, names the person). */
static int public_author(struct store *db, const char *sql, long long key, const char *org)
{
    struct buf by = {0};
    buf_puts(&by, org);
    buf_puts(&by, " (lien de campagne)");
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, key);
    stmt_bind_text(st, 2, buf_cstr(&by));
    int rc = stmt_exec(st);
    buf_free(&by);
    return rc;
}

int campaign_may_answer(struct store *db, const struct campaign_visit *v, long long action_id)
{
    struct stmt *st = store_prepare(
        db, "SELECT 1 FROM action x JOIN action_organisation ao ON ao.action_id = x.id WHERE "
            "x.id = ?1 AND x.contract_id = ?2 AND x.archived = 0 AND ao.organisation_id = ?3 "
            "AND ao.role IN ('carrier', 'co_carrier')");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, v->campaign.contract_id);
    stmt_bind_int(st, 3, v->organisation_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_FORBIDDEN : rc;
    stmt_done(st);
    return ERR_OK;
}

int campaign_answer(struct store *db, const struct campaign_visit *v, long long action_id,
                    enum status status, const char *remarks, const struct campaign_value *values,
                    int n_values, long long now)
{
    int rc = campaign_may_answer(db, v, action_id);
    if (rc != ERR_OK)
        return rc;
    for (int i = 0; i < n_values; i++) {
        struct stmt *st = store_prepare(
            db, "SELECT 1 FROM indicator WHERE id = ?1 AND action_id = ?2 AND archived = 0");
        stmt_bind_int(st, 1, values[i].indicator_id);
        stmt_bind_int(st, 2, action_id);
        rc = stmt_step(st);
        if (rc != 1)
            return rc == 0 ? ERR_FORBIDDEN : rc;
        stmt_done(st);
    }
    struct stmt *st;
    /* Keeps the recommendations already written for the year: a carrier updates status and
     * remarks, the coordination writes recommendations. */
    struct arena a = {0};
    const char *recommendations = "";
    st = store_prepare(db, "SELECT recommendations FROM action_status WHERE action_id = ?1 AND "
                           "year = ?2 ORDER BY id DESC LIMIT 1");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, v->campaign.year);
    rc = stmt_step(st);
    if (rc == 1) {
        recommendations = stmt_text(st, 0, &a);
        stmt_done(st);
    }
    if (rc < 0) {
        arena_free(&a);
        return rc;
    }
    rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct buf name = {0};
    buf_puts(&name, v->name);
    buf_puts(&name, " (");
    buf_puts(&name, v->organisation);
    buf_puts(&name, ", lien de campagne)");
    struct actor who = {0, buf_cstr(&name)};
    bool added = false;
    rc = action_status_add(db, &who, action_id, v->campaign.year, status, remarks, recommendations,
                           &added);
    if (rc == ERR_OK && added)
        rc = public_author(db,
                           "UPDATE action_status SET recorded_by = ?2 WHERE id = (SELECT "
                           "max(id) FROM action_status WHERE action_id = ?1)",
                           action_id, v->organisation);
    if (rc == ERR_OK) {
        st = store_prepare(
            db, "INSERT INTO campaign_entry (campaign_id, link_id, action_id, action_status_id, "
                "at) VALUES (?1, ?2, ?3, CASE WHEN ?5 THEN (SELECT max(id) FROM action_status "
                "WHERE action_id = ?3) END, ?4)");
        stmt_bind_int(st, 1, v->campaign.id);
        stmt_bind_int(st, 2, v->link_id);
        stmt_bind_int(st, 3, action_id);
        stmt_bind_int(st, 4, now);
        stmt_bind_int(st, 5, added);
        rc = stmt_exec(st);
    }
    char period[16];
    snprintf(period, sizeof period, "%d", v->campaign.year);
    for (int i = 0; i < n_values && rc == ERR_OK; i++) {
        bool value_added = false;
        rc = indicator_value_add(db, &who, values[i].indicator_id, period, values[i].value,
                                 "Lien de campagne", "", &value_added);
        if (rc == ERR_OK && value_added)
            rc = public_author(db,
                               "UPDATE indicator_value SET recorded_by = ?2 WHERE id = (SELECT "
                               "max(id) FROM indicator_value WHERE indicator_id = ?1)",
                               values[i].indicator_id, v->organisation);
    }
    buf_free(&name);
    arena_free(&a);
    return edit_finish(db, rc);
}
