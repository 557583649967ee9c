/* gdpr.h — the GDPR rights over the contact records (person): everything held about one as a
 * JSON document for the person concerned, and erasure under a pseudonym with the history kept.
 * account.c uses the same functions for the records tied to an account. */
#ifndef MODEL_GDPR_H
#define MODEL_GDPR_H

#include "base/arena.h"
#include "base/str.h"
#include "store/db.h"
#include "model/core/audit.h"

/* One part of an export: a JSON key and the query (bound to the person's or account's id as
 * ?1) whose rows become its array of objects, named by the query's column names. */
struct gdpr_section {
    const char *key, *sql;
};

/* Appends ,"key":[{…},…] for each section, in order: integers as numbers, the rest as
 * strings. */
int gdpr_json_sections(struct store *db, struct buf *out, long long id,
                       const struct gdpr_section *sections, int n) MUST_CHECK;
/* Everything held about contact record id as one JSON object: the record, its memberships of
 * bodies, the bodies where it is an elected referent, its invitations with their attendance,
 * and the changes made to it. ERR_NOTFOUND when there is no such record. */
int gdpr_person_json(struct store *db, long long id, struct buf *out) MUST_CHECK;
/* The ids of the contact records tied to an account (one per contract at most, usually), in
 * an array of the arena. */
int gdpr_account_people(struct store *db, struct arena *a, long long account_id, long long **ids,
                        int *n) MUST_CHECK;
/* Inside the caller's transaction: the record's name becomes pseudonym, its e-mail and phone are
 * emptied, and so are those values in the audit entries about it (the name there becomes the
 * pseudonym too). Memberships, invitations and attendance stay: the counts do not change. The
 * erasure itself is logged (field "erased"), attributed to who (NULL: the system). */
int gdpr_person_scrub(struct store *db, const struct actor *who, long long id,
                      const char *pseudonym) MUST_CHECK;
/* GDPR erasure of a contact record with no account, in one transaction; its pseudonym is
 * "Contact n°ID" (an account's records are erased with the account, as "Personne n°ID" of the
 * account: see account_erase). ERR_NOTFOUND when there is no such record, ERR_CONFLICT when it
 * is tied to an account. */
int gdpr_person_erase(struct store *db, const struct actor *who, long long id) MUST_CHECK;

#endif
