/* organisation.c — SQL for the organisation directory. Must not produce HTML. */
#include "model/core/organisation.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "store/rows.h"

const char *const organisation_types[] = {
    "association",     "commune",         "intercommunality", "department",
    "region",          "state",           "health_establishment", "social_establishment",
    "school",          "administration",  "social_security",  "mutual_insurer",
    "private_practitioners", "company",   "other",            NULL,
};

static const char *const type_labels[] = {
    "Association",
    "Commune",
    "Intercommunalité",
    "Département",
    "Région",
    "Service de l'État",
    "Établissement de santé",
    "Établissement social ou médico-social",
    "Établissement scolaire",
    "Administration",
    "Organisme de sécurité sociale",
    "Mutuelle",
    "Professionnels de santé libéraux",
    "Entreprise",
    "Autre",
};

const char *organisation_type_label(const char *type)
{
    for (int i = 0; organisation_types[i]; i++)
        if (str_eq(organisation_types[i], type))
            return type_labels[i];
    return type;
}

int organisation_type_valid(const char *type)
{
    for (int i = 0; organisation_types[i]; i++)
        if (str_eq(organisation_types[i], type))
            return 1;
    return 0;
}

int organisation_get(struct store *db, struct arena *a, long long id, struct organisation *out)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(slug, ''), name, type, acronym, aliases FROM organisation "
            "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        out->id = stmt_int(st, 0);
        out->slug = stmt_text(st, 1, a);
        out->name = stmt_text(st, 2, a);
        out->type = stmt_text(st, 3, a);
        out->acronym = stmt_text(st, 4, a);
        out->aliases = stmt_text(st, 5, a);
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

/* True when folded equals the fold of one of the " | "-separated names in list. */
static int matches_one_of(const char *list, const char *folded)
{
    int found = 0;
    char *copy = xstrdup(list);
    for (char *save = NULL, *tok = strtok_r(copy, "|", &save); tok && !found;
         tok = strtok_r(NULL, "|", &save)) {
        char *f = text_fold_dup(tok);
        found = strcmp(f, folded) == 0;
        free(f);
    }
    free(copy);
    return found;
}

int organisation_find_all(struct store *db, const char *name, long long *ids, int max, int *n)
{
    char *folded = text_fold_dup(name);
    struct stmt *st = store_prepare(db, "SELECT id, name, acronym, aliases FROM organisation "
                                        "ORDER BY id");
    int rc;
    *n = 0;
    while ((rc = stmt_step(st)) == 1 && *n < max) {
        struct arena a = {0};
        char *nm = stmt_text(st, 1, &a), *acr = stmt_text(st, 2, &a), *al = stmt_text(st, 3, &a);
        if (matches_one_of(nm, folded) || (*acr && matches_one_of(acr, folded)) ||
            (*al && matches_one_of(al, folded)))
            ids[(*n)++] = stmt_int(st, 0);
        arena_free(&a);
    }
    stmt_done(st);
    free(folded);
    return rc < 0 ? rc : ERR_OK;
}

int organisation_find(struct store *db, const char *name, long long *id)
{
    char *folded = text_fold_dup(name);
    struct stmt *st = store_prepare(db, "SELECT id, name, acronym, aliases FROM organisation "
                                        "ORDER BY id");
    int rc, found = 0;
    /* The directory is small (tens to a few thousand rows): folding in C keeps accents and case
     * out of SQL, which differs between engines. */
    while (!found && (rc = stmt_step(st)) == 1) {
        struct arena a = {0};
        char *n = stmt_text(st, 1, &a), *acr = stmt_text(st, 2, &a), *al = stmt_text(st, 3, &a);
        if (matches_one_of(n, folded) || (*acr && matches_one_of(acr, folded)) ||
            (*al && matches_one_of(al, folded))) {
            *id = stmt_int(st, 0);
            found = 1;
        }
        arena_free(&a);
    }
    stmt_done(st);
    free(folded);
    if (found)
        return ERR_OK;
    return rc < 0 ? rc : ERR_NOTFOUND;
}

int organisation_find_slug(struct store *db, const char *slug, long long *id)
{
    struct stmt *st = store_prepare(db, "SELECT id FROM organisation WHERE slug = ?1");
    stmt_bind_text(st, 1, slug);
    int rc = stmt_step(st);
    if (rc == 1)
        *id = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int organisation_create(struct store *db, const struct organisation *o, long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO organisation (slug, name, type, acronym, aliases) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
    stmt_bind_text(st, 1, str_blank(o->slug) ? NULL : o->slug);
    stmt_bind_text(st, 2, o->name);
    stmt_bind_text(st, 3, o->type ? o->type : "other");
    stmt_bind_text(st, 4, o->acronym ? o->acronym : "");
    stmt_bind_text(st, 5, o->aliases ? o->aliases : "");
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int organisation_actions(struct store *db, struct arena *a, long long id,
                         struct organisation_action **out, int *n)
{
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT a.id, a.contract_id, a.code, a.kind, a.title, ao.role, c.title "
            "FROM action_organisation ao JOIN action a ON a.id = ao.action_id "
            "JOIN contract c ON c.id = a.contract_id WHERE ao.organisation_id = ?1 "
            "AND a.archived = 0 "
            "ORDER BY c.id, CASE ao.role WHEN 'carrier' THEN 0 WHEN 'co_carrier' THEN 1 "
            "ELSE 2 END, a.position, a.id");
    stmt_bind_int(st, 1, id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct organisation_action *x = &(*out)[(*n)++];
        x->action_id = stmt_int(st, 0);
        x->contract_id = stmt_int(st, 1);
        x->code = stmt_text(st, 2, a);
        x->kind = stmt_text(st, 3, a);
        x->title = stmt_text(st, 4, a);
        x->role = stmt_text(st, 5, a);
        x->contract_title = stmt_text(st, 6, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

static int compare_names(const void *pa, const void *pb)
{
    const struct organisation *x = pa, *y = pb;
    char *fx = text_fold_dup(x->name), *fy = text_fold_dup(y->name);
    int c = strcmp(fx, fy);
    free(fx);
    free(fy);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

int organisation_carriers(struct store *db, struct arena *a, long long contract_id,
                          struct organisation **out, int *n)
{
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(
        /* From the contract's actions to their carriers, not from every organisation to
         * every action it carries in any contract: 1 ms instead of 200 at 1000 contracts. */
        db, "SELECT o.id, coalesce(o.slug, ''), o.name, o.type, o.acronym, o.aliases "
            "FROM organisation o WHERE o.id IN (SELECT ao.organisation_id FROM action a "
            "JOIN action_organisation ao ON ao.action_id = a.id AND ao.role = 'carrier' "
            "WHERE a.contract_id = ?1 AND a.archived = 0) ORDER BY o.id");
    stmt_bind_int(st, 1, contract_id);
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
    qsort(*out, (size_t)*n, sizeof **out, compare_names);
    return ERR_OK;
}

int organisation_contracts(struct store *db, struct arena *a, long long id,
                           struct organisation_contract **out, int *n)
{
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    /* Every link of the schema to an organisation, archived actions included: their pages
     * still show it. */
    struct stmt *st = store_prepare(
        db, "SELECT c.id, c.title FROM contract c WHERE c.id IN (SELECT x.contract_id FROM "
            "action_organisation ao JOIN action x ON x.id = ao.action_id WHERE "
            "ao.organisation_id = ?1 UNION SELECT contract_id FROM signatory WHERE "
            "organisation_id = ?1 UNION SELECT contract_id FROM person WHERE organisation_id = ?1 "
            "UNION SELECT b.contract_id FROM body_referent r JOIN body b ON b.id = r.body_id "
            "WHERE r.organisation_id = ?1 UNION SELECT contract_id FROM account WHERE "
            "organisation_id = ?1 AND contract_id IS NOT NULL UNION SELECT contract_id FROM "
            "service WHERE organisation_id = ?1) ORDER BY c.id");
    stmt_bind_int(st, 1, id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[*n].id = stmt_int(st, 0);
        (*out)[(*n)++].title = stmt_text(st, 1, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

bool organisation_in_scope(const struct organisation_contract *cs, int n, long long contract_id)
{
    if (contract_id == 0)
        return true;
    for (int i = 0; i < n; i++)
        if (cs[i].id != contract_id)
            return false;
    return true;
}
