/* xlsx.c — the tracking table as an .xlsx workbook written with libxlsxwriter: summary, one
 * sheet per year (the CSV export's columns, so that it imports back), the strategy tree. Must
 * not read the database nor leave its temporary file behind. */
#include "format/xlsx/xlsx.h"
#include "format/xlsx/xlsx_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/text.h"
#include "model/core/status.h"
#include "format/draw/svg.h"

struct formats {
    lxw_format *title, *head, *text, *wrap, *num, *bold_num;
    lxw_format *status[ST_COUNT + 1]; /* [ST_COUNT]: no status */
    lxw_format *level[4];
};

static lxw_color_t colour(const char *hex)
{
    return (lxw_color_t)strtoul(hex + 1, NULL, 16);
}

static void make_formats(lxw_workbook *wb, struct formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_bg_color(f->head, 0xE8EEF4);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_text_wrap(f->head);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_TOP);
    f->text = workbook_add_format(wb);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
    f->wrap = workbook_add_format(wb);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->num = workbook_add_format(wb);
    f->bold_num = workbook_add_format(wb);
    format_set_bold(f->bold_num);
    for (int s = 0; s <= ST_COUNT; s++) {
        enum status st = s == ST_COUNT ? ST_NONE : (enum status)s;
        f->status[s] = workbook_add_format(wb);
        format_set_bg_color(f->status[s], colour(svg_status_colour(st)));
        bool dark = !(st == ST_DONE || st == ST_REFLECTION || st == ST_NONE);
        format_set_font_color(f->status[s], dark ? 0xFFFFFF : 0x000000);
        format_set_bold(f->status[s]);
        format_set_align(f->status[s], LXW_ALIGN_VERTICAL_TOP);
        format_set_text_wrap(f->status[s]);
    }
    for (int l = 0; l < 4; l++) {
        f->level[l] = workbook_add_format(wb);
        format_set_indent(f->level[l], (uint8_t)l);
        if (l < 3)
            format_set_bold(f->level[l]);
    }
}

void xlsx_put_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *fmt)
{
    size_t n = strlen(s ? s : "");
    if (n == 0) {
        worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, fmt);
        return;
    }
    if (n <= XLSX_MAX_CELL) {
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
        return;
    }
    n = text_cut_bytes(s, XLSX_MAX_CELL);
    char *cut = xmalloc(n + 1);
    memcpy(cut, s, n);
    cut[n] = '\0';
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, cut, fmt);
    free(cut);
}

/* Index into formats.status of a status label ("" or unknown: no status). */
static int status_slot(const char *label)
{
    enum status s = status_parse(label);
    return s == ST_NONE ? ST_COUNT : (int)s;
}

static void year_sheet(lxw_workbook *wb, const struct formats *f, const struct tracking_year *y)
{
    char name[16];
    snprintf(name, sizeof name, "%d", y->year);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    static const double widths[TRK_REQUIRED] = {12, 36, 44, 9, 26, 20, 60, 40};
    for (int c = 0; c < TRK_REQUIRED; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c],
                             c == TRK_OBJECTIVE || c == TRK_ACTION || c >= TRK_REMARKS ? f->wrap
                                                                                      : f->text);
        xlsx_put_text(ws, 0, c, tracking_headers[c], f->head);
    }
    for (int i = 0; i < y->n; i++)
        for (int c = 0; c < TRK_REQUIRED; c++) {
            const char *v = y->rows[i].cells[c];
            lxw_format *fmt = c == TRK_STATUS && *v ? f->status[status_slot(v)]
                              : c == TRK_OBJECTIVE || c == TRK_ACTION || c >= TRK_REMARKS
                                  ? f->wrap
                                  : f->text;
            xlsx_put_text(ws, i + 1, c, v, fmt);
        }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)(y->n > 0 ? y->n : 1), TRK_REQUIRED - 1);
}

static void summary_sheet(lxw_workbook *wb, const struct formats *f, const struct xlsx_tracking *t)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Synthèse");
    xlsx_put_text(ws, 0, 0, t->contract_title, f->title);
    xlsx_put_text(ws, 1, 0, "Nombre d'actions par état d'avancement et par année", NULL);
    int r0 = 3, ncol = ST_COUNT + 4;
    worksheet_set_column(ws, 0, 0, 10, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)(ncol - 1), 14, NULL);
    worksheet_set_row(ws, (lxw_row_t)r0, 32, NULL);
    xlsx_put_text(ws, r0, 0, "Année", f->head);
    for (int s = 0; s <= ST_COUNT; s++)
        xlsx_put_text(ws, r0, s + 1, status_label(s == ST_COUNT ? ST_NONE : (enum status)s),
                      f->status[s]);
    xlsx_put_text(ws, r0, ST_COUNT + 2, "Toutes les réalisées", f->head);
    xlsx_put_text(ws, r0, ST_COUNT + 3, "Total", f->head);
    for (int y = 0; y < t->n_years; y++) {
        int counts[ST_COUNT + 1] = {0};
        for (int i = 0; i < t->years[y].n; i++)
            counts[status_slot(t->years[y].rows[i].cells[TRK_STATUS])]++;
        lxw_row_t row = (lxw_row_t)(r0 + 1 + y);
        worksheet_write_number(ws, row, 0, t->years[y].year, f->bold_num);
        for (int s = 0; s <= ST_COUNT; s++)
            worksheet_write_number(ws, row, (lxw_col_t)(s + 1), counts[s], f->num);
        worksheet_write_number(ws, row, ST_COUNT + 2,
                               counts[ST_DONE_CLOSED] + counts[ST_DONE_RECURRING] +
                                   counts[ST_DONE],
                               f->bold_num);
        worksheet_write_number(ws, row, ST_COUNT + 3, t->years[y].n, f->bold_num);
    }
    if (t->n_years == 0)
        xlsx_put_text(ws, r0 + 1, 0, "Aucun état d'avancement enregistré.", NULL);
    worksheet_freeze_panes(ws, (lxw_row_t)(r0 + 1), 1);
    worksheet_autofilter(ws, (lxw_row_t)r0, 0, (lxw_row_t)(r0 + (t->n_years ? t->n_years : 1)),
                         (lxw_col_t)(ncol - 1));
    worksheet_activate(ws);
}

static void tree_sheet(lxw_workbook *wb, const struct formats *f, const struct xlsx_tracking *t)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Stratégie");
    static const char *const heads[4] = {"Niveau", "Code", "Intitulé", "Actions"};
    static const double widths[4] = {24, 10, 90, 10};
    for (int c = 0; c < 4; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], c == 2 ? f->wrap : NULL);
        xlsx_put_text(ws, 0, c, heads[c], f->head);
    }
    for (int i = 0; i < t->n_objs; i++) {
        const struct objective *o = &t->objs[i];
        int l = o->level >= 0 && o->level <= 3 ? (int)o->level : 3;
        xlsx_put_text(ws, i + 1, 0, objective_level_label(o->level), f->level[l]);
        xlsx_put_text(ws, i + 1, 1, o->code, f->level[l]);
        xlsx_put_text(ws, i + 1, 2, o->title, f->level[l]);
        if (t->objective_actions)
            worksheet_write_number(ws, (lxw_row_t)(i + 1), 3, t->objective_actions[i], f->num);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)(t->n_objs ? t->n_objs : 1), 3);
}

/* Reads a whole file into out. */
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

lxw_workbook *xlsx_workbook_begin(char path[1024], char *err, size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 1024, "%s/boussole-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, errlen, "fichier temporaire impossible à créer pour le classeur");
        return NULL;
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        snprintf(err, errlen, "le classeur n'a pas pu être créé");
    }
    return wb;
}

int xlsx_workbook_finish(lxw_workbook *wb, const char *path, struct buf *out, char *err,
                         size_t errlen)
{
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

int xlsx_write_tracking(const struct xlsx_tracking *t, struct buf *out, char *err, size_t errlen)
{
    char path[1024];
    lxw_workbook *wb = xlsx_workbook_begin(path, err, errlen);
    if (!wb)
        return ERR_IO;
    struct formats f;
    make_formats(wb, &f);
    lxw_doc_properties props = {.title = (char *)t->contract_title,
                                .author = "Boussole",
                                .comments = "Tableau de suivi du contrat local de santé"};
    workbook_set_properties(wb, &props);
    summary_sheet(wb, &f, t);
    for (int y = 0; y < t->n_years; y++)
        year_sheet(wb, &f, &t->years[y]);
    tree_sheet(wb, &f, t);
    return xlsx_workbook_finish(wb, path, out, err, errlen);
}
