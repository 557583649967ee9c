/* region_pages.c — the regional view of an ARS officer: the regions one may read, a region's
 * contracts side by side (filtered by department and generation) and, per contract, the rows
 * behind its indicator and campaign figures. Every number is a link to the page that lists
 * what it counts, and only to pages the reader may open. Must not contain SQL nor count
 * anything itself: the figures come from model/region (the rules of each contract's pages). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "store/db.h"
#include "model/core/contract.h"
#include "model/report/campaign.h"
#include "model/sheet/indicator.h"
#include "web/core/auth.h"
#include "web/http/page.h"
#include "web/region/region.h"

int region_filter_read(struct req *req, struct res *res, struct region_filter *f)
{
    *f = (struct region_filter){.region = req->ids[0], .department = ""};
    const char *dep = req_query(req, "department");
    if (!str_blank(dep)) {
        size_t len = strlen(dep);
        bool ok = len <= 3;
        for (size_t i = 0; ok && i < len; i++)
            ok = (dep[i] >= '0' && dep[i] <= '9') || dep[i] == 'A' || dep[i] == 'B';
        if (!ok)
            return page_error(req, res, 400, "Département invalide",
                              "Le paramètre « department » est le code INSEE d'un département "
                              "de la région, par exemple 54 ou 2A.");
        f->department = dep;
    }
    const char *gen = req_query(req, "generation");
    long long g = 0;
    if (!str_blank(gen) && str_to_ll(gen, 1, 99, &g) != ERR_OK)
        return page_error(req, res, 400, "Génération invalide",
                          "Le paramètre « generation » est le numéro de génération du contrat, "
                          "par exemple 2.");
    f->generation = (int)g;
    return 0;
}

const char *region_memo_key(struct req *req, const struct region_filter *f, const char *kind)
{
    size_t len = strlen(kind) + strlen(f->department) + 64;
    char *key = arena_alloc(req->arena, len);
    snprintf(key, len, "%s|%lld|%s|%d|%d", kind, f->region, f->department, f->generation,
             date_of_time(req->now).y);
    return key;
}

int region_load(struct req *req, struct res *res, const struct region_filter *f,
                struct region_summary *s)
{
    int rc = region_summary_load(req->db, req->arena, f, date_of_time(req->now).y,
                                 region_figures_cache(), s);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Région introuvable", "Cette région n'existe pas.");
    if (rc == ERR_INVALID)
        return page_error(req, res, 400, "Département invalide",
                          "Le paramètre « department » ne désigne aucun département de cette "
                          "région.");
    if (rc != ERR_OK)
        return page_error(req, res, 500, "Erreur", "La vue régionale n'a pas pu être lue.");
    return 0;
}

int region_list_page(struct req *req, struct res *res)
{
    long long mine = auth_region(req);
    if (!mine)
        return page_error(req, res, 403, "Accès refusé",
                          "Votre compte ne lit aucune région. La vue régionale est ouverte aux "
                          "comptes d'une agence régionale de santé, sur demande à "
                          "l'administrateur.");
    struct region *list;
    int n;
    if (region_list(req->db, req->arena, mine > 0 ? mine : 0, &list, &n) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "La liste des régions n'a pas pu être lue.");
    struct crumb crumbs[] = {{"Contrats", "/"}, {"Régions", NULL}};
    page_begin(res, "Vue régionale", crumbs, 2);
    struct buf *b = &res->body;
    buf_puts(b, "<p class=\"lede\">Les contrats locaux de santé d'une région côte à côte : "
                "état d'avancement, indicateurs, gouvernance et campagnes de suivi.</p>"
                "<div class=\"table-wrap\"><table class=\"narrow\"><caption>Régions</caption>"
                "<thead><tr><th scope=\"col\">Région</th><th scope=\"col\">Code INSEE</th>"
                "<th scope=\"col\" class=\"num\">Contrats</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++)
        buf_printf(b,
                   "<tr><th scope=\"row\"><a href=\"/regions/%lld\">%h</a></th><td>%02lld</td>"
                   "<td class=\"num\"><a href=\"/regions/%lld\">%d</a></td></tr>",
                   list[i].code, list[i].name, list[i].code, list[i].code, list[i].contracts);
    buf_puts(b, "</tbody></table></div>");
    page_end(res);
    return 200;
}

/* The filter form: department and generation, kept in the URL (no script). */
static void put_filters(struct buf *b, const struct region_filter *f,
                        const struct region_summary *s)
{
    buf_printf(b,
               "<form class=\"filters noprint\" method=\"get\" action=\"/regions/%lld\">"
               "<label for=\"department\">Département<select id=\"department\" "
               "name=\"department\"><option value=\"\">Tous</option>",
               s->region.code);
    for (int i = 0; i < s->n_departments; i++)
        buf_printf(b, "<option value=\"%h\"%s>%h — %h</option>", s->departments[i].code,
                   str_eq(s->departments[i].code, f->department) ? " selected" : "",
                   s->departments[i].code, s->departments[i].name);
    buf_puts(b, "</select></label><label for=\"generation\">Génération<select id=\"generation\" "
                "name=\"generation\"><option value=\"\">Toutes</option>");
    for (int i = 0; i < s->n_generations; i++)
        buf_printf(b, "<option value=\"%d\"%s>CLS %d</option>", s->generations[i],
                   s->generations[i] == f->generation ? " selected" : "", s->generations[i]);
    buf_puts(b, "</select></label><button type=\"submit\">Filtrer</button></form>");
}

/* A contract's status figures of each year: done (with its share) and total, both links to
 * the contract's action list for that year (the dashboard's own links). */
static void put_years(struct buf *b, const struct region_contract *c)
{
    if (!c->counts.n_years) {
        buf_puts(b, "<span class=\"muted\">Aucun état enregistré</span>");
        return;
    }
    buf_puts(b, "<ul class=\"region-years\">");
    for (int y = 0; y < c->counts.n_years; y++) {
        const struct year_figures *f = &c->counts.figures[y];
        buf_printf(b,
                   "<li>%d : <a href=\"/contracts/%lld/actions?year=%d&amp;status=done_any\">"
                   "%d réalisée%s (%d&nbsp;%%)</a> sur <a href=\"/contracts/%lld/actions?"
                   "year=%d\">%d</a></li>",
                   f->year, c->id, f->year, f->done, f->done > 1 ? "s" : "",
                   figures_percent(f->done, f->total), c->id, f->year, f->total);
    }
    buf_puts(b, "</ul>");
}

static void put_contract_row(struct buf *b, const struct region_summary *s,
                             const struct region_contract *c)
{
    const char *name = *c->short_title ? c->short_title : c->title;
    buf_printf(b,
               "<tr><th scope=\"row\"><a href=\"/contracts/%lld\">%h</a><br><span "
               "class=\"muted\">%h</span></th><td>%h — %h</td><td class=\"num\">",
               c->id, name, c->territory, c->department, c->department_name);
    if (c->generation)
        buf_printf(b, "%d", c->generation);
    else
        buf_puts(b, "—");
    buf_puts(b, "</td><td>");
    put_years(b, c);
    char detail[64];
    snprintf(detail, sizeof detail, "/regions/%lld/contracts/%lld", s->region.code, c->id);
    buf_puts(b, "</td><td>");
    if (!c->counts.indicators)
        buf_puts(b, "<span class=\"muted\">Aucun indicateur</span>");
    else
        buf_printf(b,
                   "<a href=\"%h#indicateurs\">%d</a> avec cible sur <a href=\"%h#indicateurs"
                   "\">%d</a> ; <a href=\"%h#indicateurs\">%d</a> atteinte%s",
                   detail, c->counts.with_target, detail, c->counts.indicators, detail,
                   c->counts.reached, c->counts.reached > 1 ? "s" : "");
    buf_puts(b, "</td><td>");
    if (!c->counts.gov_required)
        buf_printf(b, "<a href=\"/contracts/%lld/governance\">Aucune réunion requise</a>", c->id);
    else
        buf_printf(b,
                   "<a href=\"/contracts/%lld/governance\">%d tenue%s sur %d requise%s</a> "
                   "(%d–%d)",
                   c->id, c->counts.gov_held, c->counts.gov_held > 1 ? "s" : "",
                   c->counts.gov_required, c->counts.gov_required > 1 ? "s" : "",
                   c->counts.gov_first, c->counts.gov_last);
    buf_puts(b, "</td><td>");
    if (!c->counts.campaign_id)
        buf_puts(b, "<span class=\"muted\">Aucune campagne</span>");
    else
        buf_printf(b, "%d%s : <a href=\"%h#campagne\">%d réponse%s sur %d (%d&nbsp;%%)</a>",
                   c->counts.campaign_year, c->counts.campaign_closed ? " (close)" : " (en cours)",
                   detail, c->counts.campaign_answered, c->counts.campaign_answered > 1 ? "s" : "",
                   c->counts.campaign_total,
                   figures_percent(c->counts.campaign_answered, c->counts.campaign_total));
    buf_puts(b, "</td></tr>");
}

/* The page below its header: the region's name on the first line, then the HTML. */
static void put_region_body(struct buf *b, const struct region_filter *f,
                            const struct region_summary *s)
{
    buf_puts(b, s->region.name); /* plain text: page_begin escapes the title and crumbs */
    buf_putc(b, '\n');
    buf_puts(b, "<p class=\"lede\">Les contrats de la région côte à côte. Chaque nombre mène à "
                "la liste de ce qu'il compte : les actions d'une année, les indicateurs, les "
                "réunions, les réponses à la campagne.</p>");
    put_filters(b, f, s);
    if (!s->n) {
        buf_puts(b, "<p>Aucun contrat ne correspond à ce filtre : choisissez un autre "
                    "département ou une autre génération.</p>");
        return;
    }
    buf_printf(b,
               "<div class=\"table-wrap\"><table><caption>%d contrat%s</caption><thead><tr>"
               "<th scope=\"col\">Contrat</th><th scope=\"col\">Département</th>"
               "<th scope=\"col\" class=\"num\">Génération</th><th scope=\"col\">Actions "
               "réalisées par année</th><th scope=\"col\">Indicateurs</th><th scope=\"col\">"
               "Gouvernance</th><th scope=\"col\">Dernière campagne de suivi</th></tr></thead>"
               "<tbody>",
               s->n, s->n > 1 ? "s" : "");
    for (int i = 0; i < s->n; i++)
        put_contract_row(b, s, &s->contracts[i]);
    buf_puts(b, "</tbody></table></div>");
    buf_printf(b,
               "<p class=\"noprint\"><a href=\"/api/v1/regions/%lld/summary?department=%u"
               "&amp;generation=",
               s->region.code, f->department);
    if (f->generation)
        buf_printf(b, "%d", f->generation);
    buf_puts(b, "\">Les mêmes chiffres en JSON</a></p>");
}

int region_page(struct req *req, struct res *res)
{
    struct region_filter f;
    int rc = region_filter_read(req, res, &f);
    if (rc)
        return rc;
    /* The generation is read before the data, so a write in between only makes it stale. */
    unsigned long long generation = store_generation(req->db);
    const char *key = region_memo_key(req, &f, "page");
    struct buf body = {0};
    if (!region_memo_get(key, generation, &body)) {
        struct region_summary *s = arena_alloc(req->arena, sizeof *s);
        rc = region_load(req, res, &f, s);
        if (rc) {
            buf_free(&body);
            return rc;
        }
        put_region_body(&body, &f, s);
        region_memo_put(key, generation, body.p, body.len);
    }
    const char *text = buf_cstr(&body), *nl = strchr(text, '\n');
    char name[128], title[160];
    snprintf(name, sizeof name, "%.*s", (int)(nl - text), text);
    snprintf(title, sizeof title, "Vue régionale — %s", name);
    struct crumb crumbs[] = {{"Contrats", "/"}, {"Régions", "/regions"}, {name, NULL}};
    page_begin(res, title, crumbs, 3);
    buf_puts(&res->body, nl + 1);
    page_end(res);
    buf_free(&body);
    return 200;
}

/* The indicators of the contract against their targets (the final evaluation's rule). */
static void put_indicators(struct req *req, struct buf *b, long long cid)
{
    struct indicator *xs;
    int n;
    buf_puts(b, "<h2 id=\"indicateurs\">Indicateurs</h2>");
    if (indicator_list_contract(req->db, req->arena, cid, &xs, &n) != ERR_OK) {
        buf_puts(b, "<p class=\"caution\">Les indicateurs n'ont pas pu être lus.</p>");
        return;
    }
    if (!n) {
        buf_puts(b, "<p>Aucun indicateur n'est suivi dans ce contrat.</p>");
        return;
    }
    int with_target = 0, reached = 0;
    for (int i = 0; i < n; i++) {
        with_target += xs[i].has_target;
        reached += xs[i].n_values &&
                   indicator_reached(&xs[i], xs[i].values[xs[i].n_values - 1].value);
    }
    buf_printf(b,
               "<p>%d indicateur%s, dont %d avec une cible ; %d atteignent leur cible "
               "(dernière valeur connue).</p><div class=\"table-wrap\"><table><caption>"
               "Indicateurs et cibles</caption><thead><tr><th scope=\"col\">Indicateur</th>"
               "<th scope=\"col\">Action ou objectif</th><th scope=\"col\" class=\"num\">"
               "Dernière valeur</th><th scope=\"col\" class=\"num\">Cible</th>"
               "<th scope=\"col\">Cible atteinte</th></tr></thead><tbody>",
               n, n > 1 ? "s" : "", with_target, reached);
    for (int i = 0; i < n; i++) {
        const struct indicator *x = &xs[i];
        const struct indicator_value *last = x->n_values ? &x->values[x->n_values - 1] : NULL;
        buf_printf(b, "<tr class=\"indicator\"><th scope=\"row\">%h</th><td>", x->name);
        if (x->action_id)
            buf_printf(b, "<a href=\"/actions/%lld\">%h %h</a>", x->action_id, x->owner_code,
                       x->owner_title);
        else
            buf_printf(b, "<a href=\"/objectives/%lld\">%h %h</a>", x->objective_id, x->owner_code,
                       x->owner_title);
        buf_printf(b, "</td><td class=\"num\">%h</td><td class=\"num\">%h</td><td>%h</td></tr>",
                   last ? indicator_number(req->arena, last->value) : "—",
                   x->has_target ? indicator_number(req->arena, x->target) : "—",
                   !x->has_target                      ? "Sans cible"
                   : !last                             ? "Sans valeur"
                   : indicator_reached(x, last->value) ? "Oui"
                                                       : "Non");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* A table of tallies; link_base ("/organisations/" for carriers, "/objectives/" for axes) makes
 * each named row a link to the public page of what it counts. */
static void put_tallies(struct buf *b, const char *caption, const char *first,
                        const char *link_base, const struct campaign_tally *t, int n)
{
    buf_printf(b,
               "<div class=\"table-wrap\"><table class=\"narrow\"><caption>%h</caption>"
               "<thead><tr><th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">Actions"
               "</th><th scope=\"col\" class=\"num\">Réponses</th><th scope=\"col\" "
               "class=\"num\">Taux</th></tr></thead><tbody>",
               caption, first);
    for (int i = 0; i < n; i++) {
        buf_puts(b, "<tr><th scope=\"row\">");
        if (t[i].id)
            buf_printf(b, "<a href=\"%h%lld\">%h</a>", link_base, t[i].id, t[i].label);
        else
            buf_printf(b, "%h", t[i].label);
        buf_printf(b,
                   "</th><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">"
                   "%d&nbsp;%%</td></tr>",
                   t[i].total, t[i].answered, figures_percent(t[i].answered, t[i].total));
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The reporting rate of the latest campaign: overall, by carrier, by axis (no contact: the
 * names and addresses stay with the contract's coordination). */
static void put_campaign(struct req *req, struct buf *b, long long cid)
{
    buf_puts(b, "<h2 id=\"campagne\">Dernière campagne de suivi</h2>");
    struct campaign *list;
    int n;
    struct campaign_rate rate;
    if (campaign_list(req->db, req->arena, cid, &list, &n) != ERR_OK ||
        (n && campaign_rate(req->db, req->arena, list[0].id, &rate) != ERR_OK)) {
        buf_puts(b, "<p class=\"caution\">La campagne n'a pas pu être lue.</p>");
        return;
    }
    if (!n) {
        buf_puts(b, "<p>Aucune campagne de suivi n'a été ouverte pour ce contrat.</p>");
        return;
    }
    char deadline[32];
    if (!date_fr_long(list[0].deadline, deadline))
        snprintf(deadline, sizeof deadline, "%s", list[0].deadline);
    buf_printf(b,
               "<p>Campagne %d (%s, échéance %h) : <strong>%d réponses sur %d actions "
               "(%d&nbsp;%%)</strong>, dont %d dans les délais.</p>",
               list[0].year, str_eq(list[0].state, "open") ? "en cours" : "close", deadline,
               rate.overall.answered, rate.overall.total,
               figures_percent(rate.overall.answered, rate.overall.total), rate.overall.on_time);
    put_tallies(b, "Réponses par porteur", "Porteur", "/organisations/", rate.carriers,
                rate.n_carriers);
    put_tallies(b, "Réponses par axe", "Axe", "/objectives/", rate.axes, rate.n_axes);
}

int region_contract_page(struct req *req, struct res *res)
{
    long long rid = req->ids[0], cid = req->ids[1], in;
    struct contract c;
    int rc = region_of_contract(req->db, cid, &in);
    if (rc == ERR_OK && in != rid)
        rc = ERR_NOTFOUND; /* a contract of another region is not this region's */
    if (rc == ERR_OK)
        rc = contract_get(req->db, req->arena, cid, &c);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Introuvable",
                          "Ce contrat n'appartient pas à cette région.");
    if (rc != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Le contrat n'a pas pu être lu.");
    const char *name = *c.short_title ? c.short_title : c.title;
    char back[32], home[32];
    snprintf(back, sizeof back, "/regions/%lld", rid);
    snprintf(home, sizeof home, "/contracts/%lld", cid);
    struct crumb crumbs[] = {{"Régions", "/regions"}, {"Vue régionale", back}, {name, NULL}};
    page_begin(res, name, crumbs, 3);
    struct buf *b = &res->body;
    buf_printf(b,
               "<p class=\"lede\">%h — ce qui est derrière les chiffres de la vue régionale. "
               "<a href=\"%h\">Page du contrat</a>, <a href=\"%h/dashboard\">tableau de "
               "bord</a>, <a href=\"%h/governance\">gouvernance</a>.</p>",
               c.title, home, home, home);
    put_indicators(req, b, cid);
    put_campaign(req, b, cid);
    page_end(res);
    return 200;
}
