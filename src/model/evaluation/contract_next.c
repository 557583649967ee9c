/* contract_next.c — SQL of the next contract (CLS 3 from CLS 2): one transaction copies the tree,
 * the kept actions and their definitions, carries recommendations, records the links back and
 * audits it. Organisations are shared records: the copies link the same rows, never duplicate
 * them. Must not produce HTML or JSON. */
#include "model/evaluation/contract_next.h"

#include <stdio.h>

#include "base/str.h"
#include "base/text.h"
#include "model/core/contract.h"
#include "model/plan/editing_internal.h"
#include "model/plan/objective.h"
#include "store/rows.h"

int next_recommendations(struct store *db, struct arena *a, long long contract_id,
                         struct next_recommendation **out, int *n)
{
    int cap = 0, rc;
    *out = rows_grow(a, NULL, 0, &cap, sizeof **out);
    *n = 0;
    struct stmt *st = store_prepare(db, "SELECT id, number, title, body, owner, state FROM "
                                        "recommendation WHERE contract_id = ?1 ORDER BY number");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct next_recommendation *r = &(*out)[(*n)++];
        r->id = stmt_int(st, 0);
        r->number = (int)stmt_int(st, 1);
        r->title = stmt_text(st, 2, a);
        r->body = stmt_text(st, 3, a);
        r->owner = stmt_text(st, 4, a);
        r->state = stmt_text(st, 5, a);
    }
    return rc < 0 ? rc : ERR_OK;
}

int next_successor(struct store *db, long long contract_id, long long *next_id)
{
    *next_id = 0;
    int rc = edit_one_int(db, "SELECT id FROM contract WHERE previous_id = ?1 ORDER BY id LIMIT 1",
                          contract_id, next_id);
    return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

int next_predecessor(struct store *db, long long contract_id, long long *previous_id)
{
    *previous_id = 0;
    int rc = edit_one_int(db,
                          "SELECT previous_id FROM contract WHERE id = ?1 AND previous_id "
                          "IS NOT NULL",
                          contract_id, previous_id);
    return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

/* ---- checking the plan --------------------------------------------------------------------- */

static int find_id(const long long *ids, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return i;
    return -1;
}

/* Every live action has a choice and every recommendation a carry; a carried one goes under an
 * objective of the old tree (an action needs one). */
static int check_plan(struct store *db, struct arena *a, long long from_id,
                      const struct next_plan *plan, const struct objective *objs, int n_objs,
                      struct problems *p)
{
    if (str_blank(plan->title))
        problems_add(p, "title", "Donnez un intitulé au nouveau contrat.");
    else if (edit_too_long(plan->title, 300))
        problems_add(p, "title", "L'intitulé dépasse 300 caractères.");
    if (plan->start_year < 1990 || plan->start_year > 2100 || plan->end_year < plan->start_year ||
        plan->end_year > 2100)
        problems_add(p, "years",
                     "Indiquez des années de début et de fin entre 1990 et 2100, "
                     "la fin au plus tôt l'année du début.");
    struct stmt *st = store_prepare(db, "SELECT id, code, title FROM action WHERE contract_id = "
                                        "?1 AND archived = 0 ORDER BY position, id");
    stmt_bind_int(st, 1, from_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        long long aid = stmt_int(st, 0);
        int k = find_id(plan->action_ids, plan->n_actions, aid);
        if (k < 0 || plan->choices[k] == NEXT_UNSET) {
            char field[40];
            snprintf(field, sizeof field, "action-%lld", aid);
            /* Code and title shortened by characters: a byte count could cut one in two. */
            struct buf msg = {0};
            buf_printf(&msg,
                       "Action %s « %s » : choisissez reconduite, modifiée ou abandonnée (la "
                       "page a peut-être changé depuis son ouverture : rechargez-la).",
                       text_short(a, stmt_text(st, 1, a), 40),
                       text_short(a, stmt_text(st, 2, a), 200));
            problems_add(p, arena_strdup(a, field), arena_strdup(a, buf_cstr(&msg)));
            buf_free(&msg);
        }
    }
    if (rc < 0)
        return rc;
    for (int i = 0; i < plan->n_actions; i++) {
        long long owner = 0;
        rc = edit_one_int(db, "SELECT contract_id FROM action WHERE id = ?1 AND archived = 0",
                          plan->action_ids[i], &owner);
        if (rc == ERR_NOTFOUND || (rc == ERR_OK && owner != from_id))
            problems_add(p, "actions",
                         "Une action du formulaire n'est pas une action de ce "
                         "contrat.");
        else if (rc != ERR_OK)
            return rc;
    }
    struct next_recommendation *recs = NULL;
    int n_recs = 0;
    rc = next_recommendations(db, a, from_id, &recs, &n_recs);
    if (rc != ERR_OK)
        return rc;
    for (int i = 0; i < n_recs; i++) {
        int k = find_id(plan->rec_ids, plan->n_recs, recs[i].id);
        char field[40];
        snprintf(field, sizeof field, "rec-%lld", recs[i].id);
        const char *msg = NULL;
        if (k < 0 || plan->carries[k] == CARRY_UNSET)
            msg = "choisissez comment la reporter (la page a peut-être changé depuis son "
                  "ouverture : rechargez-la).";
        else if (plan->carries[k] != CARRY_NONE && plan->carry_under[k] &&
                 objective_index(objs, n_objs, plan->carry_under[k]) < 0)
            msg = "l'objectif choisi n'est pas un objectif de ce contrat.";
        else if (plan->carries[k] == CARRY_ACTION && !plan->carry_under[k])
            msg = "choisissez l'objectif sous lequel placer la nouvelle action.";
        if (msg) {
            char text[300];
            snprintf(text, sizeof text, "Recommandation %d : %s", recs[i].number, msg);
            problems_add(p, arena_strdup(a, field), arena_strdup(a, text));
        }
    }
    for (int i = 0; i < plan->n_recs; i++) {
        bool ours = false;
        for (int j = 0; j < n_recs; j++)
            ours = ours || recs[j].id == plan->rec_ids[i];
        if (!ours)
            problems_add(p, "recs",
                         "Une recommandation du formulaire n'est pas une "
                         "recommandation de ce contrat.");
    }
    return ERR_OK;
}

/* ---- copying ------------------------------------------------------------------------------- */

static int create_contract(struct store *db, struct arena *a, long long from_id,
                           const struct next_plan *plan, long long *id)
{
    struct contract old = {0};
    int rc = contract_get(db, a, from_id, &old);
    if (rc != ERR_OK)
        return rc;
    struct contract c = {.territory = old.territory,
                         .title = (char *)plan->title,
                         .short_title = (char *)(plan->short_title ? plan->short_title : ""),
                         .generation = old.generation ? old.generation + 1 : 0,
                         .start_year = plan->start_year,
                         .end_year = plan->end_year,
                         .status = "active"};
    rc = contract_create(db, &c, id);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(db, "UPDATE contract SET previous_id = ?2, public_remarks = "
                                        "(SELECT public_remarks FROM contract WHERE id = ?2), "
                                        "public_people = (SELECT public_people FROM contract "
                                        "WHERE id = ?2) WHERE id = ?1");
    stmt_bind_int(st, 1, *id);
    stmt_bind_int(st, 2, from_id);
    return stmt_exec(st);
}

/* Copies the live objectives level by level (parents first); new_ids[i] is objs[i]'s copy. */
static int copy_tree(struct store *db, long long to_id, const struct objective *objs, int n,
                     long long *new_ids)
{
    int rc = ERR_OK;
    for (int level = OBJ_GENERAL; level <= OBJ_OPERATIONAL && rc == ERR_OK; level++)
        for (int i = 0; i < n && rc == ERR_OK; i++) {
            if ((int)objs[i].level != level)
                continue;
            struct objective o = objs[i];
            int parent = o.parent_id ? objective_index(objs, n, o.parent_id) : -1;
            o.parent_id = parent >= 0 ? new_ids[parent] : 0;
            rc = objective_create(db, to_id, &o, &new_ids[i]);
        }
    return rc;
}

/* The objective indicators' definitions follow their objective. */
static int copy_objective_indicators(struct store *db, long long to_id, long long old_obj,
                                     long long new_obj)
{
    struct stmt *st = store_prepare(
        db,
        "INSERT INTO indicator (contract_id, objective_id, name, kind, unit, baseline, target, "
        "method, collected_by, frequency, position, created_at) SELECT ?1, ?3, name, kind, "
        "unit, baseline, target, method, collected_by, frequency, position, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM indicator WHERE objective_id = ?2 AND "
        "archived = 0 ORDER BY position, id");
    stmt_bind_int(st, 1, to_id);
    stmt_bind_int(st, 2, old_obj);
    stmt_bind_int(st, 3, new_obj);
    return stmt_exec(st);
}

/* One kept action: the row (sheet fields, not what happened: actual dates and budget, since,
 * source), its organisations (the same shared rows), choices, funders, areas and indicator
 * definitions; never its statuses, values or yearly plan. */
static int copy_action(struct store *db, long long to_id, long long old_id, long long objective,
                       enum next_choice choice, long long *new_id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO action (contract_id, objective_id, slug, kind, code, title, "
            "carrier_label, notes, position, created_at, description, action_objectives, "
            "target_public, whole_territory, rhythm, planned_start, planned_end, planned_budget, "
            "priority, sheet_state) SELECT ?1, ?3, slug, kind, code, title, carrier_label, notes, "
            "position, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), description, action_objectives, "
            "target_public, whole_territory, rhythm, planned_start, planned_end, planned_budget, "
            "priority, CASE WHEN ?4 THEN 'draft' ELSE sheet_state END FROM action WHERE id = ?2");
    stmt_bind_int(st, 1, to_id);
    stmt_bind_int(st, 2, old_id);
    stmt_bind_int(st, 3, objective);
    stmt_bind_int(st, 4, choice == NEXT_MODIFY); /* a modified sheet is to be validated again */
    int rc = stmt_exec(st);
    if (rc != ERR_OK)
        return rc;
    *new_id = store_last_id(db);
    static const char *const children[] = {
        "INSERT INTO action_organisation (action_id, organisation_id, role, position) "
        "SELECT ?1, organisation_id, role, position FROM action_organisation WHERE action_id = ?2",
        "INSERT INTO action_choice (action_id, list, choice) SELECT ?1, list, choice FROM "
        "action_choice WHERE action_id = ?2",
        "INSERT INTO action_funder (action_id, funder, name, amount, position) SELECT ?1, funder, "
        "name, amount, position FROM action_funder WHERE action_id = ?2 ORDER BY position, id",
        "INSERT INTO action_area (action_id, code) SELECT ?1, code FROM action_area WHERE "
        "action_id = ?2",
        "INSERT INTO indicator (contract_id, action_id, name, kind, unit, baseline, target, "
        "method, collected_by, frequency, position, created_at) SELECT contract_id_new, ?1, name, "
        "kind, unit, baseline, target, method, collected_by, frequency, position, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM indicator, (SELECT contract_id AS "
        "contract_id_new FROM action WHERE id = ?1) AS target WHERE action_id = ?2 AND archived = 0 "
        "ORDER BY position, id",
        "INSERT INTO action_origin (action_id, origin_action_id, kind) VALUES (?1, ?2, ?3)",
    };
    for (size_t i = 0; i < sizeof children / sizeof children[0] && rc == ERR_OK; i++) {
        st = store_prepare(db, children[i]);
        stmt_bind_int(st, 1, *new_id);
        stmt_bind_int(st, 2, old_id);
        if (i == sizeof children / sizeof children[0] - 1)
            stmt_bind_text(st, 3, choice == NEXT_MODIFY ? "modified" : "reconducted");
        rc = stmt_exec(st);
    }
    return rc;
}

static int copy_actions(struct store *db, struct arena *a, const struct actor *who,
                        long long to_id, const struct next_plan *plan,
                        const struct objective *objs, int n_objs, const long long *new_objs)
{
    int rc = ERR_OK;
    for (int i = 0; i < plan->n_actions && rc == ERR_OK; i++) {
        if (plan->choices[i] != NEXT_RECONDUCT && plan->choices[i] != NEXT_MODIFY)
            continue;
        long long old_obj = 0, new_id = 0;
        rc = edit_one_int(db, "SELECT objective_id FROM action WHERE id = ?1", plan->action_ids[i],
                          &old_obj);
        int k = rc == ERR_OK ? objective_index(objs, n_objs, old_obj) : -1;
        if (rc == ERR_OK && k < 0)
            rc = ERR_INVALID; /* under an archived objective: caught by the caller's message */
        if (rc == ERR_OK)
            rc = copy_action(db, to_id, plan->action_ids[i], new_objs[k], plan->choices[i],
                             &new_id);
        if (rc == ERR_OK)
            rc = audit_record(db, who, "action", new_id, 1, "origin", "",
                              edit_int_text(a, plan->action_ids[i]));
    }
    return rc;
}

/* A recommendation carried as a new objective (operational under the chosen objective, or a
 * new axis) or a new action (under the chosen objective), titled as the recommendation. */
static int carry_recommendations(struct store *db, struct arena *a, const struct actor *who,
                                 long long to_id, const struct next_plan *plan,
                                 const struct objective *objs, int n_objs,
                                 const long long *new_objs)
{
    int rc = ERR_OK;
    for (int i = 0; i < plan->n_recs && rc == ERR_OK; i++) {
        if (plan->carries[i] != CARRY_OBJECTIVE && plan->carries[i] != CARRY_ACTION)
            continue;
        struct stmt *st = store_prepare(db, "SELECT number, title, body FROM recommendation "
                                            "WHERE id = ?1");
        stmt_bind_int(st, 1, plan->rec_ids[i]);
        if ((rc = stmt_step(st)) != 1)
            return rc == 0 ? ERR_NOTFOUND : rc;
        int number = (int)stmt_int(st, 0);
        char *title = stmt_text(st, 1, a), *body = stmt_text(st, 2, a);
        stmt_done(st);
        int k = plan->carry_under[i] ? objective_index(objs, n_objs, plan->carry_under[i]) : -1;
        long long under = k >= 0 ? new_objs[k] : 0, made = 0;
        char code[24];
        snprintf(code, sizeof code, "R%d", number);
        if (plan->carries[i] == CARRY_OBJECTIVE) {
            struct objective o = {.parent_id = under,
                                  .level = under ? OBJ_OPERATIONAL : OBJ_STRATEGIC,
                                  .code = code,
                                  .alt_code = "",
                                  .title = title,
                                  .position = 1000 + number};
            if (k >= 0 && objs[k].level == OBJ_GENERAL)
                o.level = OBJ_STRATEGIC;
            else if (k >= 0 && objs[k].level == OBJ_STRATEGIC)
                o.level = OBJ_SPECIFIC;
            else if (k >= 0 && objs[k].level == OBJ_OPERATIONAL) {
                /* a sibling of the chosen operational objective, never its child */
                int parent = objective_index(objs, n_objs, objs[k].parent_id);
                o.parent_id = parent >= 0 ? new_objs[parent] : 0;
                o.level = parent >= 0 ? OBJ_OPERATIONAL : OBJ_STRATEGIC;
            }
            rc = objective_create(db, to_id, &o, &made);
        } else {
            st = store_prepare(
                db, "INSERT INTO action (contract_id, objective_id, kind, code, title, notes, "
                    "position, created_at) VALUES (?1, ?2, 'lead', '', ?3, ?4, (SELECT "
                    "coalesce(max(position), 0) + 1 FROM action WHERE contract_id = ?1), "
                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
            stmt_bind_int(st, 1, to_id);
            stmt_bind_int(st, 2, under);
            stmt_bind_text(st, 3, title);
            stmt_bind_text(st, 4, body);
            rc = stmt_exec(st);
            made = store_last_id(db);
        }
        if (rc != ERR_OK)
            return rc;
        st = store_prepare(db, "INSERT INTO recommendation_carry (recommendation_id, contract_id, "
                               "objective_id, action_id) VALUES (?1, ?2, ?3, ?4)");
        stmt_bind_int(st, 1, plan->rec_ids[i]);
        stmt_bind_int(st, 2, to_id);
        if (plan->carries[i] == CARRY_OBJECTIVE)
            stmt_bind_int(st, 3, made);
        else
            stmt_bind_int(st, 4, made);
        rc = stmt_exec(st);
        if (rc == ERR_OK) {
            char what[64];
            snprintf(what, sizeof what, "%s %lld",
                     plan->carries[i] == CARRY_OBJECTIVE ? "objective" : "action", made);
            rc = audit_record(db, who, "recommendation", plan->rec_ids[i], 0, "carried", "", what);
        }
    }
    return rc;
}

int next_contract_create(struct store *db, struct arena *a, const struct actor *who,
                         long long from_id, const struct next_plan *plan, struct problems *p,
                         long long *id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    long long next_id = 0;
    struct objective *objs = NULL;
    int n_objs = 0;
    rc = edit_exists(db, "SELECT 1 FROM contract WHERE id = ?1", from_id);
    if (rc == ERR_OK)
        rc = next_successor(db, from_id, &next_id);
    if (rc == ERR_OK && next_id) {
        *id = next_id; /* the one made by the first click */
        rc = ERR_CONFLICT;
    }
    if (rc == ERR_OK)
        rc = objective_list(db, a, from_id, &objs, &n_objs);
    if (rc == ERR_OK)
        rc = check_plan(db, a, from_id, plan, objs, n_objs, p);
    if (rc == ERR_OK && p->n)
        rc = ERR_INVALID;
    long long *new_objs = rc == ERR_OK ? arena_alloc(a, sizeof *new_objs * (n_objs + 1)) : NULL;
    if (rc == ERR_OK)
        rc = create_contract(db, a, from_id, plan, id);
    if (rc == ERR_OK)
        rc = copy_tree(db, *id, objs, n_objs, new_objs);
    for (int i = 0; i < n_objs && rc == ERR_OK; i++)
        rc = copy_objective_indicators(db, *id, objs[i].id, new_objs[i]);
    if (rc == ERR_OK)
        rc = copy_actions(db, a, who, *id, plan, objs, n_objs, new_objs);
    if (rc == ERR_INVALID && !p->n)
        problems_add(p, "actions",
                     "Une action gardée est rangée sous un objectif archivé : "
                     "rangez-la sous un objectif actif d'abord.");
    if (rc == ERR_OK)
        rc = carry_recommendations(db, a, who, *id, plan, objs, n_objs, new_objs);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "contract", *id, 1, "previous", "", edit_int_text(a, from_id));
    if (rc == ERR_OK)
        rc = audit_record(db, who, "contract", from_id, 0, "next", "", edit_int_text(a, *id));
    return edit_finish(db, rc);
}

/* ---- the links back ------------------------------------------------------------------------ */

static int read_link(struct store *db, struct arena *a, const char *sql, long long action_id,
                     struct next_link *out, bool *found)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, action_id);
    int rc = stmt_step(st);
    *found = rc == 1;
    if (rc == 1) {
        out->action_id = stmt_int(st, 0);
        out->contract_id = stmt_int(st, 1);
        out->generation = (int)stmt_int(st, 2);
        out->code = stmt_text(st, 3, a);
        out->title = stmt_text(st, 4, a);
        out->kind = stmt_text(st, 5, a);
        stmt_done(st);
    }
    return rc < 0 ? rc : ERR_OK;
}

int next_action_links(struct store *db, struct arena *a, long long action_id,
                      struct next_link *origin, bool *has_origin, struct next_link *next,
                      bool *has_next)
{
    int rc = read_link(db, a,
                       "SELECT x.id, x.contract_id, coalesce(c.generation, 0), x.code, x.title, "
                       "o.kind FROM action_origin o JOIN action x ON x.id = o.origin_action_id "
                       "JOIN contract c ON c.id = x.contract_id WHERE o.action_id = ?1",
                       action_id, origin, has_origin);
    if (rc == ERR_OK)
        rc = read_link(db, a,
                       "SELECT x.id, x.contract_id, coalesce(c.generation, 0), x.code, x.title, "
                       "o.kind FROM action_origin o JOIN action x ON x.id = o.action_id "
                       "JOIN contract c ON c.id = x.contract_id WHERE o.origin_action_id = ?1 "
                       "ORDER BY x.id LIMIT 1",
                       action_id, next, has_next);
    return rc;
}

int next_carried_from(struct store *db, struct arena *a, long long objective_id,
                      long long action_id, struct next_recommendation *out, long long *contract_id,
                      int *generation, bool *found)
{
    struct stmt *st = store_prepare(
        db, "SELECT r.id, r.number, r.title, r.body, r.owner, r.state, r.contract_id, "
            "coalesce(c.generation, 0) FROM recommendation_carry k JOIN recommendation r ON "
            "r.id = k.recommendation_id JOIN contract c ON c.id = r.contract_id WHERE "
            "(?1 <> 0 AND k.objective_id = ?1) OR (?2 <> 0 AND k.action_id = ?2) LIMIT 1");
    stmt_bind_int(st, 1, objective_id);
    stmt_bind_int(st, 2, action_id);
    int rc = stmt_step(st);
    *found = rc == 1;
    if (rc == 1) {
        out->id = stmt_int(st, 0);
        out->number = (int)stmt_int(st, 1);
        out->title = stmt_text(st, 2, a);
        out->body = stmt_text(st, 3, a);
        out->owner = stmt_text(st, 4, a);
        out->state = stmt_text(st, 5, a);
        *contract_id = stmt_int(st, 6);
        *generation = (int)stmt_int(st, 7);
        stmt_done(st);
    }
    return rc < 0 ? rc : ERR_OK;
}
