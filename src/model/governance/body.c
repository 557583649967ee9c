/* body.c — SQL of the governance bodies, their members and their elected referents. Must not
 * produce HTML or JSON, and must never write without its audit rows in the same transaction. */
#include "model/governance/body.h"

#include <stdio.h>

#include "base/str.h"
#include "model/governance/governance_internal.h"

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

static void read_body(struct stmt *st, struct arena *a, void *row)
{
    struct body *b = row;
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
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_body, &rows, n);
    *out = rows;
    return rc;
}

int body_get(struct store *db, struct arena *a, long long id, struct body *out)
{
    struct stmt *st = store_prepare(db, "SELECT " BODY_COLUMNS "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    return gov_read_one(st, a, read_body, out);
}

void body_check(const struct body_edit *e, struct problems *p)
{
    if (body_kind_index(e->kind) < 0)
        problems_add(p, "kind", "Choisissez le type d'instance.");
    if (str_blank(e->name))
        problems_add(p, "name", "Donnez un nom à l'instance.");
    else if (edit_too_long(e->name, 200))
        problems_add(p, "name", "Le nom dépasse 200 caractères.");
    if (edit_too_long(e->theme, 200))
        problems_add(p, "theme", "Le thème dépasse 200 caractères.");
    if (edit_too_long(e->description, 20000))
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

static void edit_values(struct arena *a, const void *edit, const char **out)
{
    const struct body_edit *e = edit;
    out[0] = gov_str(e->kind);
    out[1] = gov_str(e->name);
    out[2] = gov_str(e->theme);
    out[3] = gov_str(e->description);
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%d", e->min_per_year);
    out[4] = arena_strdup(a, tmp);
    out[5] = edit_int_text(a, e->max_per_year);
}

static void bind_edit(struct stmt *st, const void *edit)
{
    const struct body_edit *e = edit;
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

static void check(struct store *db, const void *edit, struct problems *p)
{
    (void)db;
    body_check(edit, p);
}

static int create(struct store *db, long long contract_id, const void *edit, long long *id)
{
    return body_create(db, contract_id, edit, id);
}

static int current(struct store *db, struct arena *a, long long id, const char **out)
{
    struct body b;
    int rc = body_get(db, a, id, &b);
    if (rc == ERR_OK)
        edit_values(a, &(struct body_edit){b.kind, b.name, b.theme, b.description,
                                           b.min_per_year, b.max_per_year},
                    out);
    return rc;
}

static const struct gov_kind body_kind = {
    .entity = "body",
    .fields = fields,
    .n_fields = 6,
    .update_sql = "UPDATE body SET kind = ?3, name = ?4, theme = ?5, description = ?6, "
                  "min_per_year = ?7, max_per_year = ?8, version = version + 1 "
                  "WHERE id = ?1 AND version = ?2",
    .check = check,
    .values = edit_values,
    .bind = bind_edit,
    .create = create,
    .current = current,
};

int body_add(struct store *db, const struct actor *who, long long contract_id,
             const struct body_edit *e, long long *id)
{
    return gov_add(db, who, &body_kind, contract_id, e, id);
}

int body_update(struct store *db, const struct actor *who, long long id, int version,
                const struct body_edit *e)
{
    return gov_update(db, who, &body_kind, id, version, e);
}

/* ---- members -------------------------------------------------------------------------------- */

static void read_member(struct stmt *st, struct arena *a, void *row)
{
    struct body_member *m = row;
    m->person_id = stmt_int(st, 0);
    m->name = stmt_text(st, 1, a);
    m->function = stmt_text(st, 2, a);
    m->organisation_name = stmt_text(st, 3, a);
    m->email = stmt_text(st, 4, a);
    m->role = stmt_text(st, 5, a);
}

int body_members(struct store *db, struct arena *a, long long body_id, struct body_member **out,
                 int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT p.id, p.name, p.function, coalesce(o.name, ''), p.email, m.role "
            "FROM body_member m JOIN person p ON p.id = m.person_id "
            "LEFT JOIN organisation o ON o.id = p.organisation_id WHERE m.body_id = ?1 "
            "ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, p.name");
    stmt_bind_int(st, 1, body_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_member, &rows, n);
    *out = rows;
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

/* A member of a body as a link: its role, audited as member:PERSON on the body. */
static struct gov_link member_link(long long body_id, long long person_id)
{
    return (struct gov_link){"body", body_id, "member:", person_id,
                             "SELECT role FROM body_member WHERE body_id = ?1 AND person_id = ?2",
                             body_id, person_id};
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
    struct gov_link l = member_link(body_id, person_id);
    if (rc == ERR_OK)
        rc = gov_link_set(db, who, &l,
                          "INSERT INTO body_member (body_id, person_id, role) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (body_id, person_id) DO UPDATE SET role = excluded.role",
                          role);
    return edit_finish(db, rc);
}

int body_member_remove(struct store *db, const struct actor *who, long long body_id,
                       long long person_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct gov_link l = member_link(body_id, person_id);
    static const char *const deletes[] = {
        "DELETE FROM body_member WHERE body_id = ?1 AND person_id = ?2", NULL};
    return edit_finish(db, gov_link_remove(db, who, &l, deletes));
}

/* ---- elected referents ---------------------------------------------------------------------- */

static void read_referent(struct stmt *st, struct arena *a, void *row)
{
    struct body_referent *r = row;
    r->organisation_id = stmt_int(st, 0);
    r->person_id = stmt_int(st, 1);
    r->organisation_name = stmt_text(st, 2, a);
    r->person_name = stmt_text(st, 3, a);
    r->person_function = stmt_text(st, 4, a);
}

int body_referents(struct store *db, struct arena *a, long long body_id,
                   struct body_referent **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT o.id, p.id, o.name, p.name, p.function FROM body_referent r "
            "JOIN organisation o ON o.id = r.organisation_id JOIN person p ON p.id = r.person_id "
            "WHERE r.body_id = ?1 ORDER BY o.name");
    stmt_bind_int(st, 1, body_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_referent, &rows, n);
    *out = rows;
    return rc;
}

/* The elected referent of an intercommunality in a body as a link: the person's id, audited as
 * referent:ORGANISATION on the body. */
static struct gov_link referent_link(long long body_id, long long organisation_id)
{
    return (struct gov_link){
        "body", body_id, "referent:", organisation_id,
        "SELECT person_id FROM body_referent WHERE body_id = ?1 AND organisation_id = ?2",
        body_id, organisation_id};
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
        edit_one_int(db, "SELECT id FROM organisation WHERE id = ?1 AND type = 'intercommunality'",
                     organisation_id, &ignored) != ERR_OK)
        rc = ERR_INVALID;
    struct gov_link l = referent_link(body_id, organisation_id);
    struct arena a = {0};
    if (rc == ERR_OK)
        rc = gov_link_set(db, who, &l,
                          "INSERT INTO body_referent (body_id, organisation_id, person_id) "
                          "VALUES (?1, ?2, CAST(?3 AS INTEGER)) ON CONFLICT (body_id, "
                          "organisation_id) DO UPDATE SET person_id = excluded.person_id",
                          edit_int_text(&a, person_id));
    arena_free(&a);
    return edit_finish(db, rc);
}

int body_referent_remove(struct store *db, const struct actor *who, long long body_id,
                         long long organisation_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct gov_link l = referent_link(body_id, organisation_id);
    static const char *const deletes[] = {
        "DELETE FROM body_referent WHERE body_id = ?1 AND organisation_id = ?2", NULL};
    return edit_finish(db, gov_link_remove(db, who, &l, deletes));
}
