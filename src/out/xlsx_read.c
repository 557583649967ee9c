/* xlsx_read.c — a focused .xlsx reader on libzip and expat: the sheet list, shared strings,
 * number formats (to tell dates) and one sheet's cells as text, merged ranges filled. Reads
 * outside input: every size is capped, DTDs are refused, errors are French sentences; must
 * never crash nor return half a sheet. */
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "xlsx.h"

/* ---- small helpers ------------------------------------------------------------------------- */

/* The local part of a (possibly prefixed) XML name: "x:row" → "row". */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

struct reader {
    zip_t *z;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->errlen, fmt, ap);
    va_end(ap);
}

/* Streams one member of the zip through an expat parser set up by the caller. Returns false
 * (with a message) when the member is missing (and required), too big or not well-formed. */
static bool parse_part(struct reader *r, const char *name, XML_Parser p, bool required)
{
    zip_int64_t idx = zip_name_locate(r->z, name, 0);
    if (idx < 0) {
        if (required)
            fail(r, "ce classeur est incomplet (partie %s absente) : enregistrez-le de nouveau "
                    "au format .xlsx", name);
        return !required;
    }
    zip_stat_t st;
    if (zip_stat_index(r->z, (zip_uint64_t)idx, 0, &st) != 0 ||
        ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_PART)) {
        fail(r, "classeur trop volumineux une fois décompressé (plus de %d Mo dans %s)",
             XLSX_MAX_PART >> 20, name);
        return false;
    }
    zip_file_t *f = zip_fopen_index(r->z, (zip_uint64_t)idx, 0);
    if (!f) {
        fail(r, "classeur illisible (%s) : il est peut-être chiffré ou endommagé",
             zip_strerror(r->z));
        return false;
    }
    char chunk[65536];
    zip_int64_t n;
    size_t total = 0;
    bool ok = true;
    while (ok && (n = zip_fread(f, chunk, sizeof chunk)) > 0) {
        total += (size_t)n;
        if (total > XLSX_MAX_PART) {
            fail(r, "classeur trop volumineux une fois décompressé (plus de %d Mo dans %s)",
                 XLSX_MAX_PART >> 20, name);
            ok = false;
        } else if (XML_Parse(p, chunk, (int)n, 0) == XML_STATUS_ERROR) {
            ok = false;
        }
    }
    if (ok && n < 0) {
        fail(r, "classeur endommagé (%s illisible)", name);
        ok = false;
    }
    if (ok && XML_Parse(p, "", 0, 1) == XML_STATUS_ERROR)
        ok = false;
    if (!ok && !r->failed)
        fail(r, "classeur endommagé : %s n'est pas du XML valide (ligne %lu : %s)", name,
             (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
    zip_fclose(f);
    return ok;
}

/* Refuses document types: no entity may expand inside a spreadsheet. */
static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    struct {
        struct reader *r;
        XML_Parser p;
    } *h = ud;
    fail(h->r, "classeur refusé : il contient une déclaration de type de document (DTD)");
    XML_StopParser(h->p, XML_FALSE);
}

/* Every handler's user data starts with the reader and the parser (see no_doctype). */
struct base {
    struct reader *r;
    XML_Parser p;
};

static XML_Parser new_parser(void *ud, XML_StartElementHandler start, XML_EndElementHandler end,
                             XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        abort();
    ((struct base *)ud)->p = p;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, no_doctype);
    return p;
}

/* ---- workbook: sheets and their parts ---------------------------------------------------- */

struct sheet_ref {
    char *name, *rid, *target;
};

struct book {
    struct base b;
    struct sheet_ref *sheets;
    int n, cap;
    char *shared, *styles; /* part names, NULL when none */
    bool date1904;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct book *k = ud;
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        k->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(l, "sheet") == 0) {
        const char *n = attr(atts, "name"), *id = attr(atts, "id");
        if (!n || !id)
            return;
        if (k->n == k->cap) {
            k->cap = k->cap ? k->cap * 2 : 8;
            k->sheets = xrealloc(k->sheets, sizeof *k->sheets * (size_t)k->cap);
        }
        k->sheets[k->n++] = (struct sheet_ref){xstrdup(n), xstrdup(id), NULL};
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
static char *part_name(const char *target)
{
    struct buf b = {0};
    if (target[0] == '/')
        buf_puts(&b, target + 1);
    else
        buf_printf(&b, "xl/%s", target);
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct book *k = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    if (!id || !type || !target)
        return;
    size_t tl = strlen(type);
    if (tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0 && !k->shared)
        k->shared = part_name(target);
    else if (tl >= 7 && strcmp(type + tl - 7, "/styles") == 0 && !k->styles)
        k->styles = part_name(target);
    for (int i = 0; i < k->n; i++)
        if (strcmp(k->sheets[i].rid, id) == 0 && !k->sheets[i].target)
            k->sheets[i].target = part_name(target);
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

/* Opens the zip after checking what the bytes are. */
static bool open_zip(struct reader *r, const char *data, size_t len, zip_source_t **src)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(data, ole, 8) == 0) {
        fail(r, "ce fichier est un classeur Excel ancien format (.xls) ou un classeur protégé "
                "par un mot de passe : enregistrez-le au format .xlsx, sans mot de passe");
        return false;
    }
    if (len == 0) {
        fail(r, "le fichier est vide");
        return false;
    }
    if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        fail(r, "ce fichier n'est pas un classeur .xlsx (ni un fichier CSV lisible) : "
                "enregistrez le tableau au format .xlsx ou « CSV UTF-8 »");
        return false;
    }
    if (len > XLSX_MAX_FILE) {
        fail(r, "fichier trop volumineux (plus de %d Mo)", XLSX_MAX_FILE >> 20);
        return false;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    *src = zip_source_buffer_create(data, len, 0, &ze);
    r->z = *src ? zip_open_from_source(*src, ZIP_RDONLY, &ze) : NULL;
    if (!r->z) {
        if (*src)
            zip_source_free(*src);
        *src = NULL;
        fail(r, "classeur endommagé : l'archive .xlsx est illisible (%s)",
             zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    return r->z != NULL;
}

/* Reads the workbook's sheet list and part names. */
static bool read_book(struct reader *r, struct book *k)
{
    k->b.r = r;
    XML_Parser p = new_parser(k, wb_start, ignore_end, ignore_text);
    bool ok = parse_part(r, "xl/workbook.xml", p, true);
    XML_ParserFree(p);
    if (ok) {
        p = new_parser(k, rels_start, ignore_end, ignore_text);
        ok = parse_part(r, "xl/_rels/workbook.xml.rels", p, true);
        XML_ParserFree(p);
    }
    if (ok && k->n == 0) {
        fail(r, "ce classeur n'a aucune feuille");
        ok = false;
    }
    return ok;
}

int xlsx_sheet_names(const char *data, size_t len, struct arena *a, char ***names, int *n,
                     char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct book k = {0};
    zip_source_t *src = NULL;
    *names = NULL;
    *n = 0;
    bool ok = open_zip(&r, data, len, &src) && read_book(&r, &k);
    if (ok) {
        *names = arena_alloc(a, sizeof **names * (size_t)k.n);
        for (int i = 0; i < k.n; i++)
            (*names)[i] = arena_strdup(a, k.sheets[i].name);
        *n = k.n;
    }
    book_free(&k);
    if (r.z)
        zip_discard(r.z);
    return ok ? ERR_OK : ERR_INVALID;
}

/* ---- shared strings and styles ------------------------------------------------------------ */

struct strings {
    struct base b;
    char **s;
    int n, cap;
    struct buf cur;
    bool in_si, in_t;
    int skip; /* depth inside <rPh> (phonetic runs: not part of the text) */
    size_t total;
};

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct strings *s = ud;
    const char *l = local(name);
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
    const char *l = local(name);
    if (strcmp(l, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(l, "rPh") == 0) {
        s->skip--;
    } else if (strcmp(l, "si") == 0) {
        s->in_si = false;
        if (s->n == s->cap) {
            if (s->cap >= 4 * XLSX_MAX_ROWS * 8) {
                fail(s->b.r, "classeur trop volumineux (trop de textes différents)");
                XML_StopParser(s->b.p, XML_FALSE);
                return;
            }
            s->cap = s->cap ? s->cap * 2 : 256;
            s->s = xrealloc(s->s, sizeof *s->s * (size_t)s->cap);
        }
        s->s[s->n++] = xstrdup(buf_cstr(&s->cur));
    }
}

static void XMLCALL ss_text(void *ud, const XML_Char *t, int len)
{
    struct strings *s = ud;
    if (!s->in_si || !s->in_t || s->skip)
        return;
    s->total += (size_t)len;
    if (s->cur.len + (size_t)len <= XLSX_MAX_CELL * 4u)
        buf_append(&s->cur, t, (size_t)len);
}

struct styles {
    struct base b;
    int *fmt; /* numFmtId of each cellXfs entry */
    int n, cap;
    int custom[64]; /* custom date format ids */
    int n_custom;
    bool in_xfs;
};

/* True when a number format code shows a date: d, m or y outside quotes and brackets. */
static bool date_code(const char *code)
{
    bool quoted = false, bracket = false;
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
        else if (!quoted && !bracket && (*c == 'm' || *c == 'M')) {
            /* "m" is a month in a date, minutes in "h:mm": dates have d or y too, mostly. */
            for (const char *d = code; *d; d++)
                if (strchr("dDyY", *d))
                    return true;
        }
    }
    return false;
}

static void XMLCALL st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct styles *s = ud;
    const char *l = local(name);
    if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code && date_code(code) && s->n_custom < 64)
            s->custom[s->n_custom++] = atoi(id);
    } else if (strcmp(l, "cellXfs") == 0) {
        s->in_xfs = true;
    } else if (s->in_xfs && strcmp(l, "xf") == 0) {
        if (s->n == s->cap) {
            if (s->cap >= 65536)
                return;
            s->cap = s->cap ? s->cap * 2 : 64;
            s->fmt = xrealloc(s->fmt, sizeof *s->fmt * (size_t)s->cap);
        }
        const char *id = attr(atts, "numFmtId");
        s->fmt[s->n++] = id ? atoi(id) : 0;
    }
}

static void XMLCALL st_end(void *ud, const XML_Char *name)
{
    struct styles *s = ud;
    if (strcmp(local(name), "cellXfs") == 0)
        s->in_xfs = false;
}

/* True when style index xf shows its number as a date. */
static bool is_date_style(const struct styles *s, int xf)
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

/* ---- the sheet ----------------------------------------------------------------------------- */

struct cell {
    int col;
    char *text;
};

struct srow {
    struct cell *cells;
    int n, cap;
};

struct sheet {
    struct base b;
    const struct strings *ss;
    const struct styles *st;
    bool date1904;
    struct srow *rows; /* by row index (0-based) */
    int n_rows, cap_rows;
    int row, col;      /* current row, last column read */
    char type[16];
    int style;
    bool in_v, in_is_t, has_f, has_v, in_cell;
    struct buf v;
    char ref[24];
    struct {
        int r0, c0, r1, c1;
    } *merges;
    int n_merges, cap_merges;
};

/* "B12" → column 1, row 11 (0-based); false when it is not a cell reference. */
static bool cell_ref(const char *s, int *row, int *col)
{
    int c = 0, r = 0, nc = 0, nr = 0;
    for (; *s >= 'A' && *s <= 'Z'; s++, nc++)
        c = c * 26 + (*s - 'A' + 1);
    for (; *s >= '0' && *s <= '9' && nr < 9; s++, nr++)
        r = r * 10 + (*s - '0');
    if (*s || nc == 0 || nc > 3 || nr == 0 || r == 0)
        return false;
    *row = r - 1;
    *col = c - 1;
    return true;
}

static void sheet_set(struct sheet *s, int row, int col, const char *text)
{
    if (row < 0 || col < 0) { /* a cell outside any row, or with no position: a damaged file */
        fail(s->b.r, "classeur endommagé : une cellule n'a pas de position dans la feuille");
        XML_StopParser(s->b.p, XML_FALSE);
        return;
    }
    if (row >= XLSX_MAX_ROWS || col >= XLSX_MAX_COLS) {
        fail(s->b.r, "feuille trop grande : %d lignes et %d colonnes au plus (cellule en ligne "
                     "%d, colonne %d)", XLSX_MAX_ROWS, XLSX_MAX_COLS, row + 1, col + 1);
        XML_StopParser(s->b.p, XML_FALSE);
        return;
    }
    if (row >= s->cap_rows) {
        int cap = s->cap_rows ? s->cap_rows : 64;
        while (cap <= row)
            cap *= 2;
        s->rows = xrealloc(s->rows, sizeof *s->rows * (size_t)cap);
        memset(s->rows + s->cap_rows, 0, sizeof *s->rows * (size_t)(cap - s->cap_rows));
        s->cap_rows = cap;
    }
    if (row >= s->n_rows)
        s->n_rows = row + 1;
    struct srow *r = &s->rows[row];
    for (int i = 0; i < r->n; i++)
        if (r->cells[i].col == col) {
            free(r->cells[i].text);
            r->cells[i].text = xstrdup(text);
            return;
        }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->cells = xrealloc(r->cells, sizeof *r->cells * (size_t)r->cap);
    }
    r->cells[r->n++] = (struct cell){col, xstrdup(text)};
}

static const char *sheet_get(const struct sheet *s, int row, int col)
{
    if (row < 0 || row >= s->n_rows)
        return NULL;
    const struct srow *r = &s->rows[row];
    for (int i = 0; i < r->n; i++)
        if (r->cells[i].col == col)
            return r->cells[i].text;
    return NULL;
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
    /* Civil date from days (H. Hinnant's algorithm). */
    long long z = unix_days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    buf_printf(out, "%s%lld/%s%lld/%lld", d < 10 ? "0" : "", d, m < 10 ? "0" : "", m, y);
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

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet *s = ud;
    const char *l = local(name);
    if (strcmp(l, "row") == 0) {
        const char *r = attr(atts, "r");
        int n = r ? atoi(r) : 0;
        s->row = n > 0 ? n - 1 : s->row + 1;
        s->col = -1;
    } else if (strcmp(l, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
        int row, col;
        if (r && cell_ref(r, &row, &col)) {
            s->row = row;
            s->col = col;
        } else {
            s->col++;
        }
        snprintf(s->ref, sizeof s->ref, "%s", r ? r : "");
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->style = st ? atoi(st) : 0;
        s->in_cell = true;
        s->has_f = s->has_v = false;
        buf_reset(&s->v);
    } else if (s->in_cell && strcmp(l, "v") == 0) {
        s->in_v = s->has_v = true;
    } else if (s->in_cell && strcmp(l, "f") == 0) {
        s->has_f = true;
    } else if (s->in_cell && strcmp(l, "t") == 0) {
        s->in_is_t = s->has_v = true;
    } else if (strcmp(l, "mergeCell") == 0) {
        const char *ref = attr(atts, "ref");
        char a[16], b[16];
        int r0, c0, r1, c1;
        if (!ref || sscanf(ref, "%15[A-Z0-9]:%15[A-Z0-9]", a, b) != 2 || !cell_ref(a, &r0, &c0) ||
            !cell_ref(b, &r1, &c1) || r1 < r0 || c1 < c0)
            return;
        if (s->n_merges == s->cap_merges) {
            s->cap_merges = s->cap_merges ? s->cap_merges * 2 : 16;
            s->merges = xrealloc(s->merges, sizeof *s->merges * (size_t)s->cap_merges);
        }
        s->merges[s->n_merges].r0 = r0;
        s->merges[s->n_merges].c0 = c0;
        s->merges[s->n_merges].r1 = r1;
        s->merges[s->n_merges].c1 = c1;
        s->n_merges++;
    }
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
    struct sheet *s = ud;
    if ((s->in_v || s->in_is_t) && s->v.len + (size_t)len <= XLSX_MAX_CELL * 4u)
        buf_append(&s->v, t, (size_t)len);
}

/* The text of the cell just read. */
static void cell_done(struct sheet *s)
{
    const char *v = buf_cstr(&s->v);
    struct buf out = {0};
    if (s->has_f && !s->has_v) {
        fail(s->b.r, "cellule %s : formule sans valeur calculée ; ouvrez le fichier dans votre "
                     "tableur et enregistrez-le de nouveau (ou collez les valeurs à la place des "
                     "formules)", s->ref);
        XML_StopParser(s->b.p, XML_FALSE);
        return;
    }
    if (!s->has_v)
        return;
    if (strcmp(s->type, "s") == 0) {
        char *end;
        long k = strtol(v, &end, 10);
        if (*end || k < 0 || k >= s->ss->n) {
            fail(s->b.r, "cellule %s : texte partagé n° %s introuvable (classeur endommagé)",
                 s->ref, v);
            XML_StopParser(s->b.p, XML_FALSE);
            return;
        }
        buf_puts(&out, s->ss->s[k]);
    } else if (strcmp(s->type, "b") == 0) {
        buf_puts(&out, strcmp(v, "1") == 0 ? "VRAI" : "FAUX");
    } else if (strcmp(s->type, "n") == 0 && *v) {
        char *end;
        double d = strtod(v, &end);
        if (!*end && is_date_style(s->st, s->style) && d >= 0 && d < 2958466)
            serial_date(d, s->date1904, &out);
        else
            number_text(v, &out);
    } else {
        buf_puts(&out, v); /* inlineStr, str (a formula's text), e (an error like #N/A) */
    }
    if (out.len > XLSX_MAX_CELL) {
        fail(s->b.r, "cellule %s : texte trop long (%d caractères au plus)", s->ref,
             XLSX_MAX_CELL);
        XML_StopParser(s->b.p, XML_FALSE);
    } else if (out.len) {
        sheet_set(s, s->row, s->col, buf_cstr(&out));
    }
    buf_free(&out);
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
    struct sheet *s = ud;
    const char *l = local(name);
    if (strcmp(l, "v") == 0)
        s->in_v = false;
    else if (strcmp(l, "t") == 0)
        s->in_is_t = false;
    else if (strcmp(l, "c") == 0 && s->in_cell) {
        s->in_cell = false;
        cell_done(s);
    }
}

static void sheet_free(struct sheet *s)
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

/* Fills each merged range with its top-left value (a merged objective cell names every row). */
static void apply_merges(struct sheet *s)
{
    for (int m = 0; m < s->n_merges && !s->b.r->failed; m++) {
        const char *v = sheet_get(s, s->merges[m].r0, s->merges[m].c0);
        if (!v)
            continue;
        char *copy = xstrdup(v);
        long long area = (long long)(s->merges[m].r1 - s->merges[m].r0 + 1) *
                         (s->merges[m].c1 - s->merges[m].c0 + 1);
        if (area > 100000 || s->merges[m].r1 >= XLSX_MAX_ROWS) {
            free(copy);
            continue; /* a whole-column merge: nothing useful to fill */
        }
        for (int r = s->merges[m].r0; r <= s->merges[m].r1 && r < s->n_rows; r++)
            for (int c = s->merges[m].c0; c <= s->merges[m].c1; c++)
                if (!sheet_get(s, r, c)) /* a spreadsheet keeps the value in the first cell */
                    sheet_set(s, r, c, copy);
        free(copy);
    }
}

/* Copies the non-blank rows into t (arena), cells in column order. */
static void to_table(const struct sheet *s, struct arena *a, struct csv_table *t)
{
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
}

int xlsx_read_sheet(const char *data, size_t len, int index, struct arena *a,
                    struct csv_table *t, char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct book k = {0};
    struct strings ss = {0};
    struct styles st = {0};
    struct sheet sh = {0};
    zip_source_t *src = NULL;
    memset(t, 0, sizeof *t);
    bool ok = open_zip(&r, data, len, &src) && read_book(&r, &k);
    if (ok && (index < 0 || index >= k.n || !k.sheets[index].target)) {
        fail(&r, "feuille n° %d introuvable dans le classeur", index + 1);
        ok = false;
    }
    if (ok && k.shared) {
        ss.b.r = &r;
        XML_Parser p = new_parser(&ss, ss_start, ss_end, ss_text);
        ok = parse_part(&r, k.shared, p, false) && !r.failed;
        XML_ParserFree(p);
    }
    if (ok && k.styles) {
        st.b.r = &r;
        XML_Parser p = new_parser(&st, st_start, st_end, ignore_text);
        ok = parse_part(&r, k.styles, p, false) && !r.failed;
        XML_ParserFree(p);
    }
    if (ok) {
        sh.b.r = &r;
        sh.ss = &ss;
        sh.st = &st;
        sh.date1904 = k.date1904;
        sh.row = -1;
        XML_Parser p = new_parser(&sh, sh_start, sh_end, sh_text);
        ok = parse_part(&r, k.sheets[index].target, p, true) && !r.failed;
        XML_ParserFree(p);
    }
    if (ok)
        apply_merges(&sh);
    ok = ok && !r.failed;
    if (ok)
        to_table(&sh, a, t);
    sheet_free(&sh);
    for (int i = 0; i < ss.n; i++)
        free(ss.s[i]);
    free(ss.s);
    buf_free(&ss.cur);
    free(st.fmt);
    book_free(&k);
    if (r.z)
        zip_discard(r.z);
    return ok ? ERR_OK : ERR_INVALID;
}
