/* contract_pages.c — the list of contracts, a contract's home page and its strategy tree.
 * Must not contain SQL: data comes from src/model/; untrusted text goes out through %h / %u. */
#include <stdio.h>

#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/load.h"
#include "web/http/page.h"

int contract_index_page(struct req *req, struct res *res)
{
    struct contract *list;
    int n;
    if (contract_list(req->db, req->arena, &list, &n) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "La liste des contrats n'a pas pu être lue.");
    long long region = auth_region(req); /* an ARS officer starts here, even with one contract */
    if (n == 1 && region <= 0) {
        res->status = 303;
        char *loc = arena_alloc(req->arena, 32);
        snprintf(loc, 32, "/contracts/%lld", list[0].id);
        res_header(res, "Location", loc);
        return 303;
    }
    page_begin(res, "Contrats locaux de santé", NULL, 0);
    if (region)
        buf_puts(&res->body, "<p><a href=\"/regions\">Vue régionale : les contrats d'une région "
                             "côte à côte</a></p>");
    if (n == 0)
        buf_puts(&res->body, "<p>Aucun contrat pour l'instant. Chargez le contrat de "
                             "démonstration avec <code>boussole demo</code> ou importez un "
                             "tableau de suivi avec <code>boussole import</code>.</p>");
    buf_puts(&res->body, "<ul>");
    for (int i = 0; i < n; i++)
        buf_printf(&res->body, "<li><a href=\"/contracts/%lld\">%h</a> — %h</li>", list[i].id,
                   list[i].title, list[i].territory.name);
    buf_puts(&res->body, "</ul>");
    page_end(res);
    return 200;
}

/* What the home page and the tree both need: the contract, its years and its objectives. */
struct contract_view {
    struct contract c;
    struct year_choice y;
    struct objective *objs;
    int n_objs;
};

/* Loads the contract of the route's id; on failure the error page is written and the HTTP
 * status returned (0 on success). */
static int load_view(struct req *req, struct res *res, struct contract_view *v)
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
    return 0;
}

static const char *contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

/* The GET form choosing the year a page shows. */
static void year_form(struct buf *b, const char *action, const struct year_choice *y)
{
    if (y->n_years == 0)
        return;
    buf_printf(b, "<form method=\"get\" action=\"%h\" class=\"filters noprint\">"
                  "<label>Année<select name=\"year\">",
               action);
    bool listed = false;
    for (int i = y->n_years - 1; i >= 0; i--) {
        listed |= y->years[i] == y->year;
        buf_printf(b, "<option value=\"%d\"%s>%d</option>", y->years[i],
                   y->years[i] == y->year ? " selected" : "", y->years[i]);
    }
    if (!listed && y->year)
        buf_printf(b, "<option value=\"%d\" selected>%d</option>", y->year, y->year);
    buf_puts(b, "</select></label><button type=\"submit\">Afficher</button></form>");
}

/* An objective's heading text: "Axe 1 — title" or "Objectif spécifique 3 — title". */
static void objective_heading(struct buf *b, const struct objective *o)
{
    if (o->level == OBJ_STRATEGIC && *o->code)
        buf_printf(b, "%h — %h", o->code, o->title);
    else if (*o->code)
        buf_printf(b, "%h %h — %h", objective_level_label(o->level), o->code, o->title);
    else
        buf_printf(b, "%h — %h", objective_level_label(o->level), o->title);
}

/* Counts per status (index ST_COUNT: no status) of a set of actions. */
struct tally {
    int total, by_status[ST_COUNT + 1];
};

static void tally_add(struct tally *t, enum status s)
{
    t->total++;
    t->by_status[s == ST_NONE ? ST_COUNT : s]++;
}

/* The counts of a tally as a list of badges, each count linking to the filtered list. */
static void tally_list(struct buf *b, struct arena *a, const struct tally *t,
                       struct action_filter f)
{
    buf_puts(b, "<ul class=\"counts\">");
    for (int s = 0; s <= ST_COUNT; s++) {
        if (!t->by_status[s])
            continue;
        enum status st = s == ST_COUNT ? ST_NONE : (enum status)s;
        f.status = s == ST_COUNT ? "none" : status_key(st);
        buf_puts(b, "<li>");
        page_status(b, st);
        buf_printf(b, " <a href=\"%h\">%d</a></li>", filter_list_href(a, &f), t->by_status[s]);
    }
    buf_puts(b, "</ul>");
}

/* people: whether the representatives' names may be shown (see auth_sees_private). */
static void signatories_table(struct buf *b, struct arena *a, const struct signatory *s, int n,
                              bool people)
{
    buf_puts(b, "<h2 id=\"signataires\">Signataires</h2>");
    if (n == 0) {
        buf_puts(b, "<p>Aucun signataire n'est enregistré pour ce contrat.</p>");
        return;
    }
    if (!people)
        buf_puts(b, "<p class=\"muted\">Les noms des représentants ne sont visibles que des "
                    "personnes connectées.</p>");
    buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Institution</th>"
                "<th scope=\"col\">Représentant</th><th scope=\"col\">Qualité</th>"
                "<th scope=\"col\">Représenté par</th><th scope=\"col\">Signé le</th>"
                "<th scope=\"col\">Note</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<tr><th scope=\"row\">");
        if (s[i].organisation_id)
            buf_printf(b, "<a href=\"/organisations/%lld\">%h</a>", s[i].organisation_id,
                       s[i].institution);
        else
            buf_printf(b, "%h", s[i].institution);
        buf_printf(b, "</th><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h",
                   people ? s[i].representative_name : "", s[i].representative_title,
                   people ? s[i].represented_by : "", date_fr(a, s[i].signed_on), s[i].note);
        /* Provenance in French, in a discreet line under the note. */
        if (s[i].source_ref && *s[i].source_ref)
            buf_printf(b, "<br><small class=\"muted source\">Source : %h</small>",
                       s[i].source_ref);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* Overall counts of the year as a table: status, number (link), share. */
static void overall_table(struct buf *b, struct arena *a, const struct tally *t,
                          struct action_filter f)
{
    buf_printf(b, "<div class=\"table-wrap\"><table class=\"summary\"><caption>État "
                  "d'avancement des %d actions en %d</caption><thead><tr><th scope=\"col\">État"
                  "</th><th scope=\"col\" class=\"num\">Actions</th><th scope=\"col\" "
                  "class=\"num\">Part</th></tr></thead><tbody>",
               t->total, f.year);
    for (int s = 0; s <= ST_COUNT; s++) {
        enum status st = s == ST_COUNT ? ST_NONE : (enum status)s;
        if (s == ST_COUNT && !t->by_status[s])
            continue;
        f.status = s == ST_COUNT ? "none" : status_key(st);
        buf_puts(b, "<tr><th scope=\"row\">");
        page_status(b, st);
        buf_printf(b, "</th><td class=\"num\"><a href=\"%h\">%d</a></td><td class=\"num\">"
                      "%.0f&nbsp;%%</td></tr>",
                   filter_list_href(a, &f), t->by_status[s],
                   t->total ? 100.0 * t->by_status[s] / t->total : 0.0);
    }
    f.status = "done_any";
    int done = t->by_status[ST_DONE_CLOSED] + t->by_status[ST_DONE_RECURRING] +
               t->by_status[ST_DONE];
    buf_printf(b, "</tbody><tfoot><tr><th scope=\"row\">Toutes les réalisées</th><td "
                  "class=\"num\"><a href=\"%h\">%d</a></td><td class=\"num\">%.0f&nbsp;%%"
                  "</td></tr></tfoot></table></div>",
               filter_list_href(a, &f), done, t->total ? 100.0 * done / t->total : 0.0);
}

int contract_home_page(struct req *req, struct res *res)
{
    struct contract_view v;
    int rc = load_view(req, res, &v);
    if (rc)
        return rc;
    struct action_filter f = {.contract_id = v.c.id, .year = v.y.year};
    struct action *acts;
    int n_acts;
    struct signatory *sigs;
    int n_sigs;
    if (action_list(req->db, req->arena, &f, &acts, &n_acts) < 0 ||
        contract_signatories(req->db, req->arena, v.c.id, &sigs, &n_sigs) < 0)
        return page_error(req, res, 500, "Erreur",
                          "Les actions du contrat n'ont pas pu être lues.");

    /* One tally per objective (only the specific ones are filled) and one overall. */
    struct tally *per = arena_alloc(req->arena, sizeof *per * (size_t)(v.n_objs + 1));
    struct tally all = {0};
    for (int i = 0; i < n_acts; i++) {
        tally_add(&all, acts[i].status);
        int o = objective_index(v.objs, v.n_objs, acts[i].objective_id);
        int s = objective_ancestor(v.objs, v.n_objs, o, OBJ_SPECIFIC);
        if (s >= 0)
            tally_add(&per[s], acts[i].status);
    }

    struct contract_meta meta = {0};
    if (contract_meta_get(req->db, v.c.id, &meta) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Le contrat n'a pas pu être lu.");
    bool coordinator = auth_may(req, ROLE_COORDINATOR, v.c.id, false);
    struct crumb crumbs[] = {{"Contrats", "/"}, {contract_name(&v.c), NULL}};
    page_begin(res, v.c.title, crumbs, 2);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    if (coordinator)
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"/contracts/"
                      "%lld/edit\">Modifier le contrat</a></li><li><a href=\"/contracts/%lld/"
                      "actions/new\">Nouvelle action</a></li><li><a href=\"/contracts/%lld/"
                      "audit\">Journal des modifications</a></li><li><a href=\"/contracts/%lld/"
                      "accounts\">Comptes et invitations</a></li></ul>",
                   v.c.id, v.c.id, v.c.id, v.c.id);
    next_contract_notice(req, b, v.c.id, coordinator);
    if (coordinator) /* the yearly update campaigns (web/campaign) */
        buf_printf(b,
                   "<p class=\"noprint\"><a href=\"/contracts/%lld/campaigns\">Campagnes de "
                   "mise à jour annuelle</a> : liens personnels aux porteurs, taux de "
                   "réponse</p>",
                   v.c.id);
    if (coordinator) /* the evaluation questionnaires (web/survey) */
        buf_printf(b,
                   "<p class=\"noprint\"><a href=\"/contracts/%lld/surveys\">Questionnaires "
                   "d'évaluation</a> : liens personnels aux porteurs, résultats</p>",
                   v.c.id);
    buf_printf(b, "<p class=\"lede\">Territoire : <strong>%h</strong>", v.c.territory.name);
    if (v.c.start_year)
        buf_printf(b, " · Période : <strong>%d–%d</strong>", v.c.start_year, v.c.end_year);
    if (*v.c.signed_on)
        buf_printf(b, " · Signé le <strong>%h</strong>", date_fr(req->arena, v.c.signed_on));
    buf_puts(b, "</p>");
    char path[64];
    snprintf(path, sizeof path, "/contracts/%lld", v.c.id);
    buf_printf(b,
               "<ul class=\"links noprint\"><li><a href=\"%h/tree?year=%d\">Arbre de la "
               "stratégie</a></li><li><a href=\"%h\">Liste des %d actions</a></li>"
               "<li><a href=\"%h/dashboard?year=%d\">Tableau de bord %d</a></li>"
               "<li><a href=\"%h/open-data\">Données ouvertes</a></li>"
               "<li><a href=\"#signataires\">Signataires</a></li></ul>",
               path, v.y.year, filter_list_href(req->arena, &f), n_acts, path, v.y.year, v.y.year,
               path);
    buf_printf(b,
               "<p class=\"noprint\"><a href=\"%h/directory\">Annuaire : qui appeler, pour "
               "quel public et où</a></p>",
               path);
    if (auth_may(req, ROLE_SIGNED_IN, v.c.id, false))
        buf_printf(b, "<p class=\"noprint\"><a class=\"button\" href=\"%h/report?year=%d\">"
                      "Bilan d'exécution %d (PDF, ODT)</a></p>",
                   path, v.y.year ? v.y.year : action_current_year(req),
                   v.y.year ? v.y.year : action_current_year(req));
    if (auth_may(req, ROLE_SIGNED_IN, v.c.id, false))
        buf_printf(b,
                   "<p class=\"noprint\"><a href=\"%h/evaluation\">Évaluation finale du "
                   "contrat (AFOM, recommandations, PDF, ODT)</a></p>",
                   path);
    sheet_home_notice(req, res, v.c.id); /* workload warning, Gantt, plan (gantt_pages.c) */
    funding_home_calls(req, res, v.c.id); /* funding call deadlines (funding_pages.c) */
    year_form(b, path, &v.y);
    if (*v.c.general_objective)
        buf_printf(b, "<h2>Objectif général</h2><p>%h</p>", v.c.general_objective);
    if (v.y.year)
        overall_table(b, req->arena, &all, f);

    /* Each strategic objective with its specific ones as cards; specific objectives without an
     * axis come last under a heading of their own. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < v.n_objs; i++) {
            const struct objective *axis = &v.objs[i];
            if (pass == 0 && axis->level != OBJ_STRATEGIC)
                continue;
            if (pass == 1 && i > 0)
                break;
            bool opened = false;
            for (int j = 0; j < v.n_objs; j++) {
                const struct objective *o = &v.objs[j];
                if (o->level != OBJ_SPECIFIC)
                    continue;
                int anc = objective_ancestor(v.objs, v.n_objs, j, OBJ_STRATEGIC);
                if (pass == 0 ? anc != i : anc >= 0)
                    continue;
                if (!opened) {
                    buf_puts(b, "<h2>");
                    if (pass == 0)
                        objective_heading(b, axis);
                    else
                        buf_puts(b, "Autres objectifs spécifiques");
                    buf_puts(b, "</h2><ul class=\"cards\">");
                    opened = true;
                }
                struct action_filter fs = f;
                fs.specific_id = o->id;
                buf_printf(b, "<li class=\"card\"><h3><a href=\"%h/tree?year=%d#obj-%lld\">",
                           path, v.y.year, o->id);
                objective_heading(b, o);
                buf_printf(b, "</a></h3><p><a href=\"%h\">%d action%s</a>",
                           filter_list_href(req->arena, &fs), per[j].total,
                           per[j].total > 1 ? "s" : "");
                if (v.y.year && per[j].total)
                    buf_printf(b, " — état en %d :</p>", v.y.year);
                else
                    buf_puts(b, "</p>");
                if (v.y.year)
                    tally_list(b, req->arena, &per[j], fs);
                buf_puts(b, "</li>");
            }
            if (opened)
                buf_puts(b, "</ul>");
        }
    }
    governance_contract_summary(req, res, v.c.id);
    communication_home_notice(req, res, &v.c);
    signatories_table(b, req->arena, sigs, n_sigs,
                      auth_sees_private(req, v.c.id) || meta.public_people);
    page_end(res);
    return 200;
}

/* One objective of the tree with its sub-objectives and its actions, recursively. */
static void tree_node(struct buf *b, const struct objective *objs, int n_objs, int i,
                      const struct action *acts, int n_acts, int depth, bool edit)
{
    const struct objective *o = &objs[i];
    /* The objective's page shows its indicators and those of its actions (objective_pages.c). */
    buf_printf(b, "<li id=\"obj-%lld\"><span class=\"obj obj-%h\"><a href=\"/objectives/%lld\">",
               o->id, objective_level_key(o->level), o->id);
    objective_heading(b, o);
    buf_puts(b, "</a></span>");
    if (edit)
        buf_printf(b, " <a class=\"edit-link noprint\" href=\"/objectives/%lld/edit\">Modifier"
                      "<span class=\"visually-hidden\"> l'objectif %h</span></a>",
                   o->id, *o->code ? o->code : o->title);
    bool opened = false;
    for (int j = 0; j < n_objs && depth < 8; j++) {
        if (objs[j].parent_id != o->id)
            continue;
        if (!opened)
            buf_puts(b, "<ul>");
        opened = true;
        tree_node(b, objs, n_objs, j, acts, n_acts, depth + 1, edit);
    }
    if (opened)
        buf_puts(b, "</ul>");
    opened = false;
    for (int k = 0; k < n_acts; k++) {
        const struct action *x = &acts[k];
        if (x->objective_id != o->id)
            continue;
        if (!opened)
            buf_puts(b, "<ul class=\"actions\">");
        opened = true;
        buf_printf(b, "<li><span class=\"code\">%h</span> <a href=\"/actions/%lld\">%h</a> — ",
                   str_eq(x->kind, "lead") || !*x->code ? "Piste" : x->code, x->id, x->title);
        if (x->carrier_id)
            buf_printf(b, "<a href=\"/organisations/%lld\">%h</a> ", x->carrier_id,
                       x->carrier_name);
        else
            buf_puts(b, "<span class=\"muted\">sans porteur</span> ");
        page_status(b, x->status);
        buf_puts(b, "</li>");
    }
    if (opened)
        buf_puts(b, "</ul>");
    buf_puts(b, "</li>");
}

int contract_tree_page(struct req *req, struct res *res)
{
    struct contract_view v;
    int rc = load_view(req, res, &v);
    if (rc)
        return rc;
    struct action_filter f = {.contract_id = v.c.id, .year = v.y.year};
    struct action *acts;
    int n_acts;
    if (action_list(req->db, req->arena, &f, &acts, &n_acts) < 0)
        return page_error(req, res, 500, "Erreur",
                          "Les actions du contrat n'ont pas pu être lues.");
    char path[64];
    snprintf(path, sizeof path, "/contracts/%lld", v.c.id);
    struct crumb crumbs[] = {
        {"Contrats", "/"}, {contract_name(&v.c), path}, {"Arbre de la stratégie", NULL}};
    page_begin(res, "Arbre de la stratégie", crumbs, 3);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    bool coordinator = auth_may(req, ROLE_COORDINATOR, v.c.id, false);
    if (coordinator)
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"%h/"
                      "objectives/new\">Ajouter un objectif</a></li><li><a href=\"%h/actions/"
                      "new\">Nouvelle action</a></li></ul>",
                   path, path);
    buf_printf(b, "<p class=\"lede\">%h : objectifs et actions", v.c.title);
    if (v.y.year)
        buf_printf(b, ", avec l'état d'avancement de %d", v.y.year);
    buf_printf(b, ".</p><ul class=\"links noprint\"><li><a href=\"%h\">Liste des actions</a>"
                  "</li><li><a href=\"%h/dashboard?year=%d\">Tableau de bord %d</a></li></ul>",
               filter_list_href(req->arena, &f), path, v.y.year, v.y.year);
    char tree_path[80];
    snprintf(tree_path, sizeof tree_path, "%s/tree", path);
    year_form(b, tree_path, &v.y);
    if (v.n_objs == 0) {
        buf_puts(b, "<p>Ce contrat n'a pas encore d'objectifs. Importez un tableau de suivi avec "
                    "<code>boussole import</code> pour les créer.</p>");
    } else {
        buf_puts(b, "<div class=\"tree\"><ul>");
        for (int i = 0; i < v.n_objs; i++)
            if (!v.objs[i].parent_id ||
                objective_index(v.objs, v.n_objs, v.objs[i].parent_id) < 0)
                tree_node(b, v.objs, v.n_objs, i, acts, n_acts, 0, coordinator);
        buf_puts(b, "</ul></div>");
    }
    page_end(res);
    return 200;
}
