/* plan_pages.c — the yearly plan of a contract: the actions the coordination keeps in focus in
 * year Y with their priority (everyone reads it; the coordination ticks the actions and sets
 * priorities in one form), and the workload settings (coordinator's FTE, threshold). Must not
 * contain SQL nor decide who may act (routes.c does; auth_may only chooses the forms). */
#include <stdio.h>
#include <string.h>

#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

struct plan_view {
    struct contract c;
    int year;
    struct action *acts; /* every active action, latest status */
    int n_acts;
    long long *plan;
    int n_plan;
    struct sheet_dates *dates; /* for the priorities */
    int n_dates;
};

static int load(struct req *req, struct res *res, struct plan_view *v, const char *year)
{
    memset(v, 0, sizeof *v);
    int rc = load_contract(req, res, req->ids[0], &v->c);
    if (rc)
        return rc;
    long long y = action_current_year(req);
    if (!str_blank(year) && str_to_ll(year, 1990, 2100, &y) != ERR_OK)
        return page_error(req, res, 400, "Paramètre invalide",
                          "L'année du plan s'écrit en chiffres, par exemple 2024.");
    v->year = (int)y;
    struct action_filter f = {.contract_id = v->c.id};
    if (action_list(req->db, req->arena, &f, &v->acts, &v->n_acts) != ERR_OK ||
        sheet_plan_ids(req->db, req->arena, v->c.id, v->year, &v->plan, &v->n_plan) != ERR_OK ||
        sheet_dates_list(req->db, req->arena, v->c.id, &v->dates, &v->n_dates) != ERR_OK)
        return page_db_error(req, res);
    return 0;
}

static bool in_plan(const struct plan_view *v, long long id)
{
    for (int i = 0; i < v->n_plan; i++)
        if (v->plan[i] == id)
            return true;
    return false;
}

static const char *priority_of(const struct plan_view *v, long long id)
{
    for (int i = 0; i < v->n_dates; i++)
        if (v->dates[i].id == id)
            return v->dates[i].priority;
    return "normal";
}

/* The workload section: the figure, and the settings form for the coordination. */
static void workload_part(struct req *req, struct res *res, const struct plan_view *v,
                          bool coordinator)
{
    struct buf *b = &res->body;
    struct arena *a = req->arena;
    struct workload w;
    if (sheet_workload(req->db, v->c.id, &w) != ERR_OK)
        return;
    buf_puts(b, "<section aria-labelledby=\"charge\"><h2 id=\"charge\">Charge de pilotage</h2>");
    if (w.fte > 0)
        buf_printf(b, "<p%s>%d actions actives pour %h ETP de coordination : %h actions par ETP "
                      "(seuil d'alerte : %h).</p>",
                   sheet_workload_exceeded(&w) ? " class=\"caution\"" : "", w.active,
                   indicator_number(a, w.fte), indicator_number(a, w.active / w.fte),
                   indicator_number(a, w.threshold));
    else
        buf_printf(b, "<p>%d actions actives. Le temps de coordination n'est pas renseigné.</p>",
                   w.active);
    buf_puts(b, "<p class=\"help\">Actions actives : ni archivées, ni closes, ni réalisées et "
                "closes, ni abandonnées.</p>");
    if (coordinator) {
        form_begin(b, edit_fmt(a, "/contracts/%lld/workload", v->c.id),
                   auth_form_token(req, res));
        form_input(b, "text", "coordinator_fte", "Temps de coordination (ETP)",
                   w.fte > 0 ? indicator_number(a, w.fte) : "",
                   "Par exemple 0,5 pour un mi-temps.", NULL, false);
        form_input(b, "text", "max_actions_per_fte", "Seuil d'alerte (actions actives par ETP)",
                   indicator_number(a, w.threshold),
                   "Au-delà, la page du contrat affiche une alerte.", NULL, true);
        form_end(b, "Enregistrer les réglages");
    }
    buf_puts(b, "</section>");
}

int action_plan_page(struct req *req, struct res *res)
{
    struct plan_view v;
    int rc = load(req, res, &v, req_query(req, "year"));
    if (rc)
        return rc;
    struct arena *a = req->arena;
    bool coordinator = auth_may(req, ROLE_COORDINATOR, v.c.id, false);
    const char *title = edit_fmt(a, "Plan annuel %d", v.year);
    edit_begin(req, res, &v.c, title, NULL, NULL, title);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    buf_printf(b, "<p class=\"lede\">Les actions que la coordination suit en priorité en %d : "
                  "le rapport d'évaluation du CLS 2 recommande un plan annuel pour éviter "
                  "l'« effet catalogue ».</p>",
               v.year);
    buf_printf(b, "<form method=\"get\" action=\"/contracts/%lld/action-plan\" class=\"filters "
                  "noprint\"><label>Année<input type=\"number\" name=\"year\" min=\"1990\" "
                  "max=\"2100\" value=\"%d\"></label><button type=\"submit\">Afficher</button>"
                  "</form>",
               v.c.id, v.year);
    buf_printf(b, "<p class=\"count\" role=\"status\"><strong>%d action%s dans le plan %d"
                  "</strong> sur %d</p><ul class=\"links noprint\"><li><a "
                  "href=\"/contracts/%lld/actions?plan=%d\">Liste des actions du plan</a></li>"
                  "<li><a href=\"/contracts/%lld/dashboard?plan=%d\">Tableau de bord du plan</a>"
                  "</li><li><a href=\"/contracts/%lld/gantt?plan=%d\">Calendrier du plan</a></li>"
                  "</ul>",
               v.n_plan, v.n_plan > 1 ? "s" : "", v.year, v.n_acts, v.c.id, v.year, v.c.id,
               v.year, v.c.id, v.year);
    if (coordinator) {
        form_begin(b, edit_fmt(a, "/contracts/%lld/action-plan", v.c.id),
                   auth_form_token(req, res));
        form_hidden(b, "year", edit_fmt(a, "%d", v.year));
    } else if (!v.n_plan) {
        buf_printf(b, "<p class=\"empty\">Aucune action n'est encore dans le plan %d.</p>",
                   v.year);
    }
    if (coordinator || v.n_plan) {
        buf_printf(b, "<div class=\"table-wrap\"><table class=\"plan\"><caption>Actions du "
                      "contrat et plan %d</caption><thead><tr>%s<th scope=\"col\">Code</th>"
                      "<th scope=\"col\">Action</th><th scope=\"col\">Porteur</th>"
                      "<th scope=\"col\">Dernier état</th><th scope=\"col\">Priorité</th></tr>"
                      "</thead><tbody>",
                   v.year, coordinator ? "<th scope=\"col\">Dans le plan</th>" : "");
        for (int i = 0; i < v.n_acts; i++) {
            const struct action *x = &v.acts[i];
            bool in = in_plan(&v, x->id);
            if (!coordinator && !in)
                continue;
            const char *prio = priority_of(&v, x->id);
            buf_puts(b, "<tr>");
            if (coordinator)
                buf_printf(b, "<td><input type=\"checkbox\" id=\"plan-%lld\" name=\"plan\" "
                              "value=\"%lld\"%s aria-label=\"%h dans le plan %d\"></td>",
                           x->id, x->id, in ? " checked" : "", sheet_code(x), v.year);
            buf_printf(b, "<td>%h</td><td><a href=\"/actions/%lld\">%h</a></td><td>%h</td><td>",
                       sheet_code(x), x->id, x->title, x->carrier_id ? x->carrier_name : "—");
            page_status(b, x->status);
            buf_puts(b, "</td><td>");
            if (coordinator) {
                buf_printf(b, "<select name=\"priority-%lld\" aria-label=\"Priorité de %h\">",
                           x->id, sheet_code(x));
                static const char *const keys[] = {"high", "normal", "low"};
                for (int k = 0; k < 3; k++)
                    buf_printf(b, "<option value=\"%h\"%s>%h</option>", keys[k],
                               str_eq(prio, keys[k]) ? " selected" : "",
                               sheet_priority_label(keys[k]));
                buf_puts(b, "</select>");
            } else {
                buf_printf(b, "%h", sheet_priority_label(prio));
            }
            buf_puts(b, "</td></tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    if (coordinator)
        form_end(b, edit_fmt(a, "Enregistrer le plan %d", v.year));
    workload_part(req, res, &v, coordinator);
    page_end(res);
    return 200;
}

int action_plan_submit(struct req *req, struct res *res)
{
    struct plan_view v;
    int rc = load(req, res, &v, form_value(req, "year"));
    if (rc)
        return rc;
    if (str_blank(form_value(req, "year")))
        return page_error(req, res, 400, "Formulaire incomplet",
                          "L'année du plan manque : rechargez la page et recommencez.");
    long long *ids = arena_alloc(req->arena, sizeof *ids * (size_t)(req->n_form + 1));
    bool ok = true;
    int n = edit_form_ids(req, "plan", ids, req->n_form, &ok);
    struct sheet_priority *prios =
        arena_alloc(req->arena, sizeof *prios * (size_t)(v.n_acts + 1));
    int n_prios = 0;
    for (int i = 0; i < v.n_acts; i++) {
        const char *p = req_form(req, edit_fmt(req->arena, "priority-%lld", v.acts[i].id));
        if (p && !str_eq(p, priority_of(&v, v.acts[i].id)))
            prios[n_prios++] = (struct sheet_priority){v.acts[i].id, p};
    }
    struct actor who = edit_actor(req);
    rc = ok ? sheet_plan_set(req->db, &who, v.c.id, v.year, ids, n, prios, n_prios)
            : ERR_INVALID;
    if (rc == ERR_INVALID)
        return page_error(req, res, 422, "Plan refusé",
                          "Une des actions cochées n'est pas une action active de ce contrat, "
                          "ou une priorité n'est pas haute, normale ou basse : rechargez la page "
                          "et recommencez.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/contracts/%lld/action-plan?year=%d&saved=plan",
                                  v.c.id, v.year));
}
