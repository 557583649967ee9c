/* demo_report.c — the demo contract's part of the yearly execution reports: the beneficiary
 * block, the ARS conventions and the project lead of each year, read from data/demo/contract.csv
 * (the identification blocks of annex 5), and the narrative texts of each year's report from
 * data/demo/report_texts.csv (tools/demo_report_texts.py). Called once by demo.c's loader inside
 * its transaction; must not be needed by any other contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "model/report/report.h"
#include "format/data/csv.h"
#include "cli/demo/demo.h"

/* "01/01/2019" at s into "2019-01-01"; false when s does not start with such a date. */
static bool fr_date(const char *s, char out[11])
{
    char day[11];
    struct date d;
    snprintf(day, sizeof day, "%.10s", s);
    if (strlen(day) != 10 || day[2] != '/' || day[5] != '/' ||
        date_parse(day, DATE_FULL, &d) != ERR_OK)
        return false;
    date_iso(&d, out);
    return true;
}

/* "NUMBER (période totale 01/01/2019 au 31/12/2021; …); NUMBER (01/01/2022 au …); …": one
 * convention per part, the number before the parenthesis ("[…]": unknown). */
static int load_conventions(struct store *db, long long contract_id, const char *text,
                            char *err, size_t errlen)
{
    char *copy = xstrdup(text);
    int rc = ERR_OK;
    for (char *part = copy; rc == ERR_OK && part && *part;) {
        char *end = strstr(part, ")");
        if (end)
            *end = '\0';
        char *paren = strchr(part, '(');
        if (paren) {
            *paren = '\0';
            char number[128];
            snprintf(number, sizeof number, "%s", part);
            size_t n = strlen(number);
            while (n && number[n - 1] == ' ')
                number[--n] = '\0';
            const char *num = number;
            while (*num == ' ' || *num == ';')
                num++;
            char start[11] = "", stop[11] = "";
            int found = 0;
            for (const char *s = paren + 1; *s && found < 2; s++)
                if (fr_date(s, found ? stop : start)) {
                    found++;
                    s += 9;
                }
            if (found == 2)
                rc = report_convention_add(db, contract_id, *num == '[' ? "" : num, start, stop,
                                           NULL);
        }
        part = end ? end + 1 : NULL;
    }
    free(copy);
    if (rc != ERR_OK)
        snprintf(err, errlen, "contract.csv: conventions not loaded (%s)", store_errmsg(db));
    return rc;
}

/* "2019: Name; 2020-2023: Other - Function": the project lead of each year, as that year's
 * RS_PERSON text; *latest gets the last one named (arena). */
static int load_leads(struct store *db, struct arena *a, long long contract_id, const char *text,
                      const char **latest)
{
    char *copy = arena_strdup(a, text);
    struct actor who = {0, "Rapport d'évaluation du CLS 2 (bilans annuels)"};
    *latest = "";
    for (char *save = NULL, *part = strtok_r(copy, ";", &save); part;
         part = strtok_r(NULL, ";", &save)) {
        int from, to;
        char *colon = strchr(part, ':');
        if (!colon)
            continue;
        const char *name = colon + 1;
        while (*name == ' ')
            name++;
        if (sscanf(part, " %d-%d", &from, &to) != 2) {
            if (sscanf(part, " %d", &from) != 1)
                continue;
            to = from;
        }
        for (int y = from; y <= to && y - from < 50; y++) {
            int rc = report_text_save(db, &who, contract_id, y, RS_PERSON, 0, name, NULL);
            if (rc != ERR_OK)
                return rc;
        }
        *latest = name;
    }
    return ERR_OK;
}

/* The narratives of report_texts.csv (year, section, objective_code, body): an objective code
 * names a specific objective of the contract. A missing file loads nothing. */
static int load_texts(struct store *db, struct arena *a, const char *dir, long long contract_id,
                      char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/report_texts.csv", dir);
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return ERR_OK;
    fclose(probe);
    struct csv_table t;
    if (csv_read_file(path, a, &t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    int cy = csv_column(&t, "year"), cs = csv_column(&t, "section");
    int co = csv_column(&t, "objective_code"), cb = csv_column(&t, "body");
    struct objective *objs;
    int n_objs;
    if (cy < 0 || cs < 0 || co < 0 || cb < 0) {
        snprintf(err, errlen, "%s: a column is missing (year, section, objective_code, body)",
                 path);
        return ERR_INVALID;
    }
    if (objective_list(db, a, contract_id, &objs, &n_objs) != ERR_OK)
        return ERR_DB;
    for (int i = 1; i < t.n_rows; i++) {
        const struct csv_row *r = &t.rows[i];
        long long year;
        int section = report_section_from_key(csv_field(r, cs));
        long long objective = 0;
        for (int k = 0; k < n_objs && *csv_field(r, co); k++)
            if (objs[k].level == OBJ_SPECIFIC && strcmp(objs[k].code, csv_field(r, co)) == 0)
                objective = objs[k].id;
        if (str_to_ll(csv_field(r, cy), 1900, 2200, &year) != ERR_OK || section < 0 ||
            (section == RS_OBJECTIVE) != (objective != 0)) {
            snprintf(err, errlen, "%s line %d: unknown year, section or objective", path,
                     r->line);
            return ERR_INVALID;
        }
        char by[96];
        snprintf(by, sizeof by, "Rapport d'évaluation du CLS 2 (bilan %lld)", year);
        struct actor who = {0, by};
        int rc = report_text_save(db, &who, contract_id, (int)year, (enum report_section)section,
                                  objective, csv_field(r, cb), NULL);
        if (rc != ERR_OK) {
            snprintf(err, errlen, "%s line %d: text not saved", path, r->line);
            return rc;
        }
    }
    return ERR_OK;
}

/* The figures the source report states in its conclusions (source_figures.csv: year, metric,
 * value, share, source), so that the report cites them where the data count differently. */
static int load_source_figures(struct store *db, struct arena *a, const char *dir,
                               long long contract_id, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/source_figures.csv", dir);
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return ERR_OK;
    fclose(probe);
    struct csv_table t;
    if (csv_read_file(path, a, &t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    int cy = csv_column(&t, "year"), cm = csv_column(&t, "metric");
    int cv = csv_column(&t, "value"), cs = csv_column(&t, "share");
    int cr = csv_column(&t, "source");
    if (cy < 0 || cm < 0 || cv < 0 || cs < 0 || cr < 0) {
        snprintf(err, errlen, "%s: a column is missing (year, metric, value, share, source)",
                 path);
        return ERR_INVALID;
    }
    for (int i = 1; i < t.n_rows; i++) {
        const struct csv_row *r = &t.rows[i];
        long long year, value = -1, share = -1;
        const char *v = csv_field(r, cv), *s = csv_field(r, cs);
        if (str_to_ll(csv_field(r, cy), 1900, 2200, &year) != ERR_OK ||
            (*v && str_to_ll(v, 0, 100000, &value) != ERR_OK) ||
            (*s && str_to_ll(s, 0, 100, &share) != ERR_OK)) {
            snprintf(err, errlen, "%s line %d: bad year, value or share", path, r->line);
            return ERR_INVALID;
        }
        struct source_figure f = {csv_field(r, cm), (int)value, (int)share, csv_field(r, cr)};
        if (figures_source_add(db, contract_id, (int)year, &f) != ERR_OK) {
            snprintf(err, errlen, "%s line %d: unknown metric", path, r->line);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

int demo_load_report(struct store *db, struct arena *a, const char *dir, long long contract_id,
                     char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/contract.csv", dir);
    struct csv_table t;
    if (csv_read_file(path, a, &t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    static const char *const cols[] = {"beneficiary_name", "beneficiary_siret",
                                       "beneficiary_address", "beneficiary_phone",
                                       "beneficiary_email", "project_leads", "conventions"};
    int c[7];
    for (int i = 0; i < 7; i++)
        if ((c[i] = csv_column(&t, cols[i])) < 0 || t.n_rows < 2) {
            snprintf(err, errlen, "%s: column '%s' or the contract's row is missing", path,
                     cols[i]);
            return ERR_INVALID;
        }
    const struct csv_row *r = &t.rows[1];
    const char *latest;
    int rc = load_leads(db, a, contract_id, csv_field(r, c[5]), &latest);
    if (rc == ERR_OK) {
        /* The person of the latest years, without the function ("Laura DAUMAS - Chargée…"). */
        struct report_identity id = {
            .beneficiary = (char *)csv_field(r, c[0]),
            .siret = (char *)csv_field(r, c[1]),
            .address = (char *)csv_field(r, c[2]),
            .person_in_charge = (char *)latest,
            .phone = (char *)csv_field(r, c[3]),
            .email = (char *)csv_field(r, c[4]),
        };
        struct actor who = {0, "Chargement de la démonstration"};
        rc = report_identity_save(db, &who, contract_id, &id);
    }
    if (rc == ERR_OK)
        rc = load_conventions(db, contract_id, csv_field(r, c[6]), err, errlen);
    else
        snprintf(err, errlen, "contract.csv: report identification not loaded (%s)",
                 store_errmsg(db));
    if (rc == ERR_OK)
        rc = load_texts(db, a, dir, contract_id, err, errlen);
    if (rc == ERR_OK)
        rc = load_source_figures(db, a, dir, contract_id, err, errlen);
    return rc;
}
