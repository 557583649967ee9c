/* final_doc.c — what the final evaluation report of a contract says and in which order (the
 * CLS 2 evaluation report's own order: results, survey, indicators, governance, AFOM,
 * recommendations, conclusion). Must not know any output format (doc.h callbacks only) nor read
 * the database (model/final_report.c does). printf-text: plain text the doc.h writers escape. */
#include "format/doc/final_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "format/doc/odt.h"
#include "format/doc/pdf.h"
#include "format/draw/svg.h"

struct writer {
    const struct final_report *r;
    const struct doc_ops *ops;
    void *ctx;
    int section;
};

static void section(struct writer *w, const char *text)
{
    char h[256];
    snprintf(h, sizeof h, "%d. %s", ++w->section, text);
    w->ops->heading(w->ctx, 1, h);
}

static void text_of(struct writer *w, enum eval_section s)
{
    const char *t = final_report_text(w->r, s);
    if (final_report_text_is_custom(w->r, s))
        md_walk(t, w->ops->markdown, w->ctx);
    else
        w->ops->paragraph(w->ctx, DOC_TEXT, t);
}

static const char *contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

char *final_doc_title(const struct final_report *r)
{
    (void)r;
    return xstrdup("Rapport d'évaluation finale");
}

/* One stacked bar per year: the same segments as the dashboard's evolution. */
static void years_chart(const struct final_report *r, struct buf *out)
{
    struct svg_row rows[FINAL_MAX_YEARS] = {0};
    char labels[FINAL_MAX_YEARS][8];
    for (int y = 0; y < r->n_years; y++) {
        snprintf(labels[y], sizeof labels[y], "%d", r->years[y]);
        rows[y].label = labels[y];
        for (int s = 0; s < ST_COUNT; s++)
            rows[y].counts[s] = r->figures[y].by_status[s];
        rows[y].counts[SVG_NONE] = r->figures[y].none;
    }
    struct svg_chart c = {.id = "final-years",
                          .title = "État d'avancement des actions par année",
                          .width = 640};
    svg_status_bars(out, &c, rows, r->n_years);
}

/* The table of the years: total, the done together, then each other status. */
static void status_section(struct writer *w)
{
    const struct final_report *r = w->r;
    section(w, "Réalisation des actions, année par année");
    text_of(w, EVS_STATUS);
    if (!r->n_years)
        return;
    static const char *const heads[8] = {"Année",          "Actions",    "Réalisées",
                                         "Part",           "En cours",   "Réflexion engagée",
                                         "Non commencées", "Abandonnées"};
    static const double widths[8] = {10, 10, 12, 8, 12, 16, 16, 16};
    static const bool numeric[8] = {false, true, true, true, true, true, true, true};
    struct doc_table t = {8, heads, widths, numeric,
                          "Actions de chaque année et leur état d'avancement (les actions "
                          "sans état de l'année comptent dans le total)"};
    w->ops->table_begin(w->ctx, &t);
    for (int y = 0; y < r->n_years; y++) {
        const struct year_figures *f = &r->figures[y];
        char v[8][24];
        snprintf(v[0], sizeof v[0], "%d", r->years[y]);
        snprintf(v[1], sizeof v[1], "%d", f->total);
        snprintf(v[2], sizeof v[2], "%d", f->done);
        snprintf(v[3], sizeof v[3], "%d %%", figures_percent(f->done, f->total));
        snprintf(v[4], sizeof v[4], "%d", f->by_status[ST_IN_PROGRESS]);
        snprintf(v[5], sizeof v[5], "%d", f->by_status[ST_REFLECTION]);
        snprintf(v[6], sizeof v[6], "%d", f->by_status[ST_NOT_STARTED]);
        snprintf(v[7], sizeof v[7], "%d", f->by_status[ST_ABANDONED]);
        struct doc_cell cells[8];
        for (int k = 0; k < 8; k++)
            cells[k] = (struct doc_cell){v[k], ST_NONE, false};
        w->ops->table_row(w->ctx, cells);
    }
    w->ops->table_end(w->ctx);
    struct buf svg = {0};
    years_chart(r, &svg);
    w->ops->chart(w->ctx, buf_cstr(&svg), "État d'avancement des actions par année");
    buf_free(&svg);
}

static void indicator_section(struct writer *w)
{
    const struct final_report *r = w->r;
    section(w, "Indicateurs : résultats et cibles");
    text_of(w, EVS_INDICATORS);
    if (!r->n_indicators)
        return;
    static const char *const heads[5] = {"Indicateur", "Action ou objectif", "Cible",
                                         "Dernière valeur", "Résultat"};
    static const double widths[5] = {30, 28, 10, 16, 16};
    static const bool numeric[5] = {false, false, true, true, false};
    struct doc_table t = {5, heads, widths, numeric, NULL};
    w->ops->table_begin(w->ctx, &t);
    struct arena a = {0};
    for (int i = 0; i < r->n_indicators; i++) {
        const struct final_indicator *x = &r->indicators[i];
        struct buf owner = {0}, value = {0};
        buf_printf(&owner, "%s%s%s", x->ind->owner_code, *x->ind->owner_code ? " " : "",
                   x->ind->owner_title);
        if (x->has_value)
            buf_printf(&value, "%s (%s)", indicator_number(&a, x->value), x->period);
        const char *target = x->ind->has_target ? indicator_number(&a, x->ind->target) : "—";
        const char *result = x->reached == 1       ? "Atteinte"
                             : x->reached == 0     ? "Non atteinte"
                             : !x->ind->has_target ? "Sans cible"
                                                   : "Sans valeur";
        struct doc_cell cells[5] = {{x->ind->name, ST_NONE, false},
                                    {buf_cstr(&owner), ST_NONE, false},
                                    {target, ST_NONE, false},
                                    {x->has_value ? buf_cstr(&value) : "—", ST_NONE, false},
                                    {result, ST_NONE, false}};
        w->ops->table_row(w->ctx, cells);
        buf_free(&owner);
        buf_free(&value);
    }
    arena_free(&a);
    w->ops->table_end(w->ctx);
}

static void governance_section(struct writer *w)
{
    const struct final_report *r = w->r;
    section(w, "Gouvernance : réunions tenues et requises");
    text_of(w, EVS_GOVERNANCE);
    if (!r->n_bodies)
        return;
    static const char *const heads[4] = {"Instance", "Requises", "Prévues", "Tenues"};
    static const double widths[4] = {52, 16, 16, 16};
    static const bool numeric[4] = {false, true, true, true};
    struct doc_table t = {4, heads, widths, numeric,
                          "Réunions de chaque instance sur les années du contrat"};
    w->ops->table_begin(w->ctx, &t);
    for (int i = 0; i < r->n_bodies; i++) {
        const struct final_body *b = &r->bodies[i];
        char v[3][16];
        snprintf(v[0], sizeof v[0], "%d", b->required);
        snprintf(v[1], sizeof v[1], "%d", b->planned);
        snprintf(v[2], sizeof v[2], "%d", b->held);
        struct doc_cell cells[4] = {{b->name, ST_NONE, false},
                                    {v[0], ST_NONE, false},
                                    {v[1], ST_NONE, false},
                                    {v[2], ST_NONE, false}};
        w->ops->table_row(w->ctx, cells);
    }
    w->ops->table_end(w->ctx);
}

static void swot_section(struct writer *w)
{
    const struct final_report *r = w->r;
    section(w, "Analyse AFOM (atouts, faiblesses, opportunités, menaces)");
    if (!r->n_swot) {
        w->ops->paragraph(w->ctx, DOC_NOTE, "L'analyse AFOM n'est pas encore rédigée.");
        return;
    }
    const char **items = malloc(sizeof *items * (size_t)r->n_swot);
    for (int q = 0; q < SWOT_COUNT; q++) {
        char h[96];
        snprintf(h, sizeof h, "%s (%s)", swot_quadrant_label((enum swot_quadrant)q),
                 q < SWOT_OPPORTUNITY ? "interne" : "externe");
        w->ops->heading(w->ctx, 2, h);
        int n = 0;
        for (int i = 0; i < r->n_swot; i++)
            if (r->swot[i].quadrant == (enum swot_quadrant)q)
                items[n++] = r->swot[i].text;
        if (n)
            w->ops->list(w->ctx, items, n);
        else
            w->ops->paragraph(w->ctx, DOC_NOTE, "Aucun élément.");
    }
    free(items);
}

static void recommendation_section(struct writer *w)
{
    const struct final_report *r = w->r;
    section(w, "Recommandations pour le contrat suivant");
    if (!r->n_recs) {
        w->ops->paragraph(w->ctx, DOC_NOTE, "Aucune recommandation n'est encore formulée.");
        return;
    }
    for (int i = 0; i < r->n_recs; i++) {
        const struct recommendation *x = &r->recs[i];
        char h[400];
        snprintf(h, sizeof h, "Recommandation %d : %s", x->number, x->title);
        w->ops->heading(w->ctx, 2, h);
        if (!str_blank(x->body))
            md_walk(x->body, w->ops->markdown, w->ctx);
        w->ops->field(w->ctx, "Porteur", str_blank(x->owner) ? "non désigné" : x->owner);
        w->ops->field(w->ctx, "État", rec_state_label(x->state));
        w->ops->field(w->ctx, "Suivi",
                      str_blank(x->follow_up) ? "aucun suivi noté" : x->follow_up);
    }
}

void final_doc_write(const struct final_report *r, const struct doc_ops *ops, void *ctx)
{
    struct writer w = {.r = r, .ops = ops, .ctx = ctx};
    char *title = final_doc_title(r);
    struct buf sub = {0};
    buf_printf(&sub, "%s — %s", contract_name(&r->contract), r->contract.territory.name);
    ops->title(ctx, title, buf_cstr(&sub));
    buf_free(&sub);
    free(title);
    status_section(&w);
    /* The survey feature's section, only when it was wired (final_report_set_survey). */
    if (r->survey_write) {
        section(&w, "Résultats du questionnaire");
        r->survey_write(r->survey, ops, ctx);
    }
    indicator_section(&w);
    governance_section(&w);
    swot_section(&w);
    recommendation_section(&w);
    section(&w, "Conclusion");
    text_of(&w, EVS_CONCLUSION);
}

static void content(void *user, const struct doc_ops *ops, void *ctx)
{
    final_doc_write(user, ops, ctx);
}

static int render(const struct final_report *r, bool odt, struct buf *out, char *err,
                  size_t errlen)
{
    char *title = final_doc_title(r);
    struct buf footer = {0};
    buf_printf(&footer, "%s — %s", title, contract_name(&r->contract));
    int rc;
    if (odt) {
        struct odt_options o = {.title = title, .footer = buf_cstr(&footer)};
        rc = odt_render(&o, content, (void *)r, out, err, errlen);
    } else {
        struct pdf_options o = {.title = title, .footer = buf_cstr(&footer)};
        rc = pdf_render(&o, content, (void *)r, out, err, errlen);
    }
    buf_free(&footer);
    free(title);
    return rc;
}

int final_doc_pdf(const struct final_report *r, struct buf *out, char *err, size_t errlen)
{
    return render(r, false, out, err, errlen);
}

int final_doc_odt(const struct final_report *r, struct buf *out, char *err, size_t errlen)
{
    return render(r, true, out, err, errlen);
}
