/* admin_pages.c — the administrators' screens: accounts (create and invite, disable), and the
 * GDPR rights: export everything held about a person, erase a person. Must not contain SQL. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "model/account/account.h"
#include "model/core/contract.h"
#include "model/core/organisation.h"
#include "web/core/auth.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/mailer.h"
#include "web/http/page.h"

static int unavailable(struct req *req, struct res *res)
{
    return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
}

/* The account form; scope: the contract a coordinator opens accounts for (its own only, no
 * administrator), 0 for an administrator (any contract, any role). */
static void account_form(struct req *req, struct res *res, const struct form_errors *errors,
                         long long scope)
{
    struct buf *b = &res->body;
    struct contract *contracts;
    int n_contracts = 0;
    if (scope) {
        contracts = arena_alloc(req->arena, sizeof *contracts);
        contracts[0] = (struct contract){.id = scope};
        n_contracts = 1;
    } else if (contract_list(req->db, req->arena, &contracts, &n_contracts) != ERR_OK) {
        n_contracts = 0;
    }
    buf_puts(b, "<h2 id=\"nouveau\">Ouvrir un compte</h2>");
    if (mailer_configured())
        buf_puts(b, "<p>La personne reçoit par e-mail un lien, valable 7 jours, pour choisir son "
                    "mot de passe.</p>");
    else
        buf_puts(b, "<p class=\"notice\" role=\"note\">L'envoi de courriels n'est pas configuré "
                    ": aucune invitation ne peut partir par e-mail (le serveur a été lancé sans "
                    "<code>--smtp</code>). Après l'ouverture du compte, le lien d'invitation, "
                    "valable 7 jours, s'affiche ici : copiez-le et transmettez-le à la personne."
                    "</p>");
    form_error_summary(b, errors);
    char action[64];
    if (scope)
        snprintf(action, sizeof action, "/contracts/%lld/accounts", scope);
    else
        snprintf(action, sizeof action, "/admin/accounts");
    form_begin(b, action, req->session ? req->session->csrf : "");
    form_input(b, "text", "name", "Nom et prénom", req_form(req, "name"), NULL,
               form_error_of(errors, "name"), true);
    form_input(b, "email", "email", "Adresse e-mail", req_form(req, "email"), NULL,
               form_error_of(errors, "email"), true);
    const char *labels[8];
    for (int i = 0; account_roles[i]; i++)
        labels[i] = account_role_label(account_roles[i]);
    int skip = scope ? 1 : 0; /* account_roles[0] is "admin": not a coordinator's to give */
    form_select(b, "role", "Rôle", account_roles + skip, labels + skip, 5 - skip,
                req_form(req, "role"), form_error_of(errors, "role"), true);
    const char **values = arena_alloc(req->arena, sizeof *values * (size_t)(n_contracts + 1));
    const char **names = arena_alloc(req->arena, sizeof *names * (size_t)(n_contracts + 1));
    values[0] = "";
    names[0] = "Tous les contrats (administrateur seulement)";
    for (int i = 0; i < n_contracts; i++) {
        char *v = arena_alloc(req->arena, 24);
        snprintf(v, 24, "%lld", contracts[i].id);
        values[i + 1] = v;
        names[i + 1] = contracts[i].title;
    }
    if (!scope)
        form_select(b, "contract", "Contrat", values, names, n_contracts + 1,
                    req_form(req, "contract"), form_error_of(errors, "contract"), false);
    /* The organisations that carry actions, named: a coordinator knows them by name. */
    const char **orgs = NULL;
    int n_orgs = 0, cap = 0;
    for (int i = 0; i < n_contracts; i++) {
        struct organisation *o;
        int n = 0;
        if (organisation_carriers(req->db, req->arena, contracts[i].id, &o, &n) != ERR_OK)
            continue;
        for (int k = 0; k < n; k++) {
            bool seen = false;
            for (int j = 0; j < n_orgs && !seen; j++)
                seen = str_eq(orgs[j], o[k].name);
            if (seen)
                continue;
            if (n_orgs == cap) {
                cap = cap ? cap * 2 : 64;
                const char **grown = arena_alloc(req->arena, sizeof *grown * (size_t)cap);
                if (n_orgs)
                    memcpy(grown, orgs, sizeof *grown * (size_t)n_orgs);
                orgs = grown;
            }
            orgs[n_orgs++] = o[k].name;
        }
    }
    form_input_list(b, "organisation", "Organisation (pour un porteur)",
                    req_form(req, "organisation"),
                    "Tapez le début du nom et choisissez l'organisation dans la liste.",
                    form_error_of(errors, "organisation"), orgs, n_orgs);
    form_end(b, mailer_configured() ? "Ouvrir le compte et envoyer l'invitation"
                                  : "Ouvrir le compte et afficher le lien d'invitation");
}

/* The accounts of a contract for its coordination (scope), or every account with the
 * administrator's forms (scope 0). */
static void accounts_view(struct req *req, struct res *res, const struct form_errors *errors,
                          const char *notice, long long scope)
{
    struct buf *b = &res->body;
    if (scope) {
        char home[48];
        snprintf(home, sizeof home, "/contracts/%lld", scope);
        struct crumb crumbs[] = {{"Accueil", "/"}, {"Contrat", home}, {"Comptes", NULL}};
        page_begin(res, "Comptes du contrat", crumbs, 3);
        if (notice)
            buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notice);
        struct account *list;
        int n = 0;
        if (account_list(req->db, req->arena, &list, &n) != ERR_OK)
            n = 0;
        buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th>Nom</th><th>Adresse "
                    "e-mail</th><th>Rôle</th><th>État</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            const struct account *a = &list[i];
            if (a->contract_id != scope)
                continue;
            buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%s</td></tr>", a->name,
                       a->email, account_role_label(a->role),
                       a->disabled ? "Désactivé" : a->has_password ? "Actif" : "Invité");
        }
        buf_puts(b, "</tbody></table></div>");
        account_form(req, res, errors, scope);
        page_end(res);
        return;
    }
    struct crumb crumbs[] = {{"Accueil", "/"}, {"Comptes", NULL}};
    page_begin(res, "Comptes", crumbs, 2);
    if (notice)
        buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notice);
    struct account *list;
    int n = 0;
    if (account_list(req->db, req->arena, &list, &n) != ERR_OK)
        n = 0;
    buf_printf(b, "<p>%d compte%s.</p><div class=\"table-wrap\"><table><thead><tr><th>Nom</th>"
                  "<th>Adresse e-mail</th><th>Rôle</th><th>État</th><th>Données personnelles</th>"
                  "</tr></thead><tbody>",
               n, n > 1 ? "s" : "");
    const char *csrf = req->session ? req->session->csrf : "";
    for (int i = 0; i < n; i++) {
        const struct account *a = &list[i];
        buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>", a->name, a->email,
                   account_role_label(a->role));
        buf_printf(b, "%s<form class=\"inline\" method=\"post\" action=\"/admin/accounts/%lld/"
                      "disabled\"><input type=\"hidden\" name=\"csrf\" value=\"%h\">"
                      "<input type=\"hidden\" name=\"disabled\" value=\"%s\">"
                      "<button type=\"submit\">%s</button></form></td>",
                   a->disabled ? "Désactivé " : a->has_password ? "Actif " : "Invité ", a->id,
                   csrf, a->disabled ? "0" : "1", a->disabled ? "Réactiver" : "Désactiver");
        buf_printf(b, "<td><a href=\"/admin/accounts/%lld/export\">Exporter (JSON)</a> "
                      "<form class=\"inline\" method=\"post\" action=\"/admin/accounts/%lld/"
                      "erase\"><input type=\"hidden\" name=\"csrf\" value=\"%h\">"
                      "<label><input type=\"checkbox\" name=\"confirm\" value=\"1\"> je confirme"
                      "</label> <button type=\"submit\">Effacer la personne</button></form></td>"
                      "</tr>",
                   a->id, a->id, csrf);
    }
    buf_puts(b, "</tbody></table></div>");
    account_form(req, res, errors, 0);
    page_end(res);
}

int admin_accounts_page(struct req *req, struct res *res)
{
    accounts_view(req, res, NULL,
                  str_eq(req_query(req, "done"), "erased")    ? "La personne a été effacée."
                  : str_eq(req_query(req, "done"), "invited") ? "Compte ouvert, invitation envoyée."
                                                              : NULL,
                  0);
    return 200;
}

int contract_accounts_page(struct req *req, struct res *res)
{
    accounts_view(req, res, NULL,
                  str_eq(req_query(req, "done"), "invited") ? "Compte ouvert, invitation envoyée."
                                                            : NULL,
                  req->ids[0]);
    return 200;
}

static bool valid_email(const char *e)
{
    const char *at = strchr(e, '@');
    return at && at != e && strchr(at, '.') && !strchr(e, ' ') && strlen(e) < 255;
}

static int create(struct req *req, struct res *res, long long scope)
{
    struct form_errors errors = {0};
    const char *name = form_value(req, "name"), *email_in = form_value(req, "email");
    const char *role = form_value(req, "role"), *contract = form_value(req, "contract");
    const char *org = form_value(req, "organisation");
    char *email = arena_strdup(req->arena, email_in);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    struct account a = {.email = email, .name = (char *)name, .role = (char *)role};
    if (!*name)
        form_error(&errors, "name", "Indiquez le nom de la personne.");
    if (!valid_email(email))
        form_error(&errors, "email", "Indiquez une adresse e-mail valide (nom@exemple.fr).");
    if (!account_role_valid(role) || (scope && str_eq(role, "admin")))
        form_error(&errors, "role", "Choisissez un rôle dans la liste.");
    long long v;
    if (scope)
        contract = ""; /* a coordinator opens accounts of its own contract only */
    if (*contract && (str_to_ll(contract, 1, (long long)1e15, &v) != ERR_OK ||
                      contract_get(req->db, req->arena, v, &(struct contract){0}) != ERR_OK))
        form_error(&errors, "contract", "Ce contrat n'existe pas.");
    else if (*contract)
        a.contract_id = v;
    if (scope)
        a.contract_id = scope;
    /* By name (the list's choice) or, as before, by number. */
    if (*org && str_to_ll(org, 1, (long long)1e15, &v) == ERR_OK) {
        if (organisation_get(req->db, req->arena, v, &(struct organisation){0}) != ERR_OK)
            form_error(&errors, "organisation", "Aucune organisation ne porte ce numéro.");
        else
            a.organisation_id = v;
    } else if (*org) {
        int rc = organisation_find(req->db, org, &v);
        if (rc == ERR_OK)
            a.organisation_id = v;
        else if (rc == ERR_NOTFOUND)
            form_error(&errors, "organisation", "Aucune organisation ne porte ce nom : "
                                                "choisissez-la dans la liste proposée.");
        else
            return unavailable(req, res);
    }
    if (account_role_valid(role) && !account_contract_ok(role, a.contract_id) &&
        !form_error_of(&errors, "contract"))
        form_error(&errors, "contract", "Choisissez le contrat du compte : seul un "
                                        "administrateur voit tous les contrats.");
    if (str_eq(role, "carrier") && !a.organisation_id && !form_error_of(&errors, "organisation"))
        form_error(&errors, "organisation", "Un porteur est rattaché à une organisation.");
    long long id = 0;
    char url[512] = "";
    if (errors.n == 0) {
        /* The account and its invitation exist together or not at all. */
        int rc = store_begin(req->db);
        if (rc == ERR_OK)
            rc = account_create(req->db, &a, "", &id);
        a.id = id;
        if (rc == ERR_OK)
            rc = account_queue_link(req->db, &a, "invite", req->now);
        /* Without a mail server the queued mail waits for one; meanwhile a link of its own is
         * shown for the coordinator to hand over (setting a password revokes the other). */
        if (rc == ERR_OK && !mailer_configured())
            rc = account_invite_link(req->db, &a, req->now, url, sizeof url);
        if (rc == ERR_OK)
            rc = store_commit(req->db);
        if (rc != ERR_OK)
            store_rollback(req->db);
        if (rc == ERR_CONFLICT)
            form_error(&errors, "email", "Un compte existe déjà avec cette adresse.");
        else if (rc != ERR_OK)
            return unavailable(req, res);
    }
    if (errors.n) {
        accounts_view(req, res, &errors, NULL, scope);
        res->status = 422;
        return 422;
    }
    if (!mailer_configured()) {
        log_info("account %lld opened by account %lld, invitation link shown", id,
                 req->account->id);
        struct buf note_text = {0};
        buf_printf(&note_text,
                   "Compte ouvert. L'envoi de courriels n'est pas configuré : transmettez "
                   "vous-même à %s ce lien, valable 7 jours et une seule fois : %s. L'invitation "
                   "par e-mail partira dès qu'un serveur de courrier sera configuré.",
                   a.name, url);
        accounts_view(req, res, NULL, arena_strdup(req->arena, buf_cstr(&note_text)), scope);
        buf_free(&note_text);
        return 200;
    }
    log_info("account %lld opened by account %lld, invitation queued", id, req->account->id);
    mailer_wake();
    res->status = 303;
    char *to = arena_alloc(req->arena, 64);
    if (scope)
        snprintf(to, 64, "/contracts/%lld/accounts?done=invited", scope);
    else
        snprintf(to, 64, "/admin/accounts?done=invited");
    res_header(res, "Location", to);
    return 303;
}

int admin_account_create(struct req *req, struct res *res)
{
    return create(req, res, 0);
}

int contract_account_create(struct req *req, struct res *res)
{
    return create(req, res, req->ids[0]);
}

int admin_account_export(struct req *req, struct res *res)
{
    int rc = account_export_json(req->db, req->ids[0], &res->body);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Compte introuvable", "Ce compte n'existe pas.");
    if (rc != ERR_OK)
        return unavailable(req, res);
    log_info("personal data of account %lld exported by account %lld", req->ids[0],
             req->account->id);
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    char *disposition = arena_alloc(req->arena, 80);
    snprintf(disposition, 80, "attachment; filename=\"compte-%lld.json\"", req->ids[0]);
    res_header(res, "Content-Disposition", disposition);
    return 200;
}

int admin_account_erase(struct req *req, struct res *res)
{
    if (!str_eq(req_form(req, "confirm"), "1"))
        return page_error(req, res, 422, "Confirmation manquante",
                          "Cochez « je confirme » pour effacer cette personne : l'effacement ne "
                          "peut pas être annulé.");
    if (req->ids[0] == req->account->id)
        return page_error(req, res, 422, "Opération impossible",
                          "Vous ne pouvez pas effacer votre propre compte d'administration.");
    int rc = account_erase(req->db, req->ids[0]);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Compte introuvable", "Ce compte n'existe pas.");
    if (rc != ERR_OK)
        return unavailable(req, res);
    log_info("account %lld erased by account %lld", req->ids[0], req->account->id);
    res->status = 303;
    res_header(res, "Location", "/admin/accounts?done=erased");
    return 303;
}

int admin_account_disabled(struct req *req, struct res *res)
{
    bool disabled = str_eq(req_form(req, "disabled"), "1");
    if (disabled && req->ids[0] == req->account->id)
        return page_error(req, res, 422, "Opération impossible",
                          "Vous ne pouvez pas désactiver votre propre compte.");
    int rc = account_set_disabled(req->db, req->ids[0], disabled);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Compte introuvable", "Ce compte n'existe pas.");
    if (rc != ERR_OK)
        return unavailable(req, res);
    res->status = 303;
    res_header(res, "Location", "/admin/accounts");
    return 303;
}
