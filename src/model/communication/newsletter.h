/* newsletter.h — a contract's newsletter (lettre du CLS): numbered issues written in Markdown,
 * subscribers with their consent, sending through the outbox with one personal unsubscribe
 * token per mail, and what the composer proposes (recent statuses of actions). */
#ifndef MODEL_NEWSLETTER_H
#define MODEL_NEWSLETTER_H

#include <stdbool.h>

#include "base/arena.h"
#include "model/core/audit.h"
#include "model/core/outbox.h"
#include "store/db.h"

struct newsletter {
    long long id, contract_id;
    int number, version, recipients, sent_year;
    char *title, *body, *state;    /* state "draft" or "sent" */
    long long created_at, sent_at; /* sent_at 0 while a draft */
};

struct subscriber {
    long long id, contract_id;
    char *email, *consent_text;
    long long consent_at, unsubscribed_at; /* 0: still subscribed */
};

/* An action whose status of the year the composer may highlight. */
struct newsletter_highlight {
    long long action_id;
    char *code, *title, *status, *remarks; /* status: glossary key */
};

/* The issues of a contract, newest number first (sent_only: the archive); array in the arena. */
int newsletter_list(struct store *db, struct arena *a, long long contract_id, bool sent_only,
                    struct newsletter **out, int *n) MUST_CHECK;
/* One issue by id, or by its number in a contract; ERR_NOTFOUND when none. */
int newsletter_get(struct store *db, struct arena *a, long long id,
                   struct newsletter *out) MUST_CHECK;
int newsletter_by_number(struct store *db, struct arena *a, long long contract_id, int number,
                         struct newsletter *out) MUST_CHECK;
/* A new draft numbered after the contract's last issue; audited. */
int newsletter_create(struct store *db, const struct actor *who, long long contract_id,
                      const char *title, const char *body, long long now,
                      long long *id) MUST_CHECK;
/* Saves a draft's title and body: ERR_CONFLICT when version is not the current one,
 * ERR_INVALID when the issue was sent (a sent issue is frozen); audited. */
int newsletter_update(struct store *db, const struct actor *who, long long id, int version,
                      const char *title, const char *body) MUST_CHECK;

/* Writes the mail of an issue to one subscriber: subject and body in the caller's memory (the
 * unsubscribe_url carries the personal token); returns 0 or a negative enum err. */
typedef int newsletter_mail_fn(void *ctx, const struct newsletter *issue, const char *to,
                               const char *unsubscribe_url, struct outbox_mail *out);
/* Sends an issue: in one transaction, one outbox mail per current subscriber with a new
 * personal token (base_url "/newsletter/unsubscribe?token=…"), the issue frozen as sent in year
 * with its number of recipients. ERR_CONFLICT on a stale version, ERR_INVALID when already sent
 * or when there is no subscriber. */
int newsletter_send(struct store *db, const struct actor *who, long long id, int version,
                    const char *base_url, long long now, int year, newsletter_mail_fn *mail,
                    void *ctx, int *recipients) MUST_CHECK;

/* The subscribers of a contract by address; array in the arena. */
int subscriber_list(struct store *db, struct arena *a, long long contract_id,
                    struct subscriber **out, int *n) MUST_CHECK;
/* How many receive the next issue. */
int subscriber_active_count(struct store *db, long long contract_id, int *n) MUST_CHECK;
/* Subscribes email (already checked, lower-cased by the caller) with the consent text agreed
 * to; one who had unsubscribed subscribes again with this consent. ERR_CONFLICT when already
 * subscribed; audited. */
int subscriber_add(struct store *db, const struct actor *who, long long contract_id,
                   const char *email, const char *consent_text, long long now) MUST_CHECK;
/* Erases a subscriber of a contract (GDPR): its row, deliveries and queued mails go; ERR_NOTFOUND when the
 * subscriber is not the contract's. */
int subscriber_erase(struct store *db, const struct actor *who, long long contract_id,
                     long long id) MUST_CHECK;

/* What a personal unsubscribe token points at: the subscriber's address (arena), contract and
 * whether it is already unsubscribed. ERR_NOTFOUND for an unknown token. */
int newsletter_token(struct store *db, struct arena *a, const char *token, char **email,
                     long long *contract_id, bool *already) MUST_CHECK;
/* Unsubscribes the token's subscriber: *already true when it had been done before (nothing
 * changes then). ERR_NOTFOUND for an unknown token. */
int newsletter_unsubscribe(struct store *db, const char *token, long long now,
                           bool *already) MUST_CHECK;

/* The actions of a contract whose latest status of year is done or in progress, with that
 * status's remarks, by code; array in the arena. */
int newsletter_highlights(struct store *db, struct arena *a, long long contract_id, int year,
                          struct newsletter_highlight **out, int *n) MUST_CHECK;

#endif
