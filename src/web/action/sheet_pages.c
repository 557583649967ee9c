/* sheet_pages.c — the action sheet on the action page (state, priority, plan, every field, the
 * indicators), its one-page printable view, and the coordination's decisions on it: validate,
 * close, reopen, promote a lead. Must not contain SQL nor decide who may act (routes.c does;
 * auth_may only chooses which forms to show). */
#include <stdio.h>
#include <string.h>

#include "model/core/area.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

const char *sheet_code(const struct action *x)
{
    return str_eq(x->kind, "lead") || !*x->code ? "Piste" : x->code;
}

/* <dt>label</dt><dd>value</dd>, "Non renseigné" when empty. */
static void field(struct buf *b, const char *label, const char *value)
{
    if (value && *value)
        buf_printf(b, "<dt>%h</dt><dd class=\"pre\">%h</dd>", label, value);
    else
        buf_printf(b, "<dt>%h</dt><dd class=\"muted\">Non renseigné</dd>", label);
}

/* The labels of chosen keys of a list, ", "-separated (in the arena). */
static const char *choice_text(struct arena *a, const struct sheet_list *l,
                               const char *const *keys, int n)
{
    struct buf text = {0};
    for (int i = 0; i < n; i++) {
        const struct sheet_choice *c = sheet_choice_find(l, keys[i]);
        buf_printf(&text, "%s%s", i ? ", " : "", c ? c->label : keys[i]);
    }
    const char *s = arena_strdup(a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

static int list_at(const char *name)
{
    for (int i = 0; i < SHEET_CHOICE_LISTS; i++)
        if (str_eq(sheet_choice_lists[i]->name, name))
            return i;
    return 0;
}

/* The territory an action covers: the whole of it, or its areas with their INSEE codes. */
static void covered(struct buf *b, struct req *req, const struct contract *c,
                    const struct sheet *s)
{
    buf_puts(b, "<dt>Territoire couvert</dt>");
    if (s->whole_territory) {
        buf_printf(b, "<dd>Tout le territoire (%h)</dd>", c->territory.name);
        return;
    }
    if (!s->n_areas) {
        buf_puts(b, "<dd class=\"muted\">Non renseigné</dd>");
        return;
    }
    struct area *areas = NULL;
    int n = 0;
    if (area_list(req->db, req->arena, c->territory.id, &areas, &n) != ERR_OK)
        n = 0;
    buf_puts(b, "<dd><ul class=\"areas\">");
    for (int i = 0; i < s->n_areas; i++) {
        const struct area *found = NULL;
        for (int k = 0; k < n && !found; k++)
            if (str_eq(areas[k].code, s->areas[i]))
                found = &areas[k];
        if (found)
            buf_printf(b, "<li>%h <span class=\"muted\">(%s %h)</span></li>", found->name,
                       str_eq(found->kind, "epci") ? "intercommunalité, SIREN" : "INSEE",
                       found->code);
        else
            buf_printf(b, "<li>%h</li>", s->areas[i]);
    }
    buf_puts(b, "</ul></dd>");
}

static void funders(struct buf *b, struct arena *a, const struct sheet *s)
{
    buf_puts(b, "<dt>Financeurs</dt>");
    if (!s->n_funders) {
        buf_puts(b, "<dd class=\"muted\">Non renseigné</dd>");
        return;
    }
    buf_puts(b, "<dd><ul class=\"funders\">");
    for (int i = 0; i < s->n_funders; i++) {
        const struct sheet_funder *f = &s->funders[i];
        const struct sheet_choice *c = sheet_choice_find(&sheet_funders, f->funder);
        buf_printf(b, "<li>%h", c ? c->label : f->name);
        if (f->amount >= 0)
            buf_printf(b, " : %h", sheet_amount_text(a, f->amount));
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul></dd>");
}

/* Every field of a sheet as a definition list. */
static void sheet_fields(struct buf *b, struct req *req, const struct contract *c,
                         const struct sheet *s)
{
    struct arena *a = req->arena;
    const struct sheet_choice *pub = sheet_choice_find(&sheet_publics, s->target_public);
    const struct sheet_choice *rhy = sheet_choice_find(&sheet_rhythms, s->rhythm);
    buf_puts(b, "<dl class=\"fields sheet-fields\">");
    field(b, "Description", s->description);
    field(b, "Objectifs de l'action", s->objectives);
    field(b, "Public visé", pub ? pub->label : "");
    static const char *const labels[SHEET_CHOICE_LISTS] = {
        "Tranches d'âge", "Publics spécifiques", "Professionnels touchés", "Type d'action",
        "Types de partenaires", "Équipe projet"};
    for (int l = 0; l < 3; l++)
        field(b, labels[l], choice_text(a, sheet_choice_lists[l], s->choices[l],
                                        s->n_choices[l]));
    covered(b, req, c, s);
    int t = list_at("action_types");
    field(b, labels[t], choice_text(a, sheet_choice_lists[t], s->choices[t], s->n_choices[t]));
    field(b, "Rythme", rhy ? rhy->label : "");
    field(b, "Début prévu", sheet_date_text(a, s->planned_start));
    field(b, "Fin prévue", sheet_date_text(a, s->planned_end));
    field(b, "Début réel", sheet_date_text(a, s->actual_start));
    field(b, "Fin réelle", sheet_date_text(a, s->actual_end));
    field(b, "Budget prévu", sheet_amount_text(a, s->planned_budget));
    field(b, "Budget réel", sheet_amount_text(a, s->actual_budget));
    funders(b, a, s);
    for (int l = 4; l < SHEET_CHOICE_LISTS; l++)
        field(b, labels[l], choice_text(a, sheet_choice_lists[l], s->choices[l],
                                        s->n_choices[l]));
    buf_puts(b, "</dl>");
}

/* A one-button form posting to /actions/{id}/what with the CSRF token and the version. */
static void decision_form(struct req *req, struct res *res, long long id, int version,
                          const char *what, const char *button, const char *help)
{
    struct buf *b = &res->body;
    buf_printf(b, "<form method=\"post\" action=\"/actions/%lld/%h\" class=\"inline-form\">", id,
               what);
    form_hidden(b, "csrf", auth_form_token(req, res));
    edit_version_field(b, req->arena, version);
    buf_printf(b, "<button type=\"submit\">%h</button>", button);
    if (help)
        buf_printf(b, " <span class=\"help\">%h</span>", help);
    buf_puts(b, "</form>");
}

/* The state line, and the decisions the coordination can take from here. */
static void state_part(struct req *req, struct res *res, const struct action *x,
                       const struct sheet *s, int version, bool coordinator)
{
    struct buf *b = &res->body;
    int years[64], n_years = 0;
    if (sheet_plan_years(req->db, x->id, years, 64, &n_years) != ERR_OK)
        n_years = 0;
    buf_printf(b, "<p class=\"sheet-state\">État de la fiche : <strong class=\"state "
                  "state-%h\">%h</strong> · Priorité : <strong>%h</strong> · Plan annuel : ",
               s->state, str_eq(x->kind, "lead") ? "Piste (pas encore de fiche)"
                                                 : sheet_state_label(s->state),
               sheet_priority_label(s->priority));
    if (!n_years)
        buf_puts(b, "<span class=\"muted\">dans aucun plan</span>");
    for (int i = 0; i < n_years; i++)
        buf_printf(b, "%s<a href=\"/contracts/%lld/action-plan?year=%d\">%d</a>", i ? ", " : "",
                   x->contract_id, years[i], years[i]);
    buf_puts(b, "</p>");
    if (!coordinator)
        return;
    buf_puts(b, "<div class=\"sheet-decisions noprint\">");
    if (str_eq(x->kind, "lead")) {
        const char *code = NULL;
        if (sheet_next_code(req->db, req->arena, x->objective_id, &code) == ERR_OK)
            decision_form(req, res, x->id, version, "promote", "Promouvoir en fiche action",
                          edit_fmt(req->arena, "La fiche recevra le code %s.", code));
        else
            decision_form(req, res, x->id, version, "promote", "Promouvoir en fiche action",
                          NULL);
    } else if (str_eq(s->state, "draft")) {
        const char *why = NULL;
        if (sheet_validation_problem(req->db, x->id, &why) != ERR_OK)
            why = NULL;
        decision_form(req, res, x->id, version, "validate", "Valider la fiche", why);
    } else if (str_eq(s->state, "validated")) {
        decision_form(req, res, x->id, version, "close", "Clore la fiche",
                      "Une fiche close ne compte plus dans la charge de pilotage.");
        decision_form(req, res, x->id, version, "reopen", "Revenir au brouillon", NULL);
    } else {
        decision_form(req, res, x->id, version, "reopen", "Rouvrir la fiche (brouillon)", NULL);
    }
    buf_puts(b, "</div>");
}

/* The archived indicators of an action, with the page where each can be restored. */
static void archived_indicators(struct req *req, struct buf *b, long long action_id)
{
    struct indicator *all = NULL;
    int n = 0, shown = 0;
    if (indicator_list_action(req->db, req->arena, action_id, true, &all, &n) != ERR_OK)
        return;
    for (int i = 0; i < n; i++) {
        if (!all[i].archived)
            continue;
        if (!shown++)
            buf_puts(b, "<details class=\"noprint\"><summary>Indicateurs archivés</summary><ul>");
        buf_printf(b, "<li><a href=\"/indicators/%lld/edit\">%h</a></li>", all[i].id,
                   all[i].name);
    }
    if (shown)
        buf_puts(b, "</ul></details>");
}

void sheet_section(struct req *req, struct res *res, const struct action *x, bool may_edit)
{
    struct buf *b = &res->body;
    struct sheet *s = arena_alloc(req->arena, sizeof *s);
    struct contract c;
    struct contract_meta meta = {0};
    int version = 0;
    bool archived = false;
    struct indicator *inds = NULL;
    int n_inds = 0;
    if (sheet_get(req->db, req->arena, x->id, s) != ERR_OK ||
        contract_get(req->db, req->arena, x->contract_id, &c) != ERR_OK ||
        contract_meta_get(req->db, x->contract_id, &meta) != ERR_OK ||
        action_meta(req->db, x->id, &version, &archived) != ERR_OK ||
        indicator_list_action(req->db, req->arena, x->id, false, &inds, &n_inds) != ERR_OK) {
        buf_puts(b, "<p class=\"caution\">La fiche action n'a pas pu être lue.</p>");
        return;
    }
    bool coordinator = auth_may(req, ROLE_COORDINATOR, x->contract_id, false);
    bool priv = auth_sees_private(req, x->contract_id);
    buf_puts(b, "<section class=\"action-sheet\" aria-labelledby=\"fiche\"><h2 id=\"fiche\">Fiche "
                "action</h2>");
    state_part(req, res, x, s, version, coordinator && !archived);
    buf_puts(b, "<ul class=\"links noprint\">");
    if (may_edit)
        buf_printf(b, "<li><a class=\"button\" href=\"/actions/%lld/sheet\">Compléter la fiche"
                      "</a></li>",
                   x->id);
    buf_printf(b, "<li><a href=\"/actions/%lld/print\">Version imprimable (une page)</a></li>"
                  "<li><a href=\"/objectives/%lld\">Objectif %h et indicateurs de ses actions</a>"
                  "</li></ul>",
               x->id, x->objective_id, x->objective_code);
    sheet_fields(b, req, &c, s);
    buf_puts(b, "</section><section class=\"indicators\" aria-labelledby=\"indicateurs\">"
                "<h2 id=\"indicateurs\">Indicateurs</h2>");
    if (!n_inds)
        buf_puts(b, "<p>Aucun indicateur n'est encore défini : une fiche se valide avec au moins "
                    "un indicateur de résultat et sa cible.</p>");
    for (int i = 0; i < n_inds; i++)
        indicator_block(req, res, &inds[i], may_edit && !archived,
                        priv || meta.public_remarks, priv || meta.public_people);
    if (may_edit && !archived) {
        buf_printf(b, "<p class=\"noprint\"><a href=\"/actions/%lld/indicators/new\">Ajouter un "
                      "indicateur</a></p>",
                   x->id);
        archived_indicators(req, b, x->id);
    }
    buf_puts(b, "</section>");
}

/* ---- decisions ---------------------------------------------------------------------------- */

/* The route's action and the version its form sent; 0, or the status of the error written. */
static int load_decision(struct req *req, struct res *res, struct action *x, int *version)
{
    int rc = action_get(req->db, req->arena, req->ids[0], 0, x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable", "Aucune action ne porte ce "
                                                                "numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    if (edit_version(req, version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page de l'action et "
                          "recommencez.");
    return 0;
}

/* The page of a refused decision: 422 with the reason, or 409 with what changed. */
static int refused(struct req *req, struct res *res, const struct action *x, int status,
                   const char *title, const char *why, int version)
{
    struct contract c;
    if (contract_get(req->db, req->arena, x->contract_id, &c) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, &c, title, sheet_code(x), edit_fmt(req->arena, "/actions/%lld", x->id),
               title);
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">%h</p>", x->title);
    if (status == 409) {
        struct audit_entry *changes = NULL;
        int n = edit_changes_since(req, "action", x->id, version, &changes);
        edit_conflict_box(b, req->arena, changes, n);
    } else {
        buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", why);
    }
    buf_printf(b, "<p><a href=\"/actions/%lld#fiche\">Revenir à la fiche</a></p>", x->id);
    page_end(res);
    res->status = status;
    return status;
}

/* Moves the route's sheet to state; notice: the ?saved= key of the success. */
static int decide(struct req *req, struct res *res, const char *state, const char *notice,
                  const char *title)
{
    struct action x;
    int version;
    int rc = load_decision(req, res, &x, &version);
    if (rc)
        return rc;
    struct actor who = edit_actor(req);
    const char *why = NULL;
    rc = sheet_set_state(req->db, &who, x.id, version, state, &why);
    if (rc == ERR_INVALID)
        return refused(req, res, &x, 422, title, why ? why : "Ce changement n'est pas possible.",
                       version);
    if (rc == ERR_CONFLICT)
        return refused(req, res, &x, 409, "La fiche a changé entre-temps", NULL, version);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/actions/%lld?saved=%s#fiche", x.id,
                                            notice));
}

int sheet_validate_submit(struct req *req, struct res *res)
{
    return decide(req, res, "validated", "validated", "Validation impossible");
}

int sheet_close_submit(struct req *req, struct res *res)
{
    return decide(req, res, "closed", "closed", "Clôture impossible");
}

int sheet_reopen_submit(struct req *req, struct res *res)
{
    return decide(req, res, "draft", "reopened", "Réouverture impossible");
}

int sheet_promote_submit(struct req *req, struct res *res)
{
    struct action x;
    int version;
    int rc = load_decision(req, res, &x, &version);
    if (rc)
        return rc;
    struct actor who = edit_actor(req);
    const char *code = NULL, *why = NULL;
    rc = sheet_promote(req->db, req->arena, &who, x.id, version, &code, &why);
    if (rc == ERR_INVALID)
        return refused(req, res, &x, 422, "Promotion impossible",
                       why ? why : "Cette action ne peut pas être promue.", version);
    if (rc == ERR_CONFLICT)
        return refused(req, res, &x, 409, "L'action a changé entre-temps", NULL, version);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/actions/%lld?saved=promoted", x.id));
}

/* ---- the printable sheet ------------------------------------------------------------------ */

/* Organisations of an action in one role, ", "-separated. */
static const char *orgs_text(struct arena *a, const struct action *x, const char *role)
{
    struct buf text = {0};
    for (int i = 0; i < x->n_orgs; i++)
        if (str_eq(x->orgs[i].role, role))
            buf_printf(&text, "%s%s", text.len ? ", " : "", x->orgs[i].name);
    const char *s = arena_strdup(a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

int sheet_print_page(struct req *req, struct res *res)
{
    struct action x;
    int rc = action_get(req->db, req->arena, req->ids[0], 0, &x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable", "Aucune action ne porte ce "
                                                                "numéro.");
    struct contract c;
    struct objective *objs;
    int n_objs;
    struct sheet *s = arena_alloc(req->arena, sizeof *s);
    struct indicator *inds = NULL;
    int n_inds = 0;
    if (rc != ERR_OK || contract_get(req->db, req->arena, x.contract_id, &c) != ERR_OK ||
        objective_list(req->db, req->arena, x.contract_id, &objs, &n_objs) != ERR_OK ||
        sheet_get(req->db, req->arena, x.id, s) != ERR_OK ||
        indicator_list_action(req->db, req->arena, x.id, false, &inds, &n_inds) != ERR_OK)
        return page_db_error(req, res);
    struct arena *a = req->arena;
    const char *title = edit_fmt(a, "Fiche action %s", sheet_code(&x));
    edit_begin(req, res, &c, title, sheet_code(&x), edit_fmt(a, "/actions/%lld", x.id),
               "Version imprimable");
    struct buf *b = &res->body;
    buf_printf(b, "<article class=\"sheet-print\"><p class=\"print-head\">%h — %h · état de la "
                  "fiche : %h · priorité : %h</p><h2>%h</h2>",
               c.title, action_kind_label(x.kind), sheet_state_label(s->state),
               sheet_priority_label(s->priority), x.title);
    int op = objective_index(objs, n_objs, x.objective_id);
    static const char *const names[] = {"Axe", "Objectif spécifique", "Objectif opérationnel"};
    static const enum objective_level levels[] = {OBJ_STRATEGIC, OBJ_SPECIFIC, OBJ_OPERATIONAL};
    buf_puts(b, "<dl class=\"fields\">");
    for (int k = 0; k < 3; k++) {
        int i = objective_ancestor(objs, n_objs, op, levels[k]);
        if (i < 0)
            continue;
        struct buf text = {0};
        buf_printf(&text, "%s%s%s", objs[i].code, *objs[i].code ? " — " : "", objs[i].title);
        field(b, names[k], arena_strdup(a, buf_cstr(&text)));
        buf_free(&text);
    }
    field(b, "Porteur", orgs_text(a, &x, "carrier"));
    field(b, "Co-porteurs", orgs_text(a, &x, "co_carrier"));
    field(b, "Partenaires", orgs_text(a, &x, "partner"));
    buf_puts(b, "</dl>");
    sheet_fields(b, req, &c, s);
    buf_puts(b, "<h3>Indicateurs</h3>");
    if (!n_inds)
        buf_puts(b, "<p class=\"muted\">Aucun indicateur défini.</p>");
    else {
        buf_puts(b, "<table class=\"print-indicators\"><thead><tr><th scope=\"col\">Indicateur"
                    "</th><th scope=\"col\">Type</th><th scope=\"col\" class=\"num\">Départ</th>"
                    "<th scope=\"col\" class=\"num\">Cible</th><th scope=\"col\" class=\"num\">"
                    "Dernière valeur</th><th scope=\"col\">Recueil</th></tr></thead><tbody>");
        for (int i = 0; i < n_inds; i++) {
            const struct indicator *d = &inds[i];
            buf_printf(b, "<tr><td>%h%s%h%s</td><td>%h</td><td class=\"num\">%h</td><td "
                          "class=\"num\">%h</td><td class=\"num\">",
                       d->name, *d->unit ? " (" : "", d->unit, *d->unit ? ")" : "",
                       indicator_kind_label(d->kind),
                       d->has_baseline ? indicator_number(a, d->baseline) : "—",
                       d->has_target ? indicator_number(a, d->target) : "—");
            if (d->n_values) {
                const struct indicator_value *v = &d->values[d->n_values - 1];
                buf_printf(b, "%h <span class=\"muted\">(%h)</span>",
                           indicator_number(a, v->value), sheet_date_text(a, v->period));
            } else {
                buf_puts(b, "—");
            }
            buf_printf(b, "</td><td>%h%s%h</td></tr>", d->method,
                       *d->method && *d->frequency ? ", " : "", d->frequency);
        }
        buf_puts(b, "</tbody></table>");
    }
    if (x.n_history) {
        const struct status_entry *e = &x.history[x.n_history - 1];
        buf_printf(b, "<p>État d'avancement %d : ", e->year);
        page_status(b, e->status);
        buf_puts(b, "</p>");
    }
    buf_printf(b, "<p class=\"print-foot muted\">Imprimé depuis Boussole — /actions/%lld</p>"
                  "</article><p class=\"noprint\"><a href=\"/actions/%lld\">Revenir à la fiche"
                  "</a></p>",
               x.id, x.id);
    page_end(res);
    return 200;
}
