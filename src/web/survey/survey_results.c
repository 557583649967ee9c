/* survey_results.c — what a questionnaire collected, for the coordination: the live response
 * rate overall and by axis, per-question statistics with bar charts, cross-tabs by axis and
 * specific objective, free texts; the raw answers as CSV and XLSX; the same figures as JSON
 * (GET /api/v1/surveys/{id}/results). Every figure comes from survey_results (model). */
#include <stdio.h>
#include <string.h>

#include "format/data/csv.h"
#include "format/draw/svg_bars.h"
#include "format/xlsx/xlsx_table.h"
#include "model/plan/figures.h"
#include "model/report/survey.h"
#include "web/kit/edit_forms.h"
#include "web/core/handlers.h"
#include "web/kit/json.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/survey/survey_web.h"

/* A number written the French way with d decimals ("3,47"), in the arena. */
static const char *fr_number(struct arena *a, double v, int d)
{
    char s[32];
    snprintf(s, sizeof s, "%.*f", d, v);
    char *comma = strchr(s, '.');
    if (comma)
        *comma = ',';
    return arena_strdup(a, s);
}

/* The labels of a question's values: its options, or 0..5 for a scale. */
static const char *const *value_labels(const struct survey_question *q, int *n)
{
    static const char *const scale[] = {"0", "1", "2", "3", "4", "5"};
    if (q->kind == SQ_SCALE) {
        *n = SURVEY_SCALE_MAX + 1;
        return scale;
    }
    *n = q->n_options;
    return (const char *const *)q->options;
}

static void rate_section(struct buf *b, const struct survey_results *r)
{
    buf_printf(b,
               "<section aria-labelledby=\"taux\"><h2 id=\"taux\">Taux de réponse</h2>"
               "<p id=\"taux-global\" class=\"lede\"><strong>%d %%</strong> des réponses "
               "attendues sont envoyées : %d sur %d (une par action et par contact de "
               "l'organisation porteuse) ; %d brouillon%s en cours.</p>",
               figures_percent(r->submitted, r->expected), r->submitted, r->expected, r->drafts,
               r->drafts > 1 ? "s" : "");
    buf_puts(b, "<div class=\"table-wrap\"><table id=\"taux-par-axe\"><caption>Taux de réponse "
                "par axe</caption><thead><tr><th scope=\"col\">Axe</th><th scope=\"col\">"
                "Réponses attendues</th><th scope=\"col\">Envoyées</th><th scope=\"col\">Taux"
                "</th></tr></thead><tbody>");
    for (int i = 0; i < r->n_axes; i++)
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td>%d</td><td>%d</td><td>%d %%</td></tr>",
                   r->axes[i].label, r->axes[i].expected, r->axes[i].submitted,
                   figures_percent(r->axes[i].submitted, r->axes[i].expected));
    buf_puts(b, "</tbody></table></div></section>");
}

/* Counts per value, each with its share of the question's answers. */
static void counts_table(struct buf *b, const struct survey_stat *s)
{
    int n;
    const char *const *labels = value_labels(s->q, &n);
    buf_printf(b,
               "<div class=\"table-wrap\"><table id=\"t-q%d\"><caption>Question %d : réponses "
               "par choix</caption><thead><tr><th scope=\"col\">Choix</th><th scope=\"col\">"
               "Réponses</th><th scope=\"col\">Part</th></tr></thead><tbody>",
               s->q->position, s->q->position);
    for (int i = 0; i < n; i++)
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td>%d</td><td>%d %%</td></tr>", labels[i],
                   s->counts[i], figures_percent(s->counts[i], s->answered));
    buf_puts(b, "</tbody></table></div>");
}

static void matrix_table(struct buf *b, const struct survey_stat *s)
{
    const struct survey_question *q = s->q;
    buf_printf(b,
               "<div class=\"table-wrap\"><table id=\"t-q%d\"><caption>Question %d : "
               "réponses par ligne</caption><thead><tr><th scope=\"col\">Affirmation</th>",
               q->position, q->position);
    for (int c = 0; c < q->n_options; c++)
        buf_printf(b, "<th scope=\"col\">%h</th>", q->options[c]);
    buf_puts(b, "</tr></thead><tbody>");
    for (int r = 0; r < q->n_rows; r++) {
        buf_printf(b, "<tr><th scope=\"row\">%h</th>", q->rows[r]);
        for (int c = 0; c < q->n_options; c++)
            buf_printf(b, "<td>%d</td>", s->counts[r * q->n_options + c]);
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* A cross-tab of a choice or scale question: one row per group, its answers and its counts. */
static void crosstab(struct buf *b, const struct survey_stat *s, const char *id,
                     const char *caption, const char *first, const struct survey_group *gs,
                     int n_g, const int *by, const int *answered)
{
    int n;
    const char *const *labels = value_labels(s->q, &n);
    int w = n + 1;
    buf_printf(b,
               "<div class=\"table-wrap\"><table id=\"%h-q%d\"><caption>%h</caption><thead><tr>"
               "<th scope=\"col\">%h</th><th scope=\"col\">Réponses</th>",
               id, s->q->position, caption, first);
    for (int i = 0; i < n; i++)
        buf_printf(b, "<th scope=\"col\">%h</th>", labels[i]);
    buf_puts(b, "</tr></thead><tbody>");
    for (int g = 0; g < n_g; g++) {
        buf_printf(b, "<tr><th scope=\"row\">%h</th><td>%d</td>", gs[g].label, answered[g]);
        for (int i = 0; i < n; i++)
            buf_printf(b, "<td>%d</td>", by[g * w + i]);
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

static void text_list(struct buf *b, const char *id, int pos, const char *title, char **xs, int n)
{
    if (!n)
        return;
    buf_printf(b, "<h4>%h (%d)</h4><ul id=\"%h-q%d\" class=\"free-texts\">", title, n, id, pos);
    for (int i = 0; i < n; i++)
        buf_printf(b, "<li>%h</li>", xs[i]);
    buf_puts(b, "</ul>");
}

static void question_result(struct req *req, struct buf *b, const struct survey_results *r,
                            const struct survey_stat *s)
{
    const struct survey_question *q = s->q;
    buf_printf(b,
               "<section class=\"result\" id=\"r-q%d\" aria-labelledby=\"h-q%d\"><h3 "
               "id=\"h-q%d\">%d. %h</h3><p id=\"n-q%d\">%d réponse%s envoyée%s à cette "
               "question.</p>",
               q->position, q->position, q->position, q->position, q->text, q->position,
               s->answered, s->answered > 1 ? "s" : "", s->answered > 1 ? "s" : "");
    int n;
    const char *const *labels = value_labels(q, &n);
    if (q->kind == SQ_SINGLE || q->kind == SQ_MULTIPLE || q->kind == SQ_SCALE) {
        if (q->kind == SQ_SCALE && s->n_scale)
            buf_printf(b,
                       "<p id=\"m-q%d\">Moyenne : <strong>%h</strong> sur 5 · médiane : "
                       "<strong>%h</strong> (%d note%s).</p>",
                       q->position, fr_number(req->arena, s->mean, 2),
                       fr_number(req->arena, s->median, 1), s->n_scale, s->n_scale > 1 ? "s" : "");
        if (s->answered)
            svg_count_bars(b, edit_fmt(req->arena, "chart-q%d", q->position),
                           edit_fmt(req->arena, "Question %d : réponses par choix", q->position),
                           labels, s->counts, n, s->answered);
        counts_table(b, s);
        if (q->kind == SQ_MULTIPLE)
            buf_puts(b, "<p class=\"help\">Plusieurs choix possibles : les parts sont celles "
                        "des répondants à la question et leur somme peut dépasser 100 %.</p>");
        buf_puts(b, "<details><summary>Par axe et par objectif spécifique</summary>");
        crosstab(b, s, "ax", edit_fmt(req->arena, "Question %d par axe", q->position), "Axe",
                 r->axes, r->n_axes, s->by_axis, s->answered_axis);
        crosstab(b, s, "os",
                 edit_fmt(req->arena, "Question %d par objectif spécifique", q->position),
                 "Objectif spécifique", r->specs, r->n_specs, s->by_spec, s->answered_spec);
        buf_puts(b, "</details>");
    } else if (q->kind == SQ_MATRIX) {
        matrix_table(b, s);
    }
    text_list(b, "x", q->position, "Réponses libres", s->texts, s->n_texts);
    text_list(b, "c", q->position, "Précisions", s->comments, s->n_comments);
    buf_puts(b, "</section>");
}

static int load_results(struct req *req, struct res *res, struct contract *c,
                        struct survey_results *r)
{
    struct survey s;
    int rc = survey_load(req, res, c, &s);
    if (rc)
        return rc;
    return survey_results(req->db, req->arena, s.id, r) == ERR_OK ? 0 : page_db_error(req, res);
}

int survey_results_page(struct req *req, struct res *res)
{
    struct contract c;
    struct survey_results r;
    int rc = load_results(req, res, &c, &r);
    if (rc)
        return rc;
    const char *title = edit_fmt(req->arena, "Résultats du questionnaire n° %lld", r.survey.id);
    edit_begin(req, res, &c, title, "Questionnaires",
               edit_fmt(req->arena, "/contracts/%lld/surveys", c.id), title);
    res_header(res, "Cache-Control", "private, no-store");
    struct buf *b = &res->body;
    buf_printf(b,
               "<p class=\"lede\">%h — %h. Seules les réponses envoyées comptent ; les "
               "brouillons n'entrent dans aucun chiffre.</p><ul class=\"links\"><li><a "
               "href=\"/contracts/%lld/surveys/%lld/results.xlsx\">Réponses brutes (XLSX)</a>"
               "</li><li><a href=\"/contracts/%lld/surveys/%lld/results.csv\">Réponses brutes "
               "(CSV)</a></li><li><a href=\"/contracts/%lld/surveys/%lld\">Le questionnaire et "
               "ses liens</a></li></ul>",
               r.survey.title, survey_state_label(r.survey.state), c.id, r.survey.id, c.id,
               r.survey.id, c.id, r.survey.id);
    rate_section(b, &r);
    buf_puts(b, "<section aria-labelledby=\"par-question\"><h2 id=\"par-question\">Réponses "
                "par question</h2>");
    for (int k = 0; k < r.n_q; k++)
        question_result(req, b, &r, &r.stats[k]);
    buf_puts(b, "</section>");
    page_end(res);
    return 200;
}

/* ---- raw answers ------------------------------------------------------------------------------ */

/* The header and cells of the raw table: fixed columns, then each question (and its comment
 * when it has one). */
enum { RAW_FIXED = 7 };

static int raw_table(struct req *req, const struct survey_results *r, const char ***header,
                     const char ***cells)
{
    int n_cols = RAW_FIXED;
    for (int k = 0; k < r->n_q; k++)
        n_cols += 1 + r->qs[k].has_comment;
    const char **h = arena_alloc(req->arena, (size_t)n_cols * sizeof *h);
    const char **v = arena_alloc(req->arena, (size_t)(n_cols * (r->n_raw + 1)) * sizeof *v);
    static const char *const fixed[RAW_FIXED] = {"Réponse",   "Action", "Organisation",
                                                 "Répondant", "Axe",    "Objectif spécifique",
                                                 "Envoyée le"};
    int c = 0;
    for (; c < RAW_FIXED; c++)
        h[c] = fixed[c];
    for (int k = 0; k < r->n_q; k++) {
        h[c++] = edit_fmt(req->arena, "Q%d", r->qs[k].position);
        if (r->qs[k].has_comment)
            h[c++] = edit_fmt(req->arena, "Q%d précisions", r->qs[k].position);
    }
    for (int i = 0; i < r->n_raw; i++) {
        const struct survey_raw *w = &r->raw[i];
        const char **row = v + (size_t)i * (size_t)n_cols;
        row[0] = edit_fmt(req->arena, "%lld", w->response_id);
        row[1] = w->action;
        row[2] = w->organisation;
        row[3] = w->respondent;
        row[4] = w->axis;
        row[5] = w->specific;
        row[6] = w->submitted_at;
        c = RAW_FIXED;
        for (int k = 0; k < r->n_q; k++) {
            row[c++] = w->cells[k];
            if (r->qs[k].has_comment)
                row[c++] = w->comments[k];
        }
    }
    *header = h;
    *cells = v;
    return n_cols;
}

int survey_results_csv(struct req *req, struct res *res)
{
    struct contract c;
    struct survey_results r;
    int rc = load_results(req, res, &c, &r);
    if (rc)
        return rc;
    const char **header, **cells;
    int n_cols = raw_table(req, &r, &header, &cells);
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res_header(res, "Cache-Control", "private, no-store");
    res_header(
        res, "Content-Disposition",
        edit_fmt(req->arena, "attachment; filename=\"questionnaire-%lld.csv\"", r.survey.id));
    /* A second header line names each question in full. */
    const char **texts = arena_alloc(req->arena, (size_t)n_cols * sizeof *texts);
    int col = RAW_FIXED;
    for (int i = 0; i < RAW_FIXED; i++)
        texts[i] = "";
    for (int k = 0; k < r.n_q; k++) {
        texts[col++] = r.qs[k].text;
        if (r.qs[k].has_comment)
            texts[col++] = "Précisions";
    }
    csv_write_row(&res->body, header, n_cols, ',');
    csv_write_row(&res->body, texts, n_cols, ',');
    for (int i = 0; i < r.n_raw; i++)
        csv_write_row(&res->body, cells + (size_t)i * (size_t)n_cols, n_cols, ',');
    return 200;
}

int survey_results_xlsx(struct req *req, struct res *res)
{
    struct contract c;
    struct survey_results r;
    int rc = load_results(req, res, &c, &r);
    if (rc)
        return rc;
    const char **header, **cells;
    int n_cols = raw_table(req, &r, &header, &cells);
    char err[160];
    res->status = 200;
    if (xlsx_write_table(r.survey.title, "Réponses", header, n_cols, cells, r.n_raw, &res->body,
                         err, sizeof err) != ERR_OK) {
        buf_reset(&res->body);
        return page_error(req, res, 500, "Classeur impossible", err);
    }
    res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res_header(res, "Cache-Control", "private, no-store");
    res_header(
        res, "Content-Disposition",
        edit_fmt(req->arena, "attachment; filename=\"questionnaire-%lld.xlsx\"", r.survey.id));
    return 200;
}

/* ---- the API ---------------------------------------------------------------------------------- */

static void json_ints(struct buf *b, const int *xs, int n)
{
    buf_putc(b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%d", i ? "," : "", xs[i]);
    buf_putc(b, ']');
}

static void json_strings(struct buf *b, char **xs, int n)
{
    buf_putc(b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s\"%j\"", i ? "," : "", xs[i]);
    buf_putc(b, ']');
}

static void json_groups(struct buf *b, const struct survey_group *gs, int n, const int *by,
                        const int *answered, int w)
{
    buf_putc(b, '[');
    for (int g = 0; g < n; g++) {
        buf_printf(b, "%s{\"id\":", g ? "," : "");
        json_int(b, gs[g].id);
        buf_printf(b, ",\"label\":\"%j\"", gs[g].label);
        if (by) {
            buf_printf(b, ",\"answered\":%d,\"counts\":", answered[g]);
            json_ints(b, by + g * (w + 1), w);
        } else {
            buf_printf(b, ",\"expected\":%d,\"submitted\":%d,\"rate\":%d", gs[g].expected,
                       gs[g].submitted, figures_percent(gs[g].submitted, gs[g].expected));
        }
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

static void json_question(struct buf *b, const struct survey_results *r,
                          const struct survey_stat *s)
{
    const struct survey_question *q = s->q;
    buf_printf(b,
               "{\"position\":%d,\"text\":\"%j\",\"kind\":\"%j\",\"required\":%s,"
               "\"answered\":%d",
               q->position, q->text, survey_kind_key(q->kind), q->required ? "true" : "false",
               s->answered);
    int n;
    const char *const *labels = value_labels(q, &n);
    if (q->kind == SQ_SINGLE || q->kind == SQ_MULTIPLE || q->kind == SQ_SCALE) {
        buf_puts(b, ",\"choices\":[");
        for (int i = 0; i < n; i++)
            buf_printf(b, "%s{\"label\":\"%j\",\"count\":%d,\"percent\":%d}", i ? "," : "",
                       labels[i], s->counts[i], figures_percent(s->counts[i], s->answered));
        buf_puts(b, "],\"by_axis\":");
        json_groups(b, r->axes, r->n_axes, s->by_axis, s->answered_axis, n);
        buf_puts(b, ",\"by_specific\":");
        json_groups(b, r->specs, r->n_specs, s->by_spec, s->answered_spec, n);
    }
    if (q->kind == SQ_SCALE) {
        buf_printf(b, ",\"scale\":{\"n\":%d,\"mean\":", s->n_scale);
        json_number(b, s->n_scale > 0, s->mean);
        buf_puts(b, ",\"median\":");
        json_number(b, s->n_scale > 0, s->median);
        buf_putc(b, '}');
    }
    if (q->kind == SQ_MATRIX) {
        buf_puts(b, ",\"columns\":");
        json_strings(b, q->options, q->n_options);
        buf_puts(b, ",\"rows\":[");
        for (int i = 0; i < q->n_rows; i++) {
            buf_printf(b, "%s{\"label\":\"%j\",\"counts\":", i ? "," : "", q->rows[i]);
            json_ints(b, s->counts + i * q->n_options, q->n_options);
            buf_putc(b, '}');
        }
        buf_putc(b, ']');
    }
    buf_puts(b, ",\"texts\":");
    json_strings(b, s->texts, s->n_texts);
    buf_puts(b, ",\"comments\":");
    json_strings(b, s->comments, s->n_comments);
    buf_putc(b, '}');
}

int api_survey_results(struct req *req, struct res *res)
{
    struct survey_results r;
    int rc = survey_results(req->db, req->arena, req->ids[0], &r);
    if (rc == ERR_NOTFOUND)
        return json_error(res, 404, NULL, "Questionnaire introuvable.");
    if (rc != ERR_OK)
        return json_error(res, 503, NULL, "La base de données n'a pas répondu ; réessayez.");
    json_begin(res, 200);
    res_header(res, "Cache-Control", "private, no-store");
    struct buf *b = &res->body;
    buf_printf(b,
               "{\"survey\":{\"id\":%lld,\"contract_id\":%lld,\"title\":\"%j\",\"state\":"
               "\"%j\",\"deadline\":",
               r.survey.id, r.survey.contract_id, r.survey.title, r.survey.state);
    json_text(b, r.survey.deadline);
    buf_printf(b,
               "},\"response_rate\":{\"expected\":%d,\"submitted\":%d,\"drafts\":%d,"
               "\"rate\":%d,\"by_axis\":",
               r.expected, r.submitted, r.drafts, figures_percent(r.submitted, r.expected));
    json_groups(b, r.axes, r.n_axes, NULL, NULL, 0);
    buf_puts(b, ",\"by_specific\":");
    json_groups(b, r.specs, r.n_specs, NULL, NULL, 0);
    buf_puts(b, "},\"questions\":[");
    for (int k = 0; k < r.n_q; k++) {
        buf_puts(b, k ? "," : "");
        json_question(b, &r, &r.stats[k]);
    }
    buf_puts(b, "]}");
    return 200;
}
