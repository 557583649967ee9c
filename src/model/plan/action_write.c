/* action_write.c — the audited, version-checked writes of actions: their fields and
 * organisations, archiving, and the yearly status a carrier or the coordinator records. Must not
 * produce HTML or JSON, and must never write without its audit rows in the same transaction. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "model/plan/editing.h"
#include "model/plan/editing_internal.h"

int action_meta(struct store *db, long long id, int *version, bool *archived)
{
    struct stmt *st = store_prepare(db, "SELECT version, archived FROM action WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        *version = (int)stmt_int(st, 0);
        *archived = stmt_int(st, 1) != 0;
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

static bool in_list(const long long *ids, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

void action_edit_from(const struct action *x, struct action_edit *e)
{
    memset(e, 0, sizeof *e);
    e->kind = x->kind;
    e->code = x->code;
    e->title = x->title;
    e->notes = x->notes;
    e->objective_id = x->objective_id;
    for (int i = 0; i < x->n_orgs; i++) {
        const struct action_org *o = &x->orgs[i];
        /* One lead carrier: a second one (older data) is shown and saved as a co-carrier. */
        if (str_eq(o->role, "carrier") && !e->carrier_id)
            e->carrier_id = o->id;
        else if ((str_eq(o->role, "co_carrier") || str_eq(o->role, "carrier")) &&
                 o->id != e->carrier_id && e->n_co_carriers < EDIT_MAX_ORGS &&
                 !in_list(e->co_carriers, e->n_co_carriers, o->id))
            e->co_carriers[e->n_co_carriers++] = o->id;
        else if (str_eq(o->role, "partner") && e->n_partners < EDIT_MAX_ORGS)
            e->partners[e->n_partners++] = o->id;
    }
}

/* Checks one list of organisations: each exists, none twice, none already in an earlier role. */
static void check_orgs(struct store *db, const char *field, const long long *ids, int n,
                       const struct action_edit *e, bool partners, struct problems *p)
{
    for (int i = 0; i < n; i++) {
        if (edit_exists(db, "SELECT 1 FROM organisation WHERE id = ?1", ids[i]) != ERR_OK)
            problems_add(p, field, "Une des organisations choisies n'existe pas dans l'annuaire.");
        else if (in_list(ids, i, ids[i]))
            problems_add(p, field, "Une organisation est choisie deux fois.");
        else if (ids[i] == e->carrier_id)
            problems_add(p, field, "Le porteur ne peut pas être aussi co-porteur ou partenaire.");
        else if (partners && in_list(e->co_carriers, e->n_co_carriers, ids[i]))
            problems_add(p, field, "Une organisation ne peut pas être à la fois co-porteuse et "
                                   "partenaire.");
    }
}

void action_check(struct store *db, long long contract_id, long long self,
                  const struct action_edit *e, struct problems *p)
{
    bool sheet = str_eq(e->kind, "sheet"), lead = str_eq(e->kind, "lead");
    if (!sheet && !lead)
        problems_add(p, "kind", "Choisissez le type : fiche action ou piste d'action.");
    if (sheet && str_blank(e->code))
        problems_add(p, "code", "Une fiche action a un code, par exemple 1.1.2.");
    else if (lead && !str_blank(e->code))
        problems_add(p, "code", "Une piste d'action n'a pas encore de code : videz ce champ ou "
                                "choisissez le type « Fiche action ».");
    else if (edit_too_long(e->code, 40))
        problems_add(p, "code", "Le code dépasse 40 caractères.");
    else if (!str_blank(e->code)) {
        struct stmt *st = store_prepare(
            db, "SELECT 1 FROM action WHERE contract_id = ?1 AND code = ?2 AND id <> ?3 AND "
                "archived = 0");
        stmt_bind_int(st, 1, contract_id);
        stmt_bind_text(st, 2, e->code);
        stmt_bind_int(st, 3, self);
        int rc = stmt_step(st);
        stmt_done(st);
        if (rc == 1)
            problems_add(p, "code", "Une autre action de ce contrat a déjà ce code.");
    }
    if (str_blank(e->title))
        problems_add(p, "title", "Donnez un intitulé à l'action.");
    else if (edit_too_long(e->title, 500))
        problems_add(p, "title", "L'intitulé dépasse 500 caractères : raccourcissez-le.");
    if (edit_too_long(e->notes, EDIT_TEXT_MAX))
        problems_add(p, "notes", "Les notes dépassent 20 000 caractères.");
    struct stmt *st = store_prepare(
        db, "SELECT contract_id, level, archived FROM objective WHERE id = ?1");
    stmt_bind_int(st, 1, e->objective_id);
    int rc = stmt_step(st);
    struct arena a = {0};
    bool ok = rc == 1 && stmt_int(st, 0) == contract_id &&
              str_eq(stmt_text(st, 1, &a), "operational") && stmt_int(st, 2) == 0;
    arena_free(&a);
    stmt_done(st);
    if (!ok)
        problems_add(p, "objective_id",
                     "Choisissez l'objectif opérationnel de l'action parmi ceux du contrat.");
    if (e->carrier_id &&
        edit_exists(db, "SELECT 1 FROM organisation WHERE id = ?1", e->carrier_id) != ERR_OK)
        problems_add(p, "carrier_id", "Cette organisation n'existe pas dans l'annuaire.");
    check_orgs(db, "co_carrier", e->co_carriers, e->n_co_carriers, e, false, p);
    check_orgs(db, "partner", e->partners, e->n_partners, e, true, p);
}

void action_role_check(const struct action_edit *was, const struct action_edit *e,
                       const struct action_editor *who, struct problems *p)
{
    if (who->coordinator)
        return;
    if (e->objective_id != was->objective_id)
        problems_add(p, "objective_id", "Seule la coordination du contrat peut déplacer une "
                                        "action vers un autre objectif.");
    if (!str_eq(e->kind, was->kind))
        problems_add(p, "kind", "Seule la coordination du contrat peut changer le type de "
                                "l'action : une piste devient une fiche action quand la "
                                "coordination la promeut.");
    if (!str_eq(e->code, was->code))
        problems_add(p, "code", "Seule la coordination du contrat peut changer le code de "
                                "l'action.");
    long long org = who->organisation_id;
    if (org && e->carrier_id != org && !in_list(e->co_carriers, e->n_co_carriers, org))
        problems_add(p, "carrier_id", "Votre organisation doit rester porteuse ou co-porteuse de "
                                      "l'action. Pour la confier à une autre, demandez-le à la "
                                      "coordination du contrat.");
}

/* Gives an action the position just after the last action of its objective (objectives taken
 * in tree order), shifting the following ones; positions are order, not content: no version. */
static int place_action(struct store *db, long long contract_id, long long id,
                        long long objective_id)
{
    struct stmt *st = store_prepare(
        db, "SELECT coalesce(max(a.position), 0) + 1 FROM action a JOIN objective o ON "
            "o.id = a.objective_id WHERE a.contract_id = ?1 AND a.id <> ?3 AND o.position <= "
            "(SELECT position FROM objective WHERE id = ?2)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, objective_id);
    stmt_bind_int(st, 3, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_DB : rc;
    long long pos = stmt_int(st, 0);
    stmt_done(st);
    st = store_prepare(db, "UPDATE action SET position = position + 1 WHERE contract_id = ?1 "
                           "AND position >= ?2 AND id <> ?3");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, pos);
    stmt_bind_int(st, 3, id);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    st = store_prepare(db, "UPDATE action SET position = ?2 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, pos);
    return stmt_exec(st);
}

/* Names of a list of organisations, ", "-separated, for the audit log. */
static const char *org_names(struct store *db, struct arena *a, const long long *ids, int n)
{
    struct buf b = {0};
    for (int i = 0; i < n; i++) {
        struct organisation o;
        if (organisation_get(db, a, ids[i], &o) == ERR_OK)
            buf_printf(&b, "%s%s", b.len ? ", " : "", o.name);
    }
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* Replaces the organisations of an action by those of e. */
static int write_orgs(struct store *db, long long id, const struct action_edit *e)
{
    struct stmt *st = store_prepare(db, "DELETE FROM action_organisation WHERE action_id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && e->carrier_id)
        rc = action_link_organisation(db, id, e->carrier_id, "carrier", 0);
    for (int i = 0; i < e->n_co_carriers && rc == ERR_OK; i++)
        rc = action_link_organisation(db, id, e->co_carriers[i], "co_carrier", i + 1);
    for (int i = 0; i < e->n_partners && rc == ERR_OK; i++)
        rc = action_link_organisation(db, id, e->partners[i], "partner", i + 1);
    return rc;
}

static bool same_list(const long long *x, int nx, const long long *y, int ny)
{
    if (nx != ny)
        return false;
    for (int i = 0; i < nx; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

const char *const action_field_keys[ACTION_FIELDS] = {
    "kind", "code", "title", "objective", "carrier", "co_carriers", "partners", "notes"};

void action_edit_texts(struct store *db, struct arena *a, const struct action_edit *e,
                       const char *out[ACTION_FIELDS])
{
    out[0] = e->kind ? e->kind : "";
    out[1] = e->code ? e->code : "";
    out[2] = e->title ? e->title : "";
    out[3] = edit_objective_text(db, a, e->objective_id);
    out[4] = org_names(db, a, &e->carrier_id, e->carrier_id ? 1 : 0);
    out[5] = org_names(db, a, e->co_carriers, e->n_co_carriers);
    out[6] = org_names(db, a, e->partners, e->n_partners);
    out[7] = e->notes ? e->notes : "";
}

/* One audit row per changed field between old and e. */
static int action_audit(struct store *db, const struct actor *who, struct arena *a, long long id,
                        int version, const struct action_edit *old, const struct action_edit *e)
{
    const char *was[ACTION_FIELDS], *now[ACTION_FIELDS];
    action_edit_texts(db, a, old, was);
    action_edit_texts(db, a, e, now);
    int rc = ERR_OK;
    for (int i = 0; i < ACTION_FIELDS && rc == ERR_OK; i++)
        rc = audit_field(db, who, "action", id, version, action_field_keys[i], was[i], now[i]);
    return rc;
}

int action_add(struct store *db, const struct actor *who, long long contract_id,
               const struct action_edit *e, long long *id)
{
    struct problems p = {0};
    action_check(db, contract_id, 0, e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct action x = {.contract_id = contract_id,
                       .objective_id = e->objective_id,
                       .kind = (char *)e->kind,
                       .code = (char *)e->code,
                       .title = (char *)e->title,
                       .notes = (char *)e->notes,
                       .position = 1000000};
    rc = action_create(db, &x, id);
    if (rc == ERR_OK)
        rc = place_action(db, contract_id, *id, e->objective_id);
    if (rc == ERR_OK)
        rc = write_orgs(db, *id, e);
    struct arena a = {0};
    struct action_edit none = {.kind = "", .code = "", .title = "", .notes = ""};
    if (rc == ERR_OK)
        rc = audit_record(db, who, "action", *id, 1, "created", "", e->title);
    if (rc == ERR_OK)
        rc = action_audit(db, who, &a, *id, 1, &none, e);
    arena_free(&a);
    return edit_finish(db, rc);
}

int action_update(struct store *db, const struct actor *who, long long id, int version,
                  const struct action_edit *e)
{
    struct arena a = {0};
    struct action x = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = action_get(db, &a, id, 0, &x);
    struct problems p = {0};
    if (rc == ERR_OK) {
        action_check(db, x.contract_id, id, e, &p);
        if (p.n)
            rc = ERR_INVALID;
    }
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE action SET kind = ?3, code = ?4, title = ?5, objective_id = ?6, "
                "notes = ?7, version = version + 1 WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, e->kind);
        stmt_bind_text(st, 4, e->code ? e->code : "");
        stmt_bind_text(st, 5, e->title);
        stmt_bind_int(st, 6, e->objective_id);
        stmt_bind_text(st, 7, e->notes ? e->notes : "");
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    struct action_edit old;
    action_edit_from(&x, &old);
    if (rc == ERR_OK && old.objective_id != e->objective_id)
        rc = place_action(db, x.contract_id, id, e->objective_id);
    int carrier_rows = 0; /* more than one: older data, normalised by action_edit_from */
    for (int i = 0; i < x.n_orgs; i++)
        carrier_rows += str_eq(x.orgs[i].role, "carrier");
    if (rc == ERR_OK && (old.carrier_id != e->carrier_id || carrier_rows > 1 ||
                         !same_list(old.co_carriers, old.n_co_carriers, e->co_carriers,
                                    e->n_co_carriers) ||
                         !same_list(old.partners, old.n_partners, e->partners, e->n_partners)))
        rc = write_orgs(db, id, e);
    if (rc == ERR_OK)
        rc = action_audit(db, who, &a, id, version + 1, &old, e);
    arena_free(&a);
    return edit_finish(db, rc);
}

int action_archive(struct store *db, const struct actor *who, long long id, int version,
                   bool archived, const char **why)
{
    *why = NULL;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "SELECT a.archived, o.archived FROM action a JOIN objective o ON "
            "o.id = a.objective_id WHERE a.id = ?1");
    stmt_bind_int(st, 1, id);
    rc = stmt_step(st);
    bool was = false, objective_archived = false;
    if (rc == 1) {
        was = stmt_int(st, 0) != 0;
        objective_archived = stmt_int(st, 1) != 0;
    }
    stmt_done(st);
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK && !archived && objective_archived) {
        *why = "Son objectif opérationnel est archivé : restaurez-le d'abord, ou modifiez "
               "l'action pour la rattacher à un autre objectif.";
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "UPDATE action SET archived = ?3, version = version + 1 "
                               "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_int(st, 3, archived);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "action", id, version + 1, "archived", was ? "1" : "0",
                         archived ? "1" : "0");
    return edit_finish(db, rc);
}

int action_status_add(struct store *db, const struct actor *who, long long action_id, int year,
                      enum status status, const char *remarks, const char *recommendations,
                      bool *added)
{
    *added = false;
    remarks = remarks ? remarks : "";
    recommendations = recommendations ? recommendations : "";
    if (year < 1990 || year > 2100 || status_key(status) == NULL ||
        edit_too_long(remarks, EDIT_TEXT_MAX) || edit_too_long(recommendations, EDIT_TEXT_MAX))
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    int version = 0;
    bool archived;
    rc = action_meta(db, action_id, &version, &archived);
    const char *old[3] = {"", "", ""};
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "SELECT status, remarks, recommendations FROM action_status WHERE "
                "action_id = ?1 AND year = ?2 ORDER BY id DESC LIMIT 1");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_int(st, 2, year);
        rc = stmt_step(st);
        if (rc == 1) {
            old[0] = stmt_text(st, 0, &a);
            old[1] = stmt_text(st, 1, &a);
            old[2] = stmt_text(st, 2, &a);
            stmt_done(st);
        }
        rc = rc < 0 ? rc : ERR_OK;
    }
    const char *now[3] = {status_key(status), remarks, recommendations};
    bool same = str_eq(old[0], now[0]) && str_eq(old[1], now[1]) && str_eq(old[2], now[2]);
    if (rc == ERR_OK && !same) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO action_status (action_id, year, status, status_as_written, "
                "remarks, recommendations, recorded_at, recorded_by, account_id) VALUES (?1, ?2, "
                "?3, '', ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6, ?7)");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_int(st, 2, year);
        stmt_bind_text(st, 3, now[0]);
        stmt_bind_text(st, 4, remarks);
        stmt_bind_text(st, 5, recommendations);
        stmt_bind_text(st, 6, who && who->name ? who->name : "");
        if (who && who->account_id)
            stmt_bind_int(st, 7, who->account_id);
        rc = stmt_exec(st);
        *added = rc == ERR_OK;
        static const char *const fields[] = {"status", "remarks", "recommendations"};
        for (int i = 0; i < 3 && rc == ERR_OK; i++) {
            char field[40];
            snprintf(field, sizeof field, "%s:%d", fields[i], year);
            rc = audit_field(db, who, "action", action_id, version, field, old[i], now[i]);
        }
    }
    arena_free(&a);
    rc = edit_finish(db, rc);
    if (rc != ERR_OK)
        *added = false;
    return rc;
}
