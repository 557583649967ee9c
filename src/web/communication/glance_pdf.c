/* glance_pdf.c — « Le CLS en un coup d'œil »: one A4 page for elected officials (contract,
 * territory, axes, the reporting year's figures counted by figures.c like the dashboard, the
 * coordination's contact, the next meetings), drawn by format/pdf.c like the reports.
 * Must not count actions itself nor contain SQL. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "format/doc/pdf.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/governance/meeting.h"
#include "model/plan/objective.h"
#include "model/report/report.h"
#include "web/kit/edit_forms.h"
#include "web/core/handlers.h"
#include "web/http/page.h"

enum { GLANCE_MEETINGS = 5, GLANCE_AXES = 8 };

/* Everything the page shows, read before drawing (the content is laid out twice). */
struct glance {
    struct arena *a;
    const struct contract *c;
    const char *period, *territory;
    const char *axes[GLANCE_AXES];
    int n_axes;
    struct year_figures y;
    struct report_identity who;
    const char *meetings[GLANCE_MEETINGS];
    int n_meetings;
};

static void glance_content(void *user, const struct doc_ops *ops, void *ctx)
{
    const struct glance *g = user;
    ops->title(ctx, "Le CLS en un coup d'œil", g->c->title);
    ops->field(ctx, "Territoire", g->territory);
    ops->field(ctx, "Période", g->period);
    ops->heading(ctx, 2, "Les axes du contrat");
    if (g->n_axes)
        ops->list(ctx, g->axes, g->n_axes);
    else
        ops->paragraph(ctx, DOC_NOTE, "Aucun axe n'est encore enregistré.");
    char head[96];
    if (g->y.year)
        snprintf(head, sizeof head, "Chiffres clés %d", g->y.year);
    else
        snprintf(head, sizeof head, "Chiffres clés");
    ops->heading(ctx, 2, head);
    if (!g->y.year) {
        ops->paragraph(ctx, DOC_NOTE, "Aucun état d'avancement n'est encore enregistré.");
    } else {
        static const char *const heads[] = {"État d'avancement", "Actions", "Part"};
        static const double widths[] = {3, 1, 1};
        static const bool numeric[] = {false, true, true};
        struct doc_table t = {3, heads, widths, numeric, NULL};
        ops->table_begin(ctx, &t);
        char n[16], share[16];
        for (int s = 0; s < ST_COUNT; s++) { /* "Sans état" last, as on the dashboard */
            int v = g->y.by_status[s];
            snprintf(n, sizeof n, "%d", v);
            snprintf(share, sizeof share, "%d %%", figures_percent(v, g->y.total));
            struct doc_cell row[] = {{status_label((enum status)s), (enum status)s, true},
                                     {n, ST_NONE, false},
                                     {share, ST_NONE, false}};
            ops->table_row(ctx, row);
        }
        snprintf(n, sizeof n, "%d", g->y.none);
        snprintf(share, sizeof share, "%d %%", figures_percent(g->y.none, g->y.total));
        struct doc_cell none[] = {{status_label(ST_NONE), ST_NONE, true},
                                  {n, ST_NONE, false},
                                  {share, ST_NONE, false}};
        ops->table_row(ctx, none);
        snprintf(n, sizeof n, "%d", g->y.total);
        struct doc_cell total[] = {{"Total", ST_NONE, false},
                                   {n, ST_NONE, false},
                                   {"100 %", ST_NONE, false}};
        ops->table_row(ctx, total);
        ops->table_end(ctx);
        char line[160];
        snprintf(line, sizeof line,
                 "%d actions réalisées sur %d (%d %%), les trois sortes de « réalisée » "
                 "comptées ensemble.",
                 g->y.done, g->y.total, figures_percent(g->y.done, g->y.total));
        ops->paragraph(ctx, DOC_TEXT, line);
    }
    ops->heading(ctx, 2, "Prochaines réunions");
    if (g->n_meetings)
        ops->list(ctx, g->meetings, g->n_meetings);
    else
        ops->paragraph(ctx, DOC_NOTE, "Aucune réunion n'est encore planifiée.");
    ops->heading(ctx, 2, "Contact de la coordination");
    if (!*g->who.person_in_charge && !*g->who.email && !*g->who.phone)
        ops->paragraph(ctx, DOC_NOTE, "Contact non renseigné (bloc « bénéficiaire » du bilan).");
    if (*g->who.beneficiary)
        ops->field(ctx, "Structure", g->who.beneficiary);
    if (*g->who.person_in_charge)
        ops->field(ctx, "Coordination", g->who.person_in_charge);
    if (*g->who.phone)
        ops->field(ctx, "Téléphone", g->who.phone);
    if (*g->who.email)
        ops->field(ctx, "Courriel", g->who.email);
}

static int read_axes(struct req *req, struct glance *g)
{
    struct objective *os = NULL;
    int n = 0;
    int rc = objective_list(req->db, req->arena, g->c->id, &os, &n);
    for (int i = 0; rc == ERR_OK && i < n && g->n_axes < GLANCE_AXES; i++)
        if (os[i].level == OBJ_STRATEGIC)
            g->axes[g->n_axes++] = edit_fmt(req->arena, "%s%s%s", os[i].code,
                                            *os[i].code ? " — " : "", os[i].title);
    return rc;
}

static int read_meetings(struct req *req, struct glance *g)
{
    char today[11];
    struct date d = date_of_time(req->now);
    date_iso(&d, today);
    struct meeting_filter f = {.contract_id = g->c->id};
    struct meeting *ms = NULL;
    int n = 0;
    int rc = meeting_list(req->db, req->arena, &f, &ms, &n);
    for (int i = 0; rc == ERR_OK && i < n && g->n_meetings < GLANCE_MEETINGS; i++) {
        if (strcmp(ms[i].held_on, today) < 0 || str_eq(ms[i].status, "cancelled"))
            continue;
        char day[32];
        if (!date_fr_long(ms[i].held_on, day))
            snprintf(day, sizeof day, "%s", ms[i].held_on);
        g->meetings[g->n_meetings++] = edit_fmt(
            req->arena, "%s — %s%s%s", day, text_short(req->arena, ms[i].title, 90),
            *ms[i].place ? ", " : "", text_short(req->arena, ms[i].place, 60));
    }
    return rc;
}

int glance_pdf_download(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct glance g = {.a = req->arena, .c = &c};
    int year = 0;
    if (figures_reporting_year(req->db, c.id, &year, NULL) != ERR_OK ||
        (year && figures_for_year(req->db, c.id, year, &g.y) != ERR_OK) ||
        report_identity_get(req->db, req->arena, c.id, &g.who) != ERR_OK ||
        read_axes(req, &g) != ERR_OK || read_meetings(req, &g) != ERR_OK)
        return page_db_error(req, res);
    g.y.year = year;
    g.territory = *c.territory.name ? c.territory.name : "non précisé";
    g.period = c.start_year && c.end_year ? edit_fmt(req->arena, "%d–%d", c.start_year, c.end_year)
                                          : "non précisée";
    struct buf data = {0};
    char err[256];
    const char *footer = edit_fmt(req->arena, "Le CLS en un coup d'œil — %s", c.title);
    struct pdf_options o = {.title = "Le CLS en un coup d'œil",
                            .footer = footer,
                            .no_front_matter = true};
    if (pdf_render(&o, glance_content, &g, &data, err, sizeof err) != ERR_OK) {
        buf_free(&data);
        return page_error(req, res, 500, "Document indisponible", err);
    }
    res->status = 200;
    res->content_type = "application/pdf";
    res_header(res, "Content-Disposition", "attachment; filename=\"cls-en-un-coup-d-oeil.pdf\"");
    res_header(res, "Cache-Control", "private, no-store");
    buf_append(&res->body, data.p ? data.p : "", data.len);
    buf_free(&data);
    return 200;
}
