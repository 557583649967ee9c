/* report_doc.c — what the yearly execution report says and in which order (annex 5 of the CLS 2
 * evaluation report): identification of the convention and of the beneficiary, narratives,
 * per-action table, indicators, conclusion with the status summary and its chart. Must not know
 * any output format (doc.h callbacks only) nor read the database (model/report.c does).
 * printf-text: builds plain text that the doc.h writers escape. */
#include "format/doc/report_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "format/doc/odt.h"
#include "format/doc/pdf.h"
#include "format/draw/svg.h"

/* An ISO date of any precision the French way into out: "28/03/2019", "mars 2019", "2019". */
static void put_date(struct buf *out, const char *iso)
{
    char fr[32];
    buf_puts(out, date_fr_short(iso, fr) ? fr : iso ? iso : "");
}

struct writer {
    const struct report *r;
    const struct doc_ops *ops;
    void *ctx;
    struct buf tmp;
    int section; /* number of the last level-1 heading */
};

/* A numbered section heading: "3. Contexte". */
static void section(struct writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void section(struct writer *w, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    buf_reset(&w->tmp);
    buf_printf(&w->tmp, "%d. %s", ++w->section, text);
    w->ops->heading(w->ctx, 1, buf_cstr(&w->tmp));
}

static void note(struct writer *w, const char *text)
{
    w->ops->paragraph(w->ctx, DOC_NOTE, text);
}

static void field(struct writer *w, const char *label, const char *value)
{
    w->ops->field(w->ctx, label, str_blank(value) ? "non renseigné" : value);
}

/* Markdown text, or the note when it is blank. Returns whether there was text. */
static bool narrative(struct writer *w, const char *md, const char *empty)
{
    if (str_blank(md)) {
        if (empty)
            note(w, empty);
        return false;
    }
    md_walk(md, w->ops->markdown, w->ctx);
    return true;
}

static const char *contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

char *report_doc_title(const struct report *r)
{
    struct buf b = {0};
    buf_printf(&b, "Bilan d'exécution %d", r->year);
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* ---- 1 and 2: identification ------------------------------------------------------------- */

static void identification(struct writer *w)
{
    const struct report *r = w->r;
    struct buf v = {0};
    section(w, "Identification de la convention");
    field(w, "N° convention", r->has_convention ? r->convention.number : "");
    if (r->has_convention) {
        put_date(&v, r->convention.start_on);
        buf_puts(&v, " au ");
        put_date(&v, r->convention.end_on);
    }
    field(w, "Période totale de réalisation de la convention", buf_cstr(&v));
    buf_reset(&v);
    buf_printf(&v, "01/01/%d au 31/12/%d", r->year, r->year);
    field(w, "Période de réalisation prise en compte au titre du présent bilan d'exécution",
          buf_cstr(&v));
    if (!r->has_convention)
        note(w, "Aucune convention enregistrée ne couvre cette année : renseignez-la dans la "
                "page d'édition du bilan.");

    section(w, "Identification du bénéficiaire");
    const struct report_identity *id = &r->identity;
    field(w, "Bénéficiaire", id->beneficiary);
    field(w, "N° SIRET", id->siret);
    field(w, "Adresse", id->address);
    field(w, "Responsable du projet", r->person_in_charge);
    field(w, "Téléphone", id->phone);
    field(w, "Mail", id->email);
    buf_free(&v);
}

/* ---- 3 to 6: narratives --------------------------------------------------------------------- */

/* What the data says of the contract when the coordination wrote no context. */
static void default_context(struct writer *w)
{
    const struct report *r = w->r;
    const struct contract *c = &r->contract;
    struct buf b = {0};
    buf_printf(&b, "Le %s porte sur le territoire : %s", c->title, c->territory.name);
    if (c->start_year && c->end_year)
        buf_printf(&b, ", pour la période %d–%d", c->start_year, c->end_year);
    if (*c->signed_on) {
        buf_puts(&b, ". Il a été signé le ");
        put_date(&b, c->signed_on);
    }
    if (r->n_signatories) {
        buf_puts(&b, " par : ");
        for (int i = 0; i < r->n_signatories; i++)
            buf_printf(&b, "%s%s", i ? (i == r->n_signatories - 1 ? " et " : ", ") : "",
                       r->signatories[i].institution);
    }
    buf_puts(&b, ".");
    w->ops->paragraph(w->ctx, DOC_TEXT, buf_cstr(&b));
    if (*c->general_objective) {
        buf_reset(&b);
        buf_printf(&b, "Objectif général : %s.", c->general_objective);
        w->ops->paragraph(w->ctx, DOC_TEXT, buf_cstr(&b));
    }
    buf_free(&b);
}

static void narratives(struct writer *w)
{
    const struct report *r = w->r;
    section(w, "Contexte");
    if (!narrative(w, r->texts[RS_CONTEXT], NULL))
        default_context(w);
    section(w, "Missions réalisées en %d", r->year);
    narrative(w, r->texts[RS_MISSIONS], "Aucun texte saisi sur les missions de l'année.");
    section(w, "Gouvernance et suivi");
    narrative(w, r->texts[RS_GOVERNANCE], "Aucun texte saisi sur la gouvernance et le suivi.");
    section(w, "Communication autour du CLS");
    narrative(w, r->texts[RS_COMMUNICATION], "Aucun texte saisi sur la communication.");
}

/* ---- 7: work per specific objective ----------------------------------------------------- */

/* "Objectif spécifique 3 — title" (or the title alone when it has no code). */
static void objective_name(struct buf *b, const struct objective *o)
{
    if (*o->code && o->level == OBJ_STRATEGIC)
        buf_printf(b, "%s — %s", o->code, o->title);
    else if (*o->code && o->level == OBJ_SPECIFIC)
        buf_printf(b, "Objectif spécifique %s — %s", o->code, o->title);
    else if (*o->code)
        buf_printf(b, "%s — %s", o->code, o->title);
    else
        buf_puts(b, o->title);
}

/* "12 actions : 3 Réalisée, 5 En cours…" for the actions under specific objective k. */
static void objective_summary(struct writer *w, int k)
{
    const struct report *r = w->r;
    int counts[ST_COUNT + 1] = {0}, total = 0;
    for (int i = 0; i < r->n_actions; i++)
        if (r->actions[i].specific == k) {
            enum status s = r->actions[i].status;
            counts[s == ST_NONE ? ST_COUNT : s]++;
            total++;
        }
    buf_reset(&w->tmp);
    if (total == 0) {
        buf_puts(&w->tmp, "Aucune action dans le tableau de suivi de l'année.");
    } else {
        buf_printf(&w->tmp, "%d action%s dans le tableau de suivi : ", total,
                   total > 1 ? "s" : "");
        bool first = true;
        for (int s = 0; s <= ST_COUNT; s++) {
            if (!counts[s])
                continue;
            buf_printf(&w->tmp, "%s%s : %d", first ? "" : " ; ",
                       status_label(s == ST_COUNT ? ST_NONE : (enum status)s), counts[s]);
            first = false;
        }
        buf_puts(&w->tmp, ".");
    }
    w->ops->paragraph(w->ctx, DOC_TEXT, buf_cstr(&w->tmp));
}

static void work_per_objective(struct writer *w)
{
    const struct report *r = w->r;
    section(w, "Travaux menés en %d par objectif spécifique", r->year);
    bool any = false;
    for (int k = 0; k < r->n_objs; k++) {
        if (r->objs[k].level != OBJ_SPECIFIC)
            continue;
        any = true;
        buf_reset(&w->tmp);
        objective_name(&w->tmp, &r->objs[k]);
        w->ops->heading(w->ctx, 2, buf_cstr(&w->tmp));
        objective_summary(w, k);
        narrative(w, r->objective_texts[k], NULL);
    }
    if (!any)
        note(w, "Le contrat n'a pas encore d'objectif spécifique.");
}

/* ---- 8: the per-action table ------------------------------------------------------------ */

static void action_table(struct writer *w)
{
    const struct report *r = w->r;
    section(w, "Bilan %d par action", r->year);
    if (r->n_actions == 0) {
        note(w, "Aucune action n'a d'état d'avancement pour cette année.");
        return;
    }
    bool recos = false;
    for (int i = 0; i < r->n_actions; i++)
        recos |= !str_blank(r->actions[i].x->recommendations);
    static const char *const heads[6] = {"N° ou piste", "Action",    "Porteur",
                                         "État",        "Remarques", "Préconisations"};
    static const double widths5[5] = {8, 26, 15, 15, 36}, widths6[6] = {8, 21, 13, 14, 24, 20};
    buf_reset(&w->tmp);
    buf_printf(&w->tmp, "État d'avancement des actions en %d", r->year);
    struct doc_table t = {recos ? 6 : 5, heads, recos ? widths6 : widths5, NULL,
                          buf_cstr(&w->tmp)};
    char *caption = xstrdup(buf_cstr(&w->tmp));
    t.caption = caption;
    w->ops->table_begin(w->ctx, &t);
    int spec = -2, op = -2;
    struct buf group = {0};
    for (int i = 0; i < r->n_actions; i++) {
        const struct report_action *ra = &r->actions[i];
        if (ra->specific != spec) {
            spec = ra->specific;
            op = -2;
            buf_reset(&group);
            if (spec >= 0)
                objective_name(&group, &r->objs[spec]);
            else
                buf_puts(&group, "Actions hors objectif spécifique");
            w->ops->table_group(w->ctx, 1, buf_cstr(&group));
        }
        if (ra->operational != op) {
            op = ra->operational;
            if (op >= 0) {
                buf_reset(&group);
                objective_name(&group, &r->objs[op]);
                w->ops->table_group(w->ctx, 2, buf_cstr(&group));
            }
        }
        const struct tracking_action *x = ra->x;
        const char *code = strcmp(x->kind, "lead") == 0 ? "Piste" : x->code;
        const char *carrier = ra->carriers ? ra->carriers : "";
        struct doc_cell cells[6] = {
            {code, ST_NONE, false},
            {*x->title ? x->title : "(sans intitulé)", ST_NONE, false},
            {carrier, ST_NONE, false},
            {status_label(ra->status), ra->status, true},
            {x->remarks, ST_NONE, false},
            {x->recommendations, ST_NONE, false},
        };
        w->ops->table_row(w->ctx, cells);
    }
    w->ops->table_end(w->ctx);
    buf_free(&group);
    free(caption);
}

/* ---- 9: indicators ---------------------------------------------------------------------- */

static void indicators(struct writer *w)
{
    const struct report *r = w->r;
    section(w, "Indicateurs d'évaluation");
    buf_reset(&w->tmp);
    buf_printf(&w->tmp, "Réunions tenues en %d", r->year);
    w->ops->heading(w->ctx, 2, buf_cstr(&w->tmp));
    if (r->n_meetings == 0) {
        buf_reset(&w->tmp);
        buf_printf(&w->tmp, "Aucune réunion enregistrée comme tenue en %d.", r->year);
        note(w, buf_cstr(&w->tmp));
    } else {
        static const char *const heads[3] = {"Date", "Réunion", "Instance"};
        static const double widths[3] = {18, 52, 30};
        buf_reset(&w->tmp);
        buf_printf(&w->tmp, "%d réunion%s tenue%s en %d", r->n_meetings,
                   r->n_meetings > 1 ? "s" : "", r->n_meetings > 1 ? "s" : "", r->year);
        char *caption = xstrdup(buf_cstr(&w->tmp));
        struct doc_table t = {3, heads, widths, NULL, caption};
        w->ops->table_begin(w->ctx, &t);
        struct buf date = {0};
        for (int i = 0; i < r->n_meetings; i++) {
            const struct meeting *m = &r->meetings[i];
            buf_reset(&date);
            if (*m->date_as_written)
                buf_puts(&date, m->date_as_written);
            else
                put_date(&date, m->held_on);
            struct doc_cell cells[3] = {{buf_cstr(&date), ST_NONE, false},
                                        {m->title, ST_NONE, false},
                                        {m->body_name, ST_NONE, false}};
            w->ops->table_row(w->ctx, cells);
        }
        w->ops->table_end(w->ctx);
        buf_free(&date);
        free(caption);
    }

    w->ops->heading(w->ctx, 2, "Communication réalisée");
    narrative(w, r->texts[RS_COMMUNICATION_DONE], "Aucune communication saisie pour l'année.");

    buf_reset(&w->tmp);
    buf_printf(&w->tmp, "Nouvelles actions identifiées en %d", r->year);
    w->ops->heading(w->ctx, 2, buf_cstr(&w->tmp));
    int n_new = 0;
    for (int i = 0; i < r->n_actions; i++)
        n_new += r->actions[i].is_new;
    if (n_new) {
        buf_reset(&w->tmp);
        buf_printf(&w->tmp, "%d action%s inscrite%s au tableau de suivi pour la première fois "
                            "en %d :", n_new, n_new > 1 ? "s" : "", n_new > 1 ? "s" : "", r->year);
        w->ops->paragraph(w->ctx, DOC_TEXT, buf_cstr(&w->tmp));
        const char **items = xcalloc((size_t)n_new, sizeof *items);
        struct buf *texts = xcalloc((size_t)n_new, sizeof *texts);
        int k = 0;
        for (int i = 0; i < r->n_actions; i++) {
            const struct tracking_action *x = r->actions[i].x;
            if (!r->actions[i].is_new)
                continue;
            if (*x->code)
                buf_printf(&texts[k], "%s — ", x->code);
            buf_puts(&texts[k], x->title);
            const char *carrier = r->actions[i].carriers ? r->actions[i].carriers : "";
            if (*carrier)
                buf_printf(&texts[k], " (%s)", carrier);
            k++;
        }
        for (int i = 0; i < n_new; i++)
            items[i] = buf_cstr(&texts[i]);
        w->ops->list(w->ctx, items, n_new);
        for (int i = 0; i < n_new; i++)
            buf_free(&texts[i]);
        free(texts);
        free(items);
    }
    bool text = narrative(w, r->texts[RS_NEW_ACTIONS], NULL);
    if (!n_new && !text)
        note(w, r->year == r->first_year || !r->first_year
                    ? "Première année du tableau de suivi : aucune action nouvelle à signaler."
                    : "Aucune nouvelle action identifiée cette année.");
}

/* ---- 10: conclusion ------------------------------------------------------------------------ */

void report_doc_chart(const struct report *r, struct buf *out)
{
    int n_spec = 0;
    for (int k = 0; k < r->n_objs; k++)
        n_spec += r->objs[k].level == OBJ_SPECIFIC;
    struct svg_row *rows = xcalloc((size_t)n_spec + 1, sizeof *rows);
    struct buf *labels = xcalloc((size_t)n_spec + 1, sizeof *labels);
    int *slot = xcalloc((size_t)r->n_objs + 1, sizeof *slot);
    buf_printf(&labels[0], "Toutes les actions (%d)", r->n_actions);
    int n = 1;
    for (int k = 0; k < r->n_objs; k++) {
        slot[k] = -1;
        if (r->objs[k].level != OBJ_SPECIFIC)
            continue;
        objective_name(&labels[n], &r->objs[k]);
        slot[k] = n++;
    }
    for (int i = 0; i < r->n_actions; i++) {
        enum status s = r->actions[i].status;
        int seg = s == ST_NONE ? SVG_NONE : (int)s;
        rows[0].counts[seg]++;
        if (r->actions[i].specific >= 0 && slot[r->actions[i].specific] > 0)
            rows[slot[r->actions[i].specific]].counts[seg]++;
    }
    for (int i = 0; i < n; i++)
        rows[i].label = buf_cstr(&labels[i]);
    char title[96];
    snprintf(title, sizeof title, "État d'avancement des actions en %d", r->year);
    struct svg_chart c = {.id = "bilan", .title = title, .width = 640};
    svg_status_bars(out, &c, rows, n);
    for (int i = 0; i < n; i++)
        buf_free(&labels[i]);
    free(labels);
    free(rows);
    free(slot);
}

static void trend_chart(const struct report *r, struct buf *out)
{
    struct svg_row rows[64] = {0};
    char labels[64][8];
    for (int y = 0; y < r->n_years && y < 64; y++) {
        snprintf(labels[y], sizeof labels[y], "%d", r->years[y]);
        rows[y].label = labels[y];
        for (int s = 0; s < ST_COUNT; s++)
            rows[y].counts[s] = r->year_counts[y][s];
        rows[y].counts[SVG_NONE] = r->year_counts[y][ST_COUNT];
    }
    char title[96];
    snprintf(title, sizeof title, "Évolution des états d'avancement, %d–%d", r->years[0],
             r->year);
    struct svg_chart c = {.id = "evolution", .title = title, .width = 640};
    svg_status_trend(out, &c, rows, r->n_years);
}

/* "N actions" with the plural right. */
static void put_actions(struct buf *b, int n)
{
    buf_printf(b, "%d action%s", n, n > 1 ? "s" : "");
}

/* The conclusion's sentence, computed from the year's counts (never copied from a source),
 * then a note for each figure a source document states differently, citing it. */
static void conclusion_sentence(struct writer *w)
{
    const struct report *r = w->r;
    const struct year_figures *f = &r->figures;
    if (!f->total)
        return;
    int abandoned = f->by_status[ST_ABANDONED], remaining = f->total - f->done - abandoned;
    buf_reset(&w->tmp);
    buf_printf(&w->tmp, "En %d, %d des %d actions du contrat %s réalisée%s (%d %%) et %d "
                        "abandonnée%s (%d %%) ; il reste ",
               r->year, f->done, f->total, f->done > 1 ? "sont" : "est",
               f->done > 1 ? "s" : "", figures_percent(f->done, f->total), abandoned,
               abandoned > 1 ? "s" : "", figures_percent(abandoned, f->total));
    put_actions(&w->tmp, remaining);
    buf_puts(&w->tmp, " à mener.");
    w->ops->paragraph(w->ctx, DOC_TEXT, buf_cstr(&w->tmp));
    for (int i = 0; i < r->n_source_figures; i++) {
        const struct source_figure *s = &r->source_figures[i];
        int ours = str_eq(s->metric, "done")        ? f->done
                   : str_eq(s->metric, "abandoned") ? abandoned
                   : str_eq(s->metric, "remaining") ? remaining
                                                    : f->total;
        bool differs = (s->value >= 0 && s->value != ours) ||
                       (s->share >= 0 && !str_eq(s->metric, "total") &&
                        s->share != figures_percent(ours, f->total));
        if (!differs)
            continue;
        const char *what = str_eq(s->metric, "done")        ? "réalisées"
                           : str_eq(s->metric, "abandoned") ? "abandonnées"
                           : str_eq(s->metric, "remaining") ? "à mener"
                                                            : "au total";
        buf_reset(&w->tmp);
        buf_puts(&w->tmp, "Le rapport source indique ");
        if (s->value >= 0) {
            put_actions(&w->tmp, s->value);
            buf_printf(&w->tmp, " %s", what);
            if (s->share >= 0)
                buf_printf(&w->tmp, " (%d %%)", s->share);
        } else {
            buf_printf(&w->tmp, "%d %% des actions %s", s->share, what);
        }
        buf_printf(&w->tmp, " ; les données en comptent %d sur %d (%d %%).", ours, f->total,
                   figures_percent(ours, f->total));
        if (*s->source)
            buf_printf(&w->tmp, " Source : %s.", s->source);
        note(w, buf_cstr(&w->tmp));
    }
}

static void conclusion(struct writer *w)
{
    const struct report *r = w->r;
    section(w, "Conclusion");
    static const char *const heads[3] = {"État d'avancement", "Actions", "Part"};
    static const double widths[3] = {60, 20, 20};
    static const bool numeric[3] = {false, true, true};
    buf_reset(&w->tmp);
    buf_printf(&w->tmp, "Synthèse des états d'avancement en %d", r->year);
    char *caption = xstrdup(buf_cstr(&w->tmp));
    struct doc_table t = {3, heads, widths, numeric, caption};
    w->ops->table_begin(w->ctx, &t);
    char num[32], share[32];
    /* Every figure of the conclusion comes from the year's counts (figures.h). */
    const struct year_figures *f = &r->figures;
    int total = f->total;
    for (int s = 0; s <= ST_COUNT; s++) {
        enum status st = s == ST_COUNT ? ST_NONE : (enum status)s;
        int v = s == ST_COUNT ? f->none : f->by_status[s];
        if (s == ST_COUNT && !v)
            continue;
        snprintf(num, sizeof num, "%d", v);
        snprintf(share, sizeof share, "%d %%", figures_percent(v, total));
        struct doc_cell cells[3] = {{status_label(st), st, true}, {num, ST_NONE, false},
                                    {share, ST_NONE, false}};
        w->ops->table_row(w->ctx, cells);
    }
    int done = f->done;
    snprintf(num, sizeof num, "%d", done);
    snprintf(share, sizeof share, "%d %%", figures_percent(done, total));
    struct doc_cell done_row[3] = {{"Toutes les réalisées", ST_NONE, false},
                                   {num, ST_NONE, false}, {share, ST_NONE, false}};
    w->ops->table_row(w->ctx, done_row);
    snprintf(num, sizeof num, "%d", total);
    struct doc_cell total_row[3] = {{"Total", ST_NONE, false}, {num, ST_NONE, false},
                                    {"100 %", ST_NONE, false}};
    w->ops->table_row(w->ctx, total_row);
    w->ops->table_end(w->ctx);
    free(caption);
    conclusion_sentence(w);

    struct buf svg = {0};
    report_doc_chart(r, &svg);
    w->ops->chart(w->ctx, buf_cstr(&svg), "État d'avancement des actions, en tout et par "
                                          "objectif spécifique");
    if (r->n_years > 1) {
        buf_reset(&svg);
        trend_chart(r, &svg);
        w->ops->chart(w->ctx, buf_cstr(&svg), "Évolution des états d'avancement par année");
    }
    buf_free(&svg);
    narrative(w, r->texts[RS_CONCLUSION], NULL);
}

void report_doc_write(const struct report *r, const struct doc_ops *ops, void *ctx)
{
    struct writer w = {.r = r, .ops = ops, .ctx = ctx};
    char *title = report_doc_title(r);
    buf_printf(&w.tmp, "%s — %s", contract_name(&r->contract), r->contract.territory.name);
    ops->title(ctx, title, buf_cstr(&w.tmp));
    free(title);
    identification(&w);
    narratives(&w);
    work_per_objective(&w);
    action_table(&w);
    indicators(&w);
    conclusion(&w);
    buf_free(&w.tmp);
}

static void pdf_content(void *user, const struct doc_ops *ops, void *pdf)
{
    report_doc_write(user, ops, pdf);
}

int report_doc_pdf(const struct report *r, struct buf *out, char *err, size_t errlen)
{
    char *title = report_doc_title(r);
    struct buf footer = {0};
    buf_printf(&footer, "%s — %s", title, contract_name(&r->contract));
    struct pdf_options o = {.title = title, .footer = buf_cstr(&footer)};
    int rc = pdf_render(&o, pdf_content, (void *)r, out, err, errlen);
    buf_free(&footer);
    free(title);
    return rc;
}

int report_doc_odt(const struct report *r, struct buf *out, char *err, size_t errlen)
{
    char *title = report_doc_title(r);
    struct buf footer = {0};
    buf_printf(&footer, "%s — %s", title, contract_name(&r->contract));
    struct odt_options o = {.title = title, .footer = buf_cstr(&footer)};
    int rc = odt_render(&o, pdf_content, (void *)r, out, err, errlen);
    buf_free(&footer);
    free(title);
    return rc;
}
