/* gantt_pages.c — the views that keep a contract focused: the Gantt chart (page with the action
 * list's filters, and the SVG alone), the yearly plan with priorities, the workload settings and
 * warning, and the coordinator's list of sheets missing indicators, targets, carriers or dates.
 * Must not contain SQL nor decide who may act (routes.c does; auth_may only chooses forms). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "format/draw/gantt.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

static const char *contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

/* Today as "AAAA-MM-JJ" (UTC), in the arena. */
static const char *today(struct req *req)
{
    struct date day = date_of_time((long long)req->now);
    char *s = arena_alloc(req->arena, 11);
    date_iso(&day, s);
    return s;
}

/* What the Gantt page and its SVG share: the contract, the filter of the URL (the action list's
 * parameters, plan=Y included) and the rows. */
struct gantt_view {
    struct contract c;
    struct year_choice y;
    struct objective *objs;
    int n_objs;
    struct action_filter f;
    struct gantt_row *rows;
    int n_rows, n_dated;
};

static int load_gantt(struct req *req, struct res *res, struct gantt_view *v)
{
    memset(v, 0, sizeof *v);
    int rc = load_contract(req, res, req->ids[0], &v->c);
    if (rc)
        return rc;
    rc = filter_year(req, v->c.id, &v->y);
    if (rc == ERR_INVALID)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2023.");
    if (rc != ERR_OK || objective_list(req->db, req->arena, v->c.id, &v->objs, &v->n_objs) !=
                            ERR_OK)
        return page_db_error(req, res);
    const char *why = NULL;
    if (filter_parse_actions(req, v->c.id, &v->y, v->objs, v->n_objs, &v->f, &why) != ERR_OK)
        return page_error(req, res, 400, "Paramètre invalide", why);
    struct action *acts;
    int n_acts;
    struct sheet_dates *dates;
    int n_dates;
    if (action_list(req->db, req->arena, &v->f, &acts, &n_acts) != ERR_OK ||
        sheet_dates_list(req->db, req->arena, v->c.id, &dates, &n_dates) != ERR_OK)
        return page_db_error(req, res);
    v->rows = arena_alloc(req->arena, sizeof *v->rows * (size_t)(n_acts + 1));
    for (int i = 0; i < n_acts; i++) {
        const struct action *x = &acts[i];
        const struct sheet_dates *d = NULL;
        for (int k = 0; k < n_dates && !d; k++)
            if (dates[k].id == x->id)
                d = &dates[k];
        struct buf group_text = {0};
        buf_printf(&group_text, "%s%s%s", x->objective_code, *x->objective_code ? " — " : "",
                   x->objective_title);
        struct gantt_row *r = &v->rows[v->n_rows++];
        *r = (struct gantt_row){
            .id = x->id,
            .group = arena_strdup(req->arena, buf_cstr(&group_text)),
            .code = str_eq(x->kind, "lead") ? "Piste" : x->code,
            .title = x->title,
            .href = edit_fmt(req->arena, "/actions/%lld", x->id),
            .planned_start = d ? d->planned_start : "",
            .planned_end = d ? d->planned_end : "",
            .actual_start = d ? d->actual_start : "",
            .actual_end = d ? d->actual_end : "",
            .status = x->status,
        };
        buf_free(&group_text);
        v->n_dated += gantt_row_dated(r);
    }
    return 0;
}

static void draw(struct req *req, struct buf *b, const struct gantt_view *v)
{
    struct buf title_text = {0};
    buf_printf(&title_text, "Calendrier des actions — %s", contract_name(&v->c));
    if (v->f.plan_year)
        buf_printf(&title_text, " (plan %d)", v->f.plan_year);
    struct gantt_chart chart = {
        .id = "gantt",
        .title = buf_cstr(&title_text),
        .today = today(req),
        /* Statuses are known up to the end of the year shown (the reporting year by default):
         * one carrier's early entry for the next year does not make that year known. */
        .known_until = v->y.year ? edit_fmt(req->arena, "%d-12-31", v->y.year) : NULL,
        .first_year = v->c.start_year,
        .last_year = v->c.end_year,
    };
    gantt_svg(b, &chart, v->rows, v->n_rows);
    buf_free(&title_text);
}

int gantt_svg_page(struct req *req, struct res *res)
{
    struct gantt_view v;
    int rc = load_gantt(req, res, &v);
    if (rc)
        return rc;
    res->status = 200;
    res->content_type = "image/svg+xml; charset=utf-8";
    buf_puts(&res->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    draw(req, &res->body, &v);
    buf_putc(&res->body, '\n');
    return 200;
}

/* The filter form of the Gantt chart: the action list's parameters, and the plan. */
static void gantt_filters(struct req *req, struct buf *b, const struct gantt_view *v)
{
    const struct action_filter *f = &v->f;
    buf_printf(b, "<form method=\"get\" action=\"/contracts/%lld/gantt\" class=\"filters "
                  "noprint\" aria-label=\"Filtres\">",
               v->c.id);
    static const char *const keys[] = {"strategic", "specific", "operational"};
    static const char *const labels[] = {"Axe", "Objectif spécifique", "Objectif opérationnel"};
    const long long ids[] = {f->strategic_id, f->specific_id, f->operational_id};
    for (int k = 0; k < 3; k++) {
        buf_printf(b, "<label>%h<select name=\"%h\"><option value=\"\">Tous</option>", labels[k],
                   keys[k]);
        for (int i = 0; i < v->n_objs; i++)
            if ((int)v->objs[i].level == k + 1)
                buf_printf(b, "<option value=\"%lld\"%s>%h%s%h</option>", v->objs[i].id,
                           v->objs[i].id == ids[k] ? " selected" : "", v->objs[i].code,
                           *v->objs[i].code ? " — " : "",
                           text_short(req->arena, v->objs[i].title, 50));
        buf_puts(b, "</select></label>");
    }
    buf_printf(b, "<label>Type<select name=\"kind\"><option value=\"\">Tous</option>"
                  "<option value=\"sheet\"%s>Fiche action</option><option value=\"lead\"%s>"
                  "Piste d'action</option></select></label>",
               str_eq(f->kind, "sheet") ? " selected" : "",
               str_eq(f->kind, "lead") ? " selected" : "");
    buf_puts(b, "<label>État<select name=\"status\"><option value=\"\">Tous</option>");
    for (int s = 0; s < ST_COUNT; s++)
        buf_printf(b, "<option value=\"%h\"%s>%h</option>", status_key((enum status)s),
                   str_eq(f->status, status_key((enum status)s)) ? " selected" : "",
                   status_label((enum status)s));
    buf_puts(b, "</select></label><label>Porteur<select name=\"carrier\"><option value=\"\">"
                "Tous</option>");
    struct organisation *orgs;
    int n_orgs;
    if (organisation_carriers(req->db, req->arena, v->c.id, &orgs, &n_orgs) != ERR_OK)
        n_orgs = 0;
    for (int i = 0; i < n_orgs; i++)
        buf_printf(b, "<option value=\"%lld\"%s>%h</option>", orgs[i].id,
                   orgs[i].id == f->carrier_id ? " selected" : "",
                   text_short(req->arena, orgs[i].name, 50));
    buf_printf(b,
               "</select></label><label class=\"check\"><input type=\"checkbox\" "
               "name=\"no_carrier\" value=\"1\"%s> Sans porteur</label><label>Plan annuel"
               "<input type=\"number\" name=\"plan\" min=\"1990\" max=\"2100\" value=\"%h\" "
               "placeholder=\"tous\"></label><label>Recherche<input type=\"search\" "
               "name=\"q\" value=\"%h\"></label><input type=\"hidden\" name=\"year\" "
               "value=\"%d\"><button type=\"submit\">Filtrer</button><a "
               "href=\"/contracts/%lld/gantt\">Retirer les filtres</a></form>",
               f->no_carrier ? " checked" : "",
               f->plan_year ? edit_fmt(req->arena, "%d", f->plan_year) : "", f->text, f->year,
               v->c.id);
}

int gantt_page(struct req *req, struct res *res)
{
    struct gantt_view v;
    int rc = load_gantt(req, res, &v);
    if (rc)
        return rc;
    struct arena *a = req->arena;
    edit_begin(req, res, &v.c, "Calendrier des actions (Gantt)", NULL, NULL, "Calendrier");
    struct buf *b = &res->body;
    gantt_filters(req, b, &v);
    struct buf q = {0};
    filter_url(&q, "", &v.f);
    buf_printf(b, "<p class=\"count\" role=\"status\"><strong>%d action%s datée%s</strong> sur "
                  "%d affichée%s", v.n_dated, v.n_dated > 1 ? "s" : "", v.n_dated > 1 ? "s" : "",
               v.n_rows, v.n_rows > 1 ? "s" : "");
    if (v.f.year)
        buf_printf(b, " — couleur : état d'avancement %d", v.f.year);
    buf_printf(b, ".</p><ul class=\"links noprint\"><li><a href=\"/contracts/%lld/gantt.svg%h\">"
                  "Image SVG seule</a></li><li>Pour imprimer, choisissez le format A4 paysage."
                  "</li></ul>",
               v.c.id, buf_cstr(&q));
    buf_free(&q);
    buf_puts(b, "<div class=\"print-landscape\"><figure class=\"chart-figure gantt-figure\">");
    draw(req, b, &v);
    buf_puts(b, "</figure>");
    if (v.n_dated < v.n_rows) {
        buf_printf(b, "<p>%d action%s sans aucune date n'apparai%s pas sur le calendrier",
                   v.n_rows - v.n_dated, v.n_rows - v.n_dated > 1 ? "s" : "",
                   v.n_rows - v.n_dated > 1 ? "ssent" : "t");
        if (auth_may(req, ROLE_COORDINATOR, v.c.id, false))
            buf_printf(b, " : <a href=\"/contracts/%lld/sheets/missing\">compléter les fiches"
                          "</a>",
                       v.c.id);
        buf_puts(b, ".</p>");
    }
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"gantt-table\"><caption>Dates des "
                "actions du calendrier</caption><thead><tr><th scope=\"col\">Code</th>"
                "<th scope=\"col\">Action</th><th scope=\"col\">Début prévu</th>"
                "<th scope=\"col\">Fin prévue</th><th scope=\"col\">Début réel</th>"
                "<th scope=\"col\">Fin réelle</th><th scope=\"col\">État</th></tr></thead>"
                "<tbody>");
    for (int i = 0; i < v.n_rows; i++) {
        const struct gantt_row *r = &v.rows[i];
        if (!gantt_row_dated(r))
            continue;
        buf_printf(b, "<tr><td>%h</td><td><a href=\"/actions/%lld\">%h</a></td><td>%h</td>"
                      "<td>%h</td><td>%h</td><td>%h</td><td>",
                   r->code, r->id, r->title, sheet_date_text(a, r->planned_start),
                   sheet_date_text(a, r->planned_end), sheet_date_text(a, r->actual_start),
                   sheet_date_text(a, r->actual_end));
        page_status(b, r->status);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div></div>");
    page_end(res);
    return 200;
}

/* ---- the dashboard of the plan ----------------------------------------------------------- */

int sheet_plan_keep(struct req *req, long long contract_id, struct action_brief *acts, int *n,
                    int *plan_year)
{
    *plan_year = 0;
    const char *v = req_query(req, "plan");
    if (str_blank(v))
        return ERR_OK;
    long long y;
    if (str_to_ll(v, 1990, 2100, &y) != ERR_OK)
        return ERR_INVALID;
    long long *ids;
    int n_ids = 0;
    if (sheet_plan_ids(req->db, req->arena, contract_id, (int)y, &ids, &n_ids) != ERR_OK)
        return ERR_DB;
    int kept = 0;
    for (int i = 0; i < *n; i++) {
        bool in = false;
        for (int k = 0; k < n_ids && !in; k++)
            in = ids[k] == acts[i].id;
        if (in)
            acts[kept++] = acts[i];
    }
    *n = kept;
    *plan_year = (int)y;
    return ERR_OK;
}

void sheet_dashboard_plan(struct req *req, struct res *res, long long contract_id, int year,
                          int plan_year)
{
    struct buf *b = &res->body;
    if (plan_year) {
        buf_printf(b, "<p class=\"notice\" role=\"status\">Seules les actions du <a "
                      "href=\"/contracts/%lld/action-plan?year=%d\">plan annuel %d</a> sont "
                      "comptées. <a href=\"/contracts/%lld/dashboard?year=%d\">Revenir à toutes "
                      "les actions</a></p>",
                   contract_id, plan_year, plan_year, contract_id, year);
        return;
    }
    int y = year ? year : action_current_year(req);
    buf_printf(b, "<p class=\"noprint\"><a href=\"/contracts/%lld/dashboard?year=%d&amp;"
                  "plan=%d\">Afficher seulement les actions du plan annuel %d</a></p>",
               contract_id, y, y, y);
}

/* ---- the sheets missing something --------------------------------------------------------- */

int sheets_missing_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct sheet_gaps *g = NULL;
    int n = 0, total = 0;
    if (sheet_gaps_list(req->db, req->arena, c.id, &g, &n, &total) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, &c, "Fiches action incomplètes", NULL, NULL, "Fiches incomplètes");
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">Les fiches action auxquelles il manque un indicateur de "
                  "résultat, la cible de cet indicateur, un porteur ou les dates prévues. Sans "
                  "indicateur défini à l'écriture, une action ne peut pas être évaluée.</p>"
                  "<p class=\"count\" role=\"status\"><strong>%d fiche%s incomplète%s</strong> "
                  "sur %d</p>",
               n, n > 1 ? "s" : "", n > 1 ? "s" : "", total);
    if (!n) {
        buf_puts(b, "<p class=\"empty\">Aucune fiche incomplète — bravo.</p>");
        page_end(res);
        return 200;
    }
    int counts[4] = {0};
    for (int i = 0; i < n; i++) {
        counts[0] += g[i].no_result_indicator;
        counts[1] += g[i].no_target;
        counts[2] += g[i].no_carrier;
        counts[3] += g[i].no_dates;
    }
    buf_printf(b, "<ul class=\"counts\"><li>%d sans indicateur de résultat</li><li>%d sans "
                  "cible</li><li>%d sans porteur</li><li>%d sans dates prévues</li></ul>",
               counts[0], counts[1], counts[2], counts[3]);
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"missing\"><thead><tr>"
                "<th scope=\"col\">Code</th><th scope=\"col\">Fiche</th><th scope=\"col\">État"
                "</th><th scope=\"col\">Indicateur de résultat</th><th scope=\"col\">Cible</th>"
                "<th scope=\"col\">Porteur</th><th scope=\"col\">Dates prévues</th></tr></thead>"
                "<tbody>");
    for (int i = 0; i < n; i++) {
        const struct sheet_gaps *x = &g[i];
        const char *miss_html = "<td class=\"gap\">manque</td>",
                   *ok_html = "<td class=\"ok\">oui</td>";
        buf_printf(b,
                   "<tr><td>%h</td><td><a href=\"/actions/%lld/sheet\">%h</a></td><td>%h</td>"
                   "%s%s%s%s</tr>",
                   x->code, x->id, x->title, sheet_state_label(x->state),
                   x->no_result_indicator ? miss_html : ok_html,
                   x->no_target ? miss_html : ok_html, x->no_carrier ? miss_html : ok_html,
                   x->no_dates ? miss_html : ok_html);
    }
    buf_puts(b, "</tbody></table></div>");
    page_end(res);
    return 200;
}

/* ---- workload ----------------------------------------------------------------------------- */

/* A decimal the French way ("0,5"). */
static const char *decimal(struct arena *a, double v)
{
    return indicator_number(a, v);
}

void sheet_home_notice(struct req *req, struct res *res, long long contract_id)
{
    struct buf *b = &res->body;
    struct arena *a = req->arena;
    struct workload w;
    if (sheet_workload(req->db, contract_id, &w) != ERR_OK)
        return;
    int year = action_current_year(req);
    if (sheet_workload_exceeded(&w))
        buf_printf(b, "<div class=\"caution workload\" role=\"note\"><p><strong>Charge de "
                      "pilotage élevée :</strong> %d actions actives pour %h ETP de "
                      "coordination, soit %h actions par ETP, au-delà du seuil de %h fixé pour "
                      "ce contrat.</p><p>Le rapport d'évaluation du CLS 2 recommande de limiter "
                      "le nombre d'actions et d'établir un plan annuel : <a "
                      "href=\"/contracts/%lld/action-plan?year=%d\">choisir les actions du plan "
                      "%d</a>.</p></div>",
                   w.active, decimal(a, w.fte), decimal(a, (double)(int)(w.active / w.fte *
                                                                          10 + 0.5) / 10),
                   decimal(a, w.threshold), contract_id, year, year);
    buf_printf(b, "<ul class=\"links noprint\"><li><a href=\"/contracts/%lld/gantt\">Calendrier "
                  "des actions (Gantt)</a></li><li><a "
                  "href=\"/contracts/%lld/action-plan?year=%d\">Plan annuel %d</a></li>",
               contract_id, contract_id, year, year);
    if (auth_may(req, ROLE_COORDINATOR, contract_id, false))
        buf_printf(b, "<li><a href=\"/contracts/%lld/sheets/missing\">Fiches incomplètes</a>"
                      "</li>",
                   contract_id);
    buf_puts(b, "</ul>");
}

int workload_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    double fte = 0, threshold = 0;
    bool has_fte = false, has_threshold = false;
    const char *back = edit_fmt(req->arena, "/contracts/%lld/action-plan", c.id);
    if (indicator_parse_number(form_value(req, "coordinator_fte"), &fte, &has_fte) != ERR_OK ||
        fte < 0 || fte > 20 ||
        indicator_parse_number(form_value(req, "max_actions_per_fte"), &threshold,
                               &has_threshold) != ERR_OK ||
        !has_threshold || threshold < 1 || threshold > 1000)
        return page_error(req, res, 422, "Réglage refusé",
                          "Le temps de coordination s'écrit en ETP entre 0 et 20 (par exemple "
                          "0,5) et le seuil en nombre d'actions par ETP entre 1 et 1000.");
    struct actor who = edit_actor(req);
    rc = sheet_workload_set(req->db, &who, c.id, has_fte ? fte : 0, threshold);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "%s?saved=1#charge", back));
}
