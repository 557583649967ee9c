/* tracking_export.c — the rows of a contract's tracking table for export, and the query of a
 * contract's actions that import and export share. Must not read or write files, know CSV, or
 * produce HTML. */
#include "model/import/tracking.h"

#include <string.h>

#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/core/status.h"
#include "store/rows.h"

const char *const tracking_headers[TRK_COLUMNS] = {
    "code_objectif",
    "objectif",
    "action",
    "fiche",
    "porteur",
    "etat",
    "remarques",
    "preconisations",
    "code_axe",
    "axe",
    "code_objectif_specifique",
    "objectif_specifique",
};

int tracking_load_actions(struct store *db, struct arena *a, long long contract_id, int year,
                          struct tracking_action **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT a.id, a.objective_id, a.kind, a.code, a.title, a.carrier_label, a.position, "
            "o.code, o.title, coalesce(c.id, 0), coalesce(c.name, ''), coalesce(s.status, ''), "
            "coalesce(s.remarks, ''), coalesce(s.recommendations, ''), a.created_at, "
            "coalesce((SELECT min(s3.year) FROM action_status s3 WHERE s3.action_id = a.id), 0), "
            "coalesce(a.since_year, 0) "
            "FROM action a JOIN objective o ON o.id = a.objective_id "
            "LEFT JOIN organisation c ON c.id = (SELECT ao.organisation_id FROM "
            "action_organisation ao WHERE ao.action_id = a.id AND ao.role = 'carrier' "
            "ORDER BY ao.position, ao.organisation_id LIMIT 1) "
            "LEFT JOIN action_status s ON s.id = (SELECT max(s2.id) FROM action_status s2 "
            "WHERE s2.action_id = a.id AND s2.year = ?2) "
            "WHERE a.contract_id = ?1 AND a.archived = 0 ORDER BY a.position, a.id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, year);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct tracking_action *x = &(*out)[(*n)++];
        x->id = stmt_int(st, 0);
        x->objective_id = stmt_int(st, 1);
        x->kind = stmt_text(st, 2, a);
        x->code = stmt_text(st, 3, a);
        x->title = stmt_text(st, 4, a);
        x->carrier_label = stmt_text(st, 5, a);
        x->position = (int)stmt_int(st, 6);
        x->objective_code = stmt_text(st, 7, a);
        x->objective_title = stmt_text(st, 8, a);
        x->carrier_id = stmt_int(st, 9);
        x->carrier_name = stmt_text(st, 10, a);
        x->status = stmt_text(st, 11, a);
        x->remarks = stmt_text(st, 12, a);
        x->recommendations = stmt_text(st, 13, a);
        x->first_year = figures_first_year((int)stmt_int(st, 15), (int)stmt_int(st, 16),
                                           stmt_text(st, 14, a));
    }
    return rc < 0 ? rc : ERR_OK;
}

int tracking_rows(struct store *db, struct arena *a, long long contract_id, int year,
                  struct tracking_row **out, int *n, int *used)
{
    struct contract c;
    int rc = contract_get(db, a, contract_id, &c);
    if (rc != ERR_OK)
        return rc;
    if (!year && (rc = figures_reporting_year(db, contract_id, &year, NULL)) != ERR_OK)
        return rc;
    *used = year;
    struct tracking_action *list;
    int count;
    if ((rc = tracking_load_actions(db, a, contract_id, year, &list, &count)) != ERR_OK)
        return rc;
    /* A year's table holds the actions that exist that year (figures.h), so that the
     * spreadsheet's summary counts what the dashboard and the report count. */
    int kept = 0;
    for (int i = 0; i < count; i++)
        if (!year || figures_exists_in(list[i].first_year, year))
            list[kept++] = list[i];
    count = kept;
    *out = arena_alloc(a, sizeof **out * (size_t)(count + 1));
    for (int i = 0; i < count; i++) {
        const struct tracking_action *x = &list[i];
        struct tracking_row *r = &(*out)[i];
        enum status s = status_from_key(x->status);
        r->line = i + 2;
        r->cells[TRK_OBJECTIVE_CODE] = x->objective_code;
        r->cells[TRK_OBJECTIVE] = x->objective_title;
        r->cells[TRK_ACTION] = x->title;
        r->cells[TRK_SHEET] = strcmp(x->kind, "lead") == 0 ? TRACKING_LEAD : x->code;
        r->cells[TRK_CARRIER] = x->carrier_id ? x->carrier_name : x->carrier_label;
        r->cells[TRK_STATUS] = s == ST_NONE ? "" : status_label(s);
        r->cells[TRK_REMARKS] = x->remarks;
        r->cells[TRK_RECOMMENDATIONS] = x->recommendations;
        for (int k = TRK_REQUIRED; k < TRK_COLUMNS; k++)
            r->cells[k] = ""; /* the tree is the contract's: not repeated on every row */
    }
    *n = count;
    return ERR_OK;
}
