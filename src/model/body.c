/* body.c — SQL of the governance bodies, their members and their elected referents. Must not
 * produce HTML or JSON, and must never write without its audit rows in the same transaction. */
#include "body.h"

#include <stdio.h>

#include "../base/str.h"
#include "gov_internal.h"

const char *const body_kinds[] = {"steering_committee", "technical_committee", "project_team",
                                  "thematic_group",     "referents_meeting",   "other",
                                  NULL};
static const char *const kind_labels[] = {
    "Comité de pilotage (COPIL)", "Comité technique (COTECH)", "Équipe projet",
    "Groupe thématique",          "Réunion des élus référents", "Autre instance",
};

const char *body_kind_label(const char *kind)
{
    int i = body_kind_index(kind);
    return i >= 0 ? kind_labels[i] : kind;
}

int body_kind_index(const char *kind)
{
    for (int i = 0; body_kinds[i]; i++)
        if (str_eq(body_kinds[i], kind))
            return i;
    return -1;
}

const char *const body_roles[] = {"chair", "member", "guest", NULL};
static const char *const role_labels[] = {"Présidence", "Membre", "Invité permanent"};

const char *body_role_label(const char *role)
{
    for (int i = 0; body_roles[i]; i++)
        if (str_eq(body_roles[i], role))
            return role_labels[i];
    return role;
}

#define BODY_COLUMNS                                                                           \
    "id, contract_id, kind, name, theme, description, min_per_year, coalesce(max_per_year, 0), " \
    "position, version FROM body "
/* Screen order: the kinds in the order of body_kinds, then position. */
#define BODY_ORDER                                                                             \
    "ORDER BY CASE kind WHEN 'steering_committee' THEN 0 WHEN 'technical_committee' THEN 1 "   \
    "WHEN 'project_team' THEN 2 WHEN 'thematic_group' THEN 3 WHEN 'referents_meeting' THEN 4 " \
    "ELSE 5 END, position, id"

static void read_body(struct stmt *st, struct arena *a, struct body *b)
{
    b->id = stmt_int(st, 0);
    b->contract_id = stmt_int(st, 1);
    b->kind = stmt_text(st, 2, a);
    b->name = stmt_text(st, 3, a);
    b->theme = stmt_text(st, 4, a);
    b->description = stmt_text(st, 5, a);
    b->min_per_year = (int)stmt_int(st, 6);
    b->max_per_year = (int)stmt_int(st, 7);
    b->position = (int)stmt_int(st, 8);
    b->version = (int)stmt_int(st, 9);
}

int body_list(struct store *db, struct arena *a, long long contract_id, struct body **out, int *n)
{
    struct stmt *st =
        store_prepare(db, "SELECT " BODY_COLUMNS "WHERE contract_id = ?1 " BODY_ORDER);
    stmt_bind_int(st, 1, contract_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = gov_grow(a, *out, *n, &cap, sizeof **out);
        read_body(st, a, &(*out)[(*n)++]);
    }
    return rc;
}

int body_get(struct store *db, struct arena *a, long long id, struct body *out)
{
    struct stmt *st = store_prepare(db, "SELECT " BODY_COLUMNS "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        read_body(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

void body_check(const struct body_edit *e, struct problems *p)
{
    if (body_kind_index(e->kind) < 0)
        problems_add(p, "kind", "Choisissez le type d'instance.");
    if (str_blank(e->name))
        problems_add(p, "name", "Donnez un nom à l'instance.");
    else if (gov_too_long(e->name, 200))
        problems_add(p, "name", "Le nom dépasse 200 caractères.");
    if (gov_too_long(e->theme, 200))
        problems_add(p, "theme", "Le thème dépasse 200 caractères.");
    if (gov_too_long(e->description, 20000))
        problems_add(p, "description", "La description dépasse 20 000 caractères.");
    if (e->min_per_year < 0 || e->min_per_year > 52)
        problems_add(p, "min_per_year", "Le nombre minimal de réunions par an va de 0 à 52.");
    if (e->max_per_year < 0 || e->max_per_year > 52)
        problems_add(p, "max_per_year", "Le nombre maximal de réunions par an va de 0 à 52.");
    else if (e->max_per_year && e->max_per_year < e->min_per_year)
        problems_add(p, "max_per_year", "Le maximum est inférieur au minimum.");
}

static const char *const fields[] = {"kind", "name", "theme", "description", "min_per_year",
                                     "max_per_year"};

static void edit_values(struct arena *a, const struct body_edit *e, const char *out[6])
{
    out[0] = gov_str(e->kind);
    out[1] = gov_str(e->name);
    out[2] = gov_str(e->theme);
    out[3] = gov_str(e->description);
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%d", e->min_per_year);
    out[4] = arena_strdup(a, tmp);
    out[5] = gov_int_text(a, e->max_per_year);
}

static void bind_edit(struct stmt *st, const struct body_edit *e)
{
    stmt_bind_text(st, 3, e->kind);
    stmt_bind_text(st, 4, e->name);
    stmt_bind_text(st, 5, gov_str(e->theme));
    stmt_bind_text(st, 6, gov_str(e->description));
    stmt_bind_int(st, 7, e->min_per_year);
    if (e->max_per_year)
        stmt_bind_int(st, 8, e->max_per_year);
    else
        stmt_bind_null(st, 8);
}

int body_create(struct store *db, long long contract_id, const struct body_edit *e,
                long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO body (contract_id, kind, name, theme, description, min_per_year, "
            "max_per_year, position, created_at) VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, "
            "(SELECT coalesce(max(position), 0) + 1 FROM body WHERE contract_id = ?1), "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    bind_edit(st, e);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int body_add(struct store *db, const struct actor *who, long long contract_id,
             const struct body_edit *e, long long *id)
{
    struct problems p = {0};
    body_check(e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = body_create(db, contract_id, e, id);
    struct arena a = {0};
    if (rc == ERR_OK) {
        const char *now[6];
        edit_values(&a, e, now);
        for (int i = 0; i < 6 && rc == ERR_OK; i++)
            rc = audit_field(db, who, "body", *id, 1, fields[i], "", now[i]);
    }
    arena_free(&a);
    return gov_finish(db, rc);
}

int body_update(struct store *db, const struct actor *who, long long id, int version,
                const struct body_edit *e)
{
    struct problems p = {0};
    body_check(e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct body old;
    rc = body_get(db, &a, id, &old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE body SET kind = ?3, name = ?4, theme = ?5, description = ?6, "
                "min_per_year = ?7, max_per_year = ?8, version = version + 1 "
                "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        bind_edit(st, e);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = gov_one_changed(db);
    if (rc == ERR_OK) {
        struct body_edit was = {old.kind, old.name, old.theme, old.description,
                                old.min_per_year, old.max_per_year};
        const char *before[6], *now[6];
        edit_values(&a, &was, before);
        edit_values(&a, e, now);
        for (int i = 0; i < 6 && rc == ERR_OK; i++)
            rc = audit_field(db, who, "body", id, version + 1, fields[i], before[i], now[i]);
    }
    arena_free(&a);
    return gov_finish(db, rc);
}

/* ---- members -------------------------------------------------------------------------------- */

int body_members(struct store *db, struct arena *a, long long body_id, struct body_member **out,
                 int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT p.id, p.name, p.function, coalesce(o.name, ''), p.email, m.role "
            "FROM body_member m JOIN person p ON p.id = m.person_id "
            "LEFT JOIN organisation o ON o.id = p.organisation_id WHERE m.body_id = ?1 "
            "ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, p.name");
    stmt_bind_int(st, 1, body_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = gov_grow(a, *out, *n, &cap, sizeof **out);
        struct body_member *m = &(*out)[(*n)++];
        m->person_id = stmt_int(st, 0);
        m->name = stmt_text(st, 1, a);
        m->function = stmt_text(st, 2, a);
        m->organisation_name = stmt_text(st, 3, a);
        m->email = stmt_text(st, 4, a);
        m->role = stmt_text(st, 5, a);
    }
    return rc;
}

/* ERR_OK when the person belongs to the contract of the body, ERR_INVALID otherwise. */
static int same_contract(struct store *db, long long body_id, long long person_id)
{
    struct stmt *st = store_prepare(
        db, "SELECT 1 FROM body b JOIN person p ON p.contract_id = b.contract_id "
            "WHERE b.id = ?1 AND p.id = ?2");
    stmt_bind_int(st, 1, body_id);
    stmt_bind_int(st, 2, person_id);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_INVALID : rc;
}

int body_member_create(struct store *db, long long body_id, long long person_id,
                       const char *role)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO body_member (body_id, person_id, role) VALUES (?1, ?2, ?3)");
    stmt_bind_int(st, 1, body_id);
    stmt_bind_int(st, 2, person_id);
    stmt_bind_text(st, 3, role);
    return stmt_exec(st);
}

int body_member_set(struct store *db, const struct actor *who, long long body_id,
                    long long person_id, const char *role)
{
    bool known = false;
    for (int i = 0; body_roles[i]; i++)
        known |= str_eq(body_roles[i], role);
    if (!known)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = same_contract(db, body_id, person_id);
    struct arena a = {0};
    const char *old = "";
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "SELECT role FROM body_member WHERE body_id = ?1 AND person_id = ?2");
        stmt_bind_int(st, 1, body_id);
        stmt_bind_int(st, 2, person_id);
        rc = stmt_step(st);
        if (rc == 1)
            old = stmt_text(st, 0, &a);
        stmt_done(st);
        rc = rc < 0 ? rc : ERR_OK;
    }
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO body_member (body_id, person_id, role) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (body_id, person_id) DO UPDATE SET role = excluded.role");
        stmt_bind_int(st, 1, body_id);
        stmt_bind_int(st, 2, person_id);
        stmt_bind_text(st, 3, role);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        char field[48];
        snprintf(field, sizeof field, "member:%lld", person_id);
        rc = audit_field(db, who, "body", body_id, 0, field, old, role);
    }
    arena_free(&a);
    return gov_finish(db, rc);
}

int body_member_remove(struct store *db, const struct actor *who, long long body_id,
                       long long person_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    const char *old = "";
    struct stmt *st =
        store_prepare(db, "SELECT role FROM body_member WHERE body_id = ?1 AND person_id = ?2");
    stmt_bind_int(st, 1, body_id);
    stmt_bind_int(st, 2, person_id);
    rc = stmt_step(st);
    if (rc == 1)
        old = stmt_text(st, 0, &a);
    stmt_done(st);
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK) {
        st = store_prepare(db, "DELETE FROM body_member WHERE body_id = ?1 AND person_id = ?2");
        stmt_bind_int(st, 1, body_id);
        stmt_bind_int(st, 2, person_id);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        char field[48];
        snprintf(field, sizeof field, "member:%lld", person_id);
        rc = audit_record(db, who, "body", body_id, 0, field, old, "");
    }
    arena_free(&a);
    return gov_finish(db, rc);
}

/* ---- elected referents ---------------------------------------------------------------------- */

int body_referents(struct store *db, struct arena *a, long long body_id,
                   struct body_referent **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT o.id, p.id, o.name, p.name, p.function FROM body_referent r "
            "JOIN organisation o ON o.id = r.organisation_id JOIN person p ON p.id = r.person_id "
            "WHERE r.body_id = ?1 ORDER BY o.name");
    stmt_bind_int(st, 1, body_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = gov_grow(a, *out, *n, &cap, sizeof **out);
        struct body_referent *r = &(*out)[(*n)++];
        r->organisation_id = stmt_int(st, 0);
        r->person_id = stmt_int(st, 1);
        r->organisation_name = stmt_text(st, 2, a);
        r->person_name = stmt_text(st, 3, a);
        r->person_function = stmt_text(st, 4, a);
    }
    return rc;
}

int body_referent_set(struct store *db, const struct actor *who, long long body_id,
                      long long organisation_id, long long person_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = same_contract(db, body_id, person_id);
    long long ignored;
    if (rc == ERR_OK &&
        gov_one_int(db, "SELECT id FROM organisation WHERE id = ?1 AND type = 'intercommunality'",
                    organisation_id, &ignored) != ERR_OK)
        rc = ERR_INVALID;
    struct arena a = {0};
    long long old = 0;
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "SELECT person_id FROM body_referent WHERE body_id = ?1 AND organisation_id = ?2");
        stmt_bind_int(st, 1, body_id);
        stmt_bind_int(st, 2, organisation_id);
        rc = stmt_step(st);
        if (rc == 1)
            old = stmt_int(st, 0);
        stmt_done(st);
        rc = rc < 0 ? rc : ERR_OK;
    }
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO body_referent (body_id, organisation_id, person_id) "
                "VALUES (?1, ?2, ?3) ON CONFLICT (body_id, organisation_id) "
                "DO UPDATE SET person_id = excluded.person_id");
        stmt_bind_int(st, 1, body_id);
        stmt_bind_int(st, 2, organisation_id);
        stmt_bind_int(st, 3, person_id);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        char field[48];
        snprintf(field, sizeof field, "referent:%lld", organisation_id);
        rc = audit_field(db, who, "body", body_id, 0, field, gov_int_text(&a, old),
                         gov_int_text(&a, person_id));
    }
    arena_free(&a);
    return gov_finish(db, rc);
}

int body_referent_remove(struct store *db, const struct actor *who, long long body_id,
                         long long organisation_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    long long old = 0;
    struct stmt *st = store_prepare(
        db, "SELECT person_id FROM body_referent WHERE body_id = ?1 AND organisation_id = ?2");
    stmt_bind_int(st, 1, body_id);
    stmt_bind_int(st, 2, organisation_id);
    rc = stmt_step(st);
    if (rc == 1)
        old = stmt_int(st, 0);
    stmt_done(st);
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK) {
        st = store_prepare(
            db, "DELETE FROM body_referent WHERE body_id = ?1 AND organisation_id = ?2");
        stmt_bind_int(st, 1, body_id);
        stmt_bind_int(st, 2, organisation_id);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK) {
        char field[48];
        snprintf(field, sizeof field, "referent:%lld", organisation_id);
        rc = audit_record(db, who, "body", body_id, 0, field, gov_int_text(&a, old), "");
    }
    arena_free(&a);
    return gov_finish(db, rc);
}
