/* governance_forms.c — the coordination's forms for bodies (create, edit, members, elected
 * referents), the yearly meeting plan and people (contact records). Must not contain SQL nor
 * check roles (routes.c declares them); errors are shown next to their field, input kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/account/account.h"
#include "model/plan/editing.h"
#include "model/governance/person.h"
#include "model/governance/meeting_plan.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/kit/form.h"
#include "web/governance/governance.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"

/* A select of people with a first empty option; id must be unique in the page. */
static void people_select(struct buf *b, const char *name, const char *id, const char *label,
                          const struct person *ps, int n, long long selected,
                          const char *error)
{
    buf_printf(b, "<div class=\"field%s\"><label for=\"%h\">%h</label>", error ? " has-error" : "",
               id, label);
    if (error)
        buf_printf(b, "<p class=\"field-error\" id=\"%h-error\">%h</p>", id, error);
    buf_printf(b, "<select id=\"%h\" name=\"%h\"", id, name);
    if (error)
        buf_printf(b, " aria-describedby=\"%h-error\" aria-invalid=\"true\"", id);
    buf_puts(b, "><option value=\"\">— choisir une personne —</option>");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<option value=\"%lld\"%s>%h", ps[i].id,
                   ps[i].id == selected ? " selected" : "", ps[i].name);
        if (*ps[i].organisation_name)
            buf_printf(b, " (%h)", ps[i].organisation_name);
        buf_puts(b, "</option>");
    }
    buf_puts(b, "</select></div>");
}

/* prefix followed by text, in the arena (plain text: escape it where it is shown). */
static const char *concat(struct arena *a, const char *prefix, const char *text)
{
    size_t n = strlen(prefix), m = strlen(text);
    char *s = arena_alloc(a, n + m + 1);
    memcpy(s, prefix, n);
    memcpy(s + n, text, m + 1);
    return s;
}

/* A small one-button form posting to action (with the CSRF field). */
static void button_form(struct req *req, struct res *res, const char *action, const char *label)
{
    buf_printf(&res->body, "<form class=\"inline\" method=\"post\" action=\"%h\">", action);
    form_hidden(&res->body, "csrf", auth_form_token(req, res));
    buf_printf(&res->body, "<button type=\"submit\" class=\"secondary\">%h</button></form>",
               label);
}

/* ---- bodies --------------------------------------------------------------------------------- */

/* The body form's values as typed. */
struct body_form {
    const char *kind, *name, *theme, *description, *min, *max;
};

static void body_form_from(const struct body *x, struct arena *a, struct body_form *f)
{
    f->kind = x->kind;
    f->name = x->name;
    f->theme = x->theme;
    f->description = x->description;
    f->min = edit_fmt(a, "%d", x->min_per_year);
    f->max = x->max_per_year ? edit_fmt(a, "%d", x->max_per_year) : "";
}

static void body_form_read(struct req *req, struct body_form *f, struct body_edit *e,
                           struct form_errors *errs)
{
    f->kind = form_value(req, "kind");
    f->name = form_value(req, "name");
    f->theme = form_value(req, "theme");
    f->description = form_value(req, "description");
    f->min = form_value(req, "min_per_year");
    f->max = form_value(req, "max_per_year");
    long long min = 0, max = 0;
    if (*f->min && str_to_ll(f->min, 0, 52, &min) != ERR_OK)
        form_error(errs, "min_per_year", "Écrivez un nombre de 0 à 52.");
    if (*f->max && str_to_ll(f->max, 0, 52, &max) != ERR_OK)
        form_error(errs, "max_per_year", "Écrivez un nombre de 0 à 52, ou laissez vide.");
    *e = (struct body_edit){f->kind, f->name, f->theme, f->description, (int)min, (int)max};
    struct problems p = {0};
    body_check(e, &p);
    for (int i = 0; i < p.n; i++)
        if (!form_error_of(errs, p.field[i]))
            form_error(errs, p.field[i], p.message[i]);
}

static void body_form_show(struct req *req, struct res *res, const char *action,
                           const struct body_form *f, const struct form_errors *errs, int version,
                           const char *submit)
{
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, action, auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    const char *labels[BODY_KIND_COUNT];
    for (int i = 0; i < BODY_KIND_COUNT; i++)
        labels[i] = body_kind_label(body_kinds[i]);
    form_select(b, "kind", "Type d'instance", body_kinds, labels, BODY_KIND_COUNT, f->kind,
                form_error_of(errs, "kind"), true);
    form_input(b, "text", "name", "Nom", f->name, "Par exemple : Comité de pilotage du CLS",
               form_error_of(errs, "name"), true);
    form_input(b, "text", "theme", "Thème", f->theme,
               "Pour un groupe thématique : parentalité, mobilité, autonomie…",
               form_error_of(errs, "theme"), false);
    form_input(b, "number", "min_per_year", "Nombre minimal de réunions par an", f->min,
               "Le contrat fixe souvent « au moins une fois par an » pour le comité de pilotage.",
               form_error_of(errs, "min_per_year"), false);
    form_input(b, "number", "max_per_year", "Nombre maximal de réunions par an", f->max,
               "Laissez vide s'il n'y a pas de maximum (comité technique : 1 à 2 par an).",
               form_error_of(errs, "max_per_year"), false);
    form_textarea(b, "description", "Rôle et composition", f->description,
                  "Ce que décide l'instance, qui la compose. Pas de données de santé.",
                  form_error_of(errs, "description"), false);
    form_end(b, submit);
}

/* The page of the form creating a body (without page_end). */
static void body_new_show(struct req *req, struct res *res, const struct contract *c,
                          const struct body_form *f, const struct form_errors *errs)
{
    gov_begin(req, res, c, "Nouvelle instance", NULL, NULL);
    body_form_show(req, res, edit_fmt(req->arena, "/contracts/%lld/bodies/new", c->id), f, errs,
                   0, "Créer l'instance");
}

int body_new_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct body_form f = {"steering_committee", "", "", "", "1", ""};
    body_new_show(req, res, &c, &f, NULL);
    page_end(res);
    return 200;
}

int body_new_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct body_form f;
    struct body_edit e;
    struct form_errors errs = {0};
    body_form_read(req, &f, &e, &errs);
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        long long id = 0;
        rc = body_add(req->db, &who, c.id, &e, &id);
        if ((rc = gov_created(req, res, rc, "/bodies/%lld?done=body", id)) != 0)
            return rc;
    }
    body_new_show(req, res, &c, &f, &errs);
    return gov_refused(res, 422);
}

static int body_edit_show(struct req *req, struct res *res, const struct body *x,
                          const struct body_form *f, const struct form_errors *errs, int version,
                          const char *conflict)
{
    struct contract c;
    int rc = load_contract(req, res, x->contract_id, &c);
    if (rc)
        return rc;
    gov_begin(req, res, &c, "Modifier l'instance", x->name,
              edit_fmt(req->arena, "/bodies/%lld", x->id));
    if (conflict)
        buf_printf(&res->body, "<div class=\"error-summary conflict\" role=\"alert\"><p>%h</p>"
                               "</div>",
                   conflict);
    body_form_show(req, res, edit_fmt(req->arena, "/bodies/%lld/edit", x->id), f, errs, version,
                   "Enregistrer");
    page_end(res);
    return 200;
}

int body_edit_page(struct req *req, struct res *res)
{
    struct body x;
    int loaded = gov_load_body(req, res, &x);
    if (loaded)
        return loaded;
    struct body_form f;
    body_form_from(&x, req->arena, &f);
    return body_edit_show(req, res, &x, &f, NULL, x.version, NULL);
}

int body_edit_submit(struct req *req, struct res *res)
{
    struct body x;
    int loaded = gov_load_body(req, res, &x);
    if (loaded)
        return loaded;
    struct body_form f;
    struct body_edit e;
    struct form_errors errs = {0};
    body_form_read(req, &f, &e, &errs);
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet", "Rechargez la page.");
    struct actor who = edit_actor(req);
    const char *conflict = NULL;
    if (errs.n == 0) {
        int rc = body_update(req->db, &who, x.id, version, &e);
        if (rc == ERR_OK)
            return gov_redirect(req, res, "/bodies/%lld?done=body", x.id);
        if (rc == ERR_CONFLICT)
            conflict = "Quelqu'un a modifié cette instance pendant que vous la modifiiez : "
                       "rechargez la page pour voir sa version, puis refaites vos changements.";
        else if (rc != ERR_INVALID)
            return page_db_error(req, res);
    }
    body_edit_show(req, res, &x, &f, &errs, version, conflict);
    res->status = conflict ? 409 : 422;
    return res->status;
}

void body_coordinator_forms(struct req *req, struct res *res, const struct body *body)
{
    struct person *ps;
    struct organisation *orgs;
    int n_ps, n_orgs;
    if (person_list(req->db, req->arena, body->contract_id, &ps, &n_ps) != ERR_OK ||
        organisation_all(req->db, req->arena, &orgs, &n_orgs) != ERR_OK)
        return;
    struct buf *b = &res->body;
    const char *error = req_query(req, "error");
    buf_puts(b, "<section class=\"noprint coordination\"><h2>Gérer l'instance</h2>"
                "<h3 id=\"composition\">Ajouter un membre</h3>");
    if (n_ps == 0)
        buf_printf(b, "<p>Aucune personne n'est encore enregistrée pour ce contrat. "
                      "<a href=\"/contracts/%lld/people/new\">Enregistrer une personne</a>.</p>",
                   body->contract_id);
    else {
        form_begin(b, edit_fmt(req->arena, "/bodies/%lld/members", body->id),
                   auth_form_token(req, res));
        people_select(b, "person_id", "f-member-person", "Personne", ps, n_ps, 0,
                      str_eq(error, "member") ? "Choisissez une personne et son rôle." : NULL);
        const char *labels[3] = {body_role_label("chair"), body_role_label("member"),
                                 body_role_label("guest")};
        form_select(b, "role", "Rôle", body_roles, labels, 3, "member", NULL, true);
        form_end(b, "Ajouter à l'instance");
        struct body_member *ms;
        int n_ms;
        if (body_members(req->db, req->arena, body->id, &ms, &n_ms) == ERR_OK && n_ms) {
            buf_puts(b, "<ul class=\"plain\">");
            for (int i = 0; i < n_ms; i++) {
                buf_printf(b, "<li>%h (%h) ", ms[i].name, body_role_label(ms[i].role));
                button_form(req, res,
                            edit_fmt(req->arena, "/bodies/%lld/members/%lld/remove", body->id,
                                     ms[i].person_id),
                            concat(req->arena, "Retirer ", ms[i].name));
                buf_puts(b, "</li>");
            }
            buf_puts(b, "</ul>");
        }
        buf_puts(b, "<h3 id=\"referents\">Nommer l'élu référent d'une intercommunalité</h3>");
        buf_printf(b, "<form class=\"edit\" method=\"post\" action=\"/bodies/%lld/referents\">",
                   body->id);
        form_hidden(b, "csrf", auth_form_token(req, res));
        buf_puts(b, "<div class=\"field\"><label for=\"f-ref-org\">Intercommunalité</label>"
                    "<select id=\"f-ref-org\" name=\"organisation_id\"><option value=\"\">— "
                    "choisir —</option>");
        for (int i = 0; i < n_orgs; i++)
            if (str_eq(orgs[i].type, "intercommunality"))
                buf_printf(b, "<option value=\"%lld\">%h</option>", orgs[i].id, orgs[i].name);
        buf_puts(b, "</select></div>");
        people_select(b, "person_id", "f-ref-person", "Élu référent", ps, n_ps, 0,
                      str_eq(error, "referent")
                          ? "Choisissez une intercommunalité et une personne du contrat."
                          : NULL);
        form_end(b, "Nommer le référent");
    }
    buf_printf(b, "<h3 id=\"plan\">Inscrire une réunion au plan annuel</h3>"
                  "<form class=\"edit\" method=\"post\" action=\"/bodies/%lld/plan\">",
               body->id);
    form_hidden(b, "csrf", auth_form_token(req, res));
    form_hidden(b, "back", "body");
    form_input(b, "text", "date", "Date ou mois prévu", "",
               "JJ/MM/AAAA, ou le mois seul : MM/AAAA ou « mars 2026 ».",
               str_eq(error, "plan") ? "Cette date n'est pas lisible : écrivez 12/03/2026 ou "
                                       "03/2026."
                                     : NULL,
               true);
    form_input(b, "text", "note", "Remarque", "", NULL, NULL, false);
    form_end(b, "Inscrire au plan");
    buf_puts(b, "</section>");
}

/* Reads an id form field; 0 when absent or not a number. */
static long long form_id(const struct req *req, const char *name)
{
    bool ok = true;
    long long v = edit_form_id(req, name, &ok);
    return ok ? v : 0;
}

/* The page of the route's body (/bodies/{id}), in the arena. */
static const char *body_path(struct req *req)
{
    return edit_fmt(req->arena, "/bodies/%lld", req->ids[0]);
}

int body_member_submit(struct req *req, struct res *res)
{
    long long person = form_id(req, "person_id");
    struct actor who = edit_actor(req);
    int rc = person ? body_member_set(req->db, &who, req->ids[0], person, form_value(req, "role"))
                    : ERR_INVALID;
    return gov_form_answer(req, res, rc, body_path(req), "member", "composition");
}

int body_member_remove_submit(struct req *req, struct res *res)
{
    struct actor who = edit_actor(req);
    int rc = body_member_remove(req->db, &who, req->ids[0], req->ids[1]);
    return gov_form_answer(req, res, rc, body_path(req), "member", "composition");
}

int body_referent_submit(struct req *req, struct res *res)
{
    long long org = form_id(req, "organisation_id"), person = form_id(req, "person_id");
    struct actor who = edit_actor(req);
    int rc = org && person ? body_referent_set(req->db, &who, req->ids[0], org, person)
                           : ERR_INVALID;
    return gov_form_answer(req, res, rc, body_path(req), "referent", "referents");
}

int body_referent_remove_submit(struct req *req, struct res *res)
{
    struct actor who = edit_actor(req);
    int rc = body_referent_remove(req->db, &who, req->ids[0], req->ids[1]);
    return gov_form_answer(req, res, rc, body_path(req), "referent", "referents");
}

/* ---- the yearly plan ------------------------------------------------------------------------ */

/* The plan page of a year; error_body/error/typed: the refused entry, shown next to its field. */
static int plan_show(struct req *req, struct res *res, long long contract_id, int year,
                     long long error_body, const char *error, const char *typed)
{
    struct contract c;
    int rc = load_contract(req, res, contract_id, &c);
    if (rc)
        return rc;
    struct body *bodies;
    struct plan_entry *plan;
    int nb, n_plan;
    if (body_list(req->db, req->arena, c.id, &bodies, &nb) != ERR_OK ||
        plan_list(req->db, req->arena, c.id, year, &plan, &n_plan) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Le plan n'a pas pu être lu.");
    const char *title = edit_fmt(req->arena, "Plan annuel des réunions %d", year);
    gov_begin(req, res, &c, title, NULL, NULL);
    struct buf *b = &res->body;
    if (str_eq(req_query(req, "done"), "plan"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Le plan annuel est enregistré.</p>");
    buf_printf(b, "<p class=\"noprint\"><a href=\"/contracts/%lld/plan?year=%d\">← %d</a> · "
                  "<a href=\"/contracts/%lld/plan?year=%d\">%d →</a> · <a href=\"/contracts/"
                  "%lld/governance?year=%d\">Gouvernance %d</a></p>"
                  "<p>Inscrivez pour chaque instance les réunions de l'année, à une date ou dans "
                  "un mois. Une réunion prévue dont la date passe sans réunion tenue est signalée "
                  "en retard.</p>",
               c.id, year - 1, year - 1, c.id, year + 1, year + 1, c.id, year, year);
    if (nb == 0)
        buf_printf(b, "<p>Aucune instance : <a href=\"/contracts/%lld/bodies/new\">décrivez "
                      "d'abord les instances</a>.</p>",
                   c.id);
    for (int i = 0; i < nb; i++) {
        const struct body *x = &bodies[i];
        buf_printf(b, "<section class=\"plan-body\"><h2 id=\"body-%lld\">%h</h2><p>", x->id,
                   x->name);
        if (x->min_per_year || x->max_per_year)
            buf_printf(b, "Rythme requis : %h.</p>",
                       gov_required_words(req->arena, x->min_per_year, x->max_per_year));
        else
            buf_puts(b, "Pas de rythme requis.</p>");
        bool any = false;
        for (int k = 0; k < n_plan; k++) {
            if (plan[k].body_id != x->id)
                continue;
            if (!any)
                buf_puts(b, "<ul class=\"plain\">");
            any = true;
            buf_printf(b, "<li>%h%s%h — <a href=\"/contracts/%lld/meetings/new?body=%lld&amp;"
                          "date=%u\">créer la réunion</a> ",
                       gov_date_label(req->arena, plan[k].planned_on, plan[k].precision),
                       *plan[k].note ? " : " : "", plan[k].note, c.id, x->id,
                       plan[k].planned_on);
            button_form(req, res,
                        edit_fmt(req->arena, "/bodies/%lld/plan/%lld/remove", x->id, plan[k].id),
                        edit_fmt(req->arena, "Retirer du plan (%s)", plan[k].planned_on));
            buf_puts(b, "</li>");
        }
        if (any)
            buf_puts(b, "</ul>");
        else
            buf_printf(b, "<p class=\"muted\">Rien de prévu en %d.</p>", year);
        bool err = error_body == x->id;
        buf_printf(b, "<form class=\"edit plan-add\" method=\"post\" action=\"/bodies/%lld/"
                      "plan\">",
                   x->id);
        form_hidden(b, "csrf", auth_form_token(req, res));
        form_hidden(b, "year", edit_fmt(req->arena, "%d", year));
        buf_printf(b, "<div class=\"field%s\"><label for=\"f-date-%lld\">Date ou mois prévu "
                      "<span class=\"required\">(obligatoire)</span></label><p class=\"help\" "
                      "id=\"f-date-%lld-help\">JJ/MM/%d, ou le mois : MM/%d.</p>",
                   err ? " has-error" : "", x->id, x->id, year, year);
        if (err)
            buf_printf(b, "<p class=\"field-error\" id=\"f-date-%lld-error\">%h</p>", x->id,
                       error);
        buf_printf(b,
                   "<input type=\"text\" id=\"f-date-%lld\" name=\"date\" value=\"%h\" "
                   "aria-describedby=\"f-date-%lld-help%h\"%s></div>",
                   x->id, err ? typed : "", x->id,
                   err ? edit_fmt(req->arena, " f-date-%lld-error", x->id) : "",
                   err ? " aria-invalid=\"true\"" : "");
        buf_printf(b, "<div class=\"field\"><label for=\"f-note-%lld\">Remarque</label>"
                      "<input type=\"text\" id=\"f-note-%lld\" name=\"note\"></div>",
                   x->id, x->id);
        buf_printf(b, "<p><button type=\"submit\">Inscrire au plan de « %h »</button></p>"
                      "</form></section>",
                   x->name);
    }
    page_end(res);
    return 200;
}

int plan_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    int year;
    if (gov_year(req, &c, &year) != ERR_OK)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2026.");
    return plan_show(req, res, c.id, year, 0, NULL, NULL);
}

int plan_add_submit(struct req *req, struct res *res)
{
    struct body x;
    int loaded = gov_load_body(req, res, &x);
    if (loaded)
        return loaded;
    const char *typed = form_value(req, "date"), *note = form_value(req, "note");
    bool from_body = str_eq(form_value(req, "back"), "body");
    long long year = 0;
    const char *y = form_value(req, "year");
    if (*y && str_to_ll(y, 1900, 2200, &year) != ERR_OK)
        year = 0;
    char date[11];
    const char *precision, *error = NULL;
    if (meeting_parse_date(typed, date, &precision) != ERR_OK)
        error = "Cette date n'est pas lisible : écrivez 12/03/2026, 03/2026 ou « mars 2026 ».";
    else if (str_eq(precision, "year"))
        error = "Précisez au moins le mois : 03/2026 par exemple.";
    else if (year && atoi(date) != year)
        error = edit_fmt(req->arena, "Cette date n'est pas en %lld : changez d'année en haut de "
                                     "la page pour planifier une autre année.",
                         year);
    else if (strlen(note) > 500)
        error = "La remarque dépasse 500 caractères.";
    if (!error) {
        struct actor who = edit_actor(req);
        long long id;
        int rc = plan_add(req->db, &who, x.id, date, precision, note, &id);
        if (rc == ERR_OK)
            return from_body ? gov_redirect(req, res, "/bodies/%lld?done=plan", x.id)
                             : gov_redirect(req, res, "/contracts/%lld/plan?year=%d&done=plan#"
                                                      "body-%lld",
                                            x.contract_id, atoi(date), x.id);
        if (rc != ERR_INVALID)
            return page_db_error(req, res);
        error = "Cette date n'a pas pu être inscrite.";
    }
    if (from_body)
        return gov_redirect(req, res, "/bodies/%lld?error=plan#plan", x.id);
    int rc = plan_show(req, res, x.contract_id, year ? (int)year : atoi(date), x.id, error,
                       typed);
    if (rc == 200)
        res->status = 422;
    return res->status;
}

int plan_remove_submit(struct req *req, struct res *res)
{
    struct body x;
    int loaded = gov_load_body(req, res, &x);
    if (loaded)
        return loaded;
    struct actor who = edit_actor(req);
    struct plan_entry *plan;
    int n, year = 0;
    if (plan_list_body(req->db, req->arena, x.id, &plan, &n) == ERR_OK)
        for (int i = 0; i < n; i++)
            if (plan[i].id == req->ids[1])
                year = plan[i].year;
    int rc = plan_remove(req->db, &who, x.id, req->ids[1]);
    if (rc != ERR_OK && rc != ERR_NOTFOUND)
        return page_db_error(req, res);
    if (!year)
        return gov_redirect(req, res, "/bodies/%lld", x.id);
    return gov_redirect(req, res, "/contracts/%lld/plan?year=%d&done=plan#body-%lld",
                        x.contract_id, year, x.id);
}
