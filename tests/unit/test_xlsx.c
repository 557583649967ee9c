/* test_xlsx.c — unit tests of the spreadsheets: the reader on the fuzz seeds (shared and inline
 * strings, dates of both epochs, merged cells, booleans, errors, formulas with and without a
 * value, DTDs, old and encrypted files), hostile workbooks built here (zip bombs, a million
 * merged ranges, huge shared strings, references past XFD1048576) refused with their limit, the
 * export read back to the same rows, 10,000 rows, the column mappings and the multipart parser
 * of the upload. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/import/tracking_map.h"
#include "format/xlsx/xlsx.h"
#include "store/db.h"
#include "web/http/multipart.h"

static char dir[] = "/tmp/boussole-test-xlsx-XXXXXX";
static struct store *db;

static bool slurp(const char *name, struct buf *out)
{
    const char *src = getenv("BOUSSOLE_SOURCE");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/xlsx/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path);
        return false;
    }
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, n);
    fclose(f);
    return true;
}

static const char *field(const struct csv_table *t, int line, int col)
{
    for (int i = 0; i < t->n_rows; i++)
        if (t->rows[i].line == line)
            return col < t->rows[i].n ? t->rows[i].fields[col] : "";
    return NULL;
}

/* Reads sheet 0 of a seed; returns the result code, err filled. */
static int read_seed(const char *name, struct arena *a, struct csv_table *t, char *err)
{
    struct buf data = {0};
    int rc = -99;
    if (slurp(name, &data))
        rc = xlsx_read_sheet(data.p, data.len, 0, a, t, err, 512);
    buf_free(&data);
    return rc;
}

static void test_reader(void)
{
    struct arena a = {0};
    struct csv_table t;
    char err[512];
    CHECK(read_seed("cells.xlsx", &a, &t, err) == ERR_OK);
    CHECK_STR(field(&t, 1, 0), "action");
    CHECK_STR(field(&t, 1, 1), "etat");
    CHECK(field(&t, 2, 0) == NULL); /* blank row left out, lines kept */
    CHECK_STR(field(&t, 3, 0), "En cours"); /* rich text, phonetic run left out */
    CHECK_STR(field(&t, 3, 1), "01/01/2023");
    CHECK_STR(field(&t, 3, 2), "15/03/2023 12:00");
    CHECK_STR(field(&t, 3, 3), "3"); /* no float noise */
    CHECK_STR(field(&t, 3, 4), "VRAI");
    CHECK_STR(field(&t, 3, 5), "#N/A");
    CHECK_STR(field(&t, 3, 6), "action"); /* a formula's computed value */
    CHECK_STR(field(&t, 4, 0), " Réalisé "); /* its own value wins over the merge */
    CHECK(read_seed("date1904.xlsx", &a, &t, err) == ERR_OK);
    CHECK_STR(field(&t, 3, 1), "02/01/2027");
    CHECK(read_seed("formula_no_value.xlsx", &a, &t, err) == ERR_INVALID);
    CHECK(strstr(err, "A1") && strstr(err, "formule"));
    CHECK(read_seed("doctype.xlsx", &a, &t, err) == ERR_INVALID);
    CHECK(strstr(err, "DTD") != NULL);
    CHECK(read_seed("ole.xlsx", &a, &t, err) == ERR_INVALID);
    CHECK(strstr(err, "mot de passe") != NULL);
    CHECK(read_seed("not_zip.xlsx", &a, &t, err) == ERR_INVALID);
    CHECK(strstr(err, "pas un classeur") != NULL);
    CHECK(xlsx_read_sheet("", 0, 0, &a, &t, err, sizeof err) == ERR_INVALID);
    CHECK(strstr(err, "vide") != NULL);
    CHECK(xlsx_read_sheet("PK\x03\x04garbage", 12, 0, &a, &t, err, sizeof err) == ERR_INVALID);
    char **names;
    int n;
    struct buf data = {0};
    CHECK(slurp("cells.xlsx", &data));
    CHECK(xlsx_sheet_names(data.p, data.len, &a, &names, &n, err, sizeof err) == ERR_OK);
    CHECK_INT(n, 2);
    CHECK(n == 2 && str_eq(names[0], "2023") && str_eq(names[1], "Autre"));
    CHECK(xlsx_read_sheet(data.p, data.len, 1, &a, &t, err, sizeof err) == ERR_OK);
    CHECK_STR(field(&t, 1, 0), "x"); /* an absolute target path */
    CHECK(xlsx_read_sheet(data.p, data.len, 2, &a, &t, err, sizeof err) == ERR_INVALID);
    buf_free(&data);
    /* Merged cells: the value of the first cell reaches the empty ones. */
    CHECK(slurp("libreoffice.xlsx", &data));
    CHECK(xlsx_read_sheet(data.p, data.len, 0, &a, &t, err, sizeof err) == ERR_OK);
    CHECK_INT(t.n_rows, 77);
    CHECK_STR(field(&t, 1, 0), "code_objectif");
    buf_free(&data);
    arena_free(&a);
}

/* ---- hostile workbooks, built byte by byte ------------------------------------------------ */

static void put16(struct buf *b, unsigned v)
{
    char c[2] = {(char)(v & 0xff), (char)(v >> 8 & 0xff)};
    buf_append(b, c, 2);
}

static void put32(struct buf *b, uint32_t v)
{
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}

/* A zip member: its name, its deflated bytes, the CRC and size the archive declares. */
struct member {
    const char *name;
    struct buf raw;
    uint32_t crc, size;
};

/* Raw deflate of n bytes (flush: Z_FINISH, or Z_FULL_FLUSH to go on with the same stream). */
static void deflate_into(z_stream *z, const char *in, size_t n, int flush, struct buf *out)
{
    char chunk[65536];
    z->next_in = (Bytef *)(uintptr_t)in;
    z->avail_in = (uInt)n;
    do {
        z->next_out = (Bytef *)chunk;
        z->avail_out = sizeof chunk;
        int rc = deflate(z, flush);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            CHECK(!"deflate failed");
        buf_append(out, chunk, sizeof chunk - z->avail_out);
    } while (z->avail_out == 0 || z->avail_in > 0);
}

static void member_set(struct member *m, const char *name, const char *data, size_t n)
{
    z_stream z = {0};
    CHECK(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    m->name = name;
    m->raw = (struct buf){0};
    deflate_into(&z, data, n, Z_FINISH, &m->raw);
    deflateEnd(&z);
    m->crc = (uint32_t)crc32(crc32(0, NULL, 0), (const Bytef *)data, (uInt)n);
    m->size = (uint32_t)n;
}

/* A member that inflates to `head` then n_mb megabytes of spaces, from about n_mb KB: the same
 * flushed deflate block repeated (each one stands alone after a full flush). The declared size
 * is the real one, or a lie when declared is not 0. */
static void member_bomb(struct member *m, const char *name, const char *head, int n_mb,
                        uint32_t declared)
{
    z_stream z = {0};
    CHECK(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    m->name = name;
    m->raw = (struct buf){0};
    deflate_into(&z, head, strlen(head), Z_FULL_FLUSH, &m->raw);
    char *spaces = malloc(1 << 20);
    memset(spaces, ' ', 1 << 20);
    struct buf block = {0};
    deflate_into(&z, spaces, 1 << 20, Z_FULL_FLUSH, &block);
    for (int i = 0; i < n_mb; i++)
        buf_append(&m->raw, block.p, block.len);
    deflate_into(&z, "", 0, Z_FINISH, &m->raw);
    deflateEnd(&z);
    buf_free(&block);
    free(spaces);
    m->crc = 0;
    m->size = declared ? declared : (uint32_t)(strlen(head) + ((size_t)n_mb << 20));
}

/* The zip of n members (local headers, data, central directory, end record). */
static void zip_write(struct buf *out, struct member *m, int n)
{
    uint32_t *offsets = calloc((size_t)n, sizeof *offsets);
    for (int i = 0; i < n; i++) {
        offsets[i] = (uint32_t)out->len;
        put32(out, 0x04034b50);
        put16(out, 20), put16(out, 0), put16(out, 8), put16(out, 0), put16(out, 0x21);
        put32(out, m[i].crc), put32(out, (uint32_t)m[i].raw.len), put32(out, m[i].size);
        put16(out, (unsigned)strlen(m[i].name)), put16(out, 0);
        buf_puts(out, m[i].name);
        buf_append(out, m[i].raw.p, m[i].raw.len);
    }
    size_t cd = out->len;
    for (int i = 0; i < n; i++) {
        put32(out, 0x02014b50);
        put16(out, 20), put16(out, 20), put16(out, 0), put16(out, 8), put16(out, 0);
        put16(out, 0x21);
        put32(out, m[i].crc), put32(out, (uint32_t)m[i].raw.len), put32(out, m[i].size);
        put16(out, (unsigned)strlen(m[i].name)), put16(out, 0), put16(out, 0), put16(out, 0);
        put16(out, 0), put32(out, 0), put32(out, offsets[i]);
        buf_puts(out, m[i].name);
        buf_free(&m[i].raw);
    }
    uint32_t cd_size = (uint32_t)(out->len - cd);
    put32(out, 0x06054b50);
    put16(out, 0), put16(out, 0), put16(out, (unsigned)n), put16(out, (unsigned)n);
    put32(out, cd_size), put32(out, (uint32_t)cd), put16(out, 0);
    free(offsets);
}

static const char wb_xml[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"2023\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels_xml[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"x/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"x/styles\" "
    "Target=\"styles.xml\"/></Relationships>";

/* A workbook of one sheet; shared strings and styles when not NULL. */
static void workbook(struct buf *out, const char *sheet, const char *shared, const char *styles)
{
    struct member m[5];
    int n = 0;
    member_set(&m[n++], "xl/workbook.xml", wb_xml, strlen(wb_xml));
    member_set(&m[n++], "xl/_rels/workbook.xml.rels", rels_xml, strlen(rels_xml));
    member_set(&m[n++], "xl/worksheets/sheet1.xml", sheet, strlen(sheet));
    if (shared)
        member_set(&m[n++], "xl/sharedStrings.xml", shared, strlen(shared));
    if (styles)
        member_set(&m[n++], "xl/styles.xml", styles, strlen(styles));
    zip_write(out, m, n);
}

/* Reads sheet 0 of the workbook: true when it is refused with a message holding each of the
 * (up to two) expected parts. */
static bool refused(const struct buf *book, const char *what, const char *what2)
{
    struct arena a = {0};
    struct csv_table t;
    char err[512] = "";
    int rc = xlsx_read_sheet(book->p, book->len, 0, &a, &t, err, sizeof err);
    arena_free(&a);
    bool ok = rc == ERR_INVALID && strstr(err, what) && (!what2 || strstr(err, what2));
    if (!ok)
        fprintf(stderr, "expected a refusal with « %s » %s, got %d « %s »\n", what,
                what2 ? what2 : "", rc, err);
    return ok;
}

static const char sheet_head[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                                 "<is><t>action</t></is></c></row>";
static const char sheet_ok[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                               "<is><t>action</t></is></c></row></sheetData></worksheet>";

static void test_bombs(void)
{
    struct buf x = {0}, book = {0};

    /* A million merged ranges (the 324 KB file that pinned the CPU for hours). */
    buf_printf(&x, "%s</sheetData><mergeCells>", sheet_head);
    for (int i = 1; i <= 1000000; i++)
        buf_printf(&x, "<mergeCell ref=\"A%d:B%d\"/>", i, i + 1);
    buf_puts(&x, "</mergeCells></worksheet>");
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "trop de cellules fusionnées", "10 000"));
    buf_reset(&x), buf_reset(&book);

    /* Few ranges, but covering millions of cells between them. */
    buf_printf(&x, "<worksheet><sheetData><row r=\"1\">");
    for (int c = 0; c < 20; c++)
        buf_printf(&x, "<c r=\"%c1\" t=\"inlineStr\"><is><t>v</t></is></c>", 'A' + c);
    buf_puts(&x, "</row><row r=\"100000\"><c r=\"A100000\"><v>1</v></c></row></sheetData>"
                 "<mergeCells>");
    for (int c = 0; c < 20; c++)
        buf_printf(&x, "<mergeCell ref=\"%c1:%c100000\"/>", 'A' + c, 'A' + c);
    buf_puts(&x, "</mergeCells></worksheet>");
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "couvrent trop de cellules", "1 000 000"));
    buf_reset(&x), buf_reset(&book);

    /* Cells without end: a million and one. */
    buf_puts(&x, "<worksheet><sheetData>");
    for (int i = 1; i <= 1000001; i++)
        buf_printf(&x, "<row r=\"%d\"><c r=\"A%d\"/></row>", i, i);
    buf_puts(&x, "</sheetData></worksheet>");
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "trop de cellules", "1 000 000"));
    buf_reset(&x), buf_reset(&book);

    /* Shared strings: too many, then too much text. */
    buf_puts(&x, "<sst>");
    for (int i = 0; i <= 1000000; i++)
        buf_printf(&x, "<si><t>%d</t></si>", i);
    buf_puts(&x, "</sst>");
    workbook(&book, sheet_ok, buf_cstr(&x), NULL);
    CHECK(refused(&book, "trop de textes partagés", "1 000 000"));
    buf_reset(&x), buf_reset(&book);
    char *big = malloc(20001); /* letters that do not compress: no ratio refusal first */
    uint32_t seed = 1;
    for (int i = 0; i < 20000; i++)
        big[i] = (char)('a' + (seed = seed * 1103515245u + 12345u) % 26);
    big[20000] = '\0';
    buf_puts(&x, "<sst>");
    for (int i = 0; i < 1800; i++)
        buf_printf(&x, "<si><t>%s%d</t></si>", big + i % 1000, i);
    buf_puts(&x, "</sst>");
    workbook(&book, sheet_ok, buf_cstr(&x), NULL);
    CHECK(refused(&book, "textes partagés", "32 Mo"));
    buf_reset(&x), buf_reset(&book);

    /* Memory: one 20 KB shared string in 3,000 cells would hold 60 MB. */
    struct buf ss = {0};
    buf_printf(&ss, "<sst><si><t>%s</t></si></sst>", big);
    buf_puts(&x, "<worksheet><sheetData>");
    for (int i = 1; i <= 3000; i++)
        buf_printf(&x, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", i, i);
    buf_puts(&x, "</sheetData></worksheet>");
    workbook(&book, buf_cstr(&x), buf_cstr(&ss), NULL);
    CHECK(refused(&book, "48 Mo de mémoire", NULL));
    buf_reset(&x), buf_reset(&book), buf_free(&ss);
    free(big);

    /* Memory of the result: 200,000 rows with one cell in the 512th column are 800 MB wide. */
    buf_puts(&x, "<worksheet><sheetData>");
    for (int i = 1; i <= 199999; i++)
        buf_printf(&x, "<row r=\"%d\"><c r=\"SR%d\"><v>1</v></c></row>", i, i);
    buf_puts(&x, "</sheetData></worksheet>");
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "Mo de mémoire", NULL));
    buf_reset(&x), buf_reset(&book);

    /* Styles without end. */
    buf_puts(&x, "<styleSheet><cellXfs>");
    for (int i = 0; i <= 65536; i++)
        buf_puts(&x, "<xf/>");
    buf_puts(&x, "</cellXfs></styleSheet>");
    workbook(&book, sheet_ok, NULL, buf_cstr(&x));
    CHECK(refused(&book, "trop de styles", "65 536"));
    buf_reset(&x), buf_reset(&book);

    /* References past XFD1048576: no overflow, a refusal that says where. */
    const char *beyond[][2] = {
        {"<row r=\"99999999999\"><c><v>1</v></c></row>", "ligne n° 99999999999"},
        {"<row r=\"1048577\"/>", "ligne n° 1048577"},
        {"<row><c r=\"A99999999999999999999\"><v>1</v></c></row>", "A99999999999999999999"},
        {"<row><c r=\"ZZZZZZZZ1\"><v>1</v></c></row>", "ZZZZZZZZ1"},
        {"<row><c r=\"XFE1\"><v>1</v></c></row>", "XFE1"},
        {"<row><c r=\"ZZZZZZZZ\"><v>1</v></c></row>", "ZZZZZZZZ"},
    };
    for (size_t i = 0; i < sizeof beyond / sizeof *beyond; i++) {
        buf_printf(&x, "<worksheet><sheetData>%s</sheetData></worksheet>", beyond[i][0]);
        workbook(&book, buf_cstr(&x), NULL, NULL);
        CHECK(refused(&book, "hors des limites", beyond[i][1]));
        buf_reset(&x), buf_reset(&book);
    }
    buf_printf(&x, "%s</sheetData><mergeCells><mergeCell ref=\"A1:ZZZZZZZZZZZZZZZZ1\"/>"
                   "</mergeCells></worksheet>", sheet_head);
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "hors des limites", "plage fusionnée"));
    buf_reset(&x), buf_reset(&book);
    buf_puts(&x, "<worksheet><sheetData><row r=\"-3\"/></sheetData></worksheet>");
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "numéro invalide", NULL));
    buf_reset(&x), buf_reset(&book);
    /* XFD1048576 itself is a cell like any other (beyond what Boussole keeps, though). */
    buf_puts(&x, "<worksheet><sheetData><row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c>"
                 "</row></sheetData></worksheet>");
    workbook(&book, buf_cstr(&x), NULL, NULL);
    CHECK(refused(&book, "feuille trop grande", "1 048 576"));
    buf_reset(&x), buf_reset(&book);

    /* Zip bombs: a sheet that inflates to 1 GB from about a megabyte, its size declared... */
    struct member m[3];
    member_set(&m[0], "xl/workbook.xml", wb_xml, strlen(wb_xml));
    member_set(&m[1], "xl/_rels/workbook.xml.rels", rels_xml, strlen(rels_xml));
    member_bomb(&m[2], "xl/worksheets/sheet1.xml", "<worksheet><sheetData>", 1024, 0);
    zip_write(&book, m, 3);
    CHECK(book.len < (2 << 20));
    CHECK(refused(&book, "64 Mo une fois décompressé", "sheet1.xml"));
    buf_reset(&book);
    /* ...or lied about: the bytes really inflated are counted. */
    member_set(&m[0], "xl/workbook.xml", wb_xml, strlen(wb_xml));
    member_set(&m[1], "xl/_rels/workbook.xml.rels", rels_xml, strlen(rels_xml));
    member_bomb(&m[2], "xl/worksheets/sheet1.xml", "<worksheet><sheetData>", 1024, 5000);
    zip_write(&book, m, 3);
    CHECK(refused(&book, "64 Mo une fois décompressé", "sheet1.xml"));
    buf_reset(&book);
    /* A ratio a real sheet never reaches, under the total: 30 MB from ~30 KB. */
    member_set(&m[0], "xl/workbook.xml", wb_xml, strlen(wb_xml));
    member_set(&m[1], "xl/_rels/workbook.xml.rels", rels_xml, strlen(rels_xml));
    member_bomb(&m[2], "xl/worksheets/sheet1.xml", "<worksheet><sheetData>", 30, 0);
    zip_write(&book, m, 3);
    CHECK(refused(&book, "bombe de décompression", "200 fois"));
    buf_reset(&book);

    /* Too many members in the archive. */
    enum { MANY = 10001 };
    struct member *many = calloc(MANY, sizeof *many);
    char (*names)[24] = calloc(MANY, sizeof *names);
    member_set(&many[0], "xl/workbook.xml", wb_xml, strlen(wb_xml));
    for (int i = 1; i < MANY; i++) {
        snprintf(names[i], sizeof names[i], "x/%d", i);
        member_set(&many[i], names[i], "", 0);
    }
    zip_write(&book, many, MANY);
    CHECK(refused(&book, "trop de fichiers", "10 000"));
    buf_reset(&book);
    free(many);
    free(names);

    /* Expat's own memory is counted: one 40 MB attribute, given as XML directly. */
    buf_puts(&x, "<worksheet><sheetData><row><c r=\"A1\" x=\"");
    for (int i = 0; i < 40 << 10; i++)
        buf_puts(&x, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    buf_puts(&x, "\"/></row></sheetData></worksheet>");
    struct arena a = {0};
    struct csv_table t;
    char err[512] = "";
    CHECK(xlsx_read_xml(NULL, 0, NULL, 0, x.p, x.len, &a, &t, err, sizeof err) == ERR_INVALID);
    CHECK(strstr(err, "Mo de mémoire") != NULL);
    /* The same entry point reads a sane sheet with its shared strings and styles. */
    const char *sst = "<sst><si><t>Réalisé</t></si></sst>";
    const char *sty = "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
                      "</styleSheet>";
    const char *sh = "<worksheet><sheetData><row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c>"
                     "<c r=\"A2\" s=\"1\"><v>45000</v></c><c r=\"B2\"><v>7</v></c></row>"
                     "</sheetData></worksheet>";
    CHECK(xlsx_read_xml(sst, strlen(sst), sty, strlen(sty), sh, strlen(sh), &a, &t, err,
                        sizeof err) == ERR_OK);
    CHECK_STR(field(&t, 2, 0), "15/03/2023");
    CHECK_STR(field(&t, 2, 1), "7"); /* out of order, and the later cell wins */
    arena_free(&a);
    buf_free(&x);
    buf_free(&book);
}

/* The workbook of the demo read back: every year's sheet gives the CSV export's rows. */
static void test_round_trip(void)
{
    struct arena a = {0};
    struct contract c;
    struct tracking_year *years;
    struct objective *objs;
    int n_years, n_objs, *counts;
    CHECK(tracking_workbook(db, &a, 1, 0, &c, &years, &n_years, &objs, &n_objs, &counts) ==
          ERR_OK);
    CHECK_INT(n_years, 4);
    struct xlsx_tracking t = {c.title, years, n_years, objs, n_objs, counts};
    struct buf data = {0};
    char err[512];
    CHECK(xlsx_write_tracking(&t, &data, err, sizeof err) == ERR_OK);
    char **names;
    int n;
    CHECK(xlsx_sheet_names(data.p, data.len, &a, &names, &n, err, sizeof err) == ERR_OK);
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK_STR(names[0], "Synthèse");
        CHECK_STR(names[1], "2020");
        CHECK_STR(names[4], "2023");
        CHECK_STR(names[5], "Stratégie");
    }
    for (int y = 0; y < n_years && n == 6; y++) {
        struct csv_table s;
        CHECK(xlsx_read_sheet(data.p, data.len, y + 1, &a, &s, err, sizeof err) == ERR_OK);
        CHECK_INT(s.n_rows, years[y].n + 1);
        for (int c0 = 0; c0 < TRK_REQUIRED; c0++)
            CHECK_STR(field(&s, 1, c0), tracking_headers[c0]);
        int bad = 0;
        for (int i = 0; i < years[y].n; i++)
            for (int k = 0; k < TRK_REQUIRED; k++) {
                const char *got = field(&s, i + 2, k);
                bad += !got || strcmp(got, years[y].rows[i].cells[k]) != 0;
            }
        CHECK_INT(bad, 0);
    }
    buf_free(&data);
    arena_free(&a);
}

/* 10,000 rows written and read back in a reasonable time (no quadratic step). */
static void test_big(void)
{
    struct arena a = {0};
    enum { N = 10000 };
    struct tracking_row *rows = arena_alloc(&a, sizeof *rows * N);
    for (int i = 0; i < N; i++) {
        rows[i].line = i + 2;
        for (int c = 0; c < TRK_COLUMNS; c++) {
            char v[64];
            snprintf(v, sizeof v, "r%d c%d é", i, c);
            rows[i].cells[c] = arena_strdup(&a, v);
        }
    }
    struct tracking_year y = {2024, rows, N};
    struct xlsx_tracking t = {"Grand", &y, 1, NULL, 0, NULL};
    struct buf data = {0};
    char err[512];
    CHECK(xlsx_write_tracking(&t, &data, err, sizeof err) == ERR_OK);
    clock_t start = clock();
    struct csv_table s;
    CHECK(xlsx_read_sheet(data.p, data.len, 1, &a, &s, err, sizeof err) == ERR_OK);
    CHECK_INT(s.n_rows, N + 1);
    CHECK_STR(field(&s, N + 1, 7), "r9999 c7 é");
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    if (secs > 20)
        fprintf(stderr, "test_big: reading took %.1f s\n", secs);
    buf_free(&data);
    arena_free(&a);
}

static void test_maps(void)
{
    struct tracking_map m;
    char err[256];
    CHECK(tracking_map_parse("action=C,carrier=E,status=F,header=2", &m, err, sizeof err) == 0);
    CHECK_INT(m.col[TRK_ACTION], 2);
    CHECK_INT(m.col[TRK_CARRIER], 4);
    CHECK_INT(m.col[TRK_STATUS], 5);
    CHECK_INT(m.col[TRK_REMARKS], -1);
    CHECK_INT(m.header, 2);
    struct buf b = {0};
    tracking_map_format(&m, &b);
    CHECK_STR(buf_cstr(&b), "action=C,carrier=E,status=F,header=2");
    buf_free(&b);
    CHECK(tracking_map_parse("porteur=aa, action=3 ,etat=B", &m, err, sizeof err) == 0);
    CHECK_INT(m.col[TRK_CARRIER], 26);
    CHECK_INT(m.col[TRK_ACTION], 2);
    CHECK_INT(m.header, 1);
    CHECK(tracking_map_parse("carrier=E", &m, err, sizeof err) == ERR_INVALID);
    CHECK(strstr(err, "action") != NULL);
    CHECK(tracking_map_parse("action=C,colour=D", &m, err, sizeof err) == ERR_INVALID);
    CHECK(strstr(err, "colour") != NULL);
    CHECK(tracking_map_parse("action=C9", &m, err, sizeof err) == ERR_INVALID);
    CHECK(tracking_map_parse("action", &m, err, sizeof err) == ERR_INVALID);
    CHECK(tracking_map_parse("action=C,header=-1", &m, err, sizeof err) == ERR_INVALID);

    /* A coordinator's sheet: title line, headers on line 2, no objective column. */
    char *r1[] = {"Suivi 2023"};
    char *r2[] = {"N°", "Intitulé", "État"};
    char *r3[] = {"1.1.1", "Acquérir un bus itinérant", "En cours"};
    char *r4[] = {"", "PROJET MOBILITE", "Réalisé"};
    struct grid_row rows[] = {{1, 1, r1}, {2, 3, r2}, {3, 3, r3}, {5, 3, r4}};
    struct grid g = {4, rows};
    CHECK(tracking_map_parse("sheet=A,action=B,status=C,header=2", &m, err, sizeof err) == 0);
    struct arena a = {0};
    struct tracking_header h;
    struct tracking_row *out;
    int n;
    struct tracking_result res = {0};
    CHECK(tracking_grid_by_map(db, &a, 1, &g, &m, &h, &out, &n, &res) == ERR_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(out[0].line, 3);
        CHECK_STR(out[0].cells[TRK_OBJECTIVE_CODE], "1.1");
        CHECK_STR(out[1].cells[TRK_OBJECTIVE_CODE], "1.1"); /* found by its title */
        CHECK_STR(out[1].cells[TRK_SHEET], "1.1.4");
        CHECK_STR(out[1].cells[TRK_CARRIER], "");
    }
    CHECK(tracking_map_save(db, 1, 0, "Ma feuille", "sheet=A,action=B,header=2") == ERR_OK);
    CHECK(tracking_map_save(db, 1, 0, "Ma feuille", "action=B,header=2") == ERR_OK);
    CHECK(tracking_map_save(db, 1, 0, "", "action=B") == ERR_INVALID);
    char *spec;
    CHECK(tracking_map_find(db, &a, 1, "Ma feuille", &spec) == ERR_OK);
    CHECK_STR(spec, "action=B,header=2");
    CHECK(tracking_map_find(db, &a, 1, "Autre", &spec) == ERR_NOTFOUND);
    arena_free(&a);
}

static void test_multipart(void)
{
    struct arena a = {0};
    struct multipart_part p[8];
    int n;
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                       "filename=\"t.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                       "PK\x03\x04\r\n--X\r\n--XyZ--\r\n";
    CHECK(multipart_parse("multipart/form-data; boundary=XyZ", body, strlen(body), &a, p, 8,
                          &n) == ERR_OK);
    CHECK_INT(n, 2);
    CHECK_STR(p[0].name, "csrf");
    CHECK_INT(p[0].len, 3);
    const struct multipart_part *f = multipart_file(p, n, "file");
    CHECK(f && str_eq(f->filename, "t.xlsx") && f->len == 9 && memcmp(f->data, "PK", 2) == 0);
    CHECK(multipart_file(p, n, "csrf") == NULL);
    CHECK(multipart_parse("multipart/form-data; boundary=\"XyZ\"", body, strlen(body), &a, p, 8,
                          &n) == ERR_OK);
    CHECK(multipart_parse("multipart/form-data", body, strlen(body), &a, p, 8, &n) ==
          ERR_INVALID);
    CHECK(multipart_parse("text/plain; boundary=XyZ", body, strlen(body), &a, p, 8, &n) ==
          ERR_INVALID);
    CHECK(multipart_parse("multipart/form-data; boundary=XyZ", body, strlen(body) - 12, &a, p, 8,
                          &n) == ERR_INVALID); /* cut */
    CHECK(multipart_parse("multipart/form-data; boundary=XyZ", body, strlen(body), &a, p, 1,
                          &n) == ERR_INVALID); /* too many parts */
    const char *noname = "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--";
    CHECK(multipart_parse("multipart/form-data; boundary=b", noname, strlen(noname), &a, p, 8,
                          &n) == ERR_INVALID);
    CHECK(multipart_is("Multipart/Form-Data; boundary=x"));
    CHECK(!multipart_is("multipart/form-datax"));
    CHECK(!multipart_is(NULL));
    arena_free(&a);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/xlsx.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const char *data = getenv("BOUSSOLE_DATA");
    char demo[1024];
    snprintf(demo, sizeof demo, "%s/demo", data ? data : "data");
    bool loaded;
    if (demo_load(db, demo, &loaded) != ERR_OK || !loaded) {
        fprintf(stderr, "demo not loaded from %s\n", demo);
        return 1;
    }
    test_reader();
    test_round_trip();
    test_big();
    test_bombs();
    test_maps();
    test_multipart();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_xlsx");
}
