/* survey_doc.c — writes a questionnaire's results into the final evaluation report (see
 * survey_doc.h). Free texts and yes/no grids are only counted here: the results page lists them.
 * printf-text: builds plain text that each document format escapes. */
#include "format/doc/survey_doc.h"

#include <stdio.h>

#include "base/str.h"
#include "model/plan/figures.h"
#include "model/report/survey.h"

static const double rate_widths[] = {6, 2, 2, 1.5};
static const bool rate_numeric[] = {false, true, true, true};
static const char *const rate_heads[] = {"Axe", "Réponses", "Attendues", "Part"};

static const double stat_widths[] = {7, 1.5, 1.5};
static const bool stat_numeric[] = {false, true, true};
static const char *const stat_heads[] = {"Réponse", "Nombre", "Part"};

static void rate_row(const struct doc_ops *ops, void *ctx, const char *label, int submitted,
                     int expected)
{
    char a[16], b[16], c[16];
    snprintf(a, sizeof a, "%d", submitted);
    snprintf(b, sizeof b, "%d", expected);
    snprintf(c, sizeof c, "%d %%", figures_percent(submitted, expected));
    struct doc_cell cells[] = {{label, ST_NONE, false},
                               {a, ST_NONE, false},
                               {b, ST_NONE, false},
                               {c, ST_NONE, false}};
    ops->table_row(ctx, cells);
}

static void response_rate(const struct survey_results *r, const struct doc_ops *ops, void *ctx)
{
    struct buf b = {0};
    buf_printf(&b,
               "« %s » : %d réponses envoyées sur %d attendues (%d %%), une par action et "
               "par contact de son porteur.",
               r->survey.title, r->submitted, r->expected,
               figures_percent(r->submitted, r->expected));
    ops->paragraph(ctx, DOC_TEXT, buf_cstr(&b));
    buf_free(&b);
    if (!r->n_axes)
        return;
    struct doc_table t = {4, rate_heads, rate_widths, rate_numeric, "Taux de réponse par axe"};
    ops->table_begin(ctx, &t);
    for (int i = 0; i < r->n_axes; i++)
        rate_row(ops, ctx, r->axes[i].label, r->axes[i].submitted, r->axes[i].expected);
    rate_row(ops, ctx, "Ensemble", r->submitted, r->expected);
    ops->table_end(ctx);
}

static void count_row(const struct doc_ops *ops, void *ctx, const char *label, int count,
                      int answered)
{
    char n[16], p[16];
    snprintf(n, sizeof n, "%d", count);
    snprintf(p, sizeof p, "%d %%", figures_percent(count, answered));
    struct doc_cell cells[] = {{label, ST_NONE, false}, {n, ST_NONE, false}, {p, ST_NONE, false}};
    ops->table_row(ctx, cells);
}

/* A choice question's counts per option, or a scale's counts per value with its mean. */
static void question_rows(const struct survey_stat *s, const struct doc_ops *ops, void *ctx)
{
    const struct survey_question *q = s->q;
    struct buf group = {0};
    buf_printf(&group, "Q%d. %s (%d réponses)", q->position, q->text, s->answered);
    ops->table_group(ctx, 1, buf_cstr(&group));
    buf_free(&group);
    if (q->kind == SQ_SCALE) {
        for (int v = 0; v <= SURVEY_SCALE_MAX && v < s->n_counts; v++) {
            char label[16];
            snprintf(label, sizeof label, "%d", v);
            count_row(ops, ctx, label, s->counts[v], s->n_scale);
        }
        if (s->n_scale) {
            char mean[64];
            snprintf(mean, sizeof mean, "Moyenne %.1f, médiane %.1f", s->mean, s->median);
            for (char *c = mean; *c; c++)
                if (*c == '.')
                    *c = ',';
            struct doc_cell cells[] = {{mean, ST_NONE, false},
                                       {"", ST_NONE, false},
                                       {"", ST_NONE, false}};
            ops->table_row(ctx, cells);
        }
        return;
    }
    for (int i = 0; i < q->n_options && i < s->n_counts; i++)
        count_row(ops, ctx, q->options[i], s->counts[i], s->answered);
}

void survey_doc_section(const void *survey, const struct doc_ops *ops, void *ctx)
{
    const struct survey_results *r = survey;
    response_rate(r, ops, ctx);
    struct doc_table t = {3, stat_heads, stat_widths, stat_numeric,
                          "Réponses aux questions à choix et aux échelles"};
    bool open = false;
    int texts = 0;
    for (int i = 0; i < r->n_q; i++) {
        const struct survey_stat *s = &r->stats[i];
        enum survey_kind k = s->q->kind;
        if (k == SQ_TEXT)
            texts += s->n_texts;
        if (k != SQ_SINGLE && k != SQ_MULTIPLE && k != SQ_SCALE)
            continue;
        if (!open)
            ops->table_begin(ctx, &t);
        open = true;
        question_rows(s, ops, ctx);
    }
    if (open)
        ops->table_end(ctx);
    char note[160];
    snprintf(note, sizeof note,
             "%d réponses libres et les grilles oui/non sont sur la page des "
             "résultats du questionnaire.",
             texts);
    ops->paragraph(ctx, DOC_NOTE, note);
}
