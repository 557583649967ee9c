/* audit.c — SQL of the audit log. Must not be bypassed: every model write that changes what
 * users see records its fields here. */
#include "model/core/audit.h"

#include "base/str.h"
#include "store/rows.h"

int audit_record(struct store *db, const struct actor *who, const char *entity, long long entity_id,
                 int version, const char *field, const char *old_value, const char *new_value)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO audit_log (at, account_id, actor, entity, entity_id, version, field, "
            "old_value, new_value) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, "
            "?4, ?5, ?6, ?7, ?8)");
    if (who && who->account_id)
        stmt_bind_int(st, 1, who->account_id);
    stmt_bind_text(st, 2, who && who->name ? who->name : "système");
    stmt_bind_text(st, 3, entity);
    stmt_bind_int(st, 4, entity_id);
    stmt_bind_int(st, 5, version);
    stmt_bind_text(st, 6, field);
    stmt_bind_text(st, 7, old_value ? old_value : "");
    stmt_bind_text(st, 8, new_value ? new_value : "");
    return stmt_exec(st);
}

int audit_field(struct store *db, const struct actor *who, const char *entity, long long entity_id,
                int version, const char *field, const char *old_value, const char *new_value)
{
    if (str_eq(old_value ? old_value : "", new_value ? new_value : ""))
        return ERR_OK;
    return audit_record(db, who, entity, entity_id, version, field, old_value, new_value);
}

int audit_last_id(struct store *db, long long *id)
{
    struct stmt *st = store_prepare(db, "SELECT coalesce(max(id), 0) FROM audit_log");
    int rc = stmt_step(st);
    *id = rc == 1 ? stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc < 0 ? rc : ERR_DB;
}

int audit_show_in(struct store *db, long long after_id, long long contract_id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO audit_contract (audit_id, contract_id) SELECT id, ?2 FROM audit_log "
            "WHERE id > ?1 ON CONFLICT DO NOTHING");
    stmt_bind_int(st, 1, after_id);
    stmt_bind_int(st, 2, contract_id);
    return stmt_exec(st);
}

/* The records of contract ?7 (0: every record), for the log's WHERE clauses; shared records
 * (organisations, contact records tied to another contract's account) through audit_contract. */
/* clang-format off */
#define IN_CONTRACT                                                                            \
    "(?7 = 0 OR (entity = 'contract' AND entity_id = ?7) OR (entity = 'signatory' AND "        \
    "entity_id IN (SELECT id FROM signatory WHERE contract_id = ?7)) OR (entity = "            \
    "'objective' AND entity_id IN (SELECT id FROM objective WHERE contract_id = ?7)) OR "      \
    "(entity = 'action' AND entity_id IN (SELECT id FROM action WHERE contract_id = ?7)) OR "  \
    "(entity = 'body' AND entity_id IN (SELECT id FROM body WHERE contract_id = ?7)) OR "      \
    "(entity = 'meeting' AND entity_id IN (SELECT id FROM meeting WHERE contract_id = ?7)) "   \
    "OR (entity = 'person' AND entity_id IN (SELECT id FROM person "                           \
    "WHERE contract_id = ?7)) OR (entity = 'service' AND entity_id IN (SELECT id FROM "        \
    "service WHERE contract_id = ?7)) OR id IN (SELECT audit_id FROM audit_contract "          \
    "WHERE contract_id = ?7)) "

/* What a record is called now, for the log's pages. */
#define LABEL                                                                                  \
    "coalesce(CASE entity WHEN 'action' THEN (SELECT CASE WHEN x.code <> '' THEN x.code || "   \
    "' ' || x.title ELSE x.title END FROM action x WHERE x.id = entity_id) "                   \
    "WHEN 'objective' THEN (SELECT CASE WHEN x.code <> '' THEN x.code || ' ' || x.title "     \
    "ELSE x.title END FROM objective x WHERE x.id = entity_id) "                               \
    "WHEN 'signatory' THEN (SELECT x.institution FROM signatory x WHERE x.id = entity_id) "    \
    "WHEN 'organisation' THEN (SELECT x.name FROM organisation x WHERE x.id = entity_id) "     \
    "WHEN 'contract' THEN (SELECT x.title FROM contract x WHERE x.id = entity_id) "            \
    "WHEN 'account' THEN (SELECT x.name FROM account x WHERE x.id = entity_id) "               \
    "WHEN 'body' THEN (SELECT x.name FROM body x WHERE x.id = entity_id) "                     \
    "WHEN 'person' THEN (SELECT x.name FROM person x WHERE x.id = entity_id) "                 \
    "WHEN 'service' THEN (SELECT x.name FROM service x WHERE x.id = entity_id) "               \
    "WHEN 'meeting' THEN (SELECT x.title || ' du ' || CASE x.date_precision "                  \
    "WHEN 'day' THEN substr(x.held_on, 9, 2) || '/' || substr(x.held_on, 6, 2) || '/' || "     \
    "substr(x.held_on, 1, 4) WHEN 'month' THEN substr(x.held_on, 6, 2) || '/' || "             \
    "substr(x.held_on, 1, 4) ELSE x.held_on END FROM meeting x WHERE x.id = entity_id) "       \
    "END, '') "
/* clang-format on */

int audit_list(struct store *db, struct arena *a, const struct audit_filter *f,
               struct audit_entry **out, int *n)
{
    int limit = f->limit > 0 ? f->limit : 500;
    *out = arena_alloc(a, sizeof **out * (size_t)limit);
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(account_id, 0), entity_id, version, at, actor, entity, field, "
            "old_value, new_value, " LABEL "FROM audit_log WHERE (?1 IS NULL OR entity = ?1) AND "
            "(?2 = 0 OR entity_id = ?2) AND (?3 = 0 OR account_id = ?3) AND "
            "(?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < date(?5, '+1 day')) AND "
            "(?8 = 0 OR version > ?8) AND " IN_CONTRACT "ORDER BY id DESC LIMIT ?6");
    stmt_bind_text(st, 1, f->entity);
    stmt_bind_int(st, 2, f->entity_id);
    stmt_bind_int(st, 3, f->account_id);
    stmt_bind_text(st, 4, f->since);
    stmt_bind_text(st, 5, f->until);
    stmt_bind_int(st, 6, limit);
    stmt_bind_int(st, 7, f->contract_id);
    stmt_bind_int(st, 8, f->after_version);
    int rc;
    while ((rc = stmt_step(st)) == 1 && *n < limit) {
        struct audit_entry *e = &(*out)[(*n)++];
        e->id = stmt_int(st, 0);
        e->account_id = stmt_int(st, 1);
        e->entity_id = stmt_int(st, 2);
        e->version = (int)stmt_int(st, 3);
        e->at = stmt_text(st, 4, a);
        e->actor = stmt_text(st, 5, a);
        e->entity = stmt_text(st, 6, a);
        e->field = stmt_text(st, 7, a);
        e->old_value = stmt_text(st, 8, a);
        e->new_value = stmt_text(st, 9, a);
        e->label = stmt_text(st, 10, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int audit_people(struct store *db, struct arena *a, long long contract_id,
                 struct audit_person **out, int *n)
{
    int cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT coalesce(account_id, 0), actor FROM audit_log WHERE id IN (SELECT max(id) "
            "FROM audit_log WHERE " IN_CONTRACT "GROUP BY coalesce(account_id, 0)) "
            "ORDER BY actor");
    stmt_bind_int(st, 7, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[*n].account_id = stmt_int(st, 0);
        (*out)[(*n)++].name = stmt_text(st, 1, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}
