/* organisation_pages.c — one organisation of the directory and the actions it carries, co-carries
 * or partners, grouped by contract. Must not contain SQL: data comes from src/model/; untrusted
 * text goes out through %h. */
#include <string.h>

#include "../model/action.h"
#include "../model/organisation.h"
#include "auth.h"
#include "edit_forms.h"
#include "handlers.h"
#include "page.h"

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
static void aliases_text(struct buf *b, struct arena *a, const struct organisation *o)
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
    if (auth_may(req, ROLE_COORDINATOR, -1, false))
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\""
                      "/organisations/%lld/edit\">Modifier l'organisation</a></li><li><a "
                      "href=\"/organisations/new\">Nouvelle organisation</a></li></ul>",
                   o.id);
    buf_printf(b, "<dl class=\"fields\"><dt>Type</dt><dd>%h</dd>",
               organisation_type_label(o.type));
    if (*o.acronym)
        buf_printf(b, "<dt>Sigle</dt><dd>%h</dd>", o.acronym);
    struct buf other = {0};
    aliases_text(&other, req->arena, &o);
    if (other.len)
        buf_printf(b, "<dt>Autres graphies</dt><dd>%s</dd>", buf_cstr(&other));
    buf_free(&other);
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
