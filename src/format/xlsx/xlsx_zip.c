/* xlsx_zip.c — the .xlsx container for the reader: the ZIP archive opened after checking what
 * the bytes are, each part streamed through expat under the limits of xlsx.h (bytes inflated,
 * compression ratio, memory really held, expat's own memory counted), DTDs refused. */
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "format/xlsx/xlsx.h"
#include "format/xlsx/xlsx_internal.h"

/* ---- small helpers ------------------------------------------------------------------------- */

/* The local part of a (possibly prefixed) XML name: "x:row" → "row". */
const char *xr_local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

const char *xr_attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(xr_local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* 1048576 → "1 048 576", as French text writes numbers (out has room for any long long). */
const char *xr_fr_num(char out[32], long long v)
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
long xr_uint_value(const char *s)
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

void xr_fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void xr_fail(struct reader *r, const char *fmt, ...)
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
bool xr_charge(struct reader *r, size_t n)
{
    if (r->failed)
        return false;
    if (n > (size_t)XLSX_MAX_MEMORY || r->mem > (size_t)XLSX_MAX_MEMORY - n) {
        char lim[32];
        xr_fail(r,
                "classeur refusé : sa lecture demanderait plus de %s Mo de mémoire (limite "
                "d'un import) ; importez une feuille plus petite ou enregistrez une copie sans "
                "les lignes et colonnes inutiles",
                xr_fr_num(lim, XLSX_MAX_MEMORY >> 20));
        return false;
    }
    r->mem += n;
    if (r->mem > r->peak)
        r->peak = r->mem;
    return true;
}

void xr_refund(struct reader *r, size_t n)
{
    r->mem -= n <= r->mem ? n : r->mem;
}

/* Room for one more element in an array of *cap elements of size sz holding n: the array
 * (moved or not), or NULL (the read failed, p untouched) over the budget. */
void *xr_grow(struct reader *r, void *p, int *cap, int n, size_t sz, int first)
{
    if (n < *cap)
        return p;
    int nc = *cap ? *cap * 2 : first;
    if (!xr_charge(r, (size_t)(nc - *cap) * sz + (*cap ? 0 : OVERHEAD)))
        return NULL;
    *cap = nc;
    return xrealloc(p, sz * (size_t)nc);
}

/* A counted copy of s (n bytes); NULL over the budget. */
char *xr_dup_counted(struct reader *r, const char *s, size_t n)
{
    if (!xr_charge(r, n + 1 + OVERHEAD))
        return NULL;
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Appends to a buffer of the reader, its growth counted. */
bool xr_buf_add(struct reader *r, struct buf *b, const char *s, size_t n)
{
    size_t before = b->cap;
    buf_append(b, s, n);
    return b->cap <= before || xr_charge(r, b->cap - before);
}

/* ---- expat's memory, counted in the budget of the read under way -------------------------- */

/* Expat's memory suite has no user pointer: the read under way on this thread is named here,
 * set by each public function for its duration only. Without it, one 60 MB attribute or a
 * million nested elements would be held by expat outside any budget. */
_Thread_local struct reader *xr_xml_reader;

enum { XML_HEADER = 16 }; /* keeps each block's size, and malloc's alignment */

static void *xml_malloc(size_t n)
{
    if (n > SIZE_MAX / 2 || (xr_xml_reader && !xr_charge(xr_xml_reader, n + XML_HEADER)))
        return NULL;
    size_t *p = malloc(n + XML_HEADER);
    if (!p) {
        if (xr_xml_reader)
            xr_refund(xr_xml_reader, n + XML_HEADER);
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
    if (xr_xml_reader)
        xr_refund(xr_xml_reader, p[0] + XML_HEADER);
    free(p);
}

static void *xml_realloc(void *q, size_t n)
{
    if (!q)
        return xml_malloc(n);
    size_t *p = (size_t *)(void *)((char *)q - XML_HEADER), old = p[0];
    if (n > SIZE_MAX / 2 || (n > old && xr_xml_reader && !xr_charge(xr_xml_reader, n - old)))
        return NULL;
    size_t *np = realloc(p, n + XML_HEADER);
    if (!np) {
        if (n > old && xr_xml_reader)
            xr_refund(xr_xml_reader, n - old);
        return NULL;
    }
    if (n < old && xr_xml_reader)
        xr_refund(xr_xml_reader, old - n);
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
        xr_fail(r,
                "classeur refusé : plus de %s Mo une fois décompressé (dans %s) ; c'est la "
                "limite d'un import",
                xr_fr_num(lim, XLSX_MAX_INFLATED >> 20), name);
        return false;
    }
    r->inflated += n;
    if (comp && part > SMALL_PART && part / comp >= XLSX_MAX_RATIO) {
        xr_fail(r,
                "classeur refusé : %s se décompresse plus de %s fois plus gros que dans "
                "l'archive (une « bombe de décompression » ou un fichier endommagé)",
                name, xr_fr_num(lim, XLSX_MAX_RATIO));
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
    xr_fail(r, "classeur endommagé : %s n'est pas du XML valide (ligne %lu : %s)", name,
            (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
}

/* Streams one member of the zip through an expat parser set up by the caller. Returns false
 * (with a message) when the member is missing (and required), too big or not well-formed. */
static bool parse_part(struct reader *r, const char *name, XML_Parser p, bool required)
{
    zip_int64_t idx = zip_name_locate(r->z, name, 0);
    if (idx < 0) {
        if (required)
            xr_fail(r,
                    "ce classeur est incomplet (partie %s absente) : enregistrez-le de nouveau "
                    "au format .xlsx",
                    name);
        return !required;
    }
    zip_stat_t st;
    if (zip_stat_index(r->z, (zip_uint64_t)idx, 0, &st) != 0) {
        xr_fail(r, "classeur endommagé (%s illisible)", name);
        return false;
    }
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? (st.comp_size ? st.comp_size : 1) : 0;
    /* The sizes the archive declares are checked before inflating anything... */
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)XLSX_MAX_INFLATED - r->inflated) {
        char lim[32];
        xr_fail(r,
                "classeur refusé : plus de %s Mo une fois décompressé (dans %s) ; c'est la "
                "limite d'un import",
                xr_fr_num(lim, XLSX_MAX_INFLATED >> 20), name);
        return false;
    }
    if ((st.valid & ZIP_STAT_SIZE) && comp && st.size > SMALL_PART &&
        st.size / comp >= XLSX_MAX_RATIO) {
        char lim[32];
        xr_fail(r,
                "classeur refusé : %s se décompresse plus de %s fois plus gros que dans "
                "l'archive (une « bombe de décompression » ou un fichier endommagé)",
                name, xr_fr_num(lim, XLSX_MAX_RATIO));
        return false;
    }
    zip_file_t *f = zip_fopen_index(r->z, (zip_uint64_t)idx, 0);
    if (!f) {
        xr_fail(r, "classeur illisible (%s) : il est peut-être chiffré ou endommagé",
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
        xr_fail(r, "classeur endommagé (%s illisible)", name);
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
    xr_fail(h->r, "classeur refusé : il contient une déclaration de type de document (DTD)");
    XML_StopParser(h->p, XML_FALSE);
}

/* Every handler's user data starts with the reader and the parser (see no_doctype). */

/* Stops the parser once the read failed (a limit reached in a handler); true if it did. */
bool xr_stop(struct base *b)
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

/* Parses part which of src with a new parser; false with a message on any failure. */
bool xr_parse_source(struct reader *r, const struct source *src, int which, void *ud,
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

/* Opens the zip after checking what the bytes are. */
bool xr_open_zip(struct reader *r, const char *data, size_t len, zip_source_t **src)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(data, ole, 8) == 0) {
        xr_fail(r, "ce fichier est un classeur Excel ancien format (.xls) ou un classeur protégé "
                   "par un mot de passe : enregistrez-le au format .xlsx, sans mot de passe");
        return false;
    }
    if (len == 0) {
        xr_fail(r, "le fichier est vide");
        return false;
    }
    if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        xr_fail(r, "ce fichier n'est pas un classeur .xlsx (ni un fichier CSV lisible) : "
                   "enregistrez le tableau au format .xlsx ou « CSV UTF-8 »");
        return false;
    }
    if (len > XLSX_MAX_FILE) {
        xr_fail(r, "fichier trop volumineux (plus de %d Mo)", XLSX_MAX_FILE >> 20);
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
        xr_fail(r, "classeur endommagé : l'archive .xlsx est illisible (%s)",
                zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    if (r->z && zip_get_num_entries(r->z, 0) > XLSX_MAX_ENTRIES) {
        char lim[32];
        xr_fail(r, "classeur refusé : l'archive contient trop de fichiers (plus de %s)",
                xr_fr_num(lim, XLSX_MAX_ENTRIES));
        return false;
    }
    return r->z != NULL;
}

/* Gives memory freed by a big read back to the system: a refused bomb must not leave the
 * server holding what it took (glibc keeps small freed blocks otherwise). */
void xr_give_back(const struct reader *r)
{
#ifdef __GLIBC__
    if (r->peak > (8u << 20))
        malloc_trim(0);
#else
    (void)r;
#endif
}
