/* test_report.c — unit tests of the yearly execution report on the demo contract: what
 * model/report.c gathers for each year (actions listed, status counts, convention, beneficiary,
 * project lead), the narrative texts' history, the Markdown walker and the three formats (PDF
 * pages and fonts, ODT package, XML escaping). Expected numbers come from data/demo. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/plan/objective.h"
#include "model/report/report.h"
#include "format/doc/doc.h"
#include "format/doc/odt.h"
#include "format/doc/report_doc.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-report-XXXXXX";
static struct store *db;

/* Actions listed in each year's table and the 2023 counts (data/demo/action_status.csv: 71
 * rows in 2020-2022, 75 in 2023; 5.2.1 has none in 2023 and the 5 new ones none before). */
static void test_years(void)
{
    static const int years[4] = {2020, 2021, 2022, 2023}, listed[4] = {71, 71, 71, 76};
    for (int y = 0; y < 4; y++) {
        struct arena a = {0};
        struct report r;
        CHECK(report_load(db, &a, 1, years[y], &r) == ERR_OK);
        CHECK_INT(r.n_actions, listed[y]);
        int sum = 0, with_status = 0;
        for (int s = 0; s <= ST_COUNT; s++)
            sum += r.counts[s];
        for (int i = 0; i < r.n_actions; i++)
            with_status += r.actions[i].status != ST_NONE;
        CHECK_INT(sum, r.n_actions);
        CHECK_INT(with_status, years[y] == 2023 ? 75 : 71);
        CHECK_INT(r.first_year, 2020);
        CHECK_INT(r.n_years, y + 1);
        int is_new = 0;
        for (int i = 0; i < r.n_actions; i++) {
            is_new += r.actions[i].is_new;
            CHECK(r.actions[i].specific >= 0);
        }
        CHECK_INT(is_new, years[y] == 2023 ? 5 : 0);
        /* The year's counts are the last point of the evolution. */
        for (int s = 0; s <= ST_COUNT; s++)
            CHECK_INT(r.year_counts[r.n_years - 1][s], r.counts[s]);
        arena_free(&a);
    }
    struct arena a = {0};
    struct report r;
    CHECK(report_load(db, &a, 1, 2023, &r) == ERR_OK);
    CHECK_INT(r.counts[ST_DONE_RECURRING] + r.counts[ST_DONE] + r.counts[ST_DONE_CLOSED], 28);
    CHECK_INT(r.counts[ST_NOT_STARTED], 14);
    CHECK_INT(r.counts[ST_COUNT], 1);
    CHECK(report_load(db, &a, 99, 2023, &r) == ERR_NOTFOUND);
    arena_free(&a);
}

static void test_identification(void)
{
    struct arena a = {0};
    struct report r;
    CHECK(report_load(db, &a, 1, 2020, &r) == ERR_OK);
    CHECK_STR(r.identity.beneficiary, "PETR Cœur de Lorraine");
    CHECK_STR(r.identity.siret, "200 050 946 000 17");
    CHECK_STR(r.identity.email, "petr.coeurdelorraine@gmail.com");
    CHECK(r.has_convention);
    CHECK_STR(r.convention.number, "201901201");
    CHECK_STR(r.convention.start_on, "2019-01-01");
    CHECK_STR(r.convention.end_on, "2021-12-31");
    CHECK_STR(r.person_in_charge, "Laura DAUMAS - Chargée de mission");
    CHECK(report_load(db, &a, 1, 2022, &r) == ERR_OK);
    CHECK_STR(r.convention.number, "202201295");
    CHECK(report_load(db, &a, 1, 2023, &r) == ERR_OK);
    CHECK(r.has_convention);
    CHECK_STR(r.convention.number, "");
    CHECK(report_load(db, &a, 1, 2019, &r) == ERR_OK);
    CHECK_STR(r.person_in_charge, "Pauline BOUC");
    CHECK(report_load(db, &a, 1, 2030, &r) == ERR_OK);
    CHECK(!r.has_convention);
    CHECK_INT(r.n_actions, 76);
    CHECK(report_convention_add(db, 1, "x", "2024-02-01", "2024-01-01", NULL) == ERR_INVALID);
    CHECK(report_convention_add(db, 1, "x", "01/01/2024", "2024-12-31", NULL) == ERR_INVALID);
    arena_free(&a);
}

static void test_texts(void)
{
    struct actor who = {0, "Test"};
    bool added;
    CHECK(report_text_save(db, &who, 1, 2021, RS_MISSIONS, 0, "- une\n- deux", &added) == 0);
    CHECK(added);
    CHECK(report_text_save(db, &who, 1, 2021, RS_MISSIONS, 0, "- une\n- deux", &added) == 0);
    CHECK(!added);
    CHECK(report_text_save(db, &who, 1, 2021, RS_MISSIONS, 0, "Autre", &added) == 0);
    CHECK(added);
    CHECK(report_text_save(db, &who, 1, 2021, RS_COMMUNICATION_DONE, 0, "", &added) == 0);
    CHECK(!added); /* nothing in force and nothing new */
    CHECK(report_text_save(db, &who, 1, 2021, RS_OBJECTIVE, 0, "x", NULL) == ERR_INVALID);
    CHECK(report_text_save(db, &who, 1, 2021, RS_MISSIONS, 5, "x", NULL) == ERR_INVALID);
    CHECK(report_text_save(db, &who, 1, 2021, RS_COUNT, 0, "x", NULL) == ERR_INVALID);
    CHECK(report_text_save(db, &who, 1, 2021, RS_MISSIONS, 0, "\xff", NULL) == ERR_INVALID);
    struct arena a = {0};
    struct objective *o;
    int n;
    long long specific = 0, operational = 0;
    CHECK(objective_list(db, &a, 1, &o, &n) == ERR_OK);
    for (int i = 0; i < n; i++) {
        if (o[i].level == OBJ_SPECIFIC && !specific)
            specific = o[i].id;
        if (o[i].level == OBJ_OPERATIONAL && !operational)
            operational = o[i].id;
    }
    CHECK(report_text_save(db, &who, 1, 2021, RS_OBJECTIVE, specific, "**Mobilité**", NULL) ==
          ERR_OK);
    CHECK(report_text_save(db, &who, 1, 2021, RS_OBJECTIVE, operational, "x", NULL) ==
          ERR_INVALID);
    struct report r;
    CHECK(report_load(db, &a, 1, 2021, &r) == ERR_OK);
    CHECK_STR(r.texts[RS_MISSIONS], "Autre");
    CHECK_STR(r.objective_texts[objective_index(r.objs, r.n_objs, specific)], "**Mobilité**");
    CHECK(report_load(db, &a, 1, 2020, &r) == ERR_OK); /* the demo's texts of annex 5 */
    CHECK(strstr(r.texts[RS_GOVERNANCE], "Transmission du bilan CLS 2019") != NULL);
    CHECK(strstr(r.texts[RS_NEW_ACTIONS], "- E-santé") != NULL);
    CHECK(strstr(r.objective_texts[objective_index(r.objs, r.n_objs, specific)],
                 "Renforcement de la mobilité") != NULL);
    struct report_text *t;
    CHECK(report_texts(db, &a, 1, 2021, &t, &n) == ERR_OK);
    int missions = 0;
    for (int i = 0; i < n; i++)
        missions += t[i].section == RS_MISSIONS;
    CHECK_INT(missions, 1); /* only the text in force */
    arena_free(&a);
}

/* ---- Markdown ---------------------------------------------------------------------------- */

struct blocks {
    int n;
    enum md_kind kind[16];
    int level[16];
    char bullet[16][8];
    char text[16][128];
    bool link[16];
};

static void collect(void *ctx, const struct md_block *b)
{
    struct blocks *bl = ctx;
    if (bl->n == 16)
        return;
    int k = bl->n++;
    bl->kind[k] = b->kind;
    bl->level[k] = b->level;
    snprintf(bl->bullet[k], sizeof bl->bullet[k], "%s", b->bullet);
    char *plain = md_plain(b);
    snprintf(bl->text[k], sizeof bl->text[k], "%s", plain);
    free(plain);
    bl->link[k] = false;
    for (int i = 0; i < b->n_runs; i++)
        bl->link[k] |= b->runs[i].href != NULL;
}

static void test_markdown(void)
{
    struct blocks b = {0};
    md_walk("# Titre\n\n- un\n- **deux**\n  - sous\n\n3. trois\n\n<script>alert(1)</script>\n\n"
            "[lien](javascript:alert(1)) et [site](https://example.org)\n\n> cité",
            collect, &b);
    CHECK_INT(b.n, 8);
    CHECK(b.kind[0] == MD_HEADING && b.level[0] == 1);
    CHECK_STR(b.text[0], "Titre");
    CHECK(b.kind[1] == MD_ITEM && b.level[1] == 1);
    CHECK_STR(b.bullet[1], "•");
    CHECK_STR(b.text[2], "deux");
    CHECK(b.kind[3] == MD_ITEM && b.level[3] == 2);
    CHECK_STR(b.bullet[4], "3.");
    CHECK(b.kind[5] == MD_PRE);
    CHECK_STR(b.text[5], "<script>alert(1)</script>"); /* shown as text, never markup */
    CHECK_STR(b.text[6], "lien et site");
    CHECK(b.link[6]); /* the https link only */
    CHECK(b.kind[7] == MD_QUOTE);
    struct blocks none = {0};
    md_walk("", collect, &none);
    md_walk(NULL, collect, &none);
    md_walk("\xff\xfe bad", collect, &none);
    CHECK_INT(none.n, 1);
}

static void test_xml_escape(void)
{
    struct buf b = {0};
    xml_escape(&b, "<a & \"b\" 'c'>\x01\x1f\té\xff");
    CHECK_STR(buf_cstr(&b), "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;\té");
    buf_free(&b);
}

/* ---- formats ------------------------------------------------------------------------------ */

static int count(const char *hay, size_t len, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, k)); p += k)
        n++;
    return n;
}

static void test_documents(void)
{
    struct arena a = {0};
    struct report r;
    CHECK(report_load(db, &a, 1, 2023, &r) == ERR_OK);
    struct buf pdf = {0};
    char err[256];
    CHECK(report_doc_pdf(&r, &pdf, err, sizeof err) == ERR_OK);
    CHECK(pdf.len > 10000 && memcmp(pdf.p, "%PDF-", 5) == 0);
    int pages = count(pdf.p, pdf.len, "/Type /Page\n") + count(pdf.p, pdf.len, "/Type /Page ");
    CHECK(pages >= 5 && pages <= 60);
    CHECK(count(pdf.p, pdf.len, "/FontFile2") >= 2); /* TrueType fonts embedded */
    CHECK(count(pdf.p, pdf.len, "/Outlines") >= 1);
    buf_free(&pdf);

    struct buf odt = {0};
    CHECK(report_doc_odt(&r, &odt, err, sizeof err) == ERR_OK);
    CHECK(odt.len > 1000 && memcmp(odt.p, "PK\x03\x04", 4) == 0);
    /* The mimetype is the first member, stored: its name then its value right after. */
    CHECK(odt.len > 80 && memcmp(odt.p + 30, "mimetype", 8) == 0);
    CHECK(count(odt.p, 200, "application/vnd.oasis.opendocument.text") == 1);
    CHECK(count(odt.p, odt.len, "content.xml") >= 2);
    CHECK(count(odt.p, odt.len, "Pictures/chart1.png") >= 2);
    buf_free(&odt);

    /* A contract year without anything still gives documents. */
    CHECK(report_load(db, &a, 1, 2031, &r) == ERR_OK);
    r.n_actions = 0;
    CHECK(report_doc_pdf(&r, &pdf, err, sizeof err) == ERR_OK);
    CHECK(report_doc_odt(&r, &odt, err, sizeof err) == ERR_OK);
    buf_free(&pdf);
    buf_free(&odt);
    arena_free(&a);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/report.db", dir);
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
    test_years();
    test_identification();
    test_texts();
    test_markdown();
    test_xml_escape();
    test_documents();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_report");
}
