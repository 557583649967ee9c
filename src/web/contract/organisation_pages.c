/* organisation_pages.c — one organisation of the directory and the actions it carries, co-carries
 * or partners, grouped by contract; what a coordinator is told when other contracts share it, and
 * the copy a contract makes of a shared organisation. Must not contain SQL: data comes from
 * src/model/; untrusted text goes out through %h. */
#include <string.h>

#include "model/plan/action.h"
#include "model/plan/editing.h"
#include "model/core/organisation.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/http/page.h"

/* The roles in the order they are shown, with their French headings. */
static const struct {
    const char *role, *heading;
} roles[] = {
    {"carrier", "Actions portées"},
    {"co_carrier", "Actions co-portées"},
    {"partner", "Actions en partenariat"},
};

/* The "other spellings" of an organisation, comma-separated: aliases are " | "-separated and
 * may repeat the name or the acronym, which are left out. */
static void aliases_html(struct buf *b, struct arena *a, const struct organisation *o)
{
    char *copy = arena_strdup(a, o->aliases);
    bool first = true;
    for (char *save = NULL, *tok = strtok_r(copy, "|", &save); tok;
         tok = strtok_r(NULL, "|", &save)) {
        while (*tok == ' ')
            tok++;
        size_t n = strlen(tok);
        while (n && tok[n - 1] == ' ')
            tok[--n] = '\0';
        if (!n || str_eq(tok, o->name) || str_eq(tok, o->acronym))
            continue;
        buf_printf(b, "%s%h", first ? "" : ", ", tok);
        first = false;
    }
}

/* The table of the actions of one contract in one role (list[from..to[ is that contract). */
static void role_table(struct buf *b, const struct organisation_action *list, int from, int to,
                       int r)
{
    int count = 0;
    for (int i = from; i < to; i++)
        count += strcmp(list[i].role, roles[r].role) == 0;
    if (!count)
        return;
    buf_printf(b, "<h3>%h (%d)</h3><div class=\"table-wrap\"><table><thead><tr>"
                  "<th scope=\"col\">Code</th><th scope=\"col\">Action</th>"
                  "<th scope=\"col\">Type</th></tr></thead><tbody>",
               roles[r].heading, count);
    for (int i = from; i < to; i++) {
        const struct organisation_action *x = &list[i];
        if (strcmp(x->role, roles[r].role) != 0)
            continue;
        buf_printf(b, "<tr><td>%h</td><td><a href=\"/actions/%lld\">%h</a></td><td>%h</td></tr>",
                   str_eq(x->kind, "lead") || !*x->code ? "Piste" : x->code, x->action_id,
                   x->title, action_kind_label(x->kind));
    }
    buf_puts(b, "</tbody></table></div>");
}

/* True when the contract of the request's account shows organisation org. */
static bool shows_mine(struct req *req, long long org)
{
    struct organisation_contract *cs;
    int n;
    long long mine = edit_scope(req);
    if (organisation_contracts(req->db, req->arena, org, &cs, &n) != ERR_OK)
        return false;
    for (int i = 0; i < n; i++)
        if (cs[i].id == mine)
            return true;
    return false;
}

int organisation_page(struct req *req, struct res *res)
{
    struct organisation o;
    int rc = organisation_get(req->db, req->arena, req->ids[0], &o);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisation introuvable",
                          "Aucune organisation ne porte ce numéro. Retrouvez-la depuis la page "
                          "d'une action qu'elle porte.");
    struct organisation_action *list;
    int n;
    if (rc < 0 || organisation_actions(req->db, req->arena, o.id, &list, &n) < 0)
        return page_error(req, res, 500, "Erreur", "L'organisation n'a pas pu être lue.");
    struct crumb crumbs[] = {{"Contrats", "/"}, {o.name, NULL}};
    page_begin(res, o.name, crumbs, 2);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    if (auth_may(req, ROLE_COORDINATOR, -1, false)) {
        if (edit_organisation_in_scope(req, o.id))
            buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\""
                          "/organisations/%lld/edit\">Modifier l'organisation</a></li><li><a "
                          "href=\"/organisations/new\">Nouvelle organisation</a></li></ul>",
                       o.id);
        else if (shows_mine(req, o.id))
            buf_printf(b, "<p class=\"caution noprint\">D'autres contrats que le vôtre "
                          "désignent cette organisation : seul un administrateur la modifie. "
                          "<a href=\"/organisations/%lld/edit\">Faire une copie pour votre "
                          "contrat</a></p>",
                       o.id);
        else
            buf_puts(b, "<p class=\"caution noprint\">D'autres contrats que le vôtre "
                        "désignent cette organisation : seul un administrateur la modifie.</p>");
    }
    buf_printf(b, "<dl class=\"fields\"><dt>Type</dt><dd>%h</dd>",
               organisation_type_label(o.type));
    if (*o.acronym)
        buf_printf(b, "<dt>Sigle</dt><dd>%h</dd>", o.acronym);
    struct buf other_html = {0};
    aliases_html(&other_html, req->arena, &o);
    if (other_html.len)
        buf_printf(b, "<dt>Autres graphies</dt><dd>%s</dd>", buf_cstr(&other_html));
    buf_free(&other_html);
    buf_puts(b, "</dl>");
    if (n == 0) {
        buf_puts(b, "<p>Cette organisation ne porte aucune action et n'est partenaire d'aucune "
                    "pour l'instant. Elle peut être désignée comme porteur ou partenaire depuis "
                    "la page de modification d'une action ou le tableau de suivi importé.</p>");
        page_end(res);
        return 200;
    }
    /* The list is sorted by contract: one section per run of the same contract. */
    for (int from = 0; from < n;) {
        int to = from;
        while (to < n && list[to].contract_id == list[from].contract_id)
            to++;
        buf_printf(b, "<h2><a href=\"/contracts/%lld\">%h</a></h2>", list[from].contract_id,
                   list[from].contract_title);
        for (int r = 0; r < 3; r++)
            role_table(b, list, from, to, r);
        from = to;
    }
    page_end(res);
    return 200;
}

bool edit_organisation_in_scope(struct req *req, long long org)
{
    struct organisation_contract *cs;
    int n;
    return organisation_contracts(req->db, req->arena, org, &cs, &n) == ERR_OK &&
           organisation_in_scope(cs, n, edit_scope(req));
}

void organisation_shared_notice(struct req *req, struct buf *b, long long org)
{
    struct organisation_contract *cs;
    int n;
    if (organisation_contracts(req->db, req->arena, org, &cs, &n) != ERR_OK || n < 2)
        return;
    buf_printf(b, "<p class=\"caution\">Cette organisation figure dans %d contrats : ", n);
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s<a href=\"/contracts/%lld\">%h</a>", i ? ", " : "", cs[i].id,
                   cs[i].title);
    buf_puts(b, ". La modification s'y verra partout et sera inscrite au journal de chacun.</p>");
}

int organisation_refuse_shared(struct req *req, struct res *res, long long org,
                               const struct organisation *o, const struct problems *p)
{
    struct organisation cur;
    struct organisation_contract *cs;
    int n;
    int rc = organisation_get(req->db, req->arena, org, &cur);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisation introuvable",
                          "Aucune organisation ne porte ce numéro.");
    if (rc != ERR_OK || organisation_contracts(req->db, req->arena, org, &cs, &n) != ERR_OK)
        return page_db_error(req, res);
    long long mine = edit_scope(req);
    const char *my_title = NULL;
    for (int i = 0; i < n; i++)
        if (cs[i].id == mine)
            my_title = cs[i].title;
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {cur.name, edit_fmt(req->arena, "/organisations/%lld", org)},
                             {"Modifier", NULL}};
    page_begin(res, "Organisation partagée entre plusieurs contrats", crumbs, 3);
    struct buf *b = &res->body;
    buf_printf(b, "<p>L'organisation « %h » figure dans plusieurs contrats : ", cur.name);
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s<a href=\"/contracts/%lld\">%h</a>", i ? ", " : "", cs[i].id,
                   cs[i].title);
    buf_puts(b, ". Une modification changerait ce que les autres contrats montrent, sans que "
                "leur coordination le décide : seul un administrateur de Boussole peut la "
                "modifier pour tous.</p>");
    if (!my_title) {
        buf_puts(b, "<p>Votre contrat ne la désigne pas : il n'y a rien à modifier pour lui. "
                    "Demandez la modification à un administrateur.</p>");
        page_end(res);
        res->status = 403;
        return 403;
    }
    buf_printf(b, "<p>Vous pouvez en faire une copie propre à votre contrat, « %h » : ses "
                  "actions, signataires, contacts et comptes désigneront la copie, que vous "
                  "modifierez librement ; les autres contrats garderont l'originale. La copie "
                  "est inscrite au journal des modifications de chaque contrat concerné.</p>",
               my_title);
    struct form_errors errs = {0};
    for (int i = 0; p && i < p->n; i++)
        form_error(&errs, p->field[i], p->message[i]);
    form_error_summary(b, &errs);
    form_begin(b, edit_fmt(req->arena, "/organisations/%lld/copy", org),
               auth_form_token(req, res));
    form_hidden(b, "contract", edit_fmt(req->arena, "%lld", mine));
    form_input(b, "text", "name", "Nom de la copie", o->name,
               "Il peut rester le même : la copie n'appartient qu'à votre contrat.",
               form_error_of(&errs, "name"), true);
    form_hidden(b, "type", o->type);
    form_hidden(b, "acronym", o->acronym);
    form_hidden(b, "aliases", o->aliases);
    buf_printf(b, "<dl class=\"fields\"><dt>Type</dt><dd>%h</dd>",
               organisation_type_label(o->type));
    if (*o->acronym)
        buf_printf(b, "<dt>Sigle</dt><dd>%h</dd>", o->acronym);
    if (*o->aliases)
        buf_printf(b, "<dt>Autres graphies</dt><dd>%h</dd>", o->aliases);
    buf_puts(b, "</dl>");
    const char *other = form_error_of(&errs, "contract");
    if (other)
        buf_printf(b, "<p class=\"field-error\">%h</p>", other);
    form_end(b, "Créer la copie pour mon contrat");
    page_end(res);
    res->status = p && p->n ? 422 : 403;
    return res->status;
}

int organisation_copy_submit(struct req *req, struct res *res)
{
    struct organisation cur;
    int rc = organisation_get(req->db, req->arena, req->ids[0], &cur);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisation introuvable",
                          "Aucune organisation ne porte ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    long long contract = 0;
    const char *c = req_form(req, "contract");
    if (!c || str_to_ll(c, 1, 999999999999LL, &contract) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le contrat de la copie manque : repartez de la page de "
                          "l'organisation.");
    /* Fields not sent keep the original's. */
    struct organisation o = cur;
    o.id = 0;
    if (req_form(req, "name"))
        o.name = (char *)form_value(req, "name");
    if (req_form(req, "type"))
        o.type = (char *)form_value(req, "type");
    if (req_form(req, "acronym"))
        o.acronym = (char *)form_value(req, "acronym");
    if (req_form(req, "aliases"))
        o.aliases = (char *)form_value(req, "aliases");
    struct actor who = edit_actor(req);
    struct problems p = {0};
    long long copy = 0;
    rc = organisation_copy(req->db, &who, edit_scope(req), cur.id, contract, &o, &p, &copy);
    if (rc == ERR_OK)
        return edit_redirect(req, res,
                             edit_fmt(req->arena, "/organisations/%lld?saved=copied", copy));
    if (rc == ERR_FORBIDDEN)
        return page_error(req, res, 403, "Accès refusé",
                          "Vous ne pouvez faire une copie que pour le contrat de votre compte.");
    for (int i = 0; rc == ERR_INVALID && i < p.n; i++)
        if (str_eq(p.field[i], "contract"))
            return page_error(req, res, 422, "Copie impossible", p.message[i]);
    if (rc == ERR_INVALID)
        return organisation_refuse_shared(req, res, cur.id, &o, &p);
    return page_db_error(req, res);
}
