/* action_pages.c — a contract's action list (filters, sorting, CSV export) and one action's page
 * with its status history. Must not contain SQL: data comes from src/model/; untrusted text goes
 * out through %h (HTML) and %u (URL). */
#include <stdio.h>
#include <string.h>

#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "model/core/access.h"
#include "format/data/csv.h"
#include "model/evaluation/contract_next.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

/* What the list page and its CSV export share: the contract, the years, the tree, the filter
 * read from the URL and the actions that pass it. */
struct list_view {
    struct contract c;
    struct year_choice y;
    struct objective *objs;
    int n_objs;
    struct action_filter f;
    struct action *acts;
    int n_acts, total;
};

/* Loads the list of the route's contract for the filters of the URL; on failure writes the error
 * page and returns its HTTP status (0 on success). */
static int load_list(struct req *req, struct res *res, struct list_view *v)
{
    int rc = load_contract(req, res, req->ids[0], &v->c);
    if (rc)
        return rc;
    rc = filter_year(req, v->c.id, &v->y);
    if (rc == ERR_INVALID)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2023.");
    if (rc < 0 || objective_list(req->db, req->arena, v->c.id, &v->objs, &v->n_objs) < 0)
        return page_error(req, res, 500, "Erreur", "Le contrat n'a pas pu être lu.");
    const char *why = NULL;
    if (filter_parse_actions(req, v->c.id, &v->y, v->objs, v->n_objs, &v->f, &why) != ERR_OK)
        return page_error(req, res, 400, "Paramètre invalide", why);
    if (action_list(req->db, req->arena, &v->f, &v->acts, &v->n_acts) < 0 ||
        action_count(req->db, v->c.id, &v->total) < 0)
        return page_error(req, res, 500, "Erreur", "Les actions n'ont pas pu être lues.");
    return 0;
}

/* "1.1.1", or "Piste" for a lead (which has no code yet). */
static const char *action_code(const struct action *x)
{
    return str_eq(x->kind, "lead") || !*x->code ? "Piste" : x->code;
}

/* One <select> of objectives of a level. */
static void objective_select(struct buf *b, struct arena *a, const struct list_view *v,
                             const char *name, const char *label, enum objective_level level,
                             long long selected)
{
    buf_printf(b, "<label>%h<select name=\"%h\"><option value=\"\">Tous</option>", label, name);
    for (int i = 0; i < v->n_objs; i++) {
        const struct objective *o = &v->objs[i];
        if (o->level != level)
            continue;
        buf_printf(b, "<option value=\"%lld\"%s>%h%s%h</option>", o->id,
                   o->id == selected ? " selected" : "", o->code, *o->code ? " — " : "",
                   text_short(a, o->title, 60));
    }
    buf_puts(b, "</select></label>");
}

static void option(struct buf *b, const char *value, const char *label, const char *selected)
{
    buf_printf(b, "<option value=\"%h\"%s>%h</option>", value,
               str_eq(value, selected) ? " selected" : "", label);
}

/* The filter form: every parameter of the list, labels above fields, sort kept hidden. */
static void filter_form(struct req *req, struct buf *b, const struct list_view *v,
                        const char *path)
{
    const struct action_filter *f = &v->f;
    struct organisation *orgs;
    int n_orgs;
    if (organisation_carriers(req->db, req->arena, v->c.id, &orgs, &n_orgs) < 0)
        n_orgs = 0;
    buf_printf(b, "<form method=\"get\" action=\"%h\" class=\"filters noprint\" "
                  "aria-label=\"Filtres\">",
               path);
    if (v->y.n_years) {
        buf_puts(b, "<label>Année<select name=\"year\">");
        for (int i = v->y.n_years - 1; i >= 0; i--)
            buf_printf(b, "<option value=\"%d\"%s>%d</option>", v->y.years[i],
                       v->y.years[i] == f->year ? " selected" : "", v->y.years[i]);
        buf_puts(b, "</select></label>");
    }
    objective_select(b, req->arena, v, "strategic", "Axe", OBJ_STRATEGIC, f->strategic_id);
    objective_select(b, req->arena, v, "specific", "Objectif spécifique", OBJ_SPECIFIC,
                     f->specific_id);
    objective_select(b, req->arena, v, "operational", "Objectif opérationnel", OBJ_OPERATIONAL,
                     f->operational_id);
    buf_puts(b, "<label>Type<select name=\"kind\"><option value=\"\">Tous</option>");
    option(b, "sheet", action_kind_label("sheet"), f->kind);
    option(b, "lead", action_kind_label("lead"), f->kind);
    buf_puts(b, "</select></label>");
    if (f->year)
        buf_printf(b, "<label>État en %d", f->year);
    else
        buf_puts(b, "<label>État");
    buf_puts(b, "<select name=\"status\"><option value=\"\">Tous</option>");
    for (int s = 0; s < ST_COUNT; s++)
        option(b, status_key((enum status)s), status_label((enum status)s), f->status);
    option(b, "done_any", "Réalisée (toutes)", f->status);
    option(b, "none", status_label(ST_NONE), f->status);
    buf_puts(b, "</select></label><label>Porteur<select name=\"carrier\">"
                "<option value=\"\">Tous</option>");
    for (int i = 0; i < n_orgs; i++)
        buf_printf(b, "<option value=\"%lld\"%s>%h</option>", orgs[i].id,
                   orgs[i].id == f->carrier_id ? " selected" : "",
                   text_short(req->arena, orgs[i].name, 50));
    buf_puts(b, "</select></label><label>Type de porteur<select name=\"carrier_type\">"
                "<option value=\"\">Tous</option>");
    for (int t = 0; organisation_types[t]; t++) {
        bool used = str_eq(organisation_types[t], f->carrier_type);
        for (int i = 0; i < n_orgs && !used; i++)
            used = str_eq(orgs[i].type, organisation_types[t]);
        if (used)
            option(b, organisation_types[t], organisation_type_label(organisation_types[t]),
                   f->carrier_type);
    }
    buf_printf(b, "</select></label><label class=\"check\"><input type=\"checkbox\" "
                  "name=\"no_carrier\" value=\"1\"%s> Sans porteur</label>"
                  "<label>Recherche<input type=\"search\" name=\"q\" value=\"%h\" "
                  "placeholder=\"code, intitulé, porteur\"></label>",
               f->no_carrier ? " checked" : "", f->text);
    /* The yearly plan of the action sheets (plan_pages.c). */
    buf_puts(b, "<label>Plan annuel<input type=\"number\" name=\"plan\" min=\"1990\" "
                "max=\"2100\" placeholder=\"tous\"");
    if (f->plan_year)
        buf_printf(b, " value=\"%d\"", f->plan_year);
    buf_puts(b, "></label>");
    if (f->sort)
        buf_printf(b, "<input type=\"hidden\" name=\"sort\" value=\"%h\"><input type=\"hidden\" "
                      "name=\"dir\" value=\"%s\">",
                   f->sort, f->desc ? "desc" : "asc");
    buf_printf(b, "<button type=\"submit\">Filtrer</button><a href=\"%h?year=%d\">Retirer les "
                  "filtres</a></form>",
               path, f->year);
}

/* A sortable column header: a link that keeps the filters and toggles the direction. */
static void sort_header(struct buf *b, struct arena *a, const struct action_filter *f,
                        const char *key, const char *label)
{
    const char *current = f->sort ? f->sort : "code";
    bool on = str_eq(current, key);
    struct action_filter g = *f;
    g.sort = key;
    g.desc = on && !f->desc;
    buf_printf(b, "<th scope=\"col\"%s><a href=\"%h\">%h%s</a></th>",
               on ? (f->desc ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : "",
               filter_list_href(a, &g), label, on ? (f->desc ? " ▼" : " ▲") : "");
}

int action_list_page(struct req *req, struct res *res)
{
    struct list_view v;
    int rc = load_list(req, res, &v);
    if (rc)
        return rc;
    char home[48], path[64];
    snprintf(home, sizeof home, "/contracts/%lld", v.c.id);
    snprintf(path, sizeof path, "/contracts/%lld/actions", v.c.id);
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {*v.c.short_title ? v.c.short_title : v.c.title, home},
                             {"Actions", NULL}};
    page_begin(res, "Actions du contrat", crumbs, 3);
    struct buf *b = &res->body;
    filter_form(req, b, &v, path);

    struct buf csv = {0};
    filter_url(&csv, "", &v.f);
    const char *q = buf_cstr(&csv);
    buf_printf(b, "<p class=\"count\" role=\"status\"><strong>%d action%s</strong> sur %d</p>",
               v.n_acts, v.n_acts > 1 ? "s" : "", v.total);
    buf_printf(b, "<ul class=\"links noprint\"><li><a href=\"%h.csv%h\">Exporter en CSV</a></li>"
                  "<li><a href=\"%h.csv%h%ssep=semicolon\">Exporter en CSV pour Excel "
                  "(point-virgule)</a></li>",
               path, q, path, q, *q ? "&amp;" : "?");
    if (auth_may(req, ROLE_COORDINATOR, v.c.id, false))
        buf_printf(b, "<li><a href=\"%h/new\">Nouvelle action</a></li>", path);
    buf_puts(b, "</ul>");
    buf_free(&csv);

    if (v.n_acts == 0) {
        buf_printf(b, "<p class=\"empty\">Aucune action ne correspond à ces filtres — retirez un "
                      "filtre ou <a href=\"%h?year=%d\">affichez toutes les actions</a>.</p>",
                   path, v.f.year);
        page_end(res);
        return 200;
    }
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"actions\"><thead><tr>");
    sort_header(b, req->arena, &v.f, "code", "Code");
    sort_header(b, req->arena, &v.f, "title", "Action");
    buf_puts(b, "<th scope=\"col\">Objectif opérationnel</th>");
    sort_header(b, req->arena, &v.f, "carrier", "Porteur");
    char state[32];
    if (v.f.year)
        snprintf(state, sizeof state, "État %d", v.f.year);
    else
        snprintf(state, sizeof state, "État");
    sort_header(b, req->arena, &v.f, "status", state);
    buf_puts(b, "</tr></thead><tbody>");
    for (int i = 0; i < v.n_acts; i++) {
        const struct action *x = &v.acts[i];
        buf_printf(b, "<tr><td>%h</td><td><a href=\"/actions/%lld\">%h</a></td><td>%h %h</td><td>",
                   action_code(x), x->id, x->title, x->objective_code, x->objective_title);
        if (x->carrier_id)
            buf_printf(b, "<a href=\"/organisations/%lld\">%h</a>", x->carrier_id,
                       x->carrier_name);
        else
            buf_puts(b, "<span class=\"muted\">sans porteur</span>");
        buf_puts(b, "</td><td>");
        page_status(b, x->status);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
    page_end(res);
    return 200;
}

int action_list_csv(struct req *req, struct res *res)
{
    struct list_view v;
    int rc = load_list(req, res, &v);
    if (rc)
        return rc;
    const char *sep_name = req_query(req, "sep");
    char sep = ',';
    if (str_eq(sep_name, "semicolon"))
        sep = ';';
    else if (!str_blank(sep_name) && !str_eq(sep_name, "comma"))
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « sep » vaut comma (virgule, par défaut) ou semicolon "
                          "(point-virgule, pour Excel en français).");
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    char *disp = arena_alloc(req->arena, 96);
    if (v.f.year)
        snprintf(disp, 96, "attachment; filename=\"actions-contrat-%lld-%d.csv\"", v.c.id,
                 v.f.year);
    else
        snprintf(disp, 96, "attachment; filename=\"actions-contrat-%lld.csv\"", v.c.id);
    res_header(res, "Content-Disposition", disp);
    struct buf *b = &res->body;
    if (sep == ';')
        buf_puts(b, "\xEF\xBB\xBF");
    char state[32] = "État", remarks[32] = "Remarques";
    if (v.f.year) {
        snprintf(state, sizeof state, "État %d", v.f.year);
        snprintf(remarks, sizeof remarks, "Remarques %d", v.f.year);
    }
    const char *head[] = {"Code",    "Type",           "Action", "Code objectif",
                          "Objectif opérationnel", "Porteur", "Type de porteur", state,
                          remarks};
    enum { N_COLS = sizeof head / sizeof head[0] };
    /* Remarks are not public unless the contract says so: the column is left out. */
    struct contract_meta meta = {0};
    bool with_remarks = auth_sees_private(req, v.c.id) ||
                        (contract_meta_get(req->db, v.c.id, &meta) == ERR_OK &&
                         meta.public_remarks);
    int n_cols = with_remarks ? N_COLS : N_COLS - 1;
    csv_write_row(b, head, n_cols, sep);
    for (int i = 0; i < v.n_acts; i++) {
        const struct action *x = &v.acts[i];
        const char *row[N_COLS] = {
            action_code(x),
            action_kind_label(x->kind),
            x->title,
            x->objective_code,
            x->objective_title,
            x->carrier_id ? x->carrier_name : "",
            x->carrier_id ? organisation_type_label(x->carrier_type) : "",
            x->status == ST_NONE ? "" : status_label(x->status),
            x->remarks,
        };
        csv_write_row(b, row, n_cols, sep);
    }
    return 200;
}

/* Organisations of an action in one role, as links separated by commas; "" when none. */
static void orgs_in_role(struct buf *b, const struct action *x, const char *role)
{
    bool first = true;
    for (int i = 0; i < x->n_orgs; i++) {
        if (!str_eq(x->orgs[i].role, role))
            continue;
        buf_printf(b, "%s<a href=\"/organisations/%lld\">%h</a>", first ? "" : ", ",
                   x->orgs[i].id, x->orgs[i].name);
        first = false;
    }
}

static bool has_role(const struct action *x, const char *role)
{
    for (int i = 0; i < x->n_orgs; i++)
        if (str_eq(x->orgs[i].role, role))
            return true;
    return false;
}

/* The status history, newest year first and, within a year, newest row first. */
static void timeline(struct buf *b, struct arena *a, const struct action *x, bool remarks,
                     bool people)
{
    buf_puts(b, "<h2 id=\"historique\">Historique de l'état d'avancement</h2>");
    if (x->n_history == 0) {
        buf_puts(b, "<p>Aucun état d'avancement n'a encore été enregistré pour cette action.</p>");
        return;
    }
    buf_puts(b, "<ol class=\"timeline\">");
    for (int i = x->n_history - 1; i >= 0;) {
        int year = x->history[i].year, first = i;
        buf_printf(b, "<li><h3>%d</h3>", year);
        for (; i >= 0 && x->history[i].year == year; i--) {
            const struct status_entry *e = &x->history[i];
            buf_puts(b, "<div class=\"entry\"><p>");
            page_status(b, e->status);
            if (*e->as_written && !str_eq(e->as_written, status_label(e->status)))
                buf_printf(b, " <span class=\"muted\">libellé d'origine : « %h »</span>",
                           e->as_written);
            if (i != first)
                buf_puts(b, " <span class=\"muted\">(remplacé ensuite)</span>");
            if (e->correction)
                buf_puts(b, " <strong class=\"correction\">Correction après la clôture de la "
                            "campagne</strong>");
            buf_puts(b, "</p>");
            if (remarks && *e->remarks)
                buf_printf(b, "<h4>Remarques</h4><p class=\"pre\">%h</p>", e->remarks);
            if (remarks && *e->recommendations)
                buf_printf(b, "<h4>Préconisations</h4><p class=\"pre\">%h</p>",
                           e->recommendations);
            buf_printf(b, "<p class=\"muted\">Enregistré le %h", date_fr(a, e->recorded_at));
            if (!e->account_id && *e->recorded_by)
                buf_printf(b, " — source : %h", e->recorded_by);
            else if (people && *e->recorded_by)
                buf_printf(b, " — par %h", e->recorded_by);
            buf_puts(b, "</p></div>");
        }
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ol>");
}

/* "CLS 2" when the generation is known, else "contrat précédent/suivant". */
static const char *cls_name(struct req *req, int generation, const char *otherwise)
{
    return generation ? edit_fmt(req->arena, "CLS %d", generation) : otherwise;
}

/* Where the action came from and where it went (model/contract_next.h): both histories stay
 * one link away. */
static void contract_links(struct req *req, struct buf *b, long long action_id)
{
    struct next_link from = {0}, to = {0};
    bool has_from = false, has_to = false, carried = false;
    struct next_recommendation r = {0};
    long long rec_contract = 0;
    int rec_generation = 0;
    if (next_action_links(req->db, req->arena, action_id, &from, &has_from, &to, &has_to) !=
            ERR_OK ||
        next_carried_from(req->db, req->arena, 0, action_id, &r, &rec_contract, &rec_generation,
                          &carried) != ERR_OK)
        return;
    if (!has_from && !has_to && !carried)
        return;
    buf_puts(b, "<section class=\"lineage\" aria-labelledby=\"lignee\"><h2 id=\"lignee\">"
                "D'un contrat à l'autre</h2><ul>");
    if (has_from)
        buf_printf(b,
                   "<li id=\"reprise\">%s de l'action <a href=\"/actions/%lld\">%h%s%h</a> du "
                   "%h (<a href=\"/actions/%lld#historique\">son historique d'états</a>)</li>",
                   str_eq(from.kind, "modified") ? "Reprise, modifiée," : "Reprise",
                   from.action_id, from.code, *from.code ? " — " : "", from.title,
                   cls_name(req, from.generation, "contrat précédent"), from.action_id);
    if (has_to)
        buf_printf(b,
                   "<li id=\"reconduite\">%s dans le %h : <a href=\"/actions/%lld\">%h%s%h</a>"
                   "</li>",
                   str_eq(to.kind, "modified") ? "Reprise et modifiée" : "Reconduite",
                   cls_name(req, to.generation, "contrat suivant"), to.action_id, to.code,
                   *to.code ? " — " : "", to.title);
    if (carried)
        buf_printf(b,
                   "<li id=\"recommandation\">Issue de la recommandation %d du <a href=\""
                   "/contracts/%lld\">%h</a> : « %h »</li>",
                   r.number, rec_contract, cls_name(req, rec_generation, "contrat précédent"),
                   r.title);
    buf_puts(b, "</ul></section>");
}

int action_page(struct req *req, struct res *res)
{
    struct action x;
    int rc = action_get(req->db, req->arena, req->ids[0], 0, &x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable",
                          "Aucune action ne porte ce numéro. Retrouvez-la dans la liste des "
                          "actions de son contrat.");
    struct contract c;
    struct objective *objs;
    int n_objs;
    if (rc < 0 || contract_get(req->db, req->arena, x.contract_id, &c) < 0 ||
        objective_list(req->db, req->arena, x.contract_id, &objs, &n_objs) < 0)
        return page_error(req, res, 500, "Erreur", "L'action n'a pas pu être lue.");

    /* The objective path: strategic, specific, operational (some may be missing). */
    int op = objective_index(objs, n_objs, x.objective_id);
    int path[3] = {objective_ancestor(objs, n_objs, op, OBJ_STRATEGIC),
                   objective_ancestor(objs, n_objs, op, OBJ_SPECIFIC),
                   objective_ancestor(objs, n_objs, op, OBJ_OPERATIONAL)};
    static const char *const names[] = {"Axe", "Objectif spécifique", "Objectif opérationnel"};
    struct crumb crumbs[6];
    int n = 0;
    crumbs[n++] = (struct crumb){"Contrats", "/"};
    char *home = arena_alloc(req->arena, 48);
    snprintf(home, 48, "/contracts/%lld", c.id);
    crumbs[n++] = (struct crumb){*c.short_title ? c.short_title : c.title, home};
    for (int k = 0; k < 3; k++) {
        if (path[k] < 0)
            continue;
        const struct objective *o = &objs[path[k]];
        char *href = arena_alloc(req->arena, 80);
        snprintf(href, 80, "/contracts/%lld/tree#obj-%lld", c.id, o->id);
        struct buf lab_text = {0};
        if (k == 0 && strncmp(o->code, "Axe", 3) == 0)
            buf_printf(&lab_text, "%s", o->code);
        else if (*o->code)
            buf_printf(&lab_text, "%s %s", names[k], o->code);
        else
            buf_printf(&lab_text, "%s", names[k]);
        crumbs[n++] = (struct crumb){arena_strdup(req->arena, buf_cstr(&lab_text)), href};
        buf_free(&lab_text);
    }
    crumbs[n++] = (struct crumb){*x.code ? x.code : "Piste d'action", NULL};
    page_begin(res, x.title, crumbs, n);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);

    /* Who may do what here: the same rule as the route table's, for the links and forms. */
    int version = 0;
    bool archived = false, carried = false;
    long long scope_contract_id = 0;
    struct contract_meta meta = {0};
    long long org = req->account ? req->account->organisation_id : 0;
    if (action_meta(req->db, x.id, &version, &archived) != ERR_OK ||
        contract_meta_get(req->db, c.id, &meta) != ERR_OK ||
        scope_action(req->db, x.id, org, &scope_contract_id, &carried) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "L'action n'a pas pu être lue.");
    bool may_edit = auth_may(req, ROLE_CARRIER, c.id, carried);
    bool priv = auth_sees_private(req, c.id);
    if (archived)
        buf_puts(b, "<p class=\"caution\">Cette action est archivée : elle n'apparaît plus dans "
                    "les listes, l'arbre ni les tableaux de bord.</p>");
    if (may_edit || auth_may(req, ROLE_SIGNED_IN, c.id, carried)) {
        buf_puts(b, "<ul class=\"links noprint\">");
        if (may_edit)
            buf_printf(b, "<li><a class=\"button\" href=\"/actions/%lld/edit\">Modifier "
                          "l'action</a></li><li><a href=\"#etat-form\">Enregistrer l'état "
                          "d'avancement</a></li>",
                       x.id);
        buf_printf(b, "<li><a href=\"/actions/%lld/history\">Historique des modifications</a>"
                      "</li></ul>",
                   x.id);
    }

    buf_printf(b, "<dl class=\"fields\"><dt>Type</dt><dd>%h</dd><dt>Code</dt><dd>%h</dd>"
                  "<dt>Intitulé</dt><dd>%h</dd>",
               action_kind_label(x.kind), *x.code ? x.code : "Pas encore de code (piste)",
               x.title);
    for (int k = 0; k < 3; k++) {
        if (path[k] < 0)
            continue;
        const struct objective *o = &objs[path[k]];
        struct action_filter f = {.contract_id = c.id};
        long long *id[] = {&f.strategic_id, &f.specific_id, &f.operational_id};
        *id[k] = o->id;
        buf_printf(b, "<dt>%h</dt><dd>%h%s%h <a class=\"noprint\" href=\"%h\">(actions de cet "
                      "objectif)</a></dd>",
                   names[k], o->code, *o->code ? " — " : "", o->title,
                   filter_list_href(req->arena, &f));
    }
    buf_puts(b, "<dt>Porteur</dt><dd>");
    if (has_role(&x, "carrier"))
        orgs_in_role(b, &x, "carrier");
    else
        buf_puts(b, "<span class=\"muted\">Sans porteur</span>");
    buf_puts(b, "</dd>");
    if (has_role(&x, "co_carrier")) {
        buf_puts(b, "<dt>Co-porteurs</dt><dd>");
        orgs_in_role(b, &x, "co_carrier");
        buf_puts(b, "</dd>");
    }
    buf_puts(b, "<dt>Partenaires</dt><dd>");
    if (has_role(&x, "partner"))
        orgs_in_role(b, &x, "partner");
    else
        buf_puts(b, "<span class=\"muted\">Aucun partenaire enregistré</span>");
    buf_puts(b, "</dd>");
    if (*x.carrier_label)
        buf_printf(b, "<dt>Porteur tel qu'écrit dans la source</dt><dd>%h</dd>",
                   x.carrier_label);
    if (*x.notes)
        buf_printf(b, "<dt>Notes</dt><dd class=\"pre\">%h</dd>", x.notes);
    buf_puts(b, "</dl>");
    /* Provenance is data, shown in French in one discreet line, never as a note. */
    if (*x.source_ref)
        buf_printf(b, "<p class=\"muted source\"><small>Source : %h</small></p>", x.source_ref);
    contract_links(req, b, x.id);
    sheet_section(req, res, &x, may_edit); /* the action sheet and indicators (sheet_pages.c) */
    funding_action_section(req, res, &x, may_edit); /* lines and calls (funding_pages.c) */
    timeline(b, req->arena, &x, priv || meta.public_remarks, priv || meta.public_people);
    governance_action_decisions(req, res, x.id);
    if (may_edit)
        action_status_section(req, res, &x);
    page_end(res);
    return 200;
}
