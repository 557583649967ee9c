/* contract_pages.c — the list of contracts, a contract's home page and its strategy tree.
 * Must not contain SQL: data comes from src/model/. */
#include <stdio.h>

#include "../model/contract.h"
#include "handlers.h"
#include "page.h"

int contract_index_page(struct req *req, struct res *res)
{
    struct contract *list;
    int n;
    if (contract_list(req->db, req->arena, &list, &n) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "La liste des contrats n'a pas pu être lue.");
    if (n == 1) {
        res->status = 303;
        char *loc = arena_alloc(req->arena, 32);
        snprintf(loc, 32, "/contracts/%lld", list[0].id);
        res_header(res, "Location", loc);
        return 303;
    }
    page_begin(res, "Contrats locaux de santé", NULL, 0);
    if (n == 0)
        buf_puts(&res->body, "<p>Aucun contrat pour l'instant. Chargez le contrat de démonstration "
                             "avec <code>boussole demo</code> ou importez un tableau de suivi "
                             "avec <code>boussole import</code>.</p>");
    buf_puts(&res->body, "<ul>");
    for (int i = 0; i < n; i++)
        buf_printf(&res->body, "<li><a href=\"/contracts/%lld\">%h</a> — %h</li>", list[i].id,
                   list[i].title, list[i].territory.name);
    buf_puts(&res->body, "</ul>");
    page_end(res);
    return 200;
}

int contract_home_page(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}

int contract_tree_page(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}
