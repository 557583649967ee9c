/* campaign.h — yearly update campaigns: the coordination opens year Y of a contract with a
 * deadline, each carrier contact gets a personal link (a random token kept only as a digest)
 * exchanged for a short session limited to its organisation's actions; reminders; the reporting
 * rate (answered / actions that exist that year, figures.h's rule) overall, by carrier and by
 * axis, on time or late; closing freezes the year (later statuses are audited corrections). */
#ifndef MODEL_CAMPAIGN_H
#define MODEL_CAMPAIGN_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/plan/action.h"
#include "model/core/audit.h"
#include "model/core/outbox.h"

enum {
    CAMPAIGN_TOKEN_LEN = 22,             /* base64url characters: 132 random bits */
    CAMPAIGN_SESSION_S = 2 * 3600,       /* a session lasts two hours, never past the close */
    CAMPAIGN_REMIND_EARLY_S = 7 * 86400, /* scheduled reminders: 7 days… */
    CAMPAIGN_REMIND_LATE_S = 86400,      /* …and 1 day before the deadline */
};

struct campaign {
    long long id, contract_id;
    int year;
    char *deadline, *state, *opened_by; /* deadline "AAAA-MM-JJ"; state "open" or "closed" */
    long long deadline_at, opened_at, closed_at; /* Unix times; closed_at 0 while open */
    int links;                                   /* personal links sent */
};

/* A carrier contact: a person of the contract's directory with an e-mail address whose
 * organisation carries or co-carries at least one of the contract's non-archived actions. */
struct campaign_contact {
    long long link_id, person_id, organisation_id;
    const char *name, *email, *organisation;
    int reminders;  /* reminders sent to this link */
    int unanswered; /* the organisation's actions still without an answer */
};

/* Writes the mail of a link into *out (kind "campaign"; strings must outlive the call: the
 * caller's arena). kind: "open" (the first mail) or "reminder". Non-zero refuses the change. */
typedef int (*campaign_mail_fn)(void *ctx, const struct campaign *c,
                                const struct campaign_contact *to, const char *token,
                                const char *kind, struct outbox_mail *out);

/* The campaigns of a contract, newest year first; array in the arena. */
int campaign_list(struct store *db, struct arena *a, long long contract_id, struct campaign **out,
                  int *n) MUST_CHECK;
/* One campaign; ERR_NOTFOUND if none. */
int campaign_get(struct store *db, struct arena *a, long long id, struct campaign *out) MUST_CHECK;
/* The carrier contacts of a contract, by organisation then name; array in the arena. */
int campaign_contacts(struct store *db, struct arena *a, long long contract_id,
                      struct campaign_contact **out, int *n) MUST_CHECK;
/* The links of a campaign with what each organisation still lacks; array in the arena. */
int campaign_links(struct store *db, struct arena *a, long long campaign_id,
                   struct campaign_contact **out, int *n) MUST_CHECK;

/* Opens year's campaign with its deadline ("AAAA-MM-JJ", not before today) and queues one mail
 * per carrier contact, all in one transaction: the campaign exists iff its mails are queued.
 * ERR_INVALID (*why says what in French), ERR_CONFLICT when that year already has one. */
int campaign_open(struct store *db, const struct actor *who, long long contract_id, int year,
                  const char *deadline, long long now, campaign_mail_fn mail, void *ctx,
                  long long *id, const char **why) MUST_CHECK;
/* Closes a campaign: its links and sessions stop working, later statuses of its year are
 * corrections (migration 012's trigger). ERR_INVALID when already closed. */
int campaign_close(struct store *db, const struct actor *who, long long id,
                   long long now) MUST_CHECK;
/* Queues a reminder (a fresh token) to every link whose organisation still has actions without
 * an answer; *sent counts them. ERR_INVALID when the campaign is closed. */
int campaign_remind(struct store *db, long long id, long long now, campaign_mail_fn mail,
                    void *ctx, int *sent) MUST_CHECK;
/* Sends the scheduled reminders that are due (7 days and 1 day before the deadline of every
 * open campaign, each once); *sent counts the mails. */
int campaign_remind_due(struct store *db, long long now, campaign_mail_fn mail, void *ctx,
                        int *sent) MUST_CHECK;

/* What a personal link's session may see: its campaign, contact and organisation. */
struct campaign_visit {
    struct campaign campaign;
    long long link_id, organisation_id;
    char *name, *organisation;
};
/* Exchanges a link's token for a session token (out, NUL-terminated, SECRET_TOKEN_LEN + 1).
 * ERR_NOTFOUND for an unknown token; *closed true when it belonged to a closed campaign. */
int campaign_link_use(struct store *db, const char *token, long long now, char *session,
                      bool *closed) MUST_CHECK;
/* The visit of a session token; ERR_NOTFOUND when unknown or expired, *closed as above. */
int campaign_session_find(struct store *db, struct arena *a, const char *session, long long now,
                          struct campaign_visit *out, bool *closed) MUST_CHECK;
/* The actions the visit may update, with their status for the campaign's year. */
int campaign_visit_actions(struct store *db, struct arena *a, const struct campaign_visit *v,
                           struct carried_action **out, int *n) MUST_CHECK;
/* ERR_OK when the visit's organisation carries (or co-carries) that non-archived action of the
 * campaign's contract, ERR_FORBIDDEN when not. */
int campaign_may_answer(struct store *db, const struct campaign_visit *v,
                        long long action_id) MUST_CHECK;
/* The value of one of the action's indicators for the campaign's year. */
struct campaign_value {
    long long indicator_id;
    double value;
};
/* Records the status and remarks of one of the visit's actions through action_status_add and
 * the values of its indicators for the year through indicator_value_add (the journal names the
 * contact), in one transaction, and notes the answer's time. ERR_FORBIDDEN when the
 * organisation does not carry that action or an indicator is not one of the action's active
 * ones, ERR_INVALID for a bad status or text. */
int campaign_answer(struct store *db, const struct campaign_visit *v, long long action_id,
                    enum status status, const char *remarks, const struct campaign_value *values,
                    int n_values, long long now) MUST_CHECK;

/* A reporting rate: actions answered during the campaign among those that exist that year. */
struct campaign_tally {
    long long id; /* organisation or objective id; 0: none */
    char *label;  /* "" for the overall tally */
    int total, answered, on_time, late;
};
struct campaign_rate {
    struct campaign_tally overall;
    struct campaign_tally *carriers, *axes; /* by lead carrier and by axis, in contract order */
    int n_carriers, n_axes;
};
/* The live rate of a campaign; arrays in the arena. An action counts when it exists in the
 * campaign's year (figures_exists_in); it is answered when a status of that year was recorded
 * between the opening and the close (any channel) or its carrier answered through a link; on
 * time when its first answer came by the end of the deadline day. */
int campaign_rate(struct store *db, struct arena *a, long long id,
                  struct campaign_rate *out) MUST_CHECK;

#endif
