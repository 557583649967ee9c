/* indicator.c — SQL of indicators and their values, checks, and their audit rows (written on the
 * action or objective that owns the indicator, so its history and the contract's journal show
 * them). Must not produce HTML or JSON; values are appended, never updated. */
#include "model/sheet/indicator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "store/rows.h"
#include "model/plan/editing_internal.h"
#include "model/sheet/sheet.h"

const char *indicator_kind_label(const char *kind)
{
    if (str_eq(kind, "process"))
        return "Processus";
    if (str_eq(kind, "result"))
        return "Résultat";
    return kind;
}

const char *indicator_number(struct arena *a, double v)
{
    char tmp[48];
    if (fabs(v) < 1e15 && v == floor(v))
        snprintf(tmp, sizeof tmp, "%.0f", v);
    else
        snprintf(tmp, sizeof tmp, "%.10g", v);
    for (char *p = tmp; *p; p++)
        if (*p == '.')
            *p = ',';
    return arena_strdup(a, tmp);
}

int indicator_parse_number(const char *s, double *out, bool *has)
{
    *has = false;
    *out = 0;
    if (str_blank(s))
        return ERR_OK;
    char tmp[64];
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ')
            continue;
        if (strncmp(p, "\xc2\xa0", 2) == 0) {
            p++;
            continue;
        }
        if (strncmp(p, "\xe2\x80\xaf", 3) == 0) {
            p += 2;
            continue;
        }
        if (k + 1 >= sizeof tmp)
            return ERR_INVALID;
        tmp[k++] = *p == ',' ? '.' : *p;
    }
    tmp[k] = '\0';
    if (!k || strspn(tmp, "+-0123456789.") != k)
        return ERR_INVALID;
    char *end;
    double v = strtod(tmp, &end);
    if (*end || !isfinite(v) || fabs(v) > 1e15)
        return ERR_INVALID;
    *out = v;
    *has = true;
    return ERR_OK;
}

int indicator_parse_period(const char *s, char out[11])
{
    if (str_blank(s)) {
        out[0] = '\0';
        return ERR_INVALID;
    }
    return sheet_parse_date(s, out);
}

/* ---- reading ------------------------------------------------------------------------------ */

#define INDICATOR_SELECT                                                                       \
    "SELECT i.id, i.contract_id, coalesce(i.action_id, 0), coalesce(i.objective_id, 0), "     \
    "i.name, i.kind, i.unit, i.method, i.collected_by, i.frequency, i.created_at, "            \
    "i.baseline IS NOT NULL, coalesce(i.baseline, 0), i.target IS NOT NULL, "                   \
    "coalesce(i.target, 0), i.position, i.version, i.archived, coalesce(x.code, o.code, ''), " \
    "coalesce(x.title, o.title, '') FROM indicator i LEFT JOIN action x ON x.id = "            \
    "i.action_id LEFT JOIN objective o ON o.id = i.objective_id "

static void read_indicator(struct stmt *st, struct arena *a, struct indicator *x)
{
    memset(x, 0, sizeof *x);
    x->id = stmt_int(st, 0);
    x->contract_id = stmt_int(st, 1);
    x->action_id = stmt_int(st, 2);
    x->objective_id = stmt_int(st, 3);
    x->name = stmt_text(st, 4, a);
    x->kind = stmt_text(st, 5, a);
    x->unit = stmt_text(st, 6, a);
    x->method = stmt_text(st, 7, a);
    x->collected_by = stmt_text(st, 8, a);
    x->frequency = stmt_text(st, 9, a);
    x->created_at = stmt_text(st, 10, a);
    x->has_baseline = stmt_int(st, 11) != 0;
    x->baseline = stmt_double(st, 12);
    x->has_target = stmt_int(st, 13) != 0;
    x->target = stmt_double(st, 14);
    x->position = (int)stmt_int(st, 15);
    x->version = (int)stmt_int(st, 16);
    x->archived = stmt_int(st, 17) != 0;
    x->owner_code = stmt_text(st, 18, a);
    x->owner_title = stmt_text(st, 19, a);
}

/* Fills the values of x: the latest row of each period, periods ascending. */
static int load_values(struct store *db, struct arena *a, struct indicator *x)
{
    int rc, cap = 0;
    x->values = rows_grow(a, NULL, 0, &cap, sizeof *x->values);
    x->n_values = 0;
    struct stmt *st = store_prepare(
        db, "SELECT v.id, coalesce(v.account_id, 0), v.period, v.value, v.source, v.comment, "
            "v.recorded_at, v.recorded_by FROM indicator_value v WHERE v.indicator_id = ?1 AND "
            "v.id = (SELECT max(w.id) FROM indicator_value w WHERE w.indicator_id = "
            "v.indicator_id AND w.period = v.period) ORDER BY v.period");
    stmt_bind_int(st, 1, x->id);
    while ((rc = stmt_step(st)) == 1) {
        x->values = rows_grow(a, x->values, x->n_values, &cap, sizeof *x->values);
        struct indicator_value *v = &x->values[x->n_values++];
        v->id = stmt_int(st, 0);
        v->account_id = stmt_int(st, 1);
        v->period = stmt_text(st, 2, a);
        v->value = stmt_double(st, 3);
        v->source = stmt_text(st, 4, a);
        v->comment = stmt_text(st, 5, a);
        v->recorded_at = stmt_text(st, 6, a);
        v->recorded_by = stmt_text(st, 7, a);
    }
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Runs a list query bound to id (and flag as ?2 unless it is negative), then loads the
 * values. */
static int list_query(struct store *db, struct arena *a, const char *sql, long long id,
                      int flag, struct indicator **out, int *n)
{
    *n = 0;
    *out = NULL;
    int cap = 0, rc;
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    if (flag >= 0)
        stmt_bind_int(st, 2, flag);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        read_indicator(st, a, &(*out)[(*n)++]);
    }
    for (int i = 0; i < *n && rc >= 0; i++)
        rc = load_values(db, a, &(*out)[i]);
    return rc < 0 ? rc : ERR_OK;
}

bool indicator_reached(const struct indicator *x, double value)
{
    if (!x->has_target)
        return false;
    if (x->has_baseline && x->target < x->baseline)
        return value <= x->target;
    return value >= x->target;
}

int indicator_list_action(struct store *db, struct arena *a, long long action_id,
                          bool with_archived, struct indicator **out, int *n)
{
    return list_query(db, a, INDICATOR_SELECT "WHERE i.action_id = ?1 AND (?2 = 1 OR "
                                              "i.archived = 0) ORDER BY i.position, i.id",
                      action_id, with_archived, out, n);
}

int indicator_list_objective(struct store *db, struct arena *a, long long objective_id,
                             bool with_archived, struct indicator **out, int *n)
{
    return list_query(db, a, INDICATOR_SELECT "WHERE i.objective_id = ?1 AND (?2 = 1 OR "
                                              "i.archived = 0) ORDER BY i.position, i.id",
                      objective_id, with_archived, out, n);
}

int indicator_rollup(struct store *db, struct arena *a, long long objective_id,
                     struct indicator **out, int *n)
{
    return list_query(
        db, a,
        "WITH RECURSIVE sub(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL SELECT ob.id FROM objective ob JOIN sub "
        "ON ob.parent_id = sub.id) " INDICATOR_SELECT
        "WHERE i.archived = 0 AND x.archived = 0 AND x.objective_id IN (SELECT id FROM sub) "
        "ORDER BY x.position, x.id, i.position, i.id",
        objective_id, -1, out, n);
}

int indicator_list_contract(struct store *db, struct arena *a, long long contract_id,
                            struct indicator **out, int *n)
{
    return list_query(db, a,
                      INDICATOR_SELECT "WHERE i.contract_id = ?1 AND i.archived = 0 "
                                       "AND coalesce(x.archived, o.archived, 0) = 0 ORDER BY "
                                       "i.action_id IS NOT NULL, coalesce(o.position, 0), "
                                       "coalesce(x.position, 0), i.position, i.id",
                      contract_id, -1, out, n);
}

int indicator_get(struct store *db, struct arena *a, long long id, struct indicator *out)
{
    struct stmt *st = store_prepare(db, INDICATOR_SELECT "WHERE i.id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    read_indicator(st, a, out);
    stmt_done(st);
    return load_values(db, a, out);
}

/* ---- writing ------------------------------------------------------------------------------ */

void indicator_check(const struct indicator_edit *e, struct problems *p)
{
    if (str_blank(e->name))
        problems_add(p, "name", "Nommez l'indicateur, par exemple « Nombre de participants ».");
    else if (edit_too_long(e->name, 300))
        problems_add(p, "name", "Le nom dépasse 300 caractères.");
    if (!str_eq(e->kind, "process") && !str_eq(e->kind, "result"))
        problems_add(p, "kind", "Choisissez : indicateur de processus ou de résultat.");
    if (edit_too_long(e->unit, 100))
        problems_add(p, "unit", "L'unité dépasse 100 caractères.");
    const char *texts[] = {e->method, e->collected_by, e->frequency};
    const char *fields[] = {"method", "collected_by", "frequency"};
    for (int i = 0; i < 3; i++)
        if (edit_too_long(texts[i], 2000))
            problems_add(p, fields[i], "Ce texte dépasse 2 000 caractères.");
}

/* A number bound as text: store/ binds integers and text; the REAL column takes it. */
static void bind_number(struct stmt *st, int idx, bool has, double v)
{
    if (!has) {
        stmt_bind_null(st, idx);
        return;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    stmt_bind_text(st, idx, tmp);
}

/* The indicator as one line of the audit log: "name — Résultat, cible 30 séances". */
static const char *describe(struct arena *a, const struct indicator_edit *e)
{
    struct buf b = {0};
    buf_printf(&b, "%s — %s", e->name, indicator_kind_label(e->kind));
    if (e->has_baseline)
        buf_printf(&b, ", valeur de départ %s", indicator_number(a, e->baseline));
    if (e->has_target)
        buf_printf(&b, ", cible %s", indicator_number(a, e->target));
    if (e->unit && *e->unit)
        buf_printf(&b, " (%s)", e->unit);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The owner of an indicator for its audit rows: entity, id, current version. */
static int owner_of(struct store *db, long long action_id, long long objective_id,
                    const char **entity, long long *owner, int *version)
{
    long long v = 0;
    *entity = action_id ? "action" : "objective";
    *owner = action_id ? action_id : objective_id;
    int rc = edit_one_int(db, action_id ? "SELECT version FROM action WHERE id = ?1"
                                        : "SELECT version FROM objective WHERE id = ?1",
                          *owner, &v);
    *version = (int)v;
    return rc;
}

int indicator_create(struct store *db, long long contract_id, long long action_id,
                     long long objective_id, const struct indicator_edit *e, long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO indicator (contract_id, action_id, objective_id, name, kind, unit, "
            "baseline, target, method, collected_by, frequency, position, created_at) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, (SELECT coalesce(max(position), 0) "
            "+ 1 FROM indicator WHERE coalesce(action_id, 0) = coalesce(?2, 0) AND "
            "coalesce(objective_id, 0) = coalesce(?3, 0)), strftime('%Y-%m-%dT%H:%M:%SZ', "
            "'now'))");
    stmt_bind_int(st, 1, contract_id);
    if (action_id)
        stmt_bind_int(st, 2, action_id);
    if (objective_id)
        stmt_bind_int(st, 3, objective_id);
    stmt_bind_text(st, 4, e->name);
    stmt_bind_text(st, 5, e->kind);
    stmt_bind_text(st, 6, e->unit ? e->unit : "");
    bind_number(st, 7, e->has_baseline, e->baseline);
    bind_number(st, 8, e->has_target, e->target);
    stmt_bind_text(st, 9, e->method ? e->method : "");
    stmt_bind_text(st, 10, e->collected_by ? e->collected_by : "");
    stmt_bind_text(st, 11, e->frequency ? e->frequency : "");
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int indicator_add(struct store *db, const struct actor *who, long long action_id,
                  long long objective_id, const struct indicator_edit *e, long long *id)
{
    struct problems p = {0};
    indicator_check(e, &p);
    if (p.n || (action_id != 0) == (objective_id != 0))
        return ERR_INVALID;
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    long long contract_id = 0;
    rc = edit_one_int(db, action_id ? "SELECT contract_id FROM action WHERE id = ?1 AND "
                                      "archived = 0"
                                    : "SELECT contract_id FROM objective WHERE id = ?1 AND "
                                      "archived = 0",
                      action_id ? action_id : objective_id, &contract_id);
    if (rc == ERR_NOTFOUND)
        rc = ERR_INVALID;
    if (rc == ERR_OK)
        rc = indicator_create(db, contract_id, action_id, objective_id, e, id);
    const char *entity;
    long long owner;
    int version = 0;
    if (rc == ERR_OK)
        rc = owner_of(db, action_id, objective_id, &entity, &owner, &version);
    if (rc == ERR_OK) {
        char field[40];
        snprintf(field, sizeof field, "indicator:%lld", *id);
        rc = audit_record(db, who, entity, owner, version, field, "", describe(&a, e));
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int indicator_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct indicator_edit *e)
{
    struct problems p = {0};
    indicator_check(e, &p);
    if (p.n)
        return ERR_INVALID;
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct indicator old;
    rc = indicator_get(db, &a, id, &old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE indicator SET name = ?3, kind = ?4, unit = ?5, baseline = ?6, "
                "target = ?7, method = ?8, collected_by = ?9, frequency = ?10, "
                "version = version + 1 WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, e->name);
        stmt_bind_text(st, 4, e->kind);
        stmt_bind_text(st, 5, e->unit ? e->unit : "");
        bind_number(st, 6, e->has_baseline, e->baseline);
        bind_number(st, 7, e->has_target, e->target);
        stmt_bind_text(st, 8, e->method ? e->method : "");
        stmt_bind_text(st, 9, e->collected_by ? e->collected_by : "");
        stmt_bind_text(st, 10, e->frequency ? e->frequency : "");
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    const char *entity;
    long long owner;
    int owner_version = 0;
    if (rc == ERR_OK)
        rc = owner_of(db, old.action_id, old.objective_id, &entity, &owner, &owner_version);
    if (rc == ERR_OK) {
        struct indicator_edit was = {old.name,         old.kind,         old.unit,
                                     old.method,       old.collected_by, old.frequency,
                                     old.has_baseline, old.has_target,   old.baseline,
                                     old.target};
        char field[40];
        snprintf(field, sizeof field, "indicator:%lld", id);
        rc = audit_field(db, who, entity, owner, owner_version, field, describe(&a, &was),
                         describe(&a, e));
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int indicator_archive(struct store *db, const struct actor *who, long long id, int version,
                      bool archived)
{
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct indicator old;
    rc = indicator_get(db, &a, id, &old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(db, "UPDATE indicator SET archived = ?3, version = "
                                            "version + 1 WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_int(st, 3, archived);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    const char *entity;
    long long owner;
    int owner_version = 0;
    if (rc == ERR_OK)
        rc = owner_of(db, old.action_id, old.objective_id, &entity, &owner, &owner_version);
    if (rc == ERR_OK) {
        char field[48];
        snprintf(field, sizeof field, "indicator_archived:%lld", id);
        rc = audit_field(db, who, entity, owner, owner_version, field, old.archived ? "1" : "0",
                         archived ? "1" : "0");
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int indicator_value_create(struct store *db, long long id, const char *period, double value,
                           const char *source, const char *comment, const char *recorded_by)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO indicator_value (indicator_id, period, value, source, comment, "
            "recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6)");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, period);
    bind_number(st, 3, true, value);
    stmt_bind_text(st, 4, source ? source : "");
    stmt_bind_text(st, 5, comment ? comment : "");
    stmt_bind_text(st, 6, recorded_by ? recorded_by : "");
    return stmt_exec(st);
}

int indicator_value_add(struct store *db, const struct actor *who, long long id,
                        const char *period, double value, const char *source,
                        const char *comment, bool *added)
{
    *added = false;
    source = source ? source : "";
    comment = comment ? comment : "";
    char iso[11];
    if (indicator_parse_period(period, iso) != ERR_OK || !str_eq(iso, period) ||
        !isfinite(value) || fabs(value) > 1e15 || edit_too_long(source, 2000) ||
        edit_too_long(comment, EDIT_TEXT_MAX))
        return ERR_INVALID;
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct indicator x;
    rc = indicator_get(db, &a, id, &x);
    if (rc == ERR_OK && x.archived)
        rc = ERR_INVALID;
    const struct indicator_value *last = NULL;
    for (int i = 0; rc == ERR_OK && i < x.n_values; i++)
        if (str_eq(x.values[i].period, period))
            last = &x.values[i];
    bool same = last && last->value == value && str_eq(last->source, source) &&
                str_eq(last->comment, comment);
    if (rc == ERR_OK && !same) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO indicator_value (indicator_id, period, value, source, comment, "
                "recorded_at, recorded_by, account_id) VALUES (?1, ?2, ?3, ?4, ?5, "
                "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6, ?7)");
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, period);
        bind_number(st, 3, true, value);
        stmt_bind_text(st, 4, source);
        stmt_bind_text(st, 5, comment);
        stmt_bind_text(st, 6, who && who->name ? who->name : "");
        if (who && who->account_id)
            stmt_bind_int(st, 7, who->account_id);
        rc = stmt_exec(st);
        *added = rc == ERR_OK;
        const char *entity;
        long long owner;
        int version = 0;
        if (rc == ERR_OK)
            rc = owner_of(db, x.action_id, x.objective_id, &entity, &owner, &version);
        if (rc == ERR_OK) {
            char field[64];
            snprintf(field, sizeof field, "indicator_value:%lld:%s", id, period);
            rc = audit_record(db, who, entity, owner, version, field,
                              last ? indicator_number(&a, last->value) : "",
                              indicator_number(&a, value));
        }
    }
    arena_free(&a);
    rc = edit_finish(db, rc);
    if (rc != ERR_OK)
        *added = false;
    return rc;
}
