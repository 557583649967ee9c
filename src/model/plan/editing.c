/* editing.c — what every audited, version-checked write shares: per-field problems, the date
 * reader of the forms, the end of a write transaction and its audit texts. The writes themselves
 * are by entity: contract_write.c, organisation_write.c, objective_write.c, action_write.c. */
#include "model/plan/editing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "store/rows.h"
#include "model/plan/editing_internal.h"

void problems_add(struct problems *p, const char *field, const char *message)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->field[i], field) == 0)
            return;
    if (p->n < PROBLEMS_MAX) {
        p->field[p->n] = field;
        p->message[p->n++] = message;
    }
}

int edit_parse_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (str_blank(s))
        return ERR_OK;
    struct date d;
    if (date_parse(s, DATE_FULL, &d) != ERR_OK)
        return ERR_INVALID;
    date_iso(&d, out);
    return ERR_OK;
}

/* ---- shared by editing.c and action_write.c ------------------------------------------------ */

int edit_finish(struct store *db, int rc)
{
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK)
        store_rollback(db);
    return rc;
}

int edit_bumped(struct store *db)
{
    return store_changes(db) == 1 ? ERR_OK : ERR_CONFLICT;
}

int edit_exists(struct store *db, const char *sql, long long id)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

const char *edit_int_text(struct arena *a, long long v)
{
    if (!v)
        return "";
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", v);
    return arena_strdup(a, tmp);
}

bool edit_too_long(const char *s, size_t max)
{
    return s && strlen(s) > max;
}

int edit_one_int(struct store *db, const char *sql, long long id, long long *out)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        *out = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}
