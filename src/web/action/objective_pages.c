/* objective_pages.c — the page of an objective: where it sits in the strategy, its
 * sub-objectives and actions, its own indicators, and the roll-up of the indicators of the
 * actions below it (latest value against target, as a chart and a table). Must not contain SQL
 * nor decide who may act (routes.c does; auth_may only chooses which links to show). */
#include <stdio.h>
#include <string.h>

#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "format/draw/indicator_svg.h"
#include "model/evaluation/contract_next.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/http/page.h"
#include "web/action/sheets.h"

/* "Objectif opérationnel 1.1", "Axe 1" (a strategic objective coded "Axe …"), or the level. */
static const char *objective_name(struct arena *a, const struct objective *o)
{
    struct buf text = {0};
    if (o->level == OBJ_STRATEGIC && strncmp(o->code, "Axe", 3) == 0)
        buf_printf(&text, "%s", o->code);
    else if (*o->code)
        buf_printf(&text, "%s %s", objective_level_label(o->level), o->code);
    else
        buf_printf(&text, "%s", objective_level_label(o->level));
    const char *s = arena_strdup(a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

/* The roll-up of the indicators of the actions under the objective. */
static void rollup(struct req *req, struct res *res, const struct objective *o, bool comments)
{
    struct buf *b = &res->body;
    struct arena *a = req->arena;
    struct indicator *inds = NULL;
    int n = 0;
    buf_puts(b, "<section aria-labelledby=\"consolidation\"><h2 id=\"consolidation\">Indicateurs "
                "des actions</h2>");
    if (indicator_rollup(req->db, a, o->id, &inds, &n) != ERR_OK) {
        buf_puts(b, "<p class=\"caution\">Les indicateurs n'ont pas pu être lus.</p></section>");
        return;
    }
    if (!n) {
        buf_puts(b, "<p>Aucune action de cet objectif n'a encore d'indicateur : c'est ce qui a "
                    "manqué à l'évaluation du CLS 2. Ajoutez-les depuis chaque fiche action.</p>"
                    "</section>");
        return;
    }
    int with_target = 0, reached = 0;
    struct ichart_progress *rows = arena_alloc(a, sizeof *rows * (size_t)n);
    for (int i = 0; i < n; i++) {
        const struct indicator *x = &inds[i];
        const struct indicator_value *last = x->n_values ? &x->values[x->n_values - 1] : NULL;
        struct buf label_text = {0};
        buf_printf(&label_text, "%s%s%s", x->owner_code, *x->owner_code ? " — " : "", x->name);
        rows[i] = (struct ichart_progress){
            .label = arena_strdup(a, buf_cstr(&label_text)),
            .href = edit_fmt(a, "/actions/%lld#indicateur-%lld", x->action_id, x->id),
            .period = last ? sheet_date_text(a, last->period) : "",
            .has_value = last != NULL,
            .value = last ? last->value : 0,
            .has_target = x->has_target,
            .target = x->target,
        };
        buf_free(&label_text);
        with_target += x->has_target;
        reached += x->has_target && last && x->target > 0 && last->value >= x->target;
    }
    buf_printf(b, "<p>%d indicateur%s sur les actions de cet objectif, dont %d avec une cible ; "
                  "%d cible%s atteinte%s d'après la dernière valeur.</p>",
               n, n > 1 ? "s" : "", with_target, reached, reached > 1 ? "s" : "",
               reached > 1 ? "s" : "");
    buf_puts(b, "<figure class=\"chart-figure\">");
    indicator_svg_progress(b, edit_fmt(a, "chart-rollup-%lld", o->id),
                           "Dernière valeur de chaque indicateur, rapportée à sa cible", rows, n,
                           760);
    buf_puts(b, "</figure><div class=\"table-wrap\"><table class=\"rollup\"><caption>Indicateurs "
                "des actions de l'objectif</caption><thead><tr><th scope=\"col\">Action</th>"
                "<th scope=\"col\">Indicateur</th><th scope=\"col\">Type</th><th scope=\"col\" "
                "class=\"num\">Dernière valeur</th><th scope=\"col\">Période</th>"
                "<th scope=\"col\" class=\"num\">Cible</th><th scope=\"col\" class=\"num\">Part "
                "de la cible</th>");
    if (comments)
        buf_puts(b, "<th scope=\"col\">Commentaire</th>");
    buf_puts(b, "</tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        const struct indicator *x = &inds[i];
        const struct indicator_value *last = x->n_values ? &x->values[x->n_values - 1] : NULL;
        buf_printf(b, "<tr><td><a href=\"/actions/%lld\">%h%s%h</a></td><td><a "
                      "href=\"/actions/%lld#indicateur-%lld\">%h</a>%s%h%s</td><td>%h</td>"
                      "<td class=\"num\">%h</td><td>%h</td><td class=\"num\">%h</td>"
                      "<td class=\"num\">",
                   x->action_id, x->owner_code, *x->owner_code ? " " : "",
                   text_short(a, x->owner_title, 60), x->action_id, x->id, x->name,
                   *x->unit ? " (" : "", x->unit, *x->unit ? ")" : "",
                   indicator_kind_label(x->kind), last ? indicator_number(a, last->value) : "—",
                   last ? sheet_date_text(a, last->period) : "",
                   x->has_target ? indicator_number(a, x->target) : "—");
        if (last && x->has_target && x->target > 0)
            buf_printf(b, "%.0f&nbsp;%%", 100.0 * last->value / x->target);
        else
            buf_puts(b, "—");
        buf_puts(b, "</td>");
        if (comments)
            buf_printf(b, "<td class=\"pre\">%h</td>", last ? last->comment : "");
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div></section>");
}

/* The recommendation of the previous contract's evaluation this objective carries. */
static void carried_from(struct req *req, struct buf *b, long long objective_id)
{
    struct next_recommendation r = {0};
    long long contract_id = 0;
    int generation = 0;
    bool found = false;
    if (next_carried_from(req->db, req->arena, objective_id, 0, &r, &contract_id, &generation,
                          &found) != ERR_OK ||
        !found)
        return;
    buf_printf(b,
               "<p id=\"recommandation\">Issu de la recommandation %d de l'évaluation du "
               "<a href=\"/contracts/%lld\">%h</a> : « %h »</p>",
               r.number, contract_id,
               generation ? edit_fmt(req->arena, "CLS %d", generation) : "contrat précédent",
               r.title);
}

int objective_page(struct req *req, struct res *res)
{
    struct objective o;
    struct objective_meta meta;
    int rc = objective_get(req->db, req->arena, req->ids[0], &o, &meta);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Objectif introuvable",
                          "Aucun objectif ne porte ce numéro. Retrouvez-le dans l'arbre de la "
                          "stratégie de son contrat.");
    struct contract c;
    struct contract_meta cmeta = {0};
    struct objective *objs = NULL;
    bool *archived = NULL;
    int n_objs = 0;
    struct indicator *own = NULL;
    int n_own = 0;
    if (rc != ERR_OK || contract_get(req->db, req->arena, meta.contract_id, &c) != ERR_OK ||
        contract_meta_get(req->db, c.id, &cmeta) != ERR_OK ||
        objective_list_all(req->db, req->arena, c.id, &objs, &archived, &n_objs) != ERR_OK ||
        indicator_list_objective(req->db, req->arena, o.id, false, &own, &n_own) != ERR_OK)
        return page_db_error(req, res);
    struct arena *a = req->arena;
    struct action_filter f = {.contract_id = c.id};
    if (o.level == OBJ_STRATEGIC)
        f.strategic_id = o.id;
    else if (o.level == OBJ_SPECIFIC)
        f.specific_id = o.id;
    else if (o.level == OBJ_OPERATIONAL)
        f.operational_id = o.id;
    struct action *acts = NULL;
    int n_acts = 0;
    if (action_list(req->db, a, &f, &acts, &n_acts) != ERR_OK)
        return page_db_error(req, res);
    bool coordinator = auth_may(req, ROLE_COORDINATOR, c.id, false);
    bool priv = auth_sees_private(req, c.id);

    const char *name = objective_name(a, &o);
    struct crumb crumbs[8];
    int nc = 0;
    crumbs[nc++] = (struct crumb){"Contrats", "/"};
    crumbs[nc++] = (struct crumb){*c.short_title ? c.short_title : c.title,
                                  edit_fmt(a, "/contracts/%lld", c.id)};
    crumbs[nc++] = (struct crumb){"Stratégie", edit_fmt(a, "/contracts/%lld/tree", c.id)};
    long long chain[4];
    int depth = 0;
    for (long long p = o.parent_id; p && depth < 4;) {
        int i = objective_index(objs, n_objs, p);
        if (i < 0)
            break;
        chain[depth++] = objs[i].id;
        p = objs[i].parent_id;
    }
    for (int k = depth - 1; k >= 0; k--) {
        int i = objective_index(objs, n_objs, chain[k]);
        if (objs[i].level == OBJ_GENERAL)
            continue;
        crumbs[nc++] = (struct crumb){objective_name(a, &objs[i]),
                                      edit_fmt(a, "/objectives/%lld", objs[i].id)};
    }
    crumbs[nc++] = (struct crumb){name, NULL};
    struct buf title_text = {0};
    buf_printf(&title_text, "%s — %s", name, o.title);
    page_begin(res, buf_cstr(&title_text), crumbs, nc);
    buf_free(&title_text);
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    carried_from(req, b, o.id);
    if (meta.archived)
        buf_puts(b, "<p class=\"caution\">Cet objectif est archivé.</p>");
    buf_printf(b, "<ul class=\"links noprint\"><li><a href=\"%h\">Liste des %d actions de cet "
                  "objectif</a></li><li><a href=\"/contracts/%lld/tree#obj-%lld\">Place dans "
                  "l'arbre de la stratégie</a></li>",
               filter_list_href(a, &f), n_acts, c.id, o.id);
    if (coordinator)
        buf_printf(b, "<li><a href=\"/objectives/%lld/edit\">Modifier l'objectif</a></li>",
                   o.id);
    buf_puts(b, "</ul>");
    bool sub = false;
    for (int i = 0; i < n_objs; i++) {
        if (objs[i].parent_id != o.id || archived[i])
            continue;
        if (!sub)
            buf_puts(b, "<h2>Sous-objectifs</h2><ul>");
        sub = true;
        buf_printf(b, "<li><a href=\"/objectives/%lld\">%h — %h</a></li>", objs[i].id,
                   objective_name(a, &objs[i]), objs[i].title);
    }
    if (sub)
        buf_puts(b, "</ul>");
    buf_printf(b, "<h2>Actions</h2>");
    if (!n_acts)
        buf_puts(b, "<p>Aucune action sous cet objectif.</p>");
    else
        buf_puts(b, "<ul class=\"objective-actions\">");
    for (int i = 0; i < n_acts; i++) {
        buf_printf(b, "<li><span class=\"code\">%h</span> <a href=\"/actions/%lld\">%h</a> ",
                   sheet_code(&acts[i]), acts[i].id, acts[i].title);
        page_status(b, acts[i].status);
        buf_puts(b, "</li>");
    }
    if (n_acts)
        buf_puts(b, "</ul>");
    buf_puts(b, "<section aria-labelledby=\"indicateurs\"><h2 id=\"indicateurs\">Indicateurs de "
                "l'objectif</h2>");
    if (!n_own)
        buf_puts(b, "<p>Aucun indicateur n'est défini pour l'objectif lui-même.</p>");
    for (int i = 0; i < n_own; i++)
        indicator_block(req, res, &own[i], coordinator && !meta.archived,
                        priv || cmeta.public_remarks, priv || cmeta.public_people);
    if (coordinator && !meta.archived)
        buf_printf(b, "<p class=\"noprint\"><a href=\"/objectives/%lld/indicators/new\">Ajouter "
                      "un indicateur à l'objectif</a></p>",
                   o.id);
    buf_puts(b, "</section>");
    rollup(req, res, &o, priv || cmeta.public_remarks);
    page_end(res);
    return 200;
}
