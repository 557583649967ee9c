/* financing_plan.c — the coordinator post's yearly financing plan: its expense and income
 * lines, the totals the source states, and the balance rule a year must meet to be final.
 * Checked and audited writes. Must not produce HTML (web/funding). */
#include <stdio.h>
#include <string.h>
#include "base/str.h"
#include "base/text.h"
#include "model/funding/funding.h"
#include "model/sheet/sheet.h"
#include "store/rows.h"

/* ---- the financing plan ------------------------------------------------------------------- */

static void read_line(struct stmt *st, struct arena *a, void *row)
{
    struct financing_line *l = row;
    l->id = stmt_int(st, 0);
    l->year = (int)stmt_int(st, 1);
    l->income = str_eq(stmt_text(st, 2, a), "income");
    l->label = stmt_text(st, 3, a);
    l->organisation_id = stmt_is_null(st, 4) ? 0 : stmt_int(st, 4);
    l->amount = stmt_int(st, 5);
    l->source_ref = stmt_text(st, 6, a);
    l->version = (int)stmt_int(st, 7);
}

static void read_year(struct stmt *st, struct arena *a, void *row)
{
    struct financing_year *y = row;
    y->year = (int)stmt_int(st, 0);
    y->period = stmt_text(st, 1, a);
    y->final = str_eq(stmt_text(st, 2, a), "final");
    y->stated_expense = stmt_is_null(st, 3) ? -1 : stmt_int(st, 3);
    y->stated_income = stmt_is_null(st, 4) ? -1 : stmt_int(st, 4);
    y->source_ref = stmt_text(st, 5, a);
    y->version = (int)stmt_int(st, 6);
    y->expense = stmt_int(st, 7);
    y->income = stmt_int(st, 8);
}

static void read_sum(struct stmt *st, struct arena *a, void *row)
{
    struct financing_sum *s = row;
    s->income = str_eq(stmt_text(st, 0, a), "income");
    s->label = stmt_text(st, 1, a);
    s->amount = stmt_int(st, 2);
    s->stated = stmt_is_null(st, 3) ? -1 : stmt_int(st, 3);
}

int financing_plan_get(struct store *db, struct arena *a, long long contract_id,
                       struct financing_plan *out)
{
    memset(out, 0, sizeof *out);
    struct stmt *st = store_prepare(
        db, "SELECT y.year, y.period, y.state, y.stated_expense, y.stated_income, y.source_ref, "
            "y.version, (SELECT coalesce(sum(amount), 0) FROM financing_line l WHERE "
            "l.contract_id = y.contract_id AND l.year = y.year AND l.line_type = 'expense' AND "
            "l.archived = 0), (SELECT coalesce(sum(amount), 0) FROM financing_line l WHERE "
            "l.contract_id = y.contract_id AND l.year = y.year AND l.line_type = 'income' AND "
            "l.archived = 0) FROM financing_year y WHERE y.contract_id = ?1 ORDER BY y.year");
    stmt_bind_int(st, 1, contract_id);
    int rc = rows_read_all(st, a, sizeof(struct financing_year), read_year, (void **)&out->years,
                           &out->n_years);
    if (rc != ERR_OK)
        return rc;
    st = store_prepare(db, "SELECT id, year, line_type, label, organisation_id, amount, "
                           "source_ref, version FROM financing_line WHERE contract_id = ?1 AND "
                           "archived = 0 ORDER BY year, line_type = 'income', position, id");
    stmt_bind_int(st, 1, contract_id);
    rc = rows_read_all(st, a, sizeof(struct financing_line), read_line, (void **)&out->lines,
                       &out->n_lines);
    if (rc != ERR_OK)
        return rc;
    /* The summary: each label summed over the years, then the totals, next to what the source
     * states for the same label (labels the source has and the lines lack show with 0). */
    st = store_prepare(
        db, "WITH s AS (SELECT line_type, label, sum(amount) AS amount, min(position) AS pos, "
            "0 AS is_total FROM financing_line WHERE contract_id = ?1 AND archived = 0 "
            "GROUP BY line_type, label UNION ALL SELECT line_type, '', sum(amount), 1e9, 1 FROM "
            "financing_line WHERE contract_id = ?1 AND archived = 0 GROUP BY line_type) "
            "SELECT s.line_type, s.label, s.amount, t.amount FROM s LEFT JOIN "
            "financing_stated_summary t ON t.contract_id = ?1 AND t.line_type = s.line_type AND "
            "t.label = s.label ORDER BY s.line_type = 'income', s.is_total, s.pos, s.label");
    stmt_bind_int(st, 1, contract_id);
    return rows_read_all(st, a, sizeof(struct financing_sum), read_sum, (void **)&out->sums,
                         &out->n_sums);
}

long long financing_gap(const struct financing_year *y)
{
    return y->income - y->expense;
}

int financing_year_ensure(struct store *db, long long contract_id, int year, const char *period,
                          const char *source_ref)
{
    struct stmt *st = store_prepare(
        db, "INSERT OR IGNORE INTO financing_year (contract_id, year, period, source_ref) "
            "VALUES (?1, ?2, ?3, ?4)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, period ? period : "");
    stmt_bind_text(st, 4, source_ref ? source_ref : "");
    return stmt_exec(st);
}

int financing_year_stated(struct store *db, long long contract_id, int year, long long expense,
                          long long income)
{
    struct stmt *st = store_prepare(db, "UPDATE financing_year SET stated_expense = "
                                        "coalesce(?3, stated_expense), stated_income = "
                                        "coalesce(?4, stated_income) WHERE contract_id = ?1 AND "
                                        "year = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    if (expense < 0)
        stmt_bind_null(st, 3);
    else
        stmt_bind_int(st, 3, expense);
    if (income < 0)
        stmt_bind_null(st, 4);
    else
        stmt_bind_int(st, 4, income);
    return stmt_exec(st);
}

int financing_summary_stated(struct store *db, long long contract_id, bool income,
                             const char *label, long long amount, const char *source_ref)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO financing_stated_summary (contract_id, line_type, label, amount, "
            "source_ref) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (contract_id, line_type, label) "
            "DO UPDATE SET amount = excluded.amount, source_ref = excluded.source_ref");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, income ? "income" : "expense");
    stmt_bind_text(st, 3, label);
    stmt_bind_int(st, 4, amount);
    stmt_bind_text(st, 5, source_ref ? source_ref : "");
    return stmt_exec(st);
}

void financing_line_check(const struct financing_line *l, struct problems *p)
{
    if (!l->label || str_blank(l->label))
        problems_add(p, "label",
                     "Indiquez l'intitulé de la ligne (poste de dépense ou "
                     "financeur).");
    else if (strlen(l->label) > 200)
        problems_add(p, "label", "L'intitulé dépasse 200 caractères.");
    if (l->year < 1990 || l->year > 2100)
        problems_add(p, "year", "Indiquez l'année en chiffres, entre 1990 et 2100.");
    if (l->amount < 0)
        problems_add(p, "amount", "Écrivez un montant en euros, par exemple 12 500.");
}

/* The state and version of a year; ERR_NOTFOUND when the plan has no such year. */
static int year_state(struct store *db, long long contract_id, int year, bool *final, int *version)
{
    struct stmt *st = store_prepare(db, "SELECT state = 'final', version FROM financing_year "
                                        "WHERE contract_id = ?1 AND year = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return ERR_NOTFOUND;
    *final = stmt_int(st, 0) != 0;
    *version = (int)stmt_int(st, 1);
    stmt_done(st);
    return ERR_OK;
}

int financing_line_load(struct store *db, long long contract_id, const struct financing_line *l)
{
    int rc = financing_year_ensure(db, contract_id, l->year, "", "");
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "INSERT INTO financing_line (contract_id, year, line_type, label, amount, position, "
            "source_ref) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), 0) + 1 FROM "
            "financing_line WHERE contract_id = ?1 AND year = ?2), ?6)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, l->year);
    stmt_bind_text(st, 3, l->income ? "income" : "expense");
    stmt_bind_text(st, 4, l->label);
    stmt_bind_int(st, 5, l->amount);
    stmt_bind_text(st, 6, l->source_ref ? l->source_ref : "");
    return stmt_exec(st);
}

int financing_year_load_final(struct store *db, long long contract_id, int year)
{
    struct stmt *st = store_prepare(
        db, "UPDATE financing_year SET state = 'final' WHERE contract_id = ?1 AND year = ?2 AND "
            "(SELECT coalesce(sum(CASE line_type WHEN 'income' THEN amount ELSE -amount END), 0) "
            "FROM financing_line WHERE contract_id = ?1 AND year = ?2 AND archived = 0) = 0");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    int rc = stmt_exec(st);
    return rc == ERR_OK && store_changes(db) != 1 ? ERR_INVALID : rc;
}

static const char FINAL_REFUSED[] = "Cette année du plan de financement est arrêtée : "
                                    "repassez-la en brouillon pour la modifier.";

static int line_add_in(struct store *db, const struct actor *who, long long contract_id,
                       const struct financing_line *l, long long *id, const char **why)
{
    int rc = financing_year_ensure(db, contract_id, l->year, "", "");
    bool final = false;
    int v = 0;
    if (rc == ERR_OK)
        rc = year_state(db, contract_id, l->year, &final, &v);
    if (rc != ERR_OK)
        return rc;
    if (final) {
        *why = FINAL_REFUSED;
        return ERR_INVALID;
    }
    struct stmt *st = store_prepare(
        db, "INSERT INTO financing_line (contract_id, year, line_type, label, organisation_id, "
            "amount, position, source_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT "
            "coalesce(max(position), 0) + 1 FROM financing_line WHERE contract_id = ?1 AND "
            "year = ?2), ?7)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, l->year);
    stmt_bind_text(st, 3, l->income ? "income" : "expense");
    stmt_bind_text(st, 4, l->label);
    if (l->organisation_id)
        stmt_bind_int(st, 5, l->organisation_id);
    else
        stmt_bind_null(st, 5);
    stmt_bind_int(st, 6, l->amount);
    stmt_bind_text(st, 7, l->source_ref ? l->source_ref : "");
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    *id = store_last_id(db);
    struct arena a = {0};
    char year[16];
    snprintf(year, sizeof year, "%d", l->year);
    rc = audit_record(db, who, "financing_line", *id, 1, "created", "",
                      l->income ? "income" : "expense");
    if (rc == ERR_OK)
        rc = audit_record(db, who, "financing_line", *id, 1, "year", "", year);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "financing_line", *id, 1, "label", "", l->label);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "financing_line", *id, 1, "amount", "",
                          funding_cents_text(&a, l->amount));
    arena_free(&a);
    return rc;
}

int financing_line_add(struct store *db, const struct actor *who, long long contract_id,
                       const struct financing_line *l, long long *id, const char **why)
{
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = audit_last_id(db, &before);
    if (rc == ERR_OK)
        rc = line_add_in(db, who, contract_id, l, id, why);
    if (rc == ERR_OK) /* the contract's journal lists the plan's changes */
        rc = audit_show_in(db, before, contract_id);
    if (rc == ERR_OK)
        return store_commit(db);
    store_rollback(db);
    return rc;
}

int financing_line_get(struct store *db, struct arena *a, long long id, long long *contract_id,
                       struct financing_line *out)
{
    struct stmt *st = store_prepare(db, "SELECT id, year, line_type, label, organisation_id, "
                                        "amount, source_ref, version, contract_id FROM "
                                        "financing_line WHERE id = ?1 AND archived = 0");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return ERR_NOTFOUND;
    read_line(st, a, out);
    *contract_id = stmt_int(st, 8);
    stmt_done(st);
    return ERR_OK;
}

static int line_update_in(struct store *db, const struct actor *who, long long id, int version,
                          const struct financing_line *l, bool archive, const char **why)
{
    struct arena a = {0};
    struct financing_line old;
    long long contract_id = 0;
    int rc = financing_line_get(db, &a, id, &contract_id, &old);
    bool final = false;
    int yv = 0;
    if (rc == ERR_OK)
        rc = year_state(db, contract_id, old.year, &final, &yv);
    if (rc == ERR_OK && old.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK && final) {
        *why = FINAL_REFUSED;
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(db, "UPDATE financing_line SET label = ?2, amount = ?3, "
                                            "archived = ?4, version = version + 1 WHERE id = ?1 "
                                            "AND version = ?5");
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, archive ? old.label : l->label);
        stmt_bind_int(st, 3, archive ? old.amount : l->amount);
        stmt_bind_int(st, 4, archive ? 1 : 0);
        stmt_bind_int(st, 5, version);
        rc = stmt_exec(st);
        if (rc == ERR_OK && store_changes(db) != 1)
            rc = ERR_CONFLICT;
    }
    int nv = version + 1;
    if (rc == ERR_OK && archive)
        rc = audit_record(db, who, "financing_line", id, nv, "archived", "0", "1");
    if (rc == ERR_OK && !archive)
        rc = audit_field(db, who, "financing_line", id, nv, "label", old.label, l->label);
    if (rc == ERR_OK && !archive)
        rc = audit_field(db, who, "financing_line", id, nv, "amount",
                         funding_cents_text(&a, old.amount), funding_cents_text(&a, l->amount));
    arena_free(&a);
    return rc;
}

int financing_line_update(struct store *db, const struct actor *who, long long id, int version,
                          const struct financing_line *l, bool archive, const char **why)
{
    long long before = 0, contract_id = 0;
    struct stmt *st = store_prepare(db, "SELECT contract_id FROM financing_line WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        contract_id = stmt_int(st, 0);
        stmt_done(st);
    }
    if (rc < 0)
        return rc;
    rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = audit_last_id(db, &before);
    if (rc == ERR_OK)
        rc = line_update_in(db, who, id, version, l, archive, why);
    if (rc == ERR_OK)
        rc = audit_show_in(db, before, contract_id);
    if (rc == ERR_OK)
        return store_commit(db);
    store_rollback(db);
    return rc;
}

/* "Les recettes dépassent les dépenses de 0,01 €." and the like, in the arena. */
static const char *gap_sentence(struct arena *a, long long gap)
{
    char s[200];
    snprintf(s, sizeof s,
             "L'année n'est pas équilibrée : les recettes %s les dépenses de %s. "
             "Corrigez les lignes avant de l'arrêter.",
             gap > 0 ? "dépassent" : "sont inférieures aux",
             sheet_amount_text(a, gap > 0 ? gap : -gap));
    return arena_strdup(a, s);
}

static int set_final_in(struct store *db, struct arena *a, const struct actor *who,
                        long long contract_id, int year, int version, bool final, const char **why)
{
    bool was = false;
    int v = 0;
    int rc = year_state(db, contract_id, year, &was, &v);
    if (rc != ERR_OK)
        return rc;
    if (v != version)
        return ERR_CONFLICT;
    if (final) {
        struct stmt *st = store_prepare(
            db, "SELECT coalesce(sum(CASE line_type WHEN 'income' THEN amount ELSE -amount "
                "END), 0) FROM financing_line WHERE contract_id = ?1 AND year = ?2 AND "
                "archived = 0");
        stmt_bind_int(st, 1, contract_id);
        stmt_bind_int(st, 2, year);
        if ((rc = stmt_step(st)) < 0)
            return rc;
        long long gap = stmt_int(st, 0);
        stmt_done(st);
        if (gap != 0) {
            *why = gap_sentence(a, gap);
            return ERR_INVALID;
        }
    }
    struct stmt *st = store_prepare(db, "UPDATE financing_year SET state = ?3, version = "
                                        "version + 1 WHERE contract_id = ?1 AND year = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, final ? "final" : "draft");
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    char field[32];
    snprintf(field, sizeof field, "state %d", year);
    return audit_field(db, who, "contract", contract_id, 0, field, was ? "final" : "draft",
                       final ? "final" : "draft");
}

int financing_year_set_final(struct store *db, struct arena *a, const struct actor *who,
                             long long contract_id, int year, int version, bool final,
                             const char **why)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = set_final_in(db, a, who, contract_id, year, version, final, why);
    if (rc == ERR_OK)
        return store_commit(db);
    store_rollback(db);
    return rc;
}
