/* objective.c — SQL and tree walking for the strategy tree. Must not produce HTML. */
#include "model/plan/objective.h"

#include <string.h>

#include "store/rows.h"

static const char *const level_keys[] = {"general", "strategic", "specific", "operational"};
static const char *const level_labels[] = {"Objectif général", "Objectif stratégique",
                                           "Objectif spécifique", "Objectif opérationnel"};

const char *objective_level_key(enum objective_level l)
{
    return level_keys[l];
}

const char *objective_level_label(enum objective_level l)
{
    return level_labels[l];
}

int objective_level_from_key(const char *key)
{
    for (int i = 0; key && i < 4; i++)
        if (strcmp(level_keys[i], key) == 0)
            return i;
    return -1;
}

int objective_list(struct store *db, struct arena *a, long long contract_id,
                   struct objective **out, int *n)
{
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(parent_id, 0), level, code, alt_code, title, "
            "position FROM objective WHERE contract_id = ?1 AND archived = 0 "
            "ORDER BY position, id");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct objective *o = &(*out)[(*n)++];
        o->id = stmt_int(st, 0);
        o->parent_id = stmt_int(st, 1);
        char *level = stmt_text(st, 2, a);
        int l = objective_level_from_key(level);
        o->level = l < 0 ? OBJ_OPERATIONAL : (enum objective_level)l;
        o->code = stmt_text(st, 3, a);
        o->alt_code = stmt_text(st, 4, a);
        o->title = stmt_text(st, 5, a);
        o->position = (int)stmt_int(st, 6);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int objective_index(const struct objective *list, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (list[i].id == id)
            return i;
    return -1;
}

int objective_ancestor(const struct objective *list, int n, int i, enum objective_level level)
{
    for (int depth = 0; i >= 0 && depth < 8; depth++) {
        if (list[i].level == level)
            return i;
        i = list[i].parent_id ? objective_index(list, n, list[i].parent_id) : -1;
    }
    return -1;
}

int objective_create(struct store *db, long long contract_id, const struct objective *o,
                     long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO objective (contract_id, parent_id, level, code, alt_code, title, position) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    stmt_bind_int(st, 1, contract_id);
    if (o->parent_id)
        stmt_bind_int(st, 2, o->parent_id);
    stmt_bind_text(st, 3, objective_level_key(o->level));
    stmt_bind_text(st, 4, o->code ? o->code : "");
    stmt_bind_text(st, 5, o->alt_code ? o->alt_code : "");
    stmt_bind_text(st, 6, o->title);
    stmt_bind_int(st, 7, o->position);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}
