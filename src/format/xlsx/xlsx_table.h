/* xlsx_table.h — any table of text as a one-sheet .xlsx workbook (libxlsxwriter): bold frozen
 * header, autofilter, wrapped cells. Every cell is written as a string, never as a formula. */
#ifndef OUT_XLSX_TABLE_H
#define OUT_XLSX_TABLE_H

#include <stddef.h>

#include "base/err.h"
#include "base/str.h"

/* cells: n_rows × n_cols strings, row-major (NULL counts as ""). Appends the file's bytes to
 * out; ERR_IO with a French reason in err on failure. */
int xlsx_write_table(const char *title, const char *sheet, const char *const *header, int n_cols,
                     const char *const *cells, int n_rows, struct buf *out, char *err,
                     size_t errlen) MUST_CHECK;

#endif
