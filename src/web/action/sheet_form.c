/* sheet_form.c — the form of the standard action sheet (carrier of the action or coordination):
 * description and objectives, public, territory covered picked from the territory's real
 * communes and intercommunalities, type, rhythm, dates, budget, funders, partners' types,
 * project team and priority. Works without JavaScript: POST, then 303 to the action page, or
 * the form again with the input kept (422) or with what changed in between (409). Must not
 * contain SQL nor decide who may edit (routes.c does). */
#include <stdio.h>
#include <string.h>

#include "model/core/area.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

const char *sheet_typed_date(struct arena *a, const char *iso)
{
    size_t n = iso ? strlen(iso) : 0;
    char tmp[16];
    if (n == 7)
        snprintf(tmp, sizeof tmp, "%.2s/%.4s", iso + 5, iso);
    else if (n == 10)
        snprintf(tmp, sizeof tmp, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        return iso ? iso : "";
    return arena_strdup(a, tmp);
}

/* What the form needs besides the sheet. */
struct sheet_ctx {
    struct action x;
    struct contract c;
    struct area *areas;
    int n_areas, version;
    bool archived;
};

static int load(struct req *req, struct res *res, struct sheet_ctx *v)
{
    memset(v, 0, sizeof *v);
    int rc = action_get(req->db, req->arena, req->ids[0], 0, &v->x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable", "Aucune action ne porte ce "
                                                                "numéro.");
    if (rc != ERR_OK || action_meta(req->db, v->x.id, &v->version, &v->archived) != ERR_OK ||
        contract_get(req->db, req->arena, v->x.contract_id, &v->c) != ERR_OK ||
        area_list(req->db, req->arena, v->c.territory.id, &v->areas, &v->n_areas) != ERR_OK)
        return page_db_error(req, res);
    return 0;
}

static bool chosen(const char *const *keys, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (str_eq(keys[i], key))
            return true;
    return false;
}

/* A fieldset of checkboxes for one list of the questionnaire (definitions as help). */
static void choice_set(struct buf *b, const struct sheet_list *l, const char *legend,
                       const char *const *keys, int n, const char *error)
{
    buf_printf(b, "<fieldset class=\"field choices%s\" id=\"f-%h\"><legend>%h</legend>",
               error ? " has-error" : "", l->name, legend);
    if (error)
        buf_printf(b, "<p class=\"field-error\">%h</p>", error);
    for (int i = 0; i < l->n; i++) {
        const struct sheet_choice *c = &l->items[i];
        buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" value=\"%h\""
                      "%s> %h</label>",
                   l->name, c->key, chosen(keys, n, c->key) ? " checked" : "", c->label);
        if (c->help)
            buf_printf(b, "<p class=\"help choice-help\">%h</p>", c->help);
    }
    buf_puts(b, "</fieldset>");
}

/* A select of one list (target public, rhythm), with an empty first option. */
static void choice_select(struct buf *b, const struct sheet_list *l, const char *name,
                          const char *label, const char *selected, const char *help,
                          const char *error)
{
    const char *values[16], *labels[16];
    int n = 0;
    values[n] = "";
    labels[n++] = "— non renseigné —";
    for (int i = 0; i < l->n && n < 16; i++) {
        values[n] = l->items[i].key;
        labels[n++] = l->items[i].label;
    }
    form_select(b, name, label, values, labels, n, selected, error, false);
    if (help)
        buf_printf(b, "<p class=\"help\">%h</p>", help);
}

/* The territory picker: the whole territory, or intercommunalities and communes. */
static void areas_set(struct buf *b, const struct sheet_ctx *v, const struct sheet *s,
                      const char *error)
{
    buf_printf(b, "<fieldset class=\"field areas%s\" id=\"f-areas\"><legend>Territoire couvert"
                  "</legend>",
               error ? " has-error" : "");
    if (error)
        buf_printf(b, "<p class=\"field-error\">%h</p>", error);
    buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"whole_territory\" "
                  "value=\"1\"%s> Tout le territoire (%h)</label>",
               s->whole_territory ? " checked" : "", v->c.territory.name);
    if (!v->n_areas) {
        buf_puts(b, "<p class=\"help\">La liste des communes de ce territoire n'est pas encore "
                    "chargée.</p></fieldset>");
        return;
    }
    buf_puts(b, "<p class=\"help\">Ou bien cochez les intercommunalités ou les communes "
                "concernées (code INSEE entre parenthèses).</p>");
    for (int i = 0; i < v->n_areas; i++) {
        const struct area *e = &v->areas[i];
        if (!str_eq(e->kind, "epci"))
            continue;
        int picked = 0;
        for (int k = 0; k < v->n_areas; k++)
            picked += str_eq(v->areas[k].epci_code, e->code) &&
                      chosen(s->areas, s->n_areas, v->areas[k].code);
        buf_printf(b, "<div class=\"epci\"><label class=\"check\"><input type=\"checkbox\" "
                      "name=\"area\" value=\"%h\"%s> <strong>%h</strong> (toute "
                      "l'intercommunalité)</label><details%s><summary>Communes de %h</summary>"
                      "<div class=\"communes\">",
                   e->code, chosen(s->areas, s->n_areas, e->code) ? " checked" : "", e->name,
                   picked ? " open" : "", e->name);
        for (int k = 0; k < v->n_areas; k++) {
            const struct area *m = &v->areas[k];
            if (!str_eq(m->kind, "commune") || !str_eq(m->epci_code, e->code))
                continue;
            buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"area\" "
                          "value=\"%h\"%s> %h (%h)</label>",
                       m->code, chosen(s->areas, s->n_areas, m->code) ? " checked" : "",
                       m->name, m->code);
        }
        buf_puts(b, "</div></details></div>");
    }
    buf_puts(b, "</fieldset>");
}

/* The funders: one row per funder given, and three empty rows to add some. */
static void funders_set(struct buf *b, struct arena *a, const struct sheet *s, const char *error)
{
    buf_printf(b, "<fieldset class=\"field funders%s\" id=\"f-funders\"><legend>Financeurs"
                  "</legend><p class=\"help\">Choisissez un financeur de la liste ou « Autre » "
                  "et écrivez son nom ; le montant en euros s'il est connu. Videz une ligne pour "
                  "la retirer.</p>",
               error ? " has-error" : "");
    if (error)
        buf_printf(b, "<p class=\"field-error\">%h</p>", error);
    for (int i = 0; i < s->n_funders + 3; i++) {
        const struct sheet_funder *f = i < s->n_funders ? &s->funders[i] : NULL;
        const char *key = f ? (*f->funder ? f->funder : "other") : "";
        buf_printf(b, "<div class=\"funder-row\"><label for=\"f-funder-%d\">Financeur %d</label>"
                      "<select id=\"f-funder-%d\" name=\"funder_key\"><option value=\"\">— aucun "
                      "—</option>",
                   i, i + 1, i);
        for (int k = 0; k < sheet_funders.n; k++)
            buf_printf(b, "<option value=\"%h\"%s>%h</option>", sheet_funders.items[k].key,
                       str_eq(key, sheet_funders.items[k].key) ? " selected" : "",
                       sheet_funders.items[k].label);
        buf_printf(b, "<option value=\"other\"%s>Autre (préciser le nom)</option></select>"
                      "<label for=\"f-funder-name-%d\">Nom (si autre)</label><input type=\"text\" "
                      "id=\"f-funder-name-%d\" name=\"funder_name\" value=\"%h\">"
                      "<label for=\"f-funder-amount-%d\">Montant (€)</label><input type=\"text\" "
                      "id=\"f-funder-amount-%d\" name=\"funder_amount\" value=\"%h\" "
                      "inputmode=\"decimal\"></div>",
                   str_eq(key, "other") ? " selected" : "", i, i,
                   f && !*f->funder ? f->name : "", i, i,
                   f && f->amount >= 0 ? sheet_amount_text(a, f->amount) : "");
    }
    buf_puts(b, "</fieldset>");
}

static void sheet_form(struct req *req, struct res *res, const struct sheet_ctx *v,
                       const struct sheet *s, const char *const *typed, int version,
                       const struct form_errors *errs, bool conflict)
{
    struct buf *b = &res->body;
    struct arena *a = req->arena;
    if (!conflict)
        form_error_summary(b, errs);
    form_begin(b, edit_fmt(a, "/actions/%lld/sheet", v->x.id), auth_form_token(req, res));
    edit_version_field(b, a, version);
    buf_puts(b, "<h2>L'action</h2>");
    form_textarea(b, "description", "Description", s->description,
                  "Ce que fait l'action, concrètement. Aucune donnée de santé sur des personnes.",
                  form_error_of(errs, "description"), false);
    form_textarea(b, "objectives", "Objectifs de l'action", s->objectives,
                  "Ce que l'action veut obtenir : ses résultats attendus se mesurent avec les "
                  "indicateurs de résultat.",
                  form_error_of(errs, "objectives"), false);
    buf_puts(b, "<h2>Public</h2>");
    choice_select(b, &sheet_publics, "target_public", "Public visé", s->target_public, NULL,
                  form_error_of(errs, "target_public"));
    static const char *const legends[SHEET_CHOICE_LISTS] = {
        "Tranches d'âge", "Publics spécifiques", "Professionnels touchés", "Type d'action",
        "Types de partenaires associés", "Composition de l'équipe projet"};
    for (int l = 0; l < 3; l++)
        choice_set(b, sheet_choice_lists[l], legends[l], s->choices[l], s->n_choices[l],
                   form_error_of(errs, sheet_choice_lists[l]->name));
    buf_puts(b, "<h2>Territoire</h2>");
    areas_set(b, v, s, form_error_of(errs, "areas"));
    buf_puts(b, "<h2>Type et rythme</h2>");
    choice_set(b, sheet_choice_lists[3], legends[3], s->choices[3], s->n_choices[3],
               form_error_of(errs, sheet_choice_lists[3]->name));
    choice_select(b, &sheet_rhythms, "rhythm", "Rythme", s->rhythm,
                  "Ponctuelle : à une date précise. Répétitive : répétée dans des lieux ou avec "
                  "des publics différents. Suivie : avec un suivi de la même population.",
                  form_error_of(errs, "rhythm"));
    buf_puts(b, "<h2>Calendrier</h2><p class=\"help\">Écrivez l'année (2024), le mois "
                "(05/2024) ou le jour (15/05/2024).</p>");
    static const char *const dates[] = {"planned_start", "planned_end", "actual_start",
                                        "actual_end"};
    static const char *const date_labels[] = {"Début prévu", "Fin prévue", "Début réel",
                                              "Fin réelle"};
    for (int i = 0; i < 4; i++)
        form_input(b, "text", dates[i], date_labels[i], typed[i], NULL,
                   form_error_of(errs, dates[i]), false);
    buf_puts(b, "<h2>Budget et financement</h2>");
    form_input(b, "text", "planned_budget", "Budget prévu (€)", typed[4], "Par exemple 1 500 "
                                                                          "ou 1 500,50.",
               form_error_of(errs, "planned_budget"), false);
    form_input(b, "text", "actual_budget", "Budget réel (€)", typed[5], NULL,
               form_error_of(errs, "actual_budget"), false);
    funders_set(b, a, s, form_error_of(errs, "funders"));
    buf_printf(b, "<h2>Partenaires et équipe</h2><p class=\"help\">Les partenaires de l'annuaire "
                  "se choisissent dans <a href=\"/actions/%lld/edit\">la modification de "
                  "l'action</a> ; indiquez ici leurs types.</p>",
               v->x.id);
    for (int l = 4; l < SHEET_CHOICE_LISTS; l++)
        choice_set(b, sheet_choice_lists[l], legends[l], s->choices[l], s->n_choices[l],
                   form_error_of(errs, sheet_choice_lists[l]->name));
    buf_puts(b, "<h2>Priorité</h2>");
    static const char *const prios[] = {"high", "normal", "low"};
    static const char *const prio_labels[] = {"Haute", "Normale", "Basse"};
    form_select(b, "priority", "Priorité", prios, prio_labels, 3, s->priority,
                form_error_of(errs, "priority"), true);
    form_end(b, "Enregistrer la fiche");
}

/* Reads the repeated values of a form field into out (empty ones skipped, repeats once). */
static int form_list(const struct req *req, const char *name, const char **out, int max,
                     bool keep_empty)
{
    int n = 0;
    for (int i = 0; i < req->n_form && n < max; i++) {
        if (strcmp(req->form[i].key, name) != 0)
            continue;
        const char *v = req->form[i].value;
        if (!keep_empty && (str_blank(v) || chosen(out, n, v)))
            continue;
        out[n++] = v;
    }
    return n;
}

/* Reads the submitted form into s (typed: the dates and budgets as typed, for the form again). */
static void read_form(struct req *req, struct sheet *s, const char **typed,
                      struct form_errors *errs)
{
    sheet_init(s);
    s->description = form_value(req, "description");
    s->objectives = form_value(req, "objectives");
    s->target_public = form_value(req, "target_public");
    s->rhythm = form_value(req, "rhythm");
    s->priority = form_value(req, "priority");
    s->whole_territory = str_eq(form_value(req, "whole_territory"), "1");
    for (int l = 0; l < SHEET_CHOICE_LISTS; l++)
        s->n_choices[l] = form_list(req, sheet_choice_lists[l]->name, s->choices[l],
                                    SHEET_MAX_CHOICES, false);
    s->n_areas = form_list(req, "area", s->areas, SHEET_MAX_AREAS, false);
    static const char *const dates[] = {"planned_start", "planned_end", "actual_start",
                                        "actual_end"};
    const char **iso[] = {&s->planned_start, &s->planned_end, &s->actual_start,
                          &s->actual_end};
    for (int i = 0; i < 4; i++) {
        typed[i] = form_value(req, dates[i]);
        char out[11];
        if (sheet_parse_date(typed[i], out) != ERR_OK)
            form_error(errs, dates[i], "Écrivez la date sous la forme AAAA, MM/AAAA ou "
                                       "JJ/MM/AAAA, par exemple 05/2024.");
        *iso[i] = arena_strdup(req->arena, out);
    }
    typed[4] = form_value(req, "planned_budget");
    typed[5] = form_value(req, "actual_budget");
    if (sheet_parse_amount(typed[4], &s->planned_budget) != ERR_OK)
        form_error(errs, "planned_budget", "Écrivez un montant en euros, par exemple 1 500.");
    if (sheet_parse_amount(typed[5], &s->actual_budget) != ERR_OK)
        form_error(errs, "actual_budget", "Écrivez un montant en euros, par exemple 1 500.");
    const char *keys[SHEET_MAX_FUNDERS + 3], *names[SHEET_MAX_FUNDERS + 3];
    const char *amounts[SHEET_MAX_FUNDERS + 3];
    int nk = form_list(req, "funder_key", keys, SHEET_MAX_FUNDERS + 3, true);
    int nn = form_list(req, "funder_name", names, SHEET_MAX_FUNDERS + 3, true);
    int na = form_list(req, "funder_amount", amounts, SHEET_MAX_FUNDERS + 3, true);
    for (int i = 0; i < nk && s->n_funders < SHEET_MAX_FUNDERS; i++) {
        const char *name = i < nn ? names[i] : "", *amount = i < na ? amounts[i] : "";
        if (str_blank(keys[i]) && str_blank(name) && str_blank(amount))
            continue;
        struct sheet_funder *f = &s->funders[s->n_funders++];
        f->funder = str_eq(keys[i], "other") ? "" : keys[i];
        f->name = name;
        if (sheet_parse_amount(amount, &f->amount) != ERR_OK)
            form_error(errs, "funders", "Écrivez le montant de chaque financeur en euros, par "
                                        "exemple 1 500.");
        if (!*f->funder && str_blank(name) && !str_blank(keys[i]))
            form_error(errs, "funders", "Écrivez le nom du financeur choisi « Autre ».");
    }
}

static void view(struct req *req, struct res *res, const struct sheet_ctx *v,
                 const struct sheet *s, const char *const *typed, int version,
                 const struct form_errors *errs, const struct audit_entry *changes,
                 int n_changes, bool conflict)
{
    edit_begin(req, res, &v->c, "Compléter la fiche action", sheet_code(&v->x),
               edit_fmt(req->arena, "/actions/%lld", v->x.id), "Fiche");
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">%h%s%h</p>", v->x.code, *v->x.code ? " — " : "",
               v->x.title);
    if (v->archived)
        buf_puts(b, "<p class=\"caution\">Cette action est archivée.</p>");
    if (conflict)
        edit_conflict_box(b, req->arena, changes, n_changes);
    sheet_form(req, res, v, s, typed, version, errs, conflict);
    buf_printf(b, "<p><a href=\"/actions/%lld\">Revenir à l'action sans enregistrer</a></p>",
               v->x.id);
    page_end(res);
}

int sheet_edit_page(struct req *req, struct res *res)
{
    struct sheet_ctx v;
    int rc = load(req, res, &v);
    if (rc)
        return rc;
    struct sheet *s = arena_alloc(req->arena, sizeof *s);
    if (sheet_get(req->db, req->arena, v.x.id, s) != ERR_OK)
        return page_db_error(req, res);
    const char *typed[6] = {
        sheet_typed_date(req->arena, s->planned_start),
        sheet_typed_date(req->arena, s->planned_end),
        sheet_typed_date(req->arena, s->actual_start),
        sheet_typed_date(req->arena, s->actual_end),
        s->planned_budget >= 0 ? sheet_amount_text(req->arena, s->planned_budget) : "",
        s->actual_budget >= 0 ? sheet_amount_text(req->arena, s->actual_budget) : "",
    };
    view(req, res, &v, s, typed, v.version, NULL, NULL, 0, false);
    return 200;
}

int sheet_edit_submit(struct req *req, struct res *res)
{
    struct sheet_ctx v;
    int rc = load(req, res, &v);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version de la fiche manque : rechargez la page et "
                          "recommencez.");
    struct sheet *s = arena_alloc(req->arena, sizeof *s);
    const char *typed[6];
    struct form_errors errs = {0};
    read_form(req, s, typed, &errs);
    struct problems p = {0};
    sheet_check(req->db, v.c.territory.id, s, &p);
    for (int i = 0; i < p.n; i++)
        if (!form_error_of(&errs, p.field[i])) /* the parser's message is the more precise */
            form_error(&errs, p.field[i], p.message[i]);
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = sheet_update(req->db, &who, v.x.id, version, s);
        if (rc == ERR_OK)
            return edit_redirect(req, res, edit_fmt(req->arena, "/actions/%lld?saved=sheet"
                                                                "#fiche",
                                                    v.x.id));
        if (rc == ERR_CONFLICT && v.version != version) {
            struct audit_entry *changes = NULL;
            int n = edit_changes_since(req, "action", v.x.id, version, &changes);
            view(req, res, &v, s, typed, v.version, NULL, changes, n, true);
            res->status = 409;
            return 409;
        }
        if (rc != ERR_INVALID && rc != ERR_CONFLICT)
            return page_db_error(req, res);
        form_error(&errs, "description", "L'enregistrement a été refusé : vérifiez les champs "
                                         "et réessayez.");
    }
    view(req, res, &v, s, typed, version, &errs, NULL, 0, false);
    res->status = 422;
    return 422;
}
