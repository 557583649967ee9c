/* figures.c — which actions count in a year, their counts, the reporting year and the figures
 * of source documents. The SQL of these questions lives here and nowhere else; must not produce
 * HTML, JSON or documents. */
#include "model/plan/figures.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "store/rows.h"

int figures_first_year(int first_status_year, int since_year, const char *created_at)
{
    int created = 0;
    if (created_at && strlen(created_at) >= 4) {
        long long y;
        char four[5] = {created_at[0], created_at[1], created_at[2], created_at[3], '\0'};
        if (str_to_ll(four, 1900, 2200, &y) == ERR_OK)
            created = (int)y;
    }
    int years[3] = {first_status_year, since_year, created}, first = 0;
    for (int i = 0; i < 3; i++)
        if (years[i] > 0 && (!first || years[i] < first))
            first = years[i];
    return first;
}

int figures_action_since(struct store *db, long long action_id, int year)
{
    struct stmt *st = store_prepare(db, "UPDATE action SET since_year = ?2 WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, year);
    return stmt_exec(st);
}

bool figures_exists_in(int first_year, int year)
{
    return first_year > 0 && first_year <= year;
}

int figures_percent(int part, int total)
{
    return total > 0 ? (int)(((long long)part * 100 + total / 2) / total) : 0;
}

void figures_count(const struct action_brief *xs, int n, const int *years, int n_years, int year,
                   struct year_figures *out)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    int yi = -1;
    for (int y = 0; y < n_years; y++)
        if (years[y] == year)
            yi = y;
    for (int i = 0; i < n; i++) {
        if (!figures_exists_in(xs[i].first_year, year))
            continue;
        enum status s = yi >= 0 ? xs[i].statuses[yi] : ST_NONE;
        out->total++;
        if (s == ST_NONE) {
            out->none++;
            continue;
        }
        out->by_status[s]++;
        out->done += status_is_done(s);
    }
}

int figures_for_year(struct store *db, long long contract_id, int year, struct year_figures *out)
{
    struct arena a = {0};
    int years[64], n_years, n;
    struct action_brief *xs;
    int rc = action_status_grid(db, &a, contract_id, years, 64, &n_years, &xs, &n);
    if (rc == ERR_OK)
        figures_count(xs, n, years, n_years, year, out);
    arena_free(&a);
    return rc;
}

/* Per year with statuses: how many actions have one (sorted by year). */
struct year_tally {
    int year, with_status;
};

int figures_default_year(struct store *db, long long contract_id, int *year)
{
    *year = 0;
    struct year_tally t[256];
    int nt = 0;
    struct stmt *st = store_prepare(
        db, "SELECT s.year, count(DISTINCT s.action_id) FROM action_status s JOIN action a ON "
            "a.id = s.action_id WHERE a.contract_id = ?1 AND a.archived = 0 GROUP BY s.year "
            "ORDER BY s.year");
    stmt_bind_int(st, 1, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1)
        if (nt < (int)(sizeof t / sizeof *t))
            t[nt++] = (struct year_tally){(int)stmt_int(st, 0), (int)stmt_int(st, 1)};
    stmt_done(st);
    if (rc < 0)
        return rc;
    if (nt == 0)
        return ERR_OK;
    /* The year each action starts to exist, to know how many exist in each year. */
    int *first = NULL, n_first = 0, cap = 0;
    st = store_prepare(db, "SELECT a.created_at, coalesce((SELECT min(s.year) FROM action_status "
                           "s WHERE s.action_id = a.id), 0), coalesce(a.since_year, 0) FROM "
                           "action a WHERE a.contract_id = ?1 AND a.archived = 0");
    stmt_bind_int(st, 1, contract_id);
    struct arena a = {0};
    while ((rc = stmt_step(st)) == 1) {
        if (n_first == cap) {
            cap = cap ? cap * 2 : 128;
            first = xrealloc(first, sizeof *first * (size_t)cap);
        }
        first[n_first++] = figures_first_year((int)stmt_int(st, 1), (int)stmt_int(st, 2),
                                              stmt_text(st, 0, &a));
    }
    stmt_done(st);
    arena_free(&a);
    /* The latest year whose statuses cover a strict majority of the actions existing then. */
    *year = t[nt - 1].year;
    for (int i = nt - 1; rc >= 0 && i >= 0; i--) {
        int existing = 0;
        for (int k = 0; k < n_first; k++)
            existing += figures_exists_in(first[k], t[i].year);
        if (t[i].with_status * 2 > existing) {
            *year = t[i].year;
            break;
        }
    }
    free(first);
    return rc < 0 ? rc : ERR_OK;
}

int figures_reporting_year(struct store *db, long long contract_id, int *year, bool *chosen)
{
    *year = 0;
    if (chosen)
        *chosen = false;
    struct stmt *st = store_prepare(
        db, "SELECT coalesce(reporting_year, 0) FROM contract WHERE id = ?1");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    int set = rc == 1 ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc < 0)
        return rc;
    if (set) {
        *year = set;
        if (chosen)
            *chosen = true;
        return ERR_OK;
    }
    return figures_default_year(db, contract_id, year);
}

int figures_source_list(struct store *db, struct arena *a, long long contract_id, int year,
                        struct source_figure **out, int *n)
{
    *n = 0;
    *out = NULL;
    int cap = 0, rc;
    struct stmt *st = store_prepare(
        db, "SELECT metric, coalesce(value, -1), coalesce(share, -1), source FROM source_figure "
            "WHERE contract_id = ?1 AND year = ?2 ORDER BY id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct source_figure *f = &(*out)[(*n)++];
        f->metric = stmt_text(st, 0, a);
        f->value = (int)stmt_int(st, 1);
        f->share = (int)stmt_int(st, 2);
        f->source = stmt_text(st, 3, a);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int figures_source_add(struct store *db, long long contract_id, int year,
                       const struct source_figure *f)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO source_figure (contract_id, year, metric, value, share, source) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, f->metric);
    if (f->value >= 0)
        stmt_bind_int(st, 4, f->value);
    if (f->share >= 0)
        stmt_bind_int(st, 5, f->share);
    stmt_bind_text(st, 6, f->source ? f->source : "");
    return stmt_exec(st);
}

const char *figures_carriers_label(struct arena *a, const char *const *names,
                                   const char *const *types, int n)
{
    if (n <= 0)
        return NULL;
    if (n == 1)
        return names[0];
    bool all_epci = true;
    for (int i = 0; i < n; i++)
        all_epci &= str_eq(types[i], "intercommunality");
    struct buf b = {0};
    if (all_epci)
        buf_printf(&b, "%d intercommunalités : ", n);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " et " : ", ", names[i]);
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

int figures_action_source(struct store *db, long long action_id, const char *ref)
{
    struct stmt *st = store_prepare(db, "UPDATE action SET source_ref = ?2 WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_text(st, 2, ref ? ref : "");
    return stmt_exec(st);
}

int figures_signatory_source(struct store *db, long long contract_id, int position,
                             const char *ref)
{
    struct stmt *st = store_prepare(
        db, "UPDATE signatory SET source_ref = ?3 WHERE contract_id = ?1 AND position = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, position);
    stmt_bind_text(st, 3, ref ? ref : "");
    return stmt_exec(st);
}
