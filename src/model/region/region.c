/* region.c — the figures of a region's contracts side by side (region.h). Each figure is read
 * for all the region's contracts in one query, then counted in C by the rule its own page uses
 * (figures_count, indicator_reached, governance_span): a thousand contracts cost the same
 * handful of queries as one. With a cache, only the contracts whose revision moved since they
 * were counted are read again, each with the same queries narrowed to it. Must not produce HTML
 * or JSON. */
#include "model/region/region.h"
#include "model/region/region_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model/core/access.h"
#include "model/governance/governance.h"
#include "model/sheet/indicator.h"
#include "store/rows.h"

/* The contracts a filter keeps (?1 region, ?2 department or '', ?3 generation or 0). */
#define REGION_CONTRACTS                                                                       \
    "SELECT c.id FROM contract c JOIN territory t ON t.id = c.territory_id JOIN department d " \
    "ON d.code = t.department_code WHERE d.region_code = ?1 AND (?2 = '' OR "                  \
    "t.department_code = ?2) AND (?3 = 0 OR c.generation = ?3)"

/* Which contracts a query counts: those of a filter, or one contract (one > 0). Each query is
 * written once and comes in two texts, "contract_id " IN_FILTER or IN_ONE. */
struct scope {
    const struct region_filter *f;
    long long one;
};
#define IN_FILTER "IN (" REGION_CONTRACTS ")"
#define IN_ONE "= ?1"
#define SCOPED(sc, query) ((sc)->one ? query(IN_ONE) : query(IN_FILTER))

static void bind_filter(struct stmt *st, const struct region_filter *f)
{
    stmt_bind_int(st, 1, f->region);
    stmt_bind_text(st, 2, f->department ? f->department : "");
    stmt_bind_int(st, 3, f->generation);
}

static void bind_scope(struct stmt *st, const struct scope *sc)
{
    if (sc->one)
        stmt_bind_int(st, 1, sc->one);
    else
        bind_filter(st, sc->f);
}

static int cmp_ll(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;
    return a < b ? -1 : a > b;
}

/* The work of one load: the contracts by id, and the actions of all of them by id. */
struct work {
    struct region_summary *s;
    long long *cids; /* sorted contract ids, with their index in s->contracts */
    int *cidx;
    long long *aids; /* sorted action ids */
    int *acontract, *afirst, n_actions;
    int *cell_start, *cell_n; /* per action: its (year, status) cells in cells_* */
    int *cell_year;
    enum status *cell_status;
};

static int contract_index(const struct work *w, long long id)
{
    const long long *p = w->s->n ? bsearch(&id, w->cids, (size_t)w->s->n, sizeof id, cmp_ll)
                                 : NULL;
    return p ? w->cidx[p - w->cids] : -1;
}

static int action_index(const struct work *w, long long id)
{
    const long long *p = w->n_actions
                             ? bsearch(&id, w->aids, (size_t)w->n_actions, sizeof id, cmp_ll)
                             : NULL;
    return p ? (int)(p - w->aids) : -1;
}

int region_list(struct store *db, struct arena *a, long long only_code, struct region **out,
                int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT r.code, r.name, count(c.id) FROM region r LEFT JOIN department d ON "
            "d.region_code = r.code LEFT JOIN territory t ON t.department_code = d.code LEFT "
            "JOIN contract c ON c.territory_id = t.id WHERE ?1 = 0 OR r.code = ?1 GROUP BY "
            "r.code, r.name ORDER BY r.code");
    stmt_bind_int(st, 1, only_code);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct region){stmt_int(st, 0), stmt_text(st, 1, a),
                                         (int)stmt_int(st, 2)};
    }
    return rc;
}

static int load_region(struct store *db, struct arena *a, const struct region_filter *f,
                       struct region_summary *s)
{
    struct stmt *st = store_prepare(db, "SELECT code, name FROM region WHERE code = ?1");
    stmt_bind_int(st, 1, f->region);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    s->region.code = stmt_int(st, 0);
    s->region.name = stmt_text(st, 1, a);
    stmt_done(st);
    st = store_prepare(db, "SELECT code, name FROM department WHERE region_code = ?1 ORDER BY "
                           "code");
    stmt_bind_int(st, 1, f->region);
    int cap = 0;
    bool known = str_blank(f->department);
    while ((rc = stmt_step(st)) == 1) {
        s->departments = rows_grow(a, s->departments, s->n_departments, &cap,
                                   sizeof *s->departments);
        struct department *d = &s->departments[s->n_departments++];
        d->code = stmt_text(st, 0, a);
        d->name = stmt_text(st, 1, a);
        known |= str_eq(d->code, f->department);
    }
    if (rc != ERR_OK)
        return rc;
    if (!known)
        return ERR_INVALID;
    st = store_prepare(
        db, "SELECT DISTINCT c.generation FROM contract c JOIN territory t ON t.id = "
            "c.territory_id JOIN department d ON d.code = t.department_code WHERE d.region_code "
            "= ?1 AND c.generation IS NOT NULL ORDER BY c.generation");
    stmt_bind_int(st, 1, f->region);
    while ((rc = stmt_step(st)) == 1)
        if (s->n_generations < (int)(sizeof s->generations / sizeof *s->generations))
            s->generations[s->n_generations++] = (int)stmt_int(st, 0);
    return rc;
}

/* The contracts of f with their revision, read before their figures: a write that comes
 * between leaves figures newer than the revision kept with them, read again next time. */
static int load_contracts(struct store *db, struct arena *a, const struct region_filter *f,
                          struct region_summary *s)
{
    struct stmt *st = store_prepare(
        db,
        "SELECT c.id, c.title, c.short_title, coalesce(c.generation, 0), c.status, "
        "coalesce(c.start_year, 0), coalesce(c.end_year, 0), t.name, d.code, d.name, "
        "coalesce((SELECT min(o.id) FROM objective o WHERE o.contract_id = c.id AND o.level "
        "= 'general'), 0), coalesce(r.revision, -1) FROM contract c JOIN territory t ON t.id = "
        "c.territory_id JOIN department d ON d.code = t.department_code LEFT JOIN "
        "contract_revision r ON r.contract_id = c.id WHERE d.region_code = ?1 AND (?2 = '' "
        "OR t.department_code = ?2) AND (?3 = 0 OR c.generation = ?3) ORDER BY d.code, "
        "t.name, c.generation, c.id");
    bind_filter(st, f);
    int cap = 0, rc;
    while ((rc = stmt_step(st)) == 1) {
        s->contracts = rows_grow(a, s->contracts, s->n, &cap, sizeof *s->contracts);
        struct region_contract *c = &s->contracts[s->n++];
        memset(c, 0, sizeof *c);
        c->id = stmt_int(st, 0);
        c->title = stmt_text(st, 1, a);
        c->short_title = stmt_text(st, 2, a);
        c->generation = (int)stmt_int(st, 3);
        c->status = stmt_text(st, 4, a);
        c->start_year = (int)stmt_int(st, 5);
        c->end_year = (int)stmt_int(st, 6);
        c->territory = stmt_text(st, 7, a);
        c->department = stmt_text(st, 8, a);
        c->department_name = stmt_text(st, 9, a);
        c->general_objective_id = stmt_int(st, 10);
        c->revision = stmt_int(st, 11);
    }
    return rc;
}

/* The contracts' ids sorted, to find a row's contract in the queries below. */
static void index_contracts(struct arena *a, struct work *w)
{
    const struct region_summary *s = w->s;
    w->cids = arena_alloc(a, sizeof *w->cids * (size_t)(s->n + 1));
    w->cidx = arena_alloc(a, sizeof *w->cidx * (size_t)(s->n + 1));
    for (int i = 0; i < s->n; i++)
        w->cids[i] = s->contracts[i].id;
    qsort(w->cids, (size_t)s->n, sizeof *w->cids, cmp_ll);
    for (int i = 0; i < s->n; i++)
        w->cidx[(long long *)bsearch(&s->contracts[i].id, w->cids, (size_t)s->n, sizeof *w->cids,
                                     cmp_ll) -
                w->cids] = i;
}

/* The actions (action_status_grid's: not archived) and the latest status of each of their
 * years: two queries for the whole region. */
#define ACTIONS(SET)                                                                           \
    "SELECT a.id, a.contract_id, a.created_at, coalesce(a.since_year, 0) FROM action a WHERE " \
    "a.archived = 0 AND a.contract_id " SET " ORDER BY a.id"
#define STATUSES(SET)                                                                         \
    "SELECT s.action_id, s.year, s.status FROM action_status s WHERE s.action_id IN (SELECT " \
    "a.id FROM action a WHERE a.archived = 0 AND a.contract_id " SET                          \
    ") ORDER BY s.action_id, s.year, s.id"

static int load_actions(struct store *db, struct arena *a, const struct scope *sc, struct work *w)
{
    struct stmt *st = store_prepare(db, SCOPED(sc, ACTIONS));
    bind_scope(st, sc);
    int cap[3] = {0}, rc;
    struct arena tmp = {0};
    while ((rc = stmt_step(st)) == 1) {
        int i = w->n_actions;
        w->aids = rows_grow(a, w->aids, i, &cap[0], sizeof *w->aids);
        w->acontract = rows_grow(a, w->acontract, i, &cap[1], sizeof *w->acontract);
        w->afirst = rows_grow(a, w->afirst, i, &cap[2], sizeof *w->afirst);
        w->aids[i] = stmt_int(st, 0);
        w->acontract[i] = contract_index(w, stmt_int(st, 1));
        w->afirst[i] = figures_first_year(0, (int)stmt_int(st, 3), stmt_text(st, 2, &tmp));
        w->n_actions++;
        if (w->n_actions % 1024 == 0)
            arena_free(&tmp);
    }
    arena_free(&tmp);
    if (rc != ERR_OK)
        return rc;
    int n = w->n_actions + 1;
    w->cell_start = arena_alloc(a, sizeof *w->cell_start * (size_t)n);
    w->cell_n = arena_alloc(a, sizeof *w->cell_n * (size_t)n);
    memset(w->cell_n, 0, sizeof *w->cell_n * (size_t)n);
    /* Rows come by action, year and id: the last row of an (action, year) is its status. */
    st = store_prepare(db, SCOPED(sc, STATUSES));
    bind_scope(st, sc);
    int n_cells = 0, ccap[2] = {0}, last_action = -1;
    long long last_id = 0, rows = 0;
    while ((rc = stmt_step(st)) == 1) {
        if (++rows % 4096 == 0)
            arena_free(&tmp); /* the status texts only: read and forgotten */
        long long aid = stmt_int(st, 0);
        int year = (int)stmt_int(st, 1);
        int k = aid == last_id ? last_action : action_index(w, aid);
        last_id = aid;
        last_action = k;
        if (k < 0)
            continue;
        enum status status = status_from_key(stmt_text(st, 2, &tmp));
        if (!w->cell_n[k])
            w->cell_start[k] = n_cells;
        if (!w->afirst[k] || year < w->afirst[k])
            w->afirst[k] = year;
        if (w->cell_n[k] && w->cell_year[n_cells - 1] == year) {
            w->cell_status[n_cells - 1] = status; /* a later row of the same year */
            continue;
        }
        w->cell_year = rows_grow(a, w->cell_year, n_cells, &ccap[0], sizeof *w->cell_year);
        w->cell_status = rows_grow(a, w->cell_status, n_cells, &ccap[1], sizeof *w->cell_status);
        w->cell_year[n_cells] = year;
        w->cell_status[n_cells++] = status;
        w->cell_n[k]++;
    }
    arena_free(&tmp);
    return rc;
}

/* Inserts year into the ascending set years (n of them, at most max: the latest kept). */
static void add_year(int *years, int *n, int max, int year)
{
    int j = 0;
    while (j < *n && years[j] < year)
        j++;
    if (j < *n && years[j] == year)
        return;
    if (*n == max) {
        if (j == 0)
            return; /* older than every year kept */
        memmove(years, years + 1, sizeof *years * (size_t)(j - 1));
        years[j - 1] = year;
        return;
    }
    memmove(years + j + 1, years + j, sizeof *years * (size_t)(*n - j));
    years[j] = year;
    (*n)++;
}

/* Counts each contract's years through figures_count, on briefs built from the cells. */
static void count_statuses(struct arena *a, struct work *w)
{
    struct region_summary *s = w->s;
    for (int k = 0; k < w->n_actions; k++) {
        if (w->acontract[k] < 0)
            continue;
        struct region_contract *c = &s->contracts[w->acontract[k]];
        for (int j = 0; j < w->cell_n[k]; j++)
            add_year(c->counts.years, &c->counts.n_years, REGION_MAX_YEARS,
                     w->cell_year[w->cell_start[k] + j]);
    }
    /* The actions of each contract, in one pass: actions are by id, contracts interleave. */
    int *count = arena_alloc(a, sizeof *count * (size_t)(s->n + 1));
    memset(count, 0, sizeof *count * (size_t)(s->n + 1));
    for (int k = 0; k < w->n_actions; k++)
        if (w->acontract[k] >= 0)
            count[w->acontract[k]]++;
    struct action_brief **briefs = arena_alloc(a, sizeof *briefs * (size_t)(s->n + 1));
    int *filled = arena_alloc(a, sizeof *filled * (size_t)(s->n + 1));
    for (int i = 0; i < s->n; i++) {
        briefs[i] = arena_alloc(a, sizeof **briefs * (size_t)(count[i] + 1));
        filled[i] = 0;
    }
    for (int k = 0; k < w->n_actions; k++) {
        int ci = w->acontract[k];
        if (ci < 0)
            continue;
        const struct region_contract *c = &s->contracts[ci];
        struct action_brief *x = &briefs[ci][filled[ci]++];
        memset(x, 0, sizeof *x);
        x->id = w->aids[k];
        x->first_year = w->afirst[k];
        x->statuses = arena_alloc(a, sizeof *x->statuses * (size_t)(c->counts.n_years + 1));
        for (int y = 0; y < c->counts.n_years; y++)
            x->statuses[y] = ST_NONE;
        for (int j = 0; j < w->cell_n[k]; j++) {
            int y = 0, cy = w->cell_year[w->cell_start[k] + j];
            while (y < c->counts.n_years && c->counts.years[y] != cy)
                y++;
            if (y < c->counts.n_years)
                x->statuses[y] = w->cell_status[w->cell_start[k] + j];
        }
    }
    for (int i = 0; i < s->n; i++) {
        struct region_contract *c = &s->contracts[i];
        for (int y = 0; y < c->counts.n_years; y++)
            figures_count(briefs[i], filled[i], c->counts.years, c->counts.n_years,
                          c->counts.years[y], &c->counts.figures[y]);
    }
}

/* Active indicators (indicator_list_contract's) with their latest value: one query. */
#define INDICATORS(SET)                                                                          \
    "SELECT i.contract_id, i.baseline IS NOT NULL, coalesce(i.baseline, 0), i.target IS NOT "    \
    "NULL, coalesce(i.target, 0), (SELECT count(*) FROM indicator_value v WHERE v.indicator_id " \
    "= i.id), coalesce((SELECT v.value FROM indicator_value v WHERE v.indicator_id = i.id "      \
    "ORDER BY v.period DESC, v.id DESC LIMIT 1), 0) FROM indicator i LEFT JOIN action x ON "     \
    "x.id = i.action_id LEFT JOIN objective o ON o.id = i.objective_id WHERE i.archived = 0 "    \
    "AND coalesce(x.archived, o.archived, 0) = 0 AND i.contract_id " SET

static int load_indicators(struct store *db, const struct scope *sc, struct work *w)
{
    struct stmt *st = store_prepare(db, SCOPED(sc, INDICATORS));
    bind_scope(st, sc);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        int ci = contract_index(w, stmt_int(st, 0));
        if (ci < 0)
            continue;
        struct region_contract *c = &w->s->contracts[ci];
        struct indicator ind = {.has_baseline = stmt_int(st, 1) != 0,
                                .baseline = stmt_double(st, 2),
                                .has_target = stmt_int(st, 3) != 0,
                                .target = stmt_double(st, 4)};
        bool has_value = stmt_int(st, 5) > 0;
        c->counts.indicators++;
        if (!ind.has_target)
            continue;
        c->counts.with_target++;
        if (!has_value)
            c->counts.unmeasured++;
        else if (indicator_reached(&ind, stmt_double(st, 6)))
            c->counts.reached++;
    }
    return rc;
}

/* Governance: bodies, held meetings per body and year, meeting years: three queries. */
#define MEETING_YEARS(SET)                                                                      \
    "SELECT contract_id, min(year), max(year) FROM meeting WHERE contract_id " SET " GROUP BY " \
    "contract_id"
#define BODIES(SET) "SELECT b.contract_id, b.min_per_year FROM body b WHERE b.contract_id " SET
#define HELD(SET)                                                                           \
    "SELECT m.contract_id, m.year, b.min_per_year, count(*) FROM meeting m JOIN body b ON " \
    "b.id = m.body_id WHERE m.status = 'held' AND m.contract_id " SET " GROUP BY "          \
    "m.contract_id, m.body_id, m.year, b.min_per_year"

static int load_governance(struct store *db, struct arena *a, const struct scope *sc,
                           int this_year, struct work *w)
{
    struct region_summary *s = w->s;
    int *met_first = arena_alloc(a, sizeof *met_first * (size_t)(s->n + 1));
    int *met_last = arena_alloc(a, sizeof *met_last * (size_t)(s->n + 1));
    memset(met_first, 0, sizeof *met_first * (size_t)(s->n + 1));
    memset(met_last, 0, sizeof *met_last * (size_t)(s->n + 1));
    struct stmt *st = store_prepare(db, SCOPED(sc, MEETING_YEARS));
    bind_scope(st, sc);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        int ci = contract_index(w, stmt_int(st, 0));
        if (ci >= 0) {
            met_first[ci] = (int)stmt_int(st, 1);
            met_last[ci] = (int)stmt_int(st, 2);
        }
    }
    if (rc != ERR_OK)
        return rc;
    for (int i = 0; i < s->n; i++) {
        struct region_contract *c = &s->contracts[i];
        governance_span(c->start_year, c->end_year, met_first[i], met_last[i], this_year,
                        &c->counts.gov_first, &c->counts.gov_last);
    }
    /* Each body requires its minimum in every year of the span. */
    st = store_prepare(db, SCOPED(sc, BODIES));
    bind_scope(st, sc);
    while ((rc = stmt_step(st)) == 1) {
        int ci = contract_index(w, stmt_int(st, 0));
        if (ci < 0)
            continue;
        struct region_contract *c = &s->contracts[ci];
        c->counts.bodies++;
        if (c->counts.gov_first)
            c->counts.gov_required += (int)stmt_int(st, 1) *
                                      (c->counts.gov_last - c->counts.gov_first + 1);
    }
    if (rc != ERR_OK)
        return rc;
    /* A body-year counts its held meetings up to its minimum. */
    st = store_prepare(db, SCOPED(sc, HELD));
    bind_scope(st, sc);
    while ((rc = stmt_step(st)) == 1) {
        int ci = contract_index(w, stmt_int(st, 0));
        if (ci < 0)
            continue;
        struct region_contract *c = &s->contracts[ci];
        int year = (int)stmt_int(st, 1), min = (int)stmt_int(st, 2), held = (int)stmt_int(st, 3);
        if (c->counts.gov_first && year >= c->counts.gov_first && year <= c->counts.gov_last)
            c->counts.gov_held += held < min ? held : min;
    }
    return rc;
}

/* The latest campaign of each contract and the actions answered in it: two queries. */
#define LATEST "c.year = (SELECT max(d.year) FROM campaign d WHERE d.contract_id = c.contract_id)"
#define CAMPAIGNS(SET)                                                                     \
    "SELECT c.contract_id, c.id, c.year, c.state FROM campaign c WHERE c.contract_id " SET \
    " AND " LATEST
/* SQLite's planner is held to campaign, action, status (CROSS JOIN): each campaign's year then
 * reads its actions' statuses of that year by index. */
#define ANSWERS(SET)                                                                           \
    "SELECT c.contract_id, s.action_id FROM campaign c CROSS JOIN action x CROSS JOIN "        \
    "action_status s WHERE x.contract_id = c.contract_id AND s.action_id = x.id AND s.year = " \
    "c.year AND s.id > c.status_mark AND (c.close_mark IS NULL OR s.id <= c.close_mark) AND "  \
    "c.contract_id " SET " AND " LATEST " UNION ALL SELECT c.contract_id, e.action_id FROM "   \
    "campaign_entry e JOIN campaign c ON c.id = e.campaign_id WHERE c.contract_id " SET        \
    " AND " LATEST

static int load_campaigns(struct store *db, struct arena *a, const struct scope *sc,
                          struct work *w)
{
    struct region_summary *s = w->s;
    struct stmt *st = store_prepare(db, SCOPED(sc, CAMPAIGNS));
    bind_scope(st, sc);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        int ci = contract_index(w, stmt_int(st, 0));
        if (ci < 0)
            continue;
        struct region_contract *c = &s->contracts[ci];
        c->counts.campaign_id = stmt_int(st, 1);
        c->counts.campaign_year = (int)stmt_int(st, 2);
        c->counts.campaign_closed = !str_eq(stmt_text(st, 3, a), "open");
    }
    if (rc != ERR_OK)
        return rc;
    /* campaign_rate's total: the actions that exist in the campaign's year. */
    for (int k = 0; k < w->n_actions; k++) {
        int ci = w->acontract[k];
        if (ci >= 0 && s->contracts[ci].counts.campaign_id &&
            figures_exists_in(w->afirst[k], s->contracts[ci].counts.campaign_year))
            s->contracts[ci].counts.campaign_total++;
    }
    /* Its answers: a status of the year recorded between the opening and the close, or an
     * answer through a link (campaign.c's read_answers). */
    st = store_prepare(db, SCOPED(sc, ANSWERS));
    bind_scope(st, sc);
    /* An action answered twice (two rows, or a row and a link) counts once. */
    char *seen = arena_alloc(a, (size_t)w->n_actions + 1);
    memset(seen, 0, (size_t)w->n_actions + 1);
    while ((rc = stmt_step(st)) == 1) {
        int ci = contract_index(w, stmt_int(st, 0));
        int k = action_index(w, stmt_int(st, 1));
        if (ci >= 0 && k >= 0 && !seen[k] && w->acontract[k] == ci &&
            figures_exists_in(w->afirst[k], s->contracts[ci].counts.campaign_year)) {
            seen[k] = 1;
            s->contracts[ci].counts.campaign_answered++;
        }
    }
    return rc;
}

/* Reads the figures of s's contracts (zero until then) in scope sc; the work in scratch. */
static int count_contracts(struct store *db, struct arena *scratch, const struct scope *sc,
                           int this_year, struct region_summary *s)
{
    struct work w = {.s = s};
    index_contracts(scratch, &w);
    int rc = load_actions(db, scratch, sc, &w);
    if (rc == ERR_OK) {
        count_statuses(scratch, &w);
        rc = load_indicators(db, sc, &w);
    }
    if (rc == ERR_OK)
        rc = load_governance(db, scratch, sc, this_year, &w);
    if (rc == ERR_OK)
        rc = load_campaigns(db, scratch, sc, &w);
    return rc;
}

/* Counts the contracts the cache did not have, each with the queries narrowed to it. */
static int count_each(struct store *db, const struct region_filter *f, int this_year,
                      const bool *kept, struct region_summary *out)
{
    for (int i = 0; i < out->n; i++) {
        if (kept[i])
            continue;
        struct region_summary one = {.contracts = &out->contracts[i], .n = 1};
        struct scope sc = {.f = f, .one = out->contracts[i].id};
        struct arena scratch = {0};
        int rc = count_contracts(db, &scratch, &sc, this_year, &one);
        arena_free(&scratch);
        if (rc != ERR_OK)
            return rc;
        out->recounted++;
    }
    return ERR_OK;
}

int region_summary_load(struct store *db, struct arena *a, const struct region_filter *f,
                        int this_year, struct region_cache *cache, struct region_summary *out)
{
    memset(out, 0, sizeof *out);
    int rc = load_region(db, a, f, out);
    if (rc == ERR_OK)
        rc = load_contracts(db, a, f, out);
    if (rc != ERR_OK)
        return rc;
    bool *kept = arena_alloc(a, (size_t)out->n + 1);
    int missing = 0;
    for (int i = 0; i < out->n; i++) {
        struct region_contract *c = &out->contracts[i];
        kept[i] = cache && region_cache_get(cache, c->id, c->revision, this_year, &c->counts);
        missing += !kept[i];
    }
    if (missing * 2 <= out->n) {
        rc = count_each(db, f, this_year, kept, out);
    } else {
        /* Most are missing (the first load): one pass over the region reads the same rows in
         * a few queries instead of a few per contract. */
        for (int i = 0; i < out->n; i++)
            memset(&out->contracts[i].counts, 0, sizeof out->contracts[i].counts);
        struct scope sc = {.f = f};
        struct arena scratch = {0};
        rc = count_contracts(db, &scratch, &sc, this_year, out);
        arena_free(&scratch);
        out->recounted = out->n;
        memset(kept, 0, (size_t)out->n);
    }
    for (int i = 0; rc == ERR_OK && cache && i < out->n; i++)
        if (!kept[i])
            region_cache_put(cache, out->contracts[i].id, out->contracts[i].revision, this_year,
                             &out->contracts[i].counts);
    return rc;
}

int region_of_contract(struct store *db, long long contract_id, long long *region)
{
    *region = 0;
    struct stmt *st = store_prepare(
        db, "SELECT coalesce(d.region_code, 0) FROM contract c JOIN territory t ON t.id = "
            "c.territory_id LEFT JOIN department d ON d.code = t.department_code WHERE c.id = ?1");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    *region = stmt_int(st, 0);
    stmt_done(st);
    return ERR_OK;
}

int region_set_department(struct store *db, long long territory_id, const char *department)
{
    bool clear = str_blank(department);
    if (!clear) {
        struct stmt *st = store_prepare(db, "SELECT 1 FROM department WHERE code = ?1");
        stmt_bind_text(st, 1, department);
        int rc = stmt_step(st);
        if (rc != 1)
            return rc == 0 ? ERR_INVALID : rc;
        stmt_done(st);
    }
    struct stmt *st = store_prepare(db, "UPDATE territory SET department_code = ?2 WHERE id = ?1");
    stmt_bind_int(st, 1, territory_id);
    if (clear)
        stmt_bind_null(st, 2);
    else
        stmt_bind_text(st, 2, department);
    return stmt_exec(st);
}

int region_set_account(struct store *db, long long account_id, long long region_code)
{
    struct stmt *st = store_prepare(db, "DELETE FROM account_region WHERE account_id = ?1");
    stmt_bind_int(st, 1, account_id);
    int rc = stmt_exec(st);
    if (rc != ERR_OK || !region_code)
        return rc;
    if (scope_region(db, region_code) != ERR_OK)
        return ERR_INVALID;
    st = store_prepare(db, "INSERT INTO account_region (account_id, region_code) VALUES (?1, ?2)");
    stmt_bind_int(st, 1, account_id);
    stmt_bind_int(st, 2, region_code);
    return stmt_exec(st);
}

int region_account_create(struct store *db, const char *email, const char *name,
                          const char *password_hash, const char *created_at, long long region_code,
                          long long *id)
{
    if (scope_region(db, region_code) != ERR_OK)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "INSERT INTO account (email, name, role, password_hash, created_at) VALUES (?1, ?2, "
            "'signatory', ?3, ?4)");
    stmt_bind_text(st, 1, email);
    stmt_bind_text(st, 2, name);
    stmt_bind_text(st, 3, password_hash);
    stmt_bind_text(st, 4, created_at);
    rc = stmt_exec(st);
    if (rc == ERR_OK) {
        *id = store_last_id(db);
        rc = region_set_account(db, *id, region_code);
    }
    if (rc != ERR_OK) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db);
}
