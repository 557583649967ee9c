/* directory.h — the public directory of a contract: the services (dispositifs) with who to call,
 * the card of the organisations that offer them, and the people who agreed to appear publicly
 * with the themes and intercommunalities they are referent for. The vocabularies are those of
 * the data·inclusion schema 1.0.8 (thematiques, publics, modes_accueil) so that the directory
 * exports and imports in that schema (format/data_inclusion.c). */
#ifndef MODEL_DIRECTORY_H
#define MODEL_DIRECTORY_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/area.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

/* One value of a data·inclusion vocabulary and its French label. */
struct vocab {
    const char *value, *label;
};
/* The vocabularies, ended by {NULL, NULL}: thematiques (data·inclusion 1.0.x), publics
 * (with "tous-publics", which stands alone), modes_accueil. */
extern const struct vocab directory_themes[], directory_publics[], directory_modes[];
/* The label of value in v; NULL when value is not one of v's. */
const char *vocab_label(const struct vocab *v, const char *value);

/* A service of a contract. Lists (modes, publics, themes, areas) are space-separated values. */
struct service {
    long long id, contract_id, organisation_id, person_id; /* person_id 0: no contact */
    char *external_id, *name, *description, *phone, *email, *website, *hours, *publics_note;
    char *modes, *publics, *themes, *areas, *updated_on;
    char *organisation_name;
    char *contact_name;  /* the contact's name; "" when none */
    bool contact_public; /* the contact consented to appear publicly (and is not past the
                          * retention date) */
    int version;
};

/* What a form or an import sets on a service. */
struct service_edit {
    const char *external_id, *name, *description, *phone, *email, *website, *hours, *publics_note,
        *modes, *publics, *themes, *areas;
    long long organisation_id, person_id; /* person_id 0: none */
    const char *updated_on;               /* "AAAA-MM-JJ"; NULL or "": today */
};

/* The card of an organisation in the directory (shared between contracts, like the
 * organisation). */
struct organisation_card {
    char *siret, *address, *postcode, *commune, *insee_code, *phone, *email, *website;
    char *description, *updated_on;
};

/* A contact record as the directory shows it. */
struct directory_person {
    long long id, organisation_id;
    char *name, *function, *email, *phone, *organisation_name, *retain_until;
    bool consent;
    char *themes, *epcis; /* referent for: space-separated thematiques / EPCI SIRENs */
    int version;
};

/* The services of a contract, by name; array in the arena. */
int service_list(struct store *db, struct arena *a, long long contract_id, struct service **out,
                 int *n) MUST_CHECK;
/* One service; ERR_NOTFOUND if none. */
int service_get(struct store *db, struct arena *a, long long id, struct service *out) MUST_CHECK;
/* Checks a service of contract_id: name of 3 to 150 characters, a description of 50 to 2000
 * (as data·inclusion asks), known themes, publics and modes, INSEE codes that look like codes,
 * an organisation that exists and a contact of the same contract; problems in French by field. */
void service_check(struct store *db, long long contract_id, const struct service_edit *e,
                   struct problems *p);
/* Adds a service to a contract with its audit rows; *id gets the new id. */
int service_add(struct store *db, const struct actor *who, long long contract_id,
                const struct service_edit *e, long long *id) MUST_CHECK;
/* Saves every field if the service is still at version (ERR_CONFLICT otherwise), audited. */
int service_update(struct store *db, const struct actor *who, long long id, int version,
                   const struct service_edit *e) MUST_CHECK;
/* The service of contract_id imported with external_id; ERR_NOTFOUND if none. */
int service_find_external(struct store *db, long long contract_id, const char *external_id,
                          long long *id) MUST_CHECK;

/* The directory card of an organisation (all "" when never filled). */
int organisation_card_get(struct store *db, struct arena *a, long long id,
                          struct organisation_card *out) MUST_CHECK;
/* Inside the caller's transaction: sets the card, one audit row per changed field. */
int organisation_card_set(struct store *db, const struct actor *who, long long id,
                          const struct organisation_card *c) MUST_CHECK;
/* Checks a card: SIRET of 14 digits, postcode and INSEE code of 5 characters, an e-mail address
 * and an http(s) link that look like ones, lengths; problems in French by field. */
void organisation_card_check(const struct organisation_card *c, struct problems *p);
/* Saves the card if the organisation is still at version (ERR_CONFLICT otherwise), audited in
 * the journal of every contract that shows it. scope as organisation_update: ERR_FORBIDDEN when
 * another contract shows the organisation (only an administrator, scope 0, changes it then);
 * ERR_INVALID when organisation_card_check finds a problem. */
int organisation_card_update(struct store *db, const struct actor *who, long long scope,
                             long long id, int version,
                             const struct organisation_card *c) MUST_CHECK;
/* The organisations offering at least one service of a contract, by name. */
int directory_organisations(struct store *db, struct arena *a, long long contract_id,
                            struct organisation **out, int *n) MUST_CHECK;

/* The people of a contract with their directory fields; only those who may appear publicly
 * when public_only (consent given, retention date not past), by name. */
int directory_people(struct store *db, struct arena *a, long long contract_id, bool public_only,
                     struct directory_person **out, int *n) MUST_CHECK;
/* One person with directory fields; ERR_NOTFOUND if none. */
int directory_person_get(struct store *db, struct arena *a, long long id,
                         struct directory_person *out) MUST_CHECK;
/* Sets a person's consent, retention date ("AAAA-MM-JJ" or "") and referent themes and EPCIs
 * (space-separated) if the record is still at version; ERR_CONFLICT otherwise, ERR_INVALID for
 * an unknown theme or an EPCI that is not one of the contract's territory. Audited. */
int directory_person_set(struct store *db, const struct actor *who, long long id, int version,
                         bool consent, const char *retain_until, const char *themes,
                         const char *epcis) MUST_CHECK;

/* True when the space-separated list contains word. */
bool directory_list_has(const char *list, const char *word);
/* True when a service with areas (space-separated codes; "" = the whole territory) is open to
 * the people of the EPCI epci (SIREN), given the territory's areas. */
bool directory_area_covers(const char *areas, const char *epci, const struct area *all, int n);

#endif
