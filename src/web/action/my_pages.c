/* my_pages.c — "Mes actions": where a carrier lands after logging in, the actions its
 * organisation carries, what the current year still lacks and one link to update each. Must
 * not contain SQL (model/action.c lists the actions). */
#include <stdio.h>

#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/core/organisation.h"
#include "web/kit/edit_forms.h"
#include "model/report/campaign.h"
#include "model/plan/figures.h"
#include "web/core/handlers.h"
#include "web/http/page.h"

/* The year a carrier is asked about: the one of the contract's open campaign (the newest if
 * several), else the contract's reporting year, else the calendar year. In January the
 * calendar year has nothing to report yet; the campaign is what the coordination asks for. */
static int my_year(struct req *req, long long contract_id)
{
    struct campaign *ks = NULL;
    int n = 0, year = 0;
    if (contract_id && campaign_list(req->db, req->arena, contract_id, &ks, &n) == ERR_OK)
        for (int i = 0; i < n && !year; i++)
            if (str_eq(ks[i].state, "open"))
                year = ks[i].year;
    if (!year && contract_id &&
        figures_reporting_year(req->db, contract_id, &year, NULL) != ERR_OK)
        year = 0;
    return year ? year : action_current_year(req);
}

int my_actions_page(struct req *req, struct res *res)
{
    const struct account *me = req->account;
    int year = my_year(req, me->contract_id);
    page_begin(res, "Mes actions", NULL, 0);
    struct buf *b = &res->body;
    if (!me->organisation_id) {
        buf_puts(b, "<p>Votre compte n'est rattaché à aucune organisation : aucune action ne vous "
                    "est confiée. Demandez à la coordination du contrat de rattacher votre compte "
                    "à l'organisation qui porte vos actions.</p>");
        page_end(res);
        return 200;
    }
    struct organisation org = {0};
    struct carried_action *xs = NULL;
    int n = 0;
    if (organisation_get(req->db, req->arena, me->organisation_id, &org) != ERR_OK ||
        action_list_carried(req->db, req->arena, me->organisation_id, me->contract_id, year, &xs,
                            &n) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    int due = 0;
    for (int i = 0; i < n; i++)
        due += xs[i].status == ST_NONE || xs[i].missing_values > 0;
    if (n == 0) {
        buf_printf(b, "<p>%h ne porte aucune action pour l'instant. Si c'est une erreur, "
                      "écrivez à la coordination du contrat.</p>", org.name);
        page_end(res);
        return 200;
    }
    buf_printf(b, "<p>%d action%s portée%s par %h. ", n, n > 1 ? "s" : "",
               n > 1 ? "s" : "", org.name);
    if (due)
        buf_printf(b, "<strong>%d attend%s encore une mise à jour pour %d.</strong></p>", due,
                   due > 1 ? "ent" : "", year);
    else
        buf_printf(b, "Tout est à jour pour %d : merci.</p>", year);
    buf_printf(b, "<div class=\"table-wrap\"><table class=\"my-actions\"><caption>Mes actions "
                  "et ce qui manque en %d</caption><thead><tr><th scope=\"col\">Action</th>"
                  "<th scope=\"col\">État %d</th><th scope=\"col\">À faire en %d</th>"
                  "<th scope=\"col\">Rôle</th><th scope=\"col\"><span class=\"visually-hidden\">"
                  "Mise à jour</span></th></tr></thead><tbody>",
               year, year, year);
    for (int i = 0; i < n; i++) {
        const struct carried_action *x = &xs[i];
        buf_printf(b, "<tr><td><a href=\"/actions/%lld\">%h%s%h</a></td><td class=\"status\">",
                   x->id, x->code, *x->code ? " — " : "", x->title);
        page_status(b, x->status);
        buf_puts(b, "</td><td><ul class=\"todo\">");
        if (x->status == ST_NONE)
            buf_printf(b, "<li>État d'avancement %d à saisir</li>", year);
        if (x->missing_values > 0)
            buf_printf(b, "<li>%d indicateur%s sans valeur pour %d</li>", x->missing_values,
                       x->missing_values > 1 ? "s" : "", year);
        if (x->status != ST_NONE && x->missing_values == 0)
            buf_puts(b, "<li>À jour</li>");
        buf_printf(b, "</ul></td><td>%s</td><td><a class=\"button\" "
                      "href=\"/actions/%lld#etat-form\" aria-label=\"Mettre à jour %h\">"
                      "Mettre à jour</a></td></tr>",
                   str_eq(x->role, "carrier") ? "Porteur" : "Co-porteur", x->id, x->title);
    }
    buf_puts(b, "</tbody></table></div>");
    page_end(res);
    return 200;
}
