/* test_xlsx.c — unit tests of the spreadsheets: the reader on the fuzz seeds (shared and inline
 * strings, dates of both epochs, merged cells, booleans, errors, formulas with and without a
 * value, DTDs, old and encrypted files), the export read back to the same rows, 10,000 rows,
 * the column mappings and the multipart parser of the upload. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/contract.h"
#include "model/objective.h"
#include "model/tracking_map.h"
#include "out/xlsx.h"
#include "store/db.h"
#include "web/multipart.h"

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
        for (int c0 = 0; c0 < TRK_COLUMNS; c0++)
            CHECK_STR(field(&s, 1, c0), tracking_headers[c0]);
        int bad = 0;
        for (int i = 0; i < years[y].n; i++)
            for (int k = 0; k < TRK_COLUMNS; k++) {
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
    test_maps();
    test_multipart();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_xlsx");
}
