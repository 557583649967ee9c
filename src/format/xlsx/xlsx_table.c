/* xlsx_table.c — a table of text written as a one-sheet workbook (the raw answers of a
 * questionnaire). Must not read the database nor leave its temporary file behind. */
#include "format/xlsx/xlsx_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/text.h"

enum { CELL_MAX = 32767 }; /* characters of one cell, the spreadsheet's limit */

static void put(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *fmt)
{
    size_t n = strlen(s ? s : "");
    if (n == 0)
        return;
    if (n <= CELL_MAX) {
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
        return;
    }
    n = text_cut_bytes(s, CELL_MAX);
    char *cut = malloc(n + 1);
    if (!cut)
        return;
    memcpy(cut, s, n);
    cut[n] = '\0';
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, cut, fmt);
    free(cut);
}

static bool slurp(const char *path, struct buf *out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_append(out, chunk, n);
    bool ok = !ferror(fp);
    fclose(fp);
    return ok;
}

int xlsx_write_table(const char *title, const char *sheet, const char *const *header, int n_cols,
                     const char *const *cells, int n_rows, struct buf *out, char *err,
                     size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/boussole-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, errlen, "fichier temporaire impossible à créer pour le classeur");
        return ERR_IO;
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        snprintf(err, errlen, "le classeur n'a pas pu être créé");
        return ERR_IO;
    }
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
        put(ws, 0, c, header[c], head);
    for (int r = 0; r < n_rows; r++)
        for (int c = 0; c < n_cols; c++)
            put(ws, r + 1, c, cells[(size_t)r * (size_t)n_cols + (size_t)c], wrap);
    worksheet_freeze_panes(ws, 1, 0);
    if (n_cols > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)(n_rows > 0 ? n_rows : 1),
                             (lxw_col_t)(n_cols - 1));
    lxw_error e = workbook_close(wb);
    size_t before = out->len;
    bool ok = e == LXW_NO_ERROR && slurp(path, out);
    unlink(path);
    if (!ok) {
        out->len = before;
        if (out->p)
            out->p[before] = '\0';
        snprintf(err, errlen, "le classeur n'a pas pu être écrit (%s)",
                 e == LXW_NO_ERROR ? "lecture" : lxw_strerror(e));
        return ERR_IO;
    }
    return ERR_OK;
}
