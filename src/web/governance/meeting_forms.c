/* meeting_forms.c — the coordination's forms of meetings: create and edit (a changed meeting
 * sends its update, a cancelled one its cancellation, to those already invited), invitees and
 * invitations, attendance, minutes and decisions. Must not contain SQL nor check roles (routes.c
 * declares them); errors are shown next to their field with the input kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/governance/decision.h"
#include "model/plan/editing.h"
#include "model/governance/invitee.h"
#include "model/governance/person.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/kit/form.h"
#include "web/governance/governance.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/core/mailer.h"
#include "web/http/page.h"

/* ---- create and edit ------------------------------------------------------------------------ */

/* The meeting form's values as typed. */
struct meeting_form {
    const char *body, *title, *date, *end_on, *start_time, *end_time, *place, *video_url;
    const char *status, *agenda;
};

static void meeting_form_from(struct req *req, const struct meeting *m, struct meeting_form *f)
{
    *f = (struct meeting_form){
        m->body_id ? edit_fmt(req->arena, "%lld", m->body_id) : "",
        m->title,
        str_eq(m->precision, "day") ? date_fr(req->arena, m->held_on) : m->held_on,
        *m->end_on ? date_fr(req->arena, m->end_on) : "",
        m->start_time,
        m->end_time,
        m->place,
        m->video_url,
        m->status,
        m->agenda,
    };
}

/* Reads the form into f (as typed) and e (parsed), with errors by field. */
static void meeting_form_read(struct req *req, long long contract_id, struct meeting_form *f,
                              struct meeting_edit *e, struct form_errors *errs)
{
    f->body = form_value(req, "body_id");
    f->title = form_value(req, "title");
    f->date = form_value(req, "date");
    f->end_on = form_value(req, "end_on");
    f->start_time = form_value(req, "start_time");
    f->end_time = form_value(req, "end_time");
    f->place = form_value(req, "place");
    f->video_url = form_value(req, "video_url");
    f->status = form_value(req, "status");
    f->agenda = form_value(req, "agenda");
    memset(e, 0, sizeof *e);
    long long body = 0;
    if (*f->body && str_to_ll(f->body, 1, 999999999999LL, &body) != ERR_OK)
        form_error(errs, "body_id", "Choisissez une instance dans la liste.");
    char *date = arena_alloc(req->arena, 11), *end = arena_alloc(req->arena, 11);
    char *start = arena_alloc(req->arena, 6), *stop = arena_alloc(req->arena, 6);
    const char *precision = "day", *end_precision = "day";
    if (meeting_parse_date(f->date, date, &precision) != ERR_OK)
        form_error(errs, "date", "Indiquez la date : JJ/MM/AAAA, ou le mois seul : MM/AAAA.");
    if (*f->end_on && (meeting_parse_date(f->end_on, end, &end_precision) != ERR_OK ||
                       !str_eq(end_precision, "day")))
        form_error(errs, "end_on", "La date de fin s'écrit JJ/MM/AAAA.");
    if (meeting_parse_time(f->start_time, start) != ERR_OK)
        form_error(errs, "start_time", "L'heure s'écrit HH:MM, par exemple 14:30.");
    if (meeting_parse_time(f->end_time, stop) != ERR_OK)
        form_error(errs, "end_time", "L'heure s'écrit HH:MM, par exemple 16:00.");
    *e = (struct meeting_edit){
        .body_id = body,
        .title = f->title,
        .held_on = date,
        .precision = precision,
        .end_on = *f->end_on ? end : "",
        .start_time = start,
        .end_time = stop,
        .place = f->place,
        .video_url = f->video_url,
        .agenda = f->agenda,
        .status = f->status,
        .notes = "",
    };
    if (errs->n)
        return;
    struct problems p = {0};
    meeting_check(req->db, contract_id, e, &p);
    for (int i = 0; i < p.n; i++)
        if (!form_error_of(errs, p.field[i]))
            form_error(errs, p.field[i], p.message[i]);
}

static void meeting_form_show(struct req *req, struct res *res, long long contract_id,
                              const char *action, const struct meeting_form *f,
                              const struct form_errors *errs, int version, const char *submit)
{
    struct body *bodies;
    int nb = 0;
    if (body_list(req->db, req->arena, contract_id, &bodies, &nb) != ERR_OK)
        nb = 0;
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, action, auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    const char **values = arena_alloc(req->arena, sizeof *values * (size_t)(nb + 1));
    const char **labels = arena_alloc(req->arena, sizeof *labels * (size_t)(nb + 1));
    values[0] = "";
    labels[0] = "Sans instance (rencontre, événement…)";
    for (int i = 0; i < nb; i++) {
        values[i + 1] = edit_fmt(req->arena, "%lld", bodies[i].id);
        labels[i + 1] = bodies[i].name;
    }
    form_select(b, "body_id", "Instance", values, labels, nb + 1, f->body,
                form_error_of(errs, "body_id"), false);
    form_input(b, "text", "title", "Intitulé", f->title, NULL, form_error_of(errs, "title"), true);
    form_input(b, "text", "date", "Date", f->date,
               "JJ/MM/AAAA. Pour l'historique, le mois seul suffit : MM/AAAA.",
               form_error_of(errs, "date"), true);
    form_input(b, "text", "start_time", "Heure de début", f->start_time,
               "HH:MM, par exemple 14:30", form_error_of(errs, "start_time"), false);
    form_input(b, "text", "end_time", "Heure de fin", f->end_time, "HH:MM",
               form_error_of(errs, "end_time"), false);
    form_input(b, "text", "end_on", "Dernier jour (réunion sur plusieurs jours)", f->end_on,
               "JJ/MM/AAAA ; laissez vide pour une réunion d'un jour.",
               form_error_of(errs, "end_on"), false);
    form_input(b, "text", "place", "Lieu", f->place, "Salle et adresse",
               form_error_of(errs, "place"), false);
    form_input(b, "url", "video_url", "Lien de visioconférence", f->video_url,
               "Commence par https://", form_error_of(errs, "video_url"), false);
    const char *status_labels[5];
    for (int i = 0; i < 5; i++)
        status_labels[i] = meeting_status_label(meeting_statuses[i]);
    form_select(b, "status", "Statut", meeting_statuses, status_labels, 5, f->status,
                form_error_of(errs, "status"), true);
    form_textarea(b, "agenda", "Ordre du jour", f->agenda,
                  "Markdown : une ligne « - » par point, **gras**. Le HTML n'est pas interprété.",
                  form_error_of(errs, "agenda"), false);
    if (version)
        buf_puts(b, "<p class=\"help\">Si les invitations sont déjà parties, un changement de "
                    "date, d'heure, de lieu ou d'intitulé envoie une mise à jour aux invités ; "
                    "une annulation leur envoie l'annulation.</p>");
    form_end(b, submit);
}

/* The page of the form creating a meeting (without page_end). */
static void meeting_new_show(struct req *req, struct res *res, const struct contract *c,
                             const struct meeting_form *f, const struct form_errors *errs)
{
    gov_begin(req, res, c, "Nouvelle réunion", NULL, NULL);
    meeting_form_show(req, res, c->id, edit_fmt(req->arena, "/contracts/%lld/meetings/new", c->id),
                      f, errs, 0, "Créer la réunion");
}

int meeting_new_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    long long body_id = 0;
    struct body body = {0};
    if (filter_param_id(req, "body", &body_id) != ERR_OK ||
        (body_id && (body_get(req->db, req->arena, body_id, &body) != ERR_OK ||
                     body.contract_id != c.id)))
        body_id = 0;
    char date[11] = "";
    const char *precision = "day", *given = req_query(req, "date");
    if (given && meeting_parse_date(given, date, &precision) != ERR_OK)
        date[0] = '\0';
    struct meeting_form f = {
        body_id ? edit_fmt(req->arena, "%lld", body_id) : "",
        body_id ? body.name : "",
        str_eq(precision, "day") ? date_fr(req->arena, date) : arena_strdup(req->arena, date),
        "", "", "", "", "", "planned", ""};
    meeting_new_show(req, res, &c, &f, NULL);
    page_end(res);
    return 200;
}

int meeting_new_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct meeting_form f;
    struct meeting_edit e;
    struct form_errors errs = {0};
    meeting_form_read(req, c.id, &f, &e, &errs);
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        long long id = 0;
        rc = meeting_add(req->db, &who, c.id, &e, &id);
        if ((rc = gov_created(req, res, rc, "/meetings/%lld?done=created", id)) != 0)
            return rc;
    }
    meeting_new_show(req, res, &c, &f, &errs);
    return gov_refused(res, 422);
}

static const char *meeting_href(struct req *req, const struct meeting *m)
{
    return edit_fmt(req->arena, "/meetings/%lld", m->id);
}

static int edit_show(struct req *req, struct res *res, const struct meeting *m,
                     const struct contract *c, const struct meeting_form *f,
                     const struct form_errors *errs, int version, const char *conflict)
{
    gov_begin(req, res, c, "Modifier la réunion", m->title, meeting_href(req, m));
    if (conflict)
        buf_printf(&res->body, "<div class=\"error-summary conflict\" role=\"alert\"><p>%h</p>"
                               "</div>",
                   conflict);
    meeting_form_show(req, res, c->id, edit_fmt(req->arena, "/meetings/%lld/edit", m->id), f,
                      errs, version, "Enregistrer");
    page_end(res);
    return 200;
}

int meeting_edit_page(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    struct meeting_form f;
    meeting_form_from(req, &m, &f);
    return edit_show(req, res, &m, &c, &f, NULL, m.version, NULL);
}

/* Redirects to the meeting page with what the e-mails did. */
static int mail_redirect(struct req *req, struct res *res, long long id, const char *done,
                         const struct gov_mail_result *r)
{
    if (!r || r->sent + r->failed + r->no_email == 0)
        return gov_redirect(req, res, "/meetings/%lld?done=%s", id, done);
    return gov_redirect(req, res, "/meetings/%lld?done=%s&sent=%d&failed=%d&noemail=%d", id, done,
                        r->sent, r->failed, r->no_email);
}

static bool is_off(const char *status)
{
    return str_eq(status, "cancelled") || str_eq(status, "not_held");
}

int meeting_edit_submit(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    struct meeting_form f;
    struct meeting_edit e;
    struct form_errors errs = {0};
    meeting_form_read(req, c.id, &f, &e, &errs);
    e.notes = m.notes;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet", "Rechargez la page.");
    const char *conflict = NULL;
    if (errs.n == 0) {
        struct actor who = edit_actor(req);
        bool raised = false;
        struct gov_mail_result r = {0};
        bool mailed = false;
        /* The change and the e-mails it causes are committed together (meeting_update's own
         * transaction nests in this one). */
        rc = store_begin(req->db);
        if (rc == ERR_OK)
            rc = meeting_update(req->db, &who, m.id, version, &e, &raised);
        struct meeting now;
        if (rc == ERR_OK && raised)
            rc = meeting_get(req->db, req->arena, m.id, &now);
        if (rc == ERR_OK && raised) {
            if (is_off(now.status) && !is_off(m.status)) {
                rc = gov_send_cancellation(req, &now, &r);
                mailed = true;
            } else if (str_eq(now.status, "planned") || str_eq(now.status, "postponed")) {
                rc = gov_send_invitations(req, &now, true, &r);
                mailed = true;
            }
        }
        if (rc == ERR_OK)
            rc = store_commit(req->db);
        if (rc != ERR_OK)
            store_rollback(req->db);
        if (rc == ERR_OK) {
            if (mailed && r.sent)
                mailer_wake();
            return mail_redirect(req, res, m.id, "saved", mailed ? &r : NULL);
        }
        if (rc == ERR_CONFLICT)
            conflict = "Quelqu'un a modifié cette réunion pendant que vous la modifiiez : "
                       "rechargez la page pour voir sa version, puis refaites vos changements.";
        else if (rc != ERR_INVALID)
            return page_db_error(req, res);
    }
    edit_show(req, res, &m, &c, &f, &errs, version, conflict);
    res->status = conflict ? 409 : 422;
    return res->status;
}

/* ---- invitees and invitations --------------------------------------------------------------- */

void meeting_invitee_forms(struct req *req, struct res *res, const struct meeting *m,
                           const struct invitee *vs, int n)
{
    struct person *ps;
    int n_ps;
    if (person_list(req->db, req->arena, m->contract_id, &ps, &n_ps) != ERR_OK)
        return;
    struct buf *b = &res->body;
    const char *csrf = auth_form_token(req, res);
    buf_puts(b, "<div class=\"noprint coordination\">");
    int to_send = 0;
    for (int i = 0; i < n; i++) {
        if (*vs[i].email && vs[i].invited_sequence < m->sequence)
            to_send++;
        buf_printf(b, "<form class=\"inline\" method=\"post\" action=\"/meetings/%lld/invitees/"
                      "%lld/remove\">",
                   m->id, vs[i].person_id);
        form_hidden(b, "csrf", csrf);
        buf_printf(b, "<button type=\"submit\" class=\"secondary\">Retirer %h</button></form> ",
                   vs[i].name);
    }
    if (to_send && str_eq(m->precision, "day") &&
        (str_eq(m->status, "planned") || str_eq(m->status, "postponed"))) {
        buf_printf(b, "<form method=\"post\" action=\"/meetings/%lld/invite\">", m->id);
        form_hidden(b, "csrf", csrf);
        buf_printf(b, "<p><button type=\"submit\">Envoyer les invitations (%d)</button> "
                      "<span class=\"help\">Par e-mail, avec l'invitation à ajouter à l'agenda "
                      "(.ics).</span></p></form>",
                   to_send);
        if (!mailer_configured())
            buf_puts(b, "<p class=\"caution\">Aucun serveur de courrier n'est configuré sur ce "
                        "serveur : les invitations attendront qu'il le soit. Prévenez les "
                        "invités autrement en attendant.</p>");
    } else if (to_send && !str_eq(m->precision, "day")) {
        buf_puts(b, "<p class=\"help\">Fixez le jour de la réunion pour envoyer les "
                    "invitations.</p>");
    }
    if (m->body_id) {
        buf_printf(b, "<form method=\"post\" action=\"/meetings/%lld/invitees\">", m->id);
        form_hidden(b, "csrf", csrf);
        form_hidden(b, "members", "1");
        buf_puts(b, "<p><button type=\"submit\" class=\"secondary\">Inviter les membres de "
                    "l'instance</button></p></form>");
    }
    if (n_ps) {
        buf_printf(b, "<form class=\"edit\" method=\"post\" action=\"/meetings/%lld/invitees\">",
                   m->id);
        form_hidden(b, "csrf", csrf);
        const char *err = str_eq(req_query(req, "error"), "invitee")
                              ? "Choisissez une personne du contrat."
                              : NULL;
        buf_printf(b, "<div class=\"field%s\"><label for=\"f-invitee\">Inviter une personne"
                      "</label>",
                   err ? " has-error" : "");
        if (err)
            buf_printf(b, "<p class=\"field-error\" id=\"f-invitee-error\">%h</p>", err);
        buf_printf(b, "<select id=\"f-invitee\" name=\"person_id\"%s><option value=\"\">— "
                      "choisir une personne —</option>",
                   err ? " aria-describedby=\"f-invitee-error\" aria-invalid=\"true\"" : "");
        for (int i = 0; i < n_ps; i++)
            buf_printf(b, "<option value=\"%lld\">%h%s%h%s</option>", ps[i].id, ps[i].name,
                       *ps[i].organisation_name ? " (" : "", ps[i].organisation_name,
                       *ps[i].organisation_name ? ")" : "");
        buf_puts(b, "</select></div><p><button type=\"submit\">Inviter</button></p></form>");
    }
    buf_printf(b, "<p><a href=\"/contracts/%lld/people/new\">Enregistrer une nouvelle "
                  "personne</a></p></div>",
               m->contract_id);
}

/* The page of the route's meeting (/meetings/{id}), in the arena. */
static const char *meeting_path(struct req *req)
{
    return edit_fmt(req->arena, "/meetings/%lld", req->ids[0]);
}

int meeting_invitee_submit(struct req *req, struct res *res)
{
    struct actor who = edit_actor(req);
    int rc;
    if (str_eq(form_value(req, "members"), "1")) {
        int added;
        rc = invitee_add_members(req->db, &who, req->ids[0], &added);
    } else {
        bool ok = true;
        long long person = edit_form_id(req, "person_id", &ok);
        rc = ok && person ? invitee_add(req->db, &who, req->ids[0], person) : ERR_INVALID;
    }
    return gov_form_answer(req, res, rc, meeting_path(req), "invitee", "invites");
}

int meeting_invitee_remove_submit(struct req *req, struct res *res)
{
    struct actor who = edit_actor(req);
    int rc = invitee_remove(req->db, &who, req->ids[0], req->ids[1]);
    return gov_form_answer(req, res, rc, meeting_path(req), "invitee", "invites");
}

int meeting_invite_submit(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    if (!str_eq(m.precision, "day"))
        return page_error(req, res, 422, "Pas de jour fixé",
                          "Fixez le jour de la réunion avant d'envoyer les invitations.");
    struct gov_mail_result r;
    rc = store_begin(req->db);
    if (rc == ERR_OK)
        rc = gov_send_invitations(req, &m, false, &r);
    if (rc == ERR_OK)
        rc = store_commit(req->db);
    if (rc != ERR_OK) {
        store_rollback(req->db);
        return page_db_error(req, res);
    }
    if (r.sent)
        mailer_wake();
    return mail_redirect(req, res, m.id, "invitee", &r);
}

/* ---- attendance ----------------------------------------------------------------------------- */

static int attendance_show(struct req *req, struct res *res, const struct meeting *m,
                           const struct contract *c, const struct invitee *vs, int n,
                           const struct form_errors *errs)
{
    gov_begin(req, res, c, "Présences", m->title, meeting_href(req, m));
    struct buf *b = &res->body;
    if (n == 0) {
        buf_printf(b, "<p>Personne n'est invité à cette réunion. <a href=\"/meetings/%lld#"
                      "invites\">Ajoutez d'abord les invités</a>.</p>",
                   m->id);
        page_end(res);
        return 200;
    }
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/meetings/%lld/attendance", m->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, m->version);
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"attendance\"><thead><tr>"
                "<th scope=\"col\">Invité</th><th scope=\"col\">Présence</th><th scope=\"col\">"
                "Représenté par</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        const struct invitee *v = &vs[i];
        const char *att = req_form(req, edit_fmt(req->arena, "att-%lld", v->person_id));
        const char *rep = req_form(req, edit_fmt(req->arena, "rep-%lld", v->person_id));
        att = att ? att : v->attendance;
        rep = rep ? rep : v->represented_by;
        const char *field = edit_fmt(req->arena, "rep-%lld", v->person_id);
        const char *err = form_error_of(errs, field);
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td><label class=\"visually-hidden\" "
                      "for=\"f-att-%lld\">Présence de %h</label><select id=\"f-att-%lld\" "
                      "name=\"att-%lld\"><option value=\"\">Non renseigné</option>",
                   v->name, v->person_id, v->name, v->person_id, v->person_id);
        for (int k = 0; invitee_attendances[k]; k++)
            buf_printf(b, "<option value=\"%h\"%s>%h</option>", invitee_attendances[k],
                       str_eq(att, invitee_attendances[k]) ? " selected" : "",
                       invitee_attendance_label(invitee_attendances[k]));
        buf_printf(b, "</select></td><td class=\"field%s\"><label class=\"visually-hidden\" "
                      "for=\"f-rep-%lld\">%h est représenté par</label>",
                   err ? " has-error" : "", v->person_id, v->name);
        if (err)
            buf_printf(b, "<p class=\"field-error\" id=\"f-rep-%lld-error\">%h</p>", v->person_id,
                       err);
        const char *invalid_html = err ? edit_fmt(req->arena,
                                                  " aria-describedby=\"f-rep-%lld-error\" "
                                                  "aria-invalid=\"true\"",
                                                  v->person_id)
                                       : "";
        buf_printf(b,
                   "<input type=\"text\" id=\"f-rep-%lld\" name=\"rep-%lld\" value=\"%h\"%s>"
                   "</td></tr>",
                   v->person_id, v->person_id, rep, invalid_html);
    }
    buf_puts(b, "</tbody></table></div>");
    /* Ticked once the meeting's day has come: attendance is usually recorded afterwards. */
    bool due = strcmp(meeting_period_end(req->arena, m->held_on, m->precision),
                      gov_today(req)) <= 0;
    if (!str_eq(m->status, "held"))
        edit_checkbox(b, "held", "La réunion a eu lieu : passer son statut à « Tenue »", NULL,
                      !is_off(m->status) && due);
    form_end(b, "Enregistrer les présences");
    page_end(res);
    return 200;
}

int meeting_attendance_page(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    struct invitee *vs;
    int n;
    int rc = gov_load_invitees(req, res, &m, &c, &vs, &n);
    if (rc)
        return rc;
    return attendance_show(req, res, &m, &c, vs, n, NULL);
}

int meeting_attendance_submit(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    struct invitee *vs;
    int n, version;
    int rc = gov_load_invitees(req, res, &m, &c, &vs, &n);
    if (rc)
        return rc;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet", "Rechargez la page.");
    struct attendance_edit *e = arena_alloc(req->arena, sizeof *e * (size_t)(n + 1));
    struct form_errors errs = {0};
    for (int i = 0; i < n; i++) {
        const char *att = form_value(req, edit_fmt(req->arena, "att-%lld", vs[i].person_id));
        const char *rep = form_value(req, edit_fmt(req->arena, "rep-%lld", vs[i].person_id));
        const char *field = edit_fmt(req->arena, "rep-%lld", vs[i].person_id);
        if (*att && !invitee_attendance_valid(att))
            form_error(&errs, field, "Choisissez une présence dans la liste.");
        else if (str_eq(att, "represented") && !*rep)
            form_error(&errs, field, "Indiquez qui représente cette personne.");
        else if (strlen(rep) > 200)
            form_error(&errs, field, "Ce nom dépasse 200 caractères.");
        e[i] = (struct attendance_edit){vs[i].person_id, att, rep};
    }
    if (errs.n) {
        attendance_show(req, res, &m, &c, vs, n, &errs);
        res->status = 422;
        return 422;
    }
    struct actor who = edit_actor(req);
    rc = invitee_set_attendance(req->db, &who, m.id, e, n);
    if (rc == ERR_OK && str_eq(form_value(req, "held"), "1") && !str_eq(m.status, "held")) {
        struct meeting_edit me = {m.body_id,    m.title,    m.held_on, m.precision,
                                  m.end_on,     m.start_time, m.end_time, m.place,
                                  m.video_url,  m.agenda,   "held",    m.notes,
                                  NULL,         NULL};
        bool raised;
        rc = meeting_update(req->db, &who, m.id, version, &me, &raised);
        if (rc == ERR_CONFLICT)
            return page_error(req, res, 409, "Réunion modifiée entre-temps",
                              "Les présences sont enregistrées, mais la réunion a été modifiée "
                              "pendant ce temps : changez son statut depuis sa page.");
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return gov_redirect(req, res, "/meetings/%lld?done=attendance#invites", m.id);
}

/* ---- minutes -------------------------------------------------------------------------------- */

static int minutes_show(struct req *req, struct res *res, const struct meeting *m,
                        const struct contract *c, const char *text, int version,
                        const char *error)
{
    gov_begin(req, res, c, "Compte rendu", m->title, meeting_href(req, m));
    struct buf *b = &res->body;
    if (error)
        buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    form_begin(b, edit_fmt(req->arena, "/meetings/%lld/minutes", m->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, version);
    form_textarea(b, "minutes", "Compte rendu", text,
                  "Markdown : titres avec « ## », listes avec « - », **gras**. Le HTML n'est pas "
                  "interprété. Pas de données de santé sur des personnes.",
                  error, false);
    form_end(b, "Enregistrer le compte rendu");
    buf_printf(b, "<p>Les décisions se saisissent une par une <a href=\"/meetings/%lld#"
                  "decisions\">sur la page de la réunion</a>, reliées aux actions concernées.</p>",
               m->id);
    page_end(res);
    return 200;
}

int meeting_minutes_page(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    return minutes_show(req, res, &m, &c, m.minutes, m.version, NULL);
}

int meeting_minutes_submit(struct req *req, struct res *res)
{
    struct meeting m;
    struct contract c;
    int rc = gov_load_meeting(req, res, &m, &c);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet", "Rechargez la page.");
    const char *text = req_form(req, "minutes");
    text = text ? text : "";
    struct actor who = edit_actor(req);
    rc = meeting_set_minutes(req->db, &who, m.id, version, text);
    if (rc == ERR_OK)
        return gov_redirect(req, res, "/meetings/%lld?done=minutes#compte-rendu", m.id);
    const char *error = rc == ERR_INVALID    ? "Le compte rendu dépasse 100 000 caractères."
                        : rc == ERR_CONFLICT ? "Quelqu'un a modifié cette réunion pendant que "
                                               "vous écriviez : copiez votre texte, rechargez la "
                                               "page et recollez-le."
                                             : NULL;
    if (!error)
        return page_db_error(req, res);
    minutes_show(req, res, &m, &c, text, version, error);
    res->status = rc == ERR_CONFLICT ? 409 : 422;
    return res->status;
}

/* ---- decisions ------------------------------------------------------------------------------ */

void meeting_decision_forms(struct req *req, struct res *res, const struct meeting *m)
{
    struct action_filter f = {.contract_id = m->contract_id};
    struct action *acts;
    int n;
    if (action_list(req->db, req->arena, &f, &acts, &n) != ERR_OK)
        return;
    struct buf *b = &res->body;
    const char *err = str_eq(req_query(req, "error"), "decision")
                          ? "Écrivez la décision (5 000 caractères au plus)."
                          : NULL;
    buf_printf(b, "<form class=\"edit noprint\" method=\"post\" action=\"/meetings/%lld/"
                  "decisions\"><h3>Ajouter une décision</h3>",
               m->id);
    form_hidden(b, "csrf", auth_form_token(req, res));
    form_textarea(b, "text", "Décision", "", NULL, err, true);
    buf_printf(b, "<div class=\"field\"><label for=\"f-decision-actions\">Actions concernées"
                  "</label><p class=\"help\" id=\"f-decision-actions-help\">Facultatif. Maintenez "
                  "Ctrl (ou Cmd) pour en choisir plusieurs. La décision s'affichera sur la page "
                  "de chacune.</p><select id=\"f-decision-actions\" name=\"action_id\" multiple "
                  "size=\"8\" aria-describedby=\"f-decision-actions-help\">");
    for (int i = 0; i < n; i++)
        buf_printf(b, "<option value=\"%lld\">%h%s%h</option>", acts[i].id, acts[i].code,
                   *acts[i].code ? " " : "", text_short(req->arena, acts[i].title, 90));
    buf_puts(b, "</select></div>");
    form_end(b, "Ajouter la décision");
}

void meeting_decision_remove_button(struct req *req, struct buf *b, const struct meeting *m,
                                    long long decision_id)
{
    buf_printf(b, "<form class=\"inline noprint\" method=\"post\" action=\"/meetings/%lld/"
                  "decisions/%lld/remove\">",
               m->id, decision_id);
    form_hidden(b, "csrf", req->session ? req->session->csrf : "");
    buf_printf(b, "<button type=\"submit\" class=\"secondary\">Retirer la décision n°%lld"
                  "</button></form>",
               decision_id);
}

int decision_add_submit(struct req *req, struct res *res)
{
    long long ids[DECISION_MAX_ACTIONS];
    bool ok = true;
    int n = edit_form_ids(req, "action_id", ids, DECISION_MAX_ACTIONS, &ok);
    const char *text = form_value(req, "text");
    struct actor who = edit_actor(req);
    long long id;
    int rc = ok ? decision_add(req->db, &who, req->ids[0], text, ids, n, &id) : ERR_INVALID;
    return gov_form_answer(req, res, rc, meeting_path(req), "decision", "decisions");
}

int decision_remove_submit(struct req *req, struct res *res)
{
    struct actor who = edit_actor(req);
    int rc = decision_remove(req->db, &who, req->ids[0], req->ids[1]);
    return gov_form_answer(req, res, rc, meeting_path(req), "decision", "decisions");
}
