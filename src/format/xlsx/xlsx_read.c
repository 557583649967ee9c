/* xlsx_read.c — a focused .xlsx reader on libzip and expat: the sheet list, shared strings,
 * number formats (to tell dates) and one sheet's cells as text, merged ranges filled (the sheet's
 * grid in xlsx_sheet.c, the archive and its limits in xlsx_zip.c). Reads hostile input: every
 * count, size and byte of memory is capped (limits in xlsx.h), errors are French sentences
 * naming the limit; must never crash, never take more than the budget, never return half a
 * sheet. */
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/date.h"
#include "format/xlsx/xlsx.h"
#include "format/xlsx/xlsx_internal.h"

/* ---- workbook: sheets and their parts ---------------------------------------------------- */

struct sheet_ref {
    char *name, *rid, *target;
};

struct book {
    struct base b;
    struct sheet_ref *sheets;
    int n, cap;
    int n_rels;
    char *shared, *styles; /* part names, NULL when none */
    bool date1904;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct book *k = ud;
    const char *l = xr_local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *v = xr_attr(atts, "date1904");
        k->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(l, "sheet") == 0) {
        const char *n = xr_attr(atts, "name"), *id = xr_attr(atts, "id");
        if (!n || !id)
            return;
        if (k->n >= XLSX_MAX_SHEETS) {
            char lim[32];
            xr_fail(k->b.r, "le classeur contient trop de feuilles (plus de %s)",
                    xr_fr_num(lim, XLSX_MAX_SHEETS));
            xr_stop(&k->b);
            return;
        }
        struct sheet_ref *s = xr_grow(k->b.r, k->sheets, &k->cap, k->n, sizeof *k->sheets, 8);
        if (!s) {
            xr_stop(&k->b);
            return;
        }
        k->sheets = s;
        char *dn = xr_dup_counted(k->b.r, n, strlen(n)),
             *did = xr_dup_counted(k->b.r, id, strlen(id));
        if (!dn || !did) {
            free(dn);
            free(did);
            xr_stop(&k->b);
            return;
        }
        k->sheets[k->n++] = (struct sheet_ref){dn, did, NULL};
    }
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static void XMLCALL ignore_text(void *ud, const XML_Char *s, int len)
{
    (void)ud, (void)s, (void)len;
}

/* A relationship's target as a member name: relative to xl/, or absolute from the root. */
static char *part_name(struct reader *r, const char *target)
{
    size_t n = strlen(target);
    if (target[0] == '/')
        return xr_dup_counted(r, target + 1, n - 1);
    if (!xr_charge(r, n + 4 + OVERHEAD))
        return NULL;
    char *s = xmalloc(n + 4);
    memcpy(s, "xl/", 3);
    memcpy(s + 3, target, n + 1);
    return s;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct book *k = ud;
    if (strcmp(xr_local(name), "Relationship") != 0)
        return;
    /* Each relationship is matched against every sheet: both counts are capped. */
    if (++k->n_rels > XLSX_MAX_ENTRIES) {
        char lim[32];
        xr_fail(k->b.r, "le classeur contient trop de relations entre ses parties (plus de %s)",
                xr_fr_num(lim, XLSX_MAX_ENTRIES));
        xr_stop(&k->b);
        return;
    }
    const char *id = xr_attr(atts, "Id"), *type = xr_attr(atts, "Type"),
               *target = xr_attr(atts, "Target");
    if (!id || !type || !target)
        return;
    size_t tl = strlen(type);
    if (tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0 && !k->shared)
        k->shared = part_name(k->b.r, target);
    else if (tl >= 7 && strcmp(type + tl - 7, "/styles") == 0 && !k->styles)
        k->styles = part_name(k->b.r, target);
    for (int i = 0; i < k->n && !k->b.r->failed; i++)
        if (strcmp(k->sheets[i].rid, id) == 0 && !k->sheets[i].target)
            k->sheets[i].target = part_name(k->b.r, target);
    xr_stop(&k->b);
}

static void book_free(struct book *k)
{
    for (int i = 0; i < k->n; i++) {
        free(k->sheets[i].name);
        free(k->sheets[i].rid);
        free(k->sheets[i].target);
    }
    free(k->sheets);
    free(k->shared);
    free(k->styles);
}

/* Reads the workbook's sheet list and part names. */
static bool read_book(struct reader *r, struct book *k)
{
    struct source src = {.name = {[PART_SHEET] = "xl/workbook.xml"}};
    bool ok = xr_parse_source(r, &src, PART_SHEET, k, wb_start, ignore_end, ignore_text, true);
    src.name[PART_SHEET] = "xl/_rels/workbook.xml.rels";
    ok = ok && xr_parse_source(r, &src, PART_SHEET, k, rels_start, ignore_end, ignore_text, true);
    if (ok && k->n == 0) {
        xr_fail(r, "ce classeur n'a aucune feuille");
        ok = false;
    }
    return ok;
}

int xlsx_sheet_names(const char *data, size_t len, struct arena *a, char ***names, int *n,
                     char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct reader *outer = xr_xml_reader;
    xr_xml_reader = &r;
    struct book k = {0};
    zip_source_t *src = NULL;
    *names = NULL;
    *n = 0;
    bool ok = xr_open_zip(&r, data, len, &src) && read_book(&r, &k);
    if (ok) {
        *names = arena_alloc(a, sizeof **names * (size_t)k.n);
        for (int i = 0; i < k.n; i++)
            (*names)[i] = arena_strdup(a, k.sheets[i].name);
        *n = k.n;
    }
    book_free(&k);
    if (r.z)
        zip_discard(r.z);
    xr_xml_reader = outer;
    xr_give_back(&r);
    return ok ? ERR_OK : ERR_INVALID;
}

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct strings *s = ud;
    const char *l = xr_local(name);
    if (strcmp(l, "si") == 0) {
        s->in_si = true;
        buf_reset(&s->cur);
    } else if (strcmp(l, "rPh") == 0) {
        s->skip++;
    } else if (strcmp(l, "t") == 0) {
        s->in_t = true;
    }
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
    struct strings *s = ud;
    const char *l = xr_local(name);
    if (strcmp(l, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(l, "rPh") == 0) {
        s->skip--;
    } else if (strcmp(l, "si") == 0) {
        s->in_si = false;
        if (s->n >= XLSX_MAX_STRINGS) {
            char lim[32];
            xr_fail(s->b.r, "le classeur contient trop de textes partagés (plus de %s)",
                    xr_fr_num(lim, XLSX_MAX_STRINGS));
            xr_stop(&s->b);
            return;
        }
        char **a = xr_grow(s->b.r, s->s, &s->cap, s->n, sizeof *s->s, 256);
        char *d = a ? xr_dup_counted(s->b.r, buf_cstr(&s->cur), s->cur.len) : NULL;
        if (a)
            s->s = a;
        if (!d) {
            xr_stop(&s->b);
            return;
        }
        s->s[s->n++] = d;
    }
}

static void XMLCALL ss_text(void *ud, const XML_Char *t, int len)
{
    struct strings *s = ud;
    if (!s->in_si || !s->in_t || s->skip)
        return;
    s->total += (size_t)len;
    if (s->total > (size_t)XLSX_MAX_TEXT) {
        char lim[32];
        xr_fail(s->b.r, "les textes partagés du classeur dépassent %s Mo (limite d'un import)",
                xr_fr_num(lim, XLSX_MAX_TEXT >> 20));
        xr_stop(&s->b);
        return;
    }
    if (s->cur.len + (size_t)len <= XLSX_MAX_CELL * 4u &&
        !xr_buf_add(s->b.r, &s->cur, t, (size_t)len))
        xr_stop(&s->b);
}

static bool date_code(const char *code)
{
    /* "m" is a month in a date, minutes in "h:mm": dates have d or y too, mostly. Looked up
     * once: a loop per "m" made a long format code quadratic. */
    bool has_dy = strpbrk(code, "dDyY") != NULL, quoted = false, bracket = false;
    for (const char *c = code; *c; c++) {
        if (*c == '"')
            quoted = !quoted;
        else if (*c == '[' && !quoted)
            bracket = true;
        else if (*c == ']' && !quoted)
            bracket = false;
        else if (*c == '\\' && c[1])
            c++;
        else if (!quoted && !bracket && strchr("dDyY", *c))
            return true;
        else if (!quoted && !bracket && (*c == 'm' || *c == 'M') && has_dy)
            return true;
    }
    return false;
}

static void XMLCALL st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct styles *s = ud;
    const char *l = xr_local(name);
    if (strcmp(l, "numFmt") == 0) {
        const char *id = xr_attr(atts, "numFmtId"), *code = xr_attr(atts, "formatCode");
        long v = id ? xr_uint_value(id) : -1;
        if (v >= 0 && v < 1000000 && code && s->n_custom < 64 && date_code(code))
            s->custom[s->n_custom++] = (int)v;
    } else if (strcmp(l, "cellXfs") == 0) {
        s->in_xfs = true;
    } else if (s->in_xfs && strcmp(l, "xf") == 0) {
        if (s->n >= XLSX_MAX_STYLES) {
            char lim[32];
            xr_fail(s->b.r, "le classeur contient trop de styles de cellule (plus de %s)",
                    xr_fr_num(lim, XLSX_MAX_STYLES));
            xr_stop(&s->b);
            return;
        }
        int *f = xr_grow(s->b.r, s->fmt, &s->cap, s->n, sizeof *s->fmt, 64);
        if (!f) {
            xr_stop(&s->b);
            return;
        }
        s->fmt = f;
        const char *id = xr_attr(atts, "numFmtId");
        long v = id ? xr_uint_value(id) : 0;
        s->fmt[s->n++] = v >= 0 && v < 1000000 ? (int)v : 0;
    }
}

static void XMLCALL st_end(void *ud, const XML_Char *name)
{
    struct styles *s = ud;
    if (strcmp(xr_local(name), "cellXfs") == 0)
        s->in_xfs = false;
}

/* True when style index xf shows its number as a date. */
bool xr_is_date_style(const struct styles *s, int xf)
{
    if (xf < 0 || xf >= s->n)
        return false;
    int id = s->fmt[xf];
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return true;
    for (int i = 0; i < s->n_custom; i++)
        if (s->custom[i] == id)
            return true;
    return false;
}

static bool read_parts(struct reader *r, const struct source *src, bool date1904, struct arena *a,
                       struct csv_table *t)
{
    struct strings ss = {0};
    struct styles st = {0};
    struct sheet sh = {.ss = &ss, .st = &st, .date1904 = date1904, .row = -1};
    bool ok = true;
    if (src->name[PART_SHARED])
        ok = xr_parse_source(r, src, PART_SHARED, &ss, ss_start, ss_end, ss_text, false);
    if (ok && src->name[PART_STYLES])
        ok = xr_parse_source(r, src, PART_STYLES, &st, st_start, st_end, ignore_text, false);
    ok = ok && xr_parse_source(r, src, PART_SHEET, &sh, xr_sh_start, xr_sh_end, xr_sh_text, true);
    if (ok) {
        xr_sheet_sort(&sh, true);
        xr_apply_merges(&sh);
    }
    ok = ok && !r->failed && xr_to_table(&sh, a, t);
    if (!ok)
        memset(t, 0, sizeof *t);
    xr_sheet_free(&sh);
    for (int i = 0; i < ss.n; i++)
        free(ss.s[i]);
    free(ss.s);
    buf_free(&ss.cur);
    free(st.fmt);
    return ok;
}

int xlsx_read_sheet(const char *data, size_t len, int index, struct arena *a, struct csv_table *t,
                    char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct reader *outer = xr_xml_reader;
    xr_xml_reader = &r;
    struct book k = {0};
    zip_source_t *src = NULL;
    memset(t, 0, sizeof *t);
    bool ok = xr_open_zip(&r, data, len, &src) && read_book(&r, &k);
    if (ok && (index < 0 || index >= k.n || !k.sheets[index].target)) {
        xr_fail(&r, "feuille n° %d introuvable dans le classeur", index + 1);
        ok = false;
    }
    if (ok) {
        struct source parts = {.name = {k.shared, k.styles, k.sheets[index].target}};
        ok = read_parts(&r, &parts, k.date1904, a, t);
    }
    book_free(&k);
    if (r.z)
        zip_discard(r.z);
    xr_xml_reader = outer;
    xr_give_back(&r);
    return ok ? ERR_OK : ERR_INVALID;
}

int xlsx_read_xml(const char *shared, size_t shared_len, const char *styles, size_t styles_len,
                  const char *sheet, size_t sheet_len, struct arena *a, struct csv_table *t,
                  char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct reader *outer = xr_xml_reader;
    xr_xml_reader = &r;
    struct source parts = {
        .name = {shared ? "xl/sharedStrings.xml" : NULL, styles ? "xl/styles.xml" : NULL,
                 "xl/worksheets/sheet1.xml"},
        .xml = {shared, styles, sheet ? sheet : ""},
        .len = {shared_len, styles_len, sheet ? sheet_len : 0},
    };
    memset(t, 0, sizeof *t);
    bool ok = read_parts(&r, &parts, false, a, t);
    xr_xml_reader = outer;
    xr_give_back(&r);
    return ok ? ERR_OK : ERR_INVALID;
}
