/* xlsx_sheet.c — one worksheet of an .xlsx read into a grid: cells by reference, their text
 * (shared strings, numbers, dates by style), rows kept sorted by column, merged ranges filled
 * with their top-left value, then the non-blank rows copied out as a table, all in the budget. */
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "format/xlsx/xlsx.h"
#include "format/xlsx/xlsx_internal.h"

enum ref { REF_OK, REF_BAD, REF_BEYOND };

/* "B12" → column 1, row 11 (0-based). REF_BEYOND past XFD1048576 (however many letters or
 * digits: nothing overflows), REF_BAD when it is not a cell reference. */
static enum ref cell_ref(const char *s, int *row, int *col)
{
    long c = 0;
    int nc = 0;
    for (; *s >= 'A' && *s <= 'Z'; s++, nc++)
        if (c <= XLSX_SHEET_COLS)
            c = c * 26 + (*s - 'A' + 1);
    long r = *s ? xr_uint_value(s) : 0;
    if (r < 0 || nc == 0)
        return REF_BAD;
    if (c > XLSX_SHEET_COLS || r > XLSX_SHEET_ROWS)
        return REF_BEYOND;
    if (r == 0)
        return REF_BAD;
    *row = (int)r - 1;
    *col = (int)c - 1;
    return REF_OK;
}

static void beyond(struct sheet *s, const char *what)
{
    char rows[32];
    xr_fail(s->b.r,
            "%s hors des limites d'une feuille de calcul (colonne XFD et ligne %s au plus) : "
            "classeur endommagé ou malveillant",
            what, xr_fr_num(rows, XLSX_SHEET_ROWS));
    xr_stop(&s->b);
}

/* Appends a cell (text copied, counted) to its row; false when the read failed. */
static bool sheet_add(struct sheet *s, int row, int col, const char *text, size_t len)
{
    if (row < 0 || col < 0) { /* a cell outside any row, or with no position: a damaged file */
        xr_fail(s->b.r, "classeur endommagé : une cellule n'a pas de position dans la feuille");
        return !xr_stop(&s->b);
    }
    if (row >= XLSX_MAX_ROWS || col >= XLSX_MAX_COLS) {
        char nr[32], nrow[32];
        xr_fail(s->b.r,
                "feuille trop grande : %s lignes et %d colonnes au plus (cellule en ligne "
                "%s, colonne %d)",
                xr_fr_num(nr, XLSX_MAX_ROWS), XLSX_MAX_COLS, xr_fr_num(nrow, row + 1), col + 1);
        return !xr_stop(&s->b);
    }
    if (row >= s->cap_rows) {
        int cap = s->cap_rows ? s->cap_rows : 64;
        while (cap <= row)
            cap *= 2;
        if (!xr_charge(s->b.r, sizeof *s->rows * (size_t)(cap - s->cap_rows)))
            return !xr_stop(&s->b);
        s->rows = xrealloc(s->rows, sizeof *s->rows * (size_t)cap);
        memset(s->rows + s->cap_rows, 0, sizeof *s->rows * (size_t)(cap - s->cap_rows));
        s->cap_rows = cap;
    }
    if (row >= s->n_rows)
        s->n_rows = row + 1;
    struct srow *r = &s->rows[row];
    struct cell *cells = xr_grow(s->b.r, r->cells, &r->cap, r->n, sizeof *r->cells, 4);
    char *copy = cells ? xr_dup_counted(s->b.r, text, len) : NULL;
    if (cells)
        r->cells = cells;
    if (!copy)
        return !xr_stop(&s->b);
    /* Spreadsheets write a row's cells in column order: appending is the rule, sorting the
     * exception, so that neither disorder nor duplicates make the read quadratic. */
    if (r->n > 0 && col <= r->cells[r->n - 1].col)
        r->sorted = false;
    r->cells[r->n] = (struct cell){col, r->n, copy};
    r->n++;
    return true;
}

static int cell_cmp(const void *a, const void *b)
{
    const struct cell *x = a, *y = b;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts every row by column; of two cells in the same place, keeps the last read (keep_last:
 * a later cell overwrites) or the first (merges: the first range filling a cell wins). */
void xr_sheet_sort(struct sheet *s, bool keep_last)
{
    for (int i = 0; i < s->n_rows; i++) {
        struct srow *r = &s->rows[i];
        if (!r->sorted && r->n > 1) {
            qsort(r->cells, (size_t)r->n, sizeof *r->cells, cell_cmp);
            int w = 0;
            for (int j = 0; j < r->n; j++) {
                if (w > 0 && r->cells[w - 1].col == r->cells[j].col) {
                    if (keep_last) {
                        free(r->cells[w - 1].text);
                        r->cells[w - 1] = r->cells[j];
                    } else {
                        free(r->cells[j].text);
                    }
                    continue;
                }
                r->cells[w++] = r->cells[j];
            }
            r->n = w;
        }
        for (int j = 0; j < r->n; j++)
            r->cells[j].seq = j;
        r->sorted = true;
        r->n_sorted = r->n;
    }
}

/* The text at (row, col) among the sorted cells, NULL when blank. */
static const char *sheet_get(const struct sheet *s, int row, int col)
{
    if (row < 0 || row >= s->n_rows)
        return NULL;
    const struct srow *r = &s->rows[row];
    int lo = 0, hi = r->n_sorted;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (r->cells[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n_sorted && r->cells[lo].col == col ? r->cells[lo].text : NULL;
}

/* Days since the epoch of the workbook → "JJ/MM/AAAA" (and " HH:MM" when there is a time). */
static void serial_date(double v, bool date1904, struct buf *out)
{
    long long days = (long long)floor(v);
    double frac = v - (double)days;
    /* 1900 system: serial 1 = 1900-01-01 with Excel's phantom 29/02/1900; 1904 system:
     * serial 0 = 1904-01-01. Convert to days since 1970-01-01. */
    long long unix_days = date1904 ? days - 24107 : days - 25569;
    if (!date1904 && days < 60)
        unix_days++;
    int y, m, d;
    date_civil_from_days((long)unix_days, &y, &m, &d);
    buf_printf(out, "%s%d/%s%d/%d", d < 10 ? "0" : "", d, m < 10 ? "0" : "", m, y);
    int minutes = (int)llround(frac * 1440.0);
    if (minutes > 0 && minutes < 1440)
        buf_printf(out, " %s%d:%s%d", minutes / 60 < 10 ? "0" : "", minutes / 60,
                   minutes % 60 < 10 ? "0" : "", minutes % 60);
}

/* A number as people read it: no exponent for ordinary values, no float noise. */
static void number_text(const char *v, struct buf *out)
{
    char *end;
    double d = strtod(v, &end);
    if (*end || !isfinite(d)) {
        buf_puts(out, v);
        return;
    }
    if (d == floor(d) && fabs(d) < 1e15) {
        buf_printf(out, "%lld", (long long)d);
        return;
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15g", d);
    buf_puts(out, tmp);
}

static void row_start(struct sheet *s, const char **atts)
{
    const char *r = xr_attr(atts, "r");
    long n = r ? xr_uint_value(r) : s->row + 2;
    if (n <= 0) {
        xr_fail(s->b.r, "classeur endommagé : une ligne de la feuille a un numéro invalide");
        xr_stop(&s->b);
        return;
    }
    if (n > XLSX_SHEET_ROWS) {
        char what[64];
        snprintf(what, sizeof what, "ligne n° %.20s", r ? r : "");
        if (!r)
            snprintf(what, sizeof what, "ligne n° %ld", n);
        beyond(s, what);
        return;
    }
    s->row = (int)n - 1;
    s->col = -1;
}

static void cell_start(struct sheet *s, const char **atts)
{
    if (++s->n_cells > XLSX_MAX_CELLS) {
        char lim[32];
        xr_fail(s->b.r,
                "la feuille contient trop de cellules (plus de %s) : importez une feuille "
                "plus petite ou supprimez les lignes et colonnes inutiles",
                xr_fr_num(lim, XLSX_MAX_CELLS));
        xr_stop(&s->b);
        return;
    }
    const char *r = xr_attr(atts, "r"), *t = xr_attr(atts, "t"), *st = xr_attr(atts, "s");
    int row, col;
    enum ref ref = r ? cell_ref(r, &row, &col) : REF_BAD;
    if (ref == REF_OK) {
        s->row = row;
        s->col = col;
    } else if (ref == REF_BEYOND) {
        char what[64];
        snprintf(what, sizeof what, "cellule %.24s", r); /* only letters and digits */
        beyond(s, what);
        return;
    } else if (r) {
        xr_fail(s->b.r, "classeur endommagé : une cellule de la ligne %d a une référence invalide",
                s->row + 1);
        xr_stop(&s->b);
        return;
    } else {
        s->col++;
    }
    snprintf(s->ref, sizeof s->ref, "%s", r ? r : "");
    snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
    long sv = st ? xr_uint_value(st) : 0;
    s->style = sv >= 0 && sv < XLSX_MAX_STYLES ? (int)sv : -1;
    s->in_cell = true;
    s->has_f = s->has_v = false;
    buf_reset(&s->v);
}

static void merge_start(struct sheet *s, const char **atts)
{
    if (++s->seen_merges > XLSX_MAX_MERGES) {
        char lim[32];
        xr_fail(s->b.r,
                "le classeur contient trop de cellules fusionnées (plus de %s plages dans "
                "la feuille) : annulez les fusions inutiles puis enregistrez de nouveau",
                xr_fr_num(lim, XLSX_MAX_MERGES));
        xr_stop(&s->b);
        return;
    }
    const char *ref = xr_attr(atts, "ref"), *colon = ref ? strchr(ref, ':') : NULL;
    char a[32], b[32];
    if (!colon || colon - ref >= (long)sizeof a || strlen(colon + 1) >= sizeof b)
        return; /* not a range: nothing to fill (a long one is no reference either) */
    memcpy(a, ref, (size_t)(colon - ref));
    a[colon - ref] = '\0';
    snprintf(b, sizeof b, "%s", colon + 1);
    struct merge m;
    enum ref ra = cell_ref(a, &m.r0, &m.c0), rb = cell_ref(b, &m.r1, &m.c1);
    if (ra == REF_BEYOND || rb == REF_BEYOND) {
        char what[64];
        snprintf(what, sizeof what, "plage fusionnée (%s)", ra == REF_BEYOND ? a : b);
        beyond(s, what);
        return;
    }
    if (ra != REF_OK || rb != REF_OK || m.r1 < m.r0 || m.c1 < m.c0)
        return;
    struct merge *g = xr_grow(s->b.r, s->merges, &s->cap_merges, s->n_merges, sizeof *g, 16);
    if (!g) {
        xr_stop(&s->b);
        return;
    }
    s->merges = g;
    s->merges[s->n_merges++] = m;
}

void XMLCALL xr_sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet *s = ud;
    const char *l = xr_local(name);
    if (strcmp(l, "row") == 0) {
        row_start(s, atts);
    } else if (strcmp(l, "c") == 0) {
        cell_start(s, atts);
    } else if (s->in_cell && strcmp(l, "v") == 0) {
        s->in_v = s->has_v = true;
    } else if (s->in_cell && strcmp(l, "f") == 0) {
        s->has_f = true;
    } else if (s->in_cell && strcmp(l, "t") == 0) {
        s->in_is_t = s->has_v = true;
    } else if (strcmp(l, "mergeCell") == 0) {
        merge_start(s, atts);
    }
}

void XMLCALL xr_sh_text(void *ud, const XML_Char *t, int len)
{
    struct sheet *s = ud;
    if ((s->in_v || s->in_is_t) && s->v.len + (size_t)len <= XLSX_MAX_CELL * 4u &&
        !xr_buf_add(s->b.r, &s->v, t, (size_t)len))
        xr_stop(&s->b);
}

/* The text of the cell just read. */
static void cell_done(struct sheet *s)
{
    const char *v = buf_cstr(&s->v);
    struct buf out = {0};
    if (s->has_f && !s->has_v) {
        xr_fail(s->b.r,
                "cellule %s : formule sans valeur calculée ; ouvrez le fichier dans votre "
                "tableur et enregistrez-le de nouveau (ou collez les valeurs à la place des "
                "formules)",
                s->ref);
        xr_stop(&s->b);
        return;
    }
    if (!s->has_v)
        return;
    if (strcmp(s->type, "s") == 0) {
        long k = xr_uint_value(v);
        if (k < 0 || k >= s->ss->n) {
            xr_fail(s->b.r, "cellule %s : texte partagé n° %ld introuvable (classeur endommagé)",
                    s->ref, k);
            xr_stop(&s->b);
            return;
        }
        buf_puts(&out, s->ss->s[k]);
    } else if (strcmp(s->type, "b") == 0) {
        buf_puts(&out, strcmp(v, "1") == 0 ? "VRAI" : "FAUX");
    } else if (strcmp(s->type, "n") == 0 && *v) {
        char *end;
        double d = strtod(v, &end);
        if (!*end && xr_is_date_style(s->st, s->style) && d >= 0 && d < 2958466)
            serial_date(d, s->date1904, &out);
        else
            number_text(v, &out);
    } else {
        buf_puts(&out, v); /* inlineStr, str (a formula's text), e (an error like #N/A) */
    }
    if (out.len > XLSX_MAX_CELL) {
        xr_fail(s->b.r, "cellule %s : texte trop long (%d caractères au plus)", s->ref,
                XLSX_MAX_CELL);
        xr_stop(&s->b);
    } else if (out.len) {
        sheet_add(s, s->row, s->col, buf_cstr(&out), out.len);
    }
    buf_free(&out);
}

void XMLCALL xr_sh_end(void *ud, const XML_Char *name)
{
    struct sheet *s = ud;
    const char *l = xr_local(name);
    if (strcmp(l, "v") == 0)
        s->in_v = false;
    else if (strcmp(l, "t") == 0)
        s->in_is_t = false;
    else if (strcmp(l, "c") == 0 && s->in_cell) {
        s->in_cell = false;
        cell_done(s);
    }
}

void xr_sheet_free(struct sheet *s)
{
    for (int i = 0; i < s->n_rows; i++) {
        for (int j = 0; j < s->rows[i].n; j++)
            free(s->rows[i].cells[j].text);
        free(s->rows[i].cells);
    }
    free(s->rows);
    free(s->merges);
    buf_free(&s->v);
}

/* The part of merge g that can be filled: rows up to the sheet's last, columns up to the last
 * kept; false when there is nothing to fill (a whole-column merge, or no top-left value). */
static bool merge_span(const struct sheet *s, const struct merge *g, int *r_end, int *c_end)
{
    long long area = (long long)(g->r1 - g->r0 + 1) * (g->c1 - g->c0 + 1);
    if (area > 100000 || g->r1 >= XLSX_MAX_ROWS || !sheet_get(s, g->r0, g->c0))
        return false;
    *r_end = g->r1 < s->n_rows - 1 ? g->r1 : s->n_rows - 1;
    *c_end = g->c1 < XLSX_MAX_COLS - 1 ? g->c1 : XLSX_MAX_COLS - 1;
    return *c_end >= g->c0;
}

/* Fills each merged range with its top-left value (a merged objective cell names every row).
 * The cells all ranges cover together are capped before anything is filled: 10,000 ranges of
 * 100,000 cells each would otherwise be a billion steps. */
void xr_apply_merges(struct sheet *s)
{
    long long covered = 0;
    int r_end, c_end;
    for (int m = 0; m < s->n_merges; m++)
        if (merge_span(s, &s->merges[m], &r_end, &c_end))
            covered += (long long)(r_end - s->merges[m].r0 + 1) * (c_end - s->merges[m].c0 + 1);
    if (covered > XLSX_MAX_CELLS) {
        char lim[32];
        xr_fail(s->b.r,
                "les cellules fusionnées de la feuille couvrent trop de cellules (plus de "
                "%s) : annulez les fusions inutiles puis enregistrez de nouveau",
                xr_fr_num(lim, XLSX_MAX_CELLS));
        return;
    }
    for (int m = 0; m < s->n_merges && !s->b.r->failed; m++) {
        const struct merge *g = &s->merges[m];
        if (!merge_span(s, g, &r_end, &c_end))
            continue;
        /* The value lives in a row that the filling below may move: copy it first. */
        const char *v = sheet_get(s, g->r0, g->c0);
        size_t len = strlen(v);
        char *copy = xr_dup_counted(s->b.r, v, len);
        if (!copy)
            return;
        for (int r = g->r0; r <= r_end && !s->b.r->failed; r++)
            for (int c = g->c0; c <= c_end && !s->b.r->failed; c++)
                if (!sheet_get(s, r, c)) /* a spreadsheet keeps the value in the first cell */
                    sheet_add(s, r, c, copy, len);
        free(copy);
    }
    xr_sheet_sort(s, false);
}

/* Copies the non-blank rows into t (arena), cells in column order; the copy is counted in the
 * budget first, since a row with one cell far right costs its whole width. */
bool xr_to_table(struct sheet *s, struct arena *a, struct csv_table *t)
{
    size_t need = sizeof *t->rows * (size_t)(s->n_rows + 1);
    for (int i = 0; i < s->n_rows; i++) {
        const struct srow *r = &s->rows[i];
        int width = r->n ? r->cells[r->n - 1].col + 1 : 0;
        need += sizeof(char *) * (size_t)width;
        for (int j = 0; j < r->n; j++)
            need += strlen(r->cells[j].text) + 1;
    }
    if (!xr_charge(s->b.r, need))
        return false;
    t->sep = 0;
    t->n_rows = 0;
    t->rows = arena_alloc(a, sizeof *t->rows * (size_t)(s->n_rows + 1));
    for (int i = 0; i < s->n_rows; i++) {
        const struct srow *r = &s->rows[i];
        int width = 0;
        for (int j = 0; j < r->n; j++)
            if (r->cells[j].col + 1 > width && *r->cells[j].text)
                width = r->cells[j].col + 1;
        if (width == 0)
            continue;
        struct csv_row *out = &t->rows[t->n_rows++];
        out->line = i + 1;
        out->n = width;
        out->fields = arena_alloc(a, sizeof *out->fields * (size_t)width);
        for (int c = 0; c < width; c++)
            out->fields[c] = "";
        for (int j = 0; j < r->n; j++)
            if (r->cells[j].col < width)
                out->fields[r->cells[j].col] = arena_strdup(a, r->cells[j].text);
    }
    return true;
}

/* Reads the shared strings, the styles and the sheet of src into t. */
