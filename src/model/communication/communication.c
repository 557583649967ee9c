/* communication.c — the SQL of the communication plan (tables comm_item, comm_done, migration
 * 019) and the one rule that says whether a row reached its target in a year. Must not format
 * anything for a screen. */
#include "model/communication/communication.h"

#include <stdio.h>

#include "store/rows.h"

const char *comm_outcome_label(enum comm_outcome o)
{
    switch (o) {
    case COMM_MET: return "Objectif atteint";
    case COMM_MISSED: return "Objectif manqué";
    case COMM_ONGOING: return "En cours";
    case COMM_FUTURE: return "À venir";
    case COMM_NO_TARGET: break;
    }
    return "Sans objectif annuel";
}

static const char ITEM_COLUMNS[] =
    "id, contract_id, position, objective, support, target_public, message, strategy, resources, "
    "schedule, indicator, plan_version, source, target_per_year, target_from, "
    "counts_newsletters, version";

static void read_item(struct stmt *st, struct arena *a, void *row)
{
    struct comm_item *x = row;
    *x = (struct comm_item){
        .id = stmt_int(st, 0),
        .contract_id = stmt_int(st, 1),
        .position = (int)stmt_int(st, 2),
        .objective = stmt_text(st, 3, a),
        .support = stmt_text(st, 4, a),
        .target_public = stmt_text(st, 5, a),
        .message = stmt_text(st, 6, a),
        .strategy = stmt_text(st, 7, a),
        .resources = stmt_text(st, 8, a),
        .schedule = stmt_text(st, 9, a),
        .indicator = stmt_text(st, 10, a),
        .plan_version = stmt_text(st, 11, a),
        .source = stmt_text(st, 12, a),
        .target_per_year = (int)stmt_int(st, 13),
        .target_from = (int)stmt_int(st, 14),
        .counts_newsletters = stmt_int(st, 15) != 0,
        .version = (int)stmt_int(st, 16),
    };
}

int comm_list(struct store *db, struct arena *a, long long contract_id, struct comm_item **out,
              int *n)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM comm_item WHERE contract_id = ?1 ORDER BY position, id",
             ITEM_COLUMNS);
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, contract_id);
    return rows_read_all(st, a, sizeof **out, read_item, (void **)out, n);
}

int comm_get(struct store *db, struct arena *a, long long id, struct comm_item *out)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM comm_item WHERE id = ?1", ITEM_COLUMNS);
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        read_item(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

/* The row's INSERT and its journal line, in the caller's transaction. */
static int insert_item(struct store *db, const struct actor *who, long long contract_id,
                       const struct comm_item_new *x, long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO comm_item (contract_id, position, objective, support, target_public, "
            "message, strategy, resources, schedule, indicator, plan_version, source, "
            "target_per_year, target_from, counts_newsletters) VALUES (?1, "
            "(SELECT coalesce(max(position), 0) + 1 FROM comm_item WHERE contract_id = ?1), "
            "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    stmt_bind_int(st, 1, contract_id);
    const char *texts[] = {x->objective,    x->support,   x->target_public, x->message,
                           x->strategy,     x->resources, x->schedule,      x->indicator,
                           x->plan_version, x->source};
    for (int i = 0; i < 10; i++)
        stmt_bind_text(st, i + 2, texts[i] ? texts[i] : "");
    stmt_bind_int(st, 12, x->target_per_year);
    stmt_bind_int(st, 13, x->target_from);
    stmt_bind_int(st, 14, x->counts_newsletters);
    int rc = stmt_exec(st);
    if (rc != ERR_OK)
        return rc;
    long long new_id = store_last_id(db);
    if (id)
        *id = new_id;
    if (!who)
        return ERR_OK;
    char field[48];
    snprintf(field, sizeof field, "comm_item:%lld", new_id);
    return audit_record(db, who, "contract", contract_id, 0, field, "",
                        x->support ? x->support : "");
}

int comm_add(struct store *db, const struct actor *who, long long contract_id,
             const struct comm_item_new *x, long long *id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = insert_item(db, who, contract_id, x, id);
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db);
}

int comm_set_target(struct store *db, const struct actor *who, long long id, int version,
                    int per_year, int from)
{
    if (per_year < 0 || per_year > 1000 || (from && (from < 1990 || from > 2100)))
        return ERR_INVALID;
    struct arena a = {0};
    struct comm_item x;
    int rc = comm_get(db, &a, id, &x);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    if (x.version != version) {
        arena_free(&a);
        return ERR_CONFLICT;
    }
    rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct stmt *st = store_prepare(db, "UPDATE comm_item SET target_per_year = ?2, "
                                        "target_from = ?3, version = version + 1 "
                                        "WHERE id = ?1 AND version = ?4");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, per_year);
    stmt_bind_int(st, 3, from);
    stmt_bind_int(st, 4, version);
    rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        rc = ERR_CONFLICT;
    char field[48], before[48], after[48];
    snprintf(field, sizeof field, "comm_target:%lld", id);
    snprintf(before, sizeof before, "%d/an depuis %d", x.target_per_year, x.target_from);
    snprintf(after, sizeof after, "%d/an depuis %d", per_year, from);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "contract", x.contract_id, version + 1, field, before, after);
    arena_free(&a);
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db);
}

int comm_record(struct store *db, const struct actor *who, long long item_id, int year, int count,
                const char *note, long long now)
{
    if (year < 1990 || year > 2100 || count == 0 || count < -1000 || count > 1000)
        return ERR_INVALID;
    struct arena a = {0};
    struct comm_item x;
    int rc = comm_get(db, &a, item_id, &x);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct stmt *st = store_prepare(
        db, "INSERT INTO comm_done (item_id, year, count, note, recorded_at, recorded_by, "
            "account_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    stmt_bind_int(st, 1, item_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_int(st, 3, count);
    stmt_bind_text(st, 4, note ? note : "");
    stmt_bind_int(st, 5, now);
    stmt_bind_text(st, 6, who && who->name ? who->name : "");
    if (who && who->account_id > 0)
        stmt_bind_int(st, 7, who->account_id);
    else
        stmt_bind_null(st, 7);
    rc = stmt_exec(st);
    char field[64], value[32];
    snprintf(field, sizeof field, "comm_done:%lld:%d", item_id, year);
    snprintf(value, sizeof value, "%+d", count);
    if (rc == ERR_OK && who)
        rc = audit_record(db, who, "contract", x.contract_id, 0, field, "", value);
    arena_free(&a);
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db);
}

/* What was done for a row in a year: the recorded counts, plus the issues sent that year when
 * the row counts newsletters. */
static int done_in(struct store *db, const struct comm_item *x, int year, int *done)
{
    struct stmt *st = store_prepare(
        db, "SELECT coalesce((SELECT sum(count) FROM comm_done WHERE item_id = ?1 AND year = ?2), "
            "0) + CASE WHEN ?4 THEN (SELECT count(*) FROM newsletter WHERE contract_id = ?3 AND "
            "state = 'sent' AND sent_year = ?2) ELSE 0 END");
    stmt_bind_int(st, 1, x->id);
    stmt_bind_int(st, 2, year);
    stmt_bind_int(st, 3, x->contract_id);
    stmt_bind_int(st, 4, x->counts_newsletters);
    int rc = stmt_step(st);
    *done = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_DB : rc;
}

int comm_years(struct store *db, struct arena *a, const struct comm_item *x, int first, int last,
               int current_year, struct comm_year **out, int *n)
{
    *n = 0;
    if (last - first > 19)
        first = last - 19;
    int count = last >= first ? last - first + 1 : 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(count ? count : 1));
    for (int y = first; y <= last; y++) {
        struct comm_year *cy = &(*out)[(*n)++];
        *cy = (struct comm_year){.year = y};
        int rc = done_in(db, x, y, &cy->done);
        if (rc != ERR_OK)
            return rc;
        bool targeted = x->target_per_year > 0 && (!x->target_from || y >= x->target_from);
        cy->target = targeted ? x->target_per_year : 0;
        if (!targeted)
            cy->outcome = COMM_NO_TARGET;
        else if (cy->done >= cy->target)
            cy->outcome = COMM_MET;
        else if (y < current_year)
            cy->outcome = COMM_MISSED;
        else if (y == current_year)
            cy->outcome = COMM_ONGOING;
        else
            cy->outcome = COMM_FUTURE;
    }
    return ERR_OK;
}
