/* xlsx.h — spreadsheets: the tracking table written as an .xlsx workbook (libxlsxwriter: a
 * summary sheet, one sheet per year, the strategy tree) and any .xlsx read back into rows of
 * text cells (a focused reader on libzip + expat: shared strings, inline strings, numbers, dates,
 * booleans, formulas' cached values, merged cells). Nothing here reads the database. */
#ifndef OUT_XLSX_H
#define OUT_XLSX_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "model/plan/objective.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "format/data/csv.h"

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

/* Limits of the reader: what goes beyond one is refused with a French message naming the limit,
 * never half read. A 1 MB hostile file (zip bomb, a million merged ranges, huge shared strings,
 * cells beyond XFD1048576) is refused in well under a second and under the memory budget. */
enum {
    XLSX_MAX_FILE = 64 << 20,     /* bytes of the .xlsx file itself */
    XLSX_MAX_ENTRIES = 10000,     /* members of the zip archive, relationships of the workbook */
    XLSX_MAX_SHEETS = 1024,       /* sheets of a workbook */
    XLSX_MAX_INFLATED = 64 << 20, /* bytes of XML inflated by one read, all parts together */
    XLSX_MAX_RATIO = 200,         /* inflated / compressed size of a part bigger than 1 MB */
    XLSX_MAX_MEMORY = 48 << 20,   /* bytes one read may hold at once, its result included */
    XLSX_SHEET_ROWS = 1048576,    /* a spreadsheet's own limits: XFD1048576 */
    XLSX_SHEET_COLS = 16384,
    XLSX_MAX_ROWS = 200000,       /* rows and columns kept by Boussole */
    XLSX_MAX_COLS = 512,
    XLSX_MAX_CELLS = 1000000,     /* cells of a sheet (<c> elements and cells filled by merges) */
    XLSX_MAX_MERGES = 10000,      /* merged ranges of a sheet */
    XLSX_MAX_STRINGS = 1000000,   /* shared strings */
    XLSX_MAX_TEXT = 32 << 20,     /* bytes of all shared strings together */
    XLSX_MAX_STYLES = 65536,      /* cell formats (Excel itself stops at 64,000) */
    XLSX_MAX_CELL = 32767         /* characters of one cell, Excel's limit */
};

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

/* The parts of a workbook as raw XML, for the fuzz target and tests only: shared strings and
 * styles (each may be NULL) then the sheet, read exactly as xlsx_read_sheet reads them from the
 * zip, with the same limits. */
int xlsx_read_xml(const char *shared, size_t shared_len, const char *styles, size_t styles_len,
                  const char *sheet, size_t sheet_len, struct arena *a, struct csv_table *t,
                  char *err, size_t errlen) MUST_CHECK;

#endif
