/* xlsx.h — spreadsheets: the tracking table written as an .xlsx workbook (libxlsxwriter: a
 * summary sheet, one sheet per year, the strategy tree) and any .xlsx read back into rows of
 * text cells (a focused reader on libzip + expat: shared strings, inline strings, numbers, dates,
 * booleans, formulas' cached values, merged cells). Nothing here reads the database. */
#ifndef OUT_XLSX_H
#define OUT_XLSX_H

#include <stddef.h>

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/str.h"
#include "../model/objective.h"
#include "../model/tracking.h"
#include "../model/tracking_map.h"
#include "csv.h"

struct xlsx_tracking {
    const char *contract_title;
    const struct tracking_year *years; /* ascending; each becomes a sheet named after its year */
    int n_years;
    const struct objective *objs; /* the strategy tree, in tree order */
    int n_objs;
    const int *objective_actions; /* number of actions under each objective (may be NULL) */
};

/* Writes the workbook: "Synthèse" (status counts per year), one sheet per year with the
 * tracking table's columns and headers exactly as the CSV export (headers frozen, autofilter,
 * status cells coloured, widths set), and "Stratégie" (the objective tree). Appends the file's
 * bytes to out; ERR_IO with a French reason in err on failure. */
int xlsx_write_tracking(const struct xlsx_tracking *t, struct buf *out, char *err,
                        size_t errlen) MUST_CHECK;

/* Limits of the reader: bigger files are refused with a message, never half read. */
enum { XLSX_MAX_FILE = 64 << 20, XLSX_MAX_PART = 256 << 20, XLSX_MAX_ROWS = 200000,
       XLSX_MAX_COLS = 512, XLSX_MAX_CELL = 32767 };

/* The sheets of a workbook, in tab order (names in the arena). */
int xlsx_sheet_names(const char *data, size_t len, struct arena *a, char ***names, int *n,
                     char *err, size_t errlen) MUST_CHECK;
/* Reads sheet number index (0-based, tab order) into t (rows[0] is the sheet's first non-blank
 * row; line = the row number the spreadsheet shows; trailing blank cells dropped; dates written
 * JJ/MM/AAAA; merged ranges take the value of their top-left cell). ERR_INVALID with a French
 * reason in err: not an .xlsx (an old .xls, an encrypted file, a zip of something else), a
 * damaged file, a formula without a computed value, too big. */
int xlsx_read_sheet(const char *data, size_t len, int index, struct arena *a,
                    struct csv_table *t, char *err, size_t errlen) MUST_CHECK;

#endif
