/* contract.h — territories, contracts and their signatories. */
#ifndef MODEL_CONTRACT_H
#define MODEL_CONTRACT_H

#include "base/arena.h"
#include "store/db.h"

struct territory {
    long long id;
    char *name, *kind, *members;
};

struct contract {
    long long id;
    struct territory territory;
    char *slug, *title, *short_title, *signed_on, *status;
    int generation, start_year, end_year; /* 0 when unknown */
    int reporting_year;                   /* chosen by the coordination, 0: computed (figures.h) */
    char *general_objective;              /* title of the general objective, "" if none */
};

struct signatory {
    long long id, organisation_id; /* organisation_id 0 when not in the directory */
    char *institution, *representative_name, *representative_title, *represented_by;
    char *signed_on, *note;
    char *source_ref; /* where it was taken from, "" when entered here */
};

/* All contracts, by territory then generation; arrays in the arena. */
int contract_list(struct store *db, struct arena *a, struct contract **out, int *n) MUST_CHECK;
/* One contract; ERR_NOTFOUND when there is none with that id. */
int contract_get(struct store *db, struct arena *a, long long id, struct contract *out) MUST_CHECK;
/* Signatories in the order of the signature block. */
int contract_signatories(struct store *db, struct arena *a, long long contract_id,
                         struct signatory **out, int *n) MUST_CHECK;
/* Years with at least one recorded status, ascending, at most max of them; *n gets the count. */
int contract_status_years(struct store *db, long long contract_id, int *years, int max,
                          int *n) MUST_CHECK;
/* The contract whose slug is slug; ERR_NOTFOUND if none. */
int contract_find_slug(struct store *db, const char *slug, long long *id) MUST_CHECK;

/* Returns the id of the territory called name, creating it if needed. */
int territory_ensure(struct store *db, const char *name, const char *kind, const char *members,
                     long long *id) MUST_CHECK;
/* Inserts a contract (id ignored, territory.id used); *id gets the new id. */
int contract_create(struct store *db, const struct contract *c, long long *id) MUST_CHECK;
/* Appends a signatory to a contract's signature block. */
int signatory_add(struct store *db, long long contract_id, const struct signatory *s,
                  int position) MUST_CHECK;

#endif
