/* bulk.c — SQL of the fast appends used by data generators. Must not produce HTML or JSON, nor
 * serve interactive writes (those go through action.c, which keeps history free of repeats). */
#include "model/plan/bulk.h"

int bulk_status_append(struct store *db, long long action_id, int year, enum status status,
                       const char *as_written, const char *remarks, const char *recommendations,
                       const char *recorded_by)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO action_status (action_id, year, status, status_as_written, remarks, "
            "recommendations, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?7)");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_int(st, 2, year);
    stmt_bind_text(st, 3, status_key(status));
    stmt_bind_text(st, 4, as_written ? as_written : "");
    stmt_bind_text(st, 5, remarks ? remarks : "");
    stmt_bind_text(st, 6, recommendations ? recommendations : "");
    stmt_bind_text(st, 7, recorded_by ? recorded_by : "");
    return stmt_exec(st);
}
