/* people_pages.c — the contact records of a contract (members of bodies, invitees): the list,
 * the coordination's forms to add and edit them, and the administrators' GDPR rights over a
 * record (export, erasure). Must not contain SQL nor check roles (routes.c declares them);
 * professional contact details only (GDPR). */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "model/account/account.h"
#include "model/plan/editing.h"
#include "model/account/gdpr.h"
#include "model/governance/person.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/governance/governance.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/core/router.h"

int people_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct person *ps;
    int n;
    if (person_list(req->db, req->arena, c.id, &ps, &n) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Les personnes n'ont pas pu être lues.");
    bool coordinator = auth_may(req, ROLE_COORDINATOR, c.id, false);
    gov_begin(req, res, &c, "Personnes", NULL, NULL);
    struct buf *b = &res->body;
    if (str_eq(req_query(req, "done"), "person"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">La fiche de la personne est "
                    "enregistrée.</p>");
    else if (str_eq(req_query(req, "done"), "erased"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">La fiche a été effacée : son nom est "
                    "remplacé par un pseudonyme, son adresse e-mail et son téléphone sont "
                    "supprimés. Sa participation aux instances et aux réunions est conservée."
                    "</p>");
    if (coordinator)
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"/contracts/%lld/"
                      "people/new\">Nouvelle personne</a></li></ul>",
                   c.id);
    buf_puts(b, "<p>Les membres des instances et les invités des réunions. Coordonnées "
                "professionnelles seulement.</p>");
    if (n == 0) {
        buf_puts(b, "<p>Aucune personne n'est encore enregistrée.</p>");
        page_end(res);
        return 200;
    }
    buf_printf(b, "<p class=\"count\">%d personne%s</p><div class=\"table-wrap\"><table><thead>"
                  "<tr><th scope=\"col\">Nom</th><th scope=\"col\">Fonction</th><th scope=\"col\">"
                  "Organisme</th><th scope=\"col\">E-mail</th><th scope=\"col\">Téléphone</th>"
                  "</tr></thead><tbody>",
               n, n > 1 ? "s" : "");
    for (int i = 0; i < n; i++) {
        buf_puts(b, "<tr><td>");
        if (coordinator)
            buf_printf(b, "<a href=\"/people/%lld/edit\">%h</a>", ps[i].id, ps[i].name);
        else
            buf_printf(b, "%h", ps[i].name);
        buf_printf(b, "</td><td>%h</td><td>%h</td><td>", ps[i].function,
                   ps[i].organisation_name);
        if (*ps[i].email)
            buf_printf(b, "<a href=\"mailto:%h\">%h</a>", ps[i].email, ps[i].email);
        buf_printf(b, "</td><td>%h</td></tr>", ps[i].phone);
    }
    buf_puts(b, "</tbody></table></div>");
    page_end(res);
    return 200;
}

/* Why a coordinator may not tie a contact record to an account of another contract. */
static const char OTHER_ACCOUNT[] =
    "Ce compte est celui d'une personne d'un autre contrat : seul un administrateur peut y "
    "rattacher une fiche de ce contrat.";

/* The contract, other than the record's own, whose account a contact record is tied to (0:
 * none), and its title; ERR_* when it cannot be read. */
static int other_contract(struct req *req, const struct person *p, long long *other,
                          const char **title)
{
    int rc = person_account_contract(req->db, p->account_id, other);
    if (rc != ERR_OK || !*other || *other == p->contract_id) {
        *other = 0;
        return rc;
    }
    struct contract c;
    rc = contract_get(req->db, req->arena, *other, &c);
    *title = rc == ERR_OK ? c.title : "";
    return rc;
}

/* The 403 page of a coordinator opening or saving a contact record tied to the account of
 * another contract's person. */
static int refuse_shared_person(struct req *req, struct res *res, const struct person *p,
                                const char *title)
{
    struct contract c;
    int rc = load_contract(req, res, p->contract_id, &c);
    if (rc)
        return rc;
    gov_begin(req, res, &c, p->name, "Personnes",
              edit_fmt(req->arena, "/contracts/%lld/people", c.id));
    buf_printf(&res->body, "<p>La fiche de %h est liée au compte Boussole d'une personne du "
                           "contrat « %h » : ce contrat la montre aussi (données du compte, "
                           "export et effacement RGPD). Une modification changerait ce qu'il "
                           "montre sans que sa coordination le décide : seul un administrateur "
                           "de Boussole peut modifier cette fiche.</p><p>Vous pouvez en faire "
                           "une copie propre à ce contrat, sans le compte : ses instances, "
                           "sièges de référent et invitations désigneront la copie, que vous "
                           "modifierez librement ; l'originale reste celle du compte.</p>",
               p->name, title);
    buf_printf(&res->body, "<form method=\"post\" action=\"/people/%lld/copy\">", p->id);
    form_hidden(&res->body, "csrf", auth_form_token(req, res));
    buf_printf(&res->body, "<p><button type=\"submit\">Faire une copie pour ce contrat</button> "
                           "<a href=\"/contracts/%lld/people\">Revenir aux personnes</a></p>"
                           "</form>",
               c.id);
    return gov_refused(res, 403);
}

/* The person form's values as typed. */
struct person_form {
    const char *name, *function, *email, *phone, *organisation, *account;
};

static void person_form_read(struct req *req, struct person_form *f, struct person_edit *e,
                             struct form_errors *errs)
{
    f->name = form_value(req, "name");
    f->function = form_value(req, "function");
    f->email = form_value(req, "email");
    f->phone = form_value(req, "phone");
    f->organisation = form_value(req, "organisation_id");
    f->account = form_value(req, "account_id");
    long long org = 0, account = 0;
    if (*f->organisation && str_to_ll(f->organisation, 1, 999999999999LL, &org) != ERR_OK)
        form_error(errs, "organisation_id", "Choisissez un organisme dans la liste.");
    if (*f->account && str_to_ll(f->account, 1, 999999999999LL, &account) != ERR_OK)
        form_error(errs, "account_id", "Choisissez un compte dans la liste.");
    *e = (struct person_edit){f->name, f->function, f->email, f->phone, org, account};
    struct problems p = {0};
    person_check(req->db, e, &p);
    for (int i = 0; i < p.n; i++)
        if (!form_error_of(errs, p.field[i]))
            form_error(errs, p.field[i], p.message[i]);
}

static void person_form_show(struct req *req, struct res *res, long long contract_id,
                             const char *action, const struct person_form *f,
                             const struct form_errors *errs, int version, const char *submit)
{
    struct organisation *orgs;
    struct account *accounts;
    int n_orgs = 0, n_accounts = 0;
    if (organisation_all(req->db, req->arena, &orgs, &n_orgs) != ERR_OK)
        n_orgs = 0;
    if (account_list(req->db, req->arena, &accounts, &n_accounts) != ERR_OK)
        n_accounts = 0;
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, action, auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    form_input(b, "text", "name", "Nom et prénom", f->name, NULL, form_error_of(errs, "name"),
               true);
    form_input(b, "text", "function", "Fonction", f->function,
               "Par exemple : Président du PETR, élue référente CLS de la CC du Sammiellois",
               form_error_of(errs, "function"), false);
    long long org = 0;
    if (*f->organisation && str_to_ll(f->organisation, 1, 999999999999LL, &org) != ERR_OK)
        org = 0;
    edit_org_select(b, "organisation_id", NULL, "Organisme", orgs, n_orgs, org, "— aucun —",
                    NULL, form_error_of(errs, "organisation_id"));
    form_input(b, "email", "email", "Adresse e-mail professionnelle", f->email,
               "Pour recevoir les invitations aux réunions.", form_error_of(errs, "email"),
               false);
    form_input(b, "tel", "phone", "Téléphone professionnel", f->phone, NULL,
               form_error_of(errs, "phone"), false);
    long long account = 0;
    if (*f->account && str_to_ll(f->account, 1, 999999999999LL, &account) != ERR_OK)
        account = 0;
    const char *err = form_error_of(errs, "account_id");
    buf_printf(b, "<div class=\"field%s\"><label for=\"f-account_id\">Compte Boussole</label>"
                  "<p class=\"help\" id=\"f-account_id-help\">Si la personne se connecte à "
                  "Boussole.</p>",
               err ? " has-error" : "");
    if (err)
        buf_printf(b, "<p class=\"field-error\" id=\"f-account_id-error\">%h</p>", err);
    buf_puts(b, "<select id=\"f-account_id\" name=\"account_id\" aria-describedby=\""
                "f-account_id-help\"><option value=\"\">— aucun —</option>");
    for (int i = 0; i < n_accounts; i++)
        if (!accounts[i].contract_id || accounts[i].contract_id == contract_id)
            buf_printf(b, "<option value=\"%lld\"%s>%h (%h)</option>", accounts[i].id,
                       accounts[i].id == account ? " selected" : "", accounts[i].name,
                       accounts[i].email);
    buf_puts(b, "</select></div>");
    form_end(b, submit);
}

/* The page of the form adding a person (without page_end). */
static void person_new_show(struct req *req, struct res *res, const struct contract *c,
                            const struct person_form *f, const struct form_errors *errs)
{
    gov_begin(req, res, c, "Nouvelle personne", "Personnes",
              edit_fmt(req->arena, "/contracts/%lld/people", c->id));
    person_form_show(req, res, c->id, edit_fmt(req->arena, "/contracts/%lld/people/new", c->id),
                     f, errs, 0, "Enregistrer la personne");
}

int person_new_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct person_form f = {"", "", "", "", "", ""};
    person_new_show(req, res, &c, &f, NULL);
    page_end(res);
    return 200;
}

int person_new_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct person_form f;
    struct person_edit e;
    struct form_errors errs = {0};
    person_form_read(req, &f, &e, &errs);
    int status = 422;
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        long long id;
        rc = person_add(req->db, &who, edit_scope(req), c.id, &e, &id);
        if (rc == ERR_FORBIDDEN) {
            form_error(&errs, "account_id", OTHER_ACCOUNT);
            status = 403;
        } else if ((rc = gov_created(req, res, rc, "/contracts/%lld/people?done=person", c.id)) !=
                   0) {
            return rc;
        }
    }
    person_new_show(req, res, &c, &f, &errs);
    return gov_refused(res, status);
}

/* The administrators' part of a person's page: export the record, erase it (only when it has no
 * account: an account's records are erased with the account). */
static void person_gdpr_section(struct req *req, struct res *res, const struct person *p)
{
    struct buf *b = &res->body;
    buf_printf(b, "<section class=\"noprint\" aria-labelledby=\"rgpd\"><h2 id=\"rgpd\">Données "
                  "personnelles (RGPD)</h2><p><a href=\"/admin/people/%lld/export\">Exporter "
                  "tout ce que Boussole conserve sur cette personne (JSON)</a></p>",
               p->id);
    if (p->account_id) {
        buf_puts(b, "<p>Cette fiche est liée à un compte Boussole : pour effacer la personne, "
                    "effacez son compte depuis la page <a href=\"/admin/accounts\">Comptes</a> ; "
                    "la fiche est effacée avec lui.</p></section>");
        return;
    }
    buf_printf(b, "<form method=\"post\" action=\"/admin/people/%lld/erase\"><input "
                  "type=\"hidden\" name=\"csrf\" value=\"%h\"><p>L'effacement remplace le nom par "
                  "un pseudonyme et supprime l'adresse e-mail et le téléphone, y compris dans "
                  "l'historique ; la participation aux instances et aux réunions est conservée. "
                  "Il ne peut pas être annulé.</p><p><label><input type=\"checkbox\" "
                  "name=\"confirm\" value=\"1\"> je confirme</label> <button type=\"submit\">"
                  "Effacer la personne</button></p></form></section>",
               p->id, auth_form_token(req, res));
}

static int person_edit_show(struct req *req, struct res *res, const struct person *p,
                            const struct person_form *f, const struct form_errors *errs,
                            int version, const char *conflict)
{
    struct contract c;
    int rc = load_contract(req, res, p->contract_id, &c);
    if (rc)
        return rc;
    gov_begin(req, res, &c, p->name, "Personnes",
              edit_fmt(req->arena, "/contracts/%lld/people", c.id));
    if (conflict)
        buf_printf(&res->body, "<div class=\"error-summary conflict\" role=\"alert\"><p>%h</p>"
                               "</div>",
                   conflict);
    person_form_show(req, res, c.id, edit_fmt(req->arena, "/people/%lld/edit", p->id), f, errs,
                     version, "Enregistrer");
    if (auth_may(req, ROLE_ADMIN, c.id, false))
        person_gdpr_section(req, res, p);
    page_end(res);
    return 200;
}

/* The route's person (ids[0]); on failure the error page is written and its status returned. */
static int load_person(struct req *req, struct res *res, struct person *p)
{
    return gov_loaded(req, res, person_get(req->db, req->arena, req->ids[0], p),
                      "Personne introuvable", "Aucune personne ne porte ce numéro.",
                      "La fiche de la personne n'a pas pu être lue.");
}

/* 0 when the request may change p; else the refusal page is written and its status returned. */
static int person_in_scope(struct req *req, struct res *res, const struct person *p)
{
    long long other = 0;
    const char *title = "";
    if (other_contract(req, p, &other, &title) != ERR_OK)
        return page_db_error(req, res);
    if (other && edit_scope(req) != 0)
        return refuse_shared_person(req, res, p, title);
    return 0;
}

int person_edit_page(struct req *req, struct res *res)
{
    struct person p;
    int loaded = load_person(req, res, &p);
    if (loaded)
        return loaded;
    if ((loaded = person_in_scope(req, res, &p)) != 0)
        return loaded;
    struct person_form f = {p.name,
                            p.function,
                            p.email,
                            p.phone,
                            p.organisation_id ? edit_fmt(req->arena, "%lld", p.organisation_id)
                                              : "",
                            p.account_id ? edit_fmt(req->arena, "%lld", p.account_id) : ""};
    return person_edit_show(req, res, &p, &f, NULL, p.version, NULL);
}

int person_edit_submit(struct req *req, struct res *res)
{
    struct person p;
    int loaded = load_person(req, res, &p);
    if (loaded)
        return loaded;
    if ((loaded = person_in_scope(req, res, &p)) != 0)
        return loaded;
    struct person_form f;
    struct person_edit e;
    struct form_errors errs = {0};
    person_form_read(req, &f, &e, &errs);
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet", "Rechargez la page.");
    const char *conflict = NULL;
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        int rc = person_update(req->db, &who, edit_scope(req), p.id, version, &e);
        if (rc == ERR_OK)
            return gov_redirect(req, res, "/contracts/%lld/people?done=person", p.contract_id);
        if (rc == ERR_FORBIDDEN) { /* the account asked is another contract's */
            form_error(&errs, "account_id", OTHER_ACCOUNT);
            person_edit_show(req, res, &p, &f, &errs, version, NULL);
            res->status = 403;
            return 403;
        }
        if (rc == ERR_CONFLICT)
            conflict = "Quelqu'un a modifié cette fiche pendant que vous la modifiiez : "
                       "rechargez la page, puis refaites vos changements.";
        else if (rc != ERR_INVALID)
            return page_db_error(req, res);
    }
    person_edit_show(req, res, &p, &f, &errs, version, conflict);
    res->status = conflict ? 409 : 422;
    return res->status;
}

int person_copy_submit(struct req *req, struct res *res)
{
    struct person p;
    int loaded = load_person(req, res, &p);
    if (loaded)
        return loaded;
    struct actor who = edit_actor(req);
    long long copy = 0;
    int rc = person_copy(req->db, &who, edit_scope(req), p.id, &copy);
    if (rc == ERR_OK)
        return gov_redirect(req, res, "/people/%lld/edit", copy);
    if (rc == ERR_INVALID)
        return page_error(req, res, 422, "Copie inutile",
                          "Aucun autre contrat ne montre cette fiche : modifiez-la directement.");
    if (rc == ERR_FORBIDDEN)
        return page_error(req, res, 403, "Accès refusé",
                          "Vous ne pouvez faire une copie que pour le contrat de votre compte.");
    return page_db_error(req, res);
}

int admin_person_export(struct req *req, struct res *res)
{
    int rc = gdpr_person_json(req->db, req->ids[0], &res->body);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Personne introuvable", "Aucune personne ne porte ce "
                                                                  "numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    buf_puts(&res->body, "\n");
    log_info("personal data of contact record %lld exported by account %lld", req->ids[0],
             req->account->id);
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    res_header(res, "Content-Disposition",
               edit_fmt(req->arena, "attachment; filename=\"contact-%lld.json\"", req->ids[0]));
    return 200;
}

int admin_person_erase(struct req *req, struct res *res)
{
    struct person p;
    int loaded = load_person(req, res, &p);
    if (loaded)
        return loaded;
    if (!str_eq(req_form(req, "confirm"), "1"))
        return page_error(req, res, 422, "Confirmation manquante",
                          "Cochez « je confirme » pour effacer cette personne : l'effacement ne "
                          "peut pas être annulé.");
    struct actor who = edit_actor(req);
    int rc = gdpr_person_erase(req->db, &who, p.id);
    if (rc == ERR_CONFLICT)
        return page_error(req, res, 409, "Fiche liée à un compte",
                          "Cette personne a un compte Boussole : effacez le compte depuis la page "
                          "Comptes, la fiche est effacée avec lui.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    log_info("contact record %lld erased by account %lld", p.id, req->account->id);
    return gov_redirect(req, res, "/contracts/%lld/people?done=erased", p.contract_id);
}
