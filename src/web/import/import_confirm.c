/* import_confirm.c — the import's preview and confirmation: the first rows as the mapping reads
 * them, the plan of every change (each new action, organisation and replaced status with its
 * choice), then the confirmed plan imported all or nothing by tracking_apply and its summary.
 * Must not contain SQL. Every text goes out through %h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/text.h"
#include "format/data/csv.h"
#include "format/data/text_sniff.h"
#include "format/xlsx/xlsx.h"
#include "model/account/account.h"
#include "model/core/contract.h"
#include "model/import/import_upload.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/load.h"
#include "web/http/multipart.h"
#include "web/http/page.h"
#include "web/import/import_internal.h"

/* The rows as the mapping reads them, with what a quick look finds wrong. */
static void preview_table(struct req *req, struct buf *b, long long contract_id,
                          const struct tracking_row *rows, int n, int *problems)
{
    struct tracking_preview *p;
    *problems = 0;
    if (tracking_preview_rows(req->db, req->arena, contract_id, rows, n, PREVIEW_ROWS, &p) !=
        ERR_OK)
        return;
    int shown = n < PREVIEW_ROWS ? n : PREVIEW_ROWS;
    buf_printf(b,
               "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Aperçu"
               "\"><table class=\"grid\"><caption>Les %d premières "
               "lignes telles qu'elles seront lues (%d en tout)</caption><thead><tr>"
               "<th scope=\"col\">Ligne</th>",
               shown, n);
    static const enum tracking_column cols[] = {TRK_OBJECTIVE_CODE, TRK_SHEET,  TRK_ACTION,
                                                TRK_CARRIER,        TRK_STATUS, TRK_REMARKS};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        buf_printf(b, "<th scope=\"col\">%h</th>", tracking_map_label(cols[k]));
    buf_puts(b, "<th scope=\"col\">Remarque de l'import</th></tr></thead><tbody>");
    for (int i = 0; i < shown; i++) {
        *problems += p[i].problem != NULL;
        buf_printf(b, "<tr%s><th scope=\"row\">%d</th>", p[i].problem ? " class=\"bad\"" : "",
                   rows[i].line);
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            buf_printf(b, "<td>%h</td>", text_short(req->arena, rows[i].cells[cols[k]], 60));
        if (p[i].problem)
            buf_printf(b, "<td class=\"problem\">%h</td></tr>", p[i].problem);
        else
            buf_printf(b, "<td>%s</td></tr>", p[i].is_new ? "nouvelle action" : "");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* ---- the plan: every change, with the coordinator's choices ------------------------------- */

/* A form field named prefix + line ("org_7"), NULL when not sent. */
static const char *line_field(struct req *req, const char *prefix, int line)
{
    char name[40];
    snprintf(name, sizeof name, "%s%d", prefix, line);
    return req_form(req, name);
}

/* The rows the coordinator attached to existing actions: kept from the previous preview
 * (link_LINE) and chosen in this one (action_LINE=ID). *chosen: some were chosen now. */
static void form_links(struct req *req, struct tracking_import *opt, bool *chosen)
{
    struct tracking_link *links = arena_alloc(req->arena, sizeof *links * (REQ_MAX_FORM + 1));
    int n = 0;
    *chosen = false;
    for (int i = 0; i < req->n_form && n < REQ_MAX_FORM; i++) {
        const char *k = req->form[i].key;
        bool kept = strncmp(k, "link_", 5) == 0, now = strncmp(k, "action_", 7) == 0;
        long long line, id;
        if ((!kept && !now) || str_to_ll(k + (kept ? 5 : 7), 1, 10000000, &line) != ERR_OK ||
            str_to_ll(req->form[i].value, 1, (long long)1e15, &id) != ERR_OK)
            continue;
        links[n++] = (struct tracking_link){(int)line, id};
        *chosen = *chosen || now;
    }
    opt->links = links;
    opt->n_links = n;
}

/* The choices sent with the plan's form, onto plan (the defaults stay for what is not sent). */
static void form_choices(struct req *req, struct tracking_plan *plan)
{
    for (int i = 0; i < plan->n_orgs; i++) {
        const char *v = line_field(req, "org_", plan->orgs[i].line);
        long long id;
        if (v && strcmp(v, "new") == 0)
            plan->orgs[i].choice = 0;
        else if (v && str_to_ll(v, 1, (long long)1e15, &id) == ERR_OK)
            plan->orgs[i].choice = id;
    }
    for (int i = 0; i < plan->n_statuses; i++) {
        const char *v = line_field(req, "status_", plan->statuses[i].line);
        if (v)
            plan->statuses[i].keep = strcmp(v, "keep") == 0;
    }
    for (int i = 0; i < plan->n_actions; i++) {
        const char *v = line_field(req, "action_", plan->actions[i].line);
        plan->actions[i].refuse = v && strcmp(v, "refuse") == 0;
    }
}

static bool plan_changes(const struct tracking_plan *p)
{
    return p->n_actions || p->n_orgs || p->n_carriers || p->n_statuses || p->statuses_added;
}

static void radio(struct buf *b, const char *name, const char *value, bool checked,
                  const char *label)
{
    buf_printf(b,
               "<div class=\"choice\"><input type=\"radio\" id=\"%h-%h\" name=\"%h\" "
               "value=\"%h\"%s><label for=\"%h-%h\">%h</label></div>",
               name, value, name, value, checked ? " checked" : "", name, value, label);
}

/* The plan grouped by kind with counts, each new action, new organisation and replaced status
 * with its choices (inside the import form). */
static void plan_view(struct req *req, struct buf *b, const struct tracking_plan *p,
                      const struct tracking_import *opt)
{
    struct arena *a = req->arena;
    buf_printf(b,
               "<h2 id=\"plan\">Ce que l'import va changer</h2><table class=\"summary\">"
               "<caption>%d ligne%s lue%s</caption><tbody>",
               p->rows, p->rows > 1 ? "s" : "", p->rows > 1 ? "s" : "");
    const struct {
        const char *label;
        int v;
    } counts[] = {
        {"Actions nouvelles", p->n_actions},  {"Organisations nouvelles", p->n_orgs},
        {"Porteurs changés", p->n_carriers},  {"États remplacés", p->n_statuses},
        {"États ajoutés", p->statuses_added}, {"Lignes sans changement", p->unchanged},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%d</td></tr>",
                   counts[i].label, counts[i].v);
    buf_puts(b, "</tbody></table>");
    for (int i = 0; i < opt->n_links; i++)
        form_hidden(b, edit_fmt(a, "link_%d", opt->links[i].line),
                    edit_fmt(a, "%lld", opt->links[i].action_id));
    if (opt->n_links) {
        buf_printf(b,
                   "<p>%d ligne%s rattachée%s à une action existante : ses changements sont "
                   "comptés ci-dessus. Pour revenir sur un rattachement, prévisualisez de "
                   "nouveau.</p>",
                   opt->n_links, opt->n_links > 1 ? "s" : "", opt->n_links > 1 ? "s" : "");
    }
    if (p->n_actions) {
        buf_printf(b,
                   "<h3>Actions nouvelles (%d)</h3><p class=\"help\">Aucune action du contrat "
                   "n'a ce numéro de fiche ou cet intitulé (sans tenir compte des accents, "
                   "des majuscules ni de la ponctuation).</p>",
                   p->n_actions);
        for (int i = 0; i < p->n_actions; i++) {
            const struct tracking_new_action *x = &p->actions[i];
            const char *name = edit_fmt(a, "action_%d", x->line);
            if (i >= PLAN_CHOICES) {
                buf_printf(b, "<p>Ligne %d : « %h » : créée.</p>", x->line, x->title);
                continue;
            }
            buf_printf(b,
                       "<fieldset class=\"field plan-item\"><legend>Ligne %d : « %h » "
                       "(objectif %h%s%h)</legend>",
                       x->line, x->title, x->objective_code, *x->code ? ", " : "", x->code);
            radio(b, name, "new", !x->refuse, "Créer cette action");
            for (int k = 0; k < x->n_proposals; k++)
                radio(b, name, edit_fmt(a, "%lld", x->proposals[k].id), false,
                      edit_fmt(a, "C'est l'action existante « %s » (proche à %d %%)",
                               x->proposals[k].label, x->proposals[k].score));
            radio(b, name, "refuse", x->refuse, "Refuser cette ligne (rien n'en est importé)");
            buf_puts(b, "</fieldset>");
        }
    }
    if (p->n_orgs) {
        buf_printf(b,
                   "<h3>Organisations nouvelles (%d)</h3><p class=\"help\">Aucune "
                   "organisation de l'annuaire n'a ce nom, ce sigle ou cet autre nom. "
                   "Créez-la, ou dites laquelle c'est.</p>",
                   p->n_orgs);
        for (int i = 0; i < p->n_orgs; i++) {
            const struct tracking_new_org *o = &p->orgs[i];
            const char *name = edit_fmt(a, "org_%d", o->line);
            if (i >= PLAN_CHOICES) {
                buf_printf(b, "<p>« %h » (ligne %d) : %s.</p>", o->name, o->line,
                           o->choice ? "lue comme la plus proche" : "créée");
                continue;
            }
            buf_printf(b,
                       "<fieldset class=\"field plan-item\"><legend>« %h » (ligne %d%h)"
                       "</legend>",
                       o->name, o->line,
                       o->n_rows > 1 ? edit_fmt(a, " et %d autres", o->n_rows - 1) : "");
            radio(b, name, "new", o->choice == 0, edit_fmt(a, "Créer « %s »", o->name));
            for (int k = 0; k < o->n_proposals; k++)
                radio(b, name, edit_fmt(a, "%lld", o->proposals[k].id),
                      o->choice == o->proposals[k].id,
                      edit_fmt(a, "C'est « %s » (proche à %d %%)", o->proposals[k].label,
                               o->proposals[k].score));
            buf_puts(b, "</fieldset>");
        }
    }
    if (p->n_carriers) {
        buf_printf(b,
                   "<h3>Porteurs changés (%d)</h3><div class=\"table-wrap\" tabindex=\"0\" "
                   "role=\"region\" aria-label=\"Porteurs changés\"><table class=\"grid\">"
                   "<thead><tr><th scope=\"col\">Ligne</th><th scope=\"col\">Action</th>"
                   "<th scope=\"col\">Porteur actuel</th><th scope=\"col\">Nouveau porteur"
                   "</th></tr></thead><tbody>",
                   p->n_carriers);
        for (int i = 0; i < p->n_carriers; i++) {
            const struct tracking_carrier_change *c = &p->carriers[i];
            buf_printf(b,
                       "<tr><th scope=\"row\">%d</th><td>%h</td><td>%h</td><td>%h%s</td>"
                       "</tr>",
                       c->line, c->action, *c->old_name ? c->old_name : "aucun", c->new_name,
                       c->new_org >= 0 ? " (organisation nouvelle : selon votre choix "
                                         "ci-dessus)"
                                       : "");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    if (p->n_statuses) {
        buf_printf(b,
                   "<h3>États %d remplacés (%d)</h3><p class=\"help\">Ces actions ont "
                   "déjà un état %d ; l'ancien reste dans l'historique.</p>",
                   opt->year, p->n_statuses, opt->year);
        for (int i = 0; i < p->n_statuses; i++) {
            const struct tracking_status_change *s = &p->statuses[i];
            const char *name = edit_fmt(a, "status_%d", s->line);
            if (i >= PLAN_CHOICES) {
                buf_printf(b, "<p>Ligne %d : « %h » : %h, saisi par %h → %h : %s.</p>", s->line,
                           s->action, s->old_status, s->old_by, s->new_status,
                           s->keep ? "gardé" : "remplacé");
                continue;
            }
            buf_printf(b,
                       "<fieldset class=\"field plan-item%s\"><legend>Ligne %d : « %h » : "
                       "%h, saisi par %h le %h → %h</legend>",
                       s->by_other ? " has-error" : "", s->line, s->action, s->old_status,
                       *s->old_by ? s->old_by : "inconnu", edit_fmt(a, "%.10s", s->old_at),
                       s->new_status);
            if (s->by_other)
                buf_puts(b, "<p class=\"problem\">Saisi par un autre compte que le vôtre "
                            "(un porteur ?) : gardé sauf si vous choisissez de le remplacer."
                            "</p>");
            radio(b, name, "replace", !s->keep, "Remplacer par l'état du tableau");
            radio(b, name, "keep", s->keep, "Garder l'état saisi");
            buf_puts(b, "</fieldset>");
        }
    }
}

/* The whole second step; errors: the import's refusal (NULL for none). */
void imp_mapping_view(struct req *req, struct res *res, const struct contract *c,
                      const struct upload *u, int year, const struct tracking_map *m,
                      const char *map_error, const struct tracking_result *errors,
                      const char *notice)
{
    char title[160];
    snprintf(title, sizeof title, "Importer « %s »", u->filename);
    edit_begin(req, res, c, title, "Importer un tableau de suivi",
               edit_fmt(req->arena, "/contracts/%lld/import", c->id), "Colonnes");
    struct buf *b = &res->body;
    const char *self = edit_fmt(req->arena, "/contracts/%lld/import/%lld", c->id, u->id);
    if (errors && errors->n_errors) {
        buf_printf(b,
                   "<div class=\"error-summary\" role=\"alert\"><h2>Rien n'a été importé : "
                   "%d problème%s</h2><ul>",
                   errors->n_errors, errors->n_errors > 1 ? "s" : "");
        for (int i = 0; i < errors->n_errors && i < MAX_ERRORS_SHOWN; i++)
            buf_printf(b, "<li>%h</li>", tracking_error_text(&errors->errors[i], req->arena));
        buf_puts(b, "</ul><p>Corrigez le fichier et envoyez-le de nouveau, ou changez les "
                    "colonnes ci-dessous.</p></div>");
    }
    if (map_error)
        buf_printf(b,
                   "<div class=\"error-summary\" role=\"alert\"><h2>Correspondance "
                   "invalide</h2><p>%h</p></div>",
                   map_error);
    int width = 0;
    for (int i = 0; i < u->grid.n_rows && i < SHEET_ROWS; i++)
        width = u->grid.rows[i].n > width ? u->grid.rows[i].n : width;
    width = width > 26 ? 26 : width;

    buf_printf(b, "<form class=\"edit\" method=\"get\" action=\"%h\">", self);
    if (u->n_sheets > 1) {
        buf_puts(b, "<div class=\"field\"><label for=\"f-sheet\">Feuille</label><select "
                    "id=\"f-sheet\" name=\"sheet\">");
        for (int i = 0; i < u->n_sheets; i++)
            buf_printf(b, "<option value=\"%d\"%s>%h</option>", i,
                       i == u->sheet ? " selected" : "", u->sheets[i]);
        buf_puts(b, "</select></div>");
    }
    imp_year_select(req, b, year);
    struct tracking_saved_map *saved;
    int n_saved;
    if (tracking_map_list(req->db, req->arena, c->id, &saved, &n_saved) == ERR_OK && n_saved) {
        buf_puts(b, "<div class=\"field\"><label for=\"f-map\">Correspondance enregistrée"
                    "</label><select id=\"f-map\" name=\"map\"><option value=\"\">— choisir "
                    "les colonnes ci-dessous —</option>");
        for (int i = 0; i < n_saved; i++)
            buf_printf(b, "<option value=\"%h\">%h (%h)</option>", saved[i].name, saved[i].name,
                       saved[i].spec);
        buf_puts(b, "</select></div>");
    }
    imp_sheet_table(b, req->arena, &u->grid, width);
    imp_map_fields(b, &u->grid, width, m);
    buf_puts(b, "<button type=\"submit\">Prévisualiser</button></form>");

    if (map_error) {
        page_end(res);
        return;
    }
    struct tracking_header h;
    struct tracking_row *rows;
    int n, problems = 0;
    struct tracking_result scratch = {0};
    if (tracking_grid_by_map(req->db, req->arena, c->id, &u->grid, m, &h, &rows, &n, &scratch) !=
        ERR_OK) {
        page_end(res);
        return;
    }
    buf_puts(b, "<h2>Aperçu</h2>");
    if (m->col[TRK_ACTION] < 0) {
        buf_puts(b, "<p class=\"problem\">Choisissez au moins la colonne des actions, puis "
                    "« Prévisualiser ».</p>");
        page_end(res);
        return;
    }
    preview_table(req, b, c->id, rows, n, &problems);
    if (problems)
        buf_printf(b,
                   "<p class=\"problem\">%d ligne%s de l'aperçu %s un problème : l'import "
                   "sera refusé tant qu'il reste une erreur.</p>",
                   problems, problems > 1 ? "s" : "", problems > 1 ? "ont" : "a");
    /* The plan of the whole table, with the choices sent back when the form comes again. */
    struct tracking_import opt = {.contract_id = c->id,
                                  .year = year,
                                  .account_id = req->account->id};
    bool chosen = false;
    if (strcmp(req->method, "POST") == 0)
        form_links(req, &opt, &chosen);
    struct tracking_plan plan;
    struct tracking_result pr = {0};
    bool planned = !errors &&
                   tracking_plan(req->db, req->arena, &opt, rows, n, &h, &plan, &pr) == ERR_OK;
    if (!errors && !planned && pr.n_errors) {
        buf_printf(b,
                   "<div class=\"error-summary\" role=\"alert\"><h2>L'import sera refusé : "
                   "%d problème%s</h2><ul>",
                   pr.n_errors, pr.n_errors > 1 ? "s" : "");
        for (int i = 0; i < pr.n_errors && i < MAX_ERRORS_SHOWN; i++)
            buf_printf(b, "<li>%h</li>", tracking_error_text(&pr.errors[i], req->arena));
        buf_puts(b, "</ul><p>Corrigez le fichier et envoyez-le de nouveau, ou changez les "
                    "colonnes ci-dessus.</p></div>");
    }
    if (planned && strcmp(req->method, "POST") == 0)
        form_choices(req, &plan);
    struct buf spec = {0};
    tracking_map_format(m, &spec);
    buf_printf(b, "<form class=\"edit\" method=\"post\" action=\"%h\">", self);
    if (notice)
        buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notice);
    if (planned) {
        plan_view(req, b, &plan, &opt);
        form_hidden(b, "plan", plan.fingerprint);
    }
    form_hidden(b, "csrf", auth_form_token(req, res));
    form_hidden(b, "spec", buf_cstr(&spec));
    form_hidden(b, "year", edit_fmt(req->arena, "%d", year));
    form_hidden(b, "sheet", edit_fmt(req->arena, "%d", u->sheet));
    form_input(b, "text", "save_as", "Enregistrer cette correspondance sous le nom", "",
               "Facultatif : pour la retrouver au prochain import de ce tableau.", NULL, false);
    buf_printf(b,
               "<button type=\"submit\">Importer les %d lignes (états de %d) : confirmer "
               "ce plan</button></form>",
               n, year);
    buf_free(&spec);
    page_end(res);
}

/* ---- step 3: import ------------------------------------------------------------------------- */

static void result_view(struct req *req, struct res *res, const struct contract *c,
                        const struct upload *u, int year, const struct tracking_result *r)
{
    edit_begin(req, res, c, "Tableau importé", "Importer un tableau de suivi",
               edit_fmt(req->arena, "/contracts/%lld/import", c->id), "Terminé");
    struct buf *b = &res->body;
    buf_printf(b,
               "<p class=\"notice success\" role=\"status\">« %h » importé : %d ligne%s lue%s, "
               "états de %d.</p><table class=\"summary\"><tbody>",
               u->filename, r->rows, r->rows > 1 ? "s" : "", r->rows > 1 ? "s" : "", year);
    const struct {
        const char *label;
        int v;
    } lines[] = {
        {"Actions créées", r->actions_created},
        {"États enregistrés", r->statuses_recorded},
        {"Lignes inchangées", r->unchanged},
        {"Porteurs modifiés", r->carriers_changed},
        {"Organisations créées", r->organisations_created},
        {"États gardés (non remplacés)", r->statuses_kept},
        {"Lignes refusées", r->rows_refused},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%d</td></tr>",
                   lines[i].label, lines[i].v);
    buf_printf(b,
               "</tbody></table><ul class=\"links\"><li><a href=\"/contracts/%lld/actions?"
               "year=%d\">Voir les actions et leur état en %d</a></li><li><a href=\"/contracts/"
               "%lld/report?year=%d\">Bilan d'exécution %d</a></li></ul>",
               c->id, year, year, c->id, year, year);
    page_end(res);
}

/* After tracking_apply (or a refused plan): the page that says what happened; a plan that was
 * applied also saves the mapping when asked and deletes the upload. */
static int import_outcome(struct req *req, struct res *res, const struct contract *c,
                          const struct upload *u, int year, const struct tracking_map *m, int rc,
                          const struct tracking_result *r)
{
    if (rc == ERR_CONFLICT) {
        imp_mapping_view(req, res, c, u, year, m, NULL, NULL,
                         "Les données ont changé depuis l'aperçu : rien n'a été importé. Vérifiez "
                         "le nouveau plan puis confirmez l'import.");
        res->status = 409;
        return 409;
    }
    if (rc == ERR_INVALID || (rc != ERR_OK && r->n_errors)) {
        imp_mapping_view(req, res, c, u, year, m, NULL, r, NULL);
        res->status = 422;
        return 422;
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    const char *save_as = form_value(req, "save_as");
    struct buf spec = {0};
    tracking_map_format(m, &spec);
    if (*save_as &&
        tracking_map_save(req->db, c->id, req->account->id, save_as, buf_cstr(&spec)) != ERR_OK)
        log_error("an import mapping of contract %lld could not be saved", c->id);
    buf_free(&spec);
    if (import_upload_delete(req->db, u->id) != ERR_OK)
        log_info("import upload %lld not deleted (it expires in a day)", u->id);
    result_view(req, res, c, u, year, r);
    return 200;
}

int import_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    bool ok = true;
    int year = edit_form_year(req, "year", &ok);
    if (!ok || !year)
        return page_error(req, res, 400, "Formulaire invalide", "L'année des états manque.");
    struct upload u;
    if ((rc = imp_load_upload(req, res, c.id,
                              imp_number_param(req_form(req, "sheet"), 0, 10000, -1), year, &u)))
        return rc;
    struct tracking_map m;
    char err[512];
    if (imp_requested_map(req, true, c.id, &u.grid, &m, err, sizeof err) != ERR_OK) {
        imp_mapping_view(req, res, &c, &u, year, &m, arena_strdup(req->arena, err), NULL, NULL);
        res->status = 422;
        return 422;
    }
    struct tracking_header h;
    struct tracking_row *rows;
    int n;
    struct tracking_result r = {0};
    if (tracking_grid_by_map(req->db, req->arena, c.id, &u.grid, &m, &h, &rows, &n, &r) != ERR_OK)
        return page_db_error(req, res);
    struct buf by_text = {0};
    buf_printf(&by_text, "Import de « %s » par %s", u.filename, req->account->name);
    struct tracking_import opt = {.contract_id = c.id,
                                  .year = year,
                                  .recorded_by = arena_strdup(req->arena, buf_cstr(&by_text)),
                                  .account_id = req->account->id};
    buf_free(&by_text);
    bool chosen;
    form_links(req, &opt, &chosen);
    /* The plan shown is applied only as shown: a plan computed now that differs from the
     * one confirmed (attached rows, or data changed meanwhile) is shown again instead. The
     * plan's pass has an arena of its own, freed once its choices are copied, before the apply
     * pass checks every row again; a refused plan's errors are read from it. */
    struct arena plan_arena = {0};
    struct tracking_plan plan;
    rc = tracking_plan(req->db, &plan_arena, &opt, rows, n, &h, &plan, &r);
    if (rc == ERR_OK) {
        form_choices(req, &plan);
        const char *sent = req_form(req, "plan");
        if (plan_changes(&plan) && (!sent || strcmp(sent, plan.fingerprint) != 0)) {
            const char *notice =
                !sent || !*sent ? "Vérifiez les changements ci-dessous puis confirmez l'import."
                : chosen        ? "Vos rattachements à des actions existantes changent le plan : "
                                  "vérifiez-le puis confirmez l'import."
                         : "Les données ont changé depuis l'aperçu : rien n'a été importé. "
                           "Vérifiez le nouveau plan puis confirmez l'import.";
            arena_free(&plan_arena);
            imp_mapping_view(req, res, &c, &u, year, &m, NULL, NULL, notice);
            res->status = !sent || !*sent || chosen ? 200 : 409;
            return res->status;
        }
        struct tracking_plan confirmed;
        tracking_plan_choices(&plan, req->arena, &confirmed);
        arena_free(&plan_arena);
        rc = tracking_apply(req->db, req->arena, &opt, rows, n, &h, &confirmed, &r);
    }
    int status = import_outcome(req, res, &c, &u, year, &m, rc, &r);
    arena_free(&plan_arena);
    return status;
}
