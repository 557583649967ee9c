/* funding.h — what pays for the contract: the coordinator post's yearly financing plan (expense
 * and income lines, a year final only when it balances, the summary over the years), the funding
 * lines of each action by funder and year, and their SCDL subventions rows. Amounts are cents.
 * Every write checks the version loaded, bumps it and is audited; lines are archived, never
 * deleted. Funding calls (Aides-territoires) are in funding_call.h. */
#ifndef MODEL_FUNDING_H
#define MODEL_FUNDING_H
#include <stdbool.h>
#include "base/arena.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"
#include "store/db.h"

/* ---- the coordinator post's financing plan ------------------------------------------------ */

struct financing_line {
    long long id, organisation_id;
    int year, version;
    bool income; /* false: an expense */
    long long amount;
    char *label, *source_ref;
};

struct financing_year {
    int year, version;
    bool final;
    char *period, *source_ref;
    long long expense, income;               /* sums of the lines */
    long long stated_expense, stated_income; /* as the source prints them; -1 when none */
};

/* One line of the summary over the years: label, its sum over the plan's years and the amount
 * the source states (-1 when it states none). */
struct financing_sum {
    bool income;
    char *label; /* "" for the total */
    long long amount, stated;
};

struct financing_plan {
    struct financing_year *years;
    int n_years;
    struct financing_line *lines; /* by year, expenses first, then position */
    int n_lines;
    struct financing_sum *sums; /* expenses then income, total last of each */
    int n_sums;
};

/* The whole plan of a contract (active lines only), arrays in the arena. */
int financing_plan_get(struct store *db, struct arena *a, long long contract_id,
                       struct financing_plan *out) MUST_CHECK;
/* Income minus expenses of a year: 0 when it balances. */
long long financing_gap(const struct financing_year *y);
/* Creates the year of the plan if it is not there (period: "du 01/01/20 au 31/12/20" or ""). */
int financing_year_ensure(struct store *db, long long contract_id, int year, const char *period,
                          const char *source_ref) MUST_CHECK;
/* Sets the totals the source prints for a year (-1: keeps the one already set). */
int financing_year_stated(struct store *db, long long contract_id, int year, long long expense,
                          long long income) MUST_CHECK;
/* Adds a stated line of the summary over the years (label "" for the total). */
int financing_summary_stated(struct store *db, long long contract_id, bool income,
                             const char *label, long long amount,
                             const char *source_ref) MUST_CHECK;
/* For loaders of existing data (the demo, imports of a source document): adds a line, or sets
 * a year final when it balances (ERR_INVALID otherwise), inside the caller's transaction and
 * without audit entries — what was loaded is not a change someone made. */
int financing_line_load(struct store *db, long long contract_id,
                        const struct financing_line *l) MUST_CHECK;
int financing_year_load_final(struct store *db, long long contract_id, int year) MUST_CHECK;
/* Checks a line: label required (200 characters at most), year 1990–2100, amount ≥ 0. */
void financing_line_check(const struct financing_line *l, struct problems *p);
/* Adds a line to a draft year (the year is created if needed); ERR_INVALID with *why when the
 * year is final. */
int financing_line_add(struct store *db, const struct actor *who, long long contract_id,
                       const struct financing_line *l, long long *id, const char **why) MUST_CHECK;
/* One line with its contract (ERR_NOTFOUND when none). */
int financing_line_get(struct store *db, struct arena *a, long long id, long long *contract_id,
                       struct financing_line *out) MUST_CHECK;
/* Changes label and amount of a line still at version, or archives it (archive true);
 * ERR_CONFLICT when stale, ERR_INVALID with *why when its year is final. */
int financing_line_update(struct store *db, const struct actor *who, long long id, int version,
                          const struct financing_line *l, bool archive,
                          const char **why) MUST_CHECK;
/* Marks a year final (or draft again). Final needs expenses = income: ERR_INVALID with *why
 * (French, saying by how much) otherwise; ERR_CONFLICT when the year changed since version. */
int financing_year_set_final(struct store *db, struct arena *a, const struct actor *who,
                             long long contract_id, int year, int version, bool final,
                             const char **why) MUST_CHECK;

/* ---- funding lines of the actions ---------------------------------------------------------- */

struct action_funding {
    long long id, action_id, contract_id;
    int year, version;
    long long asked, granted; /* -1 when unknown */
    char *funder, *funder_siret, *beneficiary, *beneficiary_siret, *decision_date, *decision_ref,
        *purpose, *nature, *payment, *payment_dates;
    char *action_code, *action_title; /* for lists over a contract */
};

/* The active lines of an action, by year then funder. */
int action_funding_list(struct store *db, struct arena *a, long long action_id,
                        struct action_funding **out, int *n) MUST_CHECK;
/* The active lines of every action of a contract, by funder then year. */
int action_funding_of_contract(struct store *db, struct arena *a, long long contract_id,
                               struct action_funding **out, int *n) MUST_CHECK;
int action_funding_get(struct store *db, struct arena *a, long long id,
                       struct action_funding *out) MUST_CHECK;
/* Checks a line: funder and year required, amounts ≥ 0 and granted ≤ 100 000 000 €, SIRETs of
 * 14 digits when given, nature and payment from the SCDL lists, decision date a real date,
 * payment dates "AAAA-MM-JJ" or "AAAA-MM-JJ/AAAA-MM-JJ". */
void action_funding_check(const struct action_funding *f, struct problems *p);
int action_funding_add(struct store *db, const struct actor *who, const struct action_funding *f,
                       long long *id) MUST_CHECK;
/* Saves every field of a line still at version, or archives it. */
int action_funding_update(struct store *db, const struct actor *who, long long id, int version,
                          const struct action_funding *f, bool archive) MUST_CHECK;

/* The SCDL subventions 2.1.1 values the schema lists, in its order. */
extern const char *const funding_scdl_natures[];  /* NULL-terminated */
extern const char *const funding_scdl_payments[]; /* NULL-terminated */
/* Writes the granted lines of a contract as SCDL subventions 2.1.1 CSV (header, comma, CRLF)
 * into b; lines that lack what the schema requires (SIRETs, decision date, payment dates,
 * granted amount) are left out and counted in *skipped. */
struct buf;
int funding_scdl_csv(struct store *db, struct arena *a, long long contract_id, struct buf *b,
                     int *rows, int *skipped) MUST_CHECK;
/* Why a line cannot be exported (French), or NULL when it can. */
const char *funding_scdl_missing(const struct action_funding *f);

/* An amount in cents as the audit log and the SCDL export write it ("1234.50"); "" when negative
 * (unknown). */
const char *funding_cents_text(struct arena *a, long long v);

#endif
