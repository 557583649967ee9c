/* demo_evaluation.c — loads the demo contract's final evaluation as its report gives it: the
 * AFOM synthesis (21 items) and the 10 recommendations of annex 10, with the report's line as a
 * French "Source" line. Owners and follow-ups stay empty: the report names none. Must not be
 * needed by any other contract. */
#include "cli/demo/demo_evaluation.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "format/data/csv.h"
#include "model/evaluation/evaluation.h"

#define COL(t, row, name) csv_field(row, csv_column(t, name))

static int read_table(const char *dir, const char *name, struct arena *a, struct csv_table *t,
                      const char *const *columns, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (csv_read_file(path, a, t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    for (; *columns; columns++)
        if (csv_column(t, *columns) < 0) {
            snprintf(err, errlen, "%s: column '%s' is missing", path, *columns);
            return ERR_INVALID;
        }
    return ERR_OK;
}

/* "Rapport d'évaluation du CLS 2, … (lignes 3057, 653)" from the extraction's "3057;653". */
static const char *source_line(struct arena *a, const char *where, const char *lines)
{
    struct buf b = {0};
    buf_puts(&b, where);
    if (*lines) {
        buf_printf(&b, " (%s ", strchr(lines, ';') ? "lignes" : "ligne");
        for (const char *p = lines; *p; p++)
            if (*p == ';')
                buf_puts(&b, ", ");
            else
                buf_putc(&b, *p);
        buf_putc(&b, ')');
    }
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int load_swot(struct store *db, struct arena *a, const char *dir, long long contract_id,
                     char *err, size_t errlen)
{
    static const char *const cols[] = {"quadrant", "position", "text", "source_line", NULL};
    struct csv_table t;
    if (read_table(dir, "swot.csv", a, &t, cols, err, errlen) != ERR_OK)
        return ERR_INVALID;
    /* The file lists each quadrant's items in their order (position). */
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        int q = swot_quadrant_from_key(COL(&t, r, "quadrant"));
        const char *ref = source_line(a, "Rapport d'évaluation du CLS 2, synthèse AFOM",
                                      COL(&t, r, "source_line"));
        if (q < 0 || swot_import(db, contract_id, (enum swot_quadrant)q, COL(&t, r, "text"),
                                 ref) != ERR_OK) {
            snprintf(err, errlen, "swot.csv line %d: bad quadrant or text", r->line);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

static int load_recommendations(struct store *db, struct arena *a, const char *dir,
                                long long contract_id, char *err, size_t errlen)
{
    static const char *const cols[] = {"number", "title", "text", "source_lines", NULL};
    struct csv_table t;
    if (read_table(dir, "recommendations.csv", a, &t, cols, err, errlen) != ERR_OK)
        return ERR_INVALID;
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        long long number = 0;
        /* Paragraphs are separated by one line break in the file: Markdown needs a blank line. */
        struct buf body = {0};
        for (const char *p = COL(&t, r, "text"); *p; p++)
            if (*p == '\n')
                buf_puts(&body, "\n\n");
            else
                buf_putc(&body, *p);
        struct rec_edit e = {.title = COL(&t, r, "title"),
                             .body = arena_strdup(a, buf_cstr(&body)),
                             .owner = "",
                             .follow_up = "",
                             .state = REC_OPEN};
        buf_free(&body);
        int rc = str_to_ll(COL(&t, r, "number"), 1, 999, &number);
        e.number = (int)number;
        const char *ref = source_line(a, "Rapport d'évaluation du CLS 2, recommandations",
                                      COL(&t, r, "source_lines"));
        if (rc != ERR_OK || rec_import(db, contract_id, &e, ref) != ERR_OK) {
            snprintf(err, errlen, "recommendations.csv line %d: bad number or text", r->line);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

int demo_load_evaluation(struct store *db, struct arena *a, const char *dir, long long contract_id,
                         char *err, size_t errlen)
{
    /* Loaded without audit rows, like the rest of the demo: the source line is its history. */
    int rc = load_swot(db, a, dir, contract_id, err, errlen);
    if (rc == ERR_OK)
        rc = load_recommendations(db, a, dir, contract_id, err, errlen);
    return rc;
}
