/* sheet_state.c — what the coordination decides about sheets: their state (draft → validated →
 * closed, validation needing a result indicator with a target), promotion of a lead, priority,
 * the yearly plan, the list of sheets missing something, dates for the Gantt chart, and the
 * workload of a contract. Must not produce HTML or JSON; every change has its audit rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "store/rows.h"
#include "model/plan/editing_internal.h"
#include "model/sheet/sheet.h"

int sheet_validation_problem(struct store *db, long long action_id, const char **why)
{
    *why = NULL;
    struct arena a = {0};
    struct stmt *st = store_prepare(
        db, "SELECT kind, EXISTS (SELECT 1 FROM indicator i WHERE i.action_id = x.id AND "
            "i.archived = 0 AND i.kind = 'result'), EXISTS (SELECT 1 FROM indicator i WHERE "
            "i.action_id = x.id AND i.archived = 0 AND i.kind = 'result' AND i.target IS NOT "
            "NULL) FROM action x WHERE x.id = ?1");
    stmt_bind_int(st, 1, action_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    bool lead = str_eq(stmt_text(st, 0, &a), "lead");
    bool result = stmt_int(st, 1) != 0, target = stmt_int(st, 2) != 0;
    stmt_done(st);
    arena_free(&a);
    if (lead)
        *why = "Une piste d'action ne peut pas être validée : promouvez-la d'abord en fiche "
               "action.";
    else if (!result)
        *why = "La fiche ne peut pas être validée : elle n'a aucun indicateur de résultat. "
               "Ajoutez au moins un indicateur de résultat avec sa cible (la valeur à atteindre), "
               "puis validez-la.";
    else if (!target)
        *why = "La fiche ne peut pas être validée : aucun de ses indicateurs de résultat n'a de "
               "cible. Donnez à au moins l'un d'eux la valeur à atteindre, puis validez-la.";
    return ERR_OK;
}

int sheet_set_state(struct store *db, const struct actor *who, long long action_id, int version,
                    const char *state, const char **why)
{
    *why = NULL;
    if (!str_eq(state, "draft") && !str_eq(state, "validated") && !str_eq(state, "closed"))
        return ERR_INVALID;
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(db, "SELECT sheet_state, version FROM action WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    rc = stmt_step(st);
    const char *was = "";
    int current = 0;
    if (rc == 1) {
        was = stmt_text(st, 0, &a);
        current = (int)stmt_int(st, 1);
        stmt_done(st);
    }
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK && current != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK && str_eq(state, "validated"))
        rc = sheet_validation_problem(db, action_id, why);
    if (rc == ERR_OK && str_eq(state, "closed") && !str_eq(was, "validated") &&
        !str_eq(was, "closed"))
        *why = "Seule une fiche validée peut être close : validez-la d'abord.";
    if (rc == ERR_OK && *why)
        rc = ERR_INVALID;
    if (rc == ERR_OK && !str_eq(was, state)) {
        st = store_prepare(db, "UPDATE action SET sheet_state = ?3, version = version + 1 "
                               "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, state);
        rc = stmt_exec(st);
        if (rc == ERR_OK)
            rc = edit_bumped(db);
        if (rc == ERR_OK)
            rc = audit_field(db, who, "action", action_id, version + 1, "sheet_state", was,
                             state);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int sheet_next_code(struct store *db, struct arena *a, long long objective_id, const char **code)
{
    *code = NULL;
    struct stmt *st =
        store_prepare(db, "SELECT code, contract_id FROM objective WHERE id = ?1");
    stmt_bind_int(st, 1, objective_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    const char *prefix = stmt_text(st, 0, a);
    long long contract_id = stmt_int(st, 1);
    stmt_done(st);
    while (*prefix == ' ')
        prefix++;
    if (!*prefix)
        return ERR_INVALID;
    /* Every action of the contract, archived ones too: a code once given is not given again. */
    st = store_prepare(db, "SELECT code FROM action WHERE contract_id = ?1 AND "
                           "substr(code, 1, length(?2) + 1) = ?2 || '.'");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, prefix);
    long long max = 0;
    size_t plen = strlen(prefix) + 1;
    while ((rc = stmt_step(st)) == 1) {
        const char *c = stmt_text(st, 0, a);
        long long v;
        if (str_to_ll(c + plen, 1, 1000000, &v) == ERR_OK && v > max)
            max = v;
    }
    if (rc < 0)
        return rc;
    struct buf b = {0};
    buf_printf(&b, "%s.%lld", prefix, max + 1);
    *code = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return ERR_OK;
}

int sheet_promote(struct store *db, struct arena *a, const struct actor *who, long long action_id,
                  int version, const char **code, const char **why)
{
    *code = NULL;
    *why = NULL;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st =
        store_prepare(db, "SELECT kind, objective_id, version FROM action WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    rc = stmt_step(st);
    const char *kind = "";
    long long objective_id = 0;
    int current = 0;
    if (rc == 1) {
        kind = stmt_text(st, 0, a);
        objective_id = stmt_int(st, 1);
        current = (int)stmt_int(st, 2);
        stmt_done(st);
    }
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK && current != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK && !str_eq(kind, "lead")) {
        *why = "Cette action est déjà une fiche action.";
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK) {
        rc = sheet_next_code(db, a, objective_id, code);
        if (rc == ERR_INVALID)
            *why = "Son objectif opérationnel n'a pas de code : modifiez l'action pour lui "
                   "donner un code de fiche et le type « Fiche action ».";
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "UPDATE action SET kind = 'sheet', code = ?3, sheet_state = "
                               "'draft', version = version + 1 WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, *code);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "action", action_id, version + 1, "promoted", "", *code);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "action", action_id, version + 1, "kind", "lead", "sheet");
    if (rc == ERR_OK)
        rc = audit_field(db, who, "action", action_id, version + 1, "code", "", *code);
    rc = edit_finish(db, rc);
    if (rc != ERR_OK)
        *code = NULL;
    return rc;
}

/* Sets the priority of an action inside the caller's transaction, with its audit row. */
static int put_priority(struct store *db, const struct actor *who, long long action_id,
                        const char *priority)
{
    if (!str_eq(priority, "high") && !str_eq(priority, "normal") && !str_eq(priority, "low"))
        return ERR_INVALID;
    struct arena a = {0};
    struct stmt *st = store_prepare(db, "SELECT priority, version FROM action WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    int rc = stmt_step(st);
    const char *was = "";
    int version = 0;
    if (rc == 1) {
        was = stmt_text(st, 0, &a);
        version = (int)stmt_int(st, 1);
        stmt_done(st);
    }
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK && !str_eq(was, priority)) {
        st = store_prepare(db, "UPDATE action SET priority = ?2 WHERE id = ?1");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_text(st, 2, priority);
        rc = stmt_exec(st);
        if (rc == ERR_OK)
            rc = audit_field(db, who, "action", action_id, version, "priority", was, priority);
    }
    arena_free(&a);
    return rc;
}

int sheet_set_priority(struct store *db, const struct actor *who, long long action_id,
                       const char *priority)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    return edit_finish(db, put_priority(db, who, action_id, priority));
}

/* ---- the yearly plan ---------------------------------------------------------------------- */

int sheet_plan_ids(struct store *db, struct arena *a, long long contract_id, int year,
                   long long **ids, int *n)
{
    *n = 0;
    int rc, cap = 0;
    *ids = rows_grow(a, NULL, 0, &cap, sizeof **ids);
    struct stmt *st = store_prepare(
        db, "SELECT p.action_id FROM action_plan p JOIN action x ON x.id = p.action_id "
            "WHERE x.contract_id = ?1 AND p.year = ?2 AND x.archived = 0 "
            "ORDER BY x.position, x.id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    while ((rc = stmt_step(st)) == 1) {
        *ids = rows_grow(a, *ids, *n, &cap, sizeof **ids);
        (*ids)[(*n)++] = stmt_int(st, 0);
    }
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int sheet_plan_years(struct store *db, long long action_id, int *years, int max, int *n)
{
    *n = 0;
    struct stmt *st =
        store_prepare(db, "SELECT year FROM action_plan WHERE action_id = ?1 ORDER BY year");
    stmt_bind_int(st, 1, action_id);
    int rc;
    while ((rc = stmt_step(st)) == 1 && *n < max)
        years[(*n)++] = (int)stmt_int(st, 0);
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

static bool has_id(const long long *ids, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Adds or removes one action of the plan of year, with its audit row. */
static int plan_change(struct store *db, const struct actor *who, long long id, int year,
                       bool add)
{
    long long version = 0;
    int rc = edit_one_int(db, "SELECT version FROM action WHERE id = ?1", id, &version);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, add ? "INSERT INTO action_plan (action_id, year) VALUES (?1, ?2)"
                : "DELETE FROM action_plan WHERE action_id = ?1 AND year = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, year);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    char field[24];
    snprintf(field, sizeof field, "plan:%d", year);
    return audit_record(db, who, "action", id, (int)version, field, add ? "0" : "1",
                        add ? "1" : "0");
}

/* ERR_OK when id is an active action of the contract, ERR_INVALID when not. */
static int active_in(struct store *db, long long contract_id, long long id)
{
    struct stmt *st = store_prepare(
        db, "SELECT 1 FROM action WHERE id = ?1 AND contract_id = ?2 AND archived = 0");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_INVALID : rc;
}

int sheet_plan_set(struct store *db, const struct actor *who, long long contract_id, int year,
                   const long long *ids, int n, const struct sheet_priority *prios, int n_prios)
{
    if (year < 1990 || year > 2100)
        return ERR_INVALID;
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    for (int i = 0; i < n && rc == ERR_OK; i++)
        rc = active_in(db, contract_id, ids[i]);
    for (int i = 0; i < n_prios && rc == ERR_OK; i++) {
        rc = active_in(db, contract_id, prios[i].id);
        if (rc == ERR_OK)
            rc = put_priority(db, who, prios[i].id, prios[i].priority);
    }
    long long *now = NULL;
    int n_now = 0;
    if (rc == ERR_OK)
        rc = sheet_plan_ids(db, &a, contract_id, year, &now, &n_now);
    for (int i = 0; i < n_now && rc == ERR_OK; i++)
        if (!has_id(ids, n, now[i]))
            rc = plan_change(db, who, now[i], year, false);
    for (int i = 0; i < n && rc == ERR_OK; i++)
        if (!has_id(now, n_now, ids[i]) && !has_id(ids, i, ids[i]))
            rc = plan_change(db, who, ids[i], year, true);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- lists -------------------------------------------------------------------------------- */

int sheet_gaps_list(struct store *db, struct arena *a, long long contract_id,
                    struct sheet_gaps **out, int *n, int *total)
{
    *n = *total = 0;
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    struct stmt *st = store_prepare(
        db, "SELECT x.id, x.code, x.title, x.sheet_state, EXISTS (SELECT 1 FROM indicator i "
            "WHERE i.action_id = x.id AND i.archived = 0 AND i.kind = 'result'), EXISTS (SELECT "
            "1 FROM indicator i WHERE i.action_id = x.id AND i.archived = 0 AND i.kind = "
            "'result' AND i.target IS NOT NULL), EXISTS (SELECT 1 FROM action_organisation ao "
            "WHERE ao.action_id = x.id AND ao.role = 'carrier'), x.planned_start <> '' AND "
            "x.planned_end <> '' FROM action x WHERE x.contract_id = ?1 AND x.archived = 0 AND "
            "x.kind = 'sheet' ORDER BY x.position, x.id");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        ++*total;
        struct sheet_gaps g = {
            .id = stmt_int(st, 0),
            .no_result_indicator = stmt_int(st, 4) == 0,
            .no_target = stmt_int(st, 5) == 0,
            .no_carrier = stmt_int(st, 6) == 0,
            .no_dates = stmt_int(st, 7) == 0,
        };
        if (!g.no_result_indicator && !g.no_target && !g.no_carrier && !g.no_dates)
            continue;
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        g.code = stmt_text(st, 1, a);
        g.title = stmt_text(st, 2, a);
        g.state = stmt_text(st, 3, a);
        (*out)[(*n)++] = g;
    }
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int sheet_dates_list(struct store *db, struct arena *a, long long contract_id,
                     struct sheet_dates **out, int *n)
{
    *n = 0;
    int rc, cap = 0;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    struct stmt *st = store_prepare(
        db, "SELECT id, planned_start, planned_end, actual_start, actual_end, priority, "
            "sheet_state FROM action WHERE contract_id = ?1 AND archived = 0 "
            "ORDER BY position, id");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct sheet_dates *d = &(*out)[(*n)++];
        d->id = stmt_int(st, 0);
        d->planned_start = stmt_text(st, 1, a);
        d->planned_end = stmt_text(st, 2, a);
        d->actual_start = stmt_text(st, 3, a);
        d->actual_end = stmt_text(st, 4, a);
        d->priority = stmt_text(st, 5, a);
        d->state = stmt_text(st, 6, a);
    }
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- workload ----------------------------------------------------------------------------- */

enum { DEFAULT_THRESHOLD = 40 };

int sheet_workload(struct store *db, long long contract_id, struct workload *out)
{
    *out = (struct workload){.threshold = DEFAULT_THRESHOLD};
    struct stmt *st = store_prepare(
        db, "SELECT count(*) FROM action x WHERE x.contract_id = ?1 AND x.archived = 0 AND "
            "x.sheet_state <> 'closed' AND coalesce((SELECT s.status FROM action_status s WHERE "
            "s.action_id = x.id ORDER BY s.year DESC, s.id DESC LIMIT 1), '') NOT IN "
            "('done_closed', 'abandoned')");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_DB : rc;
    out->active = (int)stmt_int(st, 0);
    stmt_done(st);
    st = store_prepare(db, "SELECT coalesce(coordinator_fte, 0), max_actions_per_fte, version "
                           "FROM contract_workload WHERE contract_id = ?1");
    stmt_bind_int(st, 1, contract_id);
    rc = stmt_step(st);
    if (rc == 1) {
        out->fte = stmt_double(st, 0);
        out->threshold = stmt_double(st, 1);
        out->version = (int)stmt_int(st, 2);
        stmt_done(st);
    }
    return rc < 0 ? rc : ERR_OK;
}

bool sheet_workload_exceeded(const struct workload *w)
{
    return w->fte > 0 && w->active / w->fte > w->threshold;
}

int sheet_workload_import(struct store *db, long long contract_id, double fte, double threshold)
{
    if (fte < 0 || fte > 20 || threshold < 1 || threshold > 1000)
        return ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "INSERT INTO contract_workload (contract_id, coordinator_fte, max_actions_per_fte) "
            "VALUES (?1, ?2, ?3) ON CONFLICT (contract_id) DO UPDATE SET coordinator_fte = "
            "excluded.coordinator_fte, max_actions_per_fte = excluded.max_actions_per_fte, "
            "version = contract_workload.version + 1");
    stmt_bind_int(st, 1, contract_id);
    /* store/ binds integers and text: a decimal goes in as text, which the REAL column takes. */
    char v[32];
    if (fte > 0) {
        snprintf(v, sizeof v, "%.4g", fte);
        stmt_bind_text(st, 2, v);
    } else {
        stmt_bind_null(st, 2);
    }
    char t[32];
    snprintf(t, sizeof t, "%.4g", threshold);
    stmt_bind_text(st, 3, t);
    return stmt_exec(st);
}

int sheet_workload_set(struct store *db, const struct actor *who, long long contract_id,
                       double fte, double threshold)
{
    struct workload old;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = sheet_workload(db, contract_id, &old);
    if (rc == ERR_OK)
        rc = sheet_workload_import(db, contract_id, fte, threshold);
    char was[2][32] = {"", ""}, now[2][32] = {"", ""};
    if (old.fte > 0)
        snprintf(was[0], sizeof was[0], "%.4g", old.fte);
    if (fte > 0)
        snprintf(now[0], sizeof now[0], "%.4g", fte);
    snprintf(was[1], sizeof was[1], "%.4g", old.threshold);
    snprintf(now[1], sizeof now[1], "%.4g", threshold);
    long long version = 0;
    if (rc == ERR_OK)
        rc = edit_one_int(db, "SELECT version FROM contract WHERE id = ?1", contract_id,
                          &version);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "contract", contract_id, (int)version, "coordinator_fte",
                         was[0], now[0]);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "contract", contract_id, (int)version, "max_actions_per_fte",
                         was[1], now[1]);
    return edit_finish(db, rc);
}
