/* test_evaluation.c — unit tests of the final evaluation: the French sentences drafted from the
 * figures (checked against numbers computed here), the demo's SWOT and recommendations, the
 * audited and version-checked edits (a stale version changes nothing), the coordinator's texts
 * and their way back to the drafted text, the survey hook of the documents and the PDF / ODT. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/demo/demo.h"
#include "format/doc/final_doc.h"
#include "model/evaluation/evaluation.h"
#include "model/evaluation/final_report.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-evaluation-XXXXXX";
static struct store *db;
static const struct actor who = {0, "Test"};

/* The rounding the sentences must use: nearest whole percent. */
static int pct(int part, int total)
{
    return total ? (int)(100.0 * part / total + 0.5) : 0;
}

static void test_status_sentence(void)
{
    struct arena a = {0};
    int years[2] = {2020, 2023};
    struct year_figures f[2] = {{0}};
    f[0].year = 2020;
    f[0].total = 71;
    f[0].done = 20;
    f[1].year = 2023;
    f[1].total = 76;
    f[1].done = 28;
    f[1].by_status[ST_IN_PROGRESS] = 21;
    f[1].by_status[ST_REFLECTION] = 4;
    f[1].by_status[ST_NOT_STARTED] = 14;
    f[1].by_status[ST_ABANDONED] = 8;
    f[1].none = 1;
    char want[1024];
    snprintf(want, sizeof want,
             "Sur les 76 actions du contrat en 2023, 28 (%d %%) ont été réalisées, 21 (%d %%) "
             "sont en cours, 4 (%d %%) sont en réflexion, 14 (%d %%) ne sont pas commencées, "
             "8 (%d %%) ont été abandonnées et 1 (%d %%) reste sans état cette année-là. "
             "En 2020, 20 actions sur 71 (%d %%) étaient réalisées.",
             pct(28, 76), pct(21, 76), pct(4, 76), pct(14, 76), pct(8, 76), pct(1, 76),
             pct(20, 71));
    CHECK_STR(final_draft_status(&a, years, f, 2), want);
    /* One year, one kind besides done, singulars. */
    struct year_figures g = {.year = 2021, .total = 2, .done = 1};
    g.by_status[ST_ABANDONED] = 1;
    int y = 2021;
    CHECK_STR(final_draft_status(&a, &y, &g, 1),
              "Sur les 2 actions du contrat en 2021, 1 (50 %) a été réalisée et 1 (50 %) a été "
              "abandonnée.");
    CHECK_STR(final_draft_status(&a, NULL, NULL, 0),
              "Aucun état d'avancement n'a été enregistré pour les actions du contrat.");
    /* Governance and indicators. */
    struct gov_summary gs = {.required = 40, .held = 30, .first_year = 2019, .last_year = 2023};
    snprintf(want, sizeof want,
             "De 2019 à 2023, les instances devaient se réunir au moins 40 fois ; 30 de ces "
             "réunions requises ont été tenues (%d %%), pour 45 réunions tenues en tout.",
             pct(30, 40));
    CHECK_STR(final_draft_governance(&a, &gs, 45, 3), want);
    gs.held = 1;
    snprintf(want, sizeof want,
             "De 2019 à 2023, les instances devaient se réunir au moins 40 fois ; 1 de ces "
             "réunions requises a été tenue (%d %%), pour 1 réunion tenue en tout.",
             pct(1, 40));
    CHECK_STR(final_draft_governance(&a, &gs, 1, 3), want);
    struct indicator i1 = {.has_target = true, .target = 10},
                     i2 = {.has_target = true, .target = 5}, i3 = {0};
    struct final_indicator xs[3] = {{&i1, true, 12, "2023", 1},
                                    {&i2, true, 2, "2023", 0},
                                    {&i3, true, 7, "2022", -1}};
    CHECK_STR(final_draft_indicators(&a, xs, 3),
              "Sur 3 indicateurs suivis, 3 ont au moins une valeur et 2 ont une cible. 1 "
              "indicateur atteint sa cible (dernière valeur connue).");
    arena_free(&a);
}

/* The demo's report: its figures are figures_for_year's, its sentences quote them. */
static void test_demo_report(void)
{
    struct arena a = {0};
    struct final_report r;
    CHECK(final_report_load(db, &a, 1, "2024-06-30", &r) == ERR_OK);
    CHECK_INT(r.n_years, 4);
    for (int y = 0; y < r.n_years; y++) {
        struct year_figures f;
        CHECK(figures_for_year(db, 1, r.years[y], &f) == ERR_OK);
        CHECK_INT(r.figures[y].total, f.total);
        CHECK_INT(r.figures[y].done, f.done);
        CHECK_INT(r.figures[y].none, f.none);
    }
    const struct year_figures *last = &r.figures[r.n_years - 1];
    char start[128];
    snprintf(start, sizeof start,
             "Sur les %d actions du contrat en 2023, %d (%d %%) ont été "
             "réalisées",
             last->total, last->done, pct(last->done, last->total));
    CHECK(strncmp(final_report_text(&r, EVS_STATUS), start, strlen(start)) == 0);
    CHECK_INT(last->total, 76);
    CHECK_INT(last->done, 28);
    /* The demo's AFOM and recommendations, with their source. */
    CHECK_INT(r.n_swot, 21);
    int per[SWOT_COUNT] = {0};
    for (int i = 0; i < r.n_swot; i++)
        per[r.swot[i].quadrant]++;
    CHECK_STR(final_report_text(&r, EVS_CONCLUSION),
              "Au terme du suivi (2023), 37 % des actions du contrat sont réalisées. "
              "L'évaluation formule 10 recommandations pour le contrat suivant ; aucune n'est "
              "encore engagée.");
    CHECK_INT(per[SWOT_STRENGTH], 5);
    CHECK_INT(per[SWOT_WEAKNESS], 8);
    CHECK_INT(per[SWOT_OPPORTUNITY], 3);
    CHECK_INT(per[SWOT_THREAT], 5);
    CHECK_STR(r.swot[0].text, "Rôle essentiel de la coordination");
    CHECK(strstr(r.swot[0].source_ref, "ligne 761") != NULL);
    CHECK_INT(r.n_recs, 10);
    CHECK_INT(r.recs[9].number, 10);
    CHECK_STR(r.recs[0].title, "Clarifier la gouvernance");
    CHECK(strstr(r.recs[0].source_ref, "lignes 3057, 653") != NULL);
    CHECK(r.n_bodies > 0);
    CHECK(r.survey_write == NULL);
    arena_free(&a);
}

static int count(const char *sql, long long id)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    int n = stmt_step(st) == 1 ? (int)stmt_int(st, 0) : -1;
    stmt_done(st);
    return n;
}

static void test_swot_edits(void)
{
    struct arena a = {0};
    long long id = 0;
    CHECK(swot_add(db, &who, 1, SWOT_THREAT, "Départ de la coordinatrice", "", &id) == ERR_OK);
    CHECK(swot_add(db, &who, 1, SWOT_THREAT, "  ", "", NULL) == ERR_INVALID);
    CHECK_INT(
        count("SELECT count(*) FROM audit_log WHERE entity = 'swot_item' AND entity_id = ?1", id),
        2);
    /* Shown in the contract's journal. */
    CHECK_INT(count("SELECT count(*) FROM audit_contract c JOIN audit_log l ON l.id = c.audit_id "
                    "WHERE l.entity = 'swot_item' AND l.entity_id = ?1",
                    id),
              2);
    CHECK(swot_update(db, &who, 1, id, 1, SWOT_THREAT, "Départ de la coordination") == ERR_OK);
    /* A second person still holding version 1: refused, nothing changed. */
    CHECK(swot_update(db, &who, 1, id, 1, SWOT_THREAT, "Autre texte") == ERR_CONFLICT);
    CHECK(swot_remove(db, &who, 1, id, 1) == ERR_CONFLICT);
    /* Another contract never reaches it. */
    CHECK(swot_update(db, &who, 2, id, 2, SWOT_THREAT, "x") == ERR_NOTFOUND);
    struct swot_item *xs;
    int n;
    CHECK(swot_list(db, &a, 1, &xs, &n) == ERR_OK);
    CHECK_INT(n, 22);
    CHECK_STR(xs[n - 1].text, "Départ de la coordination");
    CHECK_INT(xs[n - 1].version, 2);
    /* Move up: it swaps with the fifth threat. */
    CHECK(swot_move(db, &who, 1, id, 2, -1) == ERR_OK);
    CHECK(swot_list(db, &a, 1, &xs, &n) == ERR_OK);
    CHECK_STR(xs[n - 2].text, "Départ de la coordination");
    CHECK_STR(xs[n - 1].text, "Manque de référents techniques institutionnels");
    /* To another quadrant: at its end. */
    CHECK(swot_update(db, &who, 1, id, 3, SWOT_STRENGTH, "Départ de la coordination") == ERR_OK);
    CHECK(swot_list(db, &a, 1, &xs, &n) == ERR_OK);
    CHECK_STR(xs[5].text, "Départ de la coordination");
    CHECK(swot_remove(db, &who, 1, id, 4) == ERR_OK);
    CHECK(swot_list(db, &a, 1, &xs, &n) == ERR_OK);
    CHECK_INT(n, 21);
    /* The removed text stays in the audit log. */
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE entity = 'swot_item' AND entity_id = ?1 "
                    "AND field = 'text' AND new_value = ''",
                    id),
              1);
    arena_free(&a);
}

static void test_rec_edits(void)
{
    struct arena a = {0};
    struct recommendation *xs;
    int n;
    CHECK(rec_list(db, &a, 1, &xs, &n) == ERR_OK);
    long long id = xs[2].id;
    struct rec_edit e = {.number = 3,
                         .title = xs[2].title,
                         .body = xs[2].body,
                         .owner = "PETR Cœur de Lorraine",
                         .follow_up = "Réunions par intercommunalité reprises en 2024",
                         .state = REC_IN_PROGRESS};
    CHECK(rec_update(db, &who, 1, id, 1, &e) == ERR_OK);
    CHECK(rec_update(db, &who, 1, id, 1, &e) == ERR_CONFLICT);
    e.number = 4; /* taken */
    CHECK(rec_update(db, &who, 1, id, 2, &e) == ERR_INVALID);
    CHECK(rec_list(db, &a, 1, &xs, &n) == ERR_OK);
    CHECK_STR(xs[2].owner, "PETR Cœur de Lorraine");
    CHECK_INT(xs[2].state, REC_IN_PROGRESS);
    CHECK_INT(xs[2].version, 2);
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE entity = 'recommendation' AND "
                    "entity_id = ?1 AND version = 2",
                    id),
              3);
    struct rec_edit add = {.title = "Nouvelle",
                           .body = "",
                           .owner = "",
                           .follow_up = "",
                           .state = REC_OPEN};
    long long nid = 0;
    CHECK(rec_add(db, &who, 1, &add, "", &nid) == ERR_OK);
    CHECK(rec_list(db, &a, 1, &xs, &n) == ERR_OK);
    CHECK_INT(n, 11);
    CHECK_INT(xs[10].number, 11);
    arena_free(&a);
}

static void test_texts(void)
{
    struct arena a = {0};
    CHECK(eval_text_save(db, &who, 1, EVS_CONCLUSION, 0, "Un **bilan** rédigé.") == ERR_OK);
    CHECK(eval_text_save(db, &who, 1, EVS_CONCLUSION, 0, "Concurrent") == ERR_CONFLICT);
    struct final_report r;
    CHECK(final_report_load(db, &a, 1, "2024-06-30", &r) == ERR_OK);
    CHECK_STR(final_report_text(&r, EVS_CONCLUSION), "Un **bilan** rédigé.");
    CHECK(final_report_text_is_custom(&r, EVS_CONCLUSION));
    /* Back to the drafted text, which follows the figures. */
    CHECK(eval_text_save(db, &who, 1, EVS_CONCLUSION, 1, "") == ERR_OK);
    CHECK(final_report_load(db, &a, 1, "2024-06-30", &r) == ERR_OK);
    CHECK(!final_report_text_is_custom(&r, EVS_CONCLUSION));
    CHECK_STR(final_report_text(&r, EVS_CONCLUSION), r.drafts[EVS_CONCLUSION]);
    CHECK(strstr(r.drafts[EVS_CONCLUSION], "11 recommandations") != NULL);
    CHECK_INT(count("SELECT count(*) FROM audit_log WHERE entity = 'contract' AND entity_id = ?1 "
                    "AND field = 'evaluation_conclusion'",
                    1),
              2);
    arena_free(&a);
}

/* ---- the documents and the survey hook ---------------------------------------------------- */

struct seen {
    int survey_headings, paragraphs;
    bool survey_text;
};

static void s_title(void *c, const char *t, const char *s)
{
    (void)c, (void)t, (void)s;
}
static void s_heading(void *c, int level, const char *text)
{
    struct seen *s = c;
    (void)level;
    s->survey_headings += strstr(text, "Résultats du questionnaire") != NULL;
}
static void s_paragraph(void *c, enum doc_style st, const char *text)
{
    struct seen *s = c;
    (void)st;
    s->paragraphs++;
    s->survey_text |= strcmp(text, "23 % de réponses") == 0;
}
static void s_field(void *c, const char *l, const char *v)
{
    (void)c, (void)l, (void)v;
}
static void s_list(void *c, const char *const *items, int n)
{
    (void)c, (void)items, (void)n;
}
static void s_md(void *c, const struct md_block *b)
{
    (void)c, (void)b;
}
static void s_tb(void *c, const struct doc_table *t)
{
    (void)c, (void)t;
}
static void s_tg(void *c, int l, const char *t)
{
    (void)c, (void)l, (void)t;
}
static void s_tr(void *c, const struct doc_cell *cells)
{
    (void)c, (void)cells;
}
static void s_te(void *c)
{
    (void)c;
}
static void s_chart(void *c, const char *svg, const char *t)
{
    (void)c, (void)svg, (void)t;
}

static const struct doc_ops seen_ops = {s_title, s_heading, s_paragraph, s_field, s_list, s_md,
                                        s_tb,    s_tg,      s_tr,        s_te,    s_chart};

static void survey_section(const void *survey, const struct doc_ops *ops, void *ctx)
{
    ops->paragraph(ctx, DOC_TEXT, survey);
}

static void test_documents(void)
{
    struct arena a = {0};
    struct final_report r;
    CHECK(final_report_load(db, &a, 1, "2024-06-30", &r) == ERR_OK);
    struct seen s = {0};
    final_doc_write(&r, &seen_ops, &s);
    CHECK_INT(s.survey_headings, 0);
    final_report_set_survey(&r, "23 % de réponses", survey_section);
    s = (struct seen){0};
    final_doc_write(&r, &seen_ops, &s);
    CHECK_INT(s.survey_headings, 1);
    CHECK(s.survey_text);
    struct buf pdf = {0}, odt = {0};
    char err[256];
    CHECK(final_doc_pdf(&r, &pdf, err, sizeof err) == ERR_OK);
    CHECK(pdf.len > 1000 && memcmp(pdf.p, "%PDF", 4) == 0);
    CHECK(final_doc_odt(&r, &odt, err, sizeof err) == ERR_OK);
    CHECK(odt.len > 1000 && memcmp(odt.p, "PK", 2) == 0);
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
    snprintf(path, sizeof path, "%s/evaluation.db", dir);
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
    test_status_sentence();
    test_demo_report();
    test_swot_edits();
    test_rec_edits();
    test_texts();
    test_documents();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("test_evaluation");
}
