/* editing.c — the audited, version-checked writes of contracts, signatories, objectives and
 * organisations (actions are in action_write.c), and their validation. Must not produce HTML or
 * JSON, and must never write without its audit rows in the same transaction. */
#include "model/editing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "store/rows.h"
#include "model/editing_internal.h"

void problems_add(struct problems *p, const char *field, const char *message)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->field[i], field) == 0)
            return;
    if (p->n < PROBLEMS_MAX) {
        p->field[p->n] = field;
        p->message[p->n++] = message;
    }
}

int edit_parse_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (str_blank(s))
        return ERR_OK;
    struct date d;
    if (date_parse(s, DATE_FULL, &d) != ERR_OK)
        return ERR_INVALID;
    date_iso(&d, out);
    return ERR_OK;
}

/* ---- shared by editing.c and action_write.c ------------------------------------------------ */

int edit_finish(struct store *db, int rc)
{
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK)
        store_rollback(db);
    return rc;
}

int edit_bumped(struct store *db)
{
    return store_changes(db) == 1 ? ERR_OK : ERR_CONFLICT;
}

int edit_exists(struct store *db, const char *sql, long long id)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

const char *edit_int_text(struct arena *a, long long v)
{
    if (!v)
        return "";
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", v);
    return arena_strdup(a, tmp);
}

bool edit_too_long(const char *s, size_t max)
{
    return s && strlen(s) > max;
}

int edit_one_int(struct store *db, const char *sql, long long id, long long *out)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        *out = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

/* ---- contract ------------------------------------------------------------------------------ */

static const char *const contract_statuses[] = {"draft", "active", "closed"};
static const char *const contract_status_labels[] = {"Projet", "En vigueur", "Clos"};

const char *contract_status_label(const char *status)
{
    for (int i = 0; i < 3; i++)
        if (str_eq(status, contract_statuses[i]))
            return contract_status_labels[i];
    return status;
}

int contract_meta_get(struct store *db, long long id, struct contract_meta *out)
{
    struct stmt *st = store_prepare(
        db, "SELECT version, public_remarks, public_people FROM contract WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        out->version = (int)stmt_int(st, 0);
        out->public_remarks = stmt_int(st, 1) != 0;
        out->public_people = stmt_int(st, 2) != 0;
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

static bool year_ok(int y)
{
    return y == 0 || (y >= 1990 && y <= 2100);
}

void contract_check(const struct contract_edit *e, struct problems *p)
{
    if (str_blank(e->title))
        problems_add(p, "title", "Donnez un intitulé au contrat.");
    else if (edit_too_long(e->title, 300))
        problems_add(p, "title", "L'intitulé dépasse 300 caractères : raccourcissez-le.");
    if (edit_too_long(e->short_title, 80))
        problems_add(p, "short_title", "Le titre court dépasse 80 caractères.");
    if (!year_ok(e->start_year))
        problems_add(p, "start_year", "L'année de début s'écrit en chiffres, entre 1990 et 2100.");
    if (!year_ok(e->end_year))
        problems_add(p, "end_year", "L'année de fin s'écrit en chiffres, entre 1990 et 2100.");
    else if (e->start_year && e->end_year && e->end_year < e->start_year)
        problems_add(p, "end_year", "L'année de fin précède l'année de début.");
    if (!year_ok(e->reporting_year))
        problems_add(p, "reporting_year",
                     "L'année du bilan s'écrit en chiffres, entre 1990 et 2100 (vide : calculée).");
    bool known = false;
    for (int i = 0; i < 3; i++)
        known |= str_eq(e->status, contract_statuses[i]);
    if (!known)
        problems_add(p, "status", "Choisissez le statut du contrat : projet, en vigueur ou clos.");
}

int contract_update(struct store *db, const struct actor *who, long long id, int version,
                    const struct contract_edit *e)
{
    struct problems p = {0};
    contract_check(e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct stmt *st = store_prepare(
        db, "SELECT title, short_title, signed_on, coalesce(start_year, 0), "
            "coalesce(end_year, 0), status, public_remarks, public_people, "
            "coalesce(reporting_year, 0) FROM contract WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    rc = stmt_step(st);
    const char *old[9] = {0};
    if (rc == 1) {
        old[0] = stmt_text(st, 0, &a);
        old[1] = stmt_text(st, 1, &a);
        old[2] = stmt_text(st, 2, &a);
        old[3] = edit_int_text(&a, stmt_int(st, 3));
        old[4] = edit_int_text(&a, stmt_int(st, 4));
        old[5] = stmt_text(st, 5, &a);
        old[6] = stmt_int(st, 6) ? "1" : "0";
        old[7] = stmt_int(st, 7) ? "1" : "0";
        old[8] = edit_int_text(&a, stmt_int(st, 8));
    }
    stmt_done(st);
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK) {
        st = store_prepare(
            db, "UPDATE contract SET title = ?3, short_title = ?4, signed_on = ?5, "
                "start_year = ?6, end_year = ?7, status = ?8, public_remarks = ?9, "
                "public_people = ?10, reporting_year = ?11, version = version + 1 "
                "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, e->title);
        stmt_bind_text(st, 4, e->short_title ? e->short_title : "");
        stmt_bind_text(st, 5, e->signed_on ? e->signed_on : "");
        if (e->start_year)
            stmt_bind_int(st, 6, e->start_year);
        if (e->end_year)
            stmt_bind_int(st, 7, e->end_year);
        stmt_bind_text(st, 8, e->status);
        stmt_bind_int(st, 9, e->public_remarks);
        stmt_bind_int(st, 10, e->public_people);
        if (e->reporting_year)
            stmt_bind_int(st, 11, e->reporting_year);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    const char *fields[9] = {"title",  "short_title", "signed_on",      "start_year",
                             "end_year", "status",    "public_remarks", "public_people",
                             "reporting_year"};
    const char *now[9] = {e->title,
                          e->short_title,
                          e->signed_on,
                          edit_int_text(&a, e->start_year),
                          edit_int_text(&a, e->end_year),
                          e->status,
                          e->public_remarks ? "1" : "0",
                          e->public_people ? "1" : "0",
                          edit_int_text(&a, e->reporting_year)};
    for (int i = 0; i < 9 && rc == ERR_OK; i++)
        rc = audit_field(db, who, "contract", id, version + 1, fields[i], old[i], now[i]);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- signatories --------------------------------------------------------------------------- */

int signatory_get(struct store *db, struct arena *a, long long id, long long *contract_id,
                  struct signatory *out, int *version)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(organisation_id, 0), institution, representative_name, "
            "representative_title, represented_by, signed_on, note, contract_id, version "
            "FROM signatory WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        out->id = stmt_int(st, 0);
        out->organisation_id = stmt_int(st, 1);
        out->institution = stmt_text(st, 2, a);
        out->representative_name = stmt_text(st, 3, a);
        out->representative_title = stmt_text(st, 4, a);
        out->represented_by = stmt_text(st, 5, a);
        out->signed_on = stmt_text(st, 6, a);
        out->note = stmt_text(st, 7, a);
        *contract_id = stmt_int(st, 8);
        *version = (int)stmt_int(st, 9);
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

void signatory_check(struct store *db, const struct signatory *s, struct problems *p)
{
    if (str_blank(s->institution))
        problems_add(p, "institution", "Indiquez l'institution signataire.");
    else if (edit_too_long(s->institution, 300))
        problems_add(p, "institution", "Le nom de l'institution dépasse 300 caractères.");
    if (s->organisation_id &&
        edit_exists(db, "SELECT 1 FROM organisation WHERE id = ?1", s->organisation_id) !=
            ERR_OK)
        problems_add(p, "organisation_id", "Cette organisation n'existe pas dans l'annuaire.");
    if (edit_too_long(s->representative_name, 200))
        problems_add(p, "representative_name", "Le nom dépasse 200 caractères.");
    if (edit_too_long(s->representative_title, 300))
        problems_add(p, "representative_title", "La qualité dépasse 300 caractères.");
    if (edit_too_long(s->represented_by, 300))
        problems_add(p, "represented_by", "Ce champ dépasse 300 caractères.");
    if (edit_too_long(s->note, 2000))
        problems_add(p, "note", "La note dépasse 2000 caractères.");
}

/* The organisation's name for the audit log ("" for none). */
static const char *org_name(struct store *db, struct arena *a, long long id)
{
    struct organisation o;
    if (!id || organisation_get(db, a, id, &o) != ERR_OK)
        return "";
    return o.name;
}

static int signatory_audit(struct store *db, const struct actor *who, struct arena *a,
                           long long id, int version, const struct signatory *old,
                           const struct signatory *s)
{
    const char *fields[] = {"institution", "organisation", "representative_name",
                            "representative_title", "represented_by", "signed_on", "note"};
    const char *was[] = {old->institution,          org_name(db, a, old->organisation_id),
                         old->representative_name,  old->representative_title,
                         old->represented_by,       old->signed_on,
                         old->note};
    const char *now[] = {s->institution,         org_name(db, a, s->organisation_id),
                         s->representative_name, s->representative_title,
                         s->represented_by,      s->signed_on,
                         s->note};
    int rc = ERR_OK;
    for (int i = 0; i < 7 && rc == ERR_OK; i++)
        rc = audit_field(db, who, "signatory", id, version, fields[i], was[i], now[i]);
    return rc;
}

int signatory_new(struct store *db, const struct actor *who, long long contract_id,
                  const struct signatory *s, long long *id)
{
    struct problems p = {0};
    signatory_check(db, s, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    long long pos = 0;
    rc = edit_one_int(
        db, "SELECT coalesce(max(position), 0) + 1 FROM signatory WHERE contract_id = ?1",
        contract_id, &pos);
    if (rc == ERR_OK)
        rc = signatory_add(db, contract_id, s, (int)pos);
    struct arena a = {0};
    if (rc == ERR_OK) {
        *id = store_last_id(db);
        struct signatory none = {.institution = ""};
        rc = audit_record(db, who, "signatory", *id, 1, "created", "", s->institution);
        if (rc == ERR_OK)
            rc = signatory_audit(db, who, &a, *id, 1, &none, s);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int signatory_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct signatory *s)
{
    struct problems p = {0};
    signatory_check(db, s, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct signatory old;
    long long contract_id;
    int current;
    rc = signatory_get(db, &a, id, &contract_id, &old, &current);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE signatory SET organisation_id = ?3, institution = ?4, "
                "representative_name = ?5, representative_title = ?6, represented_by = ?7, "
                "signed_on = ?8, note = ?9, version = version + 1 "
                "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        if (s->organisation_id)
            stmt_bind_int(st, 3, s->organisation_id);
        stmt_bind_text(st, 4, s->institution);
        stmt_bind_text(st, 5, s->representative_name ? s->representative_name : "");
        stmt_bind_text(st, 6, s->representative_title ? s->representative_title : "");
        stmt_bind_text(st, 7, s->represented_by ? s->represented_by : "");
        stmt_bind_text(st, 8, s->signed_on ? s->signed_on : "");
        stmt_bind_text(st, 9, s->note ? s->note : "");
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = signatory_audit(db, who, &a, id, version + 1, &old, s);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- organisations ------------------------------------------------------------------------- */

static int compare_org_names(const void *pa, const void *pb)
{
    const struct organisation *x = pa, *y = pb;
    char *fx = text_fold_dup(x->name), *fy = text_fold_dup(y->name);
    int c = strcmp(fx, fy);
    free(fx);
    free(fy);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

int organisation_all(struct store *db, struct arena *a, struct organisation **out, int *n)
{
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(db, "SELECT id, coalesce(slug, ''), name, type, acronym, "
                                        "aliases FROM organisation ORDER BY id");
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct organisation *o = &(*out)[(*n)++];
        o->id = stmt_int(st, 0);
        o->slug = stmt_text(st, 1, a);
        o->name = stmt_text(st, 2, a);
        o->type = stmt_text(st, 3, a);
        o->acronym = stmt_text(st, 4, a);
        o->aliases = stmt_text(st, 5, a);
    }
    stmt_done(st);
    if (rc < 0)
        return rc;
    /* By name without case or accents, which SQL engines collate differently. */
    qsort(*out, (size_t)*n, sizeof **out, compare_org_names);
    return ERR_OK;
}

int organisation_version(struct store *db, long long id, int *version)
{
    long long v = 0;
    int rc = edit_one_int(db, "SELECT version FROM organisation WHERE id = ?1", id, &v);
    *version = (int)v;
    return rc;
}

/* True when two organisations are each shown by some contract and by no common one: the copy a
 * contract made of a shared organisation may keep its name. */
static bool apart(struct store *db, long long x, long long y)
{
    struct arena a = {0};
    struct organisation_contract *cx = NULL, *cy = NULL;
    int nx = 0, ny = 0;
    bool ok = x && organisation_contracts(db, &a, x, &cx, &nx) == ERR_OK &&
              organisation_contracts(db, &a, y, &cy, &ny) == ERR_OK && nx && ny;
    for (int i = 0; ok && i < nx; i++)
        for (int j = 0; ok && j < ny; j++)
            ok = cx[i].id != cy[j].id;
    arena_free(&a);
    return ok;
}

/* The checks of organisation_check that need no other record. */
static void organisation_check_fields(const struct organisation *o, struct problems *p)
{
    if (str_blank(o->name))
        problems_add(p, "name", "Indiquez le nom de l'organisation.");
    else if (edit_too_long(o->name, 300))
        problems_add(p, "name", "Le nom dépasse 300 caractères : raccourcissez-le.");
    if (!organisation_type_valid(o->type))
        problems_add(p, "type", "Choisissez le type d'organisation dans la liste.");
    if (edit_too_long(o->acronym, 40))
        problems_add(p, "acronym", "Le sigle dépasse 40 caractères.");
    if (edit_too_long(o->aliases, 2000))
        problems_add(p, "aliases", "Les autres graphies dépassent 2000 caractères.");
}

void organisation_check(struct store *db, long long self, const struct organisation *o,
                        struct problems *p)
{
    organisation_check_fields(o, p);
    enum { MAX_SAME = 64 };
    long long same[MAX_SAME];
    int n_same = 0;
    if (str_blank(o->name) || organisation_find_all(db, o->name, same, MAX_SAME, &n_same) != ERR_OK)
        return;
    for (int i = 0; i < n_same; i++)
        if (same[i] != self && !apart(db, self, same[i])) {
            problems_add(p, "name", "Une autre organisation de l'annuaire porte déjà ce nom (ou "
                                    "l'a pour sigle ou autre graphie) : modifiez plutôt "
                                    "celle-là.");
            return;
        }
}

static int organisation_audit(struct store *db, const struct actor *who, long long id,
                              int version, const struct organisation *old,
                              const struct organisation *o)
{
    const char *fields[] = {"name", "type", "acronym", "aliases"};
    const char *was[] = {old->name, old->type, old->acronym, old->aliases};
    const char *now[] = {o->name, o->type, o->acronym, o->aliases};
    int rc = ERR_OK;
    for (int i = 0; i < 4 && rc == ERR_OK; i++)
        rc = audit_field(db, who, "organisation", id, version, fields[i], was[i], now[i]);
    return rc;
}

int organisation_add(struct store *db, const struct actor *who, const struct organisation *o,
                     long long *id)
{
    struct problems p = {0};
    organisation_check(db, 0, o, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct organisation x = *o;
    x.slug = NULL;
    rc = organisation_create(db, &x, id);
    struct organisation none = {.name = "", .type = "", .acronym = "", .aliases = ""};
    if (rc == ERR_OK)
        rc = audit_record(db, who, "organisation", *id, 1, "created", "", o->name);
    if (rc == ERR_OK)
        rc = organisation_audit(db, who, *id, 1, &none, o);
    return edit_finish(db, rc);
}

int organisation_update(struct store *db, const struct actor *who, long long scope, long long id,
                        int version, const struct organisation *o)
{
    struct problems p = {0};
    organisation_check(db, id, o, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct organisation old;
    struct organisation_contract *cs = NULL;
    int n_cs = 0;
    long long mark = 0;
    rc = organisation_get(db, &a, id, &old);
    if (rc == ERR_OK)
        rc = organisation_contracts(db, &a, id, &cs, &n_cs);
    if (rc == ERR_OK && !organisation_in_scope(cs, n_cs, scope))
        rc = ERR_FORBIDDEN;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &mark);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE organisation SET name = ?3, type = ?4, acronym = ?5, aliases = ?6, "
                "version = version + 1 WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, o->name);
        stmt_bind_text(st, 4, o->type);
        stmt_bind_text(st, 5, o->acronym ? o->acronym : "");
        stmt_bind_text(st, 6, o->aliases ? o->aliases : "");
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = organisation_audit(db, who, id, version + 1, &old, o);
    /* Every contract that shows the organisation sees the change in its journal. */
    for (int i = 0; i < n_cs && rc == ERR_OK; i++)
        rc = audit_show_in(db, mark, cs[i].id);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* Moves contract_id's links from organisation `from` to `to`; the other contracts keep theirs. */
static int relink(struct store *db, long long from, long long to, long long contract_id)
{
    static const char *const sql[] = {
        "UPDATE action_organisation SET organisation_id = ?2 WHERE organisation_id = ?1 AND "
        "action_id IN (SELECT id FROM action WHERE contract_id = ?3)",
        "UPDATE signatory SET organisation_id = ?2 WHERE organisation_id = ?1 AND "
        "contract_id = ?3",
        "UPDATE person SET organisation_id = ?2 WHERE organisation_id = ?1 AND contract_id = ?3",
        "UPDATE body_referent SET organisation_id = ?2 WHERE organisation_id = ?1 AND "
        "body_id IN (SELECT id FROM body WHERE contract_id = ?3)",
        "UPDATE account SET organisation_id = ?2 WHERE organisation_id = ?1 AND "
        "contract_id = ?3",
        "UPDATE service SET organisation_id = ?2 WHERE organisation_id = ?1 AND "
        "contract_id = ?3",
    };
    int rc = ERR_OK;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(db, sql[i]);
        stmt_bind_int(st, 1, from);
        stmt_bind_int(st, 2, to);
        stmt_bind_int(st, 3, contract_id);
        rc = stmt_exec(st);
    }
    return rc;
}

/* A French audit value in the arena. */
static const char *audit_text(struct arena *a, const char *fmt, long long id, const char *what)
{
    struct buf b = {0};
    buf_printf(&b, fmt, id, what); /* printf-unchecked: audit_text is in PRINTERS */
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

int organisation_copy(struct store *db, const struct actor *who, long long scope, long long id,
                      long long contract_id, const struct organisation *o, struct problems *p,
                      long long *copy_id)
{
    if (scope && scope != contract_id)
        return ERR_FORBIDDEN;
    organisation_check_fields(o, p); /* its name is checked once it is the contract's */
    if (p->n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct organisation orig;
    struct organisation_contract *cs = NULL;
    int n_cs = 0, version = 0;
    long long mark = 0;
    const char *title = NULL;
    rc = organisation_get(db, &a, id, &orig);
    if (rc == ERR_OK)
        rc = organisation_version(db, id, &version);
    if (rc == ERR_OK)
        rc = organisation_contracts(db, &a, id, &cs, &n_cs);
    for (int i = 0; i < n_cs; i++)
        if (cs[i].id == contract_id)
            title = cs[i].title;
    if (rc == ERR_OK && !title) {
        problems_add(p, "contract", "Cette organisation ne figure pas dans ce contrat : il n'y a "
                                    "rien à copier pour lui.");
        rc = ERR_INVALID;
    } else if (rc == ERR_OK && organisation_in_scope(cs, n_cs, contract_id)) {
        problems_add(p, "contract", "Aucun autre contrat ne montre cette organisation : "
                                    "modifiez-la directement, sans copie.");
        rc = ERR_INVALID;
    }
    /* The original's entry: seen in every contract that showed it. */
    if (rc == ERR_OK)
        rc = audit_last_id(db, &mark);
    struct organisation x = *o;
    x.slug = NULL;
    if (rc == ERR_OK)
        rc = organisation_create(db, &x, copy_id);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "organisation", id, version, "copied", "",
                          audit_text(&a, "n° %lld pour le contrat « %s »", *copy_id, title));
    for (int i = 0; i < n_cs && rc == ERR_OK; i++)
        rc = audit_show_in(db, mark, cs[i].id);
    /* The copy's entries: seen in the contract it is made for. */
    if (rc == ERR_OK)
        rc = audit_last_id(db, &mark);
    if (rc == ERR_OK)
        rc = relink(db, id, *copy_id, contract_id);
    if (rc == ERR_OK) {
        organisation_check(db, *copy_id, o, p); /* its name once it belongs to one contract */
        if (p->n)
            rc = ERR_INVALID;
    }
    struct organisation none = {.name = "", .type = "", .acronym = "", .aliases = ""};
    if (rc == ERR_OK)
        rc = audit_record(db, who, "organisation", *copy_id, 1, "copy_of", "",
                          audit_text(&a, "n° %lld « %s »", id, orig.name));
    if (rc == ERR_OK)
        rc = organisation_audit(db, who, *copy_id, 1, &none, o);
    if (rc == ERR_OK)
        rc = audit_show_in(db, mark, contract_id);
    arena_free(&a);
    return edit_finish(db, rc);
}
