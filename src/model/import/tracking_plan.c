/* tracking_plan.c — what an import would change, computed without writing: the contract's
 * objectives and actions as slots with the maps that find them, the carriers matched against
 * the directory (with proposals for new ones), the year's statuses it would add or replace, and
 * the plan's fingerprint that tracking_apply compares. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/core/organisation.h"
#include "model/import/tracking_match.h"
#include "store/rows.h"
#include "model/import/tracking_internal.h"

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct map_entry *map_slot(const struct map *m, const char *key)
{
    size_t i = (size_t)hash_str(key) & (m->cap - 1);
    while (m->e[i].key && strcmp(m->e[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

bool trk_map_get(const struct map *m, const char *key, long long *value)
{
    if (!m->cap)
        return false;
    struct map_entry *e = map_slot(m, key);
    if (e->key && value)
        *value = e->value;
    return e->key != NULL;
}

/* Adds key → value unless key is there already (the first one wins). */
void trk_map_add(struct arena *a, struct map *m, const char *key, long long value)
{
    if (2 * (m->n + 1) > m->cap) {
        struct map old = *m;
        m->cap = m->cap ? m->cap * 2 : 256;
        m->e = arena_alloc(a, sizeof *m->e * m->cap);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.e[i].key)
                *map_slot(m, old.e[i].key) = old.e[i], m->n++;
    }
    struct map_entry *e = map_slot(m, key);
    if (!e->key) {
        e->key = arena_strdup(a, key);
        e->value = value;
        m->n++;
    }
}

/* "slot\x1ftext": a key made of an objective slot and a code or title. */
const char *trk_pair_key(struct arena *a, int slot, const char *text)
{
    char head[24];
    int n = snprintf(head, sizeof head, "%d\x1f", slot);
    size_t len = strlen(text);
    char *k = arena_alloc(a, (size_t)n + len + 1);
    memcpy(k, head, (size_t)n);
    memcpy(k + n, text, len + 1);
    return k;
}

const char *trk_id_key(char buf[24], long long id)
{
    snprintf(buf, 24, "%lld", id);
    return buf;
}

int trk_add_obj(struct importer *im, enum objective_level level, const char *code,
                const char *title, int parent)
{
    im->objs = rows_grow(im->a, im->objs, im->n_objs, &im->cap_objs, sizeof *im->objs);
    im->objs[im->n_objs] = (struct obj_slot){0, level, code, title, parent};
    return im->n_objs++;
}

/* Adds action k to the group of actions that key finds in m. */
static void group_add(struct importer *im, struct map *m, const char *key, int k)
{
    long long g;
    if (!trk_map_get(m, key, &g)) {
        im->groups = rows_grow(im->a, im->groups, im->n_groups, &im->cap_groups,
                               sizeof *im->groups);
        im->groups[im->n_groups] = (struct group){0};
        trk_map_add(im->a, m, key, g = im->n_groups++);
    }
    struct group *gr = &im->groups[g];
    gr->items = rows_grow(im->a, gr->items, gr->n, &gr->cap, sizeof *gr->items);
    gr->items[gr->n++] = k;
}

/* Makes an action findable by (objective, code) and by (objective, title) as the import does. */
void trk_index_action(struct importer *im, int k)
{
    const struct act_slot *x = &im->acts[k];
    const char *title = tracking_norm(im->a, x->title);
    char idbuf[24];
    if (x->id)
        trk_map_add(im->a, &im->act_by_id, trk_id_key(idbuf, x->id), k);
    if (*x->code)
        group_add(im, &im->act_by_code, trk_pair_key(im->a, x->obj, x->code), k);
    else
        group_add(im, &im->nocode_by_title, trk_pair_key(im->a, x->obj, title), k);
    if (strcmp(x->kind, "lead") == 0)
        group_add(im, &im->lead_by_title, trk_pair_key(im->a, x->obj, title), k);
}

/* The first action key finds in m that no row has taken yet, or -1; *last gets the last one
 * taken (-1 if none). Each group is walked once over the whole table. */
int trk_next_unclaimed(struct importer *im, const struct map *m, const char *key, int *last)
{
    long long g;
    *last = -1;
    if (!trk_map_get(m, key, &g))
        return -1;
    struct group *gr = &im->groups[g];
    while (gr->cursor < gr->n && im->acts[gr->items[gr->cursor]].line)
        gr->cursor++;
    if (gr->cursor > 0)
        *last = gr->items[gr->cursor - 1];
    return gr->cursor < gr->n ? gr->items[gr->cursor] : -1;
}

/* Loads the contract's objectives and actions into slots and maps. */
static int load_contract(struct importer *im, long long contract_id)
{
    struct objective *objs;
    int n, rc = objective_list(im->db, im->a, contract_id, &objs, &n);
    if (rc != ERR_OK)
        return rc;
    char idbuf[24];
    for (int i = 0; i < n; i++) {
        int k = trk_add_obj(im, objs[i].level, trk_trim(im->a, objs[i].code),
                            trk_trim(im->a, objs[i].title), -1);
        im->objs[k].id = objs[i].id;
        trk_map_add(im->a, &im->obj_by_id, trk_id_key(idbuf, objs[i].id), k);
    }
    /* A code names an operational objective first, then any other level. */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < im->n_objs; k++)
            if (*im->objs[k].code && (im->objs[k].level == OBJ_OPERATIONAL) == (pass == 0))
                trk_map_add(im->a, &im->obj_by_code, im->objs[k].code, k);
    for (int k = 0; k < im->n_objs; k++)
        if (im->objs[k].level == OBJ_OPERATIONAL && *im->objs[k].title)
            trk_map_add(im->a, &im->obj_by_title, im->objs[k].title, k);

    struct tracking_action *list;
    if ((rc = tracking_load_actions(im->db, im->a, contract_id, 0, &list, &n)) != ERR_OK)
        return rc;
    for (int i = 0; i < n; i++) {
        long long obj = -1;
        if (!trk_map_get(&im->obj_by_id, trk_id_key(idbuf, list[i].objective_id), &obj))
            continue; /* an objective of another contract: cannot happen */
        im->acts = rows_grow(im->a, im->acts, im->n_acts, &im->cap_acts, sizeof *im->acts);
        im->acts[im->n_acts] = (struct act_slot){
            .id = list[i].id,
            .obj = (int)obj,
            .kind = list[i].kind,
            .code = trk_trim(im->a, list[i].code),
            .title = list[i].title,
            .carrier_label = list[i].carrier_label,
            .carrier_name = list[i].carrier_name,
            .carrier_id = list[i].carrier_id,
        };
        trk_index_action(im, im->n_acts++);
        if (list[i].position > im->max_position)
            im->max_position = list[i].position;
    }
    return ERR_OK;
}

/* ---- the plan ----------------------------------------------------------------------------- */

/* Indexes every name, acronym and alias of the directory by its compact key (case, accents,
 * blanks and punctuation ignored: "CD 55" is the alias "CD55"), the lowest id winning, and keeps
 * the list for proposals, so that a large table costs one query. */
static int load_organisations(struct importer *im)
{
    struct stmt *st = store_prepare(im->db, "SELECT id, name, acronym, aliases FROM organisation "
                                            "ORDER BY id");
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        im->org_list = rows_grow(im->a, im->org_list, im->n_org_list, &im->cap_org_list,
                                 sizeof *im->org_list);
        struct org_entry *o = &im->org_list[im->n_org_list++];
        *o = (struct org_entry){.id = stmt_int(st, 0)};
        int cap = 0;
        for (int c = 1; c <= 3; c++) {
            char *names = stmt_text(st, c, im->a);
            for (char *save = NULL, *tok = strtok_r(names, "|", &save); tok;
                 tok = strtok_r(NULL, "|", &save)) {
                const char *name = trk_trim(im->a, tok);
                char *f = tracking_compact(im->a, name);
                if (!*f)
                    continue;
                trk_map_add(im->a, &im->orgs, f, o->id);
                o->names = rows_grow(im->a, o->names, o->n_names, &cap, sizeof *o->names);
                o->names[o->n_names++] = name;
                if (c == 1)
                    o->name = name;
            }
        }
        if (!o->name)
            o->name = "";
    }
    im->orgs_loaded = true;
    return rc < 0 ? rc : ERR_OK;
}

const char *trk_org_name(const struct importer *im, long long id)
{
    for (int i = 0; i < im->n_org_list; i++)
        if (im->org_list[i].id == id)
            return im->org_list[i].name;
    return "";
}

/* Keeps p among the best TRACKING_PROPOSALS of list (best first, ties in arrival order). */
static void propose(struct tracking_proposal *list, int *n, struct tracking_proposal p)
{
    if (p.score < 40)
        return;
    int i = *n < TRACKING_PROPOSALS ? (*n)++ : TRACKING_PROPOSALS;
    if (i == TRACKING_PROPOSALS && list[i - 1].score >= p.score)
        return;
    if (i == TRACKING_PROPOSALS)
        i--;
    while (i > 0 && list[i - 1].score < p.score) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = p;
}

/* The latest status of the year of every action of the contract, with who wrote it. */
static int load_statuses(struct importer *im)
{
    if (im->opt->new_title)
        return ERR_OK;
    struct stmt *st = store_prepare(
        im->db, "SELECT s.id, s.action_id, s.status, s.remarks, s.recommendations, "
                "coalesce(nullif(acc.name, ''), s.recorded_by), s.recorded_at, "
                "coalesce(s.account_id, 0) FROM action_status s "
                "JOIN action a ON a.id = s.action_id LEFT JOIN account acc ON "
                "acc.id = s.account_id WHERE a.contract_id = ?1 AND s.year = ?2 ORDER BY s.id");
    stmt_bind_int(st, 1, im->opt->contract_id);
    stmt_bind_int(st, 2, im->opt->year);
    int rc;
    char buf[24];
    while ((rc = stmt_step(st)) == 1) {
        struct last_status s = {
            .id = stmt_int(st, 0),
            .status = stmt_text(st, 2, im->a),
            .remarks = stmt_text(st, 3, im->a),
            .recommendations = stmt_text(st, 4, im->a),
            .by = stmt_text(st, 5, im->a),
            .at = stmt_text(st, 6, im->a),
            .account_id = stmt_int(st, 7),
        };
        long long k, action = stmt_int(st, 1);
        if (trk_map_get(&im->last_by_action, trk_id_key(buf, action), &k)) {
            im->last[k] = s; /* ordered by id: the latest one wins */
            continue;
        }
        im->last = rows_grow(im->a, im->last, im->n_last, &im->cap_last, sizeof *im->last);
        im->last[im->n_last] = s;
        trk_map_add(im->a, &im->last_by_action, buf, im->n_last++);
    }
    return rc < 0 ? rc : ERR_OK;
}

static void fp_add(uint64_t *h, const char *s)
{
    for (; *s; s++)
        *h = (*h ^ (unsigned char)*s) * 1099511628211ULL;
    *h = (*h ^ 0x1f) * 1099511628211ULL;
}

static void fp_num(uint64_t *h, long long v)
{
    char buf[24];
    fp_add(h, trk_id_key(buf, v));
}

/* The carrier a row names: an organisation of the directory (p->org) or a new one
 * (p->new_org), with the closest existing ones proposed. */
static void plan_carrier(struct importer *im, struct tracking_plan *plan, struct plan *p,
                         const struct tracking_row *r, struct map *new_orgs)
{
    const char *key = tracking_compact(im->a, p->carrier);
    long long k;
    if (trk_map_get(&im->orgs, key, &p->org))
        return;
    if (trk_map_get(new_orgs, key, &k)) {
        p->new_org = (int)k;
        plan->orgs[k].n_rows++;
        return;
    }
    struct tracking_new_org *o = &plan->orgs[plan->n_orgs];
    *o = (struct tracking_new_org){.name = p->carrier, .line = r->line, .n_rows = 1};
    /* Scores in a scratch arena, for the first 200 new names only: a table of thousands of
     * unknown carriers must stay cheap in time and memory. */
    struct arena scratch = {0};
    for (int i = 0; i < im->n_org_list && plan->n_orgs < 200; i++) {
        const struct org_entry *e = &im->org_list[i];
        int best = 0;
        for (int j = 0; j < e->n_names; j++) {
            int s = tracking_similarity(&scratch, p->carrier, e->names[j]);
            best = s > best ? s : best;
        }
        propose(o->proposals, &o->n_proposals, (struct tracking_proposal){e->id, e->name, best});
    }
    arena_free(&scratch);
    if (o->n_proposals && o->proposals[0].score >= TRACKING_STRONG)
        o->choice = o->proposals[0].id;
    trk_map_add(im->a, new_orgs, key, plan->n_orgs);
    p->new_org = plan->n_orgs++;
}

/* Fills the plan from the checked rows (plans[i] for rows[i]); reads, never writes. */
static int build_plan(struct importer *im, const struct tracking_row *rows, struct plan *plans,
                      int n, struct tracking_plan *plan)
{
    struct arena *a = im->a;
    int rc;
    if ((rc = load_organisations(im)) != ERR_OK || (rc = load_statuses(im)) != ERR_OK)
        return rc;
    memset(plan, 0, sizeof *plan);
    plan->rows = n;
    size_t m = (size_t)n + 1;
    plan->actions = arena_alloc(a, sizeof *plan->actions * m);
    plan->orgs = arena_alloc(a, sizeof *plan->orgs * m);
    plan->carriers = arena_alloc(a, sizeof *plan->carriers * m);
    plan->statuses = arena_alloc(a, sizeof *plan->statuses * m);
    struct map new_orgs = {0};
    uint64_t fp = 1469598103934665603ULL;
    char buf[24];
    for (int i = 0; i < n; i++) {
        struct plan *p = &plans[i];
        struct act_slot *x = &im->acts[p->act];
        bool is_new = x->id == 0, changed = false;
        p->org = 0;
        p->new_org = p->new_action = p->status_change = -1;
        p->status_add = p->carrier_change = false;
        fp_num(&fp, rows[i].line);
        fp_num(&fp, x->id);
        if (is_new) {
            struct tracking_new_action *na = &plan->actions[plan->n_actions];
            *na = (struct tracking_new_action){
                .line = rows[i].line,
                .title = x->title,
                .objective_code = im->objs[x->obj].code,
                .code = strcmp(x->kind, "lead") == 0 ? TRACKING_LEAD : x->code,
            };
            /* The contract's closest titles, for a title written differently; bounded so that
             * a table of new actions stays linear. */
            struct arena scratch = {0};
            for (int k = 0; k < im->n_acts && plan->n_actions < 200; k++) {
                if (!im->acts[k].id)
                    continue;
                int s = tracking_similarity(&scratch, x->title, im->acts[k].title);
                if (im->acts[k].obj == x->obj && s < 95)
                    s += 5;
                propose(na->proposals, &na->n_proposals,
                        (struct tracking_proposal){im->acts[k].id, im->acts[k].title, s});
            }
            arena_free(&scratch);
            for (int k = 0; k < na->n_proposals; k++)
                fp_num(&fp, na->proposals[k].id);
            p->new_action = plan->n_actions++;
            changed = true;
        }
        if (*p->carrier) {
            const char *cell = tracking_compact(a, p->carrier);
            bool same = !is_new &&
                        strcmp(cell, tracking_compact(a, x->carrier_id ? x->carrier_name
                                                                       : x->carrier_label)) == 0;
            if (!same)
                plan_carrier(im, plan, p, &rows[i], &new_orgs);
            if (p->new_org >= 0) {
                fp_add(&fp, cell);
                for (int k = 0; k < plan->orgs[p->new_org].n_proposals; k++)
                    fp_num(&fp, plan->orgs[p->new_org].proposals[k].id);
            } else {
                fp_num(&fp, p->org);
            }
            if (same || (!is_new && p->org && p->org == x->carrier_id)) {
                p->org = 0;
            } else if (!is_new) {
                p->carrier_change = true;
                plan->carriers[plan->n_carriers++] = (struct tracking_carrier_change){
                    .line = rows[i].line,
                    .new_org = p->new_org,
                    .action_id = x->id,
                    .old_id = x->carrier_id,
                    .new_id = p->org,
                    .action = x->title,
                    .old_name = x->carrier_id ? x->carrier_name : x->carrier_label,
                    .new_name = p->org ? trk_org_name(im, p->org) : p->carrier,
                };
                changed = true;
            }
        }
        if (p->status != ST_NONE) {
            long long k;
            const char *remarks = rows[i].cells[TRK_REMARKS];
            const char *recs = rows[i].cells[TRK_RECOMMENDATIONS];
            if (is_new || !trk_map_get(&im->last_by_action, trk_id_key(buf, x->id), &k)) {
                p->status_add = true;
                plan->statuses_added++;
                changed = true;
            } else if (strcmp(im->last[k].status, status_key(p->status)) != 0 ||
                       strcmp(im->last[k].remarks, remarks) != 0 ||
                       strcmp(im->last[k].recommendations, recs) != 0) {
                const struct last_status *l = &im->last[k];
                bool other = l->account_id && l->account_id != im->opt->account_id;
                plan->statuses[plan->n_statuses] = (struct tracking_status_change){
                    .line = rows[i].line,
                    .action_id = x->id,
                    .action = x->title,
                    .old_status = status_label(status_from_key(l->status)),
                    .old_by = l->by,
                    .old_at = l->at,
                    .new_status = status_label(p->status),
                    .by_other = other,
                    .keep = other,
                };
                p->status_change = plan->n_statuses++;
                fp_num(&fp, l->id);
                changed = true;
            }
        }
        fp_add(&fp, p->status_change >= 0 ? "r" : p->status_add ? "a" : "u");
        plan->unchanged += !changed;
    }
    snprintf(plan->fingerprint, sizeof plan->fingerprint, "%016llx", (unsigned long long)fp);
    return ERR_OK;
}

/* A new contract must not repeat one the territory already has (an import run twice). */
static void check_new_contract(struct importer *im)
{
    struct contract *list;
    int n;
    if (contract_list(im->db, im->a, &list, &n) != ERR_OK)
        return;
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].territory.name, im->opt->territory) == 0 &&
            strcmp(list[i].title, im->opt->new_title) == 0)
            trk_add_error(im->a, im->res, 0, -1,
                          "le territoire « %s » a déjà un contrat « %s » (contrat n° %lld) : "
                          "importez dans ce contrat",
                          trk_shown(im->a, im->opt->territory),
                          trk_shown(im->a, im->opt->new_title), list[i].id);
}

/* Records the first row naming the code in column code_col with a title in title_col, as the
 * title of that level of the tree; a later row giving the code another title is an error. */
static void name_tree_level(struct importer *im, struct map *titles, const struct tracking_row *r,
                            enum tracking_column code_col, enum tracking_column title_col,
                            const char *what)
{
    const char *code = trk_trim(im->a, r->cells[code_col]);
    const char *title = trk_trim(im->a, r->cells[title_col]);
    long long first;
    if (!*code || !*title)
        return;
    if (!trk_map_get(titles, code, &first)) {
        trk_map_add(im->a, titles, code, r - im->rows);
        return;
    }
    const struct tracking_row *f = &im->rows[first];
    if (strcmp(trk_trim(im->a, f->cells[title_col]), title) != 0)
        trk_add_error(im->a, im->res, r->line, im->h->col[title_col],
                      "%s « %s » porte ici le titre « %s » et ligne %d « %s » : un code, un titre",
                      what, trk_shown(im->a, code), trk_shown(im->a, title), f->line,
                      trk_shown(im->a, trk_trim(im->a, f->cells[title_col])));
}

/* Checks every row and computes the plan; reads only. */
int trk_check_rows(struct importer *im, const struct tracking_row *rows, int n, struct plan *plans,
                   struct tracking_plan *plan)
{
    int rc;
    char buf[24];
    for (int i = 0; i < im->opt->n_links; i++)
        trk_map_add(im->a, &im->links, trk_id_key(buf, im->opt->links[i].line),
                    im->opt->links[i].action_id);
    if (im->opt->new_title) {
        check_new_contract(im);
        if (n == 0)
            trk_add_error(im->a, im->res, 0, -1,
                          "le tableau n'a aucune ligne : pas de contrat créé");
        for (int i = 0; i < n; i++) {
            const char *code = trk_trim(im->a, rows[i].cells[TRK_OBJECTIVE_CODE]);
            if (*code && !str_blank(rows[i].cells[TRK_OBJECTIVE]))
                trk_map_add(im->a, &im->new_titles, code, i);
            name_tree_level(im, &im->axis_titles, &rows[i], TRK_AXIS_CODE, TRK_AXIS, "l'axe");
            name_tree_level(im, &im->spec_titles, &rows[i], TRK_SPECIFIC_CODE, TRK_SPECIFIC,
                            "l'objectif spécifique");
        }
    } else {
        struct contract c;
        if ((rc = contract_get(im->db, im->a, im->opt->contract_id, &c)) != ERR_OK) {
            if (rc == ERR_NOTFOUND)
                trk_add_error(im->a, im->res, 0, -1, "contrat n° %lld introuvable",
                              im->opt->contract_id);
            return rc;
        }
        if ((rc = load_contract(im, im->opt->contract_id)) != ERR_OK)
            return rc;
    }
    for (int i = 0; i < n; i++)
        trk_check_row(im, &rows[i], &plans[i]);
    if (im->res->n_errors)
        return ERR_INVALID;
    return build_plan(im, rows, plans, n, plan);
}
