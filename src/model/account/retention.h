/* retention.h — the directory's retention dates enforced: once the date kept for a person has
 * passed, the record is erased as a GDPR erasure does (or, tied to an account, taken out of the
 * directory), by the mailer's minute tick or `boussole directory purge`. */
#ifndef MODEL_ACCOUNT_RETENTION_H
#define MODEL_ACCOUNT_RETENTION_H

#include <stdbool.h>

#include "base/arena.h"
#include "model/core/audit.h"
#include "store/db.h"

/* A contact record whose retention date is past. */
struct expired_person {
    long long id, contract_id, account_id; /* account_id 0: a contact without an account */
    char *name, *contract_name, *retain_until;
};

/* The journal's author of what the purge does. */
extern const struct actor retention_actor;

/* The records whose retain_until ("AAAA-MM-JJ") is before the day of now (UTC), by contract
 * then name. */
int retention_expired(struct store *db, struct arena *a, long long now,
                      struct expired_person **out, int *n) MUST_CHECK;
/* Purges one of them: a contact without an account is erased as gdpr_person_erase does
 * (pseudonym, consent, referent seats, service contacts, journal values; the erasure journaled
 * by retention_actor); a record tied to an account loses only its directory presence (consent,
 * retention date, seats, service contacts), its account being erased with account_erase. */
int retention_purge_one(struct store *db, const struct expired_person *p) MUST_CHECK;
/* The mailer's tick: purges every record past its date; the number purged, or a negative
 * error. */
int retention_purge_tick(struct store *db, long long now);

#endif
