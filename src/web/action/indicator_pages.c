/* indicator_pages.c — indicators on the pages (definition, chart against the target, values)
 * and their forms: a new indicator of an action or an objective, editing and archiving one,
 * recording a value. Forms work without JavaScript: POST, then 303 back to the action or the
 * objective, or the form again with the input kept (422) or what changed (409). Must not
 * contain SQL nor decide who may act (routes.c does). */
#include <stdio.h>
#include <string.h>

#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "format/draw/indicator_svg.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

/* Where an indicator lives: its action's page or its objective's. */
static const char *owner_href(struct arena *a, const struct indicator *x)
{
    if (x->action_id)
        return edit_fmt(a, "/actions/%lld#indicateur-%lld", x->action_id, x->id);
    return edit_fmt(a, "/objectives/%lld#indicateur-%lld", x->objective_id, x->id);
}

/* The value form of an indicator with the given input. */
static void value_form(struct req *req, struct res *res, const struct indicator *x,
                       const char *period, const char *value, const char *source,
                       const char *comment, const struct form_errors *errs)
{
    struct buf *b = &res->body;
    char id[48];
    snprintf(id, sizeof id, "valeur-%lld", x->id);
    buf_printf(b, "<details class=\"value-form noprint\"%s><summary>Enregistrer une valeur"
                  "<span class=\"visually-hidden\"> de l'indicateur %h</span></summary>",
               errs && errs->n ? " open" : "", x->name);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/indicators/%lld/values", x->id),
               auth_form_token(req, res));
    /* Ids of the fields are made unique per indicator: a page shows several of these forms. */
    buf_printf(b, "<div class=\"value-fields\" id=\"%h\">", id);
    struct {
        const char *name, *label, *value, *help;
        bool required;
    } fields[] = {
        {"period", "Période", period, "L'année (2023), le mois (06/2023) ou le jour mesuré.",
         true},
        {"value", "Valeur", value, "Un nombre : 32, 14,5…", true},
        {"source", "Source", source, "D'où vient le chiffre : bilan, feuilles d'émargement…",
         false},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *err = form_error_of(errs, fields[i].name);
        buf_printf(b, "<div class=\"field%s\"><label for=\"%h-%h\">%h%s</label>",
                   err ? " has-error" : "", id, fields[i].name, fields[i].label,
                   fields[i].required ? " <span class=\"required\">(obligatoire)</span>" : "");
        buf_printf(b, "<p class=\"help\" id=\"%h-%h-help\">%h</p>", id, fields[i].name,
                   fields[i].help);
        if (err)
            buf_printf(b, "<p class=\"field-error\" id=\"%h-%h-error\">%h</p>", id, fields[i].name,
                       err);
        const char *desc =
            err ? edit_fmt(req->arena, "%s-%s-help %s-%s-error", id, fields[i].name, id,
                           fields[i].name)
                : edit_fmt(req->arena, "%s-%s-help", id, fields[i].name);
        buf_printf(b,
                   "<input type=\"text\" id=\"%h-%h\" name=\"%h\" value=\"%h\" "
                   "aria-describedby=\"%h\"%s%s></div>",
                   id, fields[i].name, fields[i].name, fields[i].value, desc,
                   err ? " aria-invalid=\"true\"" : "", fields[i].required ? " required" : "");
    }
    const char *err = form_error_of(errs, "comment");
    buf_printf(b,
               "<div class=\"field%s\"><label for=\"%h-comment\">Commentaire</label><p "
               "class=\"help\" id=\"%h-comment-help\">Seulement des nombres et des faits "
               "collectifs : aucune donnée de santé sur des personnes.</p>",
               err ? " has-error" : "", id, id);
    if (err)
        buf_printf(b, "<p class=\"field-error\">%h</p>", err);
    buf_printf(b,
               "<textarea id=\"%h-comment\" name=\"comment\" rows=\"3\" "
               "aria-describedby=\"%h-comment-help\">%h</textarea></div></div>",
               id, id, comment);
    form_end(b, "Enregistrer la valeur");
    buf_puts(b, "</details>");
}

void indicator_block(struct req *req, struct res *res, const struct indicator *x, bool may_edit,
                     bool comments, bool people)
{
    struct buf *b = &res->body;
    struct arena *a = req->arena;
    buf_printf(b, "<article class=\"indicator\" id=\"indicateur-%lld\"><h3>%h <span "
                  "class=\"kind kind-%h\">Indicateur de %s</span></h3>",
               x->id, x->name, x->kind, str_eq(x->kind, "result") ? "résultat" : "processus");
    buf_puts(b, "<dl class=\"fields\">");
    if (*x->unit)
        buf_printf(b, "<dt>Unité</dt><dd>%h</dd>", x->unit);
    buf_printf(b, "<dt>Valeur de départ</dt><dd>%h</dd><dt>Cible</dt><dd>%s%h%s</dd>",
               x->has_baseline ? indicator_number(a, x->baseline) : "non renseignée",
               x->has_target ? "" : "<span class=\"muted\">",
               x->has_target ? indicator_number(a, x->target) : "pas de cible",
               x->has_target ? "" : "</span>");
    if (*x->method)
        buf_printf(b, "<dt>Mode de recueil</dt><dd class=\"pre\">%h</dd>", x->method);
    if (*x->collected_by)
        buf_printf(b, "<dt>Recueilli par</dt><dd>%h</dd>", x->collected_by);
    if (*x->frequency)
        buf_printf(b, "<dt>Fréquence</dt><dd>%h</dd>", x->frequency);
    buf_puts(b, "</dl>");
    struct ichart_point *pts = arena_alloc(a, sizeof *pts * (size_t)(x->n_values + 1));
    for (int i = 0; i < x->n_values; i++)
        pts[i] = (struct ichart_point){sheet_date_text(a, x->values[i].period),
                                       x->values[i].value};
    struct ichart c = {
        .id = edit_fmt(a, "chart-indicator-%lld", x->id),
        .title = x->has_target ? "Valeurs par période et cible" : "Valeurs par période",
        .unit = x->unit,
        .has_target = x->has_target,
        .target = x->target,
        .has_baseline = x->has_baseline,
        .baseline = x->baseline,
    };
    buf_puts(b, "<figure class=\"chart-figure\">");
    indicator_svg_values(b, &c, pts, x->n_values);
    buf_puts(b, "</figure>");
    if (x->n_values) {
        buf_printf(b, "<div class=\"table-wrap\"><table class=\"values narrow\"><caption>Valeurs "
                      "de « %h »</caption><thead><tr><th scope=\"col\">Période</th>"
                      "<th scope=\"col\" class=\"num\">Valeur</th><th scope=\"col\">Source</th>%s"
                      "<th scope=\"col\">Enregistrée</th></tr></thead><tbody>",
                   x->name, comments ? "<th scope=\"col\">Commentaire</th>" : "");
        for (int i = x->n_values - 1; i >= 0; i--) {
            const struct indicator_value *v = &x->values[i];
            buf_printf(b, "<tr><td>%h</td><td class=\"num\">%h</td><td>%h</td>",
                       sheet_date_text(a, v->period), indicator_number(a, v->value), v->source);
            if (comments)
                buf_printf(b, "<td class=\"pre\">%h</td>", v->comment);
            buf_printf(b, "<td>%h", date_fr(a, v->recorded_at));
            if (!v->account_id && *v->recorded_by)
                buf_printf(b, " — %h", v->recorded_by);
            else if (people && *v->recorded_by)
                buf_printf(b, " — par %h", v->recorded_by);
            buf_puts(b, "</td></tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    if (may_edit) {
        value_form(req, res, x, "", "", "", "", NULL);
        buf_printf(b, "<p class=\"noprint\"><a href=\"/indicators/%lld/edit\">Modifier "
                      "l'indicateur<span class=\"visually-hidden\"> %h</span></a></p>",
                   x->id, x->name);
    }
    buf_puts(b, "</article>");
}

/* ---- the indicator form ------------------------------------------------------------------- */

/* Where a new or edited indicator belongs, and the page around its form. */
struct owner {
    struct contract c;
    long long action_id, objective_id;
    const char *code, *title, *href;
};

static void begin_owner(struct req *req, struct res *res, const struct owner *o,
                        const char *title)
{
    edit_begin(req, res, &o->c, title, o->code, o->href, title);
    buf_printf(&res->body, "<p class=\"lede\">%h%s%h</p>", o->code, *o->code ? " — " : "",
               o->title);
}

static void indicator_form(struct req *req, struct res *res, const char *url,
                           const struct indicator_edit *e, const char *baseline,
                           const char *target, int version, const struct form_errors *errs,
                           const char *submit)
{
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, url, auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    form_input(b, "text", "name", "Nom de l'indicateur", e->name,
               "Ce qui est compté ou mesuré : « Nombre de participants », « Part des communes "
               "couvertes »…",
               form_error_of(errs, "name"), true);
    static const char *const kinds[] = {"", "process", "result"};
    static const char *const kind_labels[] = {"— choisir —", "Indicateur de processus",
                                              "Indicateur de résultat"};
    form_select(b, "kind", "Type", kinds, kind_labels, 3, e->kind, form_error_of(errs, "kind"),
                true);
    buf_puts(b, "<p class=\"help\">Processus : ce qui a été fait (séances, participants). "
                "Résultat : l'effet attendu (connaissances acquises, accès aux soins…). Une fiche "
                "se valide avec au moins un indicateur de résultat qui a une cible.</p>");
    form_input(b, "text", "unit", "Unité", e->unit, "séances, personnes, %…",
               form_error_of(errs, "unit"), false);
    form_input(b, "text", "baseline", "Valeur de départ", baseline,
               "La valeur au début de l'action, si elle est connue.",
               form_error_of(errs, "baseline"), false);
    form_input(b, "text", "target", "Cible", target, "La valeur à atteindre.",
               form_error_of(errs, "target"), false);
    form_textarea(b, "method", "Mode de recueil", e->method,
                  "Comment le chiffre est obtenu : feuilles d'émargement, questionnaire…",
                  form_error_of(errs, "method"), false);
    form_input(b, "text", "collected_by", "Recueilli par", e->collected_by,
               "La structure ou la fonction qui le recueille.",
               form_error_of(errs, "collected_by"), false);
    form_input(b, "text", "frequency", "Fréquence de recueil", e->frequency,
               "Chaque séance, chaque année…", form_error_of(errs, "frequency"), false);
    form_end(b, submit);
}

/* Reads the submitted indicator form into e; number errors go to errs. */
static void read_indicator_form(struct req *req, struct indicator_edit *e,
                                struct form_errors *errs)
{
    memset(e, 0, sizeof *e);
    e->name = form_value(req, "name");
    e->kind = form_value(req, "kind");
    e->unit = form_value(req, "unit");
    e->method = form_value(req, "method");
    e->collected_by = form_value(req, "collected_by");
    e->frequency = form_value(req, "frequency");
    if (indicator_parse_number(form_value(req, "baseline"), &e->baseline, &e->has_baseline) !=
        ERR_OK)
        form_error(errs, "baseline", "Écrivez un nombre, par exemple 12 ou 12,5.");
    if (indicator_parse_number(form_value(req, "target"), &e->target, &e->has_target) != ERR_OK)
        form_error(errs, "target", "Écrivez un nombre, par exemple 40.");
    struct problems p = {0};
    indicator_check(e, &p);
    edit_problems(&p, errs);
}

/* The owner of a new indicator: the route's action (objective false) or objective. */
static int load_owner(struct req *req, struct res *res, bool objective, struct owner *o)
{
    memset(o, 0, sizeof *o);
    long long contract_id = 0;
    if (objective) {
        struct objective ob;
        struct objective_meta meta;
        int rc = objective_get(req->db, req->arena, req->ids[0], &ob, &meta);
        if (rc == ERR_NOTFOUND)
            return page_error(req, res, 404, "Objectif introuvable",
                              "Aucun objectif ne porte ce numéro.");
        if (rc != ERR_OK)
            return page_db_error(req, res);
        o->objective_id = ob.id;
        o->code = ob.code;
        o->title = ob.title;
        o->href = edit_fmt(req->arena, "/objectives/%lld", ob.id);
        contract_id = meta.contract_id;
    } else {
        struct action x;
        int rc = action_get(req->db, req->arena, req->ids[0], 0, &x);
        if (rc == ERR_NOTFOUND)
            return page_error(req, res, 404, "Action introuvable",
                              "Aucune action ne porte ce numéro.");
        if (rc != ERR_OK)
            return page_db_error(req, res);
        o->action_id = x.id;
        o->code = sheet_code(&x);
        o->title = x.title;
        o->href = edit_fmt(req->arena, "/actions/%lld", x.id);
        contract_id = x.contract_id;
    }
    if (contract_get(req->db, req->arena, contract_id, &o->c) != ERR_OK)
        return page_db_error(req, res);
    return 0;
}

static int new_page(struct req *req, struct res *res, bool objective)
{
    struct owner o;
    int rc = load_owner(req, res, objective, &o);
    if (rc)
        return rc;
    begin_owner(req, res, &o, "Nouvel indicateur");
    struct indicator_edit e = {.name = "", .kind = "", .unit = "", .method = "",
                               .collected_by = "", .frequency = ""};
    indicator_form(req, res, req->path, &e, "", "", 0, NULL, "Ajouter l'indicateur");
    buf_printf(&res->body, "<p><a href=\"%h\">Revenir sans enregistrer</a></p>", o.href);
    page_end(res);
    return 200;
}

static int new_submit(struct req *req, struct res *res, bool objective)
{
    struct owner o;
    int rc = load_owner(req, res, objective, &o);
    if (rc)
        return rc;
    struct indicator_edit e;
    struct form_errors errs = {0};
    read_indicator_form(req, &e, &errs);
    long long id = 0;
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = indicator_add(req->db, &who, o.action_id, o.objective_id, &e, &id);
        if (rc == ERR_INVALID)
            form_error(&errs, "name", "L'indicateur n'a pas pu être ajouté : l'action ou "
                                      "l'objectif est peut-être archivé.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n) {
        begin_owner(req, res, &o, "Nouvel indicateur");
        indicator_form(req, res, req->path, &e, form_value(req, "baseline"),
                       form_value(req, "target"), 0, &errs, "Ajouter l'indicateur");
        page_end(res);
        res->status = 422;
        return 422;
    }
    return edit_redirect(req, res, edit_fmt(req->arena, "%s?saved=indicator#indicateur-%lld",
                                            o.href, id));
}

int indicator_new_page(struct req *req, struct res *res)
{
    return new_page(req, res, false);
}

int indicator_new_submit(struct req *req, struct res *res)
{
    return new_submit(req, res, false);
}

int objective_indicator_new_page(struct req *req, struct res *res)
{
    return new_page(req, res, true);
}

int objective_indicator_new_submit(struct req *req, struct res *res)
{
    return new_submit(req, res, true);
}

/* The route's indicator and its owner; 0 or the status of the error page written. */
static int load_indicator(struct req *req, struct res *res, struct indicator *x, struct owner *o)
{
    int rc = indicator_get(req->db, req->arena, req->ids[0], x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Indicateur introuvable",
                          "Aucun indicateur ne porte ce numéro.");
    if (rc != ERR_OK || contract_get(req->db, req->arena, x->contract_id, &o->c) != ERR_OK)
        return page_db_error(req, res);
    o->action_id = x->action_id;
    o->objective_id = x->objective_id;
    o->code = x->owner_code;
    o->title = x->owner_title;
    o->href = x->action_id ? edit_fmt(req->arena, "/actions/%lld", x->action_id)
                           : edit_fmt(req->arena, "/objectives/%lld", x->objective_id);
    if (x->action_id && !*o->code)
        o->code = "Piste";
    return 0;
}

static void edit_view(struct req *req, struct res *res, const struct indicator *x,
                      const struct owner *o, const struct indicator_edit *e,
                      const char *baseline, const char *target, int version,
                      const struct form_errors *errs, bool conflict)
{
    begin_owner(req, res, o, "Modifier l'indicateur");
    struct buf *b = &res->body;
    if (conflict) {
        buf_puts(b, "<div class=\"error-summary conflict\" role=\"alert\"><h2>Quelqu'un a "
                    "modifié cet indicateur pendant que vous le modifiiez</h2><p>Votre "
                    "enregistrement a été refusé pour ne pas effacer ses changements. Vos "
                    "saisies sont conservées ci-dessous : vérifiez-les, puis enregistrez de "
                    "nouveau.</p></div>");
    }
    indicator_form(req, res, edit_fmt(req->arena, "/indicators/%lld/edit", x->id), e, baseline,
                   target, version, errs, "Enregistrer l'indicateur");
    buf_printf(b, "<section class=\"danger noprint\" aria-labelledby=\"archiver\"><h2 "
                  "id=\"archiver\">%s l'indicateur</h2><form method=\"post\" "
                  "action=\"/indicators/%lld/archive\">",
               x->archived ? "Restaurer" : "Archiver", x->id);
    form_hidden(b, "csrf", auth_form_token(req, res));
    edit_version_field(b, req->arena, x->version);
    if (x->archived)
        form_hidden(b, "restore", "1");
    buf_printf(b, "<p>%s</p><p><button type=\"submit\">%s l'indicateur</button></p></form>"
                  "</section><p><a href=\"%h\">Revenir sans enregistrer</a></p>",
               x->archived ? "L'indicateur reviendra sur la fiche et dans les bilans."
                           : "Un indicateur archivé sort de la fiche, de sa validation et des "
                             "bilans ; ses valeurs restent enregistrées.",
               x->archived ? "Restaurer" : "Archiver", o->href);
    page_end(res);
}

int indicator_edit_page(struct req *req, struct res *res)
{
    struct indicator x;
    struct owner o;
    int rc = load_indicator(req, res, &x, &o);
    if (rc)
        return rc;
    struct indicator_edit e = {x.name,         x.kind,         x.unit,     x.method,
                               x.collected_by, x.frequency,    x.has_baseline, x.has_target,
                               x.baseline,     x.target};
    edit_view(req, res, &x, &o, &e, x.has_baseline ? indicator_number(req->arena, x.baseline) : "",
              x.has_target ? indicator_number(req->arena, x.target) : "", x.version, NULL, false);
    return 200;
}

int indicator_edit_submit(struct req *req, struct res *res)
{
    struct indicator x;
    struct owner o;
    int rc = load_indicator(req, res, &x, &o);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    struct indicator_edit e;
    struct form_errors errs = {0};
    read_indicator_form(req, &e, &errs);
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = indicator_update(req->db, &who, x.id, version, &e);
        if (rc == ERR_OK)
            return edit_redirect(req, res, edit_fmt(req->arena, "%s?saved=1#indicateur-%lld",
                                                    o.href, x.id));
        if (rc == ERR_CONFLICT) {
            edit_view(req, res, &x, &o, &e, form_value(req, "baseline"),
                      form_value(req, "target"), x.version, NULL, true);
            res->status = 409;
            return 409;
        }
        if (rc != ERR_INVALID)
            return page_db_error(req, res);
        form_error(&errs, "name", "L'enregistrement a été refusé : vérifiez les champs.");
    }
    edit_view(req, res, &x, &o, &e, form_value(req, "baseline"), form_value(req, "target"),
              version, &errs, false);
    res->status = 422;
    return 422;
}

int indicator_archive_submit(struct req *req, struct res *res)
{
    struct indicator x;
    struct owner o;
    int rc = load_indicator(req, res, &x, &o);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    bool restore = str_eq(req_form(req, "restore"), "1");
    struct actor who = edit_actor(req);
    rc = indicator_archive(req->db, &who, x.id, version, !restore);
    if (rc == ERR_CONFLICT)
        return page_error(req, res, 409, "L'indicateur a changé entre-temps",
                          "Quelqu'un l'a modifié depuis que vous avez ouvert la page : "
                          "rechargez-la et recommencez.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, restore ? "%s?saved=indicator_restored"
                                                                : "%s?saved=indicator_archived",
                                            o.href));
}

int indicator_value_submit(struct req *req, struct res *res)
{
    struct indicator x;
    struct owner o;
    int rc = load_indicator(req, res, &x, &o);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    const char *period = form_value(req, "period"), *value = form_value(req, "value");
    const char *source = form_value(req, "source"), *comment = form_value(req, "comment");
    char iso[11];
    double v = 0;
    bool has = false;
    if (indicator_parse_period(period, iso) != ERR_OK)
        form_error(&errs, "period", "Écrivez la période sous la forme AAAA, MM/AAAA ou "
                                    "JJ/MM/AAAA, par exemple 2023.");
    if (indicator_parse_number(value, &v, &has) != ERR_OK || !has)
        form_error(&errs, "value", "Écrivez la valeur en chiffres, par exemple 32 ou 14,5.");
    if (strlen(source) > 2000)
        form_error(&errs, "source", "La source dépasse 2 000 caractères.");
    if (strlen(comment) > EDIT_TEXT_MAX)
        form_error(&errs, "comment", "Le commentaire dépasse 20 000 caractères.");
    if (x.archived)
        form_error(&errs, "value", "Cet indicateur est archivé : restaurez-le d'abord.");
    if (!errs.n) {
        struct actor who = edit_actor(req);
        bool added = false;
        rc = indicator_value_add(req->db, &who, x.id, iso, v, source, comment, &added);
        if (rc == ERR_OK)
            return edit_redirect(req, res, edit_fmt(req->arena, "%s?saved=%s#indicateur-%lld",
                                                    o.href, added ? "value" : "same_value",
                                                    x.id));
        if (rc != ERR_INVALID)
            return page_db_error(req, res);
        form_error(&errs, "value", "La valeur a été refusée : vérifiez les champs.");
    }
    begin_owner(req, res, &o, "Enregistrer une valeur");
    buf_printf(&res->body, "<h2>%h</h2>", x.name);
    value_form(req, res, &x, period, value, source, comment, &errs);
    buf_printf(&res->body, "<p><a href=\"%h\">Revenir sans enregistrer</a></p>",
               owner_href(req->arena, &x));
    page_end(res);
    res->status = 422;
    return 422;
}
