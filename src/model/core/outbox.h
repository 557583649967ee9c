/* outbox.h — e-mails waiting to be sent: queued inside the transaction of the change that
 * causes them, claimed and sent by the background sender (web/core/mailer.c), retried with an
 * exponential backoff, given up after OUTBOX_MAX_ATTEMPTS. */
#ifndef MODEL_OUTBOX_H
#define MODEL_OUTBOX_H

#include "base/arena.h"
#include "store/db.h"

enum {
    OUTBOX_MAX_ATTEMPTS = 10,
    OUTBOX_FIRST_RETRY_S = 5,  /* then doubling… */
    OUTBOX_MAX_RETRY_S = 3600, /* …up to an hour */
    OUTBOX_LEASE_S = 300,      /* a claimed row is free again after this if its sender died */
    OUTBOX_KEEP_S = 30 * 24 * 3600, /* how long the envelope of a finished message is kept */
};

struct outbox_mail {
    long long id;
    const char *kind;                        /* "reset", "invite", "meeting"… */
    long long account_id, person_id, contract_id; /* 0 when none: what erasure must find */
    const char *to, *subject, *body;         /* UTF-8, body with LF line ends */
    const char *attachment_name, *attachment_type, *attachment; /* NULL name: none */
    const char *list_unsubscribe; /* one-click unsubscribe URL (RFC 8058), NULL: none */
    int attempts;
};

/* Queues a message; call it inside the caller's transaction so that the message exists if and
 * only if the change that causes it is committed. *id may be NULL. */
int outbox_add(struct store *db, const struct outbox_mail *m, long long now,
               long long *id) MUST_CHECK;
/* Claims the oldest message due at now (no other sender gets it for OUTBOX_LEASE_S) and fills
 * *out with strings in the arena: ERR_NOTFOUND when none is due. */
int outbox_claim(struct store *db, struct arena *a, long long now,
                 struct outbox_mail *out) MUST_CHECK;
/* The message went out: its body and attachment are dropped (a reset link must not outlive
 * its sending in the database). */
int outbox_mark_sent(struct store *db, long long id, long long now) MUST_CHECK;
/* The attempt failed with error: retried later with a doubled delay, or given up after
 * OUTBOX_MAX_ATTEMPTS. */
int outbox_mark_failed(struct store *db, long long id, long long now,
                       const char *error) MUST_CHECK;
/* When the next pending message is due (Unix time), or 0 when nothing waits. */
long long outbox_next_due(struct store *db);
/* Forgets messages sent or given up before `before` (their envelopes name people). */
int outbox_purge(struct store *db, long long before) MUST_CHECK;
/* Pending messages (neither sent nor given up). */
int outbox_pending(struct store *db, int *n) MUST_CHECK;

#endif
