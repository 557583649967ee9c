/* report.c — SQL of the yearly execution report: beneficiary block, conventions, narrative texts
 * (appended, never overwritten) and the gathering of one year's report. Must not lay anything
 * out: no HTML, no PDF, no French sentences beyond the section names. */
#include "model/report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model/plan/action.h"
#include "model/plan/figures.h"
#include "store/rows.h"

static const char *const section_keys[RS_COUNT] = {
    "context",    "missions",    "governance", "communication",    "objective",
    "communication_done", "new_actions", "conclusion", "person_in_charge",
};

static const char *const section_labels[RS_COUNT] = {
    "Contexte",
    "Missions réalisées",
    "Gouvernance et suivi",
    "Communication autour du CLS",
    "Travaux menés par objectif spécifique",
    "Communication réalisée (indicateur)",
    "Nouvelles actions identifiées (indicateur)",
    "Conclusion",
    "Responsable du projet cette année",
};

const char *report_section_key(enum report_section s)
{
    return s >= 0 && s < RS_COUNT ? section_keys[s] : NULL;
}

int report_section_from_key(const char *key)
{
    for (int s = 0; s < RS_COUNT; s++)
        if (str_eq(key, section_keys[s]))
            return s;
    return -1;
}

const char *report_section_label(enum report_section s)
{
    return s >= 0 && s < RS_COUNT ? section_labels[s] : "";
}

/* ---- beneficiary --------------------------------------------------------------------------- */

int report_identity_get(struct store *db, struct arena *a, long long contract_id,
                        struct report_identity *out)
{
    struct stmt *st = store_prepare(
        db, "SELECT beneficiary, siret, address, person_in_charge, phone, email, version "
            "FROM report_identity WHERE contract_id = ?1");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        *out = (struct report_identity){"", "", "", "", "", "", 0};
        return ERR_OK;
    }
    out->beneficiary = stmt_text(st, 0, a);
    out->siret = stmt_text(st, 1, a);
    out->address = stmt_text(st, 2, a);
    out->person_in_charge = stmt_text(st, 3, a);
    out->phone = stmt_text(st, 4, a);
    out->email = stmt_text(st, 5, a);
    out->version = (int)stmt_int(st, 6);
    stmt_done(st);
    return ERR_OK;
}

static bool field_ok(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n <= max && utf8_valid(s ? s : "", n);
}

int report_identity_save(struct store *db, const struct actor *who, long long contract_id,
                         const struct report_identity *in)
{
    const char *v[6] = {in->beneficiary, in->siret, in->address,
                        in->person_in_charge, in->phone, in->email};
    static const char *const fields[6] = {"beneficiary", "siret", "address",
                                          "person_in_charge", "phone", "email"};
    for (int i = 0; i < 6; i++)
        if (!field_ok(v[i], REPORT_FIELD_MAX))
            return ERR_INVALID;
    struct arena a = {0};
    struct report_identity old;
    int rc = report_identity_get(db, &a, contract_id, &old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO report_identity (contract_id, beneficiary, siret, address, "
                "person_in_charge, phone, email, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (contract_id) DO UPDATE SET "
                "beneficiary = ?2, siret = ?3, address = ?4, person_in_charge = ?5, phone = ?6, "
                "email = ?7, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
                "version = report_identity.version + 1");
        stmt_bind_int(st, 1, contract_id);
        for (int i = 0; i < 6; i++)
            stmt_bind_text(st, i + 2, v[i] ? v[i] : "");
        rc = stmt_exec(st);
    }
    const char *o[6] = {old.beneficiary, old.siret, old.address,
                        old.person_in_charge, old.phone, old.email};
    for (int i = 0; rc == ERR_OK && i < 6; i++)
        rc = audit_field(db, who, "report_identity", contract_id, old.version + 1, fields[i], o[i],
                         v[i]);
    arena_free(&a);
    return rc;
}

/* ---- conventions --------------------------------------------------------------------------- */

static void read_convention(struct stmt *st, struct arena *a, struct report_convention *c)
{
    c->id = stmt_int(st, 0);
    c->number = stmt_text(st, 1, a);
    c->start_on = stmt_text(st, 2, a);
    c->end_on = stmt_text(st, 3, a);
}

int report_conventions(struct store *db, struct arena *a, long long contract_id,
                       struct report_convention **out, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT id, number, start_on, end_on FROM "
                                        "report_convention WHERE contract_id = ?1 "
                                        "ORDER BY start_on, id");
    stmt_bind_int(st, 1, contract_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        read_convention(st, a, &(*out)[(*n)++]);
    }
    return rc < 0 ? rc : ERR_OK;
}

int report_convention_of_year(struct store *db, struct arena *a, long long contract_id, int year,
                              struct report_convention *out)
{
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-12-31", year);
    snprintf(last, sizeof last, "%04d-01-01", year);
    struct stmt *st = store_prepare(db, "SELECT id, number, start_on, end_on FROM "
                                        "report_convention WHERE contract_id = ?1 AND "
                                        "start_on <= ?2 AND end_on >= ?3 "
                                        "ORDER BY start_on DESC, id DESC LIMIT 1");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, first);
    stmt_bind_text(st, 3, last);
    int rc = stmt_step(st);
    if (rc == 1) {
        read_convention(st, a, out);
        stmt_done(st);
        return ERR_OK;
    }
    return rc < 0 ? rc : ERR_NOTFOUND;
}

/* "AAAA-MM-JJ" of a real-looking day (the forms check the calendar). */
static bool iso_day(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

int report_convention_add(struct store *db, long long contract_id, const char *number,
                          const char *start_on, const char *end_on, long long *id)
{
    if (!iso_day(start_on) || !iso_day(end_on) || strcmp(start_on, end_on) > 0 ||
        !field_ok(number, REPORT_FIELD_MAX))
        return ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "INSERT INTO report_convention (contract_id, number, start_on, end_on, created_at) "
            "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, number ? number : "");
    stmt_bind_text(st, 3, start_on);
    stmt_bind_text(st, 4, end_on);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && id)
        *id = store_last_id(db);
    return rc;
}

int report_convention_update(struct store *db, long long contract_id, long long id,
                             const char *number, const char *start_on, const char *end_on)
{
    if (!iso_day(start_on) || !iso_day(end_on) || strcmp(start_on, end_on) > 0 ||
        !field_ok(number, REPORT_FIELD_MAX))
        return ERR_INVALID;
    struct stmt *st = store_prepare(db, "UPDATE report_convention SET number = ?3, start_on = ?4, "
                                        "end_on = ?5 WHERE id = ?2 AND contract_id = ?1");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, id);
    stmt_bind_text(st, 3, number ? number : "");
    stmt_bind_text(st, 4, start_on);
    stmt_bind_text(st, 5, end_on);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) == 0)
        return ERR_NOTFOUND;
    return rc;
}

/* ---- narrative texts ----------------------------------------------------------------------- */

int report_texts(struct store *db, struct arena *a, long long contract_id, int year,
                 struct report_text **out, int *n)
{
    /* The latest row of each (section, objective): the highest id wins. */
    struct stmt *st = store_prepare(
        db, "SELECT t.section, coalesce(t.objective_id, 0), t.body, t.recorded_at, "
            "t.recorded_by FROM report_text t WHERE t.contract_id = ?1 AND t.year = ?2 AND "
            "t.id = (SELECT max(u.id) FROM report_text u WHERE u.contract_id = t.contract_id "
            "AND u.year = t.year AND u.section = t.section AND "
            "coalesce(u.objective_id, 0) = coalesce(t.objective_id, 0)) ORDER BY t.id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    struct arena tmp = {0};
    while ((rc = stmt_step(st)) == 1) {
        int s = report_section_from_key(stmt_text(st, 0, &tmp));
        if (s < 0)
            continue;
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct report_text *t = &(*out)[(*n)++];
        t->section = (enum report_section)s;
        t->objective_id = stmt_int(st, 1);
        t->body = stmt_text(st, 2, a);
        t->recorded_at = stmt_text(st, 3, a);
        t->recorded_by = stmt_text(st, 4, a);
    }
    arena_free(&tmp);
    return rc < 0 ? rc : ERR_OK;
}

/* The text in force of one section (NULL when none), in the arena. */
static int text_in_force(struct store *db, struct arena *a, long long contract_id, int year,
                         enum report_section section, long long objective_id, char **body)
{
    struct stmt *st = store_prepare(
        db, "SELECT body FROM report_text WHERE contract_id = ?1 AND year = ?2 AND section = ?3 "
            "AND coalesce(objective_id, 0) = ?4 ORDER BY id DESC LIMIT 1");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, report_section_key(section));
    stmt_bind_int(st, 4, objective_id);
    int rc = stmt_step(st);
    *body = NULL;
    if (rc == 1) {
        *body = stmt_text(st, 0, a);
        stmt_done(st);
    }
    return rc < 0 ? rc : ERR_OK;
}

static int objective_is_specific(struct store *db, long long contract_id, long long id)
{
    struct stmt *st = store_prepare(db, "SELECT 1 FROM objective WHERE id = ?1 AND "
                                        "contract_id = ?2 AND level = 'specific'");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    int rc = stmt_step(st);
    if (rc == 1)
        stmt_done(st);
    return rc;
}

int report_text_save(struct store *db, const struct actor *who, long long contract_id, int year,
                     enum report_section section, long long objective_id, const char *body,
                     bool *added)
{
    if (added)
        *added = false;
    if (section < 0 || section >= RS_COUNT || (section == RS_OBJECTIVE) != (objective_id > 0) ||
        year < 1900 || year > 2200 || !field_ok(body, REPORT_TEXT_MAX) ||
        (section == RS_PERSON && !field_ok(body, REPORT_FIELD_MAX)))
        return ERR_INVALID;
    int rc;
    if (section == RS_OBJECTIVE &&
        (rc = objective_is_specific(db, contract_id, objective_id)) != 1)
        return rc < 0 ? rc : ERR_INVALID;
    struct arena a = {0};
    char *old;
    rc = text_in_force(db, &a, contract_id, year, section, objective_id, &old);
    bool same = rc == ERR_OK && (old ? strcmp(old, body ? body : "") == 0 : str_blank(body));
    if (rc == ERR_OK && !same) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO report_text (contract_id, year, section, objective_id, body, "
                "account_id, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
        stmt_bind_int(st, 1, contract_id);
        stmt_bind_int(st, 2, year);
        stmt_bind_text(st, 3, report_section_key(section));
        if (objective_id > 0)
            stmt_bind_int(st, 4, objective_id);
        else
            stmt_bind_null(st, 4);
        stmt_bind_text(st, 5, body ? body : "");
        if (who && who->account_id)
            stmt_bind_int(st, 6, who->account_id);
        else
            stmt_bind_null(st, 6);
        stmt_bind_text(st, 7, who && who->name ? who->name : "");
        rc = stmt_exec(st);
        if (rc == ERR_OK && added)
            *added = true;
    }
    arena_free(&a);
    return rc;
}

/* ---- the year's report --------------------------------------------------------------------- */

static int compare_ids(const void *x, const void *y)
{
    long long a = (*(const struct action_brief *const *)x)->id;
    long long b = (*(const struct action_brief *const *)y)->id;
    return a < b ? -1 : a > b;
}

/* Fills the texts in force into r. */
static int load_texts(struct store *db, struct arena *a, struct report *r)
{
    struct report_text *t;
    int n, rc = report_texts(db, a, r->contract.id, r->year, &t, &n);
    if (rc != ERR_OK)
        return rc;
    for (int s = 0; s < RS_COUNT; s++)
        r->texts[s] = "";
    r->objective_texts = arena_alloc(a, sizeof *r->objective_texts * (size_t)(r->n_objs + 1));
    for (int i = 0; i < r->n_objs; i++)
        r->objective_texts[i] = "";
    for (int i = 0; i < n; i++) {
        if (t[i].section != RS_OBJECTIVE) {
            r->texts[t[i].section] = t[i].body;
            continue;
        }
        int k = objective_index(r->objs, r->n_objs, t[i].objective_id);
        if (k >= 0)
            r->objective_texts[k] = t[i].body;
    }
    r->person_in_charge = !str_blank(r->texts[RS_PERSON]) ? r->texts[RS_PERSON]
                                                          : r->identity.person_in_charge;
    return ERR_OK;
}

/* The carriers and co-carriers of the contract's actions, by action then naming order. */
struct carrier_row {
    long long action_id;
    const char *name, *type;
};

static int load_carrier_rows(struct store *db, struct arena *a, long long contract_id,
                             struct carrier_row **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT ao.action_id, org.name, org.type FROM action_organisation ao "
            "JOIN organisation org ON org.id = ao.organisation_id "
            "JOIN action a ON a.id = ao.action_id WHERE a.contract_id = ?1 AND "
            "ao.role IN ('carrier', 'co_carrier') ORDER BY ao.action_id, "
            "CASE ao.role WHEN 'carrier' THEN 0 ELSE 1 END, ao.position, ao.organisation_id");
    stmt_bind_int(st, 1, contract_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[*n] = (struct carrier_row){stmt_int(st, 0), stmt_text(st, 1, a),
                                          stmt_text(st, 2, a)};
        (*n)++;
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

/* How the report names the carriers of action id (rows sorted by action). */
static const char *carriers_of(struct arena *a, const struct carrier_row *rows, int n,
                               long long id, const struct tracking_action *x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (rows[mid].action_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    int k = 0;
    while (lo + k < n && rows[lo + k].action_id == id)
        k++;
    if (k == 0)
        return x->carrier_label;
    const char **names = arena_alloc(a, sizeof *names * (size_t)k);
    const char **types = arena_alloc(a, sizeof *types * (size_t)k);
    for (int i = 0; i < k; i++) {
        names[i] = rows[lo + i].name;
        types[i] = rows[lo + i].type;
    }
    return figures_carriers_label(a, names, types, k);
}

/* The actions of the year's table, their statuses and the counts of every year up to it. */
static int load_actions(struct store *db, struct arena *a, struct report *r)
{
    int years[64], n_years;
    struct action_brief *grid;
    int n_grid, rc = action_status_grid(db, a, r->contract.id, years, 64, &n_years, &grid,
                                        &n_grid);
    struct tracking_action *list;
    int n_list;
    if (rc == ERR_OK)
        rc = tracking_load_actions(db, a, r->contract.id, r->year, &list, &n_list);
    struct carrier_row *carriers = NULL;
    int n_carriers = 0;
    if (rc == ERR_OK)
        rc = load_carrier_rows(db, a, r->contract.id, &carriers, &n_carriers);
    if (rc != ERR_OK)
        return rc;
    r->first_year = n_years ? years[0] : 0;
    figures_count(grid, n_grid, years, n_years, r->year, &r->figures);
    rc = figures_source_list(db, a, r->contract.id, r->year, &r->source_figures,
                             &r->n_source_figures);
    if (rc != ERR_OK)
        return rc;
    int upto = 0; /* years[0..upto) are <= the report's year */
    while (upto < n_years && years[upto] <= r->year)
        upto++;
    r->n_years = upto;
    memcpy(r->years, years, sizeof *years * (size_t)upto);
    r->year_counts = arena_alloc(a, sizeof *r->year_counts * (size_t)(upto + 1));

    struct action_brief **by_id = arena_alloc(a, sizeof *by_id * (size_t)(n_grid + 1));
    for (int i = 0; i < n_grid; i++)
        by_id[i] = &grid[i];
    qsort(by_id, (size_t)n_grid, sizeof *by_id, compare_ids);
    r->actions = arena_alloc(a, sizeof *r->actions * (size_t)(n_list + 1));
    r->n_actions = 0;
    for (int i = 0; i < n_list; i++) {
        struct action_brief key = {.id = list[i].id}, *pk = &key;
        struct action_brief **hit =
            bsearch(&pk, by_id, (size_t)n_grid, sizeof *by_id, compare_ids);
        if (!hit)
            continue; /* archived */
        /* Listed and counted: the actions that exist in the year (figures.h), as on the
         * dashboard and in the spreadsheet; each earlier year counts those existing then. */
        const struct action_brief *x = *hit;
        for (int y = 0; y < upto; y++)
            if (figures_exists_in(x->first_year, years[y])) {
                enum status s = x->statuses[y];
                r->year_counts[y][s == ST_NONE ? ST_COUNT : s]++;
            }
        if (!figures_exists_in(x->first_year, r->year))
            continue;
        struct report_action *ra = &r->actions[r->n_actions++];
        ra->x = &list[i];
        ra->status = status_from_key(list[i].status);
        int k = objective_index(r->objs, r->n_objs, list[i].objective_id);
        ra->operational = k >= 0 && r->objs[k].level == OBJ_OPERATIONAL ? k : -1;
        ra->specific = objective_ancestor(r->objs, r->n_objs, k, OBJ_SPECIFIC);
        ra->is_new = x->first_year == r->year && r->year > r->first_year;
        ra->carriers = carriers_of(a, carriers, n_carriers, list[i].id, &list[i]);
        r->counts[ra->status == ST_NONE ? ST_COUNT : ra->status]++;
    }
    return ERR_OK;
}

int report_load(struct store *db, struct arena *a, long long contract_id, int year,
                struct report *out)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    int rc = contract_get(db, a, contract_id, &out->contract);
    if (rc == ERR_OK)
        rc = report_identity_get(db, a, contract_id, &out->identity);
    if (rc == ERR_OK) {
        rc = report_convention_of_year(db, a, contract_id, year, &out->convention);
        out->has_convention = rc == ERR_OK;
        if (rc == ERR_NOTFOUND)
            rc = ERR_OK;
    }
    if (rc == ERR_OK)
        rc = contract_signatories(db, a, contract_id, &out->signatories, &out->n_signatories);
    if (rc == ERR_OK)
        rc = objective_list(db, a, contract_id, &out->objs, &out->n_objs);
    if (rc == ERR_OK)
        rc = load_texts(db, a, out);
    if (rc == ERR_OK)
        rc = load_actions(db, a, out);
    if (rc == ERR_OK) {
        struct meeting_filter f = {.contract_id = contract_id, .year = year, .status = "held"};
        rc = meeting_list(db, a, &f, &out->meetings, &out->n_meetings);
    }
    return rc;
}
