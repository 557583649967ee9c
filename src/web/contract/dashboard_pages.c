/* dashboard_pages.c — a contract's dashboard for one year: statuses overall, per specific
 * objective and across the years, actions without carrier, actions per carrier type. Must not
 * contain SQL (data comes from src/model/) nor draw charts by hand (src/format/draw/svg.c does). */
#include <stdio.h>
#include <string.h>

#include "format/draw/svg.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/load.h"
#include "web/http/page.h"

enum { MAX_YEARS = 64, MAX_TYPES = 32, NO_CARRIER_SHOWN = 10 };

/* Everything the page shows, counted in one pass over the actions. */
struct dash {
    long long cid;
    int year; /* 0 when the contract has no status at all: lists show the latest status */
    struct contract contract;
    struct action_brief *actions;
    int n_actions;
    int n_all; /* actions of the contract, before keeping those of the year */
    int yi; /* index of year in years, -1 when it has no status */
    struct svg_row overall;
    struct svg_row *spec_rows; /* per specific objective, then "without" when any */
    long long *spec_ids;       /* 0 for the "without" row */
    int n_spec;
    struct svg_row type_rows[MAX_TYPES + 1]; /* per carrier type, then "no carrier" */
    const char *type_keys[MAX_TYPES + 1];    /* NULL for "no carrier", "" for an unknown type */
    int n_types;
    int years[MAX_YEARS], n_years;
    struct svg_row trend[MAX_YEARS];
    int no_carrier;
    struct buf url; /* scratch for links */
    int plan;       /* ?plan=Y: only the actions of the yearly plan of Y (gantt_pages.c); 0: all */
};

/* Appends to out the action list's URL for year (0: none) with one more filter (key=value,
 * key NULL for none), the status of segment seg (SVG_ALL: any status) and the plan shown. */
static void list_url(struct buf *out, const struct dash *d, int year, const char *key,
                     const char *value, int seg)
{
    buf_printf(out, "/contracts/%lld/actions", d->cid);
    char sep = '?';
    if (year) {
        buf_printf(out, "?year=%d", year);
        sep = '&';
    }
    if (d->plan) {
        buf_printf(out, "%cplan=%d", sep, d->plan);
        sep = '&';
    }
    if (key) {
        buf_printf(out, "%c%u=%u", sep, key, value);
        sep = '&';
    }
    const char *status = svg_segment_key(seg);
    if (status)
        buf_printf(out, "%cstatus=%u", sep, status);
}

static void id_url(struct buf *out, const struct dash *d, int year, const char *key,
                   long long id, int seg)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", id);
    list_url(out, d, year, key, v, seg);
}

/* svg_href_fn callbacks: one per chart. */
static void overall_href(void *ctx, int row, int seg, struct buf *out)
{
    const struct dash *d = ctx;
    (void)row;
    list_url(out, d, d->year, NULL, NULL, seg);
}

static void spec_href(void *ctx, int row, int seg, struct buf *out)
{
    const struct dash *d = ctx;
    if (d->spec_ids[row])
        id_url(out, d, d->year, "specific", d->spec_ids[row], seg);
}

static void trend_href(void *ctx, int row, int seg, struct buf *out)
{
    const struct dash *d = ctx;
    list_url(out, d, d->years[row], NULL, NULL, seg);
}

static void type_href(void *ctx, int row, int seg, struct buf *out)
{
    const struct dash *d = ctx;
    const char *key = d->type_keys[row];
    if (!key)
        list_url(out, d, d->year, "no_carrier", "1", seg);
    else if (*key)
        list_url(out, d, d->year, "carrier_type", key, seg);
}

/* Writes a count as a link to the list the href callback gives for (row, seg). */
static void put_count(struct buf *b, struct dash *d, svg_href_fn href, int row, int seg, int v)
{
    buf_reset(&d->url);
    href(d, row, seg, &d->url);
    if (d->url.len)
        buf_printf(b, "<a href=\"%h\">%d</a>", d->url.p, v);
    else
        buf_printf(b, "%d", v);
}

/* Writes v / total as a French percentage with one decimal ("36,8 %"). */
static void put_share(struct buf *b, int v, int total)
{
    int tenths = total ? (int)(((long long)v * 1000 + total / 2) / total) : 0;
    buf_printf(b, "%d,%d&nbsp;%%", tenths / 10, tenths % 10);
}

static int segment_value(const struct svg_row *r, int seg)
{
    if (seg == SVG_DONE_ANY)
        return r->counts[ST_DONE_CLOSED] + r->counts[ST_DONE_RECURRING] + r->counts[ST_DONE];
    if (seg == SVG_ALL) {
        int t = 0;
        for (int s = 0; s < SVG_SEGMENTS; s++)
            t += r->counts[s];
        return t;
    }
    return r->counts[seg];
}

/* Column order of the wide tables: the statuses, "no status", the done total, the total. */
static const int columns[] = {ST_DONE_CLOSED, ST_DONE_RECURRING, ST_DONE,      ST_IN_PROGRESS,
                              ST_REFLECTION,  ST_NOT_STARTED,    ST_ABANDONED, SVG_NONE,
                              SVG_DONE_ANY,   SVG_ALL};
enum { N_COLUMNS = sizeof columns / sizeof columns[0] };

static void put_column_heads(struct buf *b, const char *first)
{
    buf_printf(b, "<thead><tr><th scope=\"col\">%h</th>", first);
    for (int k = 0; k < N_COLUMNS; k++)
        buf_printf(b, "<th scope=\"col\" class=\"num\">%h</th>",
                   columns[k] == SVG_ALL ? "Total" : svg_segment_label(columns[k]));
    buf_puts(b, "</tr></thead>");
}

/* A table of rows × statuses (the numbers of a chart), every number a link. */
static void put_wide_table(struct buf *b, struct dash *d, const char *caption, const char *first,
                           const struct svg_row *rows, int n, svg_href_fn href)
{
    buf_printf(b, "<div class=\"table-wrap\"><table><caption>%h</caption>", caption);
    put_column_heads(b, first);
    buf_puts(b, "<tbody>");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<tr><th scope=\"row\">%h</th>", rows[i].label);
        for (int k = 0; k < N_COLUMNS; k++) {
            buf_puts(b, columns[k] >= SVG_DONE_ANY ? "<td class=\"num total\">"
                                                   : "<td class=\"num\">");
            put_count(b, d, href, i, columns[k], segment_value(&rows[i], columns[k]));
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The segment of an action in the year shown. */
static int segment_of(const struct dash *d, const struct action_brief *x)
{
    enum status s = d->yi >= 0 ? x->statuses[d->yi] : ST_NONE;
    return s == ST_NONE ? SVG_NONE : (int)s;
}

/* Counts the actions of the year under each specific objective into d->spec_rows. */
static void count_specific(struct dash *d, struct arena *a, const struct objective *objs,
                           int n_objs)
{
    int n_spec = 0;
    for (int i = 0; i < n_objs; i++)
        n_spec += objs[i].level == OBJ_SPECIFIC;
    d->spec_rows = arena_alloc(a, sizeof *d->spec_rows * (size_t)(n_spec + 1));
    d->spec_ids = arena_alloc(a, sizeof *d->spec_ids * (size_t)(n_spec + 1));
    int *row_of = arena_alloc(a, sizeof *row_of * (size_t)(n_objs + 1));
    for (int i = 0; i < n_objs; i++) {
        row_of[i] = -1;
        if (objs[i].level != OBJ_SPECIFIC)
            continue;
        struct svg_row *r = &d->spec_rows[d->n_spec];
        r->label = objs[i].title;
        if (*objs[i].code) {
            size_t len = strlen(objs[i].code) + strlen(objs[i].title) + 8;
            char *label = arena_alloc(a, len);
            snprintf(label, len, "%s. %s", objs[i].code, objs[i].title);
            r->label = label;
        }
        d->spec_ids[d->n_spec] = objs[i].id;
        row_of[i] = d->n_spec++;
    }
    struct svg_row without = {.label = "Sans objectif spécifique"};
    bool any_without = false;
    for (int k = 0; k < d->n_actions; k++) {
        const struct action_brief *x = &d->actions[k];
        int seg = segment_of(d, x);
        int oi = objective_index(objs, n_objs, x->objective_id);
        int si = objective_ancestor(objs, n_objs, oi, OBJ_SPECIFIC);
        if (si >= 0 && row_of[si] >= 0) {
            d->spec_rows[row_of[si]].counts[seg]++;
        } else {
            without.counts[seg]++;
            any_without = true;
        }
    }
    if (any_without) {
        d->spec_ids[d->n_spec] = 0;
        d->spec_rows[d->n_spec++] = without;
    }
}

/* Counts the year's statuses overall and per carrier type, and the actions without carrier. */
static void count_carriers(struct dash *d)
{
    struct svg_row none = {.label = "Sans porteur"};
    d->overall.label = "Toutes les actions";
    for (int k = 0; k < d->n_actions; k++) {
        const struct action_brief *x = &d->actions[k];
        int seg = segment_of(d, x);
        d->overall.counts[seg]++;
        if (!x->carrier_id) {
            none.counts[seg]++;
            d->no_carrier++;
            continue;
        }
        int t = 0;
        while (t < d->n_types && strcmp(d->type_keys[t], x->carrier_type) != 0)
            t++;
        if (t == d->n_types) {
            if (t == MAX_TYPES)
                continue;
            d->type_keys[t] = x->carrier_type;
            d->type_rows[t].label = *x->carrier_type ? organisation_type_label(x->carrier_type)
                                                     : "Type non renseigné";
            d->n_types++;
        }
        d->type_rows[t].counts[seg]++;
    }
    /* Most frequent types first (insertion sort: a dozen rows at most). */
    for (int i = 1; i < d->n_types; i++) {
        struct svg_row r = d->type_rows[i];
        const char *key = d->type_keys[i];
        int j = i;
        int v = segment_value(&r, SVG_ALL);
        while (j > 0 && segment_value(&d->type_rows[j - 1], SVG_ALL) < v) {
            d->type_rows[j] = d->type_rows[j - 1];
            d->type_keys[j] = d->type_keys[j - 1];
            j--;
        }
        d->type_rows[j] = r;
        d->type_keys[j] = key;
    }
    if (d->no_carrier) {
        d->type_keys[d->n_types] = NULL;
        d->type_rows[d->n_types++] = none;
    }
}

static void put_year_form(struct buf *b, const struct dash *d)
{
    buf_printf(b, "<form class=\"filters noprint\" method=\"get\" action=\"/contracts/%lld/"
                  "dashboard\"><label for=\"year\">Année<select id=\"year\" name=\"year\">",
               d->cid);
    bool listed = false;
    for (int i = d->n_years - 1; i >= 0; i--) {
        listed |= d->years[i] == d->year;
        buf_printf(b, "<option value=\"%d\"%s>%d</option>", d->years[i],
                   d->years[i] == d->year ? " selected" : "", d->years[i]);
    }
    if (!listed && d->year)
        buf_printf(b, "<option value=\"%d\" selected>%d</option>", d->year, d->year);
    buf_puts(b, "</select></label>");
    if (d->plan)
        buf_printf(b, "<input type=\"hidden\" name=\"plan\" value=\"%d\">", d->plan);
    buf_puts(b, "<button type=\"submit\">Afficher</button></form>");
}

static void put_overall(struct buf *b, struct dash *d)
{
    int total = d->n_actions;
    buf_puts(b, "<section aria-labelledby=\"ensemble\"><h2 id=\"ensemble\">Vue d'ensemble</h2>");
    if (d->year)
        buf_printf(b, "<p>En %d, le contrat compte ", d->year);
    else
        buf_puts(b, "<p>Le contrat compte ");
    put_count(b, d, overall_href, 0, SVG_ALL, total);
    buf_printf(b, " %s, dont ", total > 1 ? "actions" : "action");
    put_count(b, d, overall_href, 0, SVG_DONE_ANY, segment_value(&d->overall, SVG_DONE_ANY));
    buf_puts(b, " réalisées (");
    put_share(b, segment_value(&d->overall, SVG_DONE_ANY), total);
    buf_puts(b, ", les trois sortes de « réalisée » comptées ensemble).</p>");
    char title[96];
    if (d->year)
        snprintf(title, sizeof title, "État d'avancement des actions en %d", d->year);
    else
        snprintf(title, sizeof title, "Dernier état d'avancement des actions");
    struct svg_chart c = {.id = "chart-overall", .title = title, .href = overall_href, .ctx = d};
    buf_puts(b, "<figure class=\"chart-figure\">");
    svg_status_bars(b, &c, &d->overall, 1);
    buf_printf(b, "</figure><div class=\"table-wrap\"><table class=\"narrow\"><caption>%h"
                  "</caption><thead><tr><th scope=\"col\">État d'avancement</th>"
                  "<th scope=\"col\" class=\"num\">Actions</th><th scope=\"col\" class=\"num\">"
                  "Part</th></tr></thead><tbody>",
               title);
    for (int seg = 0; seg < SVG_SEGMENTS; seg++) {
        int v = d->overall.counts[seg];
        buf_puts(b, "<tr><th scope=\"row\">");
        page_status(b, seg == SVG_NONE ? ST_NONE : (enum status)seg);
        buf_puts(b, "</th><td class=\"num\">");
        put_count(b, d, overall_href, 0, seg, v);
        buf_puts(b, "</td><td class=\"num\">");
        put_share(b, v, total);
        buf_puts(b, "</td></tr>");
        if (seg == ST_DONE) {
            int done = segment_value(&d->overall, SVG_DONE_ANY);
            buf_puts(b, "<tr class=\"total\"><th scope=\"row\">Réalisée (total des trois)</th>"
                        "<td class=\"num\">");
            put_count(b, d, overall_href, 0, SVG_DONE_ANY, done);
            buf_puts(b, "</td><td class=\"num\">");
            put_share(b, done, total);
            buf_puts(b, "</td></tr>");
        }
    }
    buf_puts(b, "</tbody><tfoot><tr class=\"total\"><th scope=\"row\">Total</th>"
                "<td class=\"num\">");
    put_count(b, d, overall_href, 0, SVG_ALL, total);
    buf_puts(b, "</td><td class=\"num\">100,0&nbsp;%</td></tr></tfoot></table></div></section>");
}

static void put_specific(struct buf *b, struct dash *d)
{
    buf_puts(b, "<section aria-labelledby=\"specifiques\"><h2 id=\"specifiques\">Par objectif "
                "spécifique</h2>");
    if (!d->n_spec) {
        buf_puts(b, "<p>Ce contrat n'a pas encore d'objectif spécifique : ajoutez-les à la "
                    "stratégie pour voir l'avancement par objectif.</p></section>");
        return;
    }
    char title[96];
    if (d->year)
        snprintf(title, sizeof title, "État d'avancement par objectif spécifique en %d", d->year);
    else
        snprintf(title, sizeof title, "Dernier état d'avancement par objectif spécifique");
    struct svg_chart c = {.id = "chart-specific", .title = title, .href = spec_href, .ctx = d};
    buf_puts(b, "<figure class=\"chart-figure\">");
    svg_status_bars(b, &c, d->spec_rows, d->n_spec);
    buf_puts(b, "</figure>");
    put_wide_table(b, d, title, "Objectif spécifique", d->spec_rows, d->n_spec, spec_href);
    buf_puts(b, "</section>");
}

static void put_trend(struct buf *b, struct dash *d)
{
    buf_puts(b, "<section aria-labelledby=\"evolution\"><h2 id=\"evolution\">Évolution d'une "
                "année à l'autre</h2>");
    if (!d->n_years) {
        buf_puts(b, "<p>Aucun état d'avancement n'est encore enregistré : importez un tableau "
                    "de suivi annuel pour suivre l'évolution.</p></section>");
        return;
    }
    static const char title[] = "Nombre d'actions par état d'avancement, année par année";
    struct svg_chart c = {.id = "chart-trend", .title = title, .href = trend_href, .ctx = d};
    buf_puts(b, "<p>Chaque petit graphique suit un état d'avancement ; tous ont la même échelle. "
                "« Sans état » compte les actions du contrat sans état enregistré cette "
                "année-là.</p><figure class=\"chart-figure\">");
    svg_status_trend(b, &c, d->trend, d->n_years);
    buf_puts(b, "</figure>");
    put_wide_table(b, d, title, "Année", d->trend, d->n_years, trend_href);
    buf_puts(b, "</section>");
}

static void put_no_carrier(struct buf *b, struct dash *d)
{
    buf_puts(b, "<section aria-labelledby=\"sans-porteur\"><h2 id=\"sans-porteur\">Actions sans "
                "porteur</h2>");
    if (!d->no_carrier) {
        buf_puts(b, "<p>Aucune action sans porteur — bravo.</p></section>");
        return;
    }
    buf_puts(b, "<p>");
    buf_reset(&d->url);
    list_url(&d->url, d, d->year, "no_carrier", "1", SVG_ALL);
    buf_printf(b, "<a href=\"%h\">%d %s</a> %s pas de porteur désigné.</p><ul>", d->url.p,
               d->no_carrier, d->no_carrier > 1 ? "actions" : "action",
               d->no_carrier > 1 ? "n'ont" : "n'a");
    int shown = 0;
    for (int k = 0; k < d->n_actions && shown < NO_CARRIER_SHOWN; k++) {
        const struct action_brief *x = &d->actions[k];
        if (x->carrier_id)
            continue;
        shown++;
        buf_printf(b, "<li><a href=\"/actions/%lld\">", x->id);
        if (*x->code)
            buf_printf(b, "%h — ", x->code);
        buf_printf(b, "%h</a> ", x->title);
        page_status(b, d->yi >= 0 ? x->statuses[d->yi] : ST_NONE);
        if (*x->carrier_label)
            buf_printf(b, " <span class=\"muted\">(indiqué : %h)</span>", x->carrier_label);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
    if (d->no_carrier > shown)
        buf_printf(b, "<p><a href=\"%h\">Voir les %d actions sans porteur</a></p>", d->url.p,
                   d->no_carrier);
    buf_puts(b, "</section>");
}

static void put_carrier_types(struct buf *b, struct dash *d)
{
    buf_puts(b, "<section aria-labelledby=\"types\"><h2 id=\"types\">Actions par type de "
                "porteur</h2>");
    if (!d->n_types) {
        buf_puts(b, "<p>Aucune action pour l'instant.</p></section>");
        return;
    }
    char title[96];
    if (d->year)
        snprintf(title, sizeof title, "Actions par type de porteur et état en %d", d->year);
    else
        snprintf(title, sizeof title, "Actions par type de porteur et dernier état");
    struct svg_chart c = {.id = "chart-types", .title = title, .href = type_href, .ctx = d};
    buf_puts(b, "<figure class=\"chart-figure\">");
    svg_status_bars(b, &c, d->type_rows, d->n_types);
    buf_printf(b, "</figure><div class=\"table-wrap\"><table class=\"narrow\"><caption>Actions "
                  "par type de porteur</caption><thead><tr><th scope=\"col\">Type de porteur</th>"
                  "<th scope=\"col\" class=\"num\">Actions</th><th scope=\"col\" class=\"num\">"
                  "Réalisées</th><th scope=\"col\" class=\"num\">Part des actions</th></tr>"
                  "</thead><tbody>");
    for (int t = 0; t < d->n_types; t++) {
        int v = segment_value(&d->type_rows[t], SVG_ALL);
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">", d->type_rows[t].label);
        put_count(b, d, type_href, t, SVG_ALL, v);
        buf_puts(b, "</td><td class=\"num\">");
        put_count(b, d, type_href, t, SVG_DONE_ANY, segment_value(&d->type_rows[t], SVG_DONE_ANY));
        buf_puts(b, "</td><td class=\"num\">");
        put_share(b, v, d->n_actions);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div></section>");
}

/* Reads the data of the page (three queries for the whole of it); 0 or the HTTP status of the
 * error page already written. */
static int load(struct req *req, struct res *res, struct dash *d)
{
    d->cid = req->ids[0];
    int rc = load_contract(req, res, d->cid, &d->contract);
    if (rc)
        return rc;
    const char *year = req_query(req, "year");
    long long y = 0;
    if (!str_blank(year) && str_to_ll(year, 1900, 2200, &y) != ERR_OK)
        return page_error(req, res, 400, "Année invalide",
                          "L'année demandée doit être écrite en chiffres, par exemple 2023.");
    struct objective *objs;
    int n_objs;
    if (action_status_grid(req->db, req->arena, d->cid, d->years, MAX_YEARS, &d->n_years,
                           &d->actions, &d->n_actions) != ERR_OK ||
        objective_list(req->db, req->arena, d->cid, &objs, &n_objs) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Le tableau de bord n'a pas pu être lu.");
    /* The yearly plan alone (?plan=Y, gantt_pages.c). */
    rc = sheet_plan_keep(req, d->cid, d->actions, &d->n_actions, &d->plan);
    if (rc == ERR_INVALID)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « plan » est l'année d'un plan annuel, par exemple 2024.");
    if (rc != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Le tableau de bord n'a pas pu être lu.");
    int reporting;
    if (!y && figures_reporting_year(req->db, d->cid, &reporting, NULL) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Le tableau de bord n'a pas pu être lu.");
    d->year = y ? (int)y : reporting;
    d->yi = -1;
    for (int i = 0; i < d->n_years; i++) {
        if (d->years[i] == d->year)
            d->yi = i;
        char *label = arena_alloc(req->arena, 12);
        snprintf(label, 12, "%d", d->years[i]);
        d->trend[i].label = label;
    }
    /* Each year counts the actions that exist that year (figures.h): the 5 actions added in
     * 2023 are not "sans état" in 2020–2022, as in the report and the spreadsheet. */
    for (int k = 0; k < d->n_actions; k++)
        for (int i = 0; i < d->n_years; i++) {
            enum status s = d->actions[k].statuses[i];
            if (figures_exists_in(d->actions[k].first_year, d->years[i]))
                d->trend[i].counts[s == ST_NONE ? SVG_NONE : (int)s]++;
        }
    /* The rest of the page is about the year shown: only the actions that count in it. */
    d->n_all = d->n_actions;
    if (d->year) {
        int kept = 0;
        for (int k = 0; k < d->n_actions; k++)
            if (figures_exists_in(d->actions[k].first_year, d->year))
                d->actions[kept++] = d->actions[k];
        d->n_actions = kept;
    }
    count_specific(d, req->arena, objs, n_objs);
    count_carriers(d);
    return 0;
}

int dashboard_page(struct req *req, struct res *res)
{
    struct dash *d = arena_alloc(req->arena, sizeof *d);
    int rc = load(req, res, d);
    if (rc)
        return rc;
    const char *name = *d->contract.short_title ? d->contract.short_title : d->contract.title;
    char home[32], title[64];
    snprintf(home, sizeof home, "/contracts/%lld", d->cid);
    if (d->year)
        snprintf(title, sizeof title, "Tableau de bord %d", d->year);
    else
        snprintf(title, sizeof title, "Tableau de bord");
    struct crumb crumbs[] = {{"Contrats", "/"}, {name, home}, {"Tableau de bord", NULL}};
    page_begin(res, title, crumbs, 3);
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">%h — état d'avancement des actions tel qu'enregistré dans "
                  "le suivi annuel. Chaque nombre mène à la liste des actions concernées.</p>",
               d->contract.title);
    sheet_dashboard_plan(req, res, d->cid, d->year, d->plan);
    if (d->year)
        put_year_form(b, d);
    if (!d->n_all) {
        buf_printf(b, "<p class=\"caution\">Ce contrat n'a encore aucune action : importez son "
                      "tableau de suivi (<code>boussole import</code>) ou ajoutez ses fiches "
                      "action depuis <a href=\"%h\">la page du contrat</a>.</p>",
                   home);
        page_end(res);
        return 200;
    }
    if (d->year && d->yi < 0)
        buf_printf(b, "<p class=\"caution\">Aucun état d'avancement n'est enregistré pour %d : "
                      "choisissez une autre année ou importez le tableau de suivi de %d.</p>",
                   d->year, d->year);
    put_overall(b, d);
    put_specific(b, d);
    put_trend(b, d);
    put_no_carrier(b, d);
    put_carrier_types(b, d);
    page_end(res);
    buf_free(&d->url);
    return 200;
}
