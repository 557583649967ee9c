/* region.h — the regional view of an ARS: the contracts of a region side by side, with the
 * figures each contract's own pages show (status figures per year by figures.h's one counting
 * rule, indicators against their targets, governance meetings held against those required,
 * the reporting rate of the latest campaign), read for all the region's contracts at once: a
 * handful of queries grouped by contract, never one query per contract. */
#ifndef MODEL_REGION_H
#define MODEL_REGION_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/plan/figures.h"

enum { REGION_MAX_YEARS = 64 };

/* A region (INSEE code) and how many contracts its territories hold. */
struct region {
    long long code;
    char *name;
    int contracts;
};

/* A department of a region. */
struct department {
    char *code, *name;
};

/* Which contracts of a region: department "" and generation 0 mean all. */
struct region_filter {
    long long region;
    const char *department;
    int generation;
};

/* The figures of one contract: what is read from its actions and their statuses, indicators,
 * bodies, meetings and campaigns (region_cache keeps them between loads). */
struct region_counts {
    /* Active indicators, those with a target, and of those how many reach it (latest value,
     * the final evaluation's rule: indicator_reached) or have no value yet. */
    int indicators, with_target, reached, unmeasured;
    /* Governance (governance_summary's rule): required meetings from gov_first to gov_last
     * (0 when no year) and how many were held, each body-year counting at most its minimum. */
    int gov_required, gov_held, gov_first, gov_last, bodies;
    /* The latest campaign (highest year; campaign_id 0 when none) and its reporting rate
     * (campaign_rate's overall tally: answered among the actions existing that year). */
    long long campaign_id;
    int campaign_year, campaign_total, campaign_answered;
    bool campaign_closed;
    /* Status figures of each year the contract has statuses in (the dashboard's years); the
     * two arrays come last, so a cache keeps only their first n_years. */
    int n_years;
    int years[REGION_MAX_YEARS];
    struct year_figures figures[REGION_MAX_YEARS];
};

/* One contract and its figures. */
struct region_contract {
    long long id, general_objective_id; /* general objective 0 when none */
    char *title, *short_title, *status, *territory, *department, *department_name;
    int generation, start_year, end_year; /* 0 when unknown */
    /* Moved by every write to what counts is read from (migration 021's triggers); -1 when the
     * contract has none, which no cache trusts. */
    long long revision;
    struct region_counts counts;
};

struct region_summary {
    struct region region;
    struct region_contract *contracts; /* by department, territory, generation */
    int n;
    struct department *departments; /* of the region, by code */
    int n_departments;
    int generations[16], n_generations; /* of the region's contracts, ascending */
    int recounted; /* contracts whose figures this load read from the database */
};

/* The figures of contracts already read, by contract, revision and current year, shared by the
 * requests of a process (thread-safe): a load reads again only the contracts written since. */
struct region_cache;
struct region_cache *region_cache_new(void);
void region_cache_free(struct region_cache *cache);

/* The regions, by code, with their number of contracts; only_code > 0 keeps that one region.
 * Array in the arena. */
int region_list(struct store *db, struct arena *a, long long only_code, struct region **out,
                int *n) MUST_CHECK;
/* The region of f->region with its contracts kept by f and their figures; this_year is the
 * current year (governance counts the years up to it). With a cache (may be NULL), the figures
 * of a contract unchanged since it was read come from it, and those read go into it.
 * ERR_NOTFOUND: no such region; ERR_INVALID: f->department is not a department of the region.
 * Everything in the arena. */
int region_summary_load(struct store *db, struct arena *a, const struct region_filter *f,
                        int this_year, struct region_cache *cache,
                        struct region_summary *out) MUST_CHECK;
/* The region of a contract's territory (0 when its department is unknown). */
int region_of_contract(struct store *db, long long contract_id, long long *region) MUST_CHECK;
/* Sets the department of a territory (INSEE code; NULL or "" clears it). ERR_INVALID: unknown
 * department. */
int region_set_department(struct store *db, long long territory_id,
                          const char *department) MUST_CHECK;
/* Sets (region_code > 0) or removes (0) the region an account reads. ERR_INVALID: unknown
 * region. */
int region_set_account(struct store *db, long long account_id, long long region_code) MUST_CHECK;
/* Creates an ARS officer's account: role signatory, tied to no contract (so it reads nothing
 * private of any contract) and reading region_code, in one transaction; created_at
 * "AAAA-MM-JJTHH:MM:SSZ". ERR_CONFLICT: the e-mail is taken; ERR_INVALID: unknown region. */
int region_account_create(struct store *db, const char *email, const char *name,
                          const char *password_hash, const char *created_at, long long region_code,
                          long long *id) MUST_CHECK;

#endif
