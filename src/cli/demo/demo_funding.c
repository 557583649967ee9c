/* demo_funding.c — loads the demo contract's financing plan (annex 2 of the evaluation report,
 * dir/budget.csv) as the coordinator would have typed it, keeping the report's totals beside the
 * sums so that the plan page shows where the source does not add up. Demo data only. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/demo/demo_funding.h"
#include "format/data/csv.h"
#include "model/funding/funding.h"
#include "model/sheet/sheet.h"

#define COL(t, row, name) csv_field(row, csv_column(t, name))

/* The extraction's categories as the plan names its lines. */
static const char *line_label(const char *category)
{
    static const struct {
        const char *category, *label;
    } labels[] = {{"salaire brut", "Salaire brut"},
                  {"charges", "Charges"},
                  {"maître d'ouvrage", "Maître d'ouvrage (PETR)"},
                  {"Région", "Région Grand Est"},
                  {"ARS", "ARS Grand Est"}};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (str_eq(labels[i].category, category))
            return labels[i].label;
    return category;
}

static const char *where(struct arena *a, const char *scope, const char *line)
{
    char s[160];
    snprintf(s, sizeof s, "Rapport d'évaluation du CLS 2, %s (ligne %s)",
             str_eq(scope, "year") ? "annexe 2, plan de financement annuel"
                                   : "bilan du poste de coordination, tableau récapitulatif",
             line);
    return arena_strdup(a, s);
}

static int load_row(struct store *db, struct arena *a, const struct csv_table *t,
                    const struct csv_row *r, long long contract_id, char *err, size_t errlen)
{
    const char *scope = COL(t, r, "scope"), *type = COL(t, r, "line_type");
    const char *category = COL(t, r, "category");
    bool total = str_eq(COL(t, r, "is_total"), "true"), income = str_eq(type, "income");
    long long cents = -1, year = 0;
    if (sheet_parse_amount(COL(t, r, "amount"), &cents) != ERR_OK || cents < 0) {
        snprintf(err, errlen, "budget.csv: amount '%s' unreadable", COL(t, r, "amount"));
        return ERR_INVALID;
    }
    const char *ref = where(a, scope, COL(t, r, "source_line"));
    if (!str_eq(scope, "year"))
        return financing_summary_stated(db, contract_id, income, total ? "" : line_label(category),
                                        cents, ref);
    if (str_to_ll(COL(t, r, "year"), 1990, 2100, &year) != ERR_OK) {
        snprintf(err, errlen, "budget.csv: year '%s' unreadable", COL(t, r, "year"));
        return ERR_INVALID;
    }
    int rc = financing_year_ensure(db, contract_id, (int)year, COL(t, r, "period"), ref);
    if (rc != ERR_OK || !total) {
        struct financing_line l = {.year = (int)year,
                                   .income = income,
                                   .amount = cents,
                                   .label = (char *)line_label(category),
                                   .source_ref = (char *)ref};
        return rc != ERR_OK ? rc : financing_line_load(db, contract_id, &l);
    }
    return financing_year_stated(db, contract_id, (int)year, income ? -1 : cents,
                                 income ? cents : -1);
}

int demo_load_funding(struct store *db, struct arena *a, const char *dir, long long contract_id,
                      char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/budget.csv", dir);
    struct csv_table t;
    if (csv_read_file(path, a, &t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    static const char *const need[] = {"year",      "scope",       "period",
                                       "line_type", "category",    "amount",
                                       "is_total",  "source_line", NULL};
    for (int i = 0; need[i]; i++)
        if (csv_column(&t, need[i]) < 0) {
            snprintf(err, errlen, "%s: column '%s' is missing", path, need[i]);
            return ERR_INVALID;
        }
    int rc = ERR_OK;
    for (int i = 1; rc == ERR_OK && i < t.n_rows; i++)
        rc = load_row(db, a, &t, &t.rows[i], contract_id, err, errlen);
    struct financing_plan p;
    if (rc == ERR_OK)
        rc = financing_plan_get(db, a, contract_id, &p);
    for (int i = 0; rc == ERR_OK && i < p.n_years; i++) {
        if (financing_gap(&p.years[i]) != 0)
            continue; /* the page says by how much it does not balance */
        rc = financing_year_load_final(db, contract_id, p.years[i].year);
    }
    return rc;
}
