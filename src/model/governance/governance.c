/* governance.c — the computed figures of governance (required, planned, held, overdue) from
 * bodies, the yearly plan and meetings. Must not produce HTML or JSON and must not write. */
#include "model/governance/governance.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model/core/contract.h"
#include "model/governance/governance_internal.h"
#include "model/governance/meeting.h"

static int year_of_day(const char *today)
{
    return atoi(today);
}

bool governance_entry_overdue(struct arena *a, const struct plan_entry *e, int index, int held,
                              const char *today)
{
    const char *end = meeting_period_end(a, e->planned_on, e->precision);
    return strcmp(end, today) < 0 && index >= held;
}

static int index_of(const int *years, int n, int y)
{
    for (int i = 0; i < n; i++)
        if (years[i] == y)
            return i;
    return -1;
}

static int body_index(const struct body *bodies, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (bodies[i].id == id)
            return i;
    return -1;
}

int governance_grid(struct store *db, struct arena *a, long long contract_id,
                    const struct body *bodies, int n_bodies, const int *years, int n_years,
                    const char *today, struct gov_cell **out)
{
    struct gov_cell *g = arena_alloc(a, sizeof *g * (size_t)(n_bodies * n_years + 1));
    *out = g;
    int this_year = year_of_day(today);
    for (int i = 0; i < n_bodies; i++)
        for (int j = 0; j < n_years; j++) {
            struct gov_cell *c = &g[i * n_years + j];
            c->required_min = bodies[i].min_per_year;
            c->required_max = bodies[i].max_per_year;
            c->year_over = years[j] < this_year;
        }
    struct stmt *st = store_prepare(
        db, "SELECT body_id, year, count(*) FROM meeting WHERE contract_id = ?1 AND "
            "status = 'held' AND body_id IS NOT NULL GROUP BY body_id, year");
    stmt_bind_int(st, 1, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        int i = body_index(bodies, n_bodies, stmt_int(st, 0));
        int j = index_of(years, n_years, (int)stmt_int(st, 1));
        if (i >= 0 && j >= 0)
            g[i * n_years + j].held = (int)stmt_int(st, 2);
    }
    if (rc < 0)
        return rc;
    struct plan_entry *plan;
    int n_plan;
    rc = plan_list(db, a, contract_id, 0, &plan, &n_plan);
    if (rc < 0)
        return rc;
    /* plan is by body then date: the index of an entry in its body's year is a running count. */
    for (int k = 0, index = 0; k < n_plan; k++) {
        if (k > 0 && (plan[k].body_id != plan[k - 1].body_id || plan[k].year != plan[k - 1].year))
            index = 0;
        int i = body_index(bodies, n_bodies, plan[k].body_id);
        int j = index_of(years, n_years, plan[k].year);
        if (i >= 0 && j >= 0) {
            struct gov_cell *c = &g[i * n_years + j];
            c->planned++;
            if (governance_entry_overdue(a, &plan[k], index, c->held, today))
                c->overdue++;
        }
        index++;
    }
    for (int k = 0; k < n_bodies * n_years; k++)
        g[k].below_required = g[k].year_over && g[k].held < g[k].required_min;
    return ERR_OK;
}

void governance_span(int start, int end, int met_first, int met_last, int this_year, int *first,
                     int *last)
{
    int f = start ? start : met_first, l = end ? end : met_last;
    if (l > this_year)
        l = this_year;
    if (!f || !l || l < f) {
        *first = *last = 0;
        return;
    }
    if (l - f > 60)
        f = l - 60;
    *first = f;
    *last = l;
}

int governance_summary(struct store *db, struct arena *a, long long contract_id,
                       const char *today, struct gov_summary *out)
{
    memset(out, 0, sizeof *out);
    struct contract c;
    int rc = contract_get(db, a, contract_id, &c);
    if (rc != ERR_OK)
        return rc;
    int met_first = 0, met_last = 0, first, last;
    if (!c.start_year || !c.end_year) {
        int years[64], n;
        rc = meeting_years(db, contract_id, years, 64, &n);
        if (rc != ERR_OK)
            return rc;
        if (n) {
            met_first = years[0];
            met_last = years[n - 1];
        }
    }
    governance_span(c.start_year, c.end_year, met_first, met_last, year_of_day(today), &first,
                    &last);
    if (!first)
        return ERR_OK;
    out->first_year = first;
    out->last_year = last;
    struct body *bodies;
    int n_bodies, n_years = last - first + 1;
    rc = body_list(db, a, contract_id, &bodies, &n_bodies);
    if (rc != ERR_OK)
        return rc;
    int *years = arena_alloc(a, sizeof *years * (size_t)n_years);
    for (int j = 0; j < n_years; j++)
        years[j] = first + j;
    struct gov_cell *g;
    rc = governance_grid(db, a, contract_id, bodies, n_bodies, years, n_years, today, &g);
    if (rc != ERR_OK)
        return rc;
    for (int k = 0; k < n_bodies * n_years; k++) {
        out->required += g[k].required_min;
        out->held += g[k].held < g[k].required_min ? g[k].held : g[k].required_min;
    }
    return ERR_OK;
}

int governance_held_by_kind(struct store *db, long long contract_id, int year,
                            int counts[BODY_KIND_COUNT + 1])
{
    memset(counts, 0, sizeof(int) * (BODY_KIND_COUNT + 1));
    struct stmt *st = store_prepare(
        db, "SELECT coalesce(b.kind, ''), count(*) FROM meeting m LEFT JOIN body b "
            "ON b.id = m.body_id WHERE m.contract_id = ?1 AND m.year = ?2 AND "
            "m.status = 'held' GROUP BY coalesce(b.kind, '')");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    int rc;
    struct arena a = {0};
    while ((rc = stmt_step(st)) == 1) {
        int k = body_kind_index(stmt_text(st, 0, &a));
        counts[k >= 0 ? k : BODY_KIND_COUNT] += (int)stmt_int(st, 1);
    }
    arena_free(&a);
    return rc;
}
