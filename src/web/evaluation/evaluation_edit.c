/* evaluation_edit.c — the coordination's writes on the final evaluation page: SWOT items (add,
 * edit, move, remove), recommendations (add, edit) and the texts replacing the drafted ones
 * (save, back to the drafted text). A refused write answers the page again with the input kept
 * and the reason next to its form. Must not contain SQL nor check roles (routes.c does). */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "model/evaluation/evaluation.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/evaluation/evaluation.h"

static const char conflict_text[] =
    "Quelqu'un a modifié cet élément depuis que vous avez ouvert la page : rien n'a été "
    "enregistré. Rechargez la page pour voir sa version actuelle, puis refaites votre "
    "modification (votre texte est gardé ci-dessous).";

const char *eval_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    (void)a;
    static const struct {
        const char *field, *label;
    } labels[] = {{"quadrant", "Case de l'analyse AFOM"},
                  {"text", "Texte"},
                  {"position", "Rang"},
                  {"number", "Numéro"},
                  {"title", "Intitulé"},
                  {"body", "Texte"},
                  {"owner", "Porteur"},
                  {"follow_up", "Suivi"},
                  {"state", "État"}};
    if (!str_eq(entity, "swot_item") && !str_eq(entity, "recommendation"))
        return NULL;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (str_eq(labels[i].field, field))
            return labels[i].label;
    return NULL;
}

/* Keeps the person's input of the fields named (NULL-ended) in e. */
static void keep(const struct req *req, struct eval_error *e, const char *const *fields)
{
    for (e->n = 0; fields[e->n] && e->n < 6; e->n++) {
        e->fields[e->n] = fields[e->n];
        e->values[e->n] = form_value(req, fields[e->n]);
    }
}

/* Answers the page again with the error next to form. */
static int refuse(struct req *req, struct res *res, int status, const char *form,
                  const char *message, const char *const *fields)
{
    struct eval_error e = {.form = form, .message = message};
    if (fields)
        keep(req, &e, fields);
    return eval_page_answer(req, res, status, &e);
}

/* A stale write of entity id (loaded at version): 409 with what changed since. */
static int conflict(struct req *req, struct res *res, const char *form, const char *entity,
                    long long id, int version, const char *const *fields)
{
    struct eval_error e = {.form = form, .message = conflict_text};
    keep(req, &e, fields);
    struct audit_entry *changes = NULL;
    e.n_changes = edit_changes_since(req, entity, id, version, &changes);
    e.changes = changes;
    return eval_page_answer(req, res, 409, &e);
}

/* The answer to a model error other than ERR_OK (rc): 404, 409, 422 or the database page. */
static int answer_error(struct req *req, struct res *res, int rc, const char *form,
                        const char *invalid, const char *const *fields)
{
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Introuvable",
                          "Cet élément n'existe pas, ou plus, dans ce contrat.");
    if (rc == ERR_CONFLICT)
        return refuse(req, res, 409, form, conflict_text, fields);
    if (rc == ERR_INVALID)
        return refuse(req, res, 422, form, invalid, fields);
    return page_db_error(req, res);
}

static int done(struct req *req, struct res *res, const char *saved, const char *anchor)
{
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/contracts/%lld/evaluation?saved=%s#%s",
                                  req->ids[0], saved, anchor));
}

/* The first problem's message, or a default. */
static const char *first_problem(const struct problems *p, const char *dflt)
{
    return p->n ? p->message[0] : dflt;
}

/* ---- SWOT -------------------------------------------------------------------------------- */

static const char *const swot_fields[] = {"text", "quadrant", NULL};

int evaluation_swot_add_submit(struct req *req, struct res *res)
{
    const char *qkey = form_value(req, "quadrant"), *text = form_value(req, "text");
    int q = swot_quadrant_from_key(qkey);
    if (q < 0)
        return refuse(req, res, 422, NULL,
                      "Case inconnue : choisissez forces, faiblesses, opportunités ou menaces.",
                      NULL);
    const char *form = edit_fmt(req->arena, "swot-new-%s", swot_quadrant_key(q));
    struct problems p = {0};
    swot_check(text, &p);
    if (p.n)
        return refuse(req, res, 422, form, first_problem(&p, ""), swot_fields);
    struct actor who = edit_actor(req);
    int rc = swot_add(req->db, &who, req->ids[0], (enum swot_quadrant)q, text, "", NULL);
    if (rc != ERR_OK)
        return answer_error(req, res, rc, form, "Texte refusé.", swot_fields);
    return done(req, res, "swot", edit_fmt(req->arena, "swot-h-%s", swot_quadrant_key(q)));
}

int evaluation_swot_submit(struct req *req, struct res *res)
{
    long long id = req->ids[1];
    const char *form = edit_fmt(req->arena, "swot-%lld", id);
    const char *op = form_value(req, "op");
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return refuse(req, res, 422, form, "Le formulaire n'a pas de version : rechargez la page.",
                      swot_fields);
    struct actor who = edit_actor(req);
    int rc;
    if (str_eq(op, "up") || str_eq(op, "down")) {
        rc = swot_move(req->db, &who, req->ids[0], id, version, str_eq(op, "up") ? -1 : 1);
    } else if (str_eq(op, "remove")) {
        rc = swot_remove(req->db, &who, req->ids[0], id, version);
    } else if (str_eq(op, "save") || !*op) {
        const char *text = form_value(req, "text");
        int q = swot_quadrant_from_key(form_value(req, "quadrant"));
        struct problems p = {0};
        swot_check(text, &p);
        if (q < 0)
            problems_add(&p, "quadrant", "Case inconnue : choisissez-en une dans la liste.");
        if (p.n)
            return refuse(req, res, 422, form, first_problem(&p, ""), swot_fields);
        rc = swot_update(req->db, &who, req->ids[0], id, version, (enum swot_quadrant)q, text);
    } else {
        return refuse(req, res, 422, form,
                      "Action inconnue : enregistrer, monter, descendre ou "
                      "retirer.",
                      swot_fields);
    }
    if (rc == ERR_CONFLICT)
        return conflict(req, res, form, "swot_item", id, version, swot_fields);
    if (rc != ERR_OK)
        return answer_error(req, res, rc, form, "Texte refusé.", swot_fields);
    return done(req, res, "swot", "ev-swot");
}

/* ---- recommendations --------------------------------------------------------------------- */

static const char *const rec_fields[] = {"number",    "title", "body", "owner",
                                         "follow_up", "state", NULL};

/* Reads a recommendation's form into e; problems of the number and state go to p. */
static void read_rec(const struct req *req, struct rec_edit *e, struct problems *p)
{
    const char *number = form_value(req, "number");
    long long n = 0;
    if (*number && str_to_ll(number, 1, 999, &n) != ERR_OK)
        problems_add(p, "number", "Le numéro est un nombre entier de 1 à 999.");
    e->number = (int)n;
    e->title = form_value(req, "title");
    e->body = form_value(req, "body");
    e->owner = form_value(req, "owner");
    e->follow_up = form_value(req, "follow_up");
    int st = rec_state_from_key(form_value(req, "state"));
    if (st < 0)
        problems_add(p, "state", "Choisissez un état dans la liste.");
    e->state = st < 0 ? REC_OPEN : (enum rec_state)st;
}

int evaluation_rec_add_submit(struct req *req, struct res *res)
{
    struct rec_edit e;
    struct problems p = {0};
    read_rec(req, &e, &p);
    if (!p.n)
        rec_check(req->db, req->ids[0], 0, &e, &p);
    if (p.n)
        return refuse(req, res, 422, "rec-new", first_problem(&p, ""), rec_fields);
    struct actor who = edit_actor(req);
    long long id = 0;
    int rc = rec_add(req->db, &who, req->ids[0], &e, "", &id);
    if (rc != ERR_OK)
        return answer_error(req, res, rc, "rec-new", "Recommandation refusée.", rec_fields);
    return done(req, res, "rec", edit_fmt(req->arena, "rec-%lld-view", id));
}

int evaluation_rec_submit(struct req *req, struct res *res)
{
    long long id = req->ids[1];
    const char *form = edit_fmt(req->arena, "rec-%lld", id);
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return refuse(req, res, 422, form, "Le formulaire n'a pas de version : rechargez la page.",
                      rec_fields);
    struct rec_edit e;
    struct problems p = {0};
    read_rec(req, &e, &p);
    if (!p.n)
        rec_check(req->db, req->ids[0], id, &e, &p);
    if (p.n)
        return refuse(req, res, 422, form, first_problem(&p, ""), rec_fields);
    struct actor who = edit_actor(req);
    int rc = rec_update(req->db, &who, req->ids[0], id, version, &e);
    if (rc == ERR_CONFLICT)
        return conflict(req, res, form, "recommendation", id, version, rec_fields);
    if (rc != ERR_OK)
        return answer_error(req, res, rc, form, "Recommandation refusée.", rec_fields);
    return done(req, res, "rec", edit_fmt(req->arena, "rec-%lld-view", id));
}

/* ---- texts ------------------------------------------------------------------------------- */

int evaluation_text_submit(struct req *req, struct res *res)
{
    static const char *const fields[] = {"body", NULL};
    int s = eval_section_from_key(form_value(req, "section"));
    if (s < 0)
        return refuse(req, res, 422, NULL, "Section inconnue : rechargez la page.", NULL);
    const char *form = edit_fmt(req->arena, "text-%s", eval_section_key(s));
    int version = 0;
    const char *v = form_value(req, "version");
    long long vv = 0;
    if (str_to_ll(v, 0, 1000000000, &vv) != ERR_OK)
        return refuse(req, res, 422, form, "Le formulaire n'a pas de version : rechargez la page.",
                      fields);
    version = (int)vv;
    bool revert = str_eq(form_value(req, "op"), "revert");
    const char *body = revert ? "" : req_form(req, "body");
    if (!body)
        body = "";
    if (!revert && str_blank(body))
        return refuse(req, res, 422, form,
                      "Le texte est vide : écrivez-le, ou revenez au texte "
                      "calculé.",
                      fields);
    if (strlen(body) > EVAL_BODY_MAX || !utf8_valid(body, strlen(body)))
        return refuse(req, res, 422, form,
                      "Le texte dépasse 20 000 caractères : "
                      "raccourcissez-le.",
                      fields);
    struct actor who = edit_actor(req);
    int rc = eval_text_save(req->db, &who, req->ids[0], (enum eval_section)s, version, body);
    if (rc != ERR_OK)
        return answer_error(req, res, rc, form, "Texte refusé.", fields);
    return done(req, res, revert ? "revert" : "text",
                edit_fmt(req->arena, "text-%s-shown", eval_section_key(s)));
}
