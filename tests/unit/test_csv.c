/* test_csv.c — unit tests of format/csv.c (reading and writing CSV) and of the tracking table's
 * import and export (model/tracking.c, cli/import.c, cli/export.c) on a temporary SQLite file
 * loaded with the demo contract. Prints one line per failed check, then a summary line. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "cli/cli.h"
#include "model/plan/action.h"
#include "model/plan/editing.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "model/import/tracking_match.h"
#include "format/data/csv.h"
#include "store/db.h"

static int passed, failed;

#define CHECK(cond) check((cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want) check_str((got), (want), __FILE__, __LINE__)
#define CHECK_HAS(text, part) check_has((text), (part), __FILE__, __LINE__)

static void check(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("%s:%d: check failed: %s\n", file, line, what);
}

static void check_str(const char *got, const char *want, const char *file, int line)
{
    if (got && want && strcmp(got, want) == 0) {
        passed++;
        return;
    }
    failed++;
    printf("%s:%d: expected \"%s\", got \"%s\"\n", file, line, want ? want : "(null)",
           got ? got : "(null)");
}

static void check_has(const char *text, const char *part, const char *file, int line)
{
    if (text && strstr(text, part)) {
        passed++;
        return;
    }
    failed++;
    printf("%s:%d: \"%s\" not found in \"%.300s\"\n", file, line, part, text ? text : "(null)");
}

/* ---- fixtures ------------------------------------------------------------------------------ */

static char tmp_dir[64];

static const char *tmp_path(const char *name)
{
    static char paths[32][128]; /* enough for every path of the run */
    static int next;
    char *p = paths[next++ % 32];
    snprintf(p, 128, "%s/%s", tmp_dir, name);
    return p;
}

static void remove_db(const char *path)
{
    char p[256];
    remove(path);
    snprintf(p, sizeof p, "%s-wal", path);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", path);
    remove(p);
}

static struct store *open_db(const char *path, bool demo)
{
    struct store *db;
    char err[256];
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        printf("%s:%d: cannot open %s: %s\n", __FILE__, __LINE__, path, err);
        exit(1);
    }
    if (demo) {
        const char *data = getenv("BOUSSOLE_DATA");
        char dir[512];
        snprintf(dir, sizeof dir, "%s/demo", data ? data : BOUSSOLE_DATADIR);
        bool loaded;
        if (demo_load(db, dir, &loaded) != ERR_OK || !loaded) {
            printf("%s:%d: demo not loaded from %s\n", __FILE__, __LINE__, dir);
            exit(1);
        }
    }
    return db;
}

/* Row counts and sums over every table the import may touch: equal before and after means
 * the database was left as it was. */
static char *fingerprint(struct store *db, struct arena *a)
{
    struct stmt *st = store_prepare(
        db, "SELECT (SELECT count(*) FROM territory) || '/' || (SELECT count(*) FROM contract) "
            "|| '/' || (SELECT count(*) FROM objective) || '/' || (SELECT count(*) FROM action) "
            "|| '/' || (SELECT count(*) FROM action_status) || '/' || "
            "(SELECT count(*) FROM action_organisation) || '/' || "
            "(SELECT count(*) FROM organisation) || '/' || "
            "(SELECT coalesce(sum(id + length(status) + length(remarks) + "
            "length(recommendations)), 0) FROM action_status) || '/' || "
            "(SELECT coalesce(sum(id * 7 + objective_id + length(title) + length(code)), 0) "
            "FROM action) || '/' || (SELECT coalesce(sum(action_id * 3 + organisation_id + "
            "length(role)), 0) FROM action_organisation)");
    char *s = NULL;
    if (stmt_step(st) == 1)
        s = stmt_text(st, 0, a);
    stmt_done(st);
    return s ? s : "";
}

/* The CSV text of a contract's tracking table, as `boussole export` writes it. */
static char *export_text(struct store *db, struct arena *a, long long contract, int year, char sep)
{
    struct tracking_row *rows;
    int n, used;
    if (tracking_rows(db, a, contract, year, &rows, &n, &used) != ERR_OK)
        return NULL;
    struct buf b = {0};
    if (sep == ';')
        buf_puts(&b, "\xEF\xBB\xBF");
    csv_write_row(&b, tracking_headers, TRK_REQUIRED, sep);
    for (int i = 0; i < n; i++)
        csv_write_row(&b, rows[i].cells, TRK_REQUIRED, sep);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* Imports CSV text as `boussole import` does; every message (CSV or row errors) goes to msgs,
 * one a line. new_title NULL imports into contract. */
static int import_text(struct store *db, struct arena *a, const char *text, long long contract,
                       const char *new_title, int year, struct tracking_result *res,
                       struct buf *msgs)
{
    struct csv_table t;
    char err[4096];
    memset(res, 0, sizeof *res);
    buf_reset(msgs);
    if (csv_parse_text(text, strlen(text), a, &t, err, sizeof err) != ERR_OK) {
        buf_puts(msgs, err);
        return ERR_INVALID;
    }
    /* Through a grid, like the command: cells come back as stored (neutralised formulas too). */
    struct grid_row *grows = arena_alloc(a, sizeof *grows * (size_t)(t.n_rows + 1));
    for (int i = 0; i < t.n_rows; i++)
        grows[i] = (struct grid_row){t.rows[i].line, t.rows[i].n, t.rows[i].fields};
    struct grid g = {t.n_rows, grows};
    struct tracking_header h;
    struct tracking_row *rows = NULL;
    int n = 0, header_line;
    int rc = tracking_grid_by_header(&g, a, &h, &rows, &n, &header_line, res);
    if (rc == ERR_OK) {
        struct tracking_import opt = {.contract_id = contract, .new_title = new_title,
                                      .territory = "Territoire d'essai", .year = year,
                                      .recorded_by = "test_csv"};
        rc = tracking_import(db, a, &opt, rows, n, &h, res);
    }
    for (int i = 0; i < res->n_errors; i++)
        buf_printf(msgs, "%s\n", tracking_error_text(&res->errors[i], a));
    return rc;
}

/* Replaces the first occurrence of from by to in text (a new string in the arena). */
static char *replace(struct arena *a, const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from);
    if (!p)
        return arena_strdup(a, text);
    struct buf b = {0};
    buf_append(&b, text, (size_t)(p - text));
    buf_puts(&b, to);
    buf_puts(&b, p + strlen(from));
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The text of line n (1-based, CRLF-separated records without embedded line ends). */
static char *record(struct arena *a, const char *text, int n)
{
    const char *p = text;
    for (int i = 1; i < n && p; i++) {
        p = strstr(p, "\r\n");
        p = p ? p + 2 : NULL;
    }
    if (!p)
        return arena_strdup(a, "");
    const char *e = strstr(p, "\r\n");
    return arena_strndup(a, p, e ? (size_t)(e - p) : strlen(p));
}

/* Runs a sub-command with stdout and stderr captured into out (both, in that order). */
static int run(int (*cmd)(int, char **), struct buf *out, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, out);
    for (char *s; argc < 31 && (s = va_arg(ap, char *)); )
        argv[argc++] = s;
    va_end(ap);
    argv[argc] = NULL;
    char out_path[128], err_path[128];
    snprintf(out_path, sizeof out_path, "%s/stdout.txt", tmp_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", tmp_dir);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fo, 1);
    dup2(fe, 2);
    int rc = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(fo);
    close(fe);
    close(saved_out);
    close(saved_err);
    buf_reset(out);
    const char *paths[2] = {out_path, err_path};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(paths[i], "rb");
        char chunk[4096];
        size_t n;
        while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_append(out, chunk, n);
        if (f)
            fclose(f);
    }
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* ---- CSV reading and writing -------------------------------------------------------------- */

static void test_parse(void)
{
    struct arena a = {0};
    struct csv_table t;
    char err[512];

    const char *comma = "a,b,c\r\n1,2,3\r\n";
    CHECK(csv_parse_text(comma, strlen(comma), &a, &t, err, sizeof err) == ERR_OK);
    CHECK(t.sep == ',' && t.n_rows == 2 && t.rows[1].n == 3);
    CHECK_STR(csv_field(&t.rows[1], 2), "3");
    CHECK(csv_column(&t, "b") == 1);
    CHECK_STR(csv_field(&t.rows[1], 7), "");

    const char *semi = "\xEF\xBB\xBF" "code;objectif\r\n1.1;x, y\r\n";
    CHECK(csv_parse_text(semi, strlen(semi), &a, &t, err, sizeof err) == ERR_OK);
    CHECK(t.sep == ';' && t.n_rows == 2);
    CHECK_STR(t.rows[0].fields[0], "code");
    CHECK_STR(csv_field(&t.rows[1], 1), "x, y");

    const char *quoted = "a,b\n\"line1\nline2\",\"say \"\"hi\"\"\"\nnext,row\n";
    CHECK(csv_parse_text(quoted, strlen(quoted), &a, &t, err, sizeof err) == ERR_OK);
    CHECK(t.n_rows == 3);
    CHECK_STR(csv_field(&t.rows[1], 0), "line1\nline2");
    CHECK_STR(csv_field(&t.rows[1], 1), "say \"hi\"");
    CHECK(t.rows[2].line == 3); /* a record, not a physical line, is a spreadsheet row */

    const char *blanks = "a\r\n\r\n\r\nb\n\nc\n";
    CHECK(csv_parse_text(blanks, strlen(blanks), &a, &t, err, sizeof err) == ERR_OK);
    CHECK(t.n_rows == 3 && t.rows[1].line == 4 && t.rows[2].line == 6);

    const char *bad_utf8 = "a,b\n1,2\nx,\xff\xfe\n";
    CHECK(csv_parse_text(bad_utf8, strlen(bad_utf8), &a, &t, err, sizeof err) == ERR_INVALID);
    CHECK_HAS(err, "line 3, column B:");
    CHECK_HAS(err, "UTF-8");

    const char *two_bad = "a,b,c\n\xc3,ok,\xe9t\xe9\n";
    CHECK(csv_parse_text(two_bad, strlen(two_bad), &a, &t, err, sizeof err) == ERR_INVALID);
    CHECK_HAS(err, "line 2, column A:");
    CHECK_HAS(err, "line 2, column C:");

    const char *after_quote = "a,b\nok,ok\n\"x\"y,z\n";
    CHECK(csv_parse_text(after_quote, strlen(after_quote), &a, &t, err, sizeof err) ==
          ERR_INVALID);
    CHECK_HAS(err, "line 3, column A:");
    CHECK_HAS(err, "guillemet");

    const char *inner_quote = "a,b\nok,x\"y\n";
    CHECK(csv_parse_text(inner_quote, strlen(inner_quote), &a, &t, err, sizeof err) ==
          ERR_INVALID);
    CHECK_HAS(err, "line 2, column B:");

    const char *unterminated = "a,b\nok,ok\nz,\"never closed\n";
    CHECK(csv_parse_text(unterminated, strlen(unterminated), &a, &t, err, sizeof err) ==
          ERR_INVALID);
    CHECK_HAS(err, "line 3");
    arena_free(&a);
}

static void test_write(void)
{
    struct arena a = {0};
    const char *fields[] = {" lead", "trail ", "a,b", "semi;colon", "q\"q", "nl\r\nx", "",
                            "<script>alert(1)</script>", "plain"};
    int n = (int)(sizeof fields / sizeof fields[0]);
    const char seps[] = {',', ';'};
    for (int s = 0; s < 2; s++) {
        struct buf b = {0};
        csv_write_row(&b, (const char *const[]){"h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8",
                                                "h9"}, n, seps[s]);
        csv_write_row(&b, fields, n, seps[s]);
        struct csv_table t;
        char err[256];
        CHECK(b.len > 2 && strcmp(b.p + b.len - 2, "\r\n") == 0);
        CHECK(csv_parse_text(b.p, b.len, &a, &t, err, sizeof err) == ERR_OK);
        CHECK(t.sep == seps[s] && t.n_rows == 2 && t.rows[1].n == n);
        for (int i = 0; i < n && t.n_rows == 2; i++)
            CHECK_STR(csv_field(&t.rows[1], i), fields[i]);
        buf_free(&b);
    }
    struct buf b = {0};
    csv_write_row(&b, (const char *const[]){"a", "b c", "d\"e"}, 3, ',');
    CHECK_STR(buf_cstr(&b), "a,b c,\"d\"\"e\"\r\n");
    buf_free(&b);

    /* Cells a spreadsheet would run as formulas get an apostrophe; the raw writer keeps them;
     * reading takes the apostrophe off again (and only that one). */
    const char *formulas[] = {"=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)", "\tx",
                              "\rx", "'=déjà", "''+deux", "'simple", "a=b", "", "x-1"};
    const char *safe = "\"'=HYPERLINK(\"\"http://evil\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"'\rx\","
                       "''=déjà,'''+deux,'simple,a=b,,x-1\r\n";
    const char *raw = "\"=HYPERLINK(\"\"http://evil\"\")\",+1,-2,@SUM(A1),\"\tx\",\"\rx\","
                      "'=déjà,''+deux,'simple,a=b,,x-1\r\n";
    int nf = (int)(sizeof formulas / sizeof formulas[0]);
    csv_write_row(&b, formulas, nf, ',');
    CHECK_STR(buf_cstr(&b), safe);
    buf_reset(&b);
    csv_write_row_raw(&b, formulas, nf, ',');
    CHECK_STR(buf_cstr(&b), raw);
    buf_reset(&b);
    csv_write_row(&b, formulas, nf, ',');
    struct csv_table t;
    char err[256];
    CHECK(csv_parse_text(b.p, b.len, &a, &t, err, sizeof err) == ERR_OK && t.n_rows == 1);
    for (int i = 0; i < nf && t.n_rows == 1; i++)
        CHECK_STR(str_formula_unquote(csv_field(&t.rows[0], i)), formulas[i]);
    buf_free(&b);
    CHECK(str_formula_lead("=1") && str_formula_lead("'@x") && !str_formula_lead("'x"));
    CHECK(!str_formula_lead("") && !str_formula_lead(NULL) && !str_formula_lead("'"));
    CHECK_STR(str_formula_unquote("'-2"), "-2");
    CHECK_STR(str_formula_unquote("'x"), "'x");
    CHECK_STR(str_formula_unquote("-2"), "-2");
    arena_free(&a);
}

static void test_header(void)
{
    struct arena a = {0};
    struct tracking_result res = {0};
    struct tracking_header h;
    const char *french[] = {"Code objectif", "Objectif", "Action", "Fiche", "Porteur",
                            "Notes à moi", "ÉTAT", "Remarques", "Préconisations"};
    CHECK(tracking_read_header(french, 9, 1, &h, &a, &res) == ERR_OK);
    CHECK(h.col[TRK_OBJECTIVE_CODE] == 0 && h.col[TRK_STATUS] == 6);
    CHECK(h.col[TRK_RECOMMENDATIONS] == 8 && res.n_errors == 0);

    const char *missing[] = {"code_objectif", "objectif", "action", "fiche", "porteur", "etat",
                             "remarques"};
    CHECK(tracking_read_header(missing, 7, 1, &h, &a, &res) == ERR_INVALID);
    CHECK(res.n_errors == 1);
    if (res.n_errors == 1) {
        char *text = tracking_error_text(&res.errors[0], &a);
        CHECK_HAS(text, "line 1, column H:");
        CHECK_HAS(text, "preconisations");
    }
    memset(&res, 0, sizeof res);
    const char *twice[] = {"code_objectif", "objectif", "action", "fiche", "porteur", "etat",
                           "remarques", "preconisations", "État"};
    CHECK(tracking_read_header(twice, 9, 1, &h, &a, &res) == ERR_INVALID);
    CHECK(res.n_errors == 1 && res.errors[0].column == 8);

    char letter[8];
    int cols[] = {0, 7, 25, 26, 51, 701, 702};
    const char *want[] = {"A", "H", "Z", "AA", "AZ", "ZZ", "AAA"};
    for (int i = 0; i < 7; i++) {
        tracking_column_letter(cols[i], letter);
        CHECK_STR(letter, want[i]);
    }
    arena_free(&a);
}

/* ---- import and export -------------------------------------------------------------------- */

static void test_round_trip_same_contract(struct store *db)
{
    struct arena a = {0};
    struct buf msgs = {0};
    struct tracking_result res;
    char *before = fingerprint(db, &a);
    const int years[] = {2023, 2021};
    const int rows[] = {76, 71}; /* a year's table holds the actions that exist that year */
    const char seps[] = {',', ';'};
    for (int i = 0; i < 2; i++) {
        char *text = export_text(db, &a, 1, years[i], seps[i]);
        CHECK(text && strncmp(text, seps[i] == ';' ? "\xEF\xBB\xBF" "code_objectif;" :
                              "code_objectif,objectif,action,fiche,porteur,etat,remarques,"
                              "preconisations\r\n", 15) == 0);
        CHECK(import_text(db, &a, text, 1, NULL, years[i], &res, &msgs) == ERR_OK);
        CHECK_STR(buf_cstr(&msgs), "");
        CHECK(res.rows == rows[i] && res.unchanged == rows[i] && res.actions_created == 0);
        CHECK(res.statuses_recorded == 0 && res.carriers_changed == 0);
        CHECK(res.organisations_created == 0);
    }
    CHECK_STR(fingerprint(db, &a), before);
    /* The default year is the latest with statuses. */
    char *latest = export_text(db, &a, 1, 0, ',');
    CHECK_STR(latest, export_text(db, &a, 1, 2023, ','));
    buf_free(&msgs);
    arena_free(&a);
}

/* A malformed table is refused with line and column, the database left as it was: every
 * string after n_errors (NULL-terminated) must be in the messages; n_errors < 0: any count. */
static void expect_refused(struct store *db, int line, const char *text, int n_errors, ...)
{
    struct arena a = {0};
    struct buf msgs = {0};
    struct tracking_result res;
    char *before = fingerprint(db, &a);
    int rc = import_text(db, &a, text, 1, NULL, 2023, &res, &msgs);
    check(rc == ERR_INVALID, __FILE__, line, "import refused");
    va_list ap;
    va_start(ap, n_errors);
    for (const char *want; (want = va_arg(ap, const char *));)
        check_has(buf_cstr(&msgs), want, __FILE__, line);
    va_end(ap);
    if (n_errors >= 0 && res.n_errors != n_errors)
        printf("%s:%d: %d errors instead of %d: %s\n", __FILE__, line, res.n_errors, n_errors,
               buf_cstr(&msgs));
    check(n_errors < 0 || res.n_errors == n_errors, __FILE__, line, "number of errors");
    check_str(fingerprint(db, &a), before, __FILE__, line);
    buf_free(&msgs);
    arena_free(&a);
}

/* The same text with row (1-based) changed: from → to inside it. */
static char *edit_row(struct arena *a, const char *text, int row, const char *from, const char *to)
{
    char *r = record(a, text, row);
    return replace(a, text, r, replace(a, r, from, to));
}

/* The same text with one more record right after the header. */
static char *insert_row(struct arena *a, const char *text, const char *row)
{
    struct buf b = {0};
    buf_printf(&b, "\r\n%s\r\n", row);
    char *s = replace(a, text, "\r\n", buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void test_malformed(struct store *db)
{
    struct arena a = {0};
    char *good = export_text(db, &a, 1, 2023, ',');
    char *bad;

    bad = replace(&a, good, ",remarques,preconisations", ",remarques");
    expect_refused(db, __LINE__, bad, 1, "line 1, column H:", "preconisations", "manquante", NULL);
    bad = replace(&a, good, "code_objectif,", "objectif_code,");
    expect_refused(db, __LINE__, bad, 1, "line 1, column I:", "code_objectif", NULL);

    /* Line 3 is the second action. */
    bad = edit_row(&a, good, 3, ",Réalisée,", ",Presque fini,");
    expect_refused(db, __LINE__, bad, 1, "line 3, column F:", "Presque fini", NULL);
    bad = edit_row(&a, good, 4, "1.1,", "9.9,");
    expect_refused(db, __LINE__, bad, 1, "line 4, column A:", "9.9", NULL);
    bad = edit_row(&a, good, 5, "Projet", "Proj\xe9t");
    expect_refused(db, __LINE__, bad, -1, "line 5, column C:", "UTF-8", NULL);
    bad = edit_row(&a, good, 6, "1.2.1", "fiche 1.2.1");
    expect_refused(db, __LINE__, bad, 1, "line 6, column D:", NULL);

    /* Every bad row is reported, not only the first. */
    bad = edit_row(&a, good, 3, ",Réalisée,", ",Presque fini,");
    bad = edit_row(&a, bad, 4, "1.1,", "9.9,");
    bad = edit_row(&a, bad, 6, "1.2.1", "fiche 1.2.1");
    bad = insert_row(&a, bad, "1.1,Renforcer la mobilité,  ,Piste,,,,");
    expect_refused(db, __LINE__, bad, 4, "line 2, column C:", "line 4, column F:",
                   "line 5, column A:", "line 7, column D:", NULL);
    /* Two rows for one action: its status would be recorded twice. */
    bad = insert_row(&a, good, record(&a, good, 2));
    expect_refused(db, __LINE__, bad, 1, "line 3, column D:", "ligne 2", NULL);
    /* Remarks need a status. */
    bad = insert_row(&a, good, "1.1,Renforcer la mobilité,Nouvelle,Piste,,,des remarques,");
    expect_refused(db, __LINE__, bad, 1, "line 2, column F:", NULL);
    /* An objective without a code must be named by its exact title. */
    bad = insert_row(&a, good, ",Un objectif qui n'existe pas,Nouvelle,Piste,,,,");
    expect_refused(db, __LINE__, bad, 1, "line 2, column A:", NULL);
    /* Malformed quotes: the CSV reader stops there. */
    bad = insert_row(&a, good, "1.1,\"Renforcer\" la mobilité,x,Piste,,,,");
    expect_refused(db, __LINE__, bad, -1, "line 2, column B:", NULL);
    arena_free(&a);
}

static const char script_row[] =
    "1.1,Renforcer la mobilité,\"<script>alert(1)</script> \"\"quoted\"\" & 'single'\",Piste,"
    "\"Asso \"\"<b>Les Amis</b>\"\"\",En cours,\"<script>alert(1)</script>\nligne 2, \"\"x\"\"\","
    "<img src=x onerror=alert(1)>\r\n";

static void test_verbatim_and_updates(struct store *db)
{
    struct arena a = {0};
    struct buf msgs = {0};
    struct tracking_result res;
    char *good = export_text(db, &a, 1, 2023, ',');
    struct buf b = {0};
    buf_puts(&b, good);
    buf_puts(&b, script_row);
    char *text = arena_strdup(&a, buf_cstr(&b));
    buf_free(&b);

    CHECK(import_text(db, &a, text, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK_STR(buf_cstr(&msgs), "");
    CHECK(res.rows == 77 && res.actions_created == 1 && res.statuses_recorded == 1);
    CHECK(res.unchanged == 76 && res.organisations_created == 1);
    /* The new action, its carrier and its status are stored as written. */
    struct action_filter f = {.contract_id = 1, .year = 2023, .kind = "lead",
                              .text = "alert(1)"};
    struct action *list;
    int n = 0;
    CHECK(action_list(db, &a, &f, &list, &n) == ERR_OK && n == 1);
    if (n == 1) {
        CHECK_STR(list[0].title, "<script>alert(1)</script> \"quoted\" & 'single'");
        CHECK_STR(list[0].carrier_name, "Asso \"<b>Les Amis</b>\"");
        CHECK_STR(list[0].carrier_label, "Asso \"<b>Les Amis</b>\"");
        CHECK(list[0].status == ST_IN_PROGRESS);
        struct action x;
        CHECK(action_get(db, &a, list[0].id, 2023, &x) == ERR_OK && x.n_history == 1);
        if (x.n_history == 1) {
            CHECK_STR(x.history[0].remarks, "<script>alert(1)</script>\nligne 2, \"x\"");
            CHECK_STR(x.history[0].recommendations, "<img src=x onerror=alert(1)>");
            CHECK_STR(x.history[0].as_written, "En cours");
            CHECK_STR(x.history[0].recorded_by, "test_csv");
        }
    }
    /* Re-importing the same file adds nothing; the export gives the row back. */
    char *before = fingerprint(db, &a);
    CHECK(import_text(db, &a, text, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK(res.unchanged == 77 && res.actions_created == 0 && res.statuses_recorded == 0);
    CHECK_STR(fingerprint(db, &a), before);
    CHECK_STR(export_text(db, &a, 1, 2023, ','), text);

    /* A changed status and a new carrier (by acronym) are recorded once. */
    char *row2 = record(&a, text, 2);
    char *changed = replace(&a, row2, "Réalisée, récurrente", "abandonné");
    changed = replace(&a, changed, "Conseil départemental de la Meuse", "ARS");
    char *edited = replace(&a, text, row2, changed);
    CHECK(import_text(db, &a, edited, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK(res.statuses_recorded == 1 && res.carriers_changed == 1 && res.unchanged == 76);
    CHECK(res.organisations_created == 0);
    char *after = export_text(db, &a, 1, 2023, ',');
    CHECK_HAS(record(&a, after, 2), ",Agence Régionale de Santé Grand Est");
    CHECK_HAS(record(&a, after, 2), ",Abandonnée,");
    CHECK(import_text(db, &a, edited, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK(res.statuses_recorded == 0 && res.carriers_changed == 0 && res.unchanged == 77);
    CHECK(import_text(db, &a, after, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK(res.unchanged == 77);
    /* Put the row back: its history keeps all three statuses. */
    CHECK(import_text(db, &a, text, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK(res.statuses_recorded == 1 && res.carriers_changed == 1);
    CHECK_STR(export_text(db, &a, 1, 2023, ','), text);
    buf_free(&msgs);
    arena_free(&a);
}

static void test_new_contract(struct store *demo)
{
    struct arena a = {0};
    struct buf msgs = {0};
    struct tracking_result res;
    const char *path = tmp_path("fresh.db");
    remove_db(path);
    struct store *db = open_db(path, false);
    const int years[] = {2023, 2020};
    for (int i = 0; i < 2; i++) {
        char *text = export_text(demo, &a, 1, years[i], ',');
        CHECK(import_text(db, &a, text, 0, "CLS de test", years[i], &res, &msgs) ==
              (i == 0 ? ERR_OK : ERR_INVALID));
        if (i == 1) { /* the same title and territory again: refused */
            CHECK_HAS(buf_cstr(&msgs), "a déjà un contrat");
            continue;
        }
        CHECK_STR(buf_cstr(&msgs), "");
        CHECK(res.contract_id > 0 && res.actions_created == 76 && res.objectives_created > 7);
        CHECK_STR(export_text(db, &a, res.contract_id, years[i], ','), text);
        /* Then imported again into the contract it created: nothing changes. */
        long long id = res.contract_id;
        char *before = fingerprint(db, &a);
        CHECK(import_text(db, &a, text, id, NULL, years[i], &res, &msgs) == ERR_OK);
        CHECK(res.unchanged == 76);
        CHECK_STR(fingerprint(db, &a), before);
    }
    /* Another year of the demo into a second new contract, with the semicolon variant. */
    char *text = export_text(demo, &a, 1, 2020, ';');
    CHECK(import_text(db, &a, text, 0, "CLS de test 2020", 2020, &res, &msgs) == ERR_OK);
    CHECK_STR(export_text(db, &a, res.contract_id, 2020, ';'), text);

    /* A table of another territory, objective codes of its own, without the demo. */
    const char *other =
        "Code objectif;Objectif;Action;Fiche;Porteur;État;Remarques;Préconisations\r\n"
        "A.1;Se déplacer;Navette;A.1.1;Mairie;en cours;;\r\n"
        ";Sans code;Atelier;Piste;Mairie;;;\r\n"
        ";Sans code;Atelier;Piste;;abandonné;;\r\n" /* the same lead written twice */
        "B;Soigner;Maison de santé;;;Réalisé;+ ouverte;\r\n";
    /* A row repeating another's action (even with its accents or case changed) is an error
     * naming both rows, not one more action. */
    CHECK(import_text(db, &a, other, 0, "Autre contrat", 2024, &res, &msgs) == ERR_INVALID);
    CHECK(strstr(buf_cstr(&msgs), "line 4, column C: même action qu'à la ligne 3") != NULL);
    CHECK(import_text(db, &a, replace(&a, other, ";Atelier;Piste;;", ";ATELIER ;Piste;;"), 0,
                      "Autre contrat", 2024, &res, &msgs) == ERR_INVALID);
    CHECK(strstr(buf_cstr(&msgs), "line 4, column C: même action qu'à la ligne 3") != NULL);
    other = replace(&a, other, ";Atelier;Piste;;", ";Atelier mémoire;Piste;;");
    CHECK(import_text(db, &a, other, 0, "Autre contrat", 2024, &res, &msgs) == ERR_OK);
    CHECK_STR(buf_cstr(&msgs), "");
    CHECK(res.actions_created == 4 && res.statuses_recorded == 3);
    CHECK(res.objectives_created == 6); /* axis, specifics A and B, operationals A.1, "", B */
    long long other_id = res.contract_id;
    char *back = export_text(db, &a, other_id, 2024, ',');
    CHECK_STR(record(&a, back, 2), "A.1,Se déplacer,Navette,A.1.1,Mairie,En cours,,");
    CHECK_STR(record(&a, back, 3), ",Sans code,Atelier,Piste,Mairie,,,");
    CHECK_STR(record(&a, back, 4), ",Sans code,Atelier mémoire,Piste,,Abandonnée,,");
    /* "+ ouverte" would be a formula in a spreadsheet: written behind an apostrophe, read back
     * without it (the next imports change nothing). */
    CHECK_STR(record(&a, back, 5), "B,Soigner,Maison de santé,,,Réalisée,'+ ouverte,");
    CHECK(import_text(db, &a, other, other_id, NULL, 2024, &res, &msgs) == ERR_OK);
    CHECK(res.unchanged == 4);
    CHECK(import_text(db, &a, back, other_id, NULL, 2024, &res, &msgs) == ERR_OK);
    CHECK(res.unchanged == 4);
    CHECK(import_text(db, &a, back, 0, "Copie", 2024, &res, &msgs) == ERR_OK);
    CHECK_STR(export_text(db, &a, res.contract_id, 2024, ','), back);
    store_close(db);
    remove_db(path);
    buf_free(&msgs);
    arena_free(&a);
}

/* A large table: built, imported into a new contract, imported again (no timing here: bench/
 * measures; this checks that nothing breaks at that size). */
static void test_large(void)
{
    struct arena a = {0};
    struct buf msgs = {0}, text = {0};
    struct tracking_result res;
    const char *path = tmp_path("large.db");
    remove_db(path);
    struct store *db = open_db(path, false);
    enum { N = 3000 };
    buf_puts(&text, "code_objectif,objectif,action,fiche,porteur,etat,remarques,preconisations\n");
    for (int i = 0; i < N; i++)
        buf_printf(&text, "%d.%d,Objectif %d.%d,Action %d,%s%d,Organisation %d,%s,Remarque %d,\n",
                   i % 7 + 1, i % 5 + 1, i % 7 + 1, i % 5 + 1, i, i % 3 ? "F" : "", i,
                   i % 400, i % 2 ? "En cours" : "Réalisé", i);
    CHECK(import_text(db, &a, buf_cstr(&text), 0, "Grand contrat", 2022, &res, &msgs) == ERR_OK);
    CHECK(res.actions_created == N && res.statuses_recorded == N);
    CHECK(res.organisations_created == 400);
    long long id = res.contract_id;
    CHECK(import_text(db, &a, buf_cstr(&text), id, NULL, 2022, &res, &msgs) == ERR_OK);
    CHECK(res.unchanged == N && res.actions_created == 0);
    store_close(db);
    remove_db(path);
    buf_free(&text);
    buf_free(&msgs);
    arena_free(&a);
}

/* An archived action is left out of the export, and an import does not match it: its row makes
 * a new action; the archived one stays as it was. */
static void test_archived(void)
{
    struct arena a = {0};
    struct buf msgs = {0};
    struct tracking_result res;
    const char *path = tmp_path("archived.db");
    remove_db(path);
    struct store *db = open_db(path, true);
    char *before = export_text(db, &a, 1, 2023, ',');
    char *row = record(&a, before, 2); /* the first action of the contract */
    struct action_filter f = {.contract_id = 1};
    struct action *list;
    int n = 0, version = 0;
    bool archived = false;
    CHECK(action_list(db, &a, &f, &list, &n) == ERR_OK && n == 76);
    long long first = list[0].id;
    CHECK(action_meta(db, first, &version, &archived) == ERR_OK && !archived);
    const char *why = NULL;
    struct actor who = {0, "test_csv"};
    CHECK(action_archive(db, &who, first, version, true, &why) == ERR_OK);
    char *after = export_text(db, &a, 1, 2023, ',');
    CHECK(after && !strstr(after, row));
    CHECK_STR(record(&a, after, 2), record(&a, before, 3));
    CHECK(record(&a, after, 77)[0] == '\0'); /* 75 rows left */
    CHECK(import_text(db, &a, before, 1, NULL, 2023, &res, &msgs) == ERR_OK);
    CHECK_STR(buf_cstr(&msgs), "");
    CHECK(res.actions_created == 1 && res.unchanged == 75);
    CHECK(action_meta(db, first, &version, &archived) == ERR_OK && archived);
    CHECK(action_list(db, &a, &f, &list, &n) == ERR_OK && n == 76);
    bool old_listed = false;
    for (int i = 0; i < n; i++)
        old_listed |= list[i].id == first;
    CHECK(!old_listed);
    char *again = export_text(db, &a, 1, 2023, ',');
    CHECK(again && strstr(again, row) && record(&a, again, 77)[0]); /* the new one, 76 rows */
    store_close(db);
    remove_db(path);
    buf_free(&msgs);
    arena_free(&a);
}

/* ---- the sub-commands --------------------------------------------------------------------- */

static char *read_text(struct arena *a, const char *path)
{
    FILE *f = fopen(path, "rb");
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    if (f)
        fclose(f);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* Titles, carriers and remarks that a spreadsheet would run as formulas: `boussole export`
 * neutralises them, `--raw` keeps them, and both files re-import without changing anything. */
static void test_formula_cells(void)
{
    struct arena a = {0};
    struct buf out = {0};
    const char *db_path = tmp_path("formulas.db");
    const char *in_path = tmp_path("formulas-in.csv"), *csv_path = tmp_path("formulas.csv");
    remove_db(db_path);
    struct store *db = open_db(db_path, false);
    store_close(db);
    const char *rows[][TRK_COLUMNS] = {
        {"1.1", "Mobilité", "=HYPERLINK(\"http://evil\")", "Piste", "+Porteur", "En cours",
         "-2 remarques", "@SUM(A1)"},
        {"1.1", "Mobilité", "+1", "Piste", "", "Réalisée", "\tx", ""},
        {"1.1", "Mobilité", "-2", "Piste", "", "Abandonnée", "\rx", ""},
        {"1.1", "Mobilité", "@SUM", "Piste", "", "", "", ""},
    };
    enum { N = sizeof rows / sizeof rows[0] };
    struct buf raw = {0};
    csv_write_row_raw(&raw, tracking_headers, TRK_REQUIRED, ',');
    for (int i = 0; i < N; i++)
        csv_write_row_raw(&raw, rows[i], TRK_REQUIRED, ',');
    write_file(in_path, buf_cstr(&raw));
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--new-contract", "Formules",
              "--territory", "Ailleurs", "--year", "2024", "--yes", in_path, NULL) == 0);
    CHECK_HAS(buf_cstr(&out), "Contrat créé : 1\n");

    /* Default: every dangerous cell behind an apostrophe, nothing else changed. */
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--year", "2024",
              "--out", csv_path, NULL) == 0);
    char *safe = read_text(&a, csv_path);
    CHECK_STR(record(&a, safe, 2), "1.1,Mobilité,\"'=HYPERLINK(\"\"http://evil\"\")\",Piste,"
                                   "'+Porteur,En cours,'-2 remarques,'@SUM(A1)");
    CHECK_STR(record(&a, safe, 3), "1.1,Mobilité,'+1,Piste,,Réalisée,'\tx,");
    CHECK_HAS(safe, "1.1,Mobilité,'-2,Piste,,Abandonnée,\"'\rx\",\r\n");
    CHECK_HAS(safe, "1.1,Mobilité,'@SUM,Piste,,,,\r\n");
    /* --raw: the file that was imported, byte for byte. */
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--year", "2024",
              "--raw", NULL) == 0);
    CHECK_STR(buf_cstr(&out), buf_cstr(&raw));
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--format",
              "xlsx", "--raw", NULL) == 2);
    CHECK_HAS(buf_cstr(&out), "--raw");

    /* Both forms re-import unchanged. */
    db = open_db(db_path, false);
    char *before = fingerprint(db, &a);
    store_close(db);
    const char *files[] = {csv_path, in_path};
    for (int i = 0; i < 2; i++) {
        CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--year",
                  "2024", "--yes", files[i], NULL) == 0);
        CHECK_HAS(buf_cstr(&out), "lignes inchangées          4\n");
        db = open_db(db_path, false);
        CHECK_STR(fingerprint(db, &a), before);
        store_close(db);
    }
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--year", "2024",
              NULL) == 0);
    CHECK_STR(buf_cstr(&out), safe);
    remove_db(db_path);
    remove(in_path);
    remove(csv_path);
    buf_free(&raw);
    buf_free(&out);
    arena_free(&a);
}

static void test_commands(struct store *db, const char *db_path)
{
    struct arena a = {0};
    struct buf out = {0};
    const char *csv_path = tmp_path("export.csv");
    CHECK(run(cmd_export, &out, "export", "--help", NULL) == 0);
    CHECK_HAS(buf_cstr(&out), "--sep");
    CHECK(run(cmd_import, &out, "import", "--help", NULL) == 0);
    CHECK_HAS(buf_cstr(&out), "line N, column C");
    CHECK(run(cmd_export, &out, "export", "--db", db_path, NULL) == 2);
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--format",
              "json", NULL) == 2);
    CHECK_HAS(buf_cstr(&out), "json");
    CHECK(strchr(buf_cstr(&out), '\n') == buf_cstr(&out) + out.len - 1); /* one line */
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--sep", "tab",
              NULL) == 2);
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "99", NULL) == 1);
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--bogus",
              NULL) == 2);
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", csv_path,
              NULL) == 2); /* no --year */
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--new-contract",
              "X", "--territory", "Y", "--year", "2023", csv_path, NULL) == 2);
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--year", "20x3",
              csv_path, NULL) == 2);

    char *before = fingerprint(db, &a);
    CHECK(run(cmd_export, &out, "export", "--db", db_path, "--contract", "1", "--format", "csv",
              "--year", "2022", "--out", csv_path, "--sep", "semicolon", NULL) == 0);
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--year", "2022",
              csv_path, NULL) == 0);
    CHECK_HAS(buf_cstr(&out), "lignes inchangées         71");
    CHECK_STR(fingerprint(db, &a), before);

    char *text = export_text(db, &a, 1, 2022, ',');
    /* A title above the header is skipped. */
    struct buf titled = {0};
    buf_printf(&titled, "Tableau de suivi 2022\r\n\r\n%s", text);
    write_file(csv_path, buf_cstr(&titled));
    buf_free(&titled);
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--year", "2022",
              csv_path, NULL) == 0);
    CHECK_HAS(buf_cstr(&out), "lignes inchangées         71");

    char *row3 = record(&a, text, 3);
    write_file(csv_path, replace(&a, text, row3, replace(&a, row3, "1.1,", "42,")));
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--year", "2022",
              csv_path, NULL) == 1);
    CHECK_HAS(buf_cstr(&out), "line 3, column A:");
    CHECK_HAS(buf_cstr(&out), "rien n'a été importé");
    CHECK_STR(fingerprint(db, &a), before);

    write_file(csv_path, "code_objectif,objectif\n1.1,\"x\xff\"\n");
    CHECK(run(cmd_import, &out, "import", "--db", db_path, "--contract", "1", "--year", "2022",
              csv_path, NULL) == 1);
    CHECK_HAS(buf_cstr(&out), "line 2, column B:");
    CHECK_STR(fingerprint(db, &a), before);

    const char *fresh = tmp_path("cli-new.db");
    remove_db(fresh);
    write_file(csv_path, export_text(db, &a, 1, 2022, ','));
    /* A plan that changes something is only shown until --yes confirms it. */
    CHECK(run(cmd_import, &out, "import", "--db", fresh, "--new-contract", "CLS importé",
              "--territory", "Ailleurs", "--year", "2022", csv_path, NULL) == 1);
    CHECK_HAS(buf_cstr(&out), "actions nouvelles           71");
    CHECK_HAS(buf_cstr(&out), "--yes");
    CHECK(run(cmd_import, &out, "import", "--db", fresh, "--new-contract", "CLS importé",
              "--territory", "Ailleurs", "--year", "2022", "--dry-run", csv_path, NULL) == 0);
    CHECK(run(cmd_import, &out, "import", "--db", fresh, "--new-contract", "CLS importé",
              "--territory", "Ailleurs", "--year", "2022", "--yes", csv_path, NULL) == 0);
    CHECK_HAS(buf_cstr(&out), "Contrat créé : 1\n");
    CHECK(run(cmd_export, &out, "export", "--db", fresh, "--contract", "1", NULL) == 0);
    CHECK_STR(buf_cstr(&out), export_text(db, &a, 1, 2022, ','));
    remove_db(fresh);
    remove(csv_path);
    buf_free(&out);
    arena_free(&a);
}

/* One number the database answers (a count, an id). */
static long long number(struct store *db, const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    long long v = stmt_step(st) == 1 ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return v;
}

/* `boussole import --yes` frees the plan's pass before applying it, keeping only its choices:
 * what it showed is what it writes. A carrier written nearly as an organisation of the directory
 * is read as that organisation, not created; a status another account wrote is kept, and
 * replaced only with --replace-others. */
static void test_cli_applies_the_choices_shown(void)
{
    struct arena a = {0};
    struct buf out = {0};
    const char *path = tmp_path("choices.db"), *csv = tmp_path("choices.csv");
    remove_db(path);
    struct store *db = open_db(path, true);
    const char *action = "SELECT id FROM action WHERE contract_id = 1 AND title = 'Acquérir "
                         "véhicules portage repas'";
    long long id = number(db, action), orgs = number(db, "SELECT count(*) FROM organisation");
    /* A carrier's account confirms its status of 2022 itself. */
    struct stmt *st = store_prepare(
        db, "INSERT INTO account (email, name, role, contract_id, created_at) VALUES "
            "('porteur@essai.invalid', 'Porteur', 'carrier', 1, '2023-01-01T00:00:00Z')");
    CHECK(stmt_exec(st) == ERR_OK);
    long long carrier = number(db, "SELECT id FROM account WHERE email = 'porteur@essai.invalid'");
    st = store_prepare(
        db, "INSERT INTO action_status (action_id, year, status, remarks, recorded_at, "
            "recorded_by, account_id) SELECT action_id, year, status, remarks, "
            "'2023-01-15T10:00:00Z', 'Porteur', ?2 FROM action_status WHERE action_id = ?1 AND "
            "year = 2022 ORDER BY id DESC LIMIT 1");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, carrier);
    CHECK(stmt_exec(st) == ERR_OK);
    long long mds = number(db, "SELECT id FROM organisation WHERE name = 'Maison de la "
                               "Solidarité de Saint-Mihiel'");
    CHECK(id > 0 && mds > 0);
    char *text = export_text(db, &a, 1, 2022, ',');
    char *row = record(&a, text, 3);
    CHECK_HAS(row, "Acquérir véhicules portage repas");
    write_file(csv, replace(&a, text, row,
                            replace(&a, row, ",PETR Cœur de Lorraine,Réalisée,",
                                    ",Maison Solidarité Saint-Mihiel,En cours,")));
    char q[256];
    snprintf(q, sizeof q,
             "SELECT organisation_id FROM action_organisation WHERE action_id = %lld"
             " AND role = 'carrier'",
             id);
    char latest[256];
    snprintf(latest, sizeof latest,
             "SELECT status = 'in_progress' FROM action_status WHERE "
             "action_id = %lld AND year = 2022 ORDER BY id DESC LIMIT 1",
             id);

    CHECK(run(cmd_import, &out, "import", "--db", path, "--contract", "1", "--year", "2022",
              "--yes", csv, NULL) == 0);
    CHECK(number(db, "SELECT count(*) FROM organisation") == orgs);
    CHECK(number(db, q) == mds);
    CHECK(number(db, latest) == 0); /* the carrier's own status kept */
    CHECK(run(cmd_import, &out, "import", "--db", path, "--contract", "1", "--year", "2022",
              "--replace-others", "--yes", csv, NULL) == 0);
    CHECK(number(db, latest) == 1);
    CHECK(number(db, "SELECT count(*) FROM organisation") == orgs);
    store_close(db);
    remove_db(path);
    remove(csv);
    buf_free(&out);
    arena_free(&a);
}

/* Identity keys ignore case, accents, blanks and punctuation; similarity ranks proposals. */
static void test_match(void)
{
    struct arena a = {0};
    CHECK_STR(tracking_norm(&a, "  L’Accès  aux SOINS ! "), "l acces aux soins");
    CHECK_STR(tracking_norm(&a, "Œuvre « santé » – été…"), "oeuvre sante ete");
    CHECK_STR(tracking_norm(&a, ""), "");
    CHECK_STR(tracking_compact(&a, "CD 55"), "cd55");
    CHECK_STR(tracking_compact(&a, "Saint-Mihiel"), tracking_compact(&a, "saint mihiel"));
    CHECK(strcmp(tracking_norm(&a, "Prévention santé"), tracking_norm(&a, "prevention  SANTE"))
          == 0);
    CHECK(strcmp(tracking_norm(&a, "Prévention santé"), tracking_norm(&a, "Prévention santés"))
          != 0);
    CHECK(tracking_similarity(&a, "CD 55", "CD55") == 100);
    /* Small words and "St" do not count: the MDS's other spelling is the same name. */
    CHECK(tracking_similarity(&a, "MDS Saint-Mihiel", "MDS de St Mihiel") == 100);
    CHECK(tracking_similarity(&a, "MDS Saint-Mihiel", "MDS de Saint-Mihiel") >= TRACKING_STRONG);
    /* All the words of the shorter name in the longer: a proposal, not an identity. */
    int s = tracking_similarity(&a, "MDS", "MDS Verdun");
    CHECK(s >= 80 && s < TRACKING_STRONG);
    CHECK(tracking_similarity(&a, "CD 55", "Conseil départemental de la Meuse") < 40);
    CHECK(tracking_similarity(&a, "Mairie", "Association sportive") < 40);
    CHECK(tracking_similarity(&a, "Atelier mémoire seniors", "Ateliers mémoire des séniors") >=
          60);
    CHECK(tracking_similarity(&a, "", "x") == 0);
    arena_free(&a);
}

int main(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/test_csv_XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_parse();
    test_write();
    test_header();
    test_match();

    const char *db_path = tmp_path("demo.db");
    struct store *db = open_db(db_path, true);
    test_round_trip_same_contract(db);
    test_malformed(db);
    test_new_contract(db);
    test_commands(db, db_path);
    test_formula_cells();
    test_verbatim_and_updates(db);
    test_large();
    test_archived();
    test_cli_applies_the_choices_shown();
    store_close(db);
    remove_db(db_path);
    remove(tmp_path("stdout.txt"));
    remove(tmp_path("stderr.txt"));
    rmdir(tmp_dir);

    printf("test_csv: %d passed, %d failed\n", passed, failed);
    return failed > 0;
}
