/* directory_edit.c — the coordination's forms of the directory: add and edit a service, and set
 * each contact's consent to appear publicly, retention date and referent themes and
 * intercommunalities. Must not contain SQL nor check roles (routes.c declares them); every
 * write goes through the model's audited, version-checked functions. */
#include <stdio.h>
#include <string.h>

#include "model/plan/editing.h"
#include "model/governance/person.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/directory/directory.h"

/* The repeated form field name joined with spaces (ticked boxes), plus extra typed words. */
static const char *form_words(const struct req *req, const char *name, const char *extra)
{
    struct buf text = {0};
    for (int i = 0; i < req->n_form; i++)
        if (str_eq(req->form[i].key, name) && !str_blank(req->form[i].value) &&
            !strchr(req->form[i].value, ' ')) {
            if (text.len)
                buf_putc(&text, ' ');
            buf_puts(&text, req->form[i].value);
        }
    /* Typed codes may be separated by commas, semicolons or blanks. */
    for (const char *s = extra ? extra : ""; *s;) {
        size_t len = strcspn(s, " ,;\t\r\n");
        if (len) {
            if (text.len)
                buf_putc(&text, ' ');
            buf_append(&text, s, len);
        }
        s += len;
        while (*s && strchr(" ,;\t\r\n", *s))
            s++;
    }
    char *out = arena_alloc(req->arena, text.len + 1);
    memcpy(out, text.len ? text.p : "", text.len + 1);
    buf_free(&text);
    return out;
}

/* A fieldset of checkboxes, one per value of v (only those starting with prefix; "!x": only those
 * that do not start with x). */
static void vocab_boxes(struct buf *b, const char *name, const char *legend, const char *help,
                        const struct vocab *v, const char *prefix, const char *chosen,
                        const char *error)
{
    buf_printf(b, "<fieldset class=\"field%s\" id=\"f-%h\"><legend>%h</legend>",
               error ? " has-error" : "", name, legend);
    if (help)
        buf_printf(b, "<p class=\"help\">%h</p>", help);
    if (error)
        buf_printf(b, "<p class=\"field-error\">%h</p>", error);
    for (int i = 0; v[i].value; i++)
        if (!prefix || (*prefix == '!') != (strncmp(v[i].value, prefix + (*prefix == '!'),
                                                    strlen(prefix + (*prefix == '!'))) == 0))
            buf_printf(b,
                       "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" "
                       "value=\"%h\"%s> %h</label>",
                       name, v[i].value, directory_list_has(chosen, v[i].value) ? " checked" : "",
                       v[i].label);
    buf_puts(b, "</fieldset>");
}

/* The EPCIs of the territory as checkboxes; the other codes of chosen are returned in *others
 * (for the text field). */
static void epci_boxes(struct buf *b, struct arena *a, const char *name, const char *legend,
                       const struct area *all, int n, const char *chosen, const char **others)
{
    buf_printf(b, "<fieldset class=\"field\"><legend>%h</legend>", legend);
    for (int i = 0; i < n; i++)
        if (str_eq(all[i].kind, "epci"))
            buf_printf(b,
                       "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" "
                       "value=\"%h\"%s> %h</label>",
                       name, all[i].code,
                       directory_list_has(chosen, all[i].code) ? " checked" : "", all[i].name);
    buf_puts(b, "</fieldset>");
    if (!others)
        return;
    struct buf text = {0};
    for (const char *s = chosen ? chosen : ""; *s;) {
        size_t len = strcspn(s, " ");
        bool epci = false;
        for (int i = 0; i < n && !epci; i++)
            epci = str_eq(all[i].kind, "epci") && strlen(all[i].code) == len &&
                   strncmp(all[i].code, s, len) == 0;
        if (len && !epci) {
            if (text.len)
                buf_putc(&text, ' ');
            buf_append(&text, s, len);
        }
        s += len;
        while (*s == ' ')
            s++;
    }
    char *out = arena_alloc(a, text.len + 1);
    memcpy(out, text.len ? text.p : "", text.len + 1);
    buf_free(&text);
    *others = out;
}

/* The service form's values, as typed or as stored. */
struct service_form {
    struct service_edit e;
    const char *other_areas; /* typed codes besides the ticked EPCIs */
};

static void service_form_read(struct req *req, long long contract_id, struct service_form *f,
                              struct form_errors *errs)
{
    bool ok_org = true, ok_person = true;
    f->other_areas = form_value(req, "other_areas");
    f->e = (struct service_edit){
        .name = form_value(req, "name"),
        .description = form_value(req, "description"),
        .phone = form_value(req, "phone"),
        .email = form_value(req, "email"),
        .website = form_value(req, "website"),
        .hours = form_value(req, "hours"),
        .publics_note = form_value(req, "publics_note"),
        .modes = form_words(req, "modes", NULL),
        .publics = form_words(req, "publics", NULL),
        .themes = form_words(req, "themes", NULL),
        .areas = form_words(req, "areas", f->other_areas),
        .organisation_id = edit_form_id(req, "organisation_id", &ok_org),
        .person_id = edit_form_id(req, "person_id", &ok_person),
    };
    if (!ok_org)
        form_error(errs, "organisation_id", "Choisissez un organisme dans la liste.");
    if (!ok_person)
        form_error(errs, "person_id", "Choisissez une personne dans la liste.");
    struct problems p = {0};
    service_check(req->db, contract_id, &f->e, &p);
    for (int i = 0; i < p.n; i++)
        if (!form_error_of(errs, p.field[i]))
            form_error(errs, p.field[i], p.message[i]);
}

static void service_form_show(struct req *req, struct res *res, const struct contract *c,
                              const char *action, const struct service_form *f,
                              const struct form_errors *errs, int version, const char *submit)
{
    struct organisation *orgs;
    struct person *people;
    struct area *all;
    int n_orgs = 0, n_people = 0, n_all = 0;
    if (organisation_all(req->db, req->arena, &orgs, &n_orgs) != ERR_OK)
        n_orgs = 0;
    if (person_list(req->db, req->arena, c->id, &people, &n_people) != ERR_OK)
        n_people = 0;
    if (area_list(req->db, req->arena, c->territory.id, &all, &n_all) != ERR_OK)
        n_all = 0;
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, action, auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    form_input(b, "text", "name", "Nom du service", f->e.name,
               "Par exemple : Transport à la demande seniors", form_error_of(errs, "name"), true);
    form_textarea(b, "description", "Description", f->e.description,
                  "De 50 à 2 000 caractères : ce que fait le service, pour qui, comment le "
                  "joindre. Aucune donnée sur des patients ou des bénéficiaires.",
                  form_error_of(errs, "description"), true);
    edit_org_select(b, "organisation_id", NULL, "Organisme qui propose le service", orgs, n_orgs,
                    f->e.organisation_id, "— choisir —", NULL,
                    form_error_of(errs, "organisation_id"));
    const char *err = form_error_of(errs, "person_id");
    buf_printf(b,
               "<div class=\"field%s\"><label for=\"f-person_id\">Personne à contacter"
               "</label><p class=\"help\" id=\"f-person_id-help\">Son nom n'apparaît sur les "
               "pages publiques et dans les exports que si elle y a consenti.</p>",
               err ? " has-error" : "");
    if (err)
        buf_printf(b, "<p class=\"field-error\">%h</p>", err);
    buf_puts(b, "<select id=\"f-person_id\" name=\"person_id\" aria-describedby=\""
                "f-person_id-help\"><option value=\"\">— aucune —</option>");
    for (int i = 0; i < n_people; i++)
        buf_printf(b, "<option value=\"%lld\"%s>%h</option>", people[i].id,
                   people[i].id == f->e.person_id ? " selected" : "", people[i].name);
    buf_puts(b, "</select></div>");
    form_input(b, "tel", "phone", "Téléphone du service", f->e.phone, NULL,
               form_error_of(errs, "phone"), false);
    form_input(b, "email", "email", "E-mail du service", f->e.email, NULL,
               form_error_of(errs, "email"), false);
    form_input(b, "url", "website", "Lien (prise de contact, inscription)", f->e.website, NULL,
               form_error_of(errs, "website"), false);
    form_input(b, "text", "hours", "Horaires", f->e.hours,
               "Par exemple : Mo-Fr 09:00-12:00 (format OpenStreetMap) ou en toutes lettres.",
               form_error_of(errs, "hours"), false);
    vocab_boxes(b, "themes", "Thèmes (santé)", NULL, directory_themes, "sante--", f->e.themes,
                form_error_of(errs, "themes"));
    /* The other families too, so that editing keeps the themes an import brought. */
    vocab_boxes(b, "themes", "Autres thèmes (data·inclusion)", NULL, directory_themes, "!sante--",
                f->e.themes, NULL);
    vocab_boxes(b, "publics", "Publics", "« Tous publics » se coche seul.", directory_publics,
                NULL, f->e.publics, form_error_of(errs, "publics"));
    form_input(b, "text", "publics_note", "Précisions sur le public", f->e.publics_note, NULL,
               form_error_of(errs, "publics_note"), false);
    vocab_boxes(b, "modes", "Accueil", NULL, directory_modes, NULL, f->e.modes,
                form_error_of(errs, "modes"));
    const char *others = f->other_areas;
    epci_boxes(b, req->arena, "areas", "Intercommunalités couvertes (aucune : tout le territoire)",
               all, n_all, f->e.areas, others ? NULL : &others);
    form_input(b, "text", "other_areas", "Autres codes de territoire", others,
               "Codes INSEE de communes (55021), numéros de département (55), séparés par des "
               "espaces.",
               form_error_of(errs, "areas"), false);
    form_end(b, submit);
}

int directory_service_new_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct service_form f = {{.name = "",
                              .description = "",
                              .phone = "",
                              .email = "",
                              .website = "",
                              .hours = "",
                              .publics_note = "",
                              .modes = "",
                              .publics = "",
                              .themes = "",
                              .areas = ""},
                             NULL};
    dir_begin(req, res, &c, "Nouveau service", NULL, NULL);
    service_form_show(req, res, &c,
                      edit_fmt(req->arena, "/contracts/%lld/directory/services/new", c.id), &f,
                      NULL, 0, "Enregistrer le service");
    page_end(res);
    return 200;
}

int directory_service_new_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct service_form f;
    struct form_errors errs = {0};
    service_form_read(req, c.id, &f, &errs);
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        long long id;
        rc = service_add(req->db, &who, c.id, &f.e, &id);
        if (rc == ERR_OK)
            return edit_redirect(req, res,
                                 edit_fmt(req->arena,
                                          "/contracts/%lld/directory/services/%lld?done=service",
                                          c.id, id));
        if (rc != ERR_INVALID)
            return page_db_error(req, res);
    }
    dir_begin(req, res, &c, "Nouveau service", NULL, NULL);
    service_form_show(req, res, &c,
                      edit_fmt(req->arena, "/contracts/%lld/directory/services/new", c.id), &f,
                      &errs, 0, "Enregistrer le service");
    page_end(res);
    res->status = 422;
    return 422;
}

/* The route's service (ids[1]) if it is one of the route's contract (ids[0]). */
static int edit_load(struct req *req, struct res *res, struct contract *c, struct service *s)
{
    int rc = load_contract(req, res, req->ids[0], c);
    if (rc)
        return rc;
    rc = service_get(req->db, req->arena, req->ids[1], s);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && s->contract_id != c->id))
        return page_error(req, res, 404, "Service introuvable",
                          "Aucun service de cet annuaire ne porte ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

int directory_service_edit_page(struct req *req, struct res *res)
{
    struct contract c;
    struct service s;
    int rc = edit_load(req, res, &c, &s);
    if (rc)
        return rc;
    struct service_form f = {{s.external_id, s.name, s.description, s.phone, s.email, s.website,
                              s.hours, s.publics_note, s.modes, s.publics, s.themes, s.areas,
                              s.organisation_id, s.person_id, NULL},
                             NULL};
    dir_begin(req, res, &c, s.name, NULL, NULL);
    service_form_show(
        req, res, &c,
        edit_fmt(req->arena, "/contracts/%lld/directory/services/%lld/edit", c.id, s.id), &f, NULL,
        s.version, "Enregistrer");
    page_end(res);
    return 200;
}

int directory_service_edit_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct service s;
    int rc = edit_load(req, res, &c, &s);
    if (rc)
        return rc;
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le formulaire n'indique pas la version de la fiche : rechargez-la.");
    struct service_form f;
    struct form_errors errs = {0};
    service_form_read(req, c.id, &f, &errs);
    f.e.external_id = s.external_id; /* kept: the id other platforms know it by */
    const char *conflict = NULL;
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        rc = service_update(req->db, &who, s.id, version, &f.e);
        if (rc == ERR_OK)
            return edit_redirect(req, res,
                                 edit_fmt(req->arena,
                                          "/contracts/%lld/directory/services/%lld?done=service",
                                          c.id, s.id));
        if (rc == ERR_CONFLICT)
            conflict = "Quelqu'un a modifié ce service depuis que vous l'avez ouvert : vos "
                       "changements ne sont pas enregistrés. Rechargez la page pour voir la "
                       "version actuelle.";
        else if (rc != ERR_INVALID)
            return page_db_error(req, res);
    }
    dir_begin(req, res, &c, s.name, NULL, NULL);
    if (conflict)
        buf_printf(&res->body,
                   "<div class=\"error-summary conflict\" role=\"alert\"><p>%h</p>"
                   "</div>",
                   conflict);
    service_form_show(
        req, res, &c,
        edit_fmt(req->arena, "/contracts/%lld/directory/services/%lld/edit", c.id, s.id), &f,
        &errs, version, "Enregistrer");
    page_end(res);
    res->status = conflict ? 409 : 422;
    return res->status;
}

int directory_people_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct directory_person *p;
    struct area *all;
    int n, n_all;
    if (directory_people(req->db, req->arena, c.id, false, &p, &n) != ERR_OK ||
        area_list(req->db, req->arena, c.territory.id, &all, &n_all) != ERR_OK)
        return page_db_error(req, res);
    dir_begin(req, res, &c, "Référents et consentements", NULL, NULL);
    struct buf *b = &res->body;
    if (str_eq(req_query(req, "done"), "person"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">La fiche est enregistrée.</p>");
    buf_puts(b, "<p>Une personne n'apparaît sur l'annuaire public et dans ses exports que si "
                "elle y a consenti, et jusqu'à sa date de conservation.</p>");
    buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Nom</th>"
                "<th scope=\"col\">Consentement</th><th scope=\"col\">Conserver jusqu'au</th>"
                "<th scope=\"col\">Référent pour</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        buf_printf(b,
                   "<tr><td><a href=\"/contracts/%lld/directory/people/%lld/edit\">%h</a>"
                   "</td><td>%s</td><td>%h</td><td>",
                   c.id, p[i].id, p[i].name, p[i].consent ? "Oui" : "Non", p[i].retain_until);
        dir_labels(b, directory_themes, p[i].themes);
        if (*p[i].themes && *p[i].epcis)
            buf_puts(b, " ; ");
        if (*p[i].epcis)
            dir_areas(b, p[i].epcis, all, n_all);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
    page_end(res);
    return 200;
}

/* The route's person (ids[1]) if it is one of the route's contract (ids[0]). */
static int person_load(struct req *req, struct res *res, struct contract *c,
                       struct directory_person *p)
{
    int rc = load_contract(req, res, req->ids[0], c);
    if (rc)
        return rc;
    struct person whole;
    rc = person_get(req->db, req->arena, req->ids[1], &whole);
    if (rc == ERR_OK && whole.contract_id != c->id)
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK)
        rc = directory_person_get(req->db, req->arena, req->ids[1], p);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Personne introuvable",
                          "Aucune personne de ce contrat ne porte ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

static void person_form_show(struct req *req, struct res *res, const struct contract *c,
                             const struct directory_person *p, const char *error,
                             const struct form_errors *errs)
{
    struct area *all;
    int n_all = 0;
    if (area_list(req->db, req->arena, c->territory.id, &all, &n_all) != ERR_OK)
        n_all = 0;
    dir_begin(req, res, c, p->name, "Référents et consentements",
              edit_fmt(req->arena, "/contracts/%lld/directory/people", c->id));
    struct buf *b = &res->body;
    if (error)
        buf_printf(b, "<div class=\"error-summary conflict\" role=\"alert\"><p>%h</p></div>",
                   error);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/directory/people/%lld/edit", c->id, p->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, p->version);
    edit_checkbox(b, "consent", "La personne accepte d'apparaître sur l'annuaire public",
                  "Sans ce consentement, son nom et ses coordonnées ne sont jamais publiés, ni "
                  "sur les pages publiques, ni dans la fiche imprimable, ni dans les exports.",
                  p->consent);
    form_input(b, "text", "retain_until", "Conserver la fiche jusqu'au", p->retain_until,
               "JJ/MM/AAAA. Passé cette date, la personne n'apparaît plus publiquement.",
               form_error_of(errs, "retain_until"), false);
    vocab_boxes(b, "themes", "Référent pour les thèmes", NULL, directory_themes, "sante--",
                p->themes, NULL);
    epci_boxes(b, req->arena, "epcis", "Référent pour les intercommunalités", all, n_all, p->epcis,
               NULL);
    form_end(b, "Enregistrer");
}

int directory_person_edit_page(struct req *req, struct res *res)
{
    struct contract c;
    struct directory_person p;
    int rc = person_load(req, res, &c, &p);
    if (rc)
        return rc;
    person_form_show(req, res, &c, &p, NULL, NULL);
    page_end(res);
    return 200;
}

int directory_person_edit_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct directory_person p;
    int rc = person_load(req, res, &c, &p);
    if (rc)
        return rc;
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le formulaire n'indique pas la version de la fiche : rechargez-la.");
    struct form_errors errs = {0};
    char until[11] = "";
    if (edit_parse_date(form_value(req, "retain_until"), until) != ERR_OK)
        form_error(&errs, "retain_until", "Cette date n'existe pas : écrivez-la JJ/MM/AAAA.");
    bool consent = str_eq(req_form(req, "consent"), "1");
    const char *themes = form_words(req, "themes", NULL);
    const char *epcis = form_words(req, "epcis", NULL);
    const char *error = NULL;
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        rc = directory_person_set(req->db, &who, p.id, version, consent, until, themes, epcis);
        if (rc == ERR_OK)
            return edit_redirect(req, res,
                                 edit_fmt(req->arena,
                                          "/contracts/%lld/directory/people?done="
                                          "person",
                                          c.id));
        if (rc == ERR_CONFLICT)
            error = "Quelqu'un a modifié cette fiche depuis que vous l'avez ouverte : rien "
                    "n'est enregistré. Rechargez la page.";
        else if (rc == ERR_INVALID)
            error = "Un thème ou une intercommunalité n'est pas dans la liste.";
        else
            return page_db_error(req, res);
    }
    p.consent = consent;
    p.retain_until = (char *)form_value(req, "retain_until");
    p.themes = (char *)themes;
    p.epcis = (char *)epcis;
    p.version = version;
    person_form_show(req, res, &c, &p, error, &errs);
    page_end(res);
    res->status = rc == ERR_CONFLICT ? 409 : 422;
    return res->status;
}

/* The card form of organisation o (its directory fields), with errors and a conflict notice. */
static void card_form_show(struct req *req, struct res *res, const struct organisation *o,
                           const struct organisation_card *c, int version,
                           const struct form_errors *errs, const char *error)
{
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {o->name, edit_fmt(req->arena, "/organisations/%lld", o->id)},
                             {"Fiche de l'annuaire", NULL}};
    page_begin(res, "Fiche de l'annuaire", crumbs, 3);
    struct buf *b = &res->body;
    if (str_eq(req_query(req, "done"), "card"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">La fiche est enregistrée.</p>");
    if (error)
        buf_printf(b, "<div class=\"error-summary conflict\" role=\"alert\"><p>%h</p></div>",
                   error);
    organisation_shared_notice(req, b, o->id);
    buf_printf(b,
               "<p>Ce que l'annuaire public et ses exports (data·inclusion) disent de %h : "
               "coordonnées de l'organisme, jamais celles d'une personne.</p>",
               o->name);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/organisations/%lld/card", o->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, version);
    form_textarea(b, "description", "Présentation", c->description,
                  "De 50 à 2 000 caractères : ce que fait l'organisme.",
                  form_error_of(errs, "description"), false);
    form_input(b, "text", "address", "Adresse", c->address, NULL, form_error_of(errs, "address"),
               false);
    form_input(b, "text", "postcode", "Code postal", c->postcode, NULL,
               form_error_of(errs, "postcode"), false);
    form_input(b, "text", "commune", "Commune", c->commune, NULL, form_error_of(errs, "commune"),
               false);
    form_input(b, "text", "insee_code", "Code INSEE de la commune", c->insee_code, NULL,
               form_error_of(errs, "insee_code"), false);
    form_input(b, "tel", "phone", "Téléphone de l'accueil", c->phone, NULL,
               form_error_of(errs, "phone"), false);
    form_input(b, "email", "email", "E-mail de l'accueil", c->email, NULL,
               form_error_of(errs, "email"), false);
    form_input(b, "url", "website", "Site", c->website, NULL, form_error_of(errs, "website"),
               false);
    form_input(b, "text", "siret", "SIRET", c->siret, "14 chiffres.", form_error_of(errs, "siret"),
               false);
    form_end(b, "Enregistrer la fiche");
    page_end(res);
}

/* The route's organisation (ids[0]) and its card; 0 or the page answered. */
static int card_load(struct req *req, struct res *res, struct organisation *o,
                     struct organisation_card *c, int *version)
{
    int rc = organisation_get(req->db, req->arena, req->ids[0], o);
    if (rc == ERR_OK)
        rc = organisation_card_get(req->db, req->arena, o->id, c);
    if (rc == ERR_OK)
        rc = organisation_version(req->db, o->id, version);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisation introuvable",
                          "Aucune organisation ne porte ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

int organisation_card_page(struct req *req, struct res *res)
{
    struct organisation o;
    struct organisation_card c;
    int version, rc = card_load(req, res, &o, &c, &version);
    if (rc)
        return rc;
    if (!edit_organisation_in_scope(req, o.id)) /* another contract shows it */
        return organisation_refuse_shared(req, res, o.id, &o, NULL);
    card_form_show(req, res, &o, &c, version, NULL, NULL);
    return 200;
}

int organisation_card_submit(struct req *req, struct res *res)
{
    struct organisation o;
    struct organisation_card c;
    int version, current, rc = card_load(req, res, &o, &c, &current);
    if (rc)
        return rc;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    if (!edit_organisation_in_scope(req, o.id))
        return organisation_refuse_shared(req, res, o.id, &o, NULL);
    char **f[] = {&c.siret, &c.address, &c.postcode, &c.commune,    &c.insee_code,
                  &c.phone, &c.email,   &c.website,  &c.description};
    static const char *const names[] = {"siret", "address", "postcode", "commune",    "insee_code",
                                        "phone", "email",   "website",  "description"};
    for (int i = 0; i < 9; i++)
        *f[i] = (char *)form_value(req, names[i]);
    c.updated_on = "";
    struct problems p = {0};
    organisation_card_check(&c, &p);
    struct form_errors errs = {0};
    edit_problems(&p, &errs);
    const char *error = NULL;
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = organisation_card_update(req->db, &who, edit_scope(req), o.id, version, &c);
        if (rc == ERR_OK)
            return edit_redirect(req, res,
                                 edit_fmt(req->arena, "/organisations/%lld/card?done=card", o.id));
        if (rc == ERR_FORBIDDEN) /* shared in between */
            return organisation_refuse_shared(req, res, o.id, &o, NULL);
        if (rc != ERR_CONFLICT)
            return page_db_error(req, res);
        error = "Quelqu'un a modifié cet organisme depuis que vous l'avez ouvert : rien n'est "
                "enregistré. Rechargez la page.";
    }
    card_form_show(req, res, &o, &c, error ? current : version, &errs, error);
    res->status = error ? 409 : 422;
    return res->status;
}
