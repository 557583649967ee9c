/* funding_pages.c — funding on screen: the coordinator post's financing plan with its balance and
 * summary over the years, the contract's funding by funder and year with the SCDL subventions
 * export and the funding calls, and the funding parts of the action page and contract home.
 * Must not contain SQL (model/funding.c, model/funding_call.c); the forms are funding_forms.c. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "model/funding/funding.h"
#include "model/funding/funding_call.h"
#include "model/sheet/sheet.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/core/mailer.h"
#include "web/http/page.h"
#include "web/funding/funding_web.h"

const char *funding_money(struct arena *a, long long cents)
{
    return cents < 0 ? "—" : sheet_amount_text(a, cents);
}

/* Queues the reminders due (any funding page shown is a tick, like the campaigns'). */
void funding_remind(struct req *req)
{
    int n = funding_send_due_reminders(req->db, req->now);
    if (n < 0)
        log_info("funding call reminders failed");
    else if (n > 0)
        mailer_wake();
}

/* ---- the financing plan --------------------------------------------------------------------- */

static void money_cell(struct buf *b, struct arena *a, long long cents, const char *attr_html)
{
    buf_printf(b, "<td class=\"num\" data-cents=\"%lld\"%s>%h</td>", cents, attr_html,
               funding_money(a, cents));
}

/* The edit and archive forms of one line (coordination, draft year). */
static void line_forms(struct buf *b, struct arena *a, long long contract_id,
                       const struct financing_line *l, const char *csrf)
{
    buf_printf(b,
               "<td class=\"noprint\"><form method=\"post\" action=\"/contracts/%lld/financing/"
               "lines/%lld\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"%h\">"
               "<input type=\"hidden\" name=\"version\" value=\"%d\">"
               "<input type=\"hidden\" name=\"label\" value=\"%h\">"
               "<label for=\"amount-%lld\" class=\"visually-hidden\">Montant de « %h » en %d"
               "</label><input id=\"amount-%lld\" name=\"amount\" size=\"10\" value=\"%h\">"
               "<button type=\"submit\">Enregistrer</button></form>"
               "<form method=\"post\" action=\"/contracts/%lld/financing/lines/%lld\" "
               "class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"%h\">"
               "<input type=\"hidden\" name=\"version\" value=\"%d\">"
               "<input type=\"hidden\" name=\"archive\" value=\"1\">"
               "<button type=\"submit\" class=\"secondary\">Retirer « %h »</button></form></td>",
               contract_id, l->id, csrf, l->version, l->label, l->id, l->label, l->year, l->id,
               sheet_amount_text(a, l->amount), contract_id, l->id, csrf, l->version, l->label);
}

static void year_rows(struct buf *b, struct arena *a, const struct financing_plan *p,
                      const struct financing_year *y, bool income, bool forms, long long cid,
                      const char *csrf)
{
    for (int i = 0; i < p->n_lines; i++) {
        const struct financing_line *l = &p->lines[i];
        if (l->year != y->year || l->income != income)
            continue;
        buf_printf(b, "<tr><th scope=\"row\">%h</th>", l->label);
        money_cell(b, a, l->amount, "");
        if (forms)
            line_forms(b, a, cid, l, csrf);
        buf_puts(b, "</tr>");
    }
    long long sum = income ? y->income : y->expense;
    long long stated = income ? y->stated_income : y->stated_expense;
    buf_printf(b, "<tr class=\"total\"><th scope=\"row\">Total des %s</th>",
               income ? "recettes" : "dépenses");
    money_cell(b, a, sum, income ? " data-total=\"income\"" : " data-total=\"expense\"");
    if (forms)
        buf_puts(b, "<td></td>");
    buf_puts(b, "</tr>");
    if (stated >= 0 && stated != sum)
        buf_printf(b,
                   "<tr><td colspan=\"%d\" class=\"caution\">Le document source indique un "
                   "total de %h, soit %h d'écart avec la somme des lignes.</td></tr>",
                   forms ? 3 : 2, funding_money(a, stated),
                   funding_money(a, stated > sum ? stated - sum : sum - stated));
}

static void year_section(struct req *req, struct res *res, const struct financing_plan *p,
                         const struct financing_year *y, bool coord, long long cid)
{
    struct buf *b = &res->body;
    struct arena *a = req->arena;
    long long gap = financing_gap(y);
    buf_printf(b,
               "<section aria-labelledby=\"annee-%d\" class=\"financing-year\" "
               "data-year=\"%d\"><h2 id=\"annee-%d\">Année %d</h2><p>%h%s<strong>%s</strong>"
               "</p>",
               y->year, y->year, y->year, y->year, y->period, *y->period ? " · " : "",
               y->final ? "Arrêtée" : "Brouillon");
    if (gap == 0)
        buf_printf(b,
                   "<p id=\"equilibre-%d\" data-gap-cents=\"0\">Équilibrée : les recettes "
                   "égalent les dépenses.</p>",
                   y->year);
    else
        buf_printf(b,
                   "<p id=\"equilibre-%d\" class=\"caution\" data-gap-cents=\"%lld\">Non "
                   "équilibrée : les recettes %s les dépenses de <strong>%h</strong>. L'année ne "
                   "peut pas être arrêtée tant que l'écart n'est pas corrigé.</p>",
                   y->year, gap, gap > 0 ? "dépassent" : "sont inférieures aux",
                   funding_money(a, gap > 0 ? gap : -gap));
    bool forms = coord && !y->final;
    const char *csrf = coord ? auth_form_token(req, res) : "";
    for (int income = 0; income < 2; income++) {
        buf_printf(b,
                   "<div class=\"table-wrap\"><table class=\"financing\" data-type=\"%s\">"
                   "<caption>%s %d</caption><thead><tr><th scope=\"col\">%s</th>"
                   "<th scope=\"col\" class=\"num\">Montant</th>%s</tr></thead><tbody>",
                   income ? "income" : "expense", income ? "Recettes" : "Dépenses", y->year,
                   income ? "Financeur" : "Poste de dépense",
                   forms ? "<th scope=\"col\" class=\"noprint\">Modifier</th>" : "");
        year_rows(b, a, p, y, income, forms, cid, csrf);
        buf_puts(b, "</tbody></table></div>");
    }
    if (coord) {
        buf_printf(b,
                   "<form method=\"post\" action=\"/contracts/%lld/financing/years/%d\" "
                   "class=\"noprint\"><input type=\"hidden\" name=\"csrf\" value=\"%h\">"
                   "<input type=\"hidden\" name=\"version\" value=\"%d\">"
                   "<input type=\"hidden\" name=\"final\" value=\"%s\">"
                   "<button type=\"submit\"%s>%s %d</button></form>",
                   cid, y->year, csrf, y->version, y->final ? "0" : "1",
                   y->final ? " class=\"secondary\"" : "",
                   y->final ? "Repasser en brouillon l'année" : "Arrêter l'année", y->year);
    }
    if (*y->source_ref)
        buf_printf(b, "<p class=\"muted source\"><small>Source : %h</small></p>", y->source_ref);
    buf_puts(b, "</section>");
}

static void summary_section(struct buf *b, struct arena *a, const struct financing_plan *p)
{
    if (!p->n_years)
        return;
    buf_printf(b,
               "<section aria-labelledby=\"recapitulatif\"><h2 id=\"recapitulatif\">"
               "Récapitulatif %d–%d</h2><p>Chaque ligne additionne les années du plan ; la "
               "colonne suivante reprend le tableau récapitulatif du document source quand il "
               "existe (arrondi à l'euro), et l'écart les sépare.</p>"
               "<div class=\"table-wrap\"><table id=\"recap\"><caption>Récapitulatif du plan de "
               "financement</caption><thead><tr><th scope=\"col\">Ligne</th>"
               "<th scope=\"col\" class=\"num\">Somme des années</th>"
               "<th scope=\"col\" class=\"num\">Montant indiqué par la source</th>"
               "<th scope=\"col\" class=\"num\">Écart</th></tr></thead><tbody>",
               p->years[0].year, p->years[p->n_years - 1].year);
    for (int i = 0; i < p->n_sums; i++) {
        const struct financing_sum *s = &p->sums[i];
        bool total = !*s->label;
        buf_printf(b, "<tr%s data-type=\"%s\" data-label=\"%h\"><th scope=\"row\">%s%h</th>",
                   total ? " class=\"total\"" : "", s->income ? "income" : "expense", s->label,
                   total ? (s->income ? "Total des recettes" : "Coût total du poste") : "",
                   s->label);
        money_cell(b, a, s->amount, " data-col=\"sum\"");
        money_cell(b, a, s->stated, " data-col=\"stated\"");
        if (s->stated < 0)
            buf_puts(b, "<td class=\"num\">—</td>");
        else
            money_cell(b, a,
                       s->amount - s->stated < 0 ? s->stated - s->amount : s->amount - s->stated,
                       "");
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div></section>");
}

static void line_add_form(struct req *req, struct res *res, long long cid,
                          const struct form_errors *errs)
{
    struct buf *b = &res->body;
    static const char *const types[] = {"expense", "income"};
    static const char *const type_labels[] = {"Dépense", "Recette (financeur)"};
    buf_puts(b, "<section aria-labelledby=\"ajouter\" class=\"noprint\"><h2 id=\"ajouter\">"
                "Ajouter une ligne</h2>");
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/financing/lines", cid),
               auth_form_token(req, res));
    form_input(b, "number", "year", "Année", form_value(req, "year"), NULL,
               form_error_of(errs, "year"), true);
    form_select(b, "line_type", "Type de ligne", types, type_labels, 2,
                form_value(req, "line_type"), NULL, true);
    form_input(b, "text", "label", "Intitulé", form_value(req, "label"),
               "Le poste de dépense (« Salaire brut ») ou le financeur (« ARS Grand Est »).",
               form_error_of(errs, "label"), true);
    form_input(b, "text", "amount", "Montant (€)", form_value(req, "amount"),
               "Par exemple 12 500 ou 9 062,52.", form_error_of(errs, "amount"), true);
    form_end(b, "Ajouter la ligne");
    buf_puts(b, "</section>");
}

int financing_plan_show(struct req *req, struct res *res, const struct contract *c,
                        const struct form_errors *errs, const char *notice, int status)
{
    struct financing_plan p;
    if (financing_plan_get(req->db, req->arena, c->id, &p) != ERR_OK)
        return page_db_error(req, res);
    bool coord = auth_may(req, ROLE_COORDINATOR, c->id, false);
    edit_begin(req, res, c, "Plan de financement du poste de coordination", "Financements",
               edit_fmt(req->arena, "/contracts/%lld/funding", c->id), "Plan de financement");
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    if (notice)
        buf_printf(b, "<p class=\"caution\" role=\"alert\" id=\"refus\">%h</p>", notice);
    buf_puts(b, "<p>Chaque année, le coût du poste (salaire et charges) est couvert par le maître "
                "d'ouvrage et les financeurs. Une année ne peut être <strong>arrêtée</strong> que "
                "si ses recettes égalent exactement ses dépenses ; sinon la page dit de combien "
                "elles diffèrent.</p>");
    if (!p.n_years)
        buf_puts(b, "<p>Aucune année dans le plan pour l'instant : ajoutez une première ligne "
                    "ci-dessous.</p>");
    for (int i = 0; i < p.n_years; i++)
        year_section(req, res, &p, &p.years[i], coord, c->id);
    summary_section(b, req->arena, &p);
    if (coord)
        line_add_form(req, res, c->id, errs);
    page_end(res);
    res->status = status;
    return status;
}

int financing_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    return financing_plan_show(req, res, &c, NULL, NULL, 200);
}

/* ---- the contract's funding ------------------------------------------------------------------ */

static void by_funder_table(struct buf *b, struct arena *a, const struct action_funding *fs, int n)
{
    if (!n) {
        buf_puts(b, "<p>Aucune ligne de financement n'est encore enregistrée sur les actions : "
                    "ajoutez-en depuis la page de chaque action.</p>");
        return;
    }
    buf_puts(b, "<div class=\"table-wrap\"><table id=\"par-financeur\"><caption>Montants des "
                "actions par financeur et par année</caption><thead><tr>"
                "<th scope=\"col\">Financeur</th><th scope=\"col\">Année</th>"
                "<th scope=\"col\" class=\"num\">Demandé</th>"
                "<th scope=\"col\" class=\"num\">Accordé</th>"
                "<th scope=\"col\" class=\"num\">Lignes</th></tr></thead><tbody>");
    long long all_asked = 0, all_granted = 0;
    /* The lines come by funder then year: one row per run. */
    for (int i = 0; i < n;) {
        int k = i;
        long long asked = 0, granted = 0;
        for (; k < n && str_eq(fs[k].funder, fs[i].funder) && fs[k].year == fs[i].year; k++) {
            asked += fs[k].asked > 0 ? fs[k].asked : 0;
            granted += fs[k].granted > 0 ? fs[k].granted : 0;
        }
        buf_printf(b,
                   "<tr data-funder=\"%h\" data-year=\"%d\"><th scope=\"row\">%h</th>"
                   "<td>%d</td>",
                   fs[i].funder, fs[i].year, fs[i].funder, fs[i].year);
        money_cell(b, a, asked, " data-col=\"asked\"");
        money_cell(b, a, granted, " data-col=\"granted\"");
        buf_printf(b, "<td class=\"num\">%d</td></tr>", k - i);
        all_asked += asked;
        all_granted += granted;
        i = k;
    }
    buf_puts(b, "<tr class=\"total\"><th scope=\"row\" colspan=\"2\">Total</th>");
    money_cell(b, a, all_asked, " data-col=\"asked\"");
    money_cell(b, a, all_granted, " data-col=\"granted\"");
    buf_printf(b, "<td class=\"num\">%d</td></tr></tbody></table></div>", n);
}

/* Days from today to an ISO deadline (negative when past); false when there is none. */
bool funding_days_left(const struct req *req, const char *deadline, int *days)
{
    struct date d, t = date_of_time(req->now);
    if (!*deadline || date_parse(deadline, DATE_FULL, &d) != ERR_OK)
        return false;
    *days = (int)(date_days_from_civil(d.y, d.m, d.d) - date_days_from_civil(t.y, t.m, t.d));
    return true;
}

void funding_deadline_cell(struct buf *b, const struct req *req, const char *deadline)
{
    int days = 0;
    char fr[32];
    if (!funding_days_left(req, deadline, &days) || !date_fr_short(deadline, fr)) {
        buf_puts(b, "<td>Sans date limite</td>");
        return;
    }
    if (days < 0)
        buf_printf(b,
                   "<td data-deadline=\"%h\" class=\"overdue\"><strong>Date limite dépassée"
                   "</strong> (%h)</td>",
                   deadline, fr);
    else
        buf_printf(b, "<td data-deadline=\"%h\">%h <small>(dans %d jour%s)</small></td>", deadline,
                   fr, days, days > 1 ? "s" : "");
}

static void rule_explained(struct buf *b)
{
    buf_puts(b, "<details><summary>Comment un appel est rapproché d'une action</summary>"
                "<p>Un appel correspond à une action quand trois conditions sont réunies :</p>"
                "<ol><li><strong>Thème</strong> : le titre ou les catégories de l'appel et "
                "l'intitulé, la description, les objectifs de l'action ou son objectif "
                "opérationnel évoquent un même thème parmi : ");
    for (int t = 0; funding_theme_labels[t]; t++)
        buf_printf(b, "%s%h", t ? ", " : "", funding_theme_labels[t]);
    buf_puts(b, ".</li><li><strong>Public</strong> : le public visé par l'appel comprend le type "
                "d'un porteur de l'action (commune, intercommunalité, association, "
                "établissement public…), ou l'appel ne précise pas son public, ou les porteurs "
                "n'ont pas de type connu.</li><li><strong>Territoire</strong> : le périmètre de "
                "l'appel couvre le territoire du contrat (national, sa région, son département, "
                "le territoire lui-même ou l'une de ses intercommunalités ou communes).</li></ol>"
                "<p>Les rappels partent par courriel aux coordinateurs 14 jours puis 3 jours "
                "avant la date limite d'un appel rapproché d'au moins une action.</p></details>");
}

static void calls_table(struct buf *b, const struct req *req, const struct funding_call *cs, int n)
{
    if (!n) {
        buf_puts(b, "<p>Aucun appel importé. La coordination les importe depuis "
                    "Aides-territoires avec <code>boussole funding-calls fetch</code> ou depuis "
                    "un fichier JSON enregistré avec <code>boussole funding-calls import</code>."
                    "</p>");
        return;
    }
    buf_puts(b, "<div class=\"table-wrap\"><table id=\"appels\"><caption>Appels à financement, "
                "date limite la plus proche en premier</caption><thead><tr>"
                "<th scope=\"col\">Appel</th><th scope=\"col\">Financeurs</th>"
                "<th scope=\"col\">Date limite</th><th scope=\"col\" class=\"num\">Actions "
                "correspondantes</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        buf_puts(b, "<tr><td>");
        if (*cs[i].url)
            buf_printf(b, "<a href=\"%h\">%h</a>", cs[i].url, cs[i].name);
        else
            buf_printf(b, "%h", cs[i].name);
        buf_printf(b, "</td><td>%h</td>", cs[i].financers);
        funding_deadline_cell(b, req, cs[i].deadline);
        buf_printf(b, "<td class=\"num\">%d</td></tr>", cs[i].n_actions);
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The coordination's upload of a saved page of calls. */
static void calls_upload_form(struct req *req, struct res *res, long long cid, const char *error)
{
    struct buf *b = &res->body;
    buf_puts(b, "<h3 id=\"importer\">Importer des appels</h3>");
    if (error)
        buf_printf(b,
                   "<div class=\"error-summary\" role=\"alert\"><h2>Fichier refusé</h2><p>"
                   "%h</p><p>Rien n'a été importé.</p></div>",
                   error);
    buf_printf(b,
               "<form class=\"edit noprint\" method=\"post\" enctype=\"multipart/form-data\" "
               "action=\"/contracts/%lld/funding/calls\">",
               cid);
    form_hidden(b, "csrf", auth_form_token(req, res));
    buf_puts(b, "<div class=\"field\"><label for=\"f-calls\">Page enregistrée de "
                "l'API Aides-territoires (JSON) <span class=\"required\">(obligatoire)</span>"
                "</label><p class=\"help\" id=\"f-calls-help\">Une page de "
                "<code>/api/aids/all/</code> ou une liste d'aides, 1 Mo au plus. Les appels déjà "
                "importés sont mis à jour.</p><input type=\"file\" id=\"f-calls\" "
                "name=\"file\" accept=\".json,application/json\" "
                "aria-describedby=\"f-calls-help\" required></div>"
                "<button type=\"submit\">Importer les appels</button></form>");
}

int funding_page_show(struct req *req, struct res *res, const struct contract *cp,
                      const char *error, int status)
{
    struct contract c = *cp;
    struct action_funding *fs = NULL;
    struct funding_call *cs = NULL;
    int n = 0, n_calls = 0;
    if (action_funding_of_contract(req->db, req->arena, c.id, &fs, &n) != ERR_OK ||
        funding_calls_of_contract(req->db, req->arena, c.id, &cs, &n_calls) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, &c, "Financements du contrat", NULL, NULL, "Financements");
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    buf_printf(b,
               "<ul class=\"links noprint\"><li><a href=\"/contracts/%lld/financing\">Plan "
               "de financement du poste de coordination</a></li><li><a href=\"/contracts/"
               "%lld/funding/subventions.csv\">Subventions accordées au format SCDL 2.1.1 "
               "(CSV)</a></li></ul>",
               c.id, c.id);
    buf_puts(b, "<section aria-labelledby=\"financeurs\"><h2 id=\"financeurs\">Par financeur et "
                "par année</h2>");
    by_funder_table(b, req->arena, fs, n);
    int missing = 0;
    for (int i = 0; i < n; i++)
        if (fs[i].granted >= 0 && funding_scdl_missing(&fs[i]))
            missing++;
    if (missing) {
        buf_printf(b,
                   "<p class=\"caution\">%d ligne%s accordée%s n'entre%s pas dans l'export "
                   "SCDL :</p><ul>",
                   missing, missing > 1 ? "s" : "", missing > 1 ? "s" : "",
                   missing > 1 ? "nt" : "");
        for (int i = 0; i < n; i++)
            if (fs[i].granted >= 0 && funding_scdl_missing(&fs[i]))
                buf_printf(b,
                           "<li><a href=\"/actions/%lld/funding/%lld\">%h %d, %h</a> : %h"
                           "</li>",
                           fs[i].action_id, fs[i].id, fs[i].funder, fs[i].year, fs[i].action_title,
                           funding_scdl_missing(&fs[i]));
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section><section aria-labelledby=\"appels-h\"><h2 id=\"appels-h\">Appels à "
                "financement</h2>");
    calls_table(b, req, cs, n_calls);
    rule_explained(b);
    if (auth_may(req, ROLE_COORDINATOR, c.id, false))
        calls_upload_form(req, res, c.id, error);
    buf_puts(b, "</section>");
    page_end(res);
    res->status = status;
    return status;
}

int funding_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    funding_remind(req);
    return funding_page_show(req, res, &c, NULL, 200);
}

int funding_subventions_csv(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    int rows = 0, skipped = 0;
    struct buf csv = {0};
    if (funding_scdl_csv(req->db, req->arena, c.id, &csv, &rows, &skipped) != ERR_OK) {
        buf_free(&csv);
        return page_db_error(req, res);
    }
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res_header(
        res, "Content-Disposition",
        edit_fmt(req->arena, "attachment; filename=\"subventions-contrat-%lld.csv\"", c.id));
    buf_append(&res->body, csv.p ? csv.p : "", csv.len);
    buf_free(&csv);
    return 200;
}

/* ---- parts of other pages --------------------------------------------------------------------- */

void funding_action_section(struct req *req, struct res *res, const struct action *x,
                            bool may_edit)
{
    struct action_funding *fs = NULL;
    struct funding_call *cs = NULL;
    int n = 0, n_calls = 0;
    struct buf *b = &res->body;
    if (action_funding_list(req->db, req->arena, x->id, &fs, &n) != ERR_OK ||
        funding_calls_of_action(req->db, req->arena, x->id, &cs, &n_calls) != ERR_OK) {
        buf_puts(b, "<p class=\"caution\">Les financements n'ont pas pu être lus.</p>");
        return;
    }
    buf_puts(b, "<section aria-labelledby=\"financements\"><h2 id=\"financements\">"
                "Financements</h2>");
    if (!n)
        buf_puts(b, "<p>Aucune ligne de financement enregistrée.</p>");
    else {
        buf_puts(b, "<div class=\"table-wrap\"><table id=\"lignes-financement\"><caption>"
                    "Financements de l'action par financeur et par année</caption><thead><tr>"
                    "<th scope=\"col\">Année</th><th scope=\"col\">Financeur</th>"
                    "<th scope=\"col\" class=\"num\">Demandé</th>"
                    "<th scope=\"col\" class=\"num\">Accordé</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            buf_printf(b, "<tr><td>%d</td><td>", fs[i].year);
            if (may_edit)
                buf_printf(b, "<a href=\"/actions/%lld/funding/%lld\">%h</a>", x->id, fs[i].id,
                           fs[i].funder);
            else
                buf_printf(b, "%h", fs[i].funder);
            buf_puts(b, "</td>");
            money_cell(b, req->arena, fs[i].asked, " data-col=\"asked\"");
            money_cell(b, req->arena, fs[i].granted, " data-col=\"granted\"");
            buf_puts(b, "</tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    if (may_edit)
        buf_printf(b,
                   "<p class=\"noprint\"><a class=\"button\" href=\"/actions/%lld/funding/"
                   "new\">Ajouter une ligne de financement</a></p>",
                   x->id);
    buf_puts(b, "<h3 id=\"appels-action\">Appels à financement qui correspondent</h3>");
    if (!n_calls)
        buf_puts(b, "<p>Aucun appel importé ne correspond à cette action.</p>");
    else {
        buf_puts(b, "<ul class=\"calls\">");
        for (int i = 0; i < n_calls; i++) {
            int days = 0;
            char fr[32];
            buf_puts(b, "<li>");
            if (*cs[i].url)
                buf_printf(b, "<a href=\"%h\">%h</a>", cs[i].url, cs[i].name);
            else
                buf_printf(b, "<strong>%h</strong>", cs[i].name);
            if (funding_days_left(req, cs[i].deadline, &days) && date_fr_short(cs[i].deadline, fr))
                buf_printf(b, " — %s %h", days < 0 ? "date limite dépassée :" : "avant le", fr);
            buf_printf(b, "<br><small>%h</small></li>", cs[i].reason);
        }
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section>");
}

void funding_home_calls(struct req *req, struct res *res, long long contract_id)
{
    struct funding_call *cs = NULL;
    int n = 0;
    if (funding_calls_of_contract(req->db, req->arena, contract_id, &cs, &n) != ERR_OK)
        return;
    int shown = 0;
    struct buf *b = &res->body;
    for (int i = 0; i < n && shown < 5; i++) {
        int days = 0;
        /* Matched calls still open, and those closed within the last month (flagged). */
        if (!cs[i].n_actions || !funding_days_left(req, cs[i].deadline, &days) || days < -31)
            continue;
        if (!shown++)
            buf_puts(b, "<section aria-labelledby=\"appels-accueil\" class=\"noprint\"><h2 "
                        "id=\"appels-accueil\">Appels à financement</h2><div class=\"table-wrap"
                        "\"><table id=\"appels-echeances\"><caption>Prochaines dates limites"
                        "</caption><thead><tr><th scope=\"col\">Appel</th><th scope=\"col\">"
                        "Date limite</th><th scope=\"col\" class=\"num\">Actions</th></tr>"
                        "</thead><tbody>");
        buf_printf(b, "<tr><td>%h</td>", cs[i].name);
        funding_deadline_cell(b, req, cs[i].deadline);
        buf_printf(b, "<td class=\"num\">%d</td></tr>", cs[i].n_actions);
    }
    if (shown)
        buf_printf(b,
                   "</tbody></table></div><p><a href=\"/contracts/%lld/funding\">Tous les "
                   "appels et les financements du contrat</a></p></section>",
                   contract_id);
    else
        buf_printf(b,
                   "<p class=\"noprint\"><a href=\"/contracts/%lld/funding\">Financements "
                   "et appels à financement</a></p>",
                   contract_id);
}

/* The journal's words for funding fields: an action's funding line, a line of the
 * coordinator post's financing plan and a plan year's state (audit_kinds.h); NULL otherwise. */
const char *funding_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    static const struct {
        const char *entity, *field, *label;
    } labels[] = {
        {"action_funding", "funder", "Financeur"},
        {"action_funding", "funder_siret", "SIRET du financeur"},
        {"action_funding", "year", "Année"},
        {"action_funding", "asked", "Montant demandé"},
        {"action_funding", "granted", "Montant accordé"},
        {"action_funding", "beneficiary", "Bénéficiaire"},
        {"action_funding", "beneficiary_siret", "SIRET du bénéficiaire"},
        {"action_funding", "decision_date", "Date de la convention"},
        {"action_funding", "decision_ref", "Référence de la décision"},
        {"action_funding", "purpose", "Objet"},
        {"action_funding", "nature", "Nature de l'aide"},
        {"action_funding", "payment", "Conditions de versement"},
        {"action_funding", "payment_dates", "Dates de versement"},
        {"action_funding", "archived", "Retrait de la ligne"},
        {"financing_line", "label", "Libellé"},
        {"financing_line", "amount", "Montant"},
        {"financing_line", "archived", "Retrait de la ligne"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].entity, entity) == 0 && strcmp(labels[i].field, field) == 0)
            return labels[i].label;
    if (strcmp(entity, "contract") != 0 || strncmp(field, "state ", 6) != 0)
        return NULL;
    struct buf text = {0};
    buf_printf(&text, "Plan de financement %s, état", field + 6);
    const char *s = arena_strdup(a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

/* A financing plan year's state in words (audit_kinds.h); NULL for another field. */
const char *funding_audit_value(struct arena *a, const char *entity, const char *field,
                                const char *v)
{
    (void)a;
    if (strcmp(entity, "contract") != 0 || strncmp(field, "state ", 6) != 0)
        return NULL;
    return strcmp(v, "final") == 0 ? "définitif" : strcmp(v, "draft") == 0 ? "brouillon" : v;
}
