/* campaign_pages.c — the yearly update campaign on screen: the coordinator's pages (open a year
 * with a deadline, the live reporting rate, reminders, close) and the carrier's personal link,
 * exchanged for a short session (cookie bsl_campaign) limited to its organisation's actions.
 * Must not contain SQL (model/campaign.c). */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/secret.h"
#include "model/report/campaign.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/sheet/indicator.h"
#include "web/core/auth.h"
#include "web/core/config.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/core/mailer.h"
#include "web/http/page.h"

static const char CAMPAIGN_COOKIE[] = "bsl_campaign";

/* ---- the mails ----------------------------------------------------------------------------- */

/* Writes the opening mail or a reminder of a link (plain text, strings in the arena ctx: the
 * request's, or the mailer tick's). */
static int campaign_mail(void *ctx, const struct campaign *c, const struct campaign_contact *to,
                         const char *token, const char *kind, struct outbox_mail *out)
{
    struct arena *arena = ctx;
    bool reminder = str_eq(kind, "reminder");
    char year[16], day[16];
    snprintf(year, sizeof year, "%d", c->year);
    /* "AAAA-MM-JJ" shown as "JJ/MM/AAAA" */
    snprintf(day, sizeof day, "%.2s/%.2s/%.4s", c->deadline + 8, c->deadline + 5, c->deadline);
    struct buf subject = {0}, body = {0};
    buf_puts(&subject, reminder ? "Rappel : " : "");
    buf_puts(&subject, "Boussole : mise à jour ");
    buf_puts(&subject, year);
    buf_puts(&subject, " de vos actions");
    buf_puts(&body, "Bonjour ");
    buf_puts(&body, to->name);
    buf_puts(&body, ",\n\n");
    if (reminder)
        buf_puts(&body, "Des actions de votre organisation attendent encore leur état "
                        "d'avancement.\n\n");
    buf_puts(&body, "La coordination du contrat local de santé recueille l'état d'avancement ");
    buf_puts(&body, year);
    buf_puts(&body, " des actions que porte ");
    buf_puts(&body, to->organisation);
    buf_puts(&body, ", avant le ");
    buf_puts(&body, day);
    buf_puts(&body, ".\nCe lien personnel vous y mène sans compte ni mot de passe ; il cesse de "
                    "fonctionner à la clôture de la campagne. Ne le transmettez pas.\n\n");
    buf_puts(&body, web_config.base_url ? web_config.base_url : "");
    buf_puts(&body, "/campaign?token=");
    buf_puts(&body, token);
    buf_puts(&body, "\n\nMerci,\nBoussole\n");
    out->subject = arena_strdup(arena, buf_cstr(&subject));
    out->body = arena_strdup(arena, buf_cstr(&body));
    buf_free(&subject);
    buf_free(&body);
    return 0;
}

int campaign_remind_tick(struct store *db, long long now)
{
    struct arena a = {0};
    int sent = 0;
    int rc = campaign_remind_due(db, now, campaign_mail, &a, &sent);
    arena_free(&a);
    if (rc != ERR_OK)
        log_info("scheduled campaign reminders failed");
    return rc == ERR_OK ? sent : 0;
}

/* Sends the scheduled reminders that are due (7 days and 1 day before each deadline) when a
 * campaign page is shown too, besides the mailer's tick: the page then shows them sent. */
static void remind_due(struct req *req)
{
    int sent = 0;
    if (campaign_remind_due(req->db, req->now, campaign_mail, req->arena, &sent) != ERR_OK)
        log_info("scheduled campaign reminders failed");
    else if (sent)
        mailer_wake();
}

/* ---- the coordinator's pages --------------------------------------------------------------- */

/* The contract and the campaign of the URL; 404 when the campaign is another contract's. */
static int load_campaign(struct req *req, struct res *res, struct contract *c, struct campaign *k)
{
    int rc = load_contract(req, res, req->ids[0], c);
    if (rc)
        return rc;
    rc = campaign_get(req->db, req->arena, req->ids[1], k);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && k->contract_id != c->id))
        return page_error(req, res, 404, "Campagne introuvable",
                          "Ce contrat n'a pas de campagne de mise à jour sous ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

static void open_form(struct req *req, struct res *res, const struct contract *c,
                      const struct form_errors *errs)
{
    struct buf *b = &res->body;
    char action[64], year[16];
    snprintf(action, sizeof action, "/contracts/%lld/campaigns", c->id);
    const char *y = form_value(req, "year");
    if (!*y) {
        snprintf(year, sizeof year, "%d", action_current_year(req));
        y = year;
    }
    buf_puts(b, "<section aria-labelledby=\"ouvrir\"><h2 id=\"ouvrir\">Ouvrir une campagne</h2>"
                "<p>Chaque contact d'une organisation porteuse (une personne de l'annuaire du "
                "contrat, avec une adresse électronique) reçoit un lien personnel pour mettre à "
                "jour l'état d'avancement de ses actions, sans compte. Le lien cesse de "
                "fonctionner à la clôture.</p>");
    form_error_summary(b, errs);
    form_begin(b, action, auth_form_token(req, res));
    form_input(b, "number", "year", "Année à mettre à jour", y, NULL, form_error_of(errs, "year"),
               true);
    form_input(b, "date", "deadline", "Date limite des réponses", form_value(req, "deadline"),
               "Les réponses reçues après ce jour comptent comme en retard.",
               form_error_of(errs, "deadline"), true);
    form_end(b, "Ouvrir la campagne et envoyer les liens");
    buf_puts(b, "</section>");
}

static int campaigns_list(struct req *req, struct res *res, const struct contract *c,
                          const struct form_errors *errs, int status)
{
    struct campaign *ks = NULL;
    int n = 0;
    struct campaign_contact *cs = NULL;
    int n_contacts = 0;
    if (campaign_list(req->db, req->arena, c->id, &ks, &n) != ERR_OK ||
        campaign_contacts(req->db, req->arena, c->id, &cs, &n_contacts) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, c, "Campagnes de mise à jour", NULL, NULL, "Campagnes de mise à jour");
    struct buf *b = &res->body;
    if (n == 0) {
        buf_puts(b, "<p>Aucune campagne pour l'instant.</p>");
    } else {
        buf_puts(b, "<div class=\"table-wrap\"><table><caption>Les campagnes du contrat</caption>"
                    "<thead><tr><th scope=\"col\">Année</th><th scope=\"col\">Date limite</th>"
                    "<th scope=\"col\">État</th><th scope=\"col\">Liens envoyés</th></tr>"
                    "</thead><tbody>");
        for (int i = 0; i < n; i++)
            buf_printf(b,
                       "<tr><td><a href=\"/contracts/%lld/campaigns/%lld\">Campagne %d</a>"
                       "</td><td>%h</td><td>%s</td><td>%d</td></tr>",
                       c->id, ks[i].id, ks[i].year, ks[i].deadline,
                       str_eq(ks[i].state, "open") ? "Ouverte" : "Close", ks[i].links);
        buf_puts(b, "</tbody></table></div>");
    }
    buf_printf(b, "<p>%d contact%s d'organisations porteuses %s une adresse électronique.</p>",
               n_contacts, n_contacts > 1 ? "s" : "", n_contacts > 1 ? "ont" : "a");
    if (!mailer_configured())
        buf_puts(b, "<p class=\"notice\">Aucun serveur de courrier n'est configuré : les liens "
                    "attendent dans la file d'envoi jusqu'à ce qu'il le soit.</p>");
    open_form(req, res, c, errs);
    page_end(res);
    res->status = status;
    return status;
}

int campaigns_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    remind_due(req);
    return campaigns_list(req, res, &c, NULL, 200);
}

int campaign_open_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    bool ok = true;
    int year = edit_form_year(req, "year", &ok);
    if (!ok || !year)
        form_error(&errs, "year", "Indiquez l'année en chiffres, entre 1990 et 2100.");
    if (!*form_value(req, "deadline"))
        form_error(&errs, "deadline", "Indiquez la date limite des réponses (JJ/MM/AAAA).");
    long long id = 0;
    if (!errs.n) {
        struct actor who = edit_actor(req);
        const char *why = NULL;
        rc = campaign_open(req->db, &who, c.id, year, form_value(req, "deadline"), req->now,
                           campaign_mail, req->arena, &id, &why);
        if (rc == ERR_INVALID || rc == ERR_CONFLICT)
            form_error(&errs,
                       rc == ERR_CONFLICT || !why || !strstr(why, "date") ? "year" : "deadline",
                       why ? why : "Campagne refusée.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return campaigns_list(req, res, &c, &errs, 422);
    mailer_wake();
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/campaigns/%lld?saved=opened", c.id, id));
}

/* One row of a rate table. */
static void rate_row(struct buf *b, const char *scope, const struct campaign_tally *t)
{
    buf_printf(b,
               "<tr><th scope=\"row\">%h</th><td>%d</td><td>%d</td><td>%d %%</td><td>%d</td>"
               "<td>%d</td><td>%d</td></tr>",
               *t->label ? t->label : scope, t->total, t->answered,
               figures_percent(t->answered, t->total), t->on_time, t->late,
               t->total - t->answered);
}

static void rate_table(struct buf *b, const char *id, const char *caption, const char *first,
                       const struct campaign_tally *ts, int n)
{
    buf_printf(b,
               "<div class=\"table-wrap\"><table id=\"%h\" class=\"rate\"><caption>%h</caption>"
               "<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">Actions de l'année</th>"
               "<th scope=\"col\">Renseignées</th><th scope=\"col\">Taux</th>"
               "<th scope=\"col\">Dans les temps</th><th scope=\"col\">En retard</th>"
               "<th scope=\"col\">Sans réponse</th></tr></thead><tbody>",
               id, caption, first);
    for (int i = 0; i < n; i++)
        rate_row(b, "", &ts[i]);
    buf_puts(b, "</tbody></table></div>");
}

int campaign_page(struct req *req, struct res *res)
{
    struct contract c;
    struct campaign k;
    int rc = load_campaign(req, res, &c, &k);
    if (rc)
        return rc;
    remind_due(req);
    struct campaign_rate r;
    struct campaign_contact *ls = NULL;
    int n = 0;
    if (campaign_get(req->db, req->arena, k.id, &k) != ERR_OK ||
        campaign_rate(req->db, req->arena, k.id, &r) != ERR_OK ||
        campaign_links(req->db, req->arena, k.id, &ls, &n) != ERR_OK)
        return page_db_error(req, res);
    char title[64];
    snprintf(title, sizeof title, "Campagne de mise à jour %d", k.year);
    edit_begin(req, res, &c, title, "Campagnes",
               edit_fmt(req->arena, "/contracts/%lld/campaigns", c.id), title);
    struct buf *b = &res->body;
    const char *saved = req_query(req, "saved");
    if (saved && str_eq(saved, "opened"))
        buf_printf(b,
                   "<p class=\"notice\" role=\"status\">Campagne ouverte : %d lien%s "
                   "personnel%s dans la file d'envoi.</p>",
                   k.links, k.links > 1 ? "s" : "", k.links > 1 ? "s" : "");
    else if (saved && str_eq(saved, "reminded"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Rappels envoyés aux contacts dont "
                    "l'organisation a encore des actions sans réponse.</p>");
    else if (saved && str_eq(saved, "closed"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Campagne close : les liens ne "
                    "fonctionnent plus.</p>");
    bool open = str_eq(k.state, "open");
    buf_printf(b, "<p>Date limite : <strong>%h</strong>. État : <strong>%s</strong>.", k.deadline,
               open ? "ouverte" : "close");
    if (!open)
        buf_printf(b,
                   " L'année %d est figée : un état d'avancement %d enregistré désormais est "
                   "une correction, signalée dans le journal.",
                   k.year, k.year);
    buf_puts(b, "</p>");
    buf_printf(b,
               "<section aria-labelledby=\"taux\"><h2 id=\"taux\">Taux de réponse</h2>"
               "<p id=\"taux-global\" class=\"lede\"><strong>%d %%</strong> des actions de %d "
               "renseignées pendant la campagne : %d sur %d (%d dans les temps, %d en "
               "retard).</p>"
               "<p>Une action compte si elle existe en %d, selon la même règle que le tableau "
               "de bord ; elle est renseignée quand un état %d a été enregistré depuis "
               "l'ouverture.</p>",
               figures_percent(r.overall.answered, r.overall.total), k.year, r.overall.answered,
               r.overall.total, r.overall.on_time, r.overall.late, k.year, k.year);
    rate_table(b, "par-axe", "Taux de réponse par axe", "Axe", r.axes, r.n_axes);
    rate_table(b, "par-porteur", "Taux de réponse par porteur", "Porteur", r.carriers,
               r.n_carriers);
    buf_puts(b, "</section>");
    buf_puts(b, "<section aria-labelledby=\"liens\"><h2 id=\"liens\">Liens personnels</h2>");
    if (n == 0)
        buf_puts(b, "<p>Aucun contact d'organisation porteuse n'avait d'adresse "
                    "électronique.</p>");
    else {
        buf_puts(b, "<div class=\"table-wrap\"><table><caption>Contacts et actions sans réponse"
                    "</caption><thead><tr><th scope=\"col\">Organisation</th>"
                    "<th scope=\"col\">Contact</th><th scope=\"col\">Actions sans réponse</th>"
                    "<th scope=\"col\">Rappels</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++)
            buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%d</td><td>%d</td></tr>",
                       ls[i].organisation, ls[i].name, ls[i].unanswered, ls[i].reminders);
        buf_puts(b, "</tbody></table></div>");
    }
    buf_puts(b, "</section>");
    if (open) {
        const char *csrf = auth_form_token(req, res);
        buf_printf(b, "<section aria-labelledby=\"actions-campagne\"><h2 id=\"actions-campagne\">"
                      "Relancer ou clore</h2><p>Des rappels partent aussi d'eux-mêmes 7 jours "
                      "puis 1 jour avant la date limite, seulement aux contacts dont "
                      "l'organisation a encore des actions sans réponse.</p>");
        form_begin(b, edit_fmt(req->arena, "/contracts/%lld/campaigns/%lld/remind", c.id, k.id),
                   csrf);
        form_end(b, "Envoyer un rappel maintenant");
        form_begin(b, edit_fmt(req->arena, "/contracts/%lld/campaigns/%lld/close", c.id, k.id),
                   csrf);
        form_end(b, "Clore la campagne");
        buf_puts(b, "</section>");
    }
    page_end(res);
    return 200;
}

int campaign_remind_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct campaign k;
    int rc = load_campaign(req, res, &c, &k);
    if (rc)
        return rc;
    int sent = 0;
    rc = campaign_remind(req->db, k.id, req->now, campaign_mail, req->arena, &sent);
    if (rc == ERR_INVALID)
        return page_error(req, res, 409, "Campagne close",
                          "Cette campagne est close : aucun rappel ne peut plus partir.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    mailer_wake();
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/campaigns/%lld?saved=reminded", c.id, k.id));
}

int campaign_close_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct campaign k;
    int rc = load_campaign(req, res, &c, &k);
    if (rc)
        return rc;
    struct actor who = edit_actor(req);
    rc = campaign_close(req->db, &who, k.id, req->now);
    if (rc == ERR_INVALID)
        return page_error(req, res, 409, "Campagne déjà close",
                          "Cette campagne était déjà close.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/campaigns/%lld?saved=closed", c.id, k.id));
}

/* ---- the carrier's personal link ------------------------------------------------------------ */

static int link_refused(struct req *req, struct res *res, bool closed)
{
    if (closed)
        return page_error(req, res, 410, "Campagne close",
                          "Cette campagne de mise à jour est close : ce lien ne fonctionne plus. "
                          "Pour corriger un état d'avancement, écrivez à la coordination du "
                          "contrat.");
    return page_error(req, res, 404, "Lien inconnu ou expiré",
                      "Ce lien de mise à jour n'est pas (ou plus) valable. Rouvrez le dernier "
                      "lien reçu par courriel, ou écrivez à la coordination du contrat.");
}

static void campaign_cookie(struct req *req, struct res *res, const char *value, int max_age)
{
    struct buf b = {0};
    buf_puts(&b, CAMPAIGN_COOKIE);
    buf_putc(&b, '=');
    buf_puts(&b, value);
    buf_printf(&b, "; Path=/campaign; HttpOnly; SameSite=Lax; Max-Age=%d", max_age);
    if (web_config.secure_cookies)
        buf_puts(&b, "; Secure");
    res_header(res, "Set-Cookie", arena_strdup(req->arena, buf_cstr(&b)));
    buf_free(&b);
}

int campaign_link_page(struct req *req, struct res *res)
{
    char session[SECRET_TOKEN_LEN + 1];
    bool closed = false;
    int rc = campaign_link_use(req->db, req_query(req, "token"), req->now, session, &closed);
    if (rc == ERR_NOTFOUND)
        return link_refused(req, res, closed);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    campaign_cookie(req, res, session, CAMPAIGN_SESSION_S);
    /* The token leaves the address bar and the history at once. */
    return edit_redirect(req, res, "/campaign/actions");
}

/* The visit of the request's campaign cookie, or the refusal page (404 or 410). */
static int load_visit(struct req *req, struct res *res, struct campaign_visit *v)
{
    bool closed = false;
    int rc = campaign_session_find(req->db, req->arena, req->cookie_campaign, req->now, v,
                                   &closed);
    if (rc == ERR_NOTFOUND)
        return link_refused(req, res, closed);
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

/* The value fields of an action's active indicators for year, prefilled with that year's. */
static void indicator_fields(struct req *req, struct buf *b, long long action_id, int year)
{
    struct indicator *inds = NULL;
    int n = 0;
    if (indicator_list_action(req->db, req->arena, action_id, false, &inds, &n) != ERR_OK || !n)
        return;
    char period[16];
    snprintf(period, sizeof period, "%d", year);
    buf_printf(b, "<fieldset><legend>Indicateurs : valeurs %d</legend>", year);
    for (int i = 0; i < n; i++) {
        const char *now = "";
        for (int k = 0; k < inds[i].n_values; k++)
            if (str_eq(inds[i].values[k].period, period))
                now = indicator_number(req->arena, inds[i].values[k].value);
        buf_printf(b,
                   "<p><label for=\"value-%lld\">%h%s%h%s</label> <input id=\"value-%lld\" "
                   "name=\"value-%lld\" inputmode=\"decimal\" value=\"%h\"></p>",
                   inds[i].id, inds[i].name, *inds[i].unit ? " (" : "", inds[i].unit,
                   *inds[i].unit ? ")" : "", inds[i].id, inds[i].id, now);
    }
    buf_puts(b, "<p class=\"help\">Laissez vide une valeur que vous ne connaissez pas encore."
                "</p></fieldset>");
}

int campaign_actions_page(struct req *req, struct res *res)
{
    struct campaign_visit v;
    int rc = load_visit(req, res, &v);
    if (rc)
        return rc;
    remind_due(req);
    struct carried_action *xs = NULL;
    int n = 0;
    if (campaign_visit_actions(req->db, req->arena, &v, &xs, &n) != ERR_OK)
        return page_db_error(req, res);
    char title[96];
    snprintf(title, sizeof title, "Mise à jour %d de vos actions", v.campaign.year);
    page_begin(res, title, NULL, 0);
    struct buf *b = &res->body;
    if (req_query(req, "saved"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Enregistré, merci. L'historique garde "
                    "chaque état : rien n'est effacé.</p>");
    buf_printf(b,
               "<p class=\"lede\">Bonjour %h. Voici les actions que porte %h ; indiquez pour "
               "chacune son état d'avancement %d et vos remarques, avant le %h.</p>",
               v.name, v.organisation, v.campaign.year, v.campaign.deadline);
    const char *csrf = auth_form_token(req, res);
    const char *values[ST_COUNT + 1], *labels[ST_COUNT + 1];
    for (int s = 0; s < ST_COUNT; s++) {
        values[s] = status_key((enum status)s);
        labels[s] = status_label((enum status)s);
    }
    for (int i = 0; i < n; i++) {
        const struct carried_action *x = &xs[i];
        buf_printf(b,
                   "<section class=\"campaign-action\" aria-labelledby=\"a%lld\"><h2 "
                   "id=\"a%lld\">%h%s%h</h2><p>État %d enregistré : ",
                   x->id, x->id, x->code, *x->code ? " — " : "", x->title, v.campaign.year);
        page_status(b, x->status);
        buf_puts(b, "</p>");
        form_begin(b, edit_fmt(req->arena, "/campaign/actions/%lld", x->id), csrf);
        buf_printf(b,
                   "<p><label for=\"status-%lld\">État d'avancement %d</label> <select "
                   "id=\"status-%lld\" name=\"status\" required><option value=\"\">— choisir "
                   "—</option>",
                   x->id, v.campaign.year, x->id);
        for (int s = 0; s < ST_COUNT; s++)
            buf_printf(b, "<option value=\"%h\"%s>%h</option>", values[s],
                       (int)x->status == s ? " selected" : "", labels[s]);
        buf_printf(b,
                   "</select></p><p><label for=\"remarks-%lld\">Remarques</label><br>"
                   "<textarea id=\"remarks-%lld\" name=\"remarks\" rows=\"3\"></textarea>"
                   "</p>",
                   x->id, x->id);
        indicator_fields(req, b, x->id, v.campaign.year);
        form_end(b, "Enregistrer");
        buf_puts(b, "</section>");
    }
    if (n == 0)
        buf_puts(b, "<p>Votre organisation ne porte aucune action de ce contrat.</p>");
    page_end(res);
    return 200;
}

int campaign_answer_submit(struct req *req, struct res *res)
{
    struct campaign_visit v;
    int rc = load_visit(req, res, &v);
    if (rc)
        return rc;
    rc = campaign_may_answer(req->db, &v, req->ids[0]);
    if (rc == ERR_FORBIDDEN)
        return page_error(req, res, 403, "Action d'une autre organisation",
                          "Votre lien permet de mettre à jour les seules actions que porte votre "
                          "organisation.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    enum status st = status_from_key(form_value(req, "status"));
    const char *remarks = form_value(req, "remarks");
    if (st == ST_NONE || strlen(remarks) > EDIT_TEXT_MAX)
        return page_error(req, res, 422, "Réponse incomplète",
                          st == ST_NONE ? "Choisissez l'état d'avancement dans la liste, puis "
                                          "enregistrez de nouveau."
                                        : "Les remarques dépassent 20 000 caractères.");
    /* The values typed for the action's indicators (value-ID fields; blank: not given). */
    struct indicator *inds = NULL;
    int n_inds = 0;
    if (indicator_list_action(req->db, req->arena, req->ids[0], false, &inds, &n_inds) != ERR_OK)
        return page_db_error(req, res);
    struct campaign_value *vals = arena_alloc(req->arena, (size_t)(n_inds + 1) * sizeof *vals);
    int n_vals = 0;
    for (int i = 0; i < n_inds; i++) {
        double value = 0;
        bool has = false;
        const char *typed = form_value(req, edit_fmt(req->arena, "value-%lld", inds[i].id));
        if (indicator_parse_number(typed, &value, &has) != ERR_OK)
            return page_error(req, res, 422, "Valeur illisible",
                              edit_fmt(req->arena,
                                       "Une valeur d'indicateur n'est pas un nombre "
                                       "(indicateur n° %lld) : écrivez par exemple "
                                       "12 ou 14,5.",
                                       inds[i].id));
        if (has)
            vals[n_vals++] = (struct campaign_value){inds[i].id, value};
    }
    rc = campaign_answer(req->db, &v, req->ids[0], st, remarks, vals, n_vals, req->now);
    if (rc == ERR_FORBIDDEN)
        return page_error(req, res, 403, "Action d'une autre organisation",
                          "Votre lien permet de mettre à jour les seules actions que porte votre "
                          "organisation.");
    if (rc == ERR_INVALID)
        return page_error(req, res, 422, "Réponse refusée", "Cette réponse n'est pas valable.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/campaign/actions?saved=1#a%lld", req->ids[0]));
}

/* The journal's words for a campaign's steps on its contract (web/kit/audit_kinds.h's audit_field_labels); NULL for another field. */
const char *campaign_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    const char *colon = strchr(field, ':');
    if (colon && str_eq(entity, "contract") && strncmp(field, "campaign:", 9) == 0) {
        struct buf b = {0};
        buf_puts(&b, "Campagne de mise à jour ");
        buf_puts(&b, colon + 1);
        const char *s = arena_strdup(a, buf_cstr(&b));
        buf_free(&b);
        return s;
    }
    return NULL;
}

/* A state journaled by this feature in words (audit_kinds.h's audit_field_words); NULL for
 * another field. */
const char *campaign_audit_value(struct arena *a, const char *entity, const char *field,
                                 const char *v)
{
    (void)a;
    if (strncmp(field, "campaign:", 9) != 0 || strcmp(entity, "contract") != 0)
        return NULL;
    return strcmp(v, "open") == 0 ? "ouverte" : strcmp(v, "closed") == 0 ? "close" : v;
}
