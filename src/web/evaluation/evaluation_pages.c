/* evaluation_pages.c — the final evaluation page of a contract (figures of every year with links
 * to their rows, indicators, governance, the SWOT grid, recommendations, conclusion; the
 * coordination's forms in place) and its PDF and ODT downloads. Must not contain SQL
 * (model/final_report.c, model/evaluation.c) nor decide what the documents say
 * (format/final_doc.c); every text goes out through %h. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "format/doc/final_doc.h"
#include "format/doc/markdown.h"
#include "format/doc/survey_doc.h"
#include "format/draw/svg.h"
#include "model/evaluation/final_report.h"
#include "model/plan/figures.h"
#include "model/report/survey.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/evaluation/evaluation.h"

struct view {
    struct req *req;
    struct buf *b;
    const struct final_report *r;
    const struct eval_error *err;
    const char *csrf; /* NULL: the reader may not change anything */
    char base[64];    /* /contracts/ID/evaluation */
};

static const char *today(const struct req *req)
{
    struct date d = date_of_time((long long)req->now);
    char *out = arena_alloc(req->arena, 11);
    date_iso(&d, out);
    return out;
}

/* The final report with its survey section when a questionnaire of the contract has answers. */
static int load(struct req *req, struct res *res, struct final_report *r)
{
    int rc = final_report_load(req->db, req->arena, req->ids[0], today(req), r);
    if (rc != ERR_OK)
        return load_contract_answer(req, res, rc);
    struct survey_results *survey = arena_alloc(req->arena, sizeof *survey);
    rc = survey_latest_results(req->db, req->arena, r->contract.id, survey);
    if (rc == ERR_OK)
        final_report_set_survey(r, survey, survey_doc_section);
    else if (rc != ERR_NOTFOUND)
        return page_db_error(req, res);
    return 0;
}

/* The questionnaire's response rate, with a link to its results for the coordination. */
static void put_survey(const struct view *v, bool coordinator)
{
    const struct survey_results *s = v->r->survey;
    if (!s)
        return;
    struct buf *b = v->b;
    buf_printf(b,
               "<section aria-labelledby=\"ev-survey\"><h2 id=\"ev-survey\">Résultats du "
               "questionnaire</h2><p>« %h » : %d réponses envoyées sur %d attendues (%d %%).",
               s->survey.title, s->submitted, s->expected,
               figures_percent(s->submitted, s->expected));
    if (coordinator)
        buf_printf(b,
                   " <a href=\"/contracts/%lld/surveys/%lld/results\">Voir les résultats "
                   "question par question</a>",
                   v->r->contract.id, s->survey.id);
    buf_puts(b, "</p></section>");
}

/* The error of form (NULL when the error is another form's or there is none). */
static const struct eval_error *error_of(const struct view *v, const char *form)
{
    return v->err && str_eq(v->err->form, form) ? v->err : NULL;
}

/* The person's input for field when form was refused, else dflt. */
static const char *kept(const struct view *v, const char *form, const char *field,
                        const char *dflt)
{
    const struct eval_error *e = error_of(v, form);
    for (int i = 0; e && i < e->n; i++)
        if (str_eq(e->fields[i], field))
            return e->values[i];
    return dflt;
}

static void put_error(const struct view *v, const char *form)
{
    const struct eval_error *e = error_of(v, form);
    if (e && e->n_changes) /* a stale write: the journal says what changed since */
        edit_conflict_box(v->b, v->req->arena, e->changes, e->n_changes);
    else if (e)
        buf_printf(v->b, "<p class=\"error\" role=\"alert\" id=\"%h-error\">%h</p>", form,
                   e->message);
}

static void form_open(const struct view *v, const char *action, const char *form)
{
    buf_printf(v->b, "<form method=\"post\" action=\"%h%h\" id=\"%h\">", v->base, action, form);
    buf_printf(v->b, "<input type=\"hidden\" name=\"csrf\" value=\"%h\">", v->csrf);
}

/* ---- the figures ------------------------------------------------------------------------- */

static void rows_link(const struct view *v, int year, const char *status, int n)
{
    buf_printf(v->b, "<a href=\"/contracts/%lld/actions?year=%d", v->r->contract.id, year);
    if (status)
        buf_printf(v->b, "&amp;status=%u", status);
    buf_printf(v->b, "\">%d</a>", n);
}

static void put_text(const struct view *v, enum eval_section s);

static void put_years(const struct view *v)
{
    const struct final_report *r = v->r;
    struct buf *b = v->b;
    buf_puts(b, "<section aria-labelledby=\"ev-status\"><h2 id=\"ev-status\">Réalisation des "
                "actions, année par année</h2>");
    put_text(v, EVS_STATUS);
    if (!r->n_years) {
        buf_puts(b, "</section>");
        return;
    }
    buf_puts(b, "<div class=\"table-scroll\"><table class=\"grid\" id=\"final-years\"><caption>"
                "Actions de chaque année et leur état d'avancement ; chaque nombre mène à la "
                "liste de ses actions</caption><thead><tr><th scope=\"col\">Année</th>"
                "<th scope=\"col\">Actions</th><th scope=\"col\">Réalisées</th>"
                "<th scope=\"col\">Part</th><th scope=\"col\">En cours</th>"
                "<th scope=\"col\">Réflexion engagée</th><th scope=\"col\">Non commencées</th>"
                "<th scope=\"col\">Abandonnées</th><th scope=\"col\">Sans état</th></tr></thead>"
                "<tbody>");
    static const enum status others[4] = {ST_IN_PROGRESS, ST_REFLECTION, ST_NOT_STARTED,
                                          ST_ABANDONED};
    for (int y = 0; y < r->n_years; y++) {
        const struct year_figures *f = &r->figures[y];
        int year = r->years[y];
        buf_printf(b, "<tr data-year=\"%d\"><th scope=\"row\">%d</th><td class=\"num\">", year,
                   year);
        rows_link(v, year, NULL, f->total);
        buf_puts(b, "</td><td class=\"num\">");
        rows_link(v, year, "done_any", f->done);
        buf_printf(b, "</td><td class=\"num\">%d %%</td>", figures_percent(f->done, f->total));
        for (int k = 0; k < 4; k++) {
            buf_puts(b, "<td class=\"num\">");
            rows_link(v, year, status_key(others[k]), f->by_status[others[k]]);
            buf_puts(b, "</td>");
        }
        buf_puts(b, "<td class=\"num\">");
        rows_link(v, year, "none", f->none);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div></section>");
}

static void put_indicators(const struct view *v)
{
    const struct final_report *r = v->r;
    struct buf *b = v->b;
    buf_puts(b, "<section aria-labelledby=\"ev-ind\"><h2 id=\"ev-ind\">Indicateurs : résultats "
                "et cibles</h2>");
    put_text(v, EVS_INDICATORS);
    if (r->n_indicators) {
        buf_puts(b, "<div class=\"table-scroll\"><table class=\"grid\"><thead><tr>"
                    "<th scope=\"col\">Indicateur</th><th scope=\"col\">Action ou objectif</th>"
                    "<th scope=\"col\">Cible</th><th scope=\"col\">Dernière valeur</th>"
                    "<th scope=\"col\">Résultat</th></tr></thead><tbody>");
        for (int i = 0; i < r->n_indicators; i++) {
            const struct final_indicator *x = &r->indicators[i];
            struct arena *a = v->req->arena;
            buf_printf(b, "<tr><td>%h</td><td>%h %h</td><td class=\"num\">%h</td>", x->ind->name,
                       x->ind->owner_code, x->ind->owner_title,
                       x->ind->has_target ? indicator_number(a, x->ind->target) : "—");
            if (x->has_value)
                buf_printf(b, "<td class=\"num\">%h (%h)</td>", indicator_number(a, x->value),
                           x->period);
            else
                buf_puts(b, "<td class=\"num\">—</td>");
            buf_printf(b, "<td>%h</td></tr>",
                       x->reached == 1       ? "Atteinte"
                       : x->reached == 0     ? "Non atteinte"
                       : !x->ind->has_target ? "Sans cible"
                                             : "Sans valeur");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    buf_puts(b, "</section>");
}

static void put_governance(const struct view *v)
{
    const struct final_report *r = v->r;
    struct buf *b = v->b;
    buf_puts(b, "<section aria-labelledby=\"ev-gov\"><h2 id=\"ev-gov\">Gouvernance : réunions "
                "tenues et requises</h2>");
    put_text(v, EVS_GOVERNANCE);
    if (r->n_bodies) {
        buf_printf(b,
                   "<div class=\"table-scroll\"><table class=\"grid\"><caption>Réunions de "
                   "chaque instance sur les années du contrat (<a href=\"/contracts/%lld/"
                   "governance\">gouvernance</a>)</caption><thead><tr><th scope=\"col\">"
                   "Instance</th><th scope=\"col\">Requises</th><th scope=\"col\">Prévues"
                   "</th><th scope=\"col\">Tenues</th></tr></thead><tbody>",
                   r->contract.id);
        for (int i = 0; i < r->n_bodies; i++)
            buf_printf(b,
                       "<tr><td>%h</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                       "<td class=\"num\">%d</td></tr>",
                       r->bodies[i].name, r->bodies[i].required, r->bodies[i].planned,
                       r->bodies[i].held);
        buf_puts(b, "</tbody></table></div>");
    }
    buf_puts(b, "</section>");
}

/* ---- the texts --------------------------------------------------------------------------- */

/* The section's text in force and, for the coordination, the form replacing it and the button
 * going back to the drafted text. */
static void put_text(const struct view *v, enum eval_section s)
{
    const struct final_report *r = v->r;
    struct buf *b = v->b;
    const char *key = eval_section_key(s);
    bool custom = final_report_text_is_custom(r, s);
    buf_printf(b, "<div class=\"eval-text\" id=\"text-%h-shown\">", key);
    if (custom)
        markdown_html(b, r->texts.body[s]);
    else
        buf_printf(b, "<p>%h</p>", r->drafts[s]);
    buf_puts(b, "</div>");
    if (custom)
        buf_printf(b,
                   "<p class=\"muted\">Texte rédigé par la coordination. Texte calculé à "
                   "partir des chiffres : « %h »</p>",
                   r->drafts[s]);
    if (!v->csrf)
        return;
    char form[32];
    snprintf(form, sizeof form, "text-%s", key);
    bool open = error_of(v, form) != NULL;
    buf_printf(b, "<details class=\"value-form\"%s><summary>%s</summary>", open ? " open" : "",
               custom ? "Modifier ce texte" : "Remplacer le texte calculé");
    put_error(v, form);
    form_open(v, "/texts", form);
    buf_printf(b,
               "<input type=\"hidden\" name=\"section\" value=\"%h\">"
               "<input type=\"hidden\" name=\"version\" value=\"%d\">",
               key, r->texts.version[s]);
    buf_printf(b,
               "<label for=\"%h-body\">Texte « %h » (Markdown)</label>"
               "<textarea id=\"%h-body\" name=\"body\" rows=\"6\">%h</textarea>",
               form, eval_section_label(s), form, kept(v, form, "body", final_report_text(r, s)));
    buf_puts(b, "<button type=\"submit\" name=\"op\" value=\"save\">Enregistrer le texte"
                "</button>");
    if (custom)
        buf_puts(b, " <button type=\"submit\" name=\"op\" value=\"revert\" class=\"secondary\">"
                    "Revenir au texte calculé</button>");
    buf_puts(b, "</form></details>");
}

/* ---- SWOT -------------------------------------------------------------------------------- */

static void put_quadrant_select(const struct view *v, const char *form, enum swot_quadrant q)
{
    const char *chosen = kept(v, form, "quadrant", swot_quadrant_key(q));
    buf_printf(v->b,
               "<label for=\"%h-quadrant\">Case</label><select id=\"%h-quadrant\" "
               "name=\"quadrant\">",
               form, form);
    for (int k = 0; k < SWOT_COUNT; k++)
        buf_printf(v->b, "<option value=\"%h\"%s>%h</option>",
                   swot_quadrant_key((enum swot_quadrant)k),
                   str_eq(chosen, swot_quadrant_key((enum swot_quadrant)k)) ? " selected" : "",
                   swot_quadrant_label((enum swot_quadrant)k));
    buf_puts(v->b, "</select>");
}

static void put_swot_item(const struct view *v, const struct swot_item *s, int rank)
{
    struct buf *b = v->b;
    buf_printf(b, "<li id=\"swot-item-%lld\"><span class=\"swot-text\">%h</span>", s->id, s->text);
    if (v->csrf) {
        char form[32];
        snprintf(form, sizeof form, "swot-%lld", s->id);
        bool open = error_of(v, form) != NULL;
        buf_printf(b, "<details class=\"value-form\"%s><summary>Modifier l'élément %d</summary>",
                   open ? " open" : "", rank);
        put_error(v, form);
        char action[48];
        snprintf(action, sizeof action, "/swot/%lld", s->id);
        form_open(v, action, form);
        buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">", s->version);
        buf_printf(b,
                   "<label for=\"%h-text\">Texte de l'élément %d</label><textarea id=\"%h-text\" "
                   "name=\"text\" rows=\"2\">%h</textarea>",
                   form, rank, form, kept(v, form, "text", s->text));
        put_quadrant_select(v, form, s->quadrant);
        buf_puts(b, "<div class=\"buttons\"><button type=\"submit\" name=\"op\" value=\"save\">"
                    "Enregistrer</button> <button type=\"submit\" name=\"op\" value=\"up\" "
                    "class=\"secondary\">Monter</button> <button type=\"submit\" name=\"op\" "
                    "value=\"down\" class=\"secondary\">Descendre</button> <button "
                    "type=\"submit\" name=\"op\" value=\"remove\" class=\"secondary\">Retirer"
                    "</button></div></form></details>");
    }
    buf_puts(b, "</li>");
}

/* Where the items come from, each source once (the demo's 21 items share two lines). */
static void put_swot_sources(const struct view *v)
{
    const struct final_report *r = v->r;
    int shown = 0;
    for (int i = 0; i < r->n_swot; i++) {
        const char *ref = r->swot[i].source_ref;
        bool seen = !*ref;
        for (int k = 0; k < i && !seen; k++)
            seen = str_eq(r->swot[k].source_ref, ref);
        if (seen)
            continue;
        buf_printf(v->b, "%s%h", shown++ ? " ; " : "<p class=\"muted source\">Source : ", ref);
    }
    if (shown)
        buf_puts(v->b, "</p>");
}

static void put_swot(const struct view *v)
{
    const struct final_report *r = v->r;
    struct buf *b = v->b;
    buf_puts(b, "<section aria-labelledby=\"ev-swot\"><h2 id=\"ev-swot\">Analyse AFOM</h2>"
                "<p class=\"muted\">Atouts (forces) et faiblesses du contrat lui-même ; "
                "opportunités et menaces de son environnement.</p><div class=\"swot-grid\">");
    static const char *const lower[SWOT_COUNT] = {"forces", "faiblesses", "opportunités",
                                                  "menaces"};
    for (int q = 0; q < SWOT_COUNT; q++) {
        const char *key = swot_quadrant_key((enum swot_quadrant)q);
        buf_printf(b,
                   "<section class=\"swot-%h\" aria-labelledby=\"swot-h-%h\"><h3 "
                   "id=\"swot-h-%h\">%h <span class=\"muted\">(%s)</span></h3><ol>",
                   key, key, key, swot_quadrant_label((enum swot_quadrant)q),
                   q < SWOT_OPPORTUNITY ? "interne" : "externe");
        int rank = 0;
        for (int i = 0; i < r->n_swot; i++)
            if (r->swot[i].quadrant == (enum swot_quadrant)q)
                put_swot_item(v, &r->swot[i], ++rank);
        buf_puts(b, "</ol>");
        if (!rank)
            buf_puts(b, "<p class=\"muted\">Aucun élément.</p>");
        if (v->csrf) {
            char form[40];
            snprintf(form, sizeof form, "swot-new-%s", key);
            put_error(v, form);
            form_open(v, "/swot", form);
            buf_printf(b,
                       "<input type=\"hidden\" name=\"quadrant\" value=\"%h\">"
                       "<label for=\"%h-text\">Ajouter aux %h</label><textarea id=\"%h-text\" "
                       "name=\"text\" rows=\"2\">%h</textarea><button type=\"submit\">Ajouter"
                       "</button></form>",
                       key, form, lower[q], form, kept(v, form, "text", ""));
        }
        buf_puts(b, "</section>");
    }
    buf_puts(b, "</div>");
    put_swot_sources(v);
    buf_puts(b, "</section>");
}

/* ---- recommendations --------------------------------------------------------------------- */

static void put_state_select(const struct view *v, const char *form, enum rec_state st)
{
    const char *chosen = kept(v, form, "state", rec_state_key(st));
    buf_printf(v->b, "<label for=\"%h-state\">État</label><select id=\"%h-state\" name=\"state\">",
               form, form);
    for (int k = 0; k < REC_STATE_COUNT; k++)
        buf_printf(v->b, "<option value=\"%h\"%s>%h</option>", rec_state_key((enum rec_state)k),
                   str_eq(chosen, rec_state_key((enum rec_state)k)) ? " selected" : "",
                   rec_state_label((enum rec_state)k));
    buf_puts(v->b, "</select>");
}

/* The fields of a recommendation's form (x NULL: a new one). */
static void put_rec_fields(const struct view *v, const char *form, const struct recommendation *x)
{
    struct buf *b = v->b;
    char number[16] = "";
    if (x)
        snprintf(number, sizeof number, "%d", x->number);
    buf_printf(b,
               "<label for=\"%h-number\">Numéro</label><input id=\"%h-number\" name=\"number\" "
               "inputmode=\"numeric\" size=\"4\" value=\"%h\"><p class=\"help\">Vide : après "
               "la dernière.</p>",
               form, form, kept(v, form, "number", number));
    buf_printf(b,
               "<label for=\"%h-title\">Intitulé <span class=\"required\">(obligatoire)"
               "</span></label><input id=\"%h-title\" name=\"title\" value=\"%h\">",
               form, form, kept(v, form, "title", x ? x->title : ""));
    buf_printf(b,
               "<label for=\"%h-body\">Texte (Markdown)</label><textarea id=\"%h-body\" "
               "name=\"body\" rows=\"5\">%h</textarea>",
               form, form, kept(v, form, "body", x ? x->body : ""));
    buf_printf(b,
               "<label for=\"%h-owner\">Porteur</label><input id=\"%h-owner\" name=\"owner\" "
               "value=\"%h\"><p class=\"help\">Qui la porte : une organisation, une instance."
               "</p>",
               form, form, kept(v, form, "owner", x ? x->owner : ""));
    buf_printf(b,
               "<label for=\"%h-follow_up\">Suivi</label><textarea id=\"%h-follow_up\" "
               "name=\"follow_up\" rows=\"3\">%h</textarea>",
               form, form, kept(v, form, "follow_up", x ? x->follow_up : ""));
    put_state_select(v, form, x ? x->state : REC_OPEN);
}

static void put_recommendations(const struct view *v)
{
    const struct final_report *r = v->r;
    struct buf *b = v->b;
    buf_puts(b, "<section aria-labelledby=\"ev-rec\"><h2 id=\"ev-rec\">Recommandations pour le "
                "contrat suivant</h2>");
    if (!r->n_recs)
        buf_puts(b, "<p class=\"muted\">Aucune recommandation n'est encore formulée.</p>");
    for (int i = 0; i < r->n_recs; i++) {
        const struct recommendation *x = &r->recs[i];
        buf_printf(b,
                   "<article class=\"recommendation\" id=\"rec-%lld-view\" "
                   "aria-labelledby=\"rec-%lld-h\"><h3 id=\"rec-%lld-h\">%d. %h</h3>",
                   x->id, x->id, x->id, x->number, x->title);
        markdown_html(b, x->body);
        buf_printf(b,
                   "<dl class=\"rec-meta\"><dt>Porteur</dt><dd>%h</dd><dt>État</dt><dd>%h</dd>"
                   "<dt>Suivi</dt><dd>%h</dd></dl>",
                   *x->owner ? x->owner : "non désigné", rec_state_label(x->state),
                   *x->follow_up ? x->follow_up : "aucun suivi noté");
        if (*x->source_ref)
            buf_printf(b, "<p class=\"muted source\">Source : %h</p>", x->source_ref);
        if (v->csrf) {
            char form[32], action[48];
            snprintf(form, sizeof form, "rec-%lld", x->id);
            snprintf(action, sizeof action, "/recommendations/%lld", x->id);
            bool open = error_of(v, form) != NULL;
            buf_printf(b,
                       "<details class=\"value-form\"%s><summary>Modifier la recommandation "
                       "%d</summary>",
                       open ? " open" : "", x->number);
            put_error(v, form);
            form_open(v, action, form);
            buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">", x->version);
            put_rec_fields(v, form, x);
            buf_puts(b, "<button type=\"submit\">Enregistrer la recommandation</button></form>"
                        "</details>");
        }
        buf_puts(b, "</article>");
    }
    if (v->csrf) {
        bool open = error_of(v, "rec-new") != NULL;
        buf_printf(b,
                   "<details class=\"value-form\"%s><summary>Ajouter une recommandation"
                   "</summary>",
                   open ? " open" : "");
        put_error(v, "rec-new");
        form_open(v, "/recommendations", "rec-new");
        put_rec_fields(v, "rec-new", NULL);
        buf_puts(b, "<button type=\"submit\">Ajouter la recommandation</button></form></details>");
    }
    buf_puts(b, "</section>");
}

/* ---- the page ---------------------------------------------------------------------------- */

static void put_notice(const struct req *req, struct buf *b)
{
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"swot", "Analyse AFOM enregistrée."},
        {"rec", "Recommandation enregistrée."},
        {"text", "Texte enregistré : il remplace le texte calculé dans la page et les "
                 "documents."},
        {"revert", "Texte calculé rétabli : il suit de nouveau les chiffres."},
    };
    const char *k = req_query(req, "saved");
    for (size_t i = 0; k && i < sizeof notices / sizeof notices[0]; i++)
        if (str_eq(k, notices[i].key))
            buf_printf(b, "<p class=\"notice success\" role=\"status\">%h</p>", notices[i].text);
}

int eval_page_answer(struct req *req, struct res *res, int status, const struct eval_error *err)
{
    struct final_report r;
    int rc = load(req, res, &r);
    if (rc)
        return rc;
    struct view v = {.req = req, .b = &res->body, .r = &r, .err = err};
    snprintf(v.base, sizeof v.base, "/contracts/%lld/evaluation", r.contract.id);
    if (auth_may(req, ROLE_COORDINATOR, r.contract.id, false))
        v.csrf = auth_form_token(req, res);
    char path[48];
    snprintf(path, sizeof path, "/contracts/%lld", r.contract.id);
    const char *name = *r.contract.short_title ? r.contract.short_title : r.contract.title;
    struct crumb crumbs[] = {{"Contrats", "/"}, {name, path}, {"Évaluation finale", NULL}};
    page_begin(res, "Évaluation finale", crumbs, 3);
    struct buf *b = &res->body;
    put_notice(req, b);
    if (err && !err->form)
        buf_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", err->message);
    buf_printf(b,
               "<p class=\"lede\">Le bilan de tout le contrat, %h : ses chiffres viennent des "
               "données (les mêmes que le tableau de bord), ses textes sont calculés à partir "
               "d'eux et la coordination peut les remplacer.</p>",
               r.contract.territory.name);
    buf_printf(b,
               "<ul class=\"links noprint\"><li><a class=\"button\" href=\"%h.pdf\">"
               "Télécharger le rapport (PDF)</a></li><li><a href=\"%h.odt\">Télécharger le "
               "document modifiable (ODT)</a></li><li><a href=\"%h/dashboard\">Tableau de "
               "bord</a></li></ul>",
               v.base, v.base, path);
    put_years(&v);
    put_survey(&v, v.csrf != NULL);
    put_indicators(&v);
    put_governance(&v);
    put_swot(&v);
    put_recommendations(&v);
    buf_puts(b, "<section aria-labelledby=\"ev-conc\"><h2 id=\"ev-conc\">Conclusion</h2>");
    put_text(&v, EVS_CONCLUSION);
    buf_puts(b, "</section>");
    page_end(res);
    res->status = status;
    return status;
}

int evaluation_page(struct req *req, struct res *res)
{
    return eval_page_answer(req, res, 200, NULL);
}

static int document(struct req *req, struct res *res, bool odt)
{
    struct final_report r;
    int rc = load(req, res, &r);
    if (rc)
        return rc;
    struct buf data = {0};
    char err[256];
    rc = odt ? final_doc_odt(&r, &data, err, sizeof err)
             : final_doc_pdf(&r, &data, err, sizeof err);
    if (rc != ERR_OK) {
        buf_free(&data);
        return page_error(req, res, 500, "Document indisponible", err);
    }
    res->status = 200;
    res->content_type = odt ? "application/vnd.oasis.opendocument.text" : "application/pdf";
    res_header(res, "Content-Disposition",
               odt ? "attachment; filename=\"evaluation-finale.odt\""
                   : "attachment; filename=\"evaluation-finale.pdf\"");
    res_header(res, "Cache-Control", "private, no-store");
    buf_append(&res->body, data.p ? data.p : "", data.len);
    buf_free(&data);
    return 200;
}

int evaluation_pdf_download(struct req *req, struct res *res)
{
    return document(req, res, false);
}

int evaluation_odt_download(struct req *req, struct res *res)
{
    return document(req, res, true);
}
