/* objective_edit.c — the coordinator's forms of the strategy tree: add an objective, rename,
 * recode, move it under another parent of the right level, reorder it among its siblings, archive
 * or restore it. Forms work without JavaScript (POST, then 303, 422 or 409). Must not contain SQL
 * nor check roles (routes.c does). */
#include <stdio.h>
#include <string.h>

#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"

/* What the objective forms need: the contract and its active tree. */
struct objective_ctx {
    struct contract c;
    struct objective *objs;
    int n_objs;
};

static int answer(struct res *res, int status)
{
    res->status = status;
    return status;
}

static int load_tree(struct req *req, struct res *res, long long contract_id,
                     struct objective_ctx *v)
{
    int rc = load_contract(req, res, contract_id, &v->c);
    if (rc)
        return rc;
    if (objective_list(req->db, req->arena, contract_id, &v->objs, &v->n_objs) != ERR_OK)
        return page_db_error(req, res);
    return 0;
}

/* "Axe 1 — title" or "Objectif spécifique 3 — title" for a select. */
static void objective_option(struct buf *b, struct arena *a, const struct objective *o,
                             long long selected)
{
    bool axis = o->level == OBJ_STRATEGIC && strncmp(o->code, "Axe", 3) == 0;
    buf_printf(b, "<option value=\"%lld\"%s>%h%s%h — %h</option>", o->id,
               o->id == selected ? " selected" : "", axis ? "" : objective_level_label(o->level),
               axis || !*o->code ? "" : " ", o->code, text_short(a, o->title, 70));
}

/* The parent select: objectives one level up (every non-operational one when level < 0). */
static void parent_select(struct buf *b, struct arena *a, const struct objective_ctx *v,
                          int level, long long self, long long selected, const char *error)
{
    buf_printf(b, "<div class=\"field%s\"><label for=\"f-parent_id\">Objectif parent</label>"
                  "<p class=\"help\" id=\"f-parent_id-help\">Un axe dépend de l'objectif "
                  "général, un objectif spécifique d'un axe, un objectif opérationnel d'un "
                  "objectif spécifique.</p>",
               error ? " has-error" : "");
    if (error)
        buf_printf(b, "<p class=\"field-error\" id=\"f-parent_id-error\">%h</p>", error);
    buf_printf(b, "<select id=\"f-parent_id\" name=\"parent_id\" aria-describedby=\""
                  "f-parent_id-help%s\"%s><option value=\"\">— aucun —</option>",
               error ? " f-parent_id-error" : "", error ? " aria-invalid=\"true\"" : "");
    for (int i = 0; i < v->n_objs; i++) {
        const struct objective *o = &v->objs[i];
        if (o->id == self || o->level == OBJ_OPERATIONAL)
            continue;
        if (level >= 0 && (int)o->level != level - 1)
            continue;
        objective_option(b, a, o, selected);
    }
    buf_puts(b, "</select></div>");
}

static void objective_fields(struct buf *b, const struct objective *o, const char *position,
                             const struct form_errors *errs)
{
    form_input(b, "text", "code", "Code", o->code,
               "Le code du contrat, gardé tel quel : « Axe 1 », « 3 », « 1.2 »…",
               form_error_of(errs, "code"), false);
    form_input(b, "text", "alt_code", "Autre code", o->alt_code,
               "Un second code utilisé par certains documents (facultatif).",
               form_error_of(errs, "alt_code"), false);
    form_input(b, "text", "title", "Intitulé", o->title, NULL, form_error_of(errs, "title"),
               true);
    form_input(b, "number", "position", "Position parmi ses voisins", position,
               "1 pour le placer en premier sous son parent ; laissez vide pour le mettre en "
               "dernier.",
               form_error_of(errs, "position"), false);
}

/* Reads code, alt_code, title, position and parent_id into o. */
static void read_objective(struct req *req, struct objective *o, struct form_errors *errs)
{
    o->code = (char *)form_value(req, "code");
    o->alt_code = (char *)form_value(req, "alt_code");
    o->title = (char *)form_value(req, "title");
    bool ok = true;
    o->parent_id = edit_form_id(req, "parent_id", &ok);
    if (!ok)
        form_error(errs, "parent_id", "Choisissez l'objectif parent dans la liste.");
    const char *pos = form_value(req, "position");
    long long p = 0;
    if (*pos && str_to_ll(pos, 1, 10000, &p) != ERR_OK)
        form_error(errs, "position", "La position est un nombre entier à partir de 1.");
    o->position = (int)p;
}

static void objective_new_view(struct req *req, struct res *res, const struct objective_ctx *v,
                               const struct objective *o, const char *level, const char *pos,
                               const struct form_errors *errs)
{
    edit_begin(req, res, &v->c, "Nouvel objectif", "Arbre de la stratégie",
               edit_fmt(req->arena, "/contracts/%lld/tree", v->c.id), "Nouvel objectif");
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/objectives/new", v->c.id),
               auth_form_token(req, res));
    static const char *const keys[] = {"", "general", "strategic", "specific", "operational"};
    const char *labels[5] = {"— choisir —"};
    for (int i = 0; i < 4; i++)
        labels[i + 1] = objective_level_label((enum objective_level)i);
    form_select(b, "level", "Niveau", keys, labels, 5, level, form_error_of(errs, "level"), true);
    parent_select(b, req->arena, v, -1, 0, o->parent_id, form_error_of(errs, "parent_id"));
    objective_fields(b, o, pos, errs);
    form_end(b, "Créer l'objectif");
    page_end(res);
}

int objective_new_page(struct req *req, struct res *res)
{
    struct objective_ctx v;
    int rc = load_tree(req, res, req->ids[0], &v);
    if (rc)
        return rc;
    long long parent = 0;
    if (filter_param_id(req, "parent", &parent) != ERR_OK)
        parent = 0;
    const char *level = req_query(req, "level");
    int p = objective_index(v.objs, v.n_objs, parent);
    if (p >= 0 && v.objs[p].level < OBJ_OPERATIONAL && objective_level_from_key(level) < 0)
        level = objective_level_key(v.objs[p].level + 1);
    struct objective o = {.parent_id = p >= 0 ? parent : 0, .code = "", .alt_code = "",
                          .title = ""};
    objective_new_view(req, res, &v, &o, level ? level : "", "", NULL);
    return 200;
}

int objective_new_submit(struct req *req, struct res *res)
{
    struct objective_ctx v;
    int rc = load_tree(req, res, req->ids[0], &v);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    struct objective o = {0};
    read_objective(req, &o, &errs);
    const char *level = form_value(req, "level");
    int l = objective_level_from_key(level);
    if (l < 0) {
        form_error(&errs, "level", "Choisissez le niveau de l'objectif.");
    } else {
        o.level = (enum objective_level)l;
        struct problems p = {0};
        objective_check(req->db, v.c.id, 0, &o, &p);
        edit_problems(&p, &errs);
    }
    if (errs.n) {
        objective_new_view(req, res, &v, &o, level, form_value(req, "position"), &errs);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    long long id;
    if (objective_add(req->db, &who, v.c.id, &o, &id) != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/contracts/%lld/tree?saved=created#obj-%lld",
                                  v.c.id, id));
}

/* The archive (or restore) section of an objective's page. */
static void archive_section(struct req *req, struct res *res, const struct objective *cur,
                            const struct objective_meta *m)
{
    struct buf *b = &res->body;
    buf_printf(b, "<section class=\"danger noprint\" aria-labelledby=\"archiver\"><h2 "
                  "id=\"archiver\">%s l'objectif</h2>",
               m->archived ? "Restaurer" : "Archiver");
    if (!m->archived && (m->n_children || m->n_actions)) {
        buf_printf(b, "<p>Cet objectif a encore %d sous-objectif%s et %d action%s suivie%s : "
                      "archivez-les ou déplacez-les avant de l'archiver. Rien n'est jamais "
                      "supprimé.</p></section>",
                   m->n_children, m->n_children > 1 ? "s" : "", m->n_actions,
                   m->n_actions > 1 ? "s" : "", m->n_actions > 1 ? "s" : "");
        return;
    }
    buf_printf(b, "<form method=\"post\" action=\"/objectives/%lld/archive\">", cur->id);
    form_hidden(b, "csrf", auth_form_token(req, res));
    edit_version_field(b, req->arena, m->version);
    if (m->archived)
        form_hidden(b, "restore", "1");
    buf_printf(b, "<p>%s</p><p><button type=\"submit\">%s l'objectif</button></p></form>"
                  "</section>",
               m->archived ? "L'objectif reviendra dans l'arbre."
                           : "Un objectif archivé sort de l'arbre et des listes ; il peut être "
                             "restauré.",
               m->archived ? "Restaurer" : "Archiver");
}

static void objective_edit_view(struct req *req, struct res *res, const struct objective_ctx *v,
                                const struct objective *cur, const struct objective_meta *m,
                                const struct objective *o, const char *pos, int version,
                                const struct form_errors *errs,
                                const struct audit_entry *changes, int n_changes, bool conflict)
{
    edit_begin(req, res, &v->c, "Modifier un objectif", "Arbre de la stratégie",
               edit_fmt(req->arena, "/contracts/%lld/tree", v->c.id), "Modifier un objectif");
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    buf_printf(b, "<p class=\"lede\">%h %h — %h</p>", objective_level_label(cur->level),
               cur->code, cur->title);
    if (m->archived)
        buf_puts(b, "<p class=\"caution\">Cet objectif est archivé : il n'apparaît plus dans "
                    "l'arbre ni dans les listes.</p>");
    if (conflict)
        edit_conflict_box(b, req->arena, changes, n_changes);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/objectives/%lld/edit", cur->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, version);
    buf_printf(b, "<div class=\"field readonly\"><p class=\"label\">Niveau</p><p>%h</p></div>",
               objective_level_label(cur->level));
    if (cur->level != OBJ_GENERAL)
        parent_select(b, req->arena, v, (int)cur->level, cur->id, o->parent_id,
                      form_error_of(errs, "parent_id"));
    objective_fields(b, o, pos, errs);
    form_end(b, "Enregistrer l'objectif");
    buf_puts(b, "<ul class=\"links noprint\">");
    if (cur->level < OBJ_OPERATIONAL)
        buf_printf(b, "<li><a href=\"/contracts/%lld/objectives/new?parent=%lld\">Ajouter un "
                      "sous-objectif</a></li>",
                   v->c.id, cur->id);
    else
        buf_printf(b, "<li><a href=\"/contracts/%lld/actions/new?objective=%lld\">Ajouter une "
                      "action à cet objectif</a></li>",
                   v->c.id, cur->id);
    buf_printf(b, "<li><a href=\"/contracts/%lld/tree#obj-%lld\">Revenir à l'arbre</a></li></ul>",
               v->c.id, cur->id);
    archive_section(req, res, cur, m);
    page_end(res);
}

/* Loads the route's objective and its contract's tree; 0 or the error page's status. */
static int load_objective(struct req *req, struct res *res, struct objective *o,
                          struct objective_meta *m, struct objective_ctx *v)
{
    int rc = objective_get(req->db, req->arena, req->ids[0], o, m);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Objectif introuvable",
                          "Aucun objectif ne porte ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return load_tree(req, res, m->contract_id, v);
}

/* The rank of an objective among its siblings in the active tree (1-based). */
static int rank_of(const struct objective_ctx *v, const struct objective *o)
{
    int rank = 0;
    for (int i = 0; i < v->n_objs; i++) {
        if (v->objs[i].parent_id == o->parent_id)
            rank++;
        if (v->objs[i].id == o->id)
            return rank;
    }
    return 0;
}

int objective_edit_page(struct req *req, struct res *res)
{
    struct objective o;
    struct objective_meta m;
    struct objective_ctx v;
    int rc = load_objective(req, res, &o, &m, &v);
    if (rc)
        return rc;
    int rank = rank_of(&v, &o);
    objective_edit_view(req, res, &v, &o, &m, &o, rank ? edit_fmt(req->arena, "%d", rank) : "",
                        m.version, NULL, NULL, 0, false);
    return 200;
}

int objective_edit_submit(struct req *req, struct res *res)
{
    struct objective cur;
    struct objective_meta m;
    struct objective_ctx v;
    int rc = load_objective(req, res, &cur, &m, &v);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    struct form_errors errs = {0};
    struct objective o = {.id = cur.id, .level = cur.level};
    read_objective(req, &o, &errs);
    struct problems p = {0};
    objective_check(req->db, v.c.id, cur.id, &o, &p);
    edit_problems(&p, &errs);
    const char *pos = form_value(req, "position");
    if (errs.n) {
        objective_edit_view(req, res, &v, &cur, &m, &o, pos, version, &errs, NULL, 0, false);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    rc = objective_update(req->db, &who, cur.id, version, &o);
    struct objective now;
    if (rc == ERR_CONFLICT && objective_get(req->db, req->arena, cur.id, &now, &m) == ERR_OK &&
        m.version != version) {
        struct audit_entry *changes;
        int n = edit_changes_since(req, "objective", cur.id, version, &changes);
        objective_edit_view(req, res, &v, &cur, &m, &o, pos, m.version, NULL, changes, n, true);
        return answer(res, 409);
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/contracts/%lld/tree?saved=1#obj-%lld", v.c.id,
                                  cur.id));
}

int objective_archive_submit(struct req *req, struct res *res)
{
    struct objective cur;
    struct objective_meta m;
    struct objective_ctx v;
    int rc = load_objective(req, res, &cur, &m, &v);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    bool restore = str_eq(req_form(req, "restore"), "1");
    struct actor who = edit_actor(req);
    const char *why = NULL;
    rc = objective_archive(req->db, &who, cur.id, version, !restore, &why);
    if (rc == ERR_OK)
        return edit_redirect(
            req, res,
            restore ? edit_fmt(req->arena, "/contracts/%lld/tree?saved=restored#obj-%lld", v.c.id,
                               cur.id)
                    : edit_fmt(req->arena, "/objectives/%lld/edit?saved=archived", cur.id));
    if (rc == ERR_INVALID) {
        edit_begin(req, res, &v.c, restore ? "Restauration impossible" : "Archivage impossible",
                   "Arbre de la stratégie", edit_fmt(req->arena, "/contracts/%lld/tree", v.c.id),
                   restore ? "Restaurer" : "Archiver");
        buf_printf(&res->body, "<p>%h</p><p><a href=\"/objectives/%lld/edit\">Revenir à "
                               "l'objectif</a></p>",
                   why, cur.id);
        page_end(res);
        return answer(res, 422);
    }
    if (rc == ERR_CONFLICT) {
        struct audit_entry *changes;
        int n = edit_changes_since(req, "objective", cur.id, version, &changes);
        edit_begin(req, res, &v.c, "L'objectif a changé entre-temps", "Arbre de la stratégie",
                   edit_fmt(req->arena, "/contracts/%lld/tree", v.c.id), "Archiver");
        edit_conflict_box(&res->body, req->arena, changes, n);
        buf_printf(&res->body, "<p><a href=\"/objectives/%lld/edit\">Revoir l'objectif avant de "
                               "décider</a></p>",
                   cur.id);
        page_end(res);
        return answer(res, 409);
    }
    return page_db_error(req, res);
}
