/* area.c — SQL of the communes and intercommunalities of territories. Must not read files (the
 * loaders turn the CSV files of data/territories/ into area_put calls) nor produce HTML or
 * JSON. */
#include "model/core/area.h"

#include <string.h>

#include "base/str.h"
#include "store/rows.h"

int area_list(struct store *db, struct arena *a, long long territory_id, struct area **out,
              int *n)
{
    *n = 0;
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    struct stmt *st = store_prepare(
        db, "SELECT kind, code, name, epci_code, coalesce(population, 0) FROM "
            "territory_area WHERE territory_id = ?1 ORDER BY position, code");
    stmt_bind_int(st, 1, territory_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct area *x = &(*out)[(*n)++];
        x->kind = stmt_text(st, 0, a);
        x->code = stmt_text(st, 1, a);
        x->name = stmt_text(st, 2, a);
        x->epci_code = stmt_text(st, 3, a);
        x->population = stmt_int(st, 4);
    }
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int area_territory(struct store *db, struct arena *a, long long id, struct territory *out)
{
    struct stmt *st = store_prepare(db, "SELECT id, name, kind, members FROM territory "
                                        "WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    out->id = stmt_int(st, 0);
    out->name = stmt_text(st, 1, a);
    out->kind = stmt_text(st, 2, a);
    out->members = stmt_text(st, 3, a);
    stmt_done(st);
    return ERR_OK;
}

int area_put(struct store *db, long long territory_id, const struct area *x, int position)
{
    if ((!str_eq(x->kind, "epci") && !str_eq(x->kind, "commune")) || str_blank(x->code) ||
        str_blank(x->name))
        return ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "INSERT INTO territory_area (territory_id, kind, code, name, epci_code, population, "
            "position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (territory_id, code) DO "
            "UPDATE SET kind = excluded.kind, name = excluded.name, epci_code = "
            "excluded.epci_code, population = excluded.population, position = "
            "excluded.position");
    stmt_bind_int(st, 1, territory_id);
    stmt_bind_text(st, 2, x->kind);
    stmt_bind_text(st, 3, x->code);
    stmt_bind_text(st, 4, x->name);
    stmt_bind_text(st, 5, x->epci_code ? x->epci_code : "");
    if (x->population > 0)
        stmt_bind_int(st, 6, x->population);
    else
        stmt_bind_null(st, 6);
    stmt_bind_int(st, 7, position);
    return stmt_exec(st);
}
