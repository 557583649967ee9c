/* meeting_plan.c — SQL of the yearly meeting plan. Must not produce HTML or JSON, and must
 * never write without its audit rows in the same transaction (imports excepted). */
#include "model/governance/meeting_plan.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "model/governance/governance_internal.h"
#include "model/governance/meeting.h"

static void read_entry(struct stmt *st, struct arena *a, void *row)
{
    struct plan_entry *e = row;
    e->id = stmt_int(st, 0);
    e->body_id = stmt_int(st, 1);
    e->year = (int)stmt_int(st, 2);
    e->planned_on = stmt_text(st, 3, a);
    e->precision = stmt_text(st, 4, a);
    e->note = stmt_text(st, 5, a);
}

static int read_all(struct stmt *st, struct arena *a, struct plan_entry **out, int *n)
{
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_entry, &rows, n);
    *out = rows;
    return rc;
}

int plan_list(struct store *db, struct arena *a, long long contract_id, int year,
              struct plan_entry **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT p.id, p.body_id, p.year, p.planned_on, p.date_precision, p.note "
            "FROM meeting_plan p JOIN body b ON b.id = p.body_id WHERE b.contract_id = ?1 "
            "AND (?2 = 0 OR p.year = ?2) ORDER BY p.body_id, p.planned_on, p.id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    return read_all(st, a, out, n);
}

int plan_list_body(struct store *db, struct arena *a, long long body_id, struct plan_entry **out,
                   int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, body_id, year, planned_on, date_precision, note FROM meeting_plan "
            "WHERE body_id = ?1 ORDER BY planned_on, id");
    stmt_bind_int(st, 1, body_id);
    return read_all(st, a, out, n);
}

int plan_years(struct store *db, long long contract_id, int *years, int max, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT DISTINCT p.year FROM meeting_plan p JOIN body b ON b.id = p.body_id "
            "WHERE b.contract_id = ?1 ORDER BY p.year");
    stmt_bind_int(st, 1, contract_id);
    return gov_read_years(st, years, max, n);
}

int plan_create(struct store *db, long long body_id, const char *planned_on,
                const char *precision, const char *note, long long *id)
{
    char check[11];
    const char *p;
    if (!planned_on || meeting_parse_date(planned_on, check, &p) != ERR_OK ||
        !str_eq(check, planned_on) || !str_eq(p, precision) || edit_too_long(note, 500))
        return ERR_INVALID;
    long long year = 0;
    char four[5] = {0};
    memcpy(four, planned_on, 4);
    if (str_to_ll(four, 1900, 2200, &year) != ERR_OK)
        return ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "INSERT INTO meeting_plan (body_id, year, planned_on, date_precision, note, "
            "created_at) VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, body_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, planned_on);
    stmt_bind_text(st, 4, precision);
    stmt_bind_text(st, 5, gov_str(note));
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int plan_add(struct store *db, const struct actor *who, long long body_id,
             const char *planned_on, const char *precision, const char *note, long long *id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = plan_create(db, body_id, planned_on, precision, note, id);
    char field[48];
    snprintf(field, sizeof field, "plan:%lld", rc == ERR_OK ? *id : 0);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "body", body_id, 0, field, "", planned_on);
    return edit_finish(db, rc);
}

int plan_remove(struct store *db, const struct actor *who, long long body_id, long long id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct gov_link l = {"body", body_id, "plan:", id,
                         "SELECT planned_on FROM meeting_plan WHERE id = ?1 AND body_id = ?2",
                         id, body_id};
    static const char *const deletes[] = {
        "DELETE FROM meeting_plan WHERE id = ?1 AND body_id = ?2", NULL};
    return edit_finish(db, gov_link_remove(db, who, &l, deletes));
}
