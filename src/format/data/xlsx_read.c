/* xlsx_read.c — a focused .xlsx reader on libzip and expat: the sheet list, shared strings,
 * number formats (to tell dates) and one sheet's cells as text, merged ranges filled. Reads
 * hostile input: every count, size and byte of memory is capped (limits in xlsx.h), DTDs are
 * refused, errors are French sentences naming the limit; must never crash, never take more
 * than the budget, never return half a sheet. */
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "base/date.h"
#include "format/data/xlsx.h"

/* What malloc adds to each block: counted so that many small blocks cost what they really do. */
enum { OVERHEAD = 16, SMALL_PART = 1 << 20 };

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

/* 1048576 → "1 048 576", as French text writes numbers (out has room for any long long). */
static const char *fr_num(char out[32], long long v)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? 0 : v), o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ' ';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

/* A plain decimal number (digits only) → its value, saturated at 10^9 so that "99999999999"
 * is simply too big instead of overflowing; -1 when s is empty or not only digits. */
static long uint_value(const char *s)
{
    if (!*s)
        return -1;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v < 1000000000)
            v = v * 10 + (*s - '0');
    }
    return v > 1000000000 ? 1000000000 : v;
}

struct reader {
    zip_t *z;
    char *err;
    size_t errlen;
    bool failed;
    size_t mem, peak; /* bytes held now (as counted by charge) and at most */
    size_t inflated;  /* bytes of XML read so far, all parts together */
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

/* Counts n more bytes against the read's memory budget; false (the read failed) beyond it.
 * Every allocation of the reader, of expat and of the result goes through here, so the cap is
 * on memory really held, not on counts that only estimate it. */
static bool charge(struct reader *r, size_t n)
{
    if (r->failed)
        return false;
    if (n > (size_t)XLSX_MAX_MEMORY || r->mem > (size_t)XLSX_MAX_MEMORY - n) {
        char lim[32];
        fail(r, "classeur refusé : sa lecture demanderait plus de %s Mo de mémoire (limite "
                "d'un import) ; importez une feuille plus petite ou enregistrez une copie sans "
                "les lignes et colonnes inutiles", fr_num(lim, XLSX_MAX_MEMORY >> 20));
        return false;
    }
    r->mem += n;
    if (r->mem > r->peak)
        r->peak = r->mem;
    return true;
}

static void refund(struct reader *r, size_t n)
{
    r->mem -= n <= r->mem ? n : r->mem;
}

/* Room for one more element in an array of *cap elements of size sz holding n: the array
 * (moved or not), or NULL (the read failed, p untouched) over the budget. */
static void *grow(struct reader *r, void *p, int *cap, int n, size_t sz, int first)
{
    if (n < *cap)
        return p;
    int nc = *cap ? *cap * 2 : first;
    if (!charge(r, (size_t)(nc - *cap) * sz + (*cap ? 0 : OVERHEAD)))
        return NULL;
    *cap = nc;
    return xrealloc(p, sz * (size_t)nc);
}

/* A counted copy of s (n bytes); NULL over the budget. */
static char *dup_counted(struct reader *r, const char *s, size_t n)
{
    if (!charge(r, n + 1 + OVERHEAD))
        return NULL;
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Appends to a buffer of the reader, its growth counted. */
static bool buf_add(struct reader *r, struct buf *b, const char *s, size_t n)
{
    size_t before = b->cap;
    buf_append(b, s, n);
    return b->cap <= before || charge(r, b->cap - before);
}

/* ---- expat's memory, counted in the budget of the read under way -------------------------- */

/* Expat's memory suite has no user pointer: the read under way on this thread is named here,
 * set by each public function for its duration only. Without it, one 60 MB attribute or a
 * million nested elements would be held by expat outside any budget. */
static _Thread_local struct reader *xml_reader;

enum { XML_HEADER = 16 }; /* keeps each block's size, and malloc's alignment */

static void *xml_malloc(size_t n)
{
    if (n > SIZE_MAX / 2 || (xml_reader && !charge(xml_reader, n + XML_HEADER)))
        return NULL;
    size_t *p = malloc(n + XML_HEADER);
    if (!p) {
        if (xml_reader)
            refund(xml_reader, n + XML_HEADER);
        return NULL;
    }
    p[0] = n;
    return (char *)p + XML_HEADER;
}

static void xml_free(void *q)
{
    if (!q)
        return;
    size_t *p = (size_t *)(void *)((char *)q - XML_HEADER);
    if (xml_reader)
        refund(xml_reader, p[0] + XML_HEADER);
    free(p);
}

static void *xml_realloc(void *q, size_t n)
{
    if (!q)
        return xml_malloc(n);
    size_t *p = (size_t *)(void *)((char *)q - XML_HEADER), old = p[0];
    if (n > SIZE_MAX / 2 || (n > old && xml_reader && !charge(xml_reader, n - old)))
        return NULL;
    size_t *np = realloc(p, n + XML_HEADER);
    if (!np) {
        if (n > old && xml_reader)
            refund(xml_reader, n - old);
        return NULL;
    }
    if (n < old && xml_reader)
        refund(xml_reader, old - n);
    np[0] = n;
    return (char *)np + XML_HEADER;
}

static const XML_Memory_Handling_Suite xml_memory = {xml_malloc, xml_realloc, xml_free};

/* ---- parts: zip members or XML in memory, streamed through expat -------------------------- */

/* Counts n more inflated bytes of part name (part bytes so far, comp its compressed size, 0
 * when unknown or in memory): refuses beyond the total and beyond the compression ratio of a
 * zip bomb, so that such a file stops after a few megabytes, not gigabytes. */
static bool count_inflated(struct reader *r, const char *name, size_t n, size_t part,
                           zip_uint64_t comp)
{
    char lim[32];
    if (n > (size_t)XLSX_MAX_INFLATED - r->inflated) {
        fail(r, "classeur refusé : plus de %s Mo une fois décompressé (dans %s) ; c'est la "
                "limite d'un import", fr_num(lim, XLSX_MAX_INFLATED >> 20), name);
        return false;
    }
    r->inflated += n;
    if (comp && part > SMALL_PART && part / comp >= XLSX_MAX_RATIO) {
        fail(r, "classeur refusé : %s se décompresse plus de %s fois plus gros que dans "
                "l'archive (une « bombe de décompression » ou un fichier endommagé)", name,
             fr_num(lim, XLSX_MAX_RATIO));
        return false;
    }
    return true;
}

/* Feeds one chunk (final: the end) to the parser; false when it is not well-formed. */
static bool feed(XML_Parser p, const char *chunk, size_t n, bool final)
{
    return XML_Parse(p, chunk, (int)n, final) != XML_STATUS_ERROR;
}

static void xml_failed(struct reader *r, XML_Parser p, const char *name)
{
    fail(r, "classeur endommagé : %s n'est pas du XML valide (ligne %lu : %s)", name,
         (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
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
    if (zip_stat_index(r->z, (zip_uint64_t)idx, 0, &st) != 0) {
        fail(r, "classeur endommagé (%s illisible)", name);
        return false;
    }
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? (st.comp_size ? st.comp_size : 1) : 0;
    /* The sizes the archive declares are checked before inflating anything... */
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)XLSX_MAX_INFLATED - r->inflated) {
        char lim[32];
        fail(r, "classeur refusé : plus de %s Mo une fois décompressé (dans %s) ; c'est la "
                "limite d'un import", fr_num(lim, XLSX_MAX_INFLATED >> 20), name);
        return false;
    }
    if ((st.valid & ZIP_STAT_SIZE) && comp && st.size > SMALL_PART &&
        st.size / comp >= XLSX_MAX_RATIO) {
        char lim[32];
        fail(r, "classeur refusé : %s se décompresse plus de %s fois plus gros que dans "
                "l'archive (une « bombe de décompression » ou un fichier endommagé)", name,
             fr_num(lim, XLSX_MAX_RATIO));
        return false;
    }
    zip_file_t *f = zip_fopen_index(r->z, (zip_uint64_t)idx, 0);
    if (!f) {
        fail(r, "classeur illisible (%s) : il est peut-être chiffré ou endommagé",
             zip_strerror(r->z));
        return false;
    }
    /* ...and the bytes really inflated, since a bomb may lie about its sizes. */
    char chunk[65536];
    zip_int64_t n = 0;
    size_t total = 0;
    bool ok = true;
    while (ok && !r->failed && (n = zip_fread(f, chunk, sizeof chunk)) > 0) {
        total += (size_t)n;
        ok = count_inflated(r, name, (size_t)n, total, comp) && feed(p, chunk, (size_t)n, false);
    }
    if (ok && !r->failed && n < 0) {
        fail(r, "classeur endommagé (%s illisible)", name);
        ok = false;
    }
    ok = ok && !r->failed && feed(p, "", 0, true);
    if (!ok)
        xml_failed(r, p, name);
    zip_fclose(f);
    return ok;
}

/* The same for a part given as XML in memory (the fuzz target, the tests). */
static bool parse_mem(struct reader *r, const char *name, const char *xml, size_t len,
                      XML_Parser p)
{
    bool ok = true;
    for (size_t off = 0; ok && !r->failed && off < len; off += 65536) {
        size_t n = len - off < 65536 ? len - off : 65536;
        ok = count_inflated(r, name, n, off + n, 0) && feed(p, xml + off, n, false);
    }
    ok = ok && !r->failed && feed(p, "", 0, true);
    if (!ok)
        xml_failed(r, p, name);
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

/* Stops the parser once the read failed (a limit reached in a handler); true if it did. */
static bool stop(struct base *b)
{
    if (b->r->failed)
        XML_StopParser(b->p, XML_FALSE);
    return b->r->failed;
}

/* A parser whose memory is counted; NULL (the read failed) when even that is over budget. */
static XML_Parser new_parser(void *ud, XML_StartElementHandler start, XML_EndElementHandler end,
                             XML_CharacterDataHandler text)
{
    struct base *b = ud;
    XML_Parser p = XML_ParserCreate_MM("UTF-8", &xml_memory, NULL);
    if (!p) {
        if (!b->r->failed)
            abort(); /* out of memory below the budget */
        return NULL;
    }
    b->p = p;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, no_doctype);
    return p;
}

/* Where the parts come from: the zip by member name, or XML in memory (xlsx_read_xml). */
struct source {
    const char *name[3]; /* shared strings, styles, sheet: NULL when the workbook has none */
    const char *xml[3];  /* in memory: the bytes, NULL in a zip */
    size_t len[3];
};
enum { PART_SHARED, PART_STYLES, PART_SHEET };

/* Parses part which of src with a new parser; false with a message on any failure. */
static bool parse_source(struct reader *r, const struct source *src, int which, void *ud,
                         XML_StartElementHandler start, XML_EndElementHandler end,
                         XML_CharacterDataHandler text, bool required)
{
    ((struct base *)ud)->r = r;
    XML_Parser p = new_parser(ud, start, end, text);
    if (!p)
        return false;
    bool ok = src->xml[which] ? parse_mem(r, src->name[which], src->xml[which], src->len[which], p)
                              : parse_part(r, src->name[which], p, required);
    XML_ParserFree(p);
    return ok && !r->failed;
}

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
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        k->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(l, "sheet") == 0) {
        const char *n = attr(atts, "name"), *id = attr(atts, "id");
        if (!n || !id)
            return;
        if (k->n >= XLSX_MAX_SHEETS) {
            char lim[32];
            fail(k->b.r, "le classeur contient trop de feuilles (plus de %s)",
                 fr_num(lim, XLSX_MAX_SHEETS));
            stop(&k->b);
            return;
        }
        struct sheet_ref *s = grow(k->b.r, k->sheets, &k->cap, k->n, sizeof *k->sheets, 8);
        if (!s) {
            stop(&k->b);
            return;
        }
        k->sheets = s;
        char *dn = dup_counted(k->b.r, n, strlen(n)), *did = dup_counted(k->b.r, id, strlen(id));
        if (!dn || !did) {
            free(dn);
            free(did);
            stop(&k->b);
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
        return dup_counted(r, target + 1, n - 1);
    if (!charge(r, n + 4 + OVERHEAD))
        return NULL;
    char *s = xmalloc(n + 4);
    memcpy(s, "xl/", 3);
    memcpy(s + 3, target, n + 1);
    return s;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct book *k = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    /* Each relationship is matched against every sheet: both counts are capped. */
    if (++k->n_rels > XLSX_MAX_ENTRIES) {
        char lim[32];
        fail(k->b.r, "le classeur contient trop de relations entre ses parties (plus de %s)",
             fr_num(lim, XLSX_MAX_ENTRIES));
        stop(&k->b);
        return;
    }
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
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
    stop(&k->b);
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
    if (r->z && zip_get_num_entries(r->z, 0) > XLSX_MAX_ENTRIES) {
        char lim[32];
        fail(r, "classeur refusé : l'archive contient trop de fichiers (plus de %s)",
             fr_num(lim, XLSX_MAX_ENTRIES));
        return false;
    }
    return r->z != NULL;
}

/* Reads the workbook's sheet list and part names. */
static bool read_book(struct reader *r, struct book *k)
{
    struct source src = {.name = {[PART_SHEET] = "xl/workbook.xml"}};
    bool ok = parse_source(r, &src, PART_SHEET, k, wb_start, ignore_end, ignore_text, true);
    src.name[PART_SHEET] = "xl/_rels/workbook.xml.rels";
    ok = ok && parse_source(r, &src, PART_SHEET, k, rels_start, ignore_end, ignore_text, true);
    if (ok && k->n == 0) {
        fail(r, "ce classeur n'a aucune feuille");
        ok = false;
    }
    return ok;
}

/* Gives memory freed by a big read back to the system: a refused bomb must not leave the
 * server holding what it took (glibc keeps small freed blocks otherwise). */
static void give_back(const struct reader *r)
{
#ifdef __GLIBC__
    if (r->peak > (8u << 20))
        malloc_trim(0);
#else
    (void)r;
#endif
}

int xlsx_sheet_names(const char *data, size_t len, struct arena *a, char ***names, int *n,
                     char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct reader *outer = xml_reader;
    xml_reader = &r;
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
    xml_reader = outer;
    give_back(&r);
    return ok ? ERR_OK : ERR_INVALID;
}

/* ---- shared strings and styles ------------------------------------------------------------ */

struct strings {
    struct base b;
    char **s;
    int n, cap;
    struct buf cur;
    bool in_si, in_t;
    int skip;     /* depth inside <rPh> (phonetic runs: not part of the text) */
    size_t total; /* bytes of text of all strings */
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
        if (s->n >= XLSX_MAX_STRINGS) {
            char lim[32];
            fail(s->b.r, "le classeur contient trop de textes partagés (plus de %s)",
                 fr_num(lim, XLSX_MAX_STRINGS));
            stop(&s->b);
            return;
        }
        char **a = grow(s->b.r, s->s, &s->cap, s->n, sizeof *s->s, 256);
        char *d = a ? dup_counted(s->b.r, buf_cstr(&s->cur), s->cur.len) : NULL;
        if (a)
            s->s = a;
        if (!d) {
            stop(&s->b);
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
        fail(s->b.r, "les textes partagés du classeur dépassent %s Mo (limite d'un import)",
             fr_num(lim, XLSX_MAX_TEXT >> 20));
        stop(&s->b);
        return;
    }
    if (s->cur.len + (size_t)len <= XLSX_MAX_CELL * 4u &&
        !buf_add(s->b.r, &s->cur, t, (size_t)len))
        stop(&s->b);
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
    const char *l = local(name);
    if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        long v = id ? uint_value(id) : -1;
        if (v >= 0 && v < 1000000 && code && s->n_custom < 64 && date_code(code))
            s->custom[s->n_custom++] = (int)v;
    } else if (strcmp(l, "cellXfs") == 0) {
        s->in_xfs = true;
    } else if (s->in_xfs && strcmp(l, "xf") == 0) {
        if (s->n >= XLSX_MAX_STYLES) {
            char lim[32];
            fail(s->b.r, "le classeur contient trop de styles de cellule (plus de %s)",
                 fr_num(lim, XLSX_MAX_STYLES));
            stop(&s->b);
            return;
        }
        int *f = grow(s->b.r, s->fmt, &s->cap, s->n, sizeof *s->fmt, 64);
        if (!f) {
            stop(&s->b);
            return;
        }
        s->fmt = f;
        const char *id = attr(atts, "numFmtId");
        long v = id ? uint_value(id) : 0;
        s->fmt[s->n++] = v >= 0 && v < 1000000 ? (int)v : 0;
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
    int col, seq; /* seq: order of arrival in the row, so that sorting keeps it */
    char *text;
};

/* A row's cells: appended as they come, sorted by column (duplicates resolved) by
 * sheet_sort; n_sorted cells are sorted and searchable. */
struct srow {
    struct cell *cells;
    int n, cap, n_sorted;
    bool sorted; /* still in strictly increasing column order */
};

struct merge {
    int r0, c0, r1, c1;
};

struct sheet {
    struct base b;
    const struct strings *ss;
    const struct styles *st;
    bool date1904;
    struct srow *rows; /* by row index (0-based) */
    int n_rows, cap_rows;
    int row, col; /* current row, last column read */
    int n_cells;  /* <c> elements seen */
    char type[16];
    int style;
    bool in_v, in_is_t, has_f, has_v, in_cell;
    struct buf v;
    char ref[24];
    struct merge *merges;
    int n_merges, cap_merges, seen_merges;
};

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
    long r = *s ? uint_value(s) : 0;
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
    fail(s->b.r, "%s hors des limites d'une feuille de calcul (colonne XFD et ligne %s au plus) : "
                 "classeur endommagé ou malveillant", what, fr_num(rows, XLSX_SHEET_ROWS));
    stop(&s->b);
}

/* Appends a cell (text copied, counted) to its row; false when the read failed. */
static bool sheet_add(struct sheet *s, int row, int col, const char *text, size_t len)
{
    if (row < 0 || col < 0) { /* a cell outside any row, or with no position: a damaged file */
        fail(s->b.r, "classeur endommagé : une cellule n'a pas de position dans la feuille");
        return !stop(&s->b);
    }
    if (row >= XLSX_MAX_ROWS || col >= XLSX_MAX_COLS) {
        char nr[32], nrow[32];
        fail(s->b.r, "feuille trop grande : %s lignes et %d colonnes au plus (cellule en ligne "
                     "%s, colonne %d)", fr_num(nr, XLSX_MAX_ROWS), XLSX_MAX_COLS,
             fr_num(nrow, row + 1), col + 1);
        return !stop(&s->b);
    }
    if (row >= s->cap_rows) {
        int cap = s->cap_rows ? s->cap_rows : 64;
        while (cap <= row)
            cap *= 2;
        if (!charge(s->b.r, sizeof *s->rows * (size_t)(cap - s->cap_rows)))
            return !stop(&s->b);
        s->rows = xrealloc(s->rows, sizeof *s->rows * (size_t)cap);
        memset(s->rows + s->cap_rows, 0, sizeof *s->rows * (size_t)(cap - s->cap_rows));
        s->cap_rows = cap;
    }
    if (row >= s->n_rows)
        s->n_rows = row + 1;
    struct srow *r = &s->rows[row];
    struct cell *cells = grow(s->b.r, r->cells, &r->cap, r->n, sizeof *r->cells, 4);
    char *copy = cells ? dup_counted(s->b.r, text, len) : NULL;
    if (cells)
        r->cells = cells;
    if (!copy)
        return !stop(&s->b);
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
static void sheet_sort(struct sheet *s, bool keep_last)
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
    const char *r = attr(atts, "r");
    long n = r ? uint_value(r) : s->row + 2;
    if (n <= 0) {
        fail(s->b.r, "classeur endommagé : une ligne de la feuille a un numéro invalide");
        stop(&s->b);
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
        fail(s->b.r, "la feuille contient trop de cellules (plus de %s) : importez une feuille "
                     "plus petite ou supprimez les lignes et colonnes inutiles",
             fr_num(lim, XLSX_MAX_CELLS));
        stop(&s->b);
        return;
    }
    const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
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
        fail(s->b.r, "classeur endommagé : une cellule de la ligne %d a une référence invalide",
             s->row + 1);
        stop(&s->b);
        return;
    } else {
        s->col++;
    }
    snprintf(s->ref, sizeof s->ref, "%s", r ? r : "");
    snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
    long sv = st ? uint_value(st) : 0;
    s->style = sv >= 0 && sv < XLSX_MAX_STYLES ? (int)sv : -1;
    s->in_cell = true;
    s->has_f = s->has_v = false;
    buf_reset(&s->v);
}

static void merge_start(struct sheet *s, const char **atts)
{
    if (++s->seen_merges > XLSX_MAX_MERGES) {
        char lim[32];
        fail(s->b.r, "le classeur contient trop de cellules fusionnées (plus de %s plages dans "
                     "la feuille) : annulez les fusions inutiles puis enregistrez de nouveau",
             fr_num(lim, XLSX_MAX_MERGES));
        stop(&s->b);
        return;
    }
    const char *ref = attr(atts, "ref"), *colon = ref ? strchr(ref, ':') : NULL;
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
    struct merge *g = grow(s->b.r, s->merges, &s->cap_merges, s->n_merges, sizeof *g, 16);
    if (!g) {
        stop(&s->b);
        return;
    }
    s->merges = g;
    s->merges[s->n_merges++] = m;
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet *s = ud;
    const char *l = local(name);
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

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
    struct sheet *s = ud;
    if ((s->in_v || s->in_is_t) && s->v.len + (size_t)len <= XLSX_MAX_CELL * 4u &&
        !buf_add(s->b.r, &s->v, t, (size_t)len))
        stop(&s->b);
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
        stop(&s->b);
        return;
    }
    if (!s->has_v)
        return;
    if (strcmp(s->type, "s") == 0) {
        long k = uint_value(v);
        if (k < 0 || k >= s->ss->n) {
            fail(s->b.r, "cellule %s : texte partagé n° %ld introuvable (classeur endommagé)",
                 s->ref, k);
            stop(&s->b);
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
        stop(&s->b);
    } else if (out.len) {
        sheet_add(s, s->row, s->col, buf_cstr(&out), out.len);
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
static void apply_merges(struct sheet *s)
{
    long long covered = 0;
    int r_end, c_end;
    for (int m = 0; m < s->n_merges; m++)
        if (merge_span(s, &s->merges[m], &r_end, &c_end))
            covered += (long long)(r_end - s->merges[m].r0 + 1) * (c_end - s->merges[m].c0 + 1);
    if (covered > XLSX_MAX_CELLS) {
        char lim[32];
        fail(s->b.r, "les cellules fusionnées de la feuille couvrent trop de cellules (plus de "
                     "%s) : annulez les fusions inutiles puis enregistrez de nouveau",
             fr_num(lim, XLSX_MAX_CELLS));
        return;
    }
    for (int m = 0; m < s->n_merges && !s->b.r->failed; m++) {
        const struct merge *g = &s->merges[m];
        if (!merge_span(s, g, &r_end, &c_end))
            continue;
        /* The value lives in a row that the filling below may move: copy it first. */
        const char *v = sheet_get(s, g->r0, g->c0);
        size_t len = strlen(v);
        char *copy = dup_counted(s->b.r, v, len);
        if (!copy)
            return;
        for (int r = g->r0; r <= r_end && !s->b.r->failed; r++)
            for (int c = g->c0; c <= c_end && !s->b.r->failed; c++)
                if (!sheet_get(s, r, c)) /* a spreadsheet keeps the value in the first cell */
                    sheet_add(s, r, c, copy, len);
        free(copy);
    }
    sheet_sort(s, false);
}

/* Copies the non-blank rows into t (arena), cells in column order; the copy is counted in the
 * budget first, since a row with one cell far right costs its whole width. */
static bool to_table(struct sheet *s, struct arena *a, struct csv_table *t)
{
    size_t need = sizeof *t->rows * (size_t)(s->n_rows + 1);
    for (int i = 0; i < s->n_rows; i++) {
        const struct srow *r = &s->rows[i];
        int width = r->n ? r->cells[r->n - 1].col + 1 : 0;
        need += sizeof(char *) * (size_t)width;
        for (int j = 0; j < r->n; j++)
            need += strlen(r->cells[j].text) + 1;
    }
    if (!charge(s->b.r, need))
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
static bool read_parts(struct reader *r, const struct source *src, bool date1904,
                       struct arena *a, struct csv_table *t)
{
    struct strings ss = {0};
    struct styles st = {0};
    struct sheet sh = {.ss = &ss, .st = &st, .date1904 = date1904, .row = -1};
    bool ok = true;
    if (src->name[PART_SHARED])
        ok = parse_source(r, src, PART_SHARED, &ss, ss_start, ss_end, ss_text, false);
    if (ok && src->name[PART_STYLES])
        ok = parse_source(r, src, PART_STYLES, &st, st_start, st_end, ignore_text, false);
    ok = ok && parse_source(r, src, PART_SHEET, &sh, sh_start, sh_end, sh_text, true);
    if (ok) {
        sheet_sort(&sh, true);
        apply_merges(&sh);
    }
    ok = ok && !r->failed && to_table(&sh, a, t);
    if (!ok)
        memset(t, 0, sizeof *t);
    sheet_free(&sh);
    for (int i = 0; i < ss.n; i++)
        free(ss.s[i]);
    free(ss.s);
    buf_free(&ss.cur);
    free(st.fmt);
    return ok;
}

int xlsx_read_sheet(const char *data, size_t len, int index, struct arena *a,
                    struct csv_table *t, char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct reader *outer = xml_reader;
    xml_reader = &r;
    struct book k = {0};
    zip_source_t *src = NULL;
    memset(t, 0, sizeof *t);
    bool ok = open_zip(&r, data, len, &src) && read_book(&r, &k);
    if (ok && (index < 0 || index >= k.n || !k.sheets[index].target)) {
        fail(&r, "feuille n° %d introuvable dans le classeur", index + 1);
        ok = false;
    }
    if (ok) {
        struct source parts = {.name = {k.shared, k.styles, k.sheets[index].target}};
        ok = read_parts(&r, &parts, k.date1904, a, t);
    }
    book_free(&k);
    if (r.z)
        zip_discard(r.z);
    xml_reader = outer;
    give_back(&r);
    return ok ? ERR_OK : ERR_INVALID;
}

int xlsx_read_xml(const char *shared, size_t shared_len, const char *styles, size_t styles_len,
                  const char *sheet, size_t sheet_len, struct arena *a, struct csv_table *t,
                  char *err, size_t errlen)
{
    struct reader r = {.err = err, .errlen = errlen};
    struct reader *outer = xml_reader;
    xml_reader = &r;
    struct source parts = {
        .name = {shared ? "xl/sharedStrings.xml" : NULL, styles ? "xl/styles.xml" : NULL,
                 "xl/worksheets/sheet1.xml"},
        .xml = {shared, styles, sheet ? sheet : ""},
        .len = {shared_len, styles_len, sheet ? sheet_len : 0},
    };
    memset(t, 0, sizeof *t);
    bool ok = read_parts(&r, &parts, false, a, t);
    xml_reader = outer;
    give_back(&r);
    return ok ? ERR_OK : ERR_INVALID;
}
