/* meeting_pages.c — a meeting's page (agenda, invitees, attendance, minutes, decisions), its
 * printable attendance sheet (feuille d'émargement) and the iCalendar answers: one meeting, a
 * contract's feed and a body's feed. Must not contain SQL; untrusted text goes out through %h
 * and %u; Markdown only through src/format/doc/markdown.c (cmark, safe mode). */
#include <stdio.h>
#include <string.h>

#include "model/governance/decision.h"
#include "model/plan/editing.h"
#include "model/governance/invitee.h"
#include "format/doc/markdown.h"
#include "web/core/auth.h"
#include "web/kit/filters.h"
#include "web/governance/governance.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/core/mailer.h"
#include "web/http/page.h"
#include "web/core/router.h"

/* Loads the route's meeting and its contract; on failure writes the error page and returns its
 * status (0 on success). */
int gov_load_meeting(struct req *req, struct res *res, struct meeting *m, struct contract *c)
{
    int rc = gov_loaded(req, res, meeting_get(req->db, req->arena, req->ids[0], m),
                        "Réunion introuvable",
                        "Aucune réunion ne porte ce numéro. Retrouvez-la sur la page de "
                        "gouvernance de son contrat.",
                        "La réunion n'a pas pu être lue.");
    return rc ? rc : load_contract(req, res, m->contract_id, c);
}

int gov_load_invitees(struct req *req, struct res *res, struct meeting *m, struct contract *c,
                      struct invitee **vs, int *n)
{
    int rc = gov_load_meeting(req, res, m, c);
    if (rc == 0 && invitee_list(req->db, req->arena, m->id, vs, n) != ERR_OK)
        rc = page_error(req, res, 500, "Erreur", "Les invités de la réunion n'ont pas pu être "
                                                 "lus.");
    return rc;
}

static const char *body_href(struct req *req, const struct meeting *m)
{
    if (!m->body_id)
        return NULL;
    char *s = arena_alloc(req->arena, 48);
    snprintf(s, 48, "/bodies/%lld", m->body_id);
    return s;
}

static void done_notice(const struct req *req, struct buf *b)
{
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"created", "La réunion est enregistrée."},
        {"saved", "Les modifications de la réunion sont enregistrées."},
        {"invitee", "La liste des invités est enregistrée."},
        {"attendance", "Les présences sont enregistrées."},
        {"minutes", "Le compte rendu est enregistré."},
        {"decision", "Les décisions sont enregistrées."},
    };
    const char *v = req_query(req, "done");
    for (size_t i = 0; v && i < sizeof notices / sizeof notices[0]; i++)
        if (str_eq(v, notices[i].key))
            buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notices[i].text);
    /* What the e-mails did: ?sent=N&failed=N&noemail=N (numbers only). */
    long long sent = 0, failed = 0, noemail = 0;
    const char *s = req_query(req, "sent"), *f = req_query(req, "failed"),
               *e = req_query(req, "noemail");
    if (s && str_to_ll(s, 0, 100000, &sent) != ERR_OK)
        sent = 0;
    if (f && str_to_ll(f, 0, 100000, &failed) != ERR_OK)
        failed = 0;
    if (e && str_to_ll(e, 0, 100000, &noemail) != ERR_OK)
        noemail = 0;
    if (s && mailer_configured())
        buf_printf(b, "<p class=\"notice\" role=\"status\">%lld message%s en cours d'envoi.</p>",
                   sent, sent > 1 ? "s" : "");
    else if (s)
        buf_printf(b, "<p class=\"caution\" role=\"status\">%lld message%s en attente : aucun "
                      "serveur de courrier n'est configuré, ils partiront dès qu'il le sera.</p>",
                   sent, sent > 1 ? "s" : "");
    if (failed)
        buf_printf(b, "<p class=\"caution\" role=\"alert\">%lld message%s n'%s pas pu être "
                      "écrit%s : fixez le jour de la réunion puis renvoyez les invitations.</p>",
                   failed, failed > 1 ? "s" : "", failed > 1 ? "ont" : "a", failed > 1 ? "s" : "");
    if (noemail)
        buf_printf(b, "<p class=\"caution\">%lld invité%s sans adresse e-mail : prévenez-l%s "
                      "autrement ou complétez sa fiche.</p>",
                   noemail, noemail > 1 ? "s" : "", noemail > 1 ? "es" : "e");
}

/* "3 présents, 1 excusé…" from the counts. */
static void attendance_words(struct buf *b, const struct meeting *m)
{
    const struct {
        int n;
        const char *one, *many;
    } parts[] = {{m->n_present, "présent", "présents"},
                 {m->n_represented, "représenté", "représentés"},
                 {m->n_excused, "excusé", "excusés"},
                 {m->n_absent, "absent", "absents"}};
    if (m->n_invited == 0) {
        buf_puts(b, "Aucun invité enregistré");
        return;
    }
    int recorded = 0;
    bool first = true;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        recorded += parts[i].n;
        if (!parts[i].n)
            continue;
        buf_printf(b, "%s%d %h", first ? "" : ", ", parts[i].n,
                   parts[i].n > 1 ? parts[i].many : parts[i].one);
        first = false;
    }
    if (first)
        buf_puts(b, "Présences non renseignées");
    buf_printf(b, " — %d invité%s", m->n_invited, m->n_invited > 1 ? "s" : "");
    if (recorded && recorded < m->n_invited)
        buf_printf(b, " (%d sans présence renseignée)", m->n_invited - recorded);
}

static const char *invitation_state(const struct meeting *m, const struct invitee *v)
{
    if (!*v->email)
        return "Pas d'adresse e-mail";
    if (v->invited_sequence < 0)
        return "Non envoyée";
    if (v->invited_sequence < m->sequence)
        return "Mise à jour à envoyer";
    return "Envoyée";
}

/* A Markdown text in a div of class cls, or the muted words empty when there is none. cmark's
 * output in safe mode: raw HTML dropped, unsafe links emptied. */
static void markdown_or(struct buf *b, const char *text, const char *cls, const char *empty)
{
    if (*text) {
        buf_printf(b, "<div class=\"%h\">", cls);
        markdown_html(b, text);
        buf_puts(b, "</div>");
    } else {
        buf_printf(b, "<p class=\"muted\">%h</p>", empty);
    }
}

int meeting_page(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    struct invitee *vs;
    struct decision *ds;
    int n_vs, n_ds;
    struct contract_meta meta = {0};
    if (invitee_list(req->db, req->arena, m.id, &vs, &n_vs) != ERR_OK ||
        decision_list(req->db, req->arena, m.id, &ds, &n_ds) != ERR_OK ||
        contract_meta_get(req->db, c.id, &meta) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "La réunion n'a pas pu être lue.");
    bool coordinator = auth_may(req, ROLE_COORDINATOR, c.id, false);
    bool signed_in = auth_may(req, ROLE_SIGNED_IN, c.id, false);
    bool people = auth_sees_private(req, c.id) || meta.public_people;
    bool minutes = auth_sees_private(req, c.id) || meta.public_remarks;

    gov_begin(req, res, &c, m.title, *m.body_name ? m.body_name : NULL, body_href(req, &m));
    struct buf *b = &res->body;
    done_notice(req, b);
    if (coordinator)
        buf_printf(b, "<ul class=\"links noprint\"><li><a class=\"button\" href=\"/meetings/%lld/"
                      "edit\">Modifier la réunion</a></li><li><a href=\"/meetings/%lld/"
                      "attendance\">Saisir les présences</a></li><li><a href=\"/meetings/%lld/"
                      "minutes\">Rédiger le compte rendu</a></li></ul>",
                   m.id, m.id, m.id);
    buf_puts(b, "<dl class=\"fields\"><dt>Statut</dt><dd>");
    gov_status_badge(b, m.status);
    buf_printf(b, "</dd><dt>Date</dt><dd>%h", gov_when(req->arena, &m));
    if (*m.date_as_written && !str_eq(m.precision, "day"))
        buf_printf(b, " <span class=\"muted\">(écrit « %h » dans la source)</span>",
                   m.date_as_written);
    buf_puts(b, "</dd><dt>Instance</dt><dd>");
    if (m.body_id)
        buf_printf(b, "<a href=\"/bodies/%lld\">%h</a> <span class=\"muted\">(%h)</span>",
                   m.body_id, m.body_name, body_kind_label(m.body_kind));
    else
        buf_puts(b, "<span class=\"muted\">Sans instance</span>");
    buf_puts(b, "</dd>");
    if (*m.place)
        buf_printf(b, "<dt>Lieu</dt><dd>%h</dd>", m.place);
    if (*m.video_url)
        buf_printf(b, "<dt>Visioconférence</dt><dd><a href=\"%h\" rel=\"noopener noreferrer\">%h"
                      "</a></dd>",
                   m.video_url, m.video_url);
    if (*m.source)
        buf_printf(b, "<dt>Source</dt><dd>%h</dd>", m.source);
    buf_puts(b, "</dl><ul class=\"links noprint\">");
    if (str_eq(m.precision, "day"))
        buf_printf(b, "<li><a href=\"/meetings/%lld.ics\">Ajouter à mon agenda (.ics)</a></li>",
                   m.id);
    if (signed_in)
        buf_printf(b, "<li><a href=\"/meetings/%lld/attendance-sheet\">Feuille d'émargement à "
                      "imprimer</a></li>",
                   m.id);
    buf_puts(b, "</ul>");

    buf_puts(b, "<h2>Ordre du jour</h2>");
    markdown_or(b, m.agenda, "markdown", "Pas d'ordre du jour enregistré.");

    buf_puts(b, "<h2 id=\"invites\">Invités et présences</h2><p>");
    attendance_words(b, &m);
    buf_puts(b, "</p>");
    if (people && n_vs) {
        buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Nom</th>"
                    "<th scope=\"col\">Fonction et organisme</th>");
        if (coordinator)
            buf_puts(b, "<th scope=\"col\">Invitation</th>");
        buf_puts(b, "<th scope=\"col\">Présence</th></tr></thead><tbody>");
        for (int i = 0; i < n_vs; i++) {
            const struct invitee *v = &vs[i];
            buf_printf(b, "<tr><td>%h</td><td>%h%s%h</td>", v->name, v->function,
                       *v->function && *v->organisation_name ? ", " : "",
                       v->organisation_name);
            if (coordinator)
                buf_printf(b, "<td>%h</td>", invitation_state(&m, v));
            buf_printf(b, "<td>%h", invitee_attendance_label(v->attendance));
            if (str_eq(v->attendance, "represented"))
                buf_printf(b, " par %h", v->represented_by);
            buf_puts(b, "</td></tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    if (coordinator)
        meeting_invitee_forms(req, res, &m, vs, n_vs);

    buf_puts(b, "<h2 id=\"compte-rendu\">Compte rendu</h2>");
    if (!minutes && *m.minutes)
        buf_puts(b, "<p class=\"muted\">Le compte rendu n'est visible que des comptes du "
                    "contrat.</p>");
    else
        markdown_or(b, m.minutes, "markdown minutes", "Pas encore de compte rendu.");

    buf_puts(b, "<h2 id=\"decisions\">Décisions</h2>");
    if (n_ds == 0)
        buf_puts(b, "<p class=\"muted\">Aucune décision enregistrée.</p>");
    else {
        buf_puts(b, "<ol class=\"decisions\">");
        for (int i = 0; i < n_ds; i++) {
            buf_printf(b, "<li><p class=\"pre\">%h</p>", ds[i].text);
            if (ds[i].n_links) {
                buf_puts(b, "<p>Actions concernées : ");
                for (int k = 0; k < ds[i].n_links; k++)
                    buf_printf(b, "%s<a href=\"/actions/%lld\">%h%s%h</a>", k ? ", " : "",
                               ds[i].links[k].action_id, ds[i].links[k].code,
                               *ds[i].links[k].code ? " " : "", ds[i].links[k].title);
                buf_puts(b, "</p>");
            }
            if (coordinator)
                meeting_decision_remove_button(req, b, &m, ds[i].id);
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ol>");
    }
    if (coordinator)
        meeting_decision_forms(req, res, &m);
    page_end(res);
    return 200;
}

int meeting_attendance_sheet(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    struct invitee *vs;
    int n;
    int rc = gov_load_invitees(req, res, &m, &c, &vs, &n);
    if (rc)
        return rc;
    char *href = arena_alloc(req->arena, 48);
    snprintf(href, 48, "/meetings/%lld", m.id);
    gov_begin(req, res, &c, "Feuille d'émargement", m.title, href);
    struct buf *b = &res->body;
    /* The crumb of the meeting: its page. */
    buf_printf(b, "<p class=\"noprint\"><a href=\"/meetings/%lld\">Revenir à la réunion</a> · "
                  "Imprimez cette page (A4) : la navigation ne s'imprime pas.</p>",
               m.id);
    buf_printf(b, "<div class=\"sheet\"><p class=\"sheet-title\"><strong>%h</strong></p><p>%h",
               m.title, *c.short_title ? c.short_title : c.title);
    if (*m.body_name)
        buf_printf(b, " — %h", m.body_name);
    buf_printf(b, "</p><p>Date : %h", gov_when(req->arena, &m));
    if (*m.place)
        buf_printf(b, " · Lieu : %h", m.place);
    buf_puts(b, "</p><table class=\"sheet-table\"><thead><tr><th scope=\"col\">Nom</th>"
                "<th scope=\"col\">Fonction et organisme</th><th scope=\"col\">Représenté par"
                "</th><th scope=\"col\" class=\"signature\">Signature</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++)
        buf_printf(b, "<tr><td>%h</td><td>%h%s%h</td><td></td><td class=\"signature\"></td>"
                      "</tr>",
                   vs[i].name, vs[i].function,
                   *vs[i].function && *vs[i].organisation_name ? ", " : "",
                   vs[i].organisation_name);
    /* Blank lines for people who come without being on the list. */
    int blanks = n < 12 ? 16 - n : 4;
    for (int i = 0; i < blanks; i++)
        buf_puts(b, "<tr class=\"blank\"><td></td><td></td><td></td><td class=\"signature\">"
                    "</td></tr>");
    buf_printf(b, "</tbody></table><p class=\"muted\">%d invité%s inscrit%s. Données "
                  "professionnelles utilisées pour la seule tenue de la réunion.</p></div>",
               n, n > 1 ? "s" : "", n > 1 ? "s" : "");
    page_end(res);
    return 200;
}

/* ---- iCalendar ------------------------------------------------------------------------------ */

int meeting_ics(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    if (!str_eq(m.precision, "day"))
        return page_error(req, res, 404, "Pas de date précise",
                          "Cette réunion n'a pas de jour fixé : elle ne peut pas être ajoutée à "
                          "un agenda.");
    char name[48];
    snprintf(name, sizeof name, "reunion-%lld.ics", m.id);
    return gov_ical_answer(req, res, &m, 1, NULL, name);
}

int contract_meetings_ics(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct meeting_filter f = {.contract_id = c.id};
    struct meeting *ms;
    int n;
    if (meeting_list(req->db, req->arena, &f, &ms, &n) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Les réunions n'ont pas pu être lues.");
    char name[400], file[48];
    snprintf(name, sizeof name, "Réunions — %s", *c.short_title ? c.short_title : c.title);
    snprintf(file, sizeof file, "contrat-%lld.ics", c.id);
    return gov_ical_answer(req, res, ms, n, name, file);
}

int body_meetings_ics(struct req *req, struct res *res)
{
    struct body body;
    int rc = gov_load_body(req, res, &body);
    if (rc)
        return rc;
    struct meeting_filter f = {.contract_id = body.contract_id, .body_id = body.id};
    struct meeting *ms;
    int n;
    if (meeting_list(req->db, req->arena, &f, &ms, &n) != ERR_OK)
        return page_error(req, res, 500, "Erreur", "Les réunions n'ont pas pu être lues.");
    char name[300], file[48];
    snprintf(name, sizeof name, "Réunions — %s", body.name);
    snprintf(file, sizeof file, "instance-%lld.ics", body.id);
    return gov_ical_answer(req, res, ms, n, name, file);
}
