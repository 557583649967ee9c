/* demo_communication.c — loads the demo contract's communication plan (annex 3 of the report,
 * data/demo/communication_plan.csv) with the yearly targets its indicators state and what the
 * report says was done, dated. Must not guess: an undated achievement is not recorded. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/demo/demo.h"
#include "format/data/csv.h"
#include "model/communication/communication.h"

/* The yearly targets the plan's indicators state in words, by plan row. */
static const struct {
    int row, per_year, from;
    bool newsletters;
} targets[] = {
    {5, 1, 0, true},     /* « Au moins une newsletter par an » */
    {7, 1, 2020, false}, /* « au moins 1 par an à compter de 2020 » */
};

/* What the report dates (its text lines as source). The report also says « 6 lettres […]
 * ont été publiées » without dates: only the dated ones are here. */
static const struct {
    int row, year, count;
    const char *note;
} done[] = {
    {2, 2019, 4,
     "Présentation du CLS dans les assemblées des 4 CC (19/03, 04/04, 23/05, 25/06) — rapport, "
     "ligne 409"},
    {7, 2019, 1, "Article sur le CLS dans les journaux des CC — rapport, ligne 412"},
    {5, 2020, 1,
     "Première newsletter du CLS, diffusée en juin 2020 (« une deuxième aurait dû paraître en "
     "fin d'année ») — rapport, ligne 1188"},
    {5, 2022, 2,
     "Lettre du CLS « Année 2022_2 » (annexe 4, ligne 855), la deuxième de 2022 ; envoi du "
     "22/08/2022 — rapport, lignes 855 et 2036"},
};

#define COL(t, row, name) csv_field(row, csv_column(t, name))

static const char *source_of(struct arena *a, const char *version, const char *lines)
{
    struct buf b = {0};
    buf_printf(&b, "Rapport d'évaluation du CLS 2, annexe 3 (plan du %s", version);
    if (*lines) {
        buf_printf(&b, ", %s ", strchr(lines, ';') ? "lignes" : "ligne");
        for (const char *p = lines; *p; p++)
            if (*p == ';')
                buf_puts(&b, ", ");
            else
                buf_putc(&b, *p);
    }
    buf_putc(&b, ')');
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int row_number(const char *s)
{
    long long v = 0;
    return str_to_ll(s, 1, 1000, &v) == ERR_OK ? (int)v : 0;
}

int demo_load_communication(struct store *db, struct arena *a, const char *dir,
                            long long contract_id, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/communication_plan.csv", dir);
    struct csv_table t;
    if (csv_read_file(path, a, &t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    static const char *const cols[] = {"row",           "objective",    "support",
                                       "target_public", "message",      "strategy",
                                       "resources",     "schedule",     "evaluation_indicator",
                                       "plan_version",  "source_lines", NULL};
    for (const char *const *c = cols; *c; c++)
        if (csv_column(&t, *c) < 0) {
            snprintf(err, errlen, "%s: column '%s' is missing", path, *c);
            return ERR_INVALID;
        }
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        int row = row_number(COL(&t, r, "row"));
        if (!row) {
            snprintf(err, errlen, "%s, ligne %d : colonne row, nombre attendu", path, i + 1);
            return ERR_INVALID;
        }
        struct comm_item_new x = {
            .objective = COL(&t, r, "objective"),
            .support = COL(&t, r, "support"),
            .target_public = COL(&t, r, "target_public"),
            .message = COL(&t, r, "message"),
            .strategy = COL(&t, r, "strategy"),
            .resources = COL(&t, r, "resources"),
            .schedule = COL(&t, r, "schedule"),
            .indicator = COL(&t, r, "evaluation_indicator"),
            .plan_version = COL(&t, r, "plan_version"),
            .source = source_of(a, COL(&t, r, "plan_version"), COL(&t, r, "source_lines")),
        };
        for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++)
            if (targets[k].row == row) {
                x.target_per_year = targets[k].per_year;
                x.target_from = targets[k].from;
                x.counts_newsletters = targets[k].newsletters;
            }
        long long id = 0;
        int rc = comm_add(db, NULL, contract_id, &x, &id);
        for (size_t k = 0; rc == ERR_OK && k < sizeof done / sizeof done[0]; k++)
            if (done[k].row == row)
                rc = comm_record(db, NULL, id, done[k].year, done[k].count, done[k].note, 0);
        if (rc != ERR_OK) {
            snprintf(err, errlen, "%s, ligne %d : non enregistrée", path, i + 1);
            return rc;
        }
    }
    return ERR_OK;
}
