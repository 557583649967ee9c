/* governance.h — what the governance screens share (most of it in governance_common.c; used by
 * governance_pages.c, meeting_pages.c, governance_forms.c, meeting_forms.c, meeting_mail.c,
 * governance_api.c, people_pages.c, governance_audit.c) and the two hooks other screens call:
 * the contract home's "x of y required meetings held" and the decisions shown on an action's
 * page. */
#ifndef WEB_GOVERNANCE_H
#define WEB_GOVERNANCE_H

#include <stdbool.h>

#include "model/governance/body.h"
#include "model/core/contract.h"
#include "model/governance/governance.h"
#include "model/governance/meeting.h"
#include "web/core/hooks.h"
#include "web/http/http.h"

/* Hook of the contract home (contract_pages.c): a short section with the contract's figure
 * "x des y réunions requises tenues" and a link to the governance page. Writes nothing when the
 * contract has no body that must meet. */
void governance_contract_summary(struct req *req, struct res *res, long long contract_id);
/* Hook of the action page (action_pages.c): the decisions of meetings linked to the action,
 * newest first, with their meeting; nothing when there is none. */
void governance_action_decisions(struct req *req, struct res *res, long long action_id);

/* Today as "AAAA-MM-JJ" (UTC) from the request's clock, in the arena. */
const char *gov_today(const struct req *req);
/* Today's year (UTC) from the request's clock. */
int gov_today_year(const struct req *req);
/* The most years a governance table spans. */
enum { GOV_MAX_YEARS = 64 };
/* The year a governance screen shows: ?year=Y (ERR_INVALID when not a year in 1900–2200), else
 * today's year, or the contract's last year when the contract has ended. */
int gov_year(const struct req *req, const struct contract *c, int *year) MUST_CHECK;
/* The years a governance table spans: the contract's period (else the years with meetings or
 * plans), plus extra when outside it; ascending, at most max. */
int gov_years(struct req *req, const struct contract *c, int extra, int *years, int max,
              int *n) MUST_CHECK;
/* A meeting's date as people read it: "28/03/2019 de 14:00 à 16:00", "mars 2017", "2022",
 * "du 19/09/2022 au 25/09/2022"; in the arena. */
const char *gov_when(struct arena *a, const struct meeting *m);
/* A plan entry's or any date of that precision as people read it ("en mars 2025"…). */
const char *gov_date_label(struct arena *a, const char *date, const char *precision);
/* <span class="mstatus ms-KEY">Label</span> of a meeting status. */
void gov_status_badge(struct buf *b, const char *status);
/* Begins a governance page titled title under Contrats › contract › Gouvernance (› middle when
 * middle is not NULL, linked to middle_href). */
void gov_begin(struct req *req, struct res *res, const struct contract *c, const char *title,
               const char *middle, const char *middle_href);
/* One cell of the year-by-year table: "1 tenue sur 1 requise" with its verdict in words. */
void gov_cell_html(struct buf *b, const struct gov_cell *c, bool current);
/* The French words of a body's required rhythm: "au moins 1 par an", "1 à 2 par an", "—". */
const char *gov_required_words(struct arena *a, int min, int max);
/* A 303 redirect to a path built by our code (copied into the arena). */
int gov_redirect(struct req *req, struct res *res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What a page does with the result rc of reading the record it shows: 0 when ERR_OK, else the
 * error page written and its status: 404 titled missing with text explaining it, or 500 saying
 * unreadable. */
int gov_loaded(struct req *req, struct res *res, int rc, const char *missing, const char *text,
               const char *unreadable);
/* The route's body (ids[0]) read for a page; on failure the error page (404, 500) is written and
 * its status returned (0 on success). */
int gov_load_body(struct req *req, struct res *res, struct body *b);
/* The route's meeting (ids[0]) and its contract, read for a page; on failure the error page is
 * written and its status returned (0 on success). */
int gov_load_meeting(struct req *req, struct res *res, struct meeting *m, struct contract *c);
struct invitee;
/* The same, with the meeting's invitees (an array in the arena). */
int gov_load_invitees(struct req *req, struct res *res, struct meeting *m, struct contract *c,
                      struct invitee **vs, int *n);
/* After a creation form's write: a 303 to the path made of fmt and its arguments when rc is
 * ERR_OK, the database error page when rc is a failure other than ERR_INVALID, else 0 (show the
 * form again with its errors). */
int gov_created(struct req *req, struct res *res, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Ends a form page shown again with its errors: its status (422, or 409 on a conflict). */
int gov_refused(struct res *res, int status);
/* The answer to one of a page's small forms (add a member, remove a decision…): the database
 * error page when rc is a failure other than ERR_INVALID or ERR_NOTFOUND (what was to be removed
 * is gone already), else a 303 to page?error=what#anchor (ERR_INVALID) or page?done=what#anchor.
 * page is a path our code built. */
int gov_form_answer(struct req *req, struct res *res, int rc, const char *page, const char *what,
                    const char *anchor);
/* ---- parts of pages only the coordination sees (governance_forms.c, meeting_forms.c) ---- */

/* The body page's forms: add a member, name an elected referent, plan a meeting. */
void body_coordinator_forms(struct req *req, struct res *res, const struct body *body);
struct invitee;
/* The meeting page's invitee forms: remove, invite a person or the body's members, send. */
void meeting_invitee_forms(struct req *req, struct res *res, const struct meeting *m,
                           const struct invitee *vs, int n);
/* The meeting page's form adding a decision linked to actions. */
void meeting_decision_forms(struct req *req, struct res *res, const struct meeting *m);
/* The button removing one decision of the meeting. */
void meeting_decision_remove_button(struct req *req, struct buf *b, const struct meeting *m,
                                    long long decision_id);

/* ---- the governance entries of the audit log (governance_audit.c), listed in routes.c's
 * audit_kinds for "body", "meeting" and "person" ---- */

/* The French name of a governance field ("Présence (personne n° 12)"), in the arena or static;
 * NULL when entity/field is not one of governance's. */
const char *gov_audit_field_label(struct arena *a, const char *entity, const char *field);
/* A governance field's stored value in words (labels of keys, dates the French way); v itself
 * when there is nothing to translate. */
const char *gov_audit_value(struct arena *a, const char *entity, const char *field, const char *v);

/* ---- iCalendar and e-mail (meeting_mail.c) ---- */

struct ical_event;
/* Fills the iCalendar event of a meeting (strings in the request's arena): UID, summary, place
 * or video link, agenda and the page's URL in the description, SEQUENCE, status, organiser.
 * False when the meeting has no known day (month or year precision): it cannot be an event. */
bool gov_ical_event(struct req *req, const struct meeting *m, struct ical_event *e);
/* Answers a calendar of meetings (feed or one meeting) as text/calendar; name is the feed's. */
int gov_ical_answer(struct req *req, struct res *res, const struct meeting *ms, int n,
                    const char *name, const char *filename);

/* What queuing e-mails did (sent: queued in the outbox). */
struct gov_mail_result {
    int sent, failed, no_email;
    const char *error; /* the first failure's reason, NULL when none */
};
/* Queues the meeting's current SEQUENCE (METHOD:REQUEST, .ics attached) for the invitees with
 * an address who have not received it: all of them, or (update) only those invited before;
 * marks them as sent. Call inside a transaction, mailer_wake() after its commit. 0 or a
 * database error (then roll back). */
int gov_send_invitations(struct req *req, const struct meeting *m, bool update,
                         struct gov_mail_result *r) MUST_CHECK;
/* Queues METHOD:CANCEL for every invitee who was sent an invitation; as above. */
int gov_send_cancellation(struct req *req, const struct meeting *m,
                          struct gov_mail_result *r) MUST_CHECK;

#endif
