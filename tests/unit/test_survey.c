/* test_survey.c — the questionnaire model on a small contract built here: the template loaded
 * with its conditions (Q9's "si oui" resolved to Q8's "Oui (…)" choice), the checks of an answer
 * set (conditions drop hidden answers, required only on submit, unknown choices, scales, dates,
 * control characters), drafts and submission through a link, and the statistics (counts, mean,
 * median, cross-tabs by axis, response rate) against values worked out by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/str.h"
#include "check.h"
#include "model/account/gdpr.h"
#include "format/doc/survey_doc.h"
#include "model/report/survey.h"
#include "store/db.h"

static struct store *db;
static struct arena mail_arena;
static char tokens[8][SURVEY_TOKEN_LEN + 1];
static long long token_person[8];
static int n_tokens;

static int mail(void *ctx, const struct campaign *c, const struct campaign_contact *to,
                const char *token, const char *kind, struct outbox_mail *out)
{
    (void)ctx;
    (void)c;
    (void)kind;
    if (n_tokens < 8) {
        snprintf(tokens[n_tokens], sizeof tokens[0], "%s", token);
        token_person[n_tokens++] = to->person_id;
    }
    out->subject = "Questionnaire";
    out->body = arena_strdup(&mail_arena, token);
    return 0;
}

static void exec(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    CHECK(stmt_exec(st) == ERR_OK);
}

/* Axis 1 > specific 2 > operational 3; axis 4 > specific 5 > operational 6. Organisation 1
 * carries actions 1 (axis 1) and 2 (axis 4); organisation 2 carries action 3 (axis 4). */
static void fixture(void)
{
    exec("INSERT INTO territory (id, name) VALUES (1, 'Pays test')");
    exec("INSERT INTO contract (id, territory_id, title, created_at) VALUES (1, 1, 'CLS test', "
         "'2020-01-01T00:00:00Z')");
    exec("INSERT INTO objective (id, contract_id, parent_id, level, code, title, position) VALUES "
         "(1, 1, NULL, 'strategic', 'Axe 1', 'Un', 1), (2, 1, 1, 'specific', '1', 'Spé un', 2), "
         "(3, 1, 2, 'operational', '1.1', 'Op un', 3), (4, 1, NULL, 'strategic', 'Axe 2', "
         "'Deux', 4), (5, 1, 4, 'specific', '2', 'Spé deux', 5), (6, 1, 5, 'operational', "
         "'2.1', 'Op deux', 6)");
    exec("INSERT INTO organisation (id, name) VALUES (1, 'Org A'), (2, 'Org B')");
    exec("INSERT INTO action (id, contract_id, objective_id, kind, title, created_at) VALUES "
         "(1, 1, 3, 'sheet', 'Un', 'x'), (2, 1, 6, 'sheet', 'Deux', 'x'), "
         "(3, 1, 6, 'sheet', 'Trois', 'x')");
    exec("INSERT INTO action_organisation (action_id, organisation_id, role) VALUES "
         "(1, 1, 'carrier'), (2, 1, 'carrier'), (3, 2, 'carrier'), (3, 1, 'partner')");
    exec("INSERT INTO person (id, contract_id, name, organisation_id, email, created_at) VALUES "
         "(1, 1, 'Alice', 1, 'alice@example.org', 'x'), (2, 1, 'Bob', 2, 'bob@example.org', "
         "'x')");
}

static const struct survey_question *by_pos(const struct survey_question *qs, int n, int pos)
{
    for (int i = 0; i < n; i++)
        if (qs[i].position == pos)
            return &qs[i];
    return NULL;
}

/* A complete answer set: every required question of the template answered. */
static int complete(const struct survey_question *qs, int n_q, struct survey_part *ps,
                    const char *q2, const char *q31)
{
    int n = 0;
    for (int i = 0; i < n_q; i++) {
        const struct survey_question *q = &qs[i];
        if (!q->required)
            continue;
        if (q->kind == SQ_TEXT)
            ps[n++] = (struct survey_part){q->id, "text", "Texte"};
        else if (q->kind == SQ_SCALE)
            ps[n++] = (struct survey_part){q->id, "scale", q31};
        else if (q->kind == SQ_MATRIX)
            for (int r = 1; r <= q->n_rows; r++)
                ps[n++] = (struct survey_part){q->id,
                                               r == 1   ? "row:1"
                                               : r == 2 ? "row:2"
                                               : r == 3 ? "row:3"
                                               : r == 4 ? "row:4"
                                                        : "row:5",
                                               q->options[0]};
        else
            ps[n++] = (struct survey_part){q->id, "choice", q->position == 2 ? q2 : q->options[0]};
    }
    return n;
}

static void test_template(long long sid, struct survey_question *qs, int n_q)
{
    (void)sid;
    CHECK_INT(n_q, 33);
    const struct survey_question *q4 = by_pos(qs, n_q, 4), *q9 = by_pos(qs, n_q, 9),
                                 *q10 = by_pos(qs, n_q, 10), *q30 = by_pos(qs, n_q, 30);
    CHECK_INT(q4->cond_position, 2);
    CHECK_STR(q4->cond_value, "Terminée");
    CHECK_INT(q9->cond_position, 8);
    CHECK(strncmp(q9->cond_value, "Oui (Si oui", 11) == 0);
    CHECK_INT(q10->cond_position, 0);
    CHECK(q30->kind == SQ_MATRIX && q30->n_rows == 5 && q30->n_options == 3);
    CHECK(by_pos(qs, n_q, 31)->kind == SQ_SCALE && by_pos(qs, n_q, 31)->required);
}

static void test_checks(struct survey_question *qs, int n_q)
{
    struct arena a = {0};
    const char *errors[40];
    struct survey_part ps[64];
    const struct survey_question *q2 = by_pos(qs, n_q, 2), *q4 = by_pos(qs, n_q, 4);
    /* Q4 shows only when Q2 is "Terminée": its answer is dropped otherwise. */
    int n = complete(qs, n_q, ps, "En cours", "3");
    int base = n;
    ps[n++] = (struct survey_part){q4->id, "choice", q4->options[0]};
    CHECK_INT(survey_check(&a, qs, n_q, ps, &n, true, errors), 0);
    CHECK_INT(n, base);
    n = complete(qs, n_q, ps, "Terminée", "3");
    ps[n++] = (struct survey_part){q4->id, "choice", q4->options[0]};
    CHECK_INT(survey_check(&a, qs, n_q, ps, &n, true, errors), 0);
    CHECK_INT(n, base + 1);
    /* A choice that is not the question's. */
    n = complete(qs, n_q, ps, "Peut-être", "3");
    CHECK_INT(survey_check(&a, qs, n_q, ps, &n, false, errors), 1);
    CHECK(errors[q2 - qs] && strstr(errors[q2 - qs], "réponses proposées"));
    /* Required only on submit. */
    n = 1;
    ps[0] = (struct survey_part){q2->id, "choice", "En cours"};
    CHECK_INT(survey_check(&a, qs, n_q, ps, &n, false, errors), 0);
    int required = 0;
    for (int i = 0; i < n_q; i++)
        required += qs[i].required;
    n = 1;
    CHECK_INT(survey_check(&a, qs, n_q, ps, &n, true, errors), required - 1);
    CHECK_STR(errors[by_pos(qs, n_q, 31) - qs], "Cette question est obligatoire.");
    /* Scale out of range, impossible date, control character, two answers to one choice. */
    const struct survey_question *q18 = by_pos(qs, n_q, 18), *q32 = by_pos(qs, n_q, 32);
    struct survey_part bad[] = {{by_pos(qs, n_q, 31)->id, "scale", "6"},
                                {q18->id, "start", "2023-02-30"},
                                {q32->id, "text", "a\x01b"},
                                {q2->id, "choice", "En cours"},
                                {q2->id, "choice", "Terminée"}};
    n = 5;
    CHECK_INT(survey_check(&a, qs, n_q, bad, &n, false, errors), 4);
    CHECK(errors[q18 - qs] && strstr(errors[q18 - qs], "date"));
    CHECK(errors[q32 - qs] && strstr(errors[q32 - qs], "contrôle"));
    CHECK(errors[q2 - qs] && strstr(errors[q2 - qs], "Une seule"));
    arena_free(&a);
}

static void test_links_and_stats(long long sid, struct survey_question *qs, int n_q)
{
    struct actor who = {0, "Test"};
    const char *why = NULL;
    CHECK(survey_open(db, &who, sid, "2099-12-31", 1000, mail, NULL, &why) == ERR_OK);
    CHECK_INT(n_tokens, 2);
    /* Questions no longer change once open. */
    struct survey_question edit = qs[0];
    edit.text = "Autre";
    CHECK(survey_question_save(db, &who, sid, &edit, &why) == ERR_INVALID);
    struct survey_visit v[2];
    struct arena a = {0};
    for (int i = 0; i < 2; i++) {
        char session[SECRET_TOKEN_LEN + 1];
        bool closed = true;
        CHECK(survey_link_use(db, tokens[i], 2000, session, &closed) == ERR_OK);
        CHECK(survey_session_find(db, &a, session, 2001, &v[i], &closed) == ERR_OK);
    }
    struct survey_visit *alice = token_person[0] == 1 ? &v[0] : &v[1];
    struct survey_visit *bob = token_person[0] == 1 ? &v[1] : &v[0];
    struct survey_part ps[64];
    /* Alice: action 1 (axis 1) Q31 = 1, action 2 (axis 2) Q31 = 4; Bob: action 3 (axis 2) 5. */
    int n = complete(qs, n_q, ps, "Terminée", "1");
    CHECK(survey_answer_save(db, alice, 1, ps, 2, false, 3000) == ERR_OK); /* a draft */
    const char *state;
    struct survey_part *back;
    int n_back;
    CHECK(survey_answer_load(db, &a, alice, 1, &state, &back, &n_back) == ERR_OK);
    CHECK_STR(state, "draft");
    CHECK_INT(n_back, 2);
    CHECK(survey_answer_save(db, alice, 1, ps, n, true, 3001) == ERR_OK);
    CHECK(survey_answer_save(db, alice, 1, ps, n, true, 3002) == ERR_CONFLICT);
    CHECK(survey_answer_save(db, alice, 3, ps, n, true, 3002) == ERR_FORBIDDEN);
    n = complete(qs, n_q, ps, "En cours", "4");
    CHECK(survey_answer_save(db, alice, 2, ps, n, true, 3003) == ERR_OK);
    n = complete(qs, n_q, ps, "En cours", "5");
    CHECK(survey_answer_save(db, bob, 3, ps, n, true, 3004) == ERR_OK);

    struct survey_results r;
    CHECK(survey_results(db, &a, sid, &r) == ERR_OK);
    CHECK_INT(r.expected, 3);
    CHECK_INT(r.submitted, 3);
    CHECK_INT(r.n_axes, 2);
    CHECK_INT(r.axes[0].submitted, 1);
    CHECK_INT(r.axes[1].expected, 2);
    const struct survey_stat *s31 = &r.stats[by_pos(qs, n_q, 31) - qs];
    CHECK_INT(s31->n_scale, 3);
    CHECK(fabs(s31->mean - 10.0 / 3) < 1e-12);
    CHECK(s31->median == 4);
    CHECK_INT(s31->counts[1] + s31->counts[4] + s31->counts[5], 3);
    /* Cross-tab by axis: axis 2 (index 1) got the 4 and the 5. */
    CHECK_INT(s31->answered_axis[1], 2);
    CHECK_INT(s31->by_axis[1 * 7 + 4], 1);
    CHECK_INT(s31->by_axis[1 * 7 + 5], 1);
    const struct survey_stat *s2 = &r.stats[by_pos(qs, n_q, 2) - qs];
    CHECK_INT(s2->counts[0], 1); /* Terminée */
    CHECK_INT(s2->counts[1], 2); /* En cours */
    CHECK_INT(r.n_raw, 3);
    int even[] = {1, 2, 3, 4};
    CHECK(survey_median(even, 4) == 2.5);

    /* Erasing Alice: her free texts go, her choices stay counted, the journal pseudonymises. */
    CHECK(gdpr_person_erase(db, &who, 1) == ERR_OK);
    CHECK(survey_results(db, &a, sid, &r) == ERR_OK);
    const struct survey_stat *s33 = &r.stats[by_pos(qs, n_q, 33) - qs];
    CHECK_INT(s33->n_texts, 3);
    int erased = 0;
    for (int i = 0; i < s33->n_texts; i++)
        erased += str_eq(s33->texts[i], "(effacé)");
    CHECK_INT(erased, 2);
    CHECK_INT(r.stats[by_pos(qs, n_q, 2) - qs].counts[0], 1);
    struct stmt *st = store_prepare(db, "SELECT count(*) FROM audit_log WHERE actor LIKE "
                                        "'Alice (%'");
    CHECK(stmt_step(st) == 1 && stmt_int(st, 0) == 0);
    stmt_done(st);
    st = store_prepare(db, "SELECT count(*) FROM audit_log WHERE actor LIKE '%, lien de "
                           "questionnaire)' AND actor NOT LIKE 'Bob (%'");
    CHECK(stmt_step(st) == 1 && stmt_int(st, 0) == 2); /* Alice's two answers, pseudonymised */
    stmt_done(st);

    CHECK(survey_close(db, &who, sid, 4000) == ERR_OK);
    char session[SECRET_TOKEN_LEN + 1];
    bool closed = false;
    CHECK(survey_link_use(db, tokens[0], 4001, session, &closed) == ERR_NOTFOUND);
    CHECK(closed);
    arena_free(&a);
}

/* ---- the final evaluation report's section -------------------------------------------- */

/* What survey_doc_section wrote: its paragraphs and its table rows as "cell|cell|cell". */
struct recorded {
    char text[8192];
    int tables, rows;
};

static void rec_add(struct recorded *r, const char *s)
{
    size_t n = strlen(r->text);
    snprintf(r->text + n, sizeof r->text - n, "%s\n", s);
}
static void rec_title(void *c, const char *t, const char *s)
{
    (void)c, (void)t, (void)s;
}
static void rec_heading(void *c, int l, const char *t)
{
    (void)l, rec_add(c, t);
}
static void rec_paragraph(void *c, enum doc_style st, const char *t)
{
    (void)st, rec_add(c, t);
}
static void rec_field(void *c, const char *l, const char *v)
{
    (void)c, (void)l, (void)v;
}
static void rec_list(void *c, const char *const *i, int n)
{
    (void)c, (void)i, (void)n;
}
static void rec_markdown(void *c, const struct md_block *b)
{
    (void)c, (void)b;
}
static int rec_cols;
static void rec_begin(void *c, const struct doc_table *t)
{
    ((struct recorded *)c)->tables++;
    rec_cols = t->n_cols;
}
static void rec_group(void *c, int l, const char *t)
{
    (void)l, rec_add(c, t);
}
static void rec_row(void *c, const struct doc_cell *cells)
{
    char line[512] = "";
    for (int i = 0; i < rec_cols; i++) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, "%s%s", i ? "|" : "", cells[i].text);
    }
    ((struct recorded *)c)->rows++;
    rec_add(c, line);
}
static void rec_end(void *c)
{
    (void)c;
}
static void rec_chart(void *c, const char *s, const char *t)
{
    (void)c, (void)s, (void)t;
}

static void test_final_report_section(long long sid, struct survey_question *qs, int n_q)
{
    struct arena a = {0};
    struct survey_results r;
    CHECK(survey_latest_results(db, &a, 2, &r) == ERR_NOTFOUND); /* no such contract's survey */
    CHECK(survey_latest_results(db, &a, 1, &r) == ERR_OK);
    CHECK(r.survey.id == sid);
    const struct doc_ops ops = {rec_title, rec_heading,  rec_paragraph, rec_field,
                                rec_list,  rec_markdown, rec_begin,     rec_group,
                                rec_row,   rec_end,      rec_chart};
    struct recorded out = {0};
    survey_doc_section(&r, &ops, &out);
    /* 3 answers sent of 3 expected; by axis 1 of 1 and 2 of 2 (test_links_and_stats). */
    CHECK(strstr(out.text, "3 réponses envoyées sur 3 attendues (100 %)") != NULL);
    CHECK(strstr(out.text, "Un|1|1|100 %\n") != NULL);
    CHECK(strstr(out.text, "Deux|2|2|100 %\n") != NULL);
    CHECK(strstr(out.text, "Ensemble|3|3|100 %\n") != NULL);
    /* Q2: « Terminée » once and « En cours » twice out of 3; Q31's scale: 1, 4 and 5. */
    CHECK(strstr(out.text, "Terminée|1|33 %\n") != NULL);
    CHECK(strstr(out.text, "En cours|2|67 %\n") != NULL);
    CHECK(strstr(out.text, "Moyenne 3,3, médiane 4,0|") != NULL);
    char q31[64];
    snprintf(q31, sizeof q31, "Q31. %.20s", by_pos(qs, n_q, 31)->text);
    CHECK(strstr(out.text, q31) != NULL);
    CHECK_INT(out.tables, 2);
    /* The same calls each time: the PDF lays the document out twice. */
    struct recorded again = {0};
    survey_doc_section(&r, &ops, &again);
    CHECK_STR(again.text, out.text);
    arena_free(&a);
}

int main(void)
{
    char dir[] = "/tmp/boussole-test-survey-XXXXXX";
    if (!mkdtemp(dir) || secret_init() != ERR_OK) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/survey.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_survey: %s\n", err);
        return 1;
    }
    fixture();
    struct actor who = {0, "Test"};
    long long sid = 0;
    const char *why = NULL;
    CHECK(survey_create_from_template(db, &who, 1, "/nonexistent.json", 0, &sid, &why) ==
          ERR_INVALID);
    CHECK(survey_create_from_template(db, &who, 1, BOUSSOLE_DATADIR "/survey/questionnaire.json",
                                      0, &sid, &why) == ERR_OK);
    struct arena a = {0};
    struct survey_question *qs = NULL;
    int n_q = 0;
    CHECK(survey_questions(db, &a, sid, &qs, &n_q) == ERR_OK);
    test_template(sid, qs, n_q);
    test_checks(qs, n_q);
    test_links_and_stats(sid, qs, n_q);
    test_final_report_section(sid, qs, n_q);
    arena_free(&a);
    store_close(db);
    arena_free(&mail_arena);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        perror("rm");
    return check_report("test_survey");
}
