/* final_report.c — gathers a contract's final evaluation (see final_report.h) and drafts its
 * French sentences from the figures. Every status figure comes from figures_count, so that the
 * report says what the dashboard says. Must not produce HTML nor lay anything out. */
#include "model/evaluation/final_report.h"

#include <string.h>

#include "base/str.h"
#include "model/plan/action.h"
#include "model/governance/body.h"

static const char *arena_buf(struct arena *a, struct buf *b)
{
    const char *s = arena_strdup(a, buf_cstr(b));
    buf_free(b);
    return s;
}

/* "3 actions" / "1 action". */
static void count_noun(struct buf *b, int n, const char *one, const char *many)
{
    buf_printf(b, "%d %s", n, n > 1 ? many : one);
}

/* Joins parts as « a, b et c ». */
static void join_fr(struct buf *b, const char *const *parts, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(b, i == n - 1 ? " et " : ", ");
        buf_puts(b, parts[i]);
    }
}

const char *final_draft_status(struct arena *a, const int *years,
                               const struct year_figures *figures, int n_years)
{
    struct buf b = {0};
    if (!n_years) {
        buf_puts(&b, "Aucun état d'avancement n'a été enregistré pour les actions du contrat.");
        return arena_buf(a, &b);
    }
    const struct year_figures *f = &figures[n_years - 1];
    int total = f->total;
    if (total > 1)
        buf_printf(&b, "Sur les %d actions du contrat en %d, ", total, years[n_years - 1]);
    else
        buf_printf(&b, "Sur %d action du contrat en %d, ", total, years[n_years - 1]);
    buf_printf(&b, "%d (%d %%) %s réalisée%s", f->done, figures_percent(f->done, total),
               f->done > 1 ? "ont été" : "a été", f->done > 1 ? "s" : "");
    static const struct {
        enum status st;
        const char *one, *many;
    } rest[] = {{ST_IN_PROGRESS, "est en cours", "sont en cours"},
                {ST_REFLECTION, "est en réflexion", "sont en réflexion"},
                {ST_NOT_STARTED, "n'est pas commencée", "ne sont pas commencées"},
                {ST_ABANDONED, "a été abandonnée", "ont été abandonnées"}};
    struct arena tmp = {0};
    const char *parts[6];
    int n = 0;
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
        int v = f->by_status[rest[i].st];
        if (!v)
            continue;
        struct buf p = {0};
        buf_printf(&p, "%d (%d %%) %s", v, figures_percent(v, total),
                   v > 1 ? rest[i].many : rest[i].one);
        parts[n++] = arena_buf(&tmp, &p);
    }
    if (f->none) {
        struct buf p = {0};
        buf_printf(&p, "%d (%d %%) %s sans état cette année-là", f->none,
                   figures_percent(f->none, total), f->none > 1 ? "restent" : "reste");
        parts[n++] = arena_buf(&tmp, &p);
    }
    if (n) {
        buf_puts(&b, n == 1 ? " et " : ", ");
        join_fr(&b, parts, n);
    }
    buf_puts(&b, ".");
    if (n_years > 1) {
        const struct year_figures *first = &figures[0];
        buf_printf(&b, " En %d, %d action%s sur %d (%d %%) %s réalisée%s.", years[0], first->done,
                   first->done > 1 ? "s" : "", first->total,
                   figures_percent(first->done, first->total),
                   first->done > 1 ? "étaient" : "était", first->done > 1 ? "s" : "");
    }
    arena_free(&tmp);
    return arena_buf(a, &b);
}

const char *final_draft_indicators(struct arena *a, const struct final_indicator *xs, int n)
{
    struct buf b = {0};
    if (!n) {
        buf_puts(&b, "Aucun indicateur n'est suivi dans le contrat.");
        return arena_buf(a, &b);
    }
    int with_target = 0, measured = 0, reached = 0, with_value = 0;
    for (int i = 0; i < n; i++) {
        with_value += xs[i].has_value;
        if (!xs[i].ind->has_target)
            continue;
        with_target++;
        measured += xs[i].has_value;
        reached += xs[i].reached == 1;
    }
    buf_puts(&b, "Sur ");
    count_noun(&b, n, "indicateur suivi", "indicateurs suivis");
    buf_printf(&b, ", %d %s au moins une valeur", with_value, with_value > 1 ? "ont" : "a");
    if (!with_target) {
        buf_puts(&b, " ; aucun n'a de cible chiffrée : leurs résultats ne peuvent être comparés "
                     "à un objectif.");
        return arena_buf(a, &b);
    }
    buf_printf(&b, " et %d %s une cible. ", with_target, with_target > 1 ? "ont" : "a");
    buf_printf(&b, "%d %s sa cible (dernière valeur connue)", reached,
               reached > 1 ? "indicateurs atteignent" : "indicateur atteint");
    if (measured < with_target)
        buf_printf(&b, " ; %d %s encore sans valeur", with_target - measured,
                   with_target - measured > 1 ? "sont" : "est");
    buf_puts(&b, ".");
    return arena_buf(a, &b);
}

const char *final_draft_governance(struct arena *a, const struct gov_summary *g, int held,
                                   int n_bodies)
{
    struct buf b = {0};
    if (!n_bodies) {
        buf_puts(&b, "Aucune instance de gouvernance n'est décrite pour ce contrat.");
        return arena_buf(a, &b);
    }
    if (!g->required) {
        buf_puts(&b, "Aucun nombre minimal de réunions n'était fixé aux instances");
        buf_printf(&b, " ; %d %s été tenue%s.", held, held > 1 ? "réunions ont" : "réunion a",
                   held > 1 ? "s" : "");
        return arena_buf(a, &b);
    }
    buf_printf(&b,
               "De %d à %d, les instances devaient se réunir au moins %d fois ; %d de ces "
               "réunions requises %s (%d %%)",
               g->first_year, g->last_year, g->required, g->held,
               g->held > 1 ? "ont été tenues" : "a été tenue",
               figures_percent(g->held, g->required));
    buf_printf(&b, ", pour %d %s en tout.", held, held > 1 ? "réunions tenues" : "réunion tenue");
    return arena_buf(a, &b);
}

const char *final_draft_conclusion(struct arena *a, const struct final_report *r)
{
    struct buf b = {0};
    if (r->n_years) {
        const struct year_figures *f = &r->figures[r->n_years - 1];
        buf_printf(&b, "Au terme du suivi (%d), %d %% des actions du contrat sont réalisées. ",
                   r->years[r->n_years - 1], figures_percent(f->done, f->total));
    }
    if (r->n_recs) {
        int engaged = 0;
        for (int i = 0; i < r->n_recs; i++)
            engaged += r->recs[i].state == REC_IN_PROGRESS || r->recs[i].state == REC_DONE;
        buf_puts(&b, "L'évaluation formule ");
        count_noun(&b, r->n_recs, "recommandation", "recommandations");
        if (engaged)
            buf_printf(&b, " pour le contrat suivant, dont %d déjà %s.", engaged,
                       engaged > 1 ? "engagées" : "engagée");
        else
            buf_puts(&b, " pour le contrat suivant ; aucune n'est encore engagée.");
    } else {
        buf_puts(&b, "Aucune recommandation n'est encore formulée pour le contrat suivant.");
    }
    return arena_buf(a, &b);
}

static int load_figures(struct store *db, struct arena *a, struct final_report *r)
{
    struct action_brief *xs;
    int n;
    int rc = action_status_grid(db, a, r->contract.id, r->years, FINAL_MAX_YEARS, &r->n_years, &xs,
                                &n);
    for (int y = 0; rc == ERR_OK && y < r->n_years; y++)
        figures_count(xs, n, r->years, r->n_years, r->years[y], &r->figures[y]);
    return rc;
}

static int load_indicators(struct store *db, struct arena *a, struct final_report *r)
{
    struct indicator *inds;
    int n;
    int rc = indicator_list_contract(db, a, r->contract.id, &inds, &n);
    if (rc != ERR_OK)
        return rc;
    r->indicators = arena_alloc(a, sizeof *r->indicators * (size_t)(n + 1));
    r->n_indicators = n;
    for (int i = 0; i < n; i++) {
        struct final_indicator *x = &r->indicators[i];
        x->ind = &inds[i];
        x->has_value = inds[i].n_values > 0;
        x->value = x->has_value ? inds[i].values[inds[i].n_values - 1].value : 0;
        x->period = x->has_value ? inds[i].values[inds[i].n_values - 1].period : "";
        x->reached = !x->has_value || !inds[i].has_target ? -1
                                                          : indicator_reached(&inds[i], x->value);
    }
    return ERR_OK;
}

static int load_governance(struct store *db, struct arena *a, const char *today,
                           struct final_report *r)
{
    struct body *bodies;
    int nb;
    int rc = governance_summary(db, a, r->contract.id, today, &r->gov);
    if (rc == ERR_OK)
        rc = body_list(db, a, r->contract.id, &bodies, &nb);
    if (rc != ERR_OK)
        return rc;
    r->bodies = arena_alloc(a, sizeof *r->bodies * (size_t)(nb + 1));
    r->n_bodies = nb;
    int years[FINAL_MAX_YEARS], ny = 0;
    for (int y = r->gov.first_year; y && y <= r->gov.last_year && ny < FINAL_MAX_YEARS; y++)
        years[ny++] = y;
    struct gov_cell *grid = NULL;
    if (nb && ny)
        rc = governance_grid(db, a, r->contract.id, bodies, nb, years, ny, today, &grid);
    for (int i = 0; rc == ERR_OK && i < nb; i++) {
        struct final_body *fb = &r->bodies[i];
        *fb = (struct final_body){.name = bodies[i].name, .kind = bodies[i].kind};
        for (int j = 0; j < ny; j++) {
            const struct gov_cell *c = &grid[i * ny + j];
            fb->required += c->required_min;
            fb->planned += c->planned;
            fb->held += c->held;
        }
        r->gov_held += fb->held;
        r->gov_planned += fb->planned;
    }
    return rc;
}

int final_report_load(struct store *db, struct arena *a, long long contract_id, const char *today,
                      struct final_report *out)
{
    memset(out, 0, sizeof *out);
    int rc = contract_get(db, a, contract_id, &out->contract);
    if (rc == ERR_OK)
        rc = load_figures(db, a, out);
    if (rc == ERR_OK)
        rc = load_indicators(db, a, out);
    if (rc == ERR_OK)
        rc = load_governance(db, a, today, out);
    if (rc == ERR_OK)
        rc = swot_list(db, a, contract_id, &out->swot, &out->n_swot);
    if (rc == ERR_OK)
        rc = rec_list(db, a, contract_id, &out->recs, &out->n_recs);
    if (rc == ERR_OK)
        rc = eval_texts_get(db, a, contract_id, &out->texts);
    if (rc != ERR_OK)
        return rc;
    out->drafts[EVS_STATUS] = final_draft_status(a, out->years, out->figures, out->n_years);
    out->drafts[EVS_INDICATORS] = final_draft_indicators(a, out->indicators, out->n_indicators);
    out->drafts[EVS_GOVERNANCE] = final_draft_governance(a, &out->gov, out->gov_held,
                                                         out->n_bodies);
    out->drafts[EVS_CONCLUSION] = final_draft_conclusion(a, out);
    return ERR_OK;
}

void final_report_set_survey(struct final_report *r, const void *survey, final_survey_fn write)
{
    r->survey = survey;
    r->survey_write = write;
}

bool final_report_text_is_custom(const struct final_report *r, enum eval_section s)
{
    return !str_blank(r->texts.body[s]);
}

const char *final_report_text(const struct final_report *r, enum eval_section s)
{
    return final_report_text_is_custom(r, s) ? r->texts.body[s] : r->drafts[s];
}
