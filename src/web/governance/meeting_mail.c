/* meeting_mail.c — a meeting as an iCalendar event (src/format/data/ical.c) for the feeds and the
 * invitations, and the invitation, update and cancellation e-mails with their .ics attached,
 * queued in the outbox (sent by mailer.c). Must not contain SQL nor decide when to send: the
 * forms (meeting_forms.c) do.
 * printf-text: builds e-mail bodies and iCalendar text, no markup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "model/governance/invitee.h"
#include "model/core/outbox.h"
#include "format/data/ical.h"
#include "web/core/config.h"
#include "web/kit/filters.h"
#include "web/governance/governance.h"
#include "web/http/page.h"

static const char *ical_status(const char *status)
{
    if (str_eq(status, "cancelled") || str_eq(status, "not_held"))
        return "CANCELLED";
    if (str_eq(status, "postponed"))
        return "TENTATIVE";
    return "CONFIRMED";
}

static const char *meeting_url(struct req *req, long long id)
{
    struct buf b = {0};
    buf_printf(&b, "%s/meetings/%lld", web_config.base_url, id);
    const char *s = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

bool gov_ical_event(struct req *req, const struct meeting *m, struct ical_event *e)
{
    if (!str_eq(m->precision, "day"))
        return false;
    memset(e, 0, sizeof *e);
    const char *url = meeting_url(req, m->id);
    struct buf d = {0};
    if (*m->body_name)
        buf_printf(&d, "Instance : %s\n", m->body_name);
    if (*m->video_url)
        buf_printf(&d, "Visioconférence : %s\n", m->video_url);
    if (*m->agenda)
        buf_printf(&d, "%sOrdre du jour :\n%s\n", d.len ? "\n" : "", m->agenda);
    buf_printf(&d, "%sPage de la réunion : %s", d.len ? "\n" : "", url);
    e->description = arena_strdup(req->arena, buf_cstr(&d));
    buf_free(&d);
    e->uid = m->uid;
    e->summary = m->title;
    e->location = *m->place ? m->place : m->video_url;
    e->url = url;
    e->date = m->held_on;
    e->end_date = m->end_on;
    e->start_time = m->start_time;
    e->end_time = m->end_time;
    e->sequence = m->sequence;
    e->status = ical_status(m->status);
    e->organizer_email = web_config.mail_from;
    e->organizer_name = "Coordination du contrat local de santé";
    e->stamp = req->now;
    return true;
}

int gov_ical_answer(struct req *req, struct res *res, const struct meeting *ms, int n,
                    const char *name, const char *filename)
{
    struct ical_event *events = arena_alloc(req->arena, sizeof *events * (size_t)(n + 1));
    int k = 0;
    for (int i = 0; i < n; i++)
        if (gov_ical_event(req, &ms[i], &events[k]))
            k++;
    char *text = ical_calendar(name, ICAL_PUBLISH, events, k);
    if (!text)
        return page_error(req, res, 500, "Erreur", "Le calendrier n'a pas pu être écrit.");
    res->status = 200;
    res->content_type = "text/calendar; charset=utf-8";
    char *disp = arena_alloc(req->arena, 128);
    snprintf(disp, 128, "inline; filename=\"%s\"", filename);
    res_header(res, "Content-Disposition", disp);
    buf_puts(&res->body, text);
    free(text);
    return 200;
}

/* The text of an invitation, update or cancellation e-mail. */
static const char *mail_text(struct req *req, const struct meeting *m, const struct invitee *v,
                             enum ical_method method, bool update)
{
    struct buf b = {0};
    buf_printf(&b, "Bonjour %s,\n\n", v->name);
    if (method == ICAL_CANCEL)
        buf_printf(&b, "La réunion « %s » est annulée.\n\n", m->title);
    else if (update)
        buf_printf(&b, "La réunion « %s » a changé. Voici ce qui est prévu désormais.\n\n",
                   m->title);
    else
        buf_printf(&b, "Vous êtes invité(e) à la réunion « %s ».\n\n", m->title);
    if (*m->body_name)
        buf_printf(&b, "Instance : %s\n", m->body_name);
    buf_printf(&b, "Date : %s\n", gov_when(req->arena, m));
    if (*m->place)
        buf_printf(&b, "Lieu : %s\n", m->place);
    if (*m->video_url)
        buf_printf(&b, "Visioconférence : %s\n", m->video_url);
    if (*m->agenda && method != ICAL_CANCEL)
        buf_printf(&b, "\nOrdre du jour :\n%s\n", m->agenda);
    buf_printf(&b, "\nLa page de la réunion : %s\n", meeting_url(req, m->id));
    if (method != ICAL_CANCEL)
        buf_puts(&b, "L'invitation est jointe (fichier .ics) : ouvrez-la pour l'ajouter à votre "
                     "agenda.\n");
    buf_puts(&b, "\n-- \nBoussole, pilotage du contrat local de santé\n");
    const char *s = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* Queues one message to one invitee: 0, ERR_INVALID (no day fixed) or a database error. */
static int queue_one(struct req *req, const struct meeting *m, const struct invitee *v,
                     enum ical_method method, bool update)
{
    struct ical_event e;
    if (!gov_ical_event(req, m, &e))
        return ERR_INVALID;
    e.attendee_email = v->email;
    e.attendee_name = v->name;
    char *ics = ical_calendar(NULL, method, &e, 1);
    if (!ics)
        return ERR_INVALID;
    char subject[512], type[64];
    snprintf(subject, sizeof subject, "%s : %s — %s",
             method == ICAL_CANCEL ? "Annulation"
             : update              ? "Modification"
                                   : "Invitation",
             m->title, gov_when(req->arena, m));
    snprintf(type, sizeof type, "text/calendar; method=%s", ical_method_name(method));
    struct outbox_mail msg = {
        .kind = "meeting",
        .person_id = v->person_id,
        .contract_id = m->contract_id,
        .to = v->email,
        .subject = subject,
        .body = mail_text(req, m, v, method, update),
        .attachment_name = method == ICAL_CANCEL ? "annulation.ics" : "invitation.ics",
        .attachment_type = type,
        .attachment = ics,
    };
    int rc = outbox_add(req->db, &msg, req->now, NULL);
    free(ics);
    return rc;
}

static int queue_all(struct req *req, const struct meeting *m, enum ical_method method,
                     bool update, struct gov_mail_result *r)
{
    memset(r, 0, sizeof *r);
    struct invitee *vs;
    int n;
    int rc = invitee_list(req->db, req->arena, m->id, &vs, &n);
    if (rc != ERR_OK) {
        r->error = "la liste des invités n'a pas pu être lue";
        return rc;
    }
    for (int i = 0; i < n; i++) {
        const struct invitee *v = &vs[i];
        bool sent_before = v->invited_sequence >= 0;
        if ((method == ICAL_CANCEL || update) ? !sent_before
                                              : v->invited_sequence >= m->sequence)
            continue;
        if (!*v->email) {
            r->no_email++;
            continue;
        }
        rc = queue_one(req, m, v, method, update);
        if (rc == ERR_INVALID) {
            r->failed++;
            if (!r->error)
                r->error = "l'invitation n'a pas pu être écrite (jour de la réunion ?)";
            continue;
        }
        /* Queued and marked in the caller's transaction: sent once, even after a crash. */
        if (rc == ERR_OK)
            rc = invitee_mark_sent(req->db, m->id, v->person_id, m->sequence);
        if (rc != ERR_OK) {
            log_error("meeting %lld: mail to person %lld not queued: %s", m->id, v->person_id,
                      store_errmsg(req->db));
            r->error = "la base de données n'a pas répondu";
            return rc;
        }
        r->sent++;
    }
    return ERR_OK;
}

int gov_send_invitations(struct req *req, const struct meeting *m, bool update,
                         struct gov_mail_result *r)
{
    return queue_all(req, m, ICAL_REQUEST, update, r);
}

int gov_send_cancellation(struct req *req, const struct meeting *m, struct gov_mail_result *r)
{
    return queue_all(req, m, ICAL_CANCEL, false, r);
}
