/* survey_answer.c — the respondent's side of questionnaires in SQL (migration 014): a link's
 * token exchanged for a short session, the actions a visit may answer for and what Boussole
 * knows of them, and the answers saved as rows (a draft replaced at each save, final once sent). */
#include <stdio.h>
#include <string.h>

#include "base/secret.h"
#include "base/str.h"
#include "model/plan/editing_internal.h"
#include "model/report/survey.h"
#include "store/rows.h"

/* ---- personal links and their sessions ------------------------------------------------------ */

int survey_link_use(struct store *db, const char *token, long long now, char *session,
                    bool *closed)
{
    *closed = false;
    if (!token || strlen(token) != SURVEY_TOKEN_LEN)
        return ERR_NOTFOUND;
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT t.link_id, s.state = 'open' FROM survey_token t JOIN survey_link l ON l.id "
            "= t.link_id JOIN survey s ON s.id = l.survey_id WHERE t.digest = ?1");
    stmt_bind_text(st, 1, digest);
    rc = stmt_step(st);
    long long link_id = 0;
    if (rc == 1) {
        link_id = stmt_int(st, 0);
        *closed = stmt_int(st, 1) == 0;
        stmt_done(st);
        rc = *closed ? ERR_NOTFOUND : ERR_OK;
    } else if (rc == 0) {
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_OK) {
        char sdigest[SECRET_DIGEST_LEN + 1];
        secret_token(session);
        secret_digest(session, sdigest);
        st = store_prepare(db, "INSERT INTO survey_session (digest, link_id, expires_at) "
                               "VALUES (?1, ?2, ?3)");
        stmt_bind_text(st, 1, sdigest);
        stmt_bind_int(st, 2, link_id);
        stmt_bind_int(st, 3, now + SURVEY_SESSION_S);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "UPDATE survey_link SET used_at = ?2 WHERE id = ?1");
        stmt_bind_int(st, 1, link_id);
        stmt_bind_int(st, 2, now);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "DELETE FROM survey_session WHERE expires_at < ?1");
        stmt_bind_int(st, 1, now);
        rc = stmt_exec(st);
    }
    if (rc == ERR_NOTFOUND) {
        store_rollback(db);
        return rc;
    }
    return edit_finish(db, rc);
}

int survey_session_find(struct store *db, struct arena *a, const char *session, long long now,
                        struct survey_visit *out, bool *closed)
{
    *closed = false;
    if (!session || strlen(session) != SECRET_TOKEN_LEN)
        return ERR_NOTFOUND;
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(session, digest);
    struct stmt *st = store_prepare(
        db, "SELECT l.id, l.survey_id, l.organisation_id, p.name, o.name FROM survey_session s "
            "JOIN survey_link l ON l.id = s.link_id JOIN organisation o ON o.id = "
            "l.organisation_id JOIN person p ON p.id = l.person_id WHERE s.digest = ?1 AND "
            "s.expires_at >= ?2");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, now);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    long long survey_id = stmt_int(st, 1);
    out->link_id = stmt_int(st, 0);
    out->organisation_id = stmt_int(st, 2);
    out->name = stmt_text(st, 3, a);
    out->organisation = stmt_text(st, 4, a);
    stmt_done(st);
    rc = survey_get(db, a, survey_id, &out->survey);
    if (rc == ERR_OK && !str_eq(out->survey.state, "open")) {
        *closed = true;
        rc = ERR_NOTFOUND;
    }
    return rc;
}

int survey_visit_actions(struct store *db, struct arena *a, const struct survey_visit *v,
                         struct survey_target **out, int *n)
{
    struct carried_action *xs = NULL;
    int nx = 0;
    *out = NULL;
    *n = 0;
    int rc = action_list_carried(db, a, v->organisation_id, v->survey.contract_id, 0, &xs, &nx);
    if (rc != ERR_OK)
        return rc;
    *out = arena_alloc(a, (size_t)(nx + 1) * sizeof **out);
    for (int i = 0; i < nx && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(
            db, "SELECT state FROM survey_response WHERE link_id = ?1 AND action_id = ?2");
        stmt_bind_int(st, 1, v->link_id);
        stmt_bind_int(st, 2, xs[i].id);
        rc = stmt_step(st);
        const char *state = "";
        if (rc == 1) {
            state = stmt_text(st, 0, a);
            stmt_done(st);
        }
        rc = rc < 0 ? rc : ERR_OK;
        (*out)[(*n)++] = (struct survey_target){xs[i], state};
    }
    return rc;
}

/* The organisations of an action in one role, joined by ", ". */
static char *action_orgs(struct store *db, struct arena *a, long long action_id, const char *role)
{
    struct stmt *st = store_prepare(
        db, "SELECT group_concat(name, ', ') FROM (SELECT o.name FROM action_organisation ao "
            "JOIN organisation o ON o.id = ao.organisation_id WHERE ao.action_id = ?1 AND "
            "(ao.role = ?2 OR (?2 = 'carrier' AND ao.role = 'co_carrier')) ORDER BY ao.position, "
            "o.name) AS named");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_text(st, 2, role);
    char *s = "";
    if (stmt_step(st) == 1) {
        s = stmt_text(st, 0, a);
        stmt_done(st);
    }
    return s;
}

int survey_action_known(struct store *db, struct arena *a, long long contract_id,
                        long long action_id, struct survey_known *out)
{
    *out = (struct survey_known){"", "", "", "", "", "", NULL, NULL, 0};
    struct stmt *st = store_prepare(
        db, "WITH RECURSIVE up(id, parent_id, level, code, title) AS (SELECT o.id, o.parent_id, "
            "o.level, o.code, o.title FROM objective o JOIN action x ON x.objective_id = o.id "
            "WHERE x.id = ?1 UNION ALL SELECT o.id, o.parent_id, o.level, o.code, o.title FROM "
            "objective o JOIN up ON o.id = up.parent_id) SELECT x.title, x.code, (SELECT "
            "trim(code || ' ' || title) FROM up WHERE level = 'strategic'), (SELECT trim(code "
            "|| ' ' || title) FROM up WHERE level = 'specific') FROM action x WHERE x.id = ?1 "
            "AND x.contract_id = ?2");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, contract_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    out->title = stmt_text(st, 0, a);
    out->code = stmt_text(st, 1, a);
    out->axis = stmt_text(st, 2, a);
    out->specific = stmt_text(st, 3, a);
    stmt_done(st);
    st = store_prepare(db, "SELECT s.year, s.status FROM action_status s WHERE s.action_id = ?1 "
                           "AND s.id = (SELECT max(id) FROM action_status t WHERE t.action_id = "
                           "?1 AND t.year = s.year) ORDER BY s.year");
    stmt_bind_int(st, 1, action_id);
    int cap = 0, cap2 = 0;
    while ((rc = stmt_step(st)) == 1) {
        out->years = rows_grow(a, out->years, out->n_statuses, &cap, sizeof *out->years);
        out->statuses = rows_grow(a, out->statuses, out->n_statuses, &cap2, sizeof *out->statuses);
        out->years[out->n_statuses] = (int)stmt_int(st, 0);
        out->statuses[out->n_statuses++] = status_from_key(stmt_text(st, 1, a));
    }
    if (rc != ERR_OK)
        return rc;
    out->carriers = action_orgs(db, a, action_id, "carrier");
    out->partners = action_orgs(db, a, action_id, "partner");
    return ERR_OK;
}

/* ---- answers ---------------------------------------------------------------------------------- */

static int may_answer(struct store *db, const struct survey_visit *v, long long action_id)
{
    struct stmt *st = store_prepare(
        db, "SELECT 1 FROM action x JOIN action_organisation ao ON ao.action_id = x.id WHERE "
            "x.id = ?1 AND x.contract_id = ?2 AND x.archived = 0 AND ao.organisation_id = ?3 "
            "AND ao.role IN ('carrier', 'co_carrier')");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, v->survey.contract_id);
    stmt_bind_int(st, 3, v->organisation_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_FORBIDDEN : rc;
    stmt_done(st);
    return ERR_OK;
}

int survey_answer_load(struct store *db, struct arena *a, const struct survey_visit *v,
                       long long action_id, const char **state, struct survey_part **out, int *n)
{
    *state = "";
    *out = NULL;
    *n = 0;
    int rc = may_answer(db, v, action_id);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT r.state, w.question_id, w.part, w.value FROM survey_response r LEFT JOIN "
            "survey_answer w ON w.response_id = r.id WHERE r.link_id = ?1 AND r.action_id = ?2 "
            "ORDER BY w.id");
    stmt_bind_int(st, 1, v->link_id);
    stmt_bind_int(st, 2, action_id);
    int cap = 0;
    while ((rc = stmt_step(st)) == 1) {
        *state = stmt_text(st, 0, a);
        if (stmt_is_null(st, 1))
            continue;
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct survey_part){stmt_int(st, 1), stmt_text(st, 2, a),
                                              stmt_text(st, 3, a)};
    }
    return rc;
}

int survey_answer_save(struct store *db, const struct survey_visit *v, long long action_id,
                       const struct survey_part *parts, int n, bool submit, long long now)
{
    int rc = may_answer(db, v, action_id);
    if (rc != ERR_OK)
        return rc;
    rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT id, state FROM survey_response WHERE link_id = ?1 AND action_id = ?2");
    stmt_bind_int(st, 1, v->link_id);
    stmt_bind_int(st, 2, action_id);
    rc = stmt_step(st);
    long long response_id = 0;
    bool first = rc == 0;
    if (rc == 1) {
        response_id = stmt_int(st, 0);
        struct arena a = {0};
        bool submitted = str_eq(stmt_text(st, 1, &a), "submitted");
        arena_free(&a);
        stmt_done(st);
        rc = submitted ? ERR_CONFLICT : ERR_OK;
    }
    if (first) {
        st = store_prepare(db, "INSERT INTO survey_response (survey_id, link_id, action_id, "
                               "saved_at) VALUES (?1, ?2, ?3, ?4)");
        stmt_bind_int(st, 1, v->survey.id);
        stmt_bind_int(st, 2, v->link_id);
        stmt_bind_int(st, 3, action_id);
        stmt_bind_int(st, 4, now);
        rc = stmt_exec(st);
        response_id = store_last_id(db);
    }
    /* A draft is the respondent's scratch pad: replaced whole at each save. Once submitted the
     * answer is final (ERR_CONFLICT above), so what the results count never changes behind them. */
    if (rc == ERR_OK) {
        st = store_prepare(db, "DELETE FROM survey_answer WHERE response_id = ?1");
        stmt_bind_int(st, 1, response_id);
        rc = stmt_exec(st);
    }
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        st = store_prepare(db, "INSERT INTO survey_answer (response_id, question_id, part, "
                               "value) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM "
                               "survey_question WHERE id = ?2 AND survey_id = ?5)");
        stmt_bind_int(st, 1, response_id);
        stmt_bind_int(st, 2, parts[i].question_id);
        stmt_bind_text(st, 3, parts[i].part);
        stmt_bind_text(st, 4, parts[i].value);
        stmt_bind_int(st, 5, v->survey.id);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "UPDATE survey_response SET saved_at = ?2, state = CASE WHEN ?3 "
                               "THEN 'submitted' ELSE 'draft' END, submitted_at = CASE WHEN ?3 "
                               "THEN ?2 END WHERE id = ?1");
        stmt_bind_int(st, 1, response_id);
        stmt_bind_int(st, 2, now);
        stmt_bind_int(st, 3, submit);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK && submit) {
        struct buf name = {0};
        buf_puts(&name, v->name);
        buf_puts(&name, " (");
        buf_puts(&name, v->organisation);
        buf_puts(&name, ", lien de questionnaire)");
        struct actor who = {0, buf_cstr(&name)};
        char field[32];
        snprintf(field, sizeof field, "survey:%lld", v->survey.id);
        rc = audit_record(db, &who, "action", action_id, 0, field, "", "submitted");
        buf_free(&name);
    }
    return edit_finish(db, rc);
}
