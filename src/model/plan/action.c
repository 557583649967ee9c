/* action.c — SQL for actions, their organisations and status history; filtering and sorting of
 * the action list. Must not produce HTML or JSON. */
#include "model/plan/action.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "store/rows.h"

const char *action_kind_label(const char *kind)
{
    if (str_eq(kind, "sheet"))
        return "Fiche action";
    if (str_eq(kind, "lead"))
        return "Piste d'action";
    return kind;
}

/* Columns shared by the list and the detail query; ?2 is the year (NULL for the latest). */
#define ACTION_SELECT                                                                          \
    "SELECT a.id, a.contract_id, a.objective_id, coalesce(a.slug, ''), a.kind, a.code, a.title, " \
    "a.carrier_label, a.notes, a.created_at, a.position, o.code, o.title, "                     \
    "coalesce(org.id, 0), coalesce(org.name, ''), coalesce(org.type, ''), "                     \
    "coalesce(s.status, ''), coalesce(s.remarks, ''), coalesce((SELECT min(s4.year) FROM "      \
    "action_status s4 WHERE s4.action_id = a.id), 0), a.source_ref, coalesce(a.since_year, 0) " \
    "FROM action a JOIN objective o ON o.id = a.objective_id "                                  \
    "LEFT JOIN action_organisation ao ON ao.action_id = a.id AND ao.role = 'carrier' "          \
    "LEFT JOIN organisation org ON org.id = ao.organisation_id "                                \
    "LEFT JOIN action_status s ON s.id = (SELECT max(s2.id) FROM action_status s2 "             \
    "WHERE s2.action_id = a.id AND s2.year = coalesce(?2, (SELECT max(s3.year) FROM "           \
    "action_status s3 WHERE s3.action_id = a.id))) "

static void read_action(struct stmt *st, struct arena *a, struct action *x)
{
    x->id = stmt_int(st, 0);
    x->contract_id = stmt_int(st, 1);
    x->objective_id = stmt_int(st, 2);
    x->slug = stmt_text(st, 3, a);
    x->kind = stmt_text(st, 4, a);
    x->code = stmt_text(st, 5, a);
    x->title = stmt_text(st, 6, a);
    x->carrier_label = stmt_text(st, 7, a);
    x->notes = stmt_text(st, 8, a);
    x->created_at = stmt_text(st, 9, a);
    x->position = (int)stmt_int(st, 10);
    x->objective_code = stmt_text(st, 11, a);
    x->objective_title = stmt_text(st, 12, a);
    x->carrier_id = stmt_int(st, 13);
    x->carrier_name = stmt_text(st, 14, a);
    x->carrier_type = stmt_text(st, 15, a);
    x->status = status_from_key(stmt_text(st, 16, a));
    x->remarks = stmt_text(st, 17, a);
    x->first_year = figures_first_year((int)stmt_int(st, 18), (int)stmt_int(st, 20),
                                       x->created_at);
    x->source_ref = stmt_text(st, 19, a);
}

static bool status_matches(const char *want, enum status s)
{
    if (!want || !*want)
        return true;
    if (strcmp(want, "none") == 0)
        return s == ST_NONE;
    if (strcmp(want, "done_any") == 0)
        return status_is_done(s);
    return status_from_key(want) == s;
}

static bool passes(const struct action_filter *f, const struct action *x,
                   const struct objective *objs, int n_objs, const char *folded_text)
{
    if (f->kind && *f->kind && !str_eq(f->kind, x->kind))
        return false;
    if (f->no_carrier && x->carrier_id)
        return false;
    if (f->carrier_id && x->carrier_id != f->carrier_id)
        return false;
    if (f->carrier_type && *f->carrier_type && !str_eq(f->carrier_type, x->carrier_type))
        return false;
    if (!status_matches(f->status, x->status))
        return false;
    /* A year's list holds the actions that count that year (figures.h), as its counts do. */
    if (f->year && !figures_exists_in(x->first_year, f->year))
        return false;
    int i = objective_index(objs, n_objs, x->objective_id);
    if (f->operational_id && x->objective_id != f->operational_id)
        return false;
    if (f->specific_id) {
        int s = objective_ancestor(objs, n_objs, i, OBJ_SPECIFIC);
        if (s < 0 || objs[s].id != f->specific_id)
            return false;
    }
    if (f->strategic_id) {
        int s = objective_ancestor(objs, n_objs, i, OBJ_STRATEGIC);
        if (s < 0 || objs[s].id != f->strategic_id)
            return false;
    }
    if (folded_text && *folded_text && !text_contains_folded(x->title, folded_text) &&
        !text_contains_folded(x->code, folded_text) &&
        !text_contains_folded(x->carrier_name, folded_text) &&
        !text_contains_folded(x->carrier_label, folded_text))
        return false;
    return true;
}

static _Thread_local const char *sort_key;
static _Thread_local bool sort_desc;

/* Empty values sort last whatever the direction: "no carrier" is not a name. */
static int compare_text(const char *s, const char *t)
{
    if (!*s || !*t)
        return (!*s) - (!*t);
    char *fs = text_fold_dup(s), *ft = text_fold_dup(t);
    int c = strcmp(fs, ft);
    free(fs);
    free(ft);
    return sort_desc ? -c : c;
}

static int compare_actions(const void *pa, const void *pb)
{
    const struct action *x = pa, *y = pb;
    int c = 0;
    if (str_eq(sort_key, "title"))
        c = compare_text(x->title, y->title);
    else if (str_eq(sort_key, "carrier"))
        c = compare_text(x->carrier_name, y->carrier_name);
    else if (str_eq(sort_key, "status"))
        c = ((x->status == ST_NONE ? ST_COUNT : x->status) -
             (y->status == ST_NONE ? ST_COUNT : y->status)) * (sort_desc ? -1 : 1);
    if (c == 0)
        c = (x->position - y->position) * (str_eq(sort_key, "code") && sort_desc ? -1 : 1);
    if (c == 0)
        c = x->id < y->id ? -1 : x->id > y->id;
    return c;
}

int action_list(struct store *db, struct arena *a, const struct action_filter *f,
                struct action **out, int *n)
{
    struct objective *objs;
    int n_objs;
    int rc = objective_list(db, a, f->contract_id, &objs, &n_objs);
    if (rc < 0)
        return rc;
    int cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    char *folded = f->text ? text_fold_dup(f->text) : NULL;
    struct stmt *st = store_prepare(
        db, ACTION_SELECT "WHERE a.contract_id = ?1 AND a.archived = 0 AND "
                          "(?3 = 0 OR EXISTS (SELECT 1 FROM action_plan p WHERE "
                          "p.action_id = a.id AND p.year = ?3)) ORDER BY a.position, a.id");
    stmt_bind_int(st, 1, f->contract_id);
    stmt_bind_int(st, 3, f->plan_year);
    if (f->year)
        stmt_bind_int(st, 2, f->year);
    else
        stmt_bind_null(st, 2);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct action *x = &(*out)[*n];
        read_action(st, a, x);
        if (passes(f, x, objs, n_objs, folded))
            (*n)++;
    }
    stmt_done(st);
    free(folded);
    if (rc < 0)
        return rc;
    /* qsort has no context argument in C17: the sort order goes through two thread-locals. */
    sort_key = f->sort;
    sort_desc = f->desc;
    qsort(*out, (size_t)*n, sizeof **out, compare_actions);
    return ERR_OK;
}

static int load_orgs(struct store *db, struct arena *a, struct action *x)
{
    int cap = 0;
    x->orgs = rows_grow(a, NULL, 0, &cap, sizeof *x->orgs);
    x->n_orgs = 0;
    struct stmt *st = store_prepare(
        db, "SELECT o.id, o.name, o.type, ao.role FROM action_organisation ao "
            "JOIN organisation o ON o.id = ao.organisation_id WHERE ao.action_id = ?1 "
            "ORDER BY CASE ao.role WHEN 'carrier' THEN 0 WHEN 'co_carrier' THEN 1 ELSE 2 END, "
            "ao.position, o.name");
    stmt_bind_int(st, 1, x->id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        x->orgs = rows_grow(a, x->orgs, x->n_orgs, &cap, sizeof *x->orgs);
        struct action_org *o = &x->orgs[x->n_orgs++];
        o->id = stmt_int(st, 0);
        o->name = stmt_text(st, 1, a);
        o->type = stmt_text(st, 2, a);
        o->role = stmt_text(st, 3, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

static int load_history(struct store *db, struct arena *a, struct action *x)
{
    int rc, cap = 0;
    x->history = rows_grow(a, NULL, 0, &cap, sizeof *x->history);
    x->n_history = 0;
    struct stmt *st = store_prepare(
        db, "SELECT id, year, status, status_as_written, remarks, recommendations, "
            "recorded_at, recorded_by, coalesce(account_id, 0), correction FROM action_status "
            "WHERE action_id = ?1 "
            "ORDER BY year, id");
    stmt_bind_int(st, 1, x->id);
    while ((rc = stmt_step(st)) == 1) {
        x->history = rows_grow(a, x->history, x->n_history, &cap, sizeof *x->history);
        struct status_entry *e = &x->history[x->n_history++];
        e->id = stmt_int(st, 0);
        e->year = (int)stmt_int(st, 1);
        e->status = status_from_key(stmt_text(st, 2, a));
        e->as_written = stmt_text(st, 3, a);
        e->remarks = stmt_text(st, 4, a);
        e->recommendations = stmt_text(st, 5, a);
        e->recorded_at = stmt_text(st, 6, a);
        e->recorded_by = stmt_text(st, 7, a);
        e->account_id = stmt_int(st, 8);
        e->correction = stmt_int(st, 9) != 0;
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int action_get(struct store *db, struct arena *a, long long id, int year, struct action *out)
{
    struct stmt *st = store_prepare(db, ACTION_SELECT "WHERE a.id = ?1");
    stmt_bind_int(st, 1, id);
    if (year)
        stmt_bind_int(st, 2, year);
    else
        stmt_bind_null(st, 2);
    int rc = stmt_step(st);
    if (rc == 1)
        read_action(st, a, out);
    stmt_done(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    if ((rc = load_orgs(db, a, out)) < 0)
        return rc;
    return load_history(db, a, out);
}

int action_create(struct store *db, const struct action *x, long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO action (contract_id, objective_id, slug, kind, code, title, carrier_label, "
            "notes, position, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "coalesce(?9, (SELECT coalesce(max(position), 0) + 1 FROM action WHERE "
            "contract_id = ?1)), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, x->contract_id);
    stmt_bind_int(st, 2, x->objective_id);
    stmt_bind_text(st, 3, str_blank(x->slug) ? NULL : x->slug);
    stmt_bind_text(st, 4, x->kind);
    stmt_bind_text(st, 5, x->code ? x->code : "");
    stmt_bind_text(st, 6, x->title);
    stmt_bind_text(st, 7, x->carrier_label ? x->carrier_label : "");
    stmt_bind_text(st, 8, x->notes ? x->notes : "");
    if (x->position)
        stmt_bind_int(st, 9, x->position);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int action_link_organisation(struct store *db, long long action_id, long long organisation_id,
                             const char *role, int position)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO action_organisation (action_id, organisation_id, role, position) "
            "SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM action_organisation WHERE "
            "action_id = ?1 AND organisation_id = ?2 AND role = ?3)");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, organisation_id);
    stmt_bind_text(st, 3, role);
    stmt_bind_int(st, 4, position);
    return stmt_exec(st);
}

int action_record_status(struct store *db, long long action_id, int year, enum status status,
                         const char *as_written, const char *remarks, const char *recommendations,
                         const char *recorded_by, bool *added)
{
    remarks = remarks ? remarks : "";
    recommendations = recommendations ? recommendations : "";
    *added = false;
    struct stmt *st = store_prepare(
        db, "SELECT status, remarks, recommendations FROM action_status WHERE action_id = ?1 "
            "AND year = ?2 ORDER BY id DESC LIMIT 1");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, year);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        struct arena a = {0};
        bool same = status_from_key(stmt_text(st, 0, &a)) == status &&
                    str_eq(stmt_text(st, 1, &a), remarks) &&
                    str_eq(stmt_text(st, 2, &a), recommendations);
        arena_free(&a);
        stmt_done(st);
        if (same)
            return ERR_OK;
    }
    st = store_prepare(
        db, "INSERT INTO action_status (action_id, year, status, status_as_written, remarks, "
            "recommendations, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?7)");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, status_key(status));
    stmt_bind_text(st, 4, as_written ? as_written : "");
    stmt_bind_text(st, 5, remarks);
    stmt_bind_text(st, 6, recommendations);
    stmt_bind_text(st, 7, recorded_by ? recorded_by : "");
    rc = stmt_exec(st);
    *added = rc == ERR_OK;
    return rc;
}

int action_status_counts(struct store *db, long long contract_id, int *years,
                         int counts[][ST_COUNT], int max_years, int *n_years)
{
    struct stmt *st = store_prepare(
        db, "SELECT s.year, s.status, count(*) FROM action_status s JOIN action a ON "
            "a.id = s.action_id WHERE a.contract_id = ?1 AND a.archived = 0 AND s.id = (SELECT "
            "max(s2.id) FROM "
            "action_status s2 WHERE s2.action_id = s.action_id AND s2.year = s.year) "
            "GROUP BY s.year, s.status ORDER BY s.year");
    stmt_bind_int(st, 1, contract_id);
    *n_years = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        int year = (int)stmt_int(st, 0);
        if (*n_years == 0 || years[*n_years - 1] != year) {
            if (*n_years == max_years)
                continue;
            years[*n_years] = year;
            memset(counts[*n_years], 0, sizeof counts[0]);
            (*n_years)++;
        }
        struct arena a = {0};
        enum status s = status_from_key(stmt_text(st, 1, &a));
        arena_free(&a);
        if (s != ST_NONE)
            counts[*n_years - 1][s] = (int)stmt_int(st, 2);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int action_count(struct store *db, long long contract_id, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT count(*) FROM action WHERE contract_id = ?1 "
                                        "AND archived = 0");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    *n = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

/* A status row of action_status_grid before the years are known. */
struct grid_row {
    long long action_id, id;
    int year;
    enum status status;
};

static int compare_brief_ids(const void *pa, const void *pb)
{
    const struct action_brief *const *x = pa, *const *y = pb;
    return (*x)->id < (*y)->id ? -1 : (*x)->id > (*y)->id;
}

/* Reads every status row of the contract into *rows (malloc'd, free it even on error). No ORDER
 * BY: sorting cost more than the rest of the query, and the caller keeps the highest id. */
static int grid_rows(struct store *db, long long contract_id, struct grid_row **rows, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT s.action_id, s.id, s.year, s.status FROM action a JOIN action_status s ON "
            "s.action_id = a.id WHERE a.contract_id = ?1 AND a.archived = 0");
    stmt_bind_int(st, 1, contract_id);
    int cap = 0, rc;
    *rows = NULL;
    *n = 0;
    struct arena tmp = {0};
    while ((rc = stmt_step(st)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *rows = xrealloc(*rows, sizeof **rows * (size_t)cap);
        }
        struct grid_row *r = &(*rows)[(*n)++];
        r->action_id = stmt_int(st, 0);
        r->id = stmt_int(st, 1);
        r->year = (int)stmt_int(st, 2);
        r->status = status_from_key(stmt_text(st, 3, &tmp));
    }
    stmt_done(st);
    arena_free(&tmp);
    return rc < 0 ? rc : ERR_OK;
}

int action_status_grid(struct store *db, struct arena *a, long long contract_id, int *years,
                       int max_years, int *n_years, struct action_brief **out, int *n)
{
    *n_years = 0;
    *n = 0;
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    struct stmt *st = store_prepare(
        db, "SELECT a.id, a.objective_id, a.kind, a.code, a.title, a.carrier_label, "
            "coalesce(org.id, 0), coalesce(org.type, ''), a.created_at, coalesce(a.since_year, 0) "
            "FROM action a "
            "LEFT JOIN action_organisation ao ON ao.action_id = a.id AND ao.role = 'carrier' "
            "LEFT JOIN organisation org ON org.id = ao.organisation_id "
            "WHERE a.contract_id = ?1 AND a.archived = 0 ORDER BY a.position, a.id, "
            "ao.position");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        long long id = stmt_int(st, 0);
        if (*n && (*out)[*n - 1].id == id)
            continue; /* a second carrier: the first one leads */
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct action_brief *x = &(*out)[(*n)++];
        x->id = id;
        x->objective_id = stmt_int(st, 1);
        x->kind = stmt_text(st, 2, a);
        x->code = stmt_text(st, 3, a);
        x->title = stmt_text(st, 4, a);
        x->carrier_label = stmt_text(st, 5, a);
        x->carrier_id = stmt_int(st, 6);
        x->carrier_type = stmt_text(st, 7, a);
        x->first_year = figures_first_year(0, (int)stmt_int(st, 9), stmt_text(st, 8, a));
    }
    stmt_done(st);
    if (rc < 0)
        return rc;
    struct grid_row *rows;
    int n_rows;
    if ((rc = grid_rows(db, contract_id, &rows, &n_rows)) < 0) {
        free(rows);
        return rc;
    }
    /* The distinct years, ascending, the latest max_years of them. */
    int all[256], n_all = 0;
    for (int i = 0; i < n_rows; i++) {
        int j = 0;
        while (j < n_all && all[j] < rows[i].year)
            j++;
        if ((j < n_all && all[j] == rows[i].year) || n_all == (int)(sizeof all / sizeof *all))
            continue;
        memmove(all + j + 1, all + j, sizeof *all * (size_t)(n_all - j));
        all[j] = rows[i].year;
        n_all++;
    }
    int skip = n_all > max_years ? n_all - max_years : 0;
    *n_years = n_all - skip;
    memcpy(years, all + skip, sizeof *years * (size_t)*n_years);
    /* Each cell (action, year) takes the status of its highest row id: the latest recorded. */
    long long *row_ids = xcalloc((size_t)(*n * *n_years + 1), sizeof *row_ids);
    struct action_brief **by_id = arena_alloc(a, sizeof *by_id * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++) {
        struct action_brief *x = &(*out)[i];
        x->statuses = arena_alloc(a, sizeof *x->statuses * (size_t)(*n_years + 1));
        for (int y = 0; y < *n_years; y++)
            x->statuses[y] = ST_NONE;
        by_id[i] = x;
    }
    qsort(by_id, (size_t)*n, sizeof *by_id, compare_brief_ids);
    for (int i = 0; i < n_rows; i++) {
        struct action_brief key = {.id = rows[i].action_id}, *pk = &key;
        struct action_brief **hit =
            bsearch(&pk, by_id, (size_t)*n, sizeof *by_id, compare_brief_ids);
        int y = 0;
        while (y < *n_years && years[y] != rows[i].year)
            y++;
        /* first_year: the creation year until an earlier status year is seen. */
        if (hit && (!(*hit)->first_year || rows[i].year < (*hit)->first_year))
            (*hit)->first_year = rows[i].year;
        if (!hit || y == *n_years)
            continue;
        long long *cell = &row_ids[(*hit - *out) * *n_years + y];
        if (rows[i].id > *cell) {
            *cell = rows[i].id;
            (*hit)->statuses[y] = rows[i].status;
        }
    }
    free(row_ids);
    free(rows);
    return ERR_OK;
}

int action_list_carried(struct store *db, struct arena *a, long long organisation_id,
                        long long contract_id, int year, struct carried_action **out, int *n)
{
    *out = NULL;
    *n = 0;
    /* 'carrier' sorts before 'co_carrier': min() keeps the lead role when both are recorded. */
    struct stmt *st = store_prepare(
        db,
        "SELECT a.id, a.contract_id, a.code, a.title, a.kind, min(ao.role), "
        "(SELECT s.status FROM action_status s WHERE s.action_id = a.id AND s.year = ?3 "
        " ORDER BY s.id DESC LIMIT 1), "
        "(SELECT count(*) FROM indicator i WHERE i.action_id = a.id AND i.archived = 0), "
        "(SELECT count(*) FROM indicator i WHERE i.action_id = a.id AND i.archived = 0 "
        " AND NOT EXISTS (SELECT 1 FROM indicator_value v WHERE v.indicator_id = i.id "
        " AND substr(v.period, 1, 4) = ?4)) "
        "FROM action a JOIN action_organisation ao ON ao.action_id = a.id "
        "WHERE ao.organisation_id = ?1 AND ao.role IN ('carrier', 'co_carrier') "
        "AND a.archived = 0 AND (?2 = 0 OR a.contract_id = ?2) "
        "GROUP BY a.id ORDER BY a.contract_id, a.position, a.id");
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    stmt_bind_int(st, 1, organisation_id);
    stmt_bind_int(st, 2, contract_id);
    stmt_bind_int(st, 3, year);
    stmt_bind_text(st, 4, y);
    int rc, cap = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct carried_action *x = &(*out)[(*n)++];
        x->id = stmt_int(st, 0);
        x->contract_id = stmt_int(st, 1);
        x->code = stmt_text(st, 2, a);
        x->title = stmt_text(st, 3, a);
        x->kind = stmt_text(st, 4, a);
        x->role = stmt_text(st, 5, a);
        x->status = stmt_is_null(st, 6) ? ST_NONE : status_from_key(stmt_text(st, 6, a));
        x->indicators = (int)stmt_int(st, 7);
        x->missing_values = (int)stmt_int(st, 8);
    }
    return rc < 0 ? rc : ERR_OK;
}
