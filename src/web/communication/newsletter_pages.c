/* newsletter_pages.c — the newsletter on screen: the coordination's composer (numbered issues,
 * a first draft built from the actions that moved, the next meetings and the key figures, a
 * preview, sending through the outbox), the subscribers, the public archive and the personal
 * one-click unsubscribe (RFC 8058). Must not contain SQL (model/newsletter.c). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "format/doc/markdown.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/governance/meeting.h"
#include "model/communication/newsletter.h"
#include "web/core/auth.h"
#include "web/core/config.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/mailer.h"
#include "web/http/page.h"
#include "web/communication/communication.h"

enum { TITLE_MAX = 200, BODY_MAX = 60000, EMAIL_MAX = 254 };

static const char CONSENT_TEXT[] =
    "J'accepte de recevoir la lettre d'information du contrat local de santé à cette adresse ; "
    "je peux me désinscrire à tout moment par le lien de chaque lettre.";

static const char *contract_label(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

/* ---- the coordination's pages ------------------------------------------------------------- */

static void issues_table(struct buf *b, long long cid, const struct newsletter *xs, int n)
{
    if (!n) {
        buf_puts(b, "<p>Aucun numéro pour l'instant : préparez le premier ci-dessous.</p>");
        return;
    }
    buf_puts(b, "<div class=\"table-wrap\"><table><caption>Les numéros</caption><thead><tr>"
                "<th scope=\"col\" class=\"num\">N°</th><th scope=\"col\">Titre</th>"
                "<th scope=\"col\">État</th><th scope=\"col\" class=\"num\">Destinataires</th>"
                "</tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        buf_printf(b,
                   "<tr><td class=\"num\">%d</td><td><a href=\"/contracts/%lld/newsletters/%lld"
                   "\">%h</a></td><td>",
                   xs[i].number, cid, xs[i].id, xs[i].title);
        if (str_eq(xs[i].state, "sent"))
            buf_printf(b, "Envoyé (%d)", xs[i].sent_year);
        else
            buf_puts(b, "Brouillon");
        buf_printf(b, "</td><td class=\"num\">%d</td></tr>", xs[i].recipients);
    }
    buf_puts(b, "</tbody></table></div>");
}

static void subscribers_section(struct req *req, struct res *res, const struct contract *c,
                                const struct form_errors *errs)
{
    struct buf *b = &res->body;
    struct subscriber *ss = NULL;
    int n = 0, active = 0;
    if (subscriber_list(req->db, req->arena, c->id, &ss, &n) != ERR_OK)
        n = 0;
    for (int i = 0; i < n; i++)
        active += !ss[i].unsubscribed_at;
    buf_printf(b,
               "<section aria-labelledby=\"abonnes\"><h2 id=\"abonnes\">Abonnés</h2>"
               "<p id=\"abonnes-compte\">%d abonné%s recevr%s le prochain numéro.</p>",
               active, active > 1 ? "s" : "", active > 1 ? "ont" : "a");
    if (n) {
        buf_puts(b, "<div class=\"table-wrap\"><table><caption>Les adresses et leur "
                    "consentement</caption><thead><tr><th scope=\"col\">Adresse</th>"
                    "<th scope=\"col\">Consentement</th><th scope=\"col\">État</th>"
                    "<th scope=\"col\">Effacer</th></tr></thead><tbody>");
        const char *csrf = auth_form_token(req, res);
        for (int i = 0; i < n; i++) {
            char day[11];
            struct date d = date_of_time(ss[i].consent_at);
            date_iso(&d, day);
            buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%s</td><td>", ss[i].email, day,
                       ss[i].unsubscribed_at ? "Désinscrit" : "Abonné");
            buf_printf(b,
                       "<form method=\"post\" action=\"/contracts/%lld/subscribers/%lld/"
                       "erase\"><input type=\"hidden\" name=\"csrf\" value=\"%h\">"
                       "<button type=\"submit\" class=\"link\">Effacer<span "
                       "class=\"visually-hidden\"> %h</span></button></form></td></tr>",
                       c->id, ss[i].id, csrf, ss[i].email);
        }
        buf_puts(b, "</tbody></table></div>");
    }
    buf_puts(b, "<h3>Ajouter un abonné</h3>");
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/subscribers", c->id),
               auth_form_token(req, res));
    form_input(b, "email", "email", "Adresse électronique", form_value(req, "email"), NULL,
               form_error_of(errs, "email"), true);
    const char *consent_error = form_error_of(errs, "consent");
    if (consent_error)
        buf_printf(b, "<p class=\"field-error\" id=\"f-consent-error\">%h</p>", consent_error);
    buf_printf(b,
               "<p><label class=\"check\"><input type=\"checkbox\" id=\"f-consent\" "
               "name=\"consent\" value=\"1\"%s> La personne a donné son accord : « %h »"
               "</label></p>",
               consent_error ? " aria-invalid=\"true\" aria-describedby=\"f-consent-error\"" : "",
               CONSENT_TEXT);
    form_end(b, "Abonner cette adresse");
    buf_puts(b, "</section>");
}

static int newsletters_list(struct req *req, struct res *res, const struct contract *c,
                            const struct form_errors *issue_errs,
                            const struct form_errors *sub_errs, int status)
{
    struct newsletter *xs = NULL;
    int n = 0;
    if (newsletter_list(req->db, req->arena, c->id, false, &xs, &n) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, c, "Lettres d'information", NULL, NULL, "Lettres d'information");
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    buf_printf(b,
               "<p><a href=\"/contracts/%lld/newsletters/archive\">Archive publique</a> · "
               "<a href=\"/contracts/%lld/communication\">Plan de communication</a></p>",
               c->id, c->id);
    issues_table(b, c->id, xs, n);
    int next = n ? xs[0].number + 1 : 1;
    buf_printf(b,
               "<section aria-labelledby=\"nouveau\"><h2 id=\"nouveau\">Préparer le numéro "
               "%d</h2><p>Le brouillon propose les actions qui ont avancé, les prochaines "
               "réunions et les chiffres clés de l'année de bilan ; vous le modifiez et le "
               "prévisualisez avant l'envoi.</p>",
               next);
    form_error_summary(b, issue_errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/newsletters", c->id),
               auth_form_token(req, res));
    form_input(b, "text", "title", "Titre du numéro", form_value(req, "title"), NULL,
               form_error_of(issue_errs, "title"), true);
    form_end(b, "Préparer le brouillon");
    buf_puts(b, "</section>");
    subscribers_section(req, res, c, sub_errs);
    if (!mailer_configured())
        buf_puts(b, "<p class=\"notice\">Aucun serveur de courrier n'est configuré : les lettres "
                    "attendent dans la file d'envoi jusqu'à ce qu'il le soit.</p>");
    page_end(res);
    res->status = status;
    return status;
}

int newsletters_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    return rc ? rc : newsletters_list(req, res, &c, NULL, NULL, 200);
}

/* Checks a title: "" when fine, else the French reason. */
static const char *title_problem(const char *t)
{
    if (!*t)
        return "Donnez un titre au numéro.";
    if (strlen(t) > TITLE_MAX)
        return "Le titre dépasse 200 caractères : raccourcissez-le.";
    if (!utf8_valid(t, strlen(t)))
        return "Le titre n'est pas un texte lisible (UTF-8).";
    return "";
}

int newsletter_create_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    const char *title = form_value(req, "title");
    if (*title_problem(title))
        form_error(&errs, "title", title_problem(title));
    if (errs.n)
        return newsletters_list(req, res, &c, &errs, NULL, 422);
    struct actor who = edit_actor(req);
    long long id = 0;
    if (newsletter_create(req->db, &who, c.id, title, newsletter_first_draft(req, &c), req->now,
                          &id) != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/newsletters/%lld?saved=created", c.id, id));
}

/* The first address of s without spaces around, lower-cased into out; false when it does not
 * look like one address (one @, a dot in the domain, no space nor control character). */
static bool email_clean(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n < 3 || n > EMAIL_MAX || n >= cap)
        return false;
    int ats = 0;
    const char *at = NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= ' ' || ch == 0x7f || ch == '<' || ch == '>' || ch == ',' || ch == ';')
            return false;
        if (ch == '@') {
            ats++;
            at = s + i;
        }
        out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    out[n] = 0;
    return ats == 1 && at > s && strchr(at, '.') && at[1] != '.' && s[n - 1] != '.';
}

int subscriber_add_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    char email[EMAIL_MAX + 1];
    if (!email_clean(form_value(req, "email"), email, sizeof email))
        form_error(&errs, "email",
                   "Adresse électronique invalide : attendu une adresse comme "
                   "prenom.nom@exemple.fr.");
    if (!str_eq(form_value(req, "consent"), "1"))
        form_error(&errs, "consent",
                   "Cochez l'accord de la personne : sans consentement, pas d'abonnement.");
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = subscriber_add(req->db, &who, c.id, email, CONSENT_TEXT, req->now);
        if (rc == ERR_CONFLICT)
            form_error(&errs, "email", "Cette adresse est déjà abonnée.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return newsletters_list(req, res, &c, NULL, &errs, 422);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/newsletters?saved=created#abonnes", c.id));
}

int subscriber_erase_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct actor who = edit_actor(req);
    rc = subscriber_erase(req->db, &who, c.id, req->ids[1]);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Abonné introuvable",
                          "Ce contrat n'a pas d'abonné sous ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/newsletters?saved=1#abonnes", c.id));
}

/* The contract and the issue of the URL; 404 when the issue is another contract's. */
static int load_issue(struct req *req, struct res *res, struct contract *c, struct newsletter *x)
{
    int rc = load_contract(req, res, req->ids[0], c);
    if (rc)
        return rc;
    rc = newsletter_get(req->db, req->arena, req->ids[1], x);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && x->contract_id != c->id))
        return page_error(req, res, 404, "Numéro introuvable",
                          "Ce contrat n'a pas de lettre d'information sous ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

static void preview(struct buf *b, const struct newsletter *x, const char *title, const char *body)
{
    buf_printf(b,
               "<section aria-labelledby=\"apercu\" class=\"newsletter-preview\">"
               "<h2 id=\"apercu\">Aperçu</h2><article class=\"newsletter\">"
               "<h3>Lettre d'information n° %d : %h</h3>",
               x->number, title);
    markdown_html(b, body);
    buf_puts(b, "</article></section>");
}

static int issue_page(struct req *req, struct res *res, const struct contract *c,
                      const struct newsletter *x, const struct form_errors *errs, int status)
{
    char title[64];
    snprintf(title, sizeof title, "Lettre d'information n° %d", x->number);
    edit_begin(req, res, c, title, "Lettres d'information",
               edit_fmt(req->arena, "/contracts/%lld/newsletters", c->id), title);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    bool draft = str_eq(x->state, "draft");
    const char *t = errs ? form_value(req, "title") : x->title;
    const char *body = errs ? form_value(req, "body") : x->body;
    if (!draft) {
        char day[11];
        struct date d = date_of_time(x->sent_at);
        date_iso(&d, day);
        buf_printf(b,
                   "<p class=\"notice\" role=\"status\">Envoyé le %h à %d abonné%s ; il "
                   "compte pour l'objectif %d du plan de communication. <a href=\""
                   "/contracts/%lld/newsletters/archive/%d\">Page publique</a></p>",
                   day, x->recipients, x->recipients > 1 ? "s" : "", x->sent_year, c->id,
                   x->number);
        preview(b, x, x->title, x->body);
        page_end(res);
        return 200;
    }
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/newsletters/%lld", c->id, x->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, x->version);
    form_input(b, "text", "title", "Titre du numéro", t, NULL, form_error_of(errs, "title"), true);
    form_textarea(b, "body", "Texte", body,
                  "En Markdown : ## pour un intertitre, - pour une liste, **gras**. "
                  "Pas de données sur des personnes accompagnées.",
                  form_error_of(errs, "body"), true);
    form_end(b, "Enregistrer et prévisualiser");
    preview(b, x, t, body);
    int subs = 0;
    if (subscriber_active_count(req->db, c->id, &subs) != ERR_OK)
        return page_db_error(req, res);
    buf_printf(b,
               "<section aria-labelledby=\"envoi\"><h2 id=\"envoi\">Envoyer</h2>"
               "<p>%d abonné%s recevr%s ce numéro, chacun avec son lien de désinscription "
               "personnel. Un numéro envoyé ne se modifie plus.</p>",
               subs, subs > 1 ? "s" : "", subs > 1 ? "ont" : "a");
    if (subs) {
        buf_printf(b,
                   "<form method=\"post\" action=\"/contracts/%lld/newsletters/%lld/send\">"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%h\"><input type=\"hidden\" "
                   "name=\"version\" value=\"%d\"><button type=\"submit\">Envoyer le numéro "
                   "%d</button></form>",
                   c->id, x->id, auth_form_token(req, res), x->version, x->number);
    }
    buf_puts(b, "</section>");
    page_end(res);
    res->status = status;
    return status;
}

int newsletter_page(struct req *req, struct res *res)
{
    struct contract c;
    struct newsletter x;
    int rc = load_issue(req, res, &c, &x);
    return rc ? rc : issue_page(req, res, &c, &x, NULL, 200);
}

int newsletter_save_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct newsletter x;
    int rc = load_issue(req, res, &c, &x);
    if (rc)
        return rc;
    if (!str_eq(x.state, "draft"))
        return page_error(req, res, 409, "Numéro déjà envoyé",
                          "Ce numéro a été envoyé : il ne se modifie plus.");
    struct form_errors errs = {0};
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version du brouillon manque : rechargez la page.");
    const char *title = form_value(req, "title"), *body = form_value(req, "body");
    if (*title_problem(title))
        form_error(&errs, "title", title_problem(title));
    if (!*body)
        form_error(&errs, "body", "Le texte est vide : écrivez le contenu du numéro.");
    else if (strlen(body) > BODY_MAX)
        form_error(&errs, "body", "Le texte dépasse 60 000 caractères : raccourcissez-le.");
    else if (!utf8_valid(body, strlen(body)))
        form_error(&errs, "body", "Le texte n'est pas lisible (UTF-8 attendu).");
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = newsletter_update(req->db, &who, x.id, version, title, body);
        if (rc == ERR_CONFLICT)
            form_error(&errs, "title",
                       "Ce brouillon a été modifié entre-temps : vos textes sont "
                       "gardés ci-dessous, rechargez la page pour voir l'autre "
                       "version.");
        else if (rc == ERR_INVALID)
            form_error(&errs, "title", "Ce numéro a déjà été envoyé : il ne se modifie plus.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return issue_page(req, res, &c, &x, &errs, rc == ERR_CONFLICT ? 409 : 422);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/newsletters/%lld?saved=1#apercu", c.id, x.id));
}

int newsletter_send_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct newsletter x;
    int rc = load_issue(req, res, &c, &x);
    if (rc)
        return rc;
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version du brouillon manque : rechargez la page.");
    struct actor who = edit_actor(req);
    int recipients = 0;
    rc = newsletter_send(req->db, &who, x.id, version, web_config.base_url, req->now,
                         action_current_year(req), newsletter_issue_mail, req, &recipients);
    if (rc == ERR_CONFLICT)
        return page_error(req, res, 409, "Brouillon modifié entre-temps",
                          "Ce numéro a changé depuis que vous l'avez ouvert : relisez-le avant "
                          "de l'envoyer.");
    if (rc == ERR_INVALID)
        return page_error(req, res, 409, "Envoi impossible",
                          str_eq(x.state, "sent") ? "Ce numéro a déjà été envoyé."
                                                  : "Aucun abonné : ajoutez des adresses avant "
                                                    "d'envoyer.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    mailer_wake();
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/newsletters/%lld?saved=1", c.id, x.id));
}

/* ---- the public archive ---------------------------------------------------------------------- */

int newsletter_archive_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct newsletter *xs = NULL;
    int n = 0;
    if (newsletter_list(req->db, req->arena, c.id, true, &xs, &n) != ERR_OK)
        return page_db_error(req, res);
    const char *home = edit_fmt(req->arena, "/contracts/%lld", c.id);
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {contract_label(&c), home},
                             {"Lettres d'information", NULL}};
    page_begin(res, "Lettres d'information", crumbs, 3);
    struct buf *b = &res->body;
    buf_printf(b,
               "<p class=\"lede\">Les lettres d'information du %h, de la plus récente à la "
               "plus ancienne.</p>",
               contract_label(&c));
    if (!n)
        buf_puts(b, "<p>Aucune lettre n'a encore été envoyée.</p>");
    else
        buf_puts(b, "<ul class=\"newsletter-archive\">");
    for (int i = 0; i < n; i++) {
        char day[32], iso[11];
        struct date d = date_of_time(xs[i].sent_at);
        date_iso(&d, iso);
        if (!date_fr_long(iso, day))
            snprintf(day, sizeof day, "%s", iso);
        buf_printf(b,
                   "<li><a href=\"/contracts/%lld/newsletters/archive/%d\">N° %d : %h</a> — "
                   "%h</li>",
                   c.id, xs[i].number, xs[i].number, xs[i].title, day);
    }
    if (n)
        buf_puts(b, "</ul>");
    page_end(res);
    return 200;
}

int newsletter_issue_public_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct newsletter x;
    rc = req->ids[1] > 100000
             ? ERR_NOTFOUND
             : newsletter_by_number(req->db, req->arena, c.id, (int)req->ids[1], &x);
    if (rc == ERR_OK && !str_eq(x.state, "sent"))
        rc = ERR_NOTFOUND; /* a draft is not public */
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Lettre introuvable",
                          "Aucune lettre envoyée ne porte ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    const char *home = edit_fmt(req->arena, "/contracts/%lld", c.id);
    const char *archive = edit_fmt(req->arena, "/contracts/%lld/newsletters/archive", c.id);
    char title[TITLE_MAX + 64];
    snprintf(title, sizeof title, "Lettre d'information n° %d : %s", x.number, x.title);
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {contract_label(&c), home},
                             {"Lettres d'information", archive},
                             {edit_fmt(req->arena, "N° %d", x.number), NULL}};
    page_begin(res, title, crumbs, 4);
    struct buf *b = &res->body;
    char day[32], iso[11];
    struct date d = date_of_time(x.sent_at);
    date_iso(&d, iso);
    if (!date_fr_long(iso, day))
        snprintf(day, sizeof day, "%s", iso);
    buf_printf(b, "<p class=\"muted\">Envoyée le %h.</p><article class=\"newsletter\">", day);
    markdown_html(b, x.body);
    buf_puts(b, "</article>");
    page_end(res);
    return 200;
}

/* ---- the personal unsubscribe link ------------------------------------------------------------ */

int newsletter_unsubscribe_page(struct req *req, struct res *res)
{
    const char *token = req_query(req, "token");
    char *email = NULL;
    long long cid = 0;
    bool already = false;
    int rc = newsletter_token(req->db, req->arena, token, &email, &cid, &already);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Lien inconnu",
                          "Ce lien de désinscription n'existe pas : vérifiez qu'il est complet.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    page_begin(res, "Se désinscrire de la lettre d'information", NULL, 0);
    struct buf *b = &res->body;
    res_header(res, "Cache-Control", "private, no-store");
    if (already) {
        buf_printf(b,
                   "<p role=\"status\">L'adresse %h est déjà désinscrite : elle ne reçoit "
                   "plus la lettre d'information.</p>",
                   email);
    } else {
        /* The form posts back to the same token-bearing address: the token is the proof, as
         * for a mail client's one-click POST (RFC 8058), so no session nor CSRF token. */
        buf_printf(b,
                   "<p>Ne plus envoyer la lettre d'information à <strong>%h</strong> ?</p>"
                   "<form method=\"post\" action=\"/newsletter/unsubscribe?token=%u\">"
                   "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                   "<button type=\"submit\">Me désinscrire</button></form>",
                   email, token);
    }
    page_end(res);
    return 200;
}

int newsletter_unsubscribe_submit(struct req *req, struct res *res)
{
    bool already = false;
    int rc = newsletter_unsubscribe(req->db, req_query(req, "token"), req->now, &already);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Lien inconnu",
                          "Ce lien de désinscription n'existe pas : vérifiez qu'il est complet.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    page_begin(res, already ? "Déjà désinscrit" : "Désinscription faite", NULL, 0);
    res_header(res, "Cache-Control", "private, no-store");
    buf_puts(&res->body,
             already ? "<p role=\"status\">Cette adresse était déjà désinscrite : rien n'a "
                       "changé.</p>"
                     : "<p role=\"status\">C'est fait : vous ne recevrez plus la lettre "
                       "d'information. Votre adresse reste connue seulement pour ne plus vous "
                       "écrire ; la coordination peut l'effacer sur demande.</p>");
    page_end(res);
    return 200;
}
