/* outbox.c — the SQL of the e-mail queue (table outbox, migration 009). Must not send anything
 * nor format messages: web/core/mailer.c sends, the screens write the texts. */
#include "model/core/outbox.h"

static void bind_opt_id(struct stmt *st, int idx, long long id)
{
    if (id > 0)
        stmt_bind_int(st, idx, id);
    else
        stmt_bind_null(st, idx);
}

int outbox_add(struct store *db, const struct outbox_mail *m, long long now, long long *id)
{
    struct stmt *st = store_prepare(
        db,
        "INSERT INTO outbox (created_at, kind, account_id, person_id, contract_id, to_addr, "
        "subject, body, attachment_name, attachment_type, attachment, next_attempt_at, list_unsubscribe) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?1, ?12)");
    stmt_bind_int(st, 1, now);
    stmt_bind_text(st, 2, m->kind);
    bind_opt_id(st, 3, m->account_id);
    bind_opt_id(st, 4, m->person_id);
    bind_opt_id(st, 5, m->contract_id);
    stmt_bind_text(st, 6, m->to);
    stmt_bind_text(st, 7, m->subject);
    stmt_bind_text(st, 8, m->body);
    stmt_bind_text(st, 9, m->attachment_name);
    stmt_bind_text(st, 10, m->attachment_name ? m->attachment_type : NULL);
    stmt_bind_text(st, 11, m->attachment_name ? m->attachment : NULL);
    stmt_bind_text(st, 12, m->list_unsubscribe);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && id)
        *id = store_last_id(db);
    return rc;
}

int outbox_claim(struct store *db, struct arena *a, long long now, struct outbox_mail *out)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, next_attempt_at, kind, to_addr, subject, body, attachment_name, "
            "attachment_type, attachment, attempts, coalesce(account_id, 0), "
            "coalesce(person_id, 0), coalesce(contract_id, 0), list_unsubscribe FROM outbox "
            "WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1 "
            "ORDER BY next_attempt_at, id LIMIT 1");
    stmt_bind_int(st, 1, now);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    long long due = stmt_int(st, 1);
    *out = (struct outbox_mail){
        .id = stmt_int(st, 0),
        .kind = stmt_text(st, 2, a),
        .to = stmt_text(st, 3, a),
        .subject = stmt_text(st, 4, a),
        .body = stmt_text(st, 5, a),
        .attachment_name = stmt_is_null(st, 6) ? NULL : stmt_text(st, 6, a),
        .attachment_type = stmt_text(st, 7, a),
        .attachment = stmt_text(st, 8, a),
        .attempts = (int)stmt_int(st, 9),
        .account_id = stmt_int(st, 10),
        .person_id = stmt_int(st, 11),
        .contract_id = stmt_int(st, 12),
        .list_unsubscribe = stmt_is_null(st, 13) ? NULL : stmt_text(st, 13, a),
    };
    stmt_done(st);
    /* The lease: only the sender whose UPDATE still sees the old due time owns the row, so two
     * processes on one database never send the same message twice. */
    st = store_prepare(db, "UPDATE outbox SET next_attempt_at = ?3, attempts = attempts + 1 "
                           "WHERE id = ?1 AND next_attempt_at = ?2 AND sent_at IS NULL");
    stmt_bind_int(st, 1, out->id);
    stmt_bind_int(st, 2, due);
    stmt_bind_int(st, 3, now + OUTBOX_LEASE_S);
    rc = stmt_exec(st);
    if (rc != ERR_OK)
        return rc;
    if (store_changes(db) != 1)
        return ERR_NOTFOUND;
    out->attempts++;
    return ERR_OK;
}

int outbox_mark_sent(struct store *db, long long id, long long now)
{
    struct stmt *st = store_prepare(
        db, "UPDATE outbox SET sent_at = ?2, body = '', attachment = NULL, last_error = '', "
            "list_unsubscribe = NULL "
            "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, now);
    return stmt_exec(st);
}

int outbox_mark_failed(struct store *db, long long id, long long now, const char *error)
{
    struct stmt *st = store_prepare(db, "SELECT attempts FROM outbox WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    long long attempts = stmt_int(st, 0);
    stmt_done(st);
    long long delay = OUTBOX_FIRST_RETRY_S;
    for (long long i = 1; i < attempts && delay < OUTBOX_MAX_RETRY_S; i++)
        delay *= 2;
    if (delay > OUTBOX_MAX_RETRY_S)
        delay = OUTBOX_MAX_RETRY_S;
    bool give_up = attempts >= OUTBOX_MAX_ATTEMPTS;
    st = store_prepare(db, "UPDATE outbox SET next_attempt_at = ?2, failed_at = ?3, "
                           "last_error = ?4 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, now + delay);
    if (give_up)
        stmt_bind_int(st, 3, now);
    else
        stmt_bind_null(st, 3);
    stmt_bind_text(st, 4, error ? error : "");
    return stmt_exec(st);
}

long long outbox_next_due(struct store *db)
{
    struct stmt *st = store_prepare(
        db, "SELECT min(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL");
    long long due = 0;
    if (stmt_step(st) == 1 && !stmt_is_null(st, 0))
        due = stmt_int(st, 0);
    stmt_done(st);
    return due;
}

int outbox_purge(struct store *db, long long before)
{
    struct stmt *st = store_prepare(
        db, "DELETE FROM outbox WHERE coalesce(sent_at, failed_at) < ?1");
    stmt_bind_int(st, 1, before);
    return stmt_exec(st);
}

int outbox_pending(struct store *db, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL");
    int rc = stmt_step(st);
    *n = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_DB : rc;
}
