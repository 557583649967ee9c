/* region_cache.h — the figures of contracts already counted (region.h's struct region_cache),
 * for region.c: a contract's counts are valid while its revision and the current year are those
 * they were counted at. */
#ifndef MODEL_REGION_CACHE_H
#define MODEL_REGION_CACHE_H

#include <stdbool.h>

#include "model/region/region.h"

/* True when the cache holds contract_id's counts at revision in this_year: copied to out.
 * A revision below 0 is never held. */
bool region_cache_get(struct region_cache *cache, long long contract_id, long long revision,
                      int this_year, struct region_counts *out);
/* Keeps a copy of counts (its first n_years years only) for contract_id at revision in this_year,
 * replacing what was kept for it. Does nothing for a revision below 0. */
void region_cache_put(struct region_cache *cache, long long contract_id, long long revision,
                      int this_year, const struct region_counts *counts);

#endif
