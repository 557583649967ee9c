/* contract.c — SQL for territories, contracts and signatories. Must not produce HTML or JSON. */
#include "model/core/contract.h"

#include "base/str.h"
#include "store/rows.h"

#define CONTRACT_COLUMNS                                                                      \
    "c.id, c.slug, c.title, c.short_title, c.signed_on, c.status, coalesce(c.generation, 0), " \
    "coalesce(c.start_year, 0), coalesce(c.end_year, 0), t.id, t.name, t.kind, t.members, "    \
    "coalesce((SELECT o.title FROM objective o WHERE o.contract_id = c.id AND "                \
    "o.level = 'general' ORDER BY o.position LIMIT 1), ''), coalesce(c.reporting_year, 0) "    \
    "FROM contract c JOIN territory t ON t.id = c.territory_id "

static void read_contract(struct stmt *st, struct arena *a, struct contract *c)
{
    c->id = stmt_int(st, 0);
    c->slug = stmt_text(st, 1, a);
    c->title = stmt_text(st, 2, a);
    c->short_title = stmt_text(st, 3, a);
    c->signed_on = stmt_text(st, 4, a);
    c->status = stmt_text(st, 5, a);
    c->generation = (int)stmt_int(st, 6);
    c->start_year = (int)stmt_int(st, 7);
    c->end_year = (int)stmt_int(st, 8);
    c->territory.id = stmt_int(st, 9);
    c->territory.name = stmt_text(st, 10, a);
    c->territory.kind = stmt_text(st, 11, a);
    c->territory.members = stmt_text(st, 12, a);
    c->general_objective = stmt_text(st, 13, a);
    c->reporting_year = (int)stmt_int(st, 14);
}

int contract_list(struct store *db, struct arena *a, struct contract **out, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " CONTRACT_COLUMNS
                                        "ORDER BY t.name, c.generation, c.id");
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        read_contract(st, a, &(*out)[(*n)++]);
    }
    return rc < 0 ? rc : ERR_OK;
}

int contract_get(struct store *db, struct arena *a, long long id, struct contract *out)
{
    struct stmt *st = store_prepare(db, "SELECT " CONTRACT_COLUMNS "WHERE c.id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        read_contract(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int contract_find_slug(struct store *db, const char *slug, long long *id)
{
    struct stmt *st = store_prepare(db, "SELECT id FROM contract WHERE slug = ?1");
    stmt_bind_text(st, 1, slug);
    int rc = stmt_step(st);
    if (rc == 1)
        *id = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int contract_signatories(struct store *db, struct arena *a, long long contract_id,
                         struct signatory **out, int *n)
{
    int cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(organisation_id, 0), institution, representative_name, "
            "representative_title, represented_by, signed_on, note, source_ref FROM signatory "
            "WHERE contract_id = ?1 ORDER BY position, id");
    stmt_bind_int(st, 1, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct signatory *s = &(*out)[(*n)++];
        s->id = stmt_int(st, 0);
        s->organisation_id = stmt_int(st, 1);
        s->institution = stmt_text(st, 2, a);
        s->representative_name = stmt_text(st, 3, a);
        s->representative_title = stmt_text(st, 4, a);
        s->represented_by = stmt_text(st, 5, a);
        s->signed_on = stmt_text(st, 6, a);
        s->note = stmt_text(st, 7, a);
        s->source_ref = stmt_text(st, 8, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int contract_status_years(struct store *db, long long contract_id, int *years, int max, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT DISTINCT s.year FROM action_status s JOIN action a ON a.id = s.action_id "
            "WHERE a.contract_id = ?1 AND a.archived = 0 ORDER BY s.year");
    stmt_bind_int(st, 1, contract_id);
    *n = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1 && *n < max)
        years[(*n)++] = (int)stmt_int(st, 0);
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int territory_ensure(struct store *db, const char *name, const char *kind, const char *members,
                     long long *id)
{
    struct stmt *st = store_prepare(db, "SELECT id FROM territory WHERE name = ?1");
    stmt_bind_text(st, 1, name);
    int rc = stmt_step(st);
    if (rc == 1) {
        *id = stmt_int(st, 0);
        stmt_done(st);
        return ERR_OK;
    }
    if (rc < 0)
        return rc;
    st = store_prepare(db, "INSERT INTO territory (name, kind, members) VALUES (?1, ?2, ?3)");
    stmt_bind_text(st, 1, name);
    stmt_bind_text(st, 2, kind ? kind : "");
    stmt_bind_text(st, 3, members ? members : "");
    rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int contract_create(struct store *db, const struct contract *c, long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO contract (territory_id, slug, generation, title, short_title, signed_on, "
            "start_year, end_year, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, c->territory.id);
    stmt_bind_text(st, 2, str_blank(c->slug) ? NULL : c->slug);
    if (c->generation)
        stmt_bind_int(st, 3, c->generation);
    stmt_bind_text(st, 4, c->title);
    stmt_bind_text(st, 5, c->short_title ? c->short_title : "");
    stmt_bind_text(st, 6, c->signed_on ? c->signed_on : "");
    if (c->start_year)
        stmt_bind_int(st, 7, c->start_year);
    if (c->end_year)
        stmt_bind_int(st, 8, c->end_year);
    stmt_bind_text(st, 9, c->status ? c->status : "active");
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int signatory_add(struct store *db, long long contract_id, const struct signatory *s, int position)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO signatory (contract_id, organisation_id, institution, representative_name, "
            "representative_title, represented_by, signed_on, note, position) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    stmt_bind_int(st, 1, contract_id);
    if (s->organisation_id)
        stmt_bind_int(st, 2, s->organisation_id);
    stmt_bind_text(st, 3, s->institution);
    stmt_bind_text(st, 4, s->representative_name ? s->representative_name : "");
    stmt_bind_text(st, 5, s->representative_title ? s->representative_title : "");
    stmt_bind_text(st, 6, s->represented_by ? s->represented_by : "");
    stmt_bind_text(st, 7, s->signed_on ? s->signed_on : "");
    stmt_bind_text(st, 8, s->note ? s->note : "");
    stmt_bind_int(st, 9, position);
    return stmt_exec(st);
}
