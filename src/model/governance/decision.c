/* decision.c — SQL of meeting decisions and their links to actions. Must not produce HTML or
 * JSON, and must never write without its audit rows in the same transaction. */
#include "model/governance/decision.h"

#include <stdio.h>

#include "base/str.h"
#include "model/governance/governance_internal.h"

static void read_decision(struct stmt *st, struct arena *a, void *row)
{
    struct decision *d = row;
    d->id = stmt_int(st, 0);
    d->meeting_id = stmt_int(st, 1);
    d->text = stmt_text(st, 2, a);
    d->links = NULL;
    d->n_links = 0;
}

int decision_list(struct store *db, struct arena *a, long long meeting_id, struct decision **out,
                  int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, meeting_id, text FROM decision WHERE meeting_id = ?1 "
            "ORDER BY position, id");
    stmt_bind_int(st, 1, meeting_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_decision, &rows, n);
    *out = rows;
    if (rc < 0)
        return rc;
    st = store_prepare(
        db, "SELECT da.decision_id, x.id, x.code, x.title FROM decision_action da "
            "JOIN decision d ON d.id = da.decision_id JOIN action x ON x.id = da.action_id "
            "WHERE d.meeting_id = ?1 ORDER BY da.decision_id, x.position, x.id");
    stmt_bind_int(st, 1, meeting_id);
    int *caps = arena_alloc(a, sizeof *caps * (size_t)(*n + 1));
    while ((rc = stmt_step(st)) == 1) {
        long long decision_id = stmt_int(st, 0);
        int k = 0;
        while (k < *n && (*out)[k].id != decision_id)
            k++;
        if (k == *n)
            continue;
        struct decision *d = &(*out)[k];
        d->links = rows_grow(a, d->links, d->n_links, &caps[k], sizeof *d->links);
        struct decision_link *l = &d->links[d->n_links++];
        l->action_id = stmt_int(st, 1);
        l->code = stmt_text(st, 2, a);
        l->title = stmt_text(st, 3, a);
    }
    return rc;
}

int decision_add(struct store *db, const struct actor *who, long long meeting_id,
                 const char *text, const long long *action_ids, int n_actions, long long *id)
{
    if (str_blank(text) || edit_too_long(text, 5000) || n_actions > DECISION_MAX_ACTIONS)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "INSERT INTO decision (meeting_id, text, position, created_at) VALUES (?1, ?2, "
            "(SELECT coalesce(max(position), 0) + 1 FROM decision WHERE meeting_id = ?1), "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, meeting_id);
    stmt_bind_text(st, 2, text);
    rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    struct buf linked = {0};
    for (int i = 0; i < n_actions && rc == ERR_OK; i++) {
        /* The action must belong to the meeting's contract. */
        st = store_prepare(
            db, "INSERT INTO decision_action (decision_id, action_id) SELECT ?1, x.id "
                "FROM action x JOIN meeting m ON m.contract_id = x.contract_id "
                "WHERE x.id = ?2 AND m.id = ?3 ON CONFLICT DO NOTHING");
        stmt_bind_int(st, 1, *id);
        stmt_bind_int(st, 2, action_ids[i]);
        stmt_bind_int(st, 3, meeting_id);
        rc = stmt_exec(st);
        if (rc == ERR_OK && store_changes(db) != 1) {
            /* unknown, of another contract, or twice the same */
            bool twice = false;
            for (int j = 0; j < i; j++)
                twice |= action_ids[j] == action_ids[i];
            if (!twice)
                rc = ERR_INVALID;
        } else if (rc == ERR_OK) {
            buf_printf(&linked, "%s%lld", linked.len ? "," : "", action_ids[i]);
        }
    }
    char field[48];
    snprintf(field, sizeof field, "decision:%lld", rc == ERR_OK ? *id : 0);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "meeting", meeting_id, 0, field, "", text);
    if (rc == ERR_OK && linked.len) {
        snprintf(field, sizeof field, "decision_actions:%lld", *id);
        rc = audit_record(db, who, "meeting", meeting_id, 0, field, "", buf_cstr(&linked));
    }
    buf_free(&linked);
    return edit_finish(db, rc);
}

int decision_remove(struct store *db, const struct actor *who, long long meeting_id, long long id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct gov_link l = {"meeting", meeting_id, "decision:", id,
                         "SELECT text FROM decision WHERE id = ?1 AND meeting_id = ?2", id,
                         meeting_id};
    static const char *const deletes[] = {
        "DELETE FROM decision_action WHERE decision_id = ?1 AND decision_id IN "
        "(SELECT id FROM decision WHERE meeting_id = ?2)",
        "DELETE FROM decision WHERE id = ?1 AND meeting_id = ?2", NULL};
    return edit_finish(db, gov_link_remove(db, who, &l, deletes));
}

static void read_action_decision(struct stmt *st, struct arena *a, void *row)
{
    struct action_decision *d = row;
    d->id = stmt_int(st, 0);
    d->meeting_id = stmt_int(st, 1);
    d->text = stmt_text(st, 2, a);
    d->meeting_title = stmt_text(st, 3, a);
    d->held_on = stmt_text(st, 4, a);
    d->precision = stmt_text(st, 5, a);
    d->meeting_status = stmt_text(st, 6, a);
    d->body_name = stmt_text(st, 7, a);
}

int decision_of_action(struct store *db, struct arena *a, long long action_id,
                       struct action_decision **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT d.id, m.id, d.text, m.title, m.held_on, m.date_precision, m.status, "
            "coalesce(b.name, '') FROM decision_action da "
            "JOIN decision d ON d.id = da.decision_id "
            "JOIN meeting m ON m.id = d.meeting_id LEFT JOIN body b ON b.id = m.body_id "
            "WHERE da.action_id = ?1 ORDER BY m.held_on DESC, d.position, d.id");
    stmt_bind_int(st, 1, action_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_action_decision, &rows, n);
    *out = rows;
    return rc;
}
