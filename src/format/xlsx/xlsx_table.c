/* xlsx_table.c — a table of text written as a one-sheet workbook (the raw answers of a
 * questionnaire). Must not read the database nor leave its temporary file behind. */
#include "format/xlsx/xlsx_table.h"
#include "format/xlsx/xlsx_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/text.h"

int xlsx_write_table(const char *title, const char *sheet, const char *const *header, int n_cols,
                     const char *const *cells, int n_rows, struct buf *out, char *err,
                     size_t errlen)
{
    char path[1024];
    lxw_workbook *wb = xlsx_workbook_begin(path, err, errlen);
    if (!wb)
        return ERR_IO;
    lxw_doc_properties props = {.title = (char *)title, .author = "Boussole"};
    workbook_set_properties(wb, &props);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_bg_color(head, 0xE3F2FD);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    worksheet_set_column(ws, 0, (lxw_col_t)(n_cols > 0 ? n_cols - 1 : 0), 28, wrap);
    for (int c = 0; c < n_cols; c++)
        xlsx_put_text(ws, 0, c, header[c], head);
    for (int r = 0; r < n_rows; r++)
        for (int c = 0; c < n_cols; c++)
            xlsx_put_text(ws, r + 1, c, cells[(size_t)r * (size_t)n_cols + (size_t)c], wrap);
    worksheet_freeze_panes(ws, 1, 0);
    if (n_cols > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)(n_rows > 0 ? n_rows : 1),
                             (lxw_col_t)(n_cols - 1));
    return xlsx_workbook_finish(wb, path, out, err, errlen);
}
