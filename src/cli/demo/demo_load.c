/* demo_load.c — loads the CLS 2 of the PETR Cœur de Lorraine from data/demo/ (the clean
 * extraction of the 2023 evaluation report) into a database, for `boussole demo` and the tests.
 * Must not be needed by any other contract: nothing else in the code knows this territory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "cli/demo/demo.h"
#include "cli/demo/demo_evaluation.h"
#include "cli/demo/demo_funding.h"
#include "cli/demo/demo_governance.h"
#include "cli/demo/demo_sheets.h"
#include "format/data/csv.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/region/region.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "format/data/data_inclusion.h"
#include "store/db.h"

/* The extraction's organisation types, mapped to the keys of DOMAIN.md. */
static const struct {
    const char *source, *key;
} type_map[] = {
    {"association", "association"},
    {"commune", "commune"},
    {"codecom/EPCI", "intercommunality"},
    {"département", "department"},
    {"région", "region"},
    {"État", "state"},
    {"ARS", "state"},
    {"établissement de santé", "health_establishment"},
    {"ESMS/EHPAD", "social_establishment"},
    {"éducation", "school"},
    {"sécurité sociale (CAF/MSA/CPAM)", "social_security"},
    {"mutuelle", "mutual_insurer"},
    {"entreprise", "company"},
    {"other", "other"},
};

struct loader {
    struct store *db;
    struct arena *a;
    const char *dir;
    long long contract_id;
    char err[1536];
};

static const char *map_type(const char *source)
{
    for (size_t i = 0; i < sizeof type_map / sizeof type_map[0]; i++)
        if (strcmp(type_map[i].source, source) == 0)
            return type_map[i].key;
    return "other";
}

/* Reads dir/name.csv and checks that it has the columns the loader needs. */
static int read_table(struct loader *l, const char *name, struct csv_table *t,
                      const char *const *columns)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.csv", l->dir, name);
    if (csv_read_file(path, l->a, t, l->err, sizeof l->err) != ERR_OK)
        return ERR_INVALID;
    for (; *columns; columns++) {
        if (csv_column(t, *columns) < 0) {
            snprintf(l->err, sizeof l->err, "%s: column '%s' is missing", path, *columns);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

#define COL(t, row, name) csv_field(row, csv_column(t, name))

static int year_of(const char *s)
{
    long long y;
    char four[5] = {0};
    strncpy(four, s, 4);
    return str_to_ll(four, 1900, 2200, &y) == ERR_OK ? (int)y : 0;
}

static int load_contract(struct loader *l)
{
    static const char *const cols[] = {"id", "name", "short_name", "territory", "territory_kind",
                                       "territory_members", "generation", "signed_on", "start",
                                       "end", NULL};
    struct csv_table t;
    if (read_table(l, "contract", &t, cols) != ERR_OK)
        return ERR_INVALID;
    if (t.n_rows != 2) {
        snprintf(l->err, sizeof l->err, "contract.csv: expected one contract");
        return ERR_INVALID;
    }
    struct csv_row *r = &t.rows[1];
    struct contract c = {0};
    int rc = territory_ensure(l->db, COL(&t, r, "territory"), COL(&t, r, "territory_kind"),
                              COL(&t, r, "territory_members"), &c.territory.id);
    /* The PETR lies in the Meuse (55), region Grand Est (44): "département de la Meuse" in
     * territory_facts, postcode 55210. The regional view of the ARS lists it there. */
    if (rc == ERR_OK)
        rc = region_set_department(l->db, c.territory.id, "55");
    if (rc != ERR_OK)
        return rc;
    long long generation = 0;
    if (str_to_ll(COL(&t, r, "generation"), 1, 99, &generation) != ERR_OK)
        generation = 0;
    c.slug = (char *)COL(&t, r, "id");
    c.title = (char *)COL(&t, r, "name");
    c.short_title = (char *)COL(&t, r, "short_name");
    c.signed_on = (char *)COL(&t, r, "signed_on");
    c.generation = (int)generation;
    c.start_year = year_of(COL(&t, r, "start"));
    c.end_year = year_of(COL(&t, r, "end"));
    return contract_create(l->db, &c, &l->contract_id);
}

static int load_organisations(struct loader *l)
{
    static const char *const cols[] = {"id", "normalized_name", "type", "acronym",
                                       "names_verbatim", NULL};
    struct csv_table t;
    if (read_table(l, "organisations", &t, cols) != ERR_OK)
        return ERR_INVALID;
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        long long id;
        if (organisation_find_slug(l->db, COL(&t, r, "id"), &id) == ERR_OK)
            continue; /* the directory is shared by every contract of the instance */
        struct organisation o = {
            .slug = (char *)COL(&t, r, "id"),
            .name = (char *)COL(&t, r, "normalized_name"),
            .type = (char *)map_type(COL(&t, r, "type")),
            .acronym = (char *)COL(&t, r, "acronym"),
            .aliases = (char *)COL(&t, r, "names_verbatim"),
        };
        int rc = organisation_create(l->db, &o, &id);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* "Rapport d'évaluation du CLS 2, … (lignes 233, 248)" from the extraction's "233;248": the
 * provenance as data, in French (the lines are those of the report's text). */
static const char *source_ref(struct arena *a, const char *where, const char *lines)
{
    if (!*lines)
        return where;
    struct buf b = {0};
    buf_printf(&b, "%s (%s ", where, strchr(lines, ';') ? "lignes" : "ligne");
    for (const char *p = lines; *p; p++)
        if (*p == ';')
            buf_puts(&b, ", ");
        else
            buf_putc(&b, *p);
    buf_putc(&b, ')');
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int load_signatories(struct loader *l)
{
    static const char *const cols[] = {"organisation_id", "institution", "representative_name",
                                       "representative_title", "represented_by", "signed_on",
                                       "note_fr", "source_lines", NULL};
    struct csv_table t;
    if (read_table(l, "signatories", &t, cols) != ERR_OK)
        return ERR_INVALID;
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        struct signatory s = {
            .institution = (char *)COL(&t, r, "institution"),
            .representative_name = (char *)COL(&t, r, "representative_name"),
            .representative_title = (char *)COL(&t, r, "representative_title"),
            .represented_by = (char *)COL(&t, r, "represented_by"),
            .signed_on = (char *)COL(&t, r, "signed_on"),
            /* The French note; signature_note is the extraction's English developer note. */
            .note = (char *)COL(&t, r, "note_fr"),
        };
        if (organisation_find_slug(l->db, COL(&t, r, "organisation_id"), &s.organisation_id) !=
            ERR_OK)
            s.organisation_id = 0;
        int rc = signatory_add(l->db, l->contract_id, &s, i);
        if (rc == ERR_OK)
            rc = figures_signatory_source(
                l->db, l->contract_id, i,
                source_ref(l->a, "Rapport d'évaluation du CLS 2, bloc des signatures",
                           COL(&t, r, "source_lines")));
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* Slug → database id, for the objective tree and the actions. */
struct slug_ids {
    int n;
    const char **slugs;
    long long *ids;
};

static long long slug_id(const struct slug_ids *m, const char *slug)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->slugs[i], slug) == 0)
            return m->ids[i];
    return 0;
}

static int load_objectives(struct loader *l, struct slug_ids *m)
{
    static const char *const cols[] = {"id", "parent_id", "level", "code", "alt_code", "title",
                                       NULL};
    struct csv_table t;
    if (read_table(l, "objectives", &t, cols) != ERR_OK)
        return ERR_INVALID;
    m->slugs = arena_alloc(l->a, sizeof *m->slugs * (size_t)t.n_rows);
    m->ids = arena_alloc(l->a, sizeof *m->ids * (size_t)t.n_rows);
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        int level = objective_level_from_key(COL(&t, r, "level"));
        const char *parent = COL(&t, r, "parent_id");
        struct objective o = {
            .parent_id = *parent ? slug_id(m, parent) : 0,
            .level = (enum objective_level)level,
            .code = (char *)COL(&t, r, "code"),
            .alt_code = (char *)COL(&t, r, "alt_code"),
            .title = (char *)COL(&t, r, "title"),
            .position = i,
        };
        if (level < 0 || (*parent && !o.parent_id)) {
            snprintf(l->err, sizeof l->err, "objectives.csv line %d: bad level or parent", r->line);
            return ERR_INVALID;
        }
        long long id;
        int rc = objective_create(l->db, l->contract_id, &o, &id);
        if (rc != ERR_OK)
            return rc;
        m->slugs[m->n] = COL(&t, r, "id");
        m->ids[m->n++] = id;
    }
    return ERR_OK;
}

static int load_actions(struct loader *l, const struct slug_ids *objectives, struct slug_ids *m)
{
    static const char *const cols[] = {"id", "code", "kind", "objective_id", "title", "carrier",
                                       "source_lines", NULL};
    struct csv_table t;
    if (read_table(l, "actions", &t, cols) != ERR_OK)
        return ERR_INVALID;
    m->slugs = arena_alloc(l->a, sizeof *m->slugs * (size_t)t.n_rows);
    m->ids = arena_alloc(l->a, sizeof *m->ids * (size_t)t.n_rows);
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        const char *kind = COL(&t, r, "kind");
        struct action x = {
            .contract_id = l->contract_id,
            .objective_id = slug_id(objectives, COL(&t, r, "objective_id")),
            .slug = (char *)COL(&t, r, "id"),
            .kind = strcmp(kind, "fiche") == 0 ? "sheet" : "lead",
            .code = (char *)COL(&t, r, "code"),
            .title = (char *)COL(&t, r, "title"),
            .carrier_label = (char *)COL(&t, r, "carrier"),
            /* The extraction's "notes" are English notes for developers: not loaded. */
            .notes = "",
            .position = i,
        };
        if (!x.objective_id) {
            snprintf(l->err, sizeof l->err, "actions.csv line %d: unknown objective", r->line);
            return ERR_INVALID;
        }
        long long id;
        int rc = action_create(l->db, &x, &id);
        if (rc == ERR_OK)
            rc = figures_action_source(
                l->db, id,
                source_ref(l->a, "Rapport d'évaluation du CLS 2, annexe 8 et tableaux de suivi "
                                 "annuels",
                           COL(&t, r, "source_lines")));
        if (rc != ERR_OK)
            return rc;
        m->slugs[m->n] = x.slug;
        m->ids[m->n++] = id;
    }
    return ERR_OK;
}

static int slug_index(const struct slug_ids *m, const char *slug)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->slugs[i], slug) == 0)
            return i;
    return -1;
}

/* The carriers are those of annex 8 (the latest summary); where annex 8 names none, those of
 * the 2023 table. The first named is the carrier, the others co-carriers. */
static int load_carriers(struct loader *l, const struct slug_ids *actions)
{
    static const char *const cols[] = {"action_id", "organisation_id", "position", "sources",
                                       NULL};
    struct csv_table t;
    if (read_table(l, "action_carriers", &t, cols) != ERR_OK)
        return ERR_INVALID;
    bool *in_annex = arena_alloc(l->a, sizeof *in_annex * (size_t)(actions->n + 1));
    bool *has_carrier = arena_alloc(l->a, sizeof *has_carrier * (size_t)(actions->n + 1));
    for (int i = 1; i < t.n_rows; i++) {
        int k = slug_index(actions, COL(&t, &t.rows[i], "action_id"));
        if (k >= 0 && *COL(&t, &t.rows[i], "organisation_id") &&
            strstr(COL(&t, &t.rows[i], "sources"), "annex8"))
            in_annex[k] = true;
    }
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        int k = slug_index(actions, COL(&t, r, "action_id"));
        long long org_id;
        if (k < 0 || !strstr(COL(&t, r, "sources"), in_annex[k] ? "annex8" : "2023") ||
            organisation_find_slug(l->db, COL(&t, r, "organisation_id"), &org_id) != ERR_OK)
            continue; /* another source's carrier, or a cell that names no organisation */
        long long pos;
        if (str_to_ll(COL(&t, r, "position"), 0, 1000, &pos) != ERR_OK)
            pos = 1;
        int rc = action_link_organisation(l->db, actions->ids[k], org_id,
                                          has_carrier[k] ? "co_carrier" : "carrier", (int)pos);
        if (rc != ERR_OK)
            return rc;
        has_carrier[k] = true;
    }
    return ERR_OK;
}

static int load_statuses(struct loader *l, const struct slug_ids *actions)
{
    static const char *const cols[] = {"action_id", "year", "status", "status_verbatim",
                                       "remarks", "recommendations", NULL};
    struct csv_table t;
    if (read_table(l, "action_status", &t, cols) != ERR_OK)
        return ERR_INVALID;
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        long long action_id = slug_id(actions, COL(&t, r, "action_id"));
        enum status s = status_from_key(COL(&t, r, "status"));
        int year = year_of(COL(&t, r, "year"));
        if (!action_id || s == ST_NONE || !year) {
            snprintf(l->err, sizeof l->err,
                     "action_status.csv line %d: unknown action, status or year", r->line);
            return ERR_INVALID;
        }
        char by[96];
        snprintf(by, sizeof by, "Rapport d'évaluation du CLS 2 (bilan %d)", year);
        bool added;
        int rc = action_record_status(l->db, action_id, year, s, COL(&t, r, "status_verbatim"),
                                      COL(&t, r, "remarks"), COL(&t, r, "recommendations"), by,
                                      &added);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* The services of the demo's public directory: dir/directory.json, in the data·inclusion
 * schema, through the same import as `boussole import --format data-inclusion`. */
static int load_directory(struct loader *l)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/directory.json", l->dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return ERR_OK; /* an older data folder: no directory */
    struct buf data = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && data.len < DI_MAX_BYTES)
        buf_append(&data, chunk, got);
    fclose(f);
    struct di_file file = {"directory.json", data.p ? data.p : "", data.len};
    struct di_report r;
    struct actor who = {0, "Données de démonstration"};
    int rc = di_import(l->db, &who, l->contract_id, &file, 1, true, &r);
    if (rc != ERR_OK)
        snprintf(l->err, sizeof l->err, "%s", r.error);
    buf_free(&data);
    return rc;
}

static int load_all(struct loader *l)
{
    struct slug_ids objectives = {0}, actions = {0};
    int rc;
    if ((rc = load_organisations(l)) != ERR_OK || (rc = load_contract(l)) != ERR_OK ||
        (rc = load_signatories(l)) != ERR_OK || (rc = load_objectives(l, &objectives)) != ERR_OK ||
        (rc = load_actions(l, &objectives, &actions)) != ERR_OK ||
        (rc = load_carriers(l, &actions)) != ERR_OK || (rc = load_statuses(l, &actions)) != ERR_OK)
        return rc;
    if ((rc = demo_load_report(l->db, l->a, l->dir, l->contract_id, l->err, sizeof l->err)))
        return rc;
    if ((rc = demo_load_governance(l->db, l->a, l->dir, l->contract_id, l->err, sizeof l->err)))
        return rc;
    if ((rc = demo_load_sheets(l->db, l->a, l->dir, l->contract_id, l->err, sizeof l->err)))
        return rc;
    if ((rc = demo_load_communication(l->db, l->a, l->dir, l->contract_id, l->err, sizeof l->err)))
        return rc;
    if ((rc = demo_load_funding(l->db, l->a, l->dir, l->contract_id, l->err, sizeof l->err)))
        return rc;
    if ((rc = demo_load_evaluation(l->db, l->a, l->dir, l->contract_id, l->err, sizeof l->err)))
        return rc;
    return load_directory(l);
}

int demo_load(struct store *db, const char *dir, bool *loaded)
{
    *loaded = false;
    long long existing;
    if (contract_find_slug(db, "cls2-coeur-de-lorraine", &existing) == ERR_OK)
        return ERR_OK;
    struct arena a = {0};
    struct loader l = {.db = db, .a = &a, .dir = dir};
    int rc = store_begin(db);
    if (rc == ERR_OK)
        rc = load_all(&l);
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK) {
        store_rollback(db);
        fprintf(stderr, "boussole: demo data not loaded: %s\n",
                *l.err ? l.err : store_errmsg(db));
    }
    *loaded = rc == ERR_OK;
    arena_free(&a);
    return rc;
}
