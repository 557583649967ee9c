/* governance_pages.c — the governance page of a contract (per body and year: required, planned,
 * held, overdue; the year-by-year story; the year's plan and meetings; the yearly report's
 * counts), a body's page and the two hooks of the contract home and the action page. Must not
 * contain SQL: data comes from src/model/; untrusted text goes out through %h and %u. */
#include <stdio.h>
#include <string.h>

#include "model/governance/decision.h"
#include "model/plan/editing.h"
#include "model/governance/meeting_plan.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/governance/governance.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/core/router.h"

/* The notice of ?done=… after a form (one line, role="status"). */
static void done_notice(const struct req *req, struct buf *b)
{
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"body", "L'instance est enregistrée."},
        {"member", "La composition de l'instance est enregistrée."},
        {"referent", "Les élus référents sont enregistrés."},
        {"plan", "Le plan annuel est enregistré."},
    };
    const char *v = req_query(req, "done");
    for (size_t i = 0; v && i < sizeof notices / sizeof notices[0]; i++)
        if (str_eq(v, notices[i].key))
            buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notices[i].text);
}

static void year_form(struct buf *b, const char *action, const int *years, int n, int year)
{
    buf_printf(b, "<form method=\"get\" action=\"%h\" class=\"filters noprint\">"
                  "<label>Année<select name=\"year\">",
               action);
    for (int i = n - 1; i >= 0; i--)
        buf_printf(b, "<option value=\"%d\"%s>%d</option>", years[i],
                   years[i] == year ? " selected" : "", years[i]);
    buf_puts(b, "</select></label><button type=\"submit\">Afficher</button></form>");
}

/* The year-by-year table of bodies: the story of each body over the contract's years. */
static void story_table(struct req *req, struct buf *b, const struct body *bodies, int nb,
                        const int *years, int ny, const struct gov_cell *grid, int year)
{
    int this_year = gov_today_year(req);
    buf_printf(b, "<div class=\"table-wrap\"><table class=\"gov-story\"><caption>Réunions tenues "
                  "et requises par instance, de %d à %d</caption><thead><tr>"
                  "<th scope=\"col\">Instance</th><th scope=\"col\">Rythme requis</th>",
               years[0], years[ny - 1]);
    for (int j = 0; j < ny; j++)
        buf_printf(b, "<th scope=\"col\"%s><a href=\"?year=%d\">%d</a></th>",
                   years[j] == year ? " class=\"current\"" : "", years[j], years[j]);
    buf_puts(b, "</tr></thead><tbody>");
    for (int i = 0; i < nb; i++) {
        buf_printf(b, "<tr><th scope=\"row\"><a href=\"/bodies/%lld\">%h</a></th><td>%h</td>",
                   bodies[i].id, bodies[i].name,
                   gov_required_words(req->arena, bodies[i].min_per_year,
                                      bodies[i].max_per_year));
        for (int j = 0; j < ny; j++)
            gov_cell_html(b, &grid[i * ny + j], years[j] == this_year);
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The situation of one body in the year shown, in words. */
static void situation(struct buf *b, const struct gov_cell *c)
{
    bool any = false;
    if (c->overdue) {
        buf_printf(b, "<span class=\"gov-alert\">⚠ %d réunion%s prévue%s en retard</span>",
                   c->overdue, c->overdue > 1 ? "s" : "", c->overdue > 1 ? "s" : "");
        any = true;
    }
    if (c->below_required) {
        buf_printf(b, "%s<span class=\"gov-alert\">✗ année close sous le minimum (%d sur %d)"
                      "</span>",
                   any ? "<br>" : "", c->held, c->required_min);
        any = true;
    }
    if (c->required_max && c->held > c->required_max) {
        buf_printf(b, "%sau-delà du rythme prévu", any ? "<br>" : "");
        any = true;
    }
    if (!any)
        buf_puts(b, c->required_min && c->held >= c->required_min ? "✓ minimum atteint" : "—");
}

/* A table of meetings: date, title, body, status, attendance. */
static void meetings_table(struct req *req, struct buf *b, const struct meeting *ms, int n,
                           const char *caption, bool with_body)
{
    if (n == 0) {
        buf_printf(b, "<p>%h : aucune.</p>", caption);
        return;
    }
    buf_printf(b,
               "<div class=\"table-wrap\"><table><caption>%h (%d)</caption><thead><tr>"
               "<th scope=\"col\">Date</th><th scope=\"col\">Réunion</th>%s"
               "<th scope=\"col\">Statut</th><th scope=\"col\" class=\"num\">Présents</th>"
               "</tr></thead><tbody>",
               caption, n, with_body ? "<th scope=\"col\">Instance</th>" : "");
    for (int i = 0; i < n; i++) {
        const struct meeting *m = &ms[i];
        buf_printf(b, "<tr><td>%h</td><td><a href=\"/meetings/%lld\">%h</a></td>",
                   gov_when(req->arena, m), m->id, m->title);
        if (with_body) {
            if (m->body_id)
                buf_printf(b, "<td><a href=\"/bodies/%lld\">%h</a></td>", m->body_id,
                           m->body_name);
            else
                buf_puts(b, "<td class=\"muted\">Sans instance</td>");
        }
        buf_puts(b, "<td>");
        gov_status_badge(b, m->status);
        buf_puts(b, "</td><td class=\"num\">");
        if (m->n_invited)
            buf_printf(b, "%d sur %d", m->n_present + m->n_represented, m->n_invited);
        else
            buf_puts(b, "—");
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The plan entries of a year with their state: held, overdue or to come. */
static void plan_table(struct req *req, struct buf *b, const struct body *bodies, int nb,
                       const struct plan_entry *plan, int n_plan, const struct gov_cell *grid,
                       int ny, int jy, const char *today)
{
    buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Instance</th>"
                "<th scope=\"col\">Prévue</th><th scope=\"col\">Situation</th>"
                "<th scope=\"col\">Remarque</th></tr></thead><tbody>");
    for (int k = 0, index = 0; k < n_plan; k++) {
        if (k > 0 && plan[k].body_id != plan[k - 1].body_id)
            index = 0;
        int i = 0;
        while (i < nb && bodies[i].id != plan[k].body_id)
            i++;
        if (i == nb)
            continue;
        const struct gov_cell *c = &grid[i * ny + jy];
        bool overdue = governance_entry_overdue(req->arena, &plan[k], index, c->held, today);
        const char *state = index < c->held ? "✓ tenue"
                            : overdue       ? "⚠ en retard : date passée sans réunion tenue"
                                            : "à venir";
        buf_printf(b,
                   "<tr><td><a href=\"/bodies/%lld\">%h</a></td><td>%h</td>"
                   "<td class=\"%s\">%h</td><td>%h</td></tr>",
                   bodies[i].id, bodies[i].name,
                   gov_date_label(req->arena, plan[k].planned_on, plan[k].precision),
                   overdue ? "gov-alert" : "", state, plan[k].note);
        index++;
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The yearly report's indicator: meetings held in the year per body kind. */
static void report_counts(struct buf *b, const int counts[BODY_KIND_COUNT + 1], int year)
{
    int total = 0;
    for (int k = 0; k <= BODY_KIND_COUNT; k++)
        total += counts[k];
    buf_printf(b, "<div class=\"table-wrap\"><table class=\"narrow\"><caption>Réunions tenues en "
                  "%d par type d'instance</caption><thead><tr><th scope=\"col\">Type "
                  "d'instance</th><th scope=\"col\" class=\"num\">Réunions tenues</th></tr>"
                  "</thead><tbody>",
               year);
    for (int k = 0; k <= BODY_KIND_COUNT; k++)
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%d</td></tr>",
                   k < BODY_KIND_COUNT ? body_kind_label(body_kinds[k]) : "Sans instance",
                   counts[k]);
    buf_printf(b, "</tbody><tfoot><tr class=\"total\"><th scope=\"row\">Total</th>"
                  "<td class=\"num\">%d</td></tr></tfoot></table></div>",
               total);
}

int governance_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    int year, years[GOV_MAX_YEARS], ny;
    if (gov_year(req, &c, &year) != ERR_OK)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2023.");
    const char *today = gov_today(req);
    struct body *bodies;
    int nb, n_meetings, n_plan;
    struct gov_cell *grid;
    struct gov_summary sum;
    struct meeting *meetings;
    struct plan_entry *plan;
    int counts[BODY_KIND_COUNT + 1];
    struct meeting_filter f = {.contract_id = c.id, .year = year};
    if (gov_years(req, &c, year, years, GOV_MAX_YEARS, &ny) != ERR_OK ||
        body_list(req->db, req->arena, c.id, &bodies, &nb) != ERR_OK ||
        governance_grid(req->db, req->arena, c.id, bodies, nb, years, ny, today, &grid) !=
            ERR_OK ||
        governance_summary(req->db, req->arena, c.id, today, &sum) != ERR_OK ||
        meeting_list(req->db, req->arena, &f, &meetings, &n_meetings) != ERR_OK ||
        plan_list(req->db, req->arena, c.id, year, &plan, &n_plan) != ERR_OK ||
        governance_held_by_kind(req->db, c.id, year, counts) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "La gouvernance n'a pas pu être lue.");
    int jy = 0;
    while (jy < ny && years[jy] != year)
        jy++;
    bool coordinator = auth_may(req, ROLE_COORDINATOR, c.id, false);

    gov_begin(req, res, &c, "Gouvernance du contrat", NULL, NULL);
    struct buf *b = &res->body;
    done_notice(req, b);
    if (coordinator)
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"/contracts/%lld"
                      "/meetings/new\">Nouvelle réunion</a></li><li><a href=\"/contracts/%lld/"
                      "plan?year=%d\">Plan annuel %d</a></li><li><a href=\"/contracts/%lld/"
                      "bodies/new\">Nouvelle instance</a></li><li><a href=\"/contracts/%lld/"
                      "people\">Personnes</a></li></ul>",
                   c.id, c.id, year, year, c.id, c.id);
    if (sum.required)
        buf_printf(b, "<p class=\"lede gov-summary\"><strong>%d des %d réunions requises</strong>"
                      " ont été tenues de %d à %d.</p>",
                   sum.held, sum.required, sum.first_year, sum.last_year);
    buf_printf(b, "<ul class=\"links noprint\"><li><a href=\"/contracts/%lld/meetings?year=%d\">"
                  "Toutes les réunions de %d</a></li><li><a href=\"/contracts/%lld/meetings.ics\">"
                  "S'abonner au calendrier des réunions (iCalendar)</a></li></ul>",
               c.id, year, year, c.id);
    if (nb == 0) {
        buf_puts(b, "<p>Aucune instance de gouvernance n'est encore décrite pour ce contrat.");
        if (coordinator)
            buf_printf(b, " <a href=\"/contracts/%lld/bodies/new\">Décrivez la première "
                          "instance</a> : le comité de pilotage, par exemple.",
                       c.id);
        buf_puts(b, "</p>");
    } else {
        buf_puts(b, "<h2>Année par année</h2>");
        story_table(req, b, bodies, nb, years, ny, grid, year);
    }
    char path[64];
    snprintf(path, sizeof path, "/contracts/%lld/governance", c.id);
    buf_printf(b, "<h2 id=\"annee\">En %d</h2>", year);
    year_form(b, path, years, ny, year);
    if (nb) {
        buf_printf(b, "<div class=\"table-wrap\"><table><caption>Instances en %d</caption><thead>"
                      "<tr><th scope=\"col\">Instance</th><th scope=\"col\">Type</th>"
                      "<th scope=\"col\">Rythme requis</th><th scope=\"col\" class=\"num\">"
                      "Prévues</th><th scope=\"col\" class=\"num\">Tenues</th>"
                      "<th scope=\"col\">Situation</th></tr></thead><tbody>",
                   year);
        for (int i = 0; i < nb; i++) {
            const struct gov_cell *cell = &grid[i * ny + jy];
            buf_printf(b, "<tr><th scope=\"row\"><a href=\"/bodies/%lld\">%h</a></th><td>%h</td>"
                          "<td>%h</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>",
                       bodies[i].id, bodies[i].name, body_kind_label(bodies[i].kind),
                       gov_required_words(req->arena, bodies[i].min_per_year,
                                          bodies[i].max_per_year),
                       cell->planned, cell->held);
            situation(b, cell);
            buf_puts(b, "</td></tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    buf_printf(b, "<h3>Plan annuel %d</h3>", year);
    if (n_plan)
        plan_table(req, b, bodies, nb, plan, n_plan, grid, ny, jy, today);
    else
        buf_printf(b, "<p>Aucune réunion n'est inscrite au plan de %d.%s</p>", year,
                   coordinator ? " Inscrivez-les dans le plan annuel pour suivre le rythme des "
                                 "instances."
                               : "");
    if (coordinator)
        buf_printf(b, "<p class=\"noprint\"><a href=\"/contracts/%lld/plan?year=%d\">Modifier le "
                      "plan annuel %d</a></p>",
                   c.id, year, year);
    buf_printf(b, "<h3>Pour le bilan d'exécution %d</h3>", year);
    report_counts(b, counts, year);
    struct meeting *held = arena_alloc(req->arena, sizeof *held * (size_t)(n_meetings + 1));
    int n_held = 0;
    for (int i = 0; i < n_meetings; i++)
        if (str_eq(meetings[i].status, "held"))
            held[n_held++] = meetings[i];
    char caption[64];
    snprintf(caption, sizeof caption, "Réunions tenues en %d", year);
    meetings_table(req, b, held, n_held, caption, true);
    page_end(res);
    return 200;
}

int contract_meetings_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct meeting_filter f = {.contract_id = c.id};
    const char *v = req_query(req, "year");
    long long y = 0, body = 0;
    if ((!str_blank(v) && str_to_ll(v, 1900, 2200, &y) != ERR_OK) ||
        filter_param_id(req, "body", &body) != ERR_OK)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Les paramètres « year » et « body » sont des nombres.");
    f.year = (int)y;
    f.body_id = body;
    v = req_query(req, "status");
    if (!str_blank(v)) {
        if (!meeting_status_valid(v))
            return page_error(req, res, 400, "Paramètre invalide",
                              "Le paramètre « status » est planned, held, cancelled, postponed "
                              "ou not_held.");
        f.status = v;
    }
    struct meeting *ms;
    struct body *bodies;
    int n, nb, years[GOV_MAX_YEARS], ny;
    if (meeting_list(req->db, req->arena, &f, &ms, &n) != ERR_OK ||
        body_list(req->db, req->arena, c.id, &bodies, &nb) != ERR_OK ||
        meeting_years(req->db, c.id, years, GOV_MAX_YEARS, &ny) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Les réunions n'ont pas pu être lues.");
    gov_begin(req, res, &c, "Réunions", NULL, NULL);
    struct buf *b = &res->body;
    buf_printf(b, "<form method=\"get\" action=\"/contracts/%lld/meetings\" class=\"filters "
                  "noprint\" aria-label=\"Filtres\"><label>Année<select name=\"year\">"
                  "<option value=\"\">Toutes</option>",
               c.id);
    for (int i = ny - 1; i >= 0; i--)
        buf_printf(b, "<option value=\"%d\"%s>%d</option>", years[i],
                   years[i] == f.year ? " selected" : "", years[i]);
    buf_puts(b, "</select></label><label>Instance<select name=\"body\"><option value=\"\">Toutes"
                "</option>");
    for (int i = 0; i < nb; i++)
        buf_printf(b, "<option value=\"%lld\"%s>%h</option>", bodies[i].id,
                   bodies[i].id == f.body_id ? " selected" : "", bodies[i].name);
    buf_puts(b, "</select></label><label>Statut<select name=\"status\"><option value=\"\">Tous"
                "</option>");
    for (int i = 0; meeting_statuses[i]; i++)
        buf_printf(b, "<option value=\"%h\"%s>%h</option>", meeting_statuses[i],
                   str_eq(f.status, meeting_statuses[i]) ? " selected" : "",
                   meeting_status_label(meeting_statuses[i]));
    buf_puts(b, "</select></label><button type=\"submit\">Filtrer</button></form>");
    meetings_table(req, b, ms, n, "Réunions", true);
    page_end(res);
    return 200;
}

/* ---- a body's page -------------------------------------------------------------------------- */

int body_page(struct req *req, struct res *res)
{
    struct body body;
    struct contract c;
    int rc = gov_load_body(req, res, &body);
    if (rc || (rc = load_contract(req, res, body.contract_id, &c)) != 0)
        return rc;
    const char *today = gov_today(req);
    int years[GOV_MAX_YEARS], ny, nm, n_plan, n_members, n_referents;
    struct gov_cell *grid;
    struct meeting *ms;
    struct plan_entry *plan;
    struct body_member *members;
    struct body_referent *referents;
    struct meeting_filter f = {.contract_id = c.id, .body_id = body.id};
    struct contract_meta meta = {0};
    if (gov_years(req, &c, gov_today_year(req) <= c.end_year ? gov_today_year(req) : 0, years,
                  GOV_MAX_YEARS, &ny) != ERR_OK ||
        governance_grid(req->db, req->arena, c.id, &body, 1, years, ny, today, &grid) !=
            ERR_OK ||
        meeting_list(req->db, req->arena, &f, &ms, &nm) != ERR_OK ||
        plan_list_body(req->db, req->arena, body.id, &plan, &n_plan) != ERR_OK ||
        body_members(req->db, req->arena, body.id, &members, &n_members) != ERR_OK ||
        body_referents(req->db, req->arena, body.id, &referents, &n_referents) != ERR_OK ||
        contract_meta_get(req->db, c.id, &meta) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "L'instance n'a pas pu être lue.");
    bool coordinator = auth_may(req, ROLE_COORDINATOR, c.id, false);
    bool people = auth_sees_private(req, c.id) || meta.public_people;

    gov_begin(req, res, &c, body.name, NULL, NULL);
    struct buf *b = &res->body;
    done_notice(req, b);
    if (coordinator)
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"/contracts/%lld"
                      "/meetings/new?body=%lld\">Nouvelle réunion</a></li><li><a href=\"/bodies/"
                      "%lld/edit\">Modifier l'instance</a></li></ul>",
                   c.id, body.id, body.id);
    buf_printf(b, "<dl class=\"fields\"><dt>Type</dt><dd>%h</dd>", body_kind_label(body.kind));
    if (*body.theme)
        buf_printf(b, "<dt>Thème</dt><dd>%h</dd>", body.theme);
    buf_printf(b, "<dt>Rythme requis</dt><dd>%h</dd></dl>",
               gov_required_words(req->arena, body.min_per_year, body.max_per_year));
    if (*body.description)
        buf_printf(b, "<p class=\"pre\">%h</p>", body.description);
    buf_printf(b, "<p class=\"noprint\"><a href=\"/bodies/%lld/meetings.ics\">S'abonner au "
                  "calendrier de cette instance (iCalendar)</a></p>",
               body.id);
    if (ny) {
        buf_printf(b, "<div class=\"table-wrap\"><table class=\"gov-story\"><caption>Réunions "
                      "tenues et requises, de %d à %d</caption><thead><tr>",
                   years[0], years[ny - 1]);
        for (int j = 0; j < ny; j++)
            buf_printf(b, "<th scope=\"col\">%d</th>", years[j]);
        buf_puts(b, "</tr></thead><tbody><tr>");
        for (int j = 0; j < ny; j++)
            gov_cell_html(b, &grid[j], years[j] == gov_today_year(req));
        buf_puts(b, "</tr></tbody></table></div>");
    }
    buf_puts(b, "<h2>Composition</h2>");
    if (!people)
        buf_printf(b, "<p>%d membre%s. Les noms ne sont visibles que des comptes du contrat.</p>",
                   n_members, n_members > 1 ? "s" : "");
    else if (n_members == 0)
        buf_puts(b, "<p>Aucun membre n'est encore inscrit.</p>");
    else {
        buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Nom</th>"
                    "<th scope=\"col\">Fonction</th><th scope=\"col\">Organisme</th>"
                    "<th scope=\"col\">Rôle</th></tr></thead><tbody>");
        for (int i = 0; i < n_members; i++)
            buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>",
                       members[i].name, members[i].function, members[i].organisation_name,
                       body_role_label(members[i].role));
        buf_puts(b, "</tbody></table></div>");
    }
    if (n_referents || str_eq(body.kind, "referents_meeting")) {
        buf_puts(b, "<h2>Élus référents par intercommunalité</h2>");
        if (!n_referents)
            buf_puts(b, "<p>Aucun élu référent n'est encore nommé.</p>");
        else if (!people)
            buf_printf(b, "<p>%d élu%s référent%s nommé%s.</p>", n_referents,
                       n_referents > 1 ? "s" : "", n_referents > 1 ? "s" : "",
                       n_referents > 1 ? "s" : "");
        else {
            buf_puts(b, "<ul>");
            for (int i = 0; i < n_referents; i++)
                buf_printf(b, "<li>%h : %h%s%h</li>", referents[i].organisation_name,
                           referents[i].person_name, *referents[i].person_function ? ", " : "",
                           referents[i].person_function);
            buf_puts(b, "</ul>");
        }
    }
    buf_puts(b, "<h2>Plan des réunions</h2>");
    if (n_plan == 0)
        buf_puts(b, "<p>Aucune réunion n'est inscrite au plan annuel.</p>");
    else {
        buf_puts(b, "<ul>");
        for (int i = 0; i < n_plan; i++)
            buf_printf(b, "<li>%d : %h%s%h</li>", plan[i].year,
                       gov_date_label(req->arena, plan[i].planned_on, plan[i].precision),
                       *plan[i].note ? " — " : "", plan[i].note);
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "<h2>Réunions</h2>");
    meetings_table(req, b, ms, nm, "Réunions de l'instance", false);
    if (coordinator)
        body_coordinator_forms(req, res, &body);
    page_end(res);
    return 200;
}

/* ---- hooks ---------------------------------------------------------------------------------- */

void governance_contract_summary(struct req *req, struct res *res, long long contract_id)
{
    struct gov_summary sum;
    if (governance_summary(req->db, req->arena, contract_id, gov_today(req), &sum) != ERR_OK)
        return;
    struct buf *b = &res->body;
    buf_puts(b, "<section class=\"gov-home\"><h2>Gouvernance</h2>");
    if (sum.required)
        buf_printf(b, "<p><strong>%d des %d réunions requises</strong> des instances ont été "
                      "tenues de %d à %d.</p>",
                   sum.held, sum.required, sum.first_year, sum.last_year);
    buf_printf(b, "<p><a href=\"/contracts/%lld/governance\">Instances, plan annuel et "
                  "réunions</a></p></section>",
               contract_id);
}

void governance_action_decisions(struct req *req, struct res *res, long long action_id)
{
    struct action_decision *ds;
    int n;
    if (decision_of_action(req->db, req->arena, action_id, &ds, &n) != ERR_OK || n == 0)
        return;
    struct buf *b = &res->body;
    buf_puts(b, "<h2 id=\"decisions\">Décisions des instances</h2><ol class=\"timeline\">");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<li class=\"decision\"><h3>%h — <a href=\"/meetings/%lld\">%h</a></h3>",
                   gov_date_label(req->arena, ds[i].held_on, ds[i].precision), ds[i].meeting_id,
                   ds[i].meeting_title);
        if (*ds[i].body_name)
            buf_printf(b, "<p class=\"muted\">%h</p>", ds[i].body_name);
        buf_printf(b, "<p class=\"pre\">%h</p></li>", ds[i].text);
    }
    buf_puts(b, "</ol>");
}
