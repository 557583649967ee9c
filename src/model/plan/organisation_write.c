/* organisation_write.c — the audited, version-checked writes of the organisations of the
 * directory (add, change, copy a record shared between contracts), and their validation. */

#include "model/plan/editing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "store/rows.h"
#include "model/plan/editing_internal.h"

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
    if (str_blank(o->name) ||
        organisation_find_all(db, o->name, same, MAX_SAME, &n_same) != ERR_OK)
        return;
    for (int i = 0; i < n_same; i++)
        if (same[i] != self && !apart(db, self, same[i])) {
            problems_add(p, "name",
                         "Une autre organisation de l'annuaire porte déjà ce nom (ou "
                         "l'a pour sigle ou autre graphie) : modifiez plutôt "
                         "celle-là.");
            return;
        }
}

static int organisation_audit(struct store *db, const struct actor *who, long long id, int version,
                              const struct organisation *old, const struct organisation *o)
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
        problems_add(p, "contract",
                     "Cette organisation ne figure pas dans ce contrat : il n'y a "
                     "rien à copier pour lui.");
        rc = ERR_INVALID;
    } else if (rc == ERR_OK && organisation_in_scope(cs, n_cs, contract_id)) {
        problems_add(p, "contract",
                     "Aucun autre contrat ne montre cette organisation : "
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
