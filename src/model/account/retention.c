/* retention.c — the purge of directory records past their retention date: listed for the
 * command line's dry run, erased one by one (each in its own transaction, so one failure leaves
 * the others done) by the mailer's tick or `boussole directory purge --yes`. */
#include "model/account/retention.h"

#include <stdio.h>

#include "base/date.h"
#include "model/account/gdpr.h"
#include "store/rows.h"

const struct actor retention_actor = {0, "purge automatique (date de conservation dépassée)"};

static void read_expired(struct stmt *st, struct arena *a, void *row)
{
    struct expired_person *p = row;
    p->id = stmt_int(st, 0);
    p->contract_id = stmt_int(st, 1);
    p->account_id = stmt_int(st, 2);
    p->name = stmt_text(st, 3, a);
    p->contract_name = stmt_text(st, 4, a);
    p->retain_until = stmt_text(st, 5, a);
}

int retention_expired(struct store *db, struct arena *a, long long now,
                      struct expired_person **out, int *n)
{
    struct date d = date_of_time(now);
    char today[11];
    date_iso(&d, today);
    /* The date is the last day kept, as the public pages read it (retain_until >= today). */
    struct stmt *st = store_prepare(
        db,
        "SELECT p.id, p.contract_id, coalesce(p.account_id, 0), p.name, "
        "coalesce(nullif(c.short_title, ''), c.title, ''), p.retain_until FROM person p LEFT JOIN contract c ON "
        "c.id = p.contract_id WHERE p.retain_until <> '' AND p.retain_until < ?1 "
        "ORDER BY p.contract_id, p.name, p.id");
    stmt_bind_text(st, 1, today);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_expired, &rows, n);
    *out = rows;
    return rc;
}

/* A record tied to an account keeps its name (the account still signs in with it) but leaves
 * the directory, journaled field by field. */
static int withdraw_from_directory(struct store *db, const struct expired_person *p)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(db,
                                    "SELECT version, public_consent FROM person WHERE id = ?1");
    stmt_bind_int(st, 1, p->id);
    rc = stmt_step(st);
    int version = rc == 1 ? (int)stmt_int(st, 0) : 0, consent = rc == 1 ? (int)stmt_int(st, 1) : 0;
    if (rc == 1)
        stmt_done(st); /* one row read: the statement must not stay open */
    rc = rc == 1 ? ERR_OK : (rc == 0 ? ERR_NOTFOUND : rc);
    static const char *const steps[] = {
        ("UPDATE person SET public_consent = 0, retain_until = '', version = version + 1 "
         "WHERE id = ?1"),
        "DELETE FROM person_referent WHERE person_id = ?1",
        "UPDATE service SET person_id = NULL WHERE person_id = ?1",
    };
    for (int i = 0; rc == ERR_OK && i < 3; i++) {
        st = store_prepare(db, steps[i]);
        stmt_bind_int(st, 1, p->id);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = audit_field(db, &retention_actor, "person", p->id, version + 1, "public_consent",
                         consent ? "1" : "0", "0");
    if (rc == ERR_OK)
        rc = audit_record(db, &retention_actor, "person", p->id, version + 1, "retain_until",
                          p->retain_until, "");
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db);
}

int retention_purge_one(struct store *db, const struct expired_person *p)
{
    if (p->account_id)
        return withdraw_from_directory(db, p);
    return gdpr_person_erase(db, &retention_actor, p->id);
}

int retention_purge_tick(struct store *db, long long now)
{
    struct arena a = {0};
    struct expired_person *ps = NULL;
    int n = 0, done = 0;
    int rc = retention_expired(db, &a, now, &ps, &n);
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        rc = retention_purge_one(db, &ps[i]);
        if (rc == ERR_OK)
            done++;
    }
    arena_free(&a);
    return rc == ERR_OK ? done : rc;
}
