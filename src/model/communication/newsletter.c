/* newsletter.c — the SQL of the newsletter (tables newsletter, subscriber, newsletter_delivery,
 * migration 019): issues, subscribers, sending through the outbox and the one-click
 * unsubscribe. Must not write the mails' texts (the screens do) nor send anything. */
#include "model/communication/newsletter.h"

#include <stdio.h>
#include <string.h>

#include "base/secret.h"
#include "base/str.h"
#include "store/rows.h"

static const char ISSUE_COLUMNS[] = "id, contract_id, number, version, recipients, "
                                    "coalesce(sent_year, 0), title, body, state, created_at, "
                                    "coalesce(sent_at, 0)";

static void read_issue(struct stmt *st, struct arena *a, void *row)
{
    struct newsletter *x = row;
    *x = (struct newsletter){
        .id = stmt_int(st, 0),
        .contract_id = stmt_int(st, 1),
        .number = (int)stmt_int(st, 2),
        .version = (int)stmt_int(st, 3),
        .recipients = (int)stmt_int(st, 4),
        .sent_year = (int)stmt_int(st, 5),
        .title = stmt_text(st, 6, a),
        .body = stmt_text(st, 7, a),
        .state = stmt_text(st, 8, a),
        .created_at = stmt_int(st, 9),
        .sent_at = stmt_int(st, 10),
    };
}

int newsletter_list(struct store *db, struct arena *a, long long contract_id, bool sent_only,
                    struct newsletter **out, int *n)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM newsletter WHERE contract_id = ?1 AND (?2 = 0 OR state = 'sent') "
             "ORDER BY number DESC",
             ISSUE_COLUMNS);
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, sent_only);
    return rows_read_all(st, a, sizeof **out, read_issue, (void **)out, n);
}

static int get_one(struct stmt *st, struct arena *a, struct newsletter *out)
{
    int rc = stmt_step(st);
    if (rc == 1)
        read_issue(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int newsletter_get(struct store *db, struct arena *a, long long id, struct newsletter *out)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM newsletter WHERE id = ?1", ISSUE_COLUMNS);
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    return get_one(st, a, out);
}

int newsletter_by_number(struct store *db, struct arena *a, long long contract_id, int number,
                         struct newsletter *out)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM newsletter WHERE contract_id = ?1 AND number = ?2",
             ISSUE_COLUMNS);
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, number);
    return get_one(st, a, out);
}

/* Commits when rc is ERR_OK, else rolls back; returns the outcome. */
static int finish(struct store *db, int rc)
{
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db);
}

int newsletter_create(struct store *db, const struct actor *who, long long contract_id,
                      const char *title, const char *body, long long now, long long *id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "INSERT INTO newsletter (contract_id, number, title, body, created_at) VALUES (?1, "
            "(SELECT coalesce(max(number), 0) + 1 FROM newsletter WHERE contract_id = ?1), ?2, "
            "?3, ?4)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, title);
    stmt_bind_text(st, 3, body ? body : "");
    stmt_bind_int(st, 4, now);
    rc = stmt_exec(st);
    long long new_id = rc == ERR_OK ? store_last_id(db) : 0;
    /* The journal names issues by their number, as people do. */
    struct arena a = {0};
    struct newsletter x = {0};
    if (rc == ERR_OK)
        rc = newsletter_get(db, &a, new_id, &x);
    arena_free(&a);
    char field[48];
    snprintf(field, sizeof field, "newsletter:%d", x.number);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "contract", contract_id, 0, field, "", title);
    if (rc == ERR_OK && id)
        *id = new_id;
    return finish(db, rc);
}

int newsletter_update(struct store *db, const struct actor *who, long long id, int version,
                      const char *title, const char *body)
{
    struct arena a = {0};
    struct newsletter x;
    int rc = newsletter_get(db, &a, id, &x);
    if (rc == ERR_OK && !str_eq(x.state, "draft"))
        rc = ERR_INVALID;
    else if (rc == ERR_OK && x.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct stmt *st = store_prepare(db, "UPDATE newsletter SET title = ?2, body = ?3, "
                                        "version = version + 1 WHERE id = ?1 AND version = ?4 "
                                        "AND state = 'draft'");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, title);
    stmt_bind_text(st, 3, body);
    stmt_bind_int(st, 4, version);
    rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        rc = ERR_CONFLICT;
    char field[48];
    snprintf(field, sizeof field, "newsletter:%d:title", x.number);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "contract", x.contract_id, version + 1, field, x.title, title);
    snprintf(field, sizeof field, "newsletter:%d:body", x.number);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "contract", x.contract_id, version + 1, field, x.body, body);
    arena_free(&a);
    return finish(db, rc);
}

/* Queues the issue's mail to one subscriber with a new personal token. */
static int queue_one(struct store *db, const struct newsletter *x, long long subscriber_id,
                     const char *email, const char *base_url, long long now,
                     newsletter_mail_fn *mail, void *ctx)
{
    char token[SECRET_TOKEN_LEN + 1], digest[SECRET_DIGEST_LEN + 1];
    secret_token(token);
    secret_digest(token, digest);
    struct buf url = {0};
    buf_printf(&url, "%s/newsletter/unsubscribe?token=%u", base_url ? base_url : "", token);
    struct outbox_mail m = {.kind = "newsletter", .contract_id = x->contract_id, .to = email};
    int rc = mail(ctx, x, email, buf_cstr(&url), &m);
    m.list_unsubscribe = buf_cstr(&url);
    long long outbox_id = 0;
    if (rc == ERR_OK)
        rc = outbox_add(db, &m, now, &outbox_id);
    buf_free(&url);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(db,
                                    "INSERT INTO newsletter_delivery (newsletter_id, "
                                    "subscriber_id, digest, outbox_id) VALUES (?1, ?2, ?3, ?4)");
    stmt_bind_int(st, 1, x->id);
    stmt_bind_int(st, 2, subscriber_id);
    stmt_bind_text(st, 3, digest);
    stmt_bind_int(st, 4, outbox_id);
    return stmt_exec(st);
}

static int queue_all(struct store *db, struct arena *a, const struct newsletter *x,
                     const char *base_url, long long now, newsletter_mail_fn *mail, void *ctx,
                     int *recipients)
{
    struct subscriber *subs = NULL;
    int n = 0;
    int rc = subscriber_list(db, a, x->contract_id, &subs, &n);
    *recipients = 0;
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        if (subs[i].unsubscribed_at)
            continue;
        rc = queue_one(db, x, subs[i].id, subs[i].email, base_url, now, mail, ctx);
        if (rc == ERR_OK)
            (*recipients)++;
    }
    return rc;
}

int newsletter_send(struct store *db, const struct actor *who, long long id, int version,
                    const char *base_url, long long now, int year, newsletter_mail_fn *mail,
                    void *ctx, int *recipients)
{
    struct arena a = {0};
    struct newsletter x;
    *recipients = 0;
    int rc = newsletter_get(db, &a, id, &x);
    if (rc == ERR_OK && !str_eq(x.state, "draft"))
        rc = ERR_INVALID;
    else if (rc == ERR_OK && x.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    rc = queue_all(db, &a, &x, base_url, now, mail, ctx, recipients);
    if (rc == ERR_OK && *recipients == 0)
        rc = ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "UPDATE newsletter SET state = 'sent', sent_at = ?2, sent_year = ?3, "
            "recipients = ?4, version = version + 1 WHERE id = ?1 AND version = ?5 AND "
            "state = 'draft'");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, now);
    stmt_bind_int(st, 3, year);
    stmt_bind_int(st, 4, *recipients);
    stmt_bind_int(st, 5, version);
    if (rc == ERR_OK)
        rc = stmt_exec(st);
    else
        stmt_done(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        rc = ERR_CONFLICT;
    char field[48], value[32];
    snprintf(field, sizeof field, "newsletter:%d:state", x.number);
    snprintf(value, sizeof value, "sent:%d", *recipients);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "contract", x.contract_id, version + 1, field, "draft", value);
    arena_free(&a);
    if (rc != ERR_OK)
        *recipients = 0;
    return finish(db, rc);
}

static void read_subscriber(struct stmt *st, struct arena *a, void *row)
{
    struct subscriber *s = row;
    *s = (struct subscriber){
        .id = stmt_int(st, 0),
        .contract_id = stmt_int(st, 1),
        .email = stmt_text(st, 2, a),
        .consent_text = stmt_text(st, 3, a),
        .consent_at = stmt_int(st, 4),
        .unsubscribed_at = stmt_int(st, 5),
    };
}

int subscriber_list(struct store *db, struct arena *a, long long contract_id,
                    struct subscriber **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, contract_id, email, consent_text, consent_at, "
            "coalesce(unsubscribed_at, 0) FROM subscriber WHERE contract_id = ?1 ORDER BY email");
    stmt_bind_int(st, 1, contract_id);
    return rows_read_all(st, a, sizeof **out, read_subscriber, (void **)out, n);
}

int subscriber_active_count(struct store *db, long long contract_id, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT count(*) FROM subscriber WHERE contract_id = ?1 "
                                        "AND unsubscribed_at IS NULL");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    *n = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_DB : rc;
}

int subscriber_add(struct store *db, const struct actor *who, long long contract_id,
                   const char *email, const char *consent_text, long long now)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    /* An address that had unsubscribed comes back with its new consent; one still subscribed
     * is left alone (no change: the caller says so). */
    struct stmt *st = store_prepare(
        db, "INSERT INTO subscriber (contract_id, email, consent_at, consent_text, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?3) ON CONFLICT (contract_id, email) DO UPDATE SET "
            "consent_at = excluded.consent_at, consent_text = excluded.consent_text, "
            "unsubscribed_at = NULL WHERE subscriber.unsubscribed_at IS NOT NULL");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, email);
    stmt_bind_int(st, 3, now);
    stmt_bind_text(st, 4, consent_text);
    rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = audit_record(db, who, "contract", contract_id, 0, "subscriber", "", email);
    return finish(db, rc);
}

int subscriber_erase(struct store *db, const struct actor *who, long long contract_id,
                     long long id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    /* Mails still queued for the address go too (a sent one keeps its envelope only until the
     * outbox purge). */
    struct stmt *st = store_prepare(
        db,
        "DELETE FROM outbox WHERE kind = 'newsletter' AND contract_id = ?2 AND sent_at IS "
        "NULL AND to_addr = (SELECT email FROM subscriber WHERE id = ?1 AND contract_id = ?2)");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    rc = stmt_exec(st);
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    st = store_prepare(db, "DELETE FROM newsletter_delivery WHERE subscriber_id = "
                           "(SELECT id FROM subscriber WHERE id = ?1 AND "
                           "contract_id = ?2)");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    rc = stmt_exec(st);
    if (rc == ERR_OK) {
        st = store_prepare(db, "DELETE FROM subscriber WHERE id = ?1 AND contract_id = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, contract_id);
        rc = stmt_exec(st);
        if (rc == ERR_OK && store_changes(db) != 1)
            rc = ERR_NOTFOUND;
    }
    /* The journal keeps that someone was erased, not who. */
    if (rc == ERR_OK)
        rc = audit_record(db, who, "contract", contract_id, 0, "subscriber", "abonné effacé", "");
    return finish(db, rc);
}

int newsletter_token(struct store *db, struct arena *a, const char *token, char **email,
                     long long *contract_id, bool *already)
{
    if (!token || strlen(token) != SECRET_TOKEN_LEN)
        return ERR_NOTFOUND;
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db,
        "SELECT s.email, s.contract_id, s.unsubscribed_at IS NOT NULL FROM "
        "newsletter_delivery d JOIN subscriber s ON s.id = d.subscriber_id WHERE d.digest = ?1");
    stmt_bind_text(st, 1, digest);
    int rc = stmt_step(st);
    if (rc == 1) {
        *email = stmt_text(st, 0, a);
        *contract_id = stmt_int(st, 1);
        *already = stmt_int(st, 2) != 0;
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int newsletter_unsubscribe(struct store *db, const char *token, long long now, bool *already)
{
    struct arena a = {0};
    char *email = NULL;
    long long contract_id = 0;
    int rc = newsletter_token(db, &a, token, &email, &contract_id, already);
    if (rc != ERR_OK || *already) {
        arena_free(&a);
        return rc;
    }
    rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "UPDATE subscriber SET unsubscribed_at = ?2 WHERE unsubscribed_at IS NULL AND id = "
            "(SELECT subscriber_id FROM newsletter_delivery WHERE digest = ?1)");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, now);
    rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        *already = true; /* another request got there first */
    struct actor who = {0, "lien de désinscription"};
    if (rc == ERR_OK && !*already)
        rc = audit_record(db, &who, "contract", contract_id, 0, "unsubscribe", email, "");
    arena_free(&a);
    return finish(db, rc);
}

static void read_highlight(struct stmt *st, struct arena *a, void *row)
{
    struct newsletter_highlight *h = row;
    *h = (struct newsletter_highlight){
        .action_id = stmt_int(st, 0),
        .code = stmt_text(st, 1, a),
        .title = stmt_text(st, 2, a),
        .status = stmt_text(st, 3, a),
        .remarks = stmt_text(st, 4, a),
    };
}

int newsletter_highlights(struct store *db, struct arena *a, long long contract_id, int year,
                          struct newsletter_highlight **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT x.id, x.code, x.title, s.status, s.remarks FROM action x "
            "JOIN action_status s ON s.id = (SELECT max(id) FROM action_status "
            "WHERE action_id = x.id AND year = ?2) "
            "WHERE x.contract_id = ?1 AND x.archived = 0 AND s.status IN ('done_closed', "
            "'done_recurring', 'done', 'in_progress') "
            "ORDER BY s.status LIKE 'done%' DESC, x.position, x.code, x.id LIMIT 40");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    return rows_read_all(st, a, sizeof **out, read_highlight, (void **)out, n);
}
