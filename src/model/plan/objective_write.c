/* objective_write.c — the audited, version-checked writes of the strategy tree: add, rename,
 * recode, move, reorder and archive objectives, keeping positions in depth-first tree order.
 * Must not produce HTML or JSON, nor write without its audit rows in the same transaction. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "model/plan/editing.h"
#include "model/plan/editing_internal.h"
#include "store/rows.h"

/* ---- objectives ---------------------------------------------------------------------------- */

static void read_objective(struct stmt *st, struct arena *a, struct objective *o)
{
    o->id = stmt_int(st, 0);
    o->parent_id = stmt_int(st, 1);
    int l = objective_level_from_key(stmt_text(st, 2, a));
    o->level = l < 0 ? OBJ_OPERATIONAL : (enum objective_level)l;
    o->code = stmt_text(st, 3, a);
    o->alt_code = stmt_text(st, 4, a);
    o->title = stmt_text(st, 5, a);
    o->position = (int)stmt_int(st, 6);
}

#define OBJECTIVE_COLUMNS \
    "id, coalesce(parent_id, 0), level, code, alt_code, title, position, archived, version, " \
    "contract_id "

int objective_list_all(struct store *db, struct arena *a, long long contract_id,
                       struct objective **out, bool **archived, int *n)
{
    int rc, cap = 0, cap_archived = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *archived = rows_grow(a, NULL, 0, &cap_archived, sizeof **archived);
    *n = 0;
    struct stmt *st = store_prepare(db, "SELECT " OBJECTIVE_COLUMNS "FROM objective "
                                        "WHERE contract_id = ?1 ORDER BY position, id");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        *archived = rows_grow(a, *archived, *n, &cap_archived, sizeof **archived);
        read_objective(st, a, &(*out)[*n]);
        (*archived)[(*n)++] = stmt_int(st, 7) != 0;
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int objective_get(struct store *db, struct arena *a, long long id, struct objective *out,
                  struct objective_meta *meta)
{
    struct stmt *st =
        store_prepare(db, "SELECT " OBJECTIVE_COLUMNS "FROM objective WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        read_objective(st, a, out);
        meta->archived = stmt_int(st, 7) != 0;
        meta->version = (int)stmt_int(st, 8);
        meta->contract_id = stmt_int(st, 9);
    }
    stmt_done(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    long long k = 0;
    rc = edit_one_int(
        db, "SELECT count(*) FROM objective WHERE parent_id = ?1 AND archived = 0", id, &k);
    meta->n_children = (int)k;
    if (rc == ERR_OK)
        rc = edit_one_int(
            db, "SELECT count(*) FROM action WHERE objective_id = ?1 AND archived = 0", id, &k);
    meta->n_actions = (int)k;
    return rc;
}

const char *edit_objective_text(struct store *db, struct arena *a, long long id)
{
    struct objective o;
    struct objective_meta m;
    if (!id || objective_get(db, a, id, &o, &m) != ERR_OK)
        return "";
    if (!*o.code)
        return o.title;
    struct buf b = {0};
    buf_printf(&b, "%s — %s", o.code, o.title);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

void objective_check(struct store *db, long long contract_id, long long self,
                     const struct objective *o, struct problems *p)
{
    if (str_blank(o->title))
        problems_add(p, "title", "Donnez un intitulé à l'objectif.");
    else if (edit_too_long(o->title, 500))
        problems_add(p, "title", "L'intitulé dépasse 500 caractères : raccourcissez-le.");
    if (edit_too_long(o->code, 40))
        problems_add(p, "code", "Le code dépasse 40 caractères.");
    if (edit_too_long(o->alt_code, 40))
        problems_add(p, "alt_code", "L'autre code dépasse 40 caractères.");
    if (o->position < 0 || o->position > 10000)
        problems_add(p, "position", "La position est un nombre entier positif.");
    if (o->level == OBJ_GENERAL) {
        if (o->parent_id)
            problems_add(p, "parent_id", "L'objectif général n'a pas de parent.");
        return;
    }
    if (!o->parent_id) {
        if (o->level != OBJ_STRATEGIC)
            problems_add(p, "parent_id", o->level == OBJ_SPECIFIC
                                             ? "Choisissez l'axe de cet objectif spécifique."
                                             : "Choisissez l'objectif spécifique de cet "
                                               "objectif opérationnel.");
        return;
    }
    struct arena a = {0};
    struct objective parent;
    struct objective_meta m;
    int rc = objective_get(db, &a, o->parent_id, &parent, &m);
    if (rc != ERR_OK || m.contract_id != contract_id)
        problems_add(p, "parent_id", "Cet objectif parent n'existe pas dans ce contrat.");
    else if (parent.id == self)
        problems_add(p, "parent_id", "Un objectif ne peut pas être son propre parent.");
    else if (m.archived)
        problems_add(p, "parent_id", "Cet objectif parent est archivé : choisissez-en un autre.");
    else if ((int)parent.level != (int)o->level - 1)
        problems_add(p, "parent_id",
                     o->level == OBJ_STRATEGIC
                         ? "Le parent d'un axe est l'objectif général."
                     : o->level == OBJ_SPECIFIC
                         ? "Le parent d'un objectif spécifique est un axe (objectif stratégique)."
                         : "Le parent d'un objectif opérationnel est un objectif spécifique.");
    arena_free(&a);
}

/* Renumbers the positions of a contract's objectives in depth-first tree order, with moved
 * placed at rank (1-based; 0 or too big: last) among the children of its parent. Only rows
 * whose position changes are written; versions are not bumped (the order of the others is not
 * their content). *rank_out gets the rank moved ended up at. */
static int renumber_objectives(struct store *db, long long contract_id, long long moved,
                               long long parent, int rank, int *rank_out)
{
    struct arena a = {0};
    struct objective *o;
    bool *archived;
    int n, rc = objective_list_all(db, &a, contract_id, &o, &archived, &n);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    int m = objective_index(o, n, moved);
    if (m >= 0)
        o[m].parent_id = parent;
    /* Depth-first, pre-order, with an explicit stack of node indexes (-1: the roots). */
    int *order = arena_alloc(&a, sizeof *order * (size_t)(n + 1));
    int *stack = arena_alloc(&a, sizeof *stack * (size_t)(n + 2));
    int *kids = arena_alloc(&a, sizeof *kids * (size_t)(n + 1));
    bool *seen = arena_alloc(&a, sizeof *seen * (size_t)(n + 1));
    int n_order = 0, top = 0;
    *rank_out = 0;
    stack[top++] = -1;
    while (top > 0) {
        int p = stack[--top];
        if (p >= 0)
            order[n_order++] = p;
        long long pid = p < 0 ? 0 : o[p].id;
        int nk = 0;
        for (int i = 0; i < n; i++) {
            if (i == m || seen[i])
                continue;
            bool orphan = o[i].parent_id && objective_index(o, n, o[i].parent_id) < 0;
            if (o[i].parent_id == pid || (p < 0 && orphan))
                kids[nk++] = i;
        }
        if (m >= 0 && !seen[m] && o[m].parent_id == pid) {
            int at = rank >= 1 && rank <= nk ? rank - 1 : nk;
            memmove(kids + at + 1, kids + at, sizeof *kids * (size_t)(nk - at));
            kids[at] = m;
            nk++;
            *rank_out = at + 1;
        }
        /* Pushed in reverse so that the first child comes out first. */
        for (int k = nk - 1; k >= 0; k--) {
            seen[kids[k]] = true;
            stack[top++] = kids[k];
        }
    }
    struct stmt *st = store_prepare(db, "UPDATE objective SET position = ?2 WHERE id = ?1");
    for (int i = 0; i < n_order && rc == ERR_OK; i++) {
        if (o[order[i]].position == i + 1)
            continue;
        stmt_bind_int(st, 1, o[order[i]].id);
        stmt_bind_int(st, 2, i + 1);
        rc = stmt_exec(st);
    }
    arena_free(&a);
    return rc;
}

/* The rank (1-based) of an objective among its parent's children, archived ones included. */
static int objective_rank(struct store *db, long long id)
{
    struct stmt *st = store_prepare(
        db, "SELECT count(*) FROM objective s JOIN objective o ON o.id = ?1 WHERE "
            "s.contract_id = o.contract_id AND coalesce(s.parent_id, 0) = "
            "coalesce(o.parent_id, 0) AND (s.position < o.position OR "
            "(s.position = o.position AND s.id <= o.id))");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    int rank = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rank;
}

int objective_add(struct store *db, const struct actor *who, long long contract_id,
                  const struct objective *o, long long *id)
{
    struct problems p = {0};
    objective_check(db, contract_id, 0, o, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct objective x = *o;
    x.position = 1000000; /* renumbered just below */
    rc = objective_create(db, contract_id, &x, id);
    int rank = 0;
    if (rc == ERR_OK)
        rc = renumber_objectives(db, contract_id, *id, o->parent_id, o->position, &rank);
    struct arena a = {0};
    if (rc == ERR_OK)
        rc = audit_record(db, who, "objective", *id, 1, "created", "", o->title);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", *id, 1, "level", "", objective_level_key(o->level));
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", *id, 1, "code", "", o->code);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", *id, 1, "title", "", o->title);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", *id, 1, "parent", "",
                         edit_objective_text(db, &a, o->parent_id));
    arena_free(&a);
    return edit_finish(db, rc);
}

int objective_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct objective *o)
{
    struct arena a = {0};
    struct objective old;
    struct objective_meta m;
    int rc = objective_get(db, &a, id, &old, &m);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct objective x = *o;
    x.level = old.level; /* the level never changes: moving keeps it */
    struct problems p = {0};
    objective_check(db, m.contract_id, id, &x, &p);
    if (p.n) {
        arena_free(&a);
        return ERR_INVALID;
    }
    if ((rc = store_begin(db)) != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    int old_rank = objective_rank(db, id), new_rank = old_rank;
    const char *old_parent = edit_objective_text(db, &a, old.parent_id);
    struct stmt *st = store_prepare(
        db, "UPDATE objective SET parent_id = ?3, code = ?4, alt_code = ?5, title = ?6, "
            "version = version + 1 WHERE id = ?1 AND version = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, version);
    if (x.parent_id)
        stmt_bind_int(st, 3, x.parent_id);
    stmt_bind_text(st, 4, x.code ? x.code : "");
    stmt_bind_text(st, 5, x.alt_code ? x.alt_code : "");
    stmt_bind_text(st, 6, x.title);
    rc = stmt_exec(st);
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    bool moved = x.parent_id != old.parent_id;
    if (rc == ERR_OK && (moved || (x.position && x.position != old_rank)))
        rc = renumber_objectives(db, m.contract_id, id, x.parent_id,
                                 x.position ? x.position : moved ? 0 : old_rank, &new_rank);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", id, version + 1, "code", old.code, x.code);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", id, version + 1, "alt_code", old.alt_code,
                         x.alt_code);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", id, version + 1, "title", old.title, x.title);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", id, version + 1, "parent", old_parent,
                         edit_objective_text(db, &a, x.parent_id));
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", id, version + 1, "position",
                         edit_int_text(&a, old_rank), edit_int_text(&a, new_rank));
    arena_free(&a);
    return edit_finish(db, rc);
}

int objective_archive(struct store *db, const struct actor *who, long long id, int version,
                      bool archived, const char **why)
{
    *why = NULL;
    struct arena a = {0};
    struct objective o;
    struct objective_meta m;
    int rc = objective_get(db, &a, id, &o, &m);
    if (rc == ERR_OK && archived && (m.n_children || m.n_actions)) {
        *why = m.n_actions ? "Cet objectif a encore des actions en cours de suivi : archivez-les "
                             "ou déplacez-les vers un autre objectif d'abord."
                           : "Cet objectif a encore des sous-objectifs : archivez-les ou "
                             "déplacez-les d'abord.";
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && !archived && o.parent_id) {
        struct objective parent;
        struct objective_meta pm;
        if (objective_get(db, &a, o.parent_id, &parent, &pm) == ERR_OK && pm.archived) {
            *why = "Son objectif parent est archivé : restaurez-le d'abord.";
            rc = ERR_INVALID;
        }
    }
    arena_free(&a);
    if (rc != ERR_OK)
        return rc;
    if ((rc = store_begin(db)) != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "UPDATE objective SET archived = ?3, version = version + 1 WHERE id = ?1 AND "
            "version = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, version);
    stmt_bind_int(st, 3, archived);
    rc = stmt_exec(st);
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "objective", id, version + 1, "archived", m.archived ? "1" : "0",
                         archived ? "1" : "0");
    return edit_finish(db, rc);
}

