/* xlsx_write.h — what the workbook writers share (xlsx.c's tracking workbook, xlsx_table.c's
 * one-sheet table): a workbook on a private temporary file, its bytes read back once closed,
 * and text cells cut to what a spreadsheet cell holds. Only those files include it. */
#ifndef FORMAT_XLSX_WRITE_H
#define FORMAT_XLSX_WRITE_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "base/str.h"

/* A new workbook written to a fresh temporary file whose name goes to path; NULL (err says
 * why, in French, and no file is left) when it cannot be made. */
lxw_workbook *xlsx_workbook_begin(char path[1024], char *err, size_t errlen);
/* Closes wb, appends the file's bytes to out and removes the file. ERR_OK, or ERR_IO with err
 * set and out left as it was. */
int xlsx_workbook_finish(lxw_workbook *wb, const char *path, struct buf *out, char *err,
                         size_t errlen);
/* Writes a text cell (a blank one for ""), cut on a character boundary to XLSX_MAX_CELL. */
void xlsx_put_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *fmt);

#endif
