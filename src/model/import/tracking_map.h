/* tracking_map.h — how a grid of text cells (a CSV file, a spreadsheet's sheet) becomes rows of
 * the tracking table (tracking.h): by its header row (the export's layout, title lines above it
 * skipped), or by a column mapping for a coordinator's own sheet ("action=C,carrier=E,status=F,
 * header=2"), with the mappings saved per contract. Knows no file format: callers turn files
 * into grids. The rows are then imported by tracking_import, the one interpretation of rows. */
#ifndef MODEL_TRACKING_MAP_H
#define MODEL_TRACKING_MAP_H

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "store/db.h"
#include "model/import/tracking.h"

/* One row of a grid: its line as the spreadsheet shows it and its cells. */
struct grid_row {
    int line, n;
    char **cells;
};

struct grid {
    int n_rows;
    const struct grid_row *rows; /* blank rows left out */
};

/* Where each column of the table is in a coordinator's sheet, and which row holds the headers
 * (data starts under it; 0: no header row, data from the first row). */
struct tracking_map {
    int col[TRK_COLUMNS]; /* 0-based, -1: not in the sheet */
    int header;
};

/* The mapping keys, in column order: "objective_code", "objective", "action", "sheet",
 * "carrier", "status", "remarks", "recommendations". */
extern const char *const tracking_map_keys[TRK_COLUMNS];
/* French name of a column for forms ("Action", "Porteur"…). */
const char *tracking_map_label(enum tracking_column c);

/* Reads "action=C,carrier=E,status=F,header=2": keys above (or the export's French headers:
 * code_objectif, objectif, fiche, porteur, etat, remarques, preconisations), columns as
 * letters (A, B, …, AA) or 1-based numbers, header a row number (default 1). The action column
 * is required. ERR_INVALID with a French reason in err. */
int tracking_map_parse(const char *spec, struct tracking_map *m, char *err,
                       size_t errlen) MUST_CHECK;
/* The canonical spec of m (what tracking_map_parse reads back), appended to out. */
void tracking_map_format(const struct tracking_map *m, struct buf *out);

/* The rows of a grid laid out like the export: the header is the first row, or one of the
 * first 10 when title lines sit above it; other columns are ignored. Header problems go to res
 * (ERR_INVALID); an empty grid is ERR_INVALID with one error. *header_line gets the header's
 * line. Rows and cells in the arena. */
int tracking_grid_by_header(const struct grid *g, struct arena *a, struct tracking_header *h,
                            struct tracking_row **rows, int *n, int *header_line,
                            struct tracking_result *res) MUST_CHECK;

/* The rows of a coordinator's sheet through a mapping: the rows under the header row, each
 * cell from its mapped column ("" when unmapped). A row that names an existing action of the
 * contract without its objective (or without its sheet code) is completed from that action —
 * found by sheet code, else by its title (ignoring case and accents) — so that it updates it
 * instead of creating a new one. h gets the mapping's columns (for error messages). */
int tracking_grid_by_map(struct store *db, struct arena *a, long long contract_id,
                         const struct grid *g, const struct tracking_map *m,
                         struct tracking_header *h, struct tracking_row **rows, int *n,
                         struct tracking_result *res) MUST_CHECK;

/* What a preview shows of one row before importing: problems found by a quick look (empty
 * title, unknown status, action not found and no objective to create it under) and whether the
 * action is new. Not the import's full check: tracking_import has the last word. */
struct tracking_preview {
    int line;
    bool is_new;
    const char *problem; /* NULL when none seen */
};

/* Previews the first max rows (rows from tracking_grid_by_map or _by_header); out has max
 * entries (arena). */
int tracking_preview_rows(struct store *db, struct arena *a, long long contract_id,
                          const struct tracking_row *rows, int n, int max,
                          struct tracking_preview **out) MUST_CHECK;

/* One year's rows of the tracking table (tracking_rows). */
struct tracking_year {
    int year;
    const struct tracking_row *rows;
    int n;
};

/* What a workbook of the tracking table holds: the contract, every year with statuses (or year
 * alone when not 0), ascending, with its rows, and the strategy tree with the number of actions
 * under each objective. ERR_NOTFOUND when the contract does not exist. Arena. */
struct objective;
struct contract;
int tracking_workbook(struct store *db, struct arena *a, long long contract_id, int year,
                      struct contract *c, struct tracking_year **years, int *n_years,
                      struct objective **objs, int *n_objs, int **counts) MUST_CHECK;

/* A mapping saved for a contract. */
struct tracking_saved_map {
    long long id;
    char *name, *spec;
};

/* The contract's saved mappings by name; array in the arena. */
int tracking_map_list(struct store *db, struct arena *a, long long contract_id,
                      struct tracking_saved_map **out, int *n) MUST_CHECK;
/* The spec saved under name for the contract; ERR_NOTFOUND if none. */
int tracking_map_find(struct store *db, struct arena *a, long long contract_id, const char *name,
                      char **spec) MUST_CHECK;
/* Saves spec under name (1 to 80 characters), replacing a mapping of that name. */
int tracking_map_save(struct store *db, long long contract_id, long long account_id,
                      const char *name, const char *spec) MUST_CHECK;

#endif
