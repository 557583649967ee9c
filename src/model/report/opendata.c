/* opendata.c — gathers the rows of a contract's open data package (opendata.h): actions and
 * their status per year from the counting grid, the operational objective and axis of each
 * action, public remarks, and the active indicators with the latest value of each period. */
#include "model/report/opendata.h"

#include <stdlib.h>
#include <string.h>

#include "store/rows.h"
#include "model/plan/action.h"
#include "model/plan/editing.h"
#include "model/sheet/indicator.h"

/* Where an action sits: its objective and the axis (strategic objective) above it. */
struct placement {
    long long action_id;
    char *objective_code, *objective_title, *axis_code, *axis_title, *carrier;
};

static void read_placement(struct stmt *st, struct arena *a, void *row)
{
    struct placement *p = row;
    p->action_id = stmt_int(st, 0);
    p->objective_code = stmt_text(st, 1, a);
    p->objective_title = stmt_text(st, 2, a);
    p->axis_code = stmt_text(st, 3, a);
    p->axis_title = stmt_text(st, 4, a);
    p->carrier = stmt_text(st, 5, a);
}

static int compare_placement(const void *x, const void *y)
{
    long long a = ((const struct placement *)x)->action_id;
    long long b = ((const struct placement *)y)->action_id;
    return (a > b) - (a < b);
}

/* The objective, axis and lead carrier of every action of the contract, sorted by action id. */
static int read_placements(struct store *db, struct arena *a, long long contract_id,
                           struct placement **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "WITH RECURSIVE up(action_id, id, parent_id, level, code, title) AS ("
            " SELECT x.id, o.id, o.parent_id, o.level, o.code, o.title FROM action x"
            " JOIN objective o ON o.id = x.objective_id WHERE x.contract_id = ?1"
            " UNION ALL SELECT up.action_id, p.id, p.parent_id, p.level, p.code, p.title"
            " FROM up JOIN objective p ON p.id = up.parent_id WHERE up.level <> 'strategic')"
            " SELECT x.id, o.code, o.title, coalesce(ax.code, ''), coalesce(ax.title, ''),"
            " coalesce((SELECT org.name FROM action_organisation ao JOIN organisation org"
            "  ON org.id = ao.organisation_id WHERE ao.action_id = x.id AND ao.role = 'carrier'"
            "  ORDER BY ao.position LIMIT 1), x.carrier_label)"
            " FROM action x JOIN objective o ON o.id = x.objective_id"
            " LEFT JOIN up ax ON ax.action_id = x.id AND ax.level = 'strategic'"
            " WHERE x.contract_id = ?1 AND x.archived = 0");
    stmt_bind_int(st, 1, contract_id);
    int rc = rows_read_all(st, a, sizeof **out, read_placement, (void **)out, n);
    if (rc == ERR_OK)
        qsort(*out, (size_t)*n, sizeof **out, compare_placement);
    return rc;
}

/* The remarks of the status row that counts (the latest of its year) of every action. */
struct remark {
    long long action_id;
    int year;
    char *remarks;
    bool correction;
};

static void read_remark(struct stmt *st, struct arena *a, void *row)
{
    struct remark *r = row;
    r->action_id = stmt_int(st, 0);
    r->year = (int)stmt_int(st, 1);
    r->remarks = stmt_text(st, 2, a);
    r->correction = stmt_int(st, 3) != 0;
}

static int read_remarks(struct store *db, struct arena *a, long long contract_id,
                        struct remark **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT s.action_id, s.year, s.remarks, s.correction FROM action_status s"
            " JOIN action x ON x.id = s.action_id WHERE x.contract_id = ?1 AND x.archived = 0"
            " AND s.id = (SELECT max(t.id) FROM action_status t"
            "  WHERE t.action_id = s.action_id AND t.year = s.year)"
            " ORDER BY s.action_id, s.year");
    stmt_bind_int(st, 1, contract_id);
    return rows_read_all(st, a, sizeof **out, read_remark, (void **)out, n);
}

static const struct remark *find_remark(const struct remark *rs, int n, long long action_id,
                                        int year)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const struct remark *r = &rs[mid];
        int cmp = r->action_id != action_id ? (r->action_id < action_id ? -1 : 1)
                                            : (r->year > year) - (r->year < year);
        if (cmp == 0)
            return r;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int read_actions(struct store *db, struct arena *a, struct opendata *out)
{
    int years[64], n_years, n;
    struct action_brief *xs;
    struct placement *ps;
    struct remark *rs;
    int n_ps, n_rs;
    int rc = action_status_grid(db, a, out->contract.id, years, 64, &n_years, &xs, &n);
    if (rc == ERR_OK)
        rc = read_placements(db, a, out->contract.id, &ps, &n_ps);
    if (rc == ERR_OK)
        rc = read_remarks(db, a, out->contract.id, &rs, &n_rs);
    if (rc != ERR_OK)
        return rc;
    out->actions = arena_alloc(a, sizeof *out->actions * (size_t)(n ? n : 1));
    int cap = 0;
    out->statuses = rows_grow(a, NULL, 0, &cap, sizeof *out->statuses);
    for (int i = 0; i < n; i++) {
        struct placement key = {.action_id = xs[i].id};
        const struct placement *p = bsearch(&key, ps, (size_t)n_ps, sizeof *ps, compare_placement);
        out->actions[i] = (struct od_action){
            .id = xs[i].id,
            .code = xs[i].code,
            .kind = xs[i].kind,
            .title = xs[i].title,
            .objective_code = p ? p->objective_code : "",
            .objective_title = p ? p->objective_title : "",
            .axis_code = p ? p->axis_code : "",
            .axis_title = p ? p->axis_title : "",
            .carrier = p ? p->carrier : xs[i].carrier_label,
            .first_year = xs[i].first_year,
        };
        for (int y = 0; y < n_years; y++) {
            if (xs[i].statuses[y] == ST_NONE)
                continue;
            const struct remark *r = find_remark(rs, n_rs, xs[i].id, years[y]);
            out->statuses = rows_grow(a, out->statuses, out->n_statuses, &cap,
                                      sizeof *out->statuses);
            out->statuses[out->n_statuses++] = (struct od_status){
                .action_id = xs[i].id,
                .year = years[y],
                .status = xs[i].statuses[y],
                .remarks = r && out->with_remarks ? r->remarks : "",
                .correction = r && r->correction,
            };
        }
    }
    out->n_actions = n;
    return ERR_OK;
}

static int read_indicators(struct store *db, struct arena *a, struct opendata *out)
{
    struct indicator *is;
    int n;
    int rc = indicator_list_contract(db, a, out->contract.id, &is, &n);
    if (rc != ERR_OK)
        return rc;
    out->indicators = arena_alloc(a, sizeof *out->indicators * (size_t)(n ? n : 1));
    int cap = 0;
    out->values = rows_grow(a, NULL, 0, &cap, sizeof *out->values);
    for (int i = 0; i < n; i++) {
        out->indicators[i] = (struct od_indicator){
            .id = is[i].id,
            .action_id = is[i].action_id,
            .objective_id = is[i].objective_id,
            .name = is[i].name,
            .kind = is[i].kind,
            .unit = is[i].unit,
            .frequency = is[i].frequency,
            .has_baseline = is[i].has_baseline,
            .has_target = is[i].has_target,
            .baseline = is[i].baseline,
            .target = is[i].target,
        };
        for (int v = 0; v < is[i].n_values; v++) {
            out->values = rows_grow(a, out->values, out->n_values, &cap, sizeof *out->values);
            out->values[out->n_values++] = (struct od_value){
                .indicator_id = is[i].id,
                .period = is[i].values[v].period,
                .value = is[i].values[v].value,
            };
        }
    }
    out->n_indicators = n;
    return ERR_OK;
}

int opendata_read(struct store *db, struct arena *a, long long contract_id, struct opendata *out)
{
    memset(out, 0, sizeof *out);
    int rc = contract_get(db, a, contract_id, &out->contract);
    if (rc != ERR_OK)
        return rc;
    struct contract_meta meta = {0};
    if ((rc = contract_meta_get(db, contract_id, &meta)) != ERR_OK)
        return rc;
    out->with_remarks = meta.public_remarks;
    if ((rc = read_actions(db, a, out)) != ERR_OK)
        return rc;
    return read_indicators(db, a, out);
}
