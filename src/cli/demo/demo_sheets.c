/* demo_sheets.c — fills the demo contract's action sheets with what its evaluation report gives,
 * and nothing else: the territory's communes and intercommunalities with their INSEE codes, the
 * coordinator's FTE, dates, places and publics stated in the yearly reports (annex 5), and the
 * figures they give as indicator values. Unknown stays empty (and shows in the list of sheets
 * missing something). Must not be needed by any other contract. */
#include "cli/demo/demo_sheets.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "model/core/area.h"
#include "model/core/contract.h"
#include "model/sheet/indicator.h"
#include "model/sheet/sheet.h"
#include "format/data/csv.h"

/* The demo's territory file, relative to the demo folder. */
#define TERRITORY_FILE "/../territories/petr-coeur-de-lorraine.csv"
#define SOURCE "Rapport d'évaluation du CLS 2 (annexe 5)"

struct ctx {
    struct store *db;
    struct arena *a;
    const char *dir;
    long long contract_id;
    char *err;
    size_t errlen;
};

static int read_table(struct ctx *c, const char *name, struct csv_table *t,
                      const char *const *columns)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", c->dir, name);
    if (csv_read_file(path, c->a, t, c->err, c->errlen) != ERR_OK)
        return ERR_INVALID;
    for (; *columns; columns++)
        if (csv_column(t, *columns) < 0) {
            snprintf(c->err, c->errlen, "%s: column '%s' is missing", path, *columns);
            return ERR_INVALID;
        }
    return ERR_OK;
}

#define COL(t, row, name) csv_field(row, csv_column(t, name))

static int fail(struct ctx *c, const char *file, int line, const char *what)
{
    snprintf(c->err, c->errlen, "%s line %d: %s", file, line, what);
    return ERR_INVALID;
}

static int load_areas(struct ctx *c, long long territory_id)
{
    static const char *const cols[] = {"kind", "code", "name", "epci_code", "population", NULL};
    struct csv_table t;
    if (read_table(c, TERRITORY_FILE, &t, cols) != ERR_OK)
        return ERR_INVALID;
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        long long population = 0;
        if (str_to_ll(COL(&t, r, "population"), 0, 100000000, &population) != ERR_OK)
            population = 0;
        struct area x = {
            .kind = (char *)COL(&t, r, "kind"),
            .code = (char *)COL(&t, r, "code"),
            .name = (char *)COL(&t, r, "name"),
            .epci_code = (char *)COL(&t, r, "epci_code"),
            .population = population,
        };
        int rc = area_put(c->db, territory_id, &x, i);
        if (rc == ERR_INVALID)
            return fail(c, "territories/petr-coeur-de-lorraine.csv", r->line, "bad area");
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

static int load_workload(struct ctx *c)
{
    static const char *const cols[] = {"coordinator_fte", NULL};
    struct csv_table t;
    if (read_table(c, "/contract.csv", &t, cols) != ERR_OK)
        return ERR_INVALID;
    double fte = 0;
    bool has = false;
    if (t.n_rows < 2 ||
        indicator_parse_number(COL(&t, &t.rows[1], "coordinator_fte"), &fte, &has) != ERR_OK)
        return fail(c, "contract.csv", 2, "coordinator_fte is not a number");
    /* The threshold is the product's default, a setting: the report gives none. */
    struct workload w;
    int rc = sheet_workload(c->db, c->contract_id, &w);
    return rc == ERR_OK ? sheet_workload_import(c->db, c->contract_id, has ? fte : 0,
                                                w.threshold)
                        : rc;
}

/* Splits a ";"-separated cell into at most max trimmed items (in the arena). */
static int split(struct arena *a, const char *cell, const char **out, int max)
{
    int n = 0;
    while (*cell && n < max) {
        size_t len = strcspn(cell, ";");
        char *item = arena_strndup(a, cell, len);
        if (!str_blank(item))
            out[n++] = item;
        cell += len + (cell[len] == ';');
    }
    return n;
}

static int load_sheets(struct ctx *c, long long territory_id)
{
    static const char *const cols[] = {"action_id",    "planned_start",   "planned_end",
                                       "actual_start", "actual_end",      "whole_territory",
                                       "areas",        "population_groups", "rhythm", NULL};
    struct csv_table t;
    if (read_table(c, "/sheets.csv", &t, cols) != ERR_OK)
        return ERR_INVALID;
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        long long id;
        int rc = sheet_action_by_slug(c->db, c->contract_id, COL(&t, r, "action_id"), &id);
        if (rc == ERR_NOTFOUND)
            return fail(c, "sheets.csv", r->line, "unknown action");
        struct sheet *s = arena_alloc(c->a, sizeof *s);
        if (rc == ERR_OK)
            rc = sheet_get(c->db, c->a, id, s);
        if (rc != ERR_OK)
            return rc;
        s->planned_start = COL(&t, r, "planned_start");
        s->planned_end = COL(&t, r, "planned_end");
        s->actual_start = COL(&t, r, "actual_start");
        s->actual_end = COL(&t, r, "actual_end");
        s->whole_territory = str_eq(COL(&t, r, "whole_territory"), "1");
        s->rhythm = COL(&t, r, "rhythm");
        s->n_areas = split(c->a, COL(&t, r, "areas"), s->areas, SHEET_MAX_AREAS);
        for (int l = 0; l < SHEET_CHOICE_LISTS; l++)
            if (str_eq(sheet_choice_lists[l]->name, "population_groups"))
                s->n_choices[l] = split(c->a, COL(&t, r, "population_groups"), s->choices[l],
                                        SHEET_MAX_CHOICES);
        struct problems p = {0};
        sheet_check(c->db, territory_id, s, &p);
        if (p.n) {
            char what[256];
            snprintf(what, sizeof what, "%s: %s", p.field[0], p.message[0]);
            return fail(c, "sheets.csv", r->line, what);
        }
        if ((rc = sheet_import(c->db, id, s)) != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

static int load_indicators(struct ctx *c)
{
    static const char *const cols[] = {"action_id", "name",   "kind",    "unit", "period",
                                       "value",     "source", "comment", NULL};
    struct csv_table t;
    if (read_table(c, "/indicators.csv", &t, cols) != ERR_OK)
        return ERR_INVALID;
    long long *ids = arena_alloc(c->a, sizeof *ids * (size_t)(t.n_rows + 1));
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        long long action_id;
        int rc = sheet_action_by_slug(c->db, c->contract_id, COL(&t, r, "action_id"),
                                      &action_id);
        if (rc == ERR_NOTFOUND)
            return fail(c, "indicators.csv", r->line, "unknown action");
        if (rc != ERR_OK)
            return rc;
        /* Rows of the same action and name are values of one indicator. */
        ids[i] = 0;
        for (int k = 1; k < i; k++)
            if (str_eq(COL(&t, &t.rows[k], "action_id"), COL(&t, r, "action_id")) &&
                str_eq(COL(&t, &t.rows[k], "name"), COL(&t, r, "name")))
                ids[i] = ids[k];
        struct indicator_edit e = {
            .name = COL(&t, r, "name"),
            .kind = COL(&t, r, "kind"),
            .unit = COL(&t, r, "unit"),
            .method = "",
            .collected_by = "",
            .frequency = "",
        };
        struct problems p = {0};
        indicator_check(&e, &p);
        if (p.n)
            return fail(c, "indicators.csv", r->line, p.message[0]);
        if (!ids[i] &&
            (rc = indicator_create(c->db, c->contract_id, action_id, 0, &e, &ids[i])) != ERR_OK)
            return rc;
        char period[11];
        double value = 0;
        bool has = false;
        if (indicator_parse_period(COL(&t, r, "period"), period) != ERR_OK ||
            indicator_parse_number(COL(&t, r, "value"), &value, &has) != ERR_OK || !has)
            return fail(c, "indicators.csv", r->line, "bad period or value");
        rc = indicator_value_create(c->db, ids[i], period, value, COL(&t, r, "source"),
                                    COL(&t, r, "comment"), SOURCE);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

int demo_load_sheets(struct store *db, struct arena *a, const char *dir, long long contract_id,
                     char *err, size_t errlen)
{
    struct ctx c = {db, a, dir, contract_id, err, errlen};
    struct contract k;
    int rc = contract_get(db, a, contract_id, &k);
    if (rc == ERR_OK)
        rc = load_areas(&c, k.territory.id);
    if (rc == ERR_OK)
        rc = load_workload(&c);
    if (rc == ERR_OK)
        rc = load_sheets(&c, k.territory.id);
    if (rc == ERR_OK)
        rc = load_indicators(&c);
    return rc;
}
