/* import_internal.h — what the two halves of the import screens share: the uploaded file made
 * readable (import_pages.c: upload, sheet and columns) and the view of the second step with its
 * preview and plan (import_confirm.c), which both halves show. Only those files include it. */
#ifndef WEB_IMPORT_INTERNAL_H
#define WEB_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "format/data/csv.h"
#include "model/core/contract.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "web/core/handlers.h"

/* PLAN_CHOICES: changes of one kind offered a choice; the others are listed with their default
 * choice, so that a form stays under the server's REQ_MAX_FORM fields. */
enum { SHEET_ROWS = 12, PREVIEW_ROWS = 20, MAX_ERRORS_SHOWN = 200, PLAN_CHOICES = 120 };

/* An uploaded file made readable: its sheets (none for a CSV) and the grid of one of them. */
struct upload {
    long long id;
    char *filename, *data;
    size_t len;
    bool workbook;
    char **sheets;
    int n_sheets, sheet;
    struct csv_table table;
    struct grid grid;
};

/* ---- import_pages.c ------------------------------------------------------------------------ */

/* The select of the statuses' year. */
void imp_year_select(struct req *req, struct buf *b, int year);
/* The first rows of the sheet as they are, with the column letters. */
void imp_sheet_table(struct buf *b, struct arena *a, const struct grid *g, int width);
/* The column choices of the mapping form: one select per column of the table. */
void imp_map_fields(struct buf *b, const struct grid *g, int width, const struct tracking_map *m);
/* The mapping asked in the query or form (fields named after tracking_map_keys and "header"),
 * or saved under ?map=NAME, or guessed; ERR_INVALID with a reason when what was sent is wrong. */
int imp_requested_map(struct req *req, bool form, long long contract_id, const struct grid *g,
                      struct tracking_map *m, char *err, size_t errlen);
/* Loads the upload of the route ({id}/import/{id}) and reads its sheet. */
int imp_load_upload(struct req *req, struct res *res, long long contract_id, int sheet, int year,
                    struct upload *u);
int imp_number_param(const char *v, int min, int max, int fallback);

/* ---- import_confirm.c ---------------------------------------------------------------------- */

/* The whole second step; errors: the import's refusal (NULL for none). */
void imp_mapping_view(struct req *req, struct res *res, const struct contract *c,
                      const struct upload *u, int year, const struct tracking_map *m,
                      const char *map_error, const struct tracking_result *errors,
                      const char *notice);

#endif
