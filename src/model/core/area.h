/* area.h — the communes and intercommunalities a territory is made of, with their INSEE codes
 * (SIREN for an intercommunality), as the CSV files of data/territories/ give them. */
#ifndef MODEL_AREA_H
#define MODEL_AREA_H

#include "base/arena.h"
#include "store/db.h"
#include "model/core/contract.h"

/* One part of a territory. kind "epci" (code: SIREN) or "commune" (code: INSEE code; epci_code:
 * the SIREN of its intercommunality). population: municipal population, 0 when unknown. */
struct area {
    char *kind, *code, *name, *epci_code;
    long long population;
};

/* The areas of a territory: each intercommunality followed by its communes, in file order.
 * Array in the arena. */
int area_list(struct store *db, struct arena *a, long long territory_id, struct area **out,
              int *n) MUST_CHECK;
/* One territory (name, kind, members as written); ERR_NOTFOUND when there is none with id. */
int area_territory(struct store *db, struct arena *a, long long id,
                   struct territory *out) MUST_CHECK;
/* Adds (or replaces) an area of a territory inside the caller's transaction (loading a data
 * file); position orders the list. ERR_INVALID for an unknown kind or an empty code or name. */
int area_put(struct store *db, long long territory_id, const struct area *x,
             int position) MUST_CHECK;

#endif
