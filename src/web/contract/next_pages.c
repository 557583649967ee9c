/* next_pages.c — « Préparer le contrat suivant »: the preview of the next contract (CLS 3 from
 * CLS 2) with a choice per action and per recommendation, and its confirmation, which creates
 * the contract in one transaction (model/contract_next.c). Must not contain SQL. */
#include <stdio.h>

#include "model/plan/action.h"
#include "model/evaluation/contract_next.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/http/page.h"

static const char *const CHOICE_KEYS[] = {"drop", "reconduct", "modify"};
static const char *const CHOICE_LABELS[] = {"Abandonnée (non reprise)", "Reconduite telle quelle",
                                            "Modifiée (reprise, à retravailler)"};
static const char *const CARRY_KEYS[] = {"none", "objective", "action"};
static const char *const CARRY_LABELS[] = {"Non reportée", "Nouvel objectif", "Nouvelle action"};

/* What the preview shows: the tree, the live actions, the recommendations. */
struct next_view {
    struct contract c;
    struct objective *objs;
    int n_objs;
    struct action *acts;
    int n_acts;
    struct next_recommendation *recs;
    int n_recs;
};

static int load_view(struct req *req, struct res *res, struct next_view *v)
{
    int rc = load_contract(req, res, req->ids[0], &v->c);
    if (rc)
        return rc;
    int year = 0;
    if (figures_reporting_year(req->db, v->c.id, &year, NULL) != ERR_OK)
        return page_db_error(req, res);
    struct action_filter f = {.contract_id = v->c.id, .year = year};
    if (objective_list(req->db, req->arena, v->c.id, &v->objs, &v->n_objs) != ERR_OK ||
        action_list(req->db, req->arena, &f, &v->acts, &v->n_acts) != ERR_OK ||
        next_recommendations(req->db, req->arena, v->c.id, &v->recs, &v->n_recs) != ERR_OK)
        return page_db_error(req, res);
    return 0;
}

static const char *int_text(struct req *req, int v)
{
    return v ? edit_fmt(req->arena, "%d", v) : "";
}

/* The choice of an action: the form's, else drop for an abandoned one, else reconduct. */
static const char *choice_of(struct req *req, const struct action *x)
{
    const char *v = form_value(req, edit_fmt(req->arena, "action-%lld", x->id));
    if (*v)
        return v;
    return x->status == ST_ABANDONED ? "drop" : "reconduct";
}

static void actions_table(struct req *req, struct buf *b, const struct next_view *v,
                          const struct form_errors *errs)
{
    buf_printf(b,
               "<h2 id=\"actions\">Les actions (%d)</h2><p>Pour chaque action, dites si le "
               "nouveau contrat la reprend. Une action reprise garde ses porteurs, partenaires,"
               " sa fiche et ses indicateurs ; son historique d'états reste dans ce contrat, "
               "relié à la nouvelle action.</p>",
               v->n_acts);
    for (int k = 0; k < v->n_objs; k++) {
        const struct objective *o = &v->objs[k];
        int shown = 0;
        for (int i = 0; i < v->n_acts; i++) {
            const struct action *x = &v->acts[i];
            if (x->objective_id != o->id)
                continue;
            if (!shown++)
                buf_printf(b, "<fieldset class=\"next-objective\"><legend>%h %h%s%h</legend>",
                           objective_level_label(o->level), o->code, *o->code ? " — " : "",
                           o->title);
            const char *name = edit_fmt(req->arena, "action-%lld", x->id);
            const char *label = edit_fmt(req->arena, "%s%s%s", x->code, *x->code ? " — " : "",
                                         x->title);
            form_select(b, name, label, CHOICE_KEYS, CHOICE_LABELS, 3, choice_of(req, x),
                        form_error_of(errs, name), true);
            buf_puts(b, "<p class=\"muted\"><small>État : ");
            page_status(b, x->status);
            buf_printf(b, " — <a href=\"/actions/%lld\">voir l'action</a></small></p>", x->id);
        }
        if (shown)
            buf_puts(b, "</fieldset>");
    }
}

static void recommendations_part(struct req *req, struct buf *b, const struct next_view *v,
                                 const struct form_errors *errs)
{
    buf_puts(b, "<h2 id=\"recommandations\">Les recommandations de l'évaluation</h2>");
    if (v->n_recs == 0) {
        buf_puts(b, "<p>Ce contrat n'a pas encore de recommandation enregistrée : le rapport "
                    "d'évaluation finale les recueille.</p>");
        return;
    }
    buf_puts(b, "<p>Une recommandation reportée devient un objectif ou une action du nouveau "
                "contrat, reliée à elle.</p>");
    const char **values = arena_alloc(req->arena, sizeof *values * (v->n_objs + 1));
    const char **labels = arena_alloc(req->arena, sizeof *labels * (v->n_objs + 1));
    values[0] = "";
    labels[0] = "Un nouvel axe (objectif seulement)";
    for (int k = 0; k < v->n_objs; k++) {
        values[k + 1] = edit_fmt(req->arena, "%lld", v->objs[k].id);
        labels[k + 1] = edit_fmt(req->arena, "%s %s — %s", objective_level_label(v->objs[k].level),
                                 v->objs[k].code, v->objs[k].title);
    }
    for (int i = 0; i < v->n_recs; i++) {
        const struct next_recommendation *r = &v->recs[i];
        const char *name = edit_fmt(req->arena, "rec-%lld", r->id);
        const char *under = edit_fmt(req->arena, "under-%lld", r->id);
        buf_printf(b,
                   "<fieldset class=\"next-recommendation\"><legend>Recommandation %d : "
                   "%h</legend>",
                   r->number, r->title);
        const char *carry = form_value(req, name);
        form_select(b, name, "Reporter comme", CARRY_KEYS, CARRY_LABELS, 3,
                    *carry ? carry : "none", form_error_of(errs, name), true);
        form_select(b, under, "Sous l'objectif", values, labels, v->n_objs + 1,
                    form_value(req, under), NULL, false);
        buf_puts(b, "</fieldset>");
    }
}

static int preview(struct req *req, struct res *res, const struct next_view *v,
                   const struct form_errors *errs, int status)
{
    char title[64];
    snprintf(title, sizeof title, "Préparer le contrat suivant");
    edit_begin(req, res, &v->c, title, NULL, NULL, "Contrat suivant");
    struct buf *b = &res->body;
    long long next_id = 0;
    if (next_successor(req->db, v->c.id, &next_id) != ERR_OK)
        return page_db_error(req, res);
    if (next_id) {
        buf_printf(b,
                   "<p role=\"status\">Le contrat suivant a déjà été créé : "
                   "<a href=\"/contracts/%lld\">ouvrir le nouveau contrat</a>.</p>",
                   next_id);
        page_end(res);
        return 200;
    }
    int gen = v->c.generation ? v->c.generation + 1 : 0;
    int start = v->c.end_year ? v->c.end_year + 1 : action_current_year(req);
    const char *t = form_value(req, "title"), *s = form_value(req, "short_title");
    const char *sy = form_value(req, "start_year"), *ey = form_value(req, "end_year");
    buf_printf(b,
               "<p>Le nouveau contrat reprend l'arbre stratégique de « %h » et les actions "
               "que vous gardez. Rien n'est créé avant la confirmation en bas de page ; les "
               "organisations restent partagées, jamais copiées.</p>",
               v->c.title);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/next", v->c.id),
               auth_form_token(req, res));
    form_input(b, "text", "title", "Intitulé du nouveau contrat",
               *t    ? t
               : gen ? edit_fmt(req->arena, "Contrat local de santé n° %d", gen)
                     : "Contrat local de santé",
               NULL, form_error_of(errs, "title"), true);
    form_input(b, "text", "short_title", "Intitulé court",
               *s    ? s
               : gen ? edit_fmt(req->arena, "CLS %d", gen)
                     : "",
               NULL, NULL, false);
    form_input(b, "number", "start_year", "Première année", *sy ? sy : int_text(req, start), NULL,
               form_error_of(errs, "years"), true);
    form_input(b, "number", "end_year", "Dernière année", *ey ? ey : int_text(req, start + 4),
               NULL, NULL, true);
    actions_table(req, b, v, errs);
    recommendations_part(req, b, v, errs);
    form_end(b, "Créer le contrat suivant");
    page_end(res);
    res->status = status;
    return status;
}

void next_contract_notice(struct req *req, struct buf *b, long long contract_id, bool coordinator)
{
    long long prev = 0, next = 0;
    if (next_predecessor(req->db, contract_id, &prev) != ERR_OK ||
        next_successor(req->db, contract_id, &next) != ERR_OK)
        return;
    if (prev)
        buf_printf(b,
                   "<p class=\"noprint\">Ce contrat fait suite au <a href=\"/contracts/%lld\">"
                   "contrat précédent</a>.</p>",
                   prev);
    if (next)
        buf_printf(b,
                   "<p class=\"noprint\">Un <a href=\"/contracts/%lld\">contrat suivant</a> "
                   "a été créé à partir de celui-ci.</p>",
                   next);
    else if (coordinator)
        buf_printf(b,
                   "<p class=\"noprint\"><a href=\"/contracts/%lld/next\">Préparer le "
                   "contrat suivant</a> : reprendre l'arbre, les actions gardées et les "
                   "recommandations de l'évaluation</p>",
                   contract_id);
}

int contract_next_page(struct req *req, struct res *res)
{
    struct next_view v = {0};
    int rc = load_view(req, res, &v);
    return rc ? rc : preview(req, res, &v, NULL, 200);
}

static int read_choice(const char *v, const char *const *keys, int n, int unset)
{
    for (int i = 0; i < n; i++)
        if (str_eq(v, keys[i]))
            return i;
    return unset;
}

int contract_next_submit(struct req *req, struct res *res)
{
    struct next_view v = {0};
    int rc = load_view(req, res, &v);
    if (rc)
        return rc;
    bool ok_start = true, ok_end = true;
    struct next_plan plan = {.title = form_value(req, "title"),
                             .short_title = form_value(req, "short_title"),
                             .start_year = edit_form_year(req, "start_year", &ok_start),
                             .end_year = edit_form_year(req, "end_year", &ok_end),
                             .n_actions = v.n_acts,
                             .n_recs = v.n_recs};
    long long *aids = arena_alloc(req->arena, sizeof *aids * (v.n_acts + 1));
    enum next_choice *choices = arena_alloc(req->arena, sizeof *choices * (v.n_acts + 1));
    for (int i = 0; i < v.n_acts; i++) {
        aids[i] = v.acts[i].id;
        const char *val = form_value(req, edit_fmt(req->arena, "action-%lld", aids[i]));
        choices[i] = (enum next_choice)read_choice(val, CHOICE_KEYS, 3, NEXT_UNSET);
    }
    long long *rids = arena_alloc(req->arena, sizeof *rids * (v.n_recs + 1));
    long long *under = arena_alloc(req->arena, sizeof *under * (v.n_recs + 1));
    enum next_carry *carries = arena_alloc(req->arena, sizeof *carries * (v.n_recs + 1));
    struct problems p = {0};
    for (int i = 0; i < v.n_recs; i++) {
        rids[i] = v.recs[i].id;
        const char *val = form_value(req, edit_fmt(req->arena, "rec-%lld", rids[i]));
        carries[i] = (enum next_carry)read_choice(val, CARRY_KEYS, 3, CARRY_UNSET);
        bool ok = true;
        under[i] = edit_form_id(req, edit_fmt(req->arena, "under-%lld", rids[i]), &ok);
        if (!ok)
            problems_add(&p, edit_fmt(req->arena, "rec-%lld", rids[i]),
                         "L'objectif choisi n'est pas un numéro d'objectif.");
    }
    plan.action_ids = aids;
    plan.choices = choices;
    plan.rec_ids = rids;
    plan.carries = carries;
    plan.carry_under = under;
    if (!ok_start || !ok_end)
        plan.start_year = plan.end_year = 0; /* the model says what is wrong with the years */
    long long id = 0;
    struct actor who = edit_actor(req);
    rc = p.n ? ERR_INVALID
             : next_contract_create(req->db, req->arena, &who, v.c.id, &plan, &p, &id);
    if (rc == ERR_OK || rc == ERR_CONFLICT) /* a second click lands on the first one's contract */
        return edit_redirect(req, res, edit_fmt(req->arena, "/contracts/%lld?saved=next", id));
    if (rc == ERR_INVALID) {
        struct form_errors errs = {0};
        edit_problems(&p, &errs);
        return preview(req, res, &v, &errs, 422);
    }
    return page_db_error(req, res);
}
