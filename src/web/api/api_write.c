/* api_write.c — the writes of the JSON API: an action's yearly status and its fields, from strict
 * JSON bodies (jansson). Must not contain SQL (the writes, their audit and version checks are
 * editing.h's) nor decide who may write (routes.c and auth.c do, before these handlers run). */
#include <jansson.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/date.h"
#include "model/account/account.h"
#include "model/core/audit.h"
#include "web/api/api.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/core/handlers.h"
#include "web/kit/json.h"
#include "web/http/page.h"

enum { YEAR_MIN = 1990, YEAR_MAX = 2100, VERSION_MAX = 2000000000 };
static const long long ID_MAX = 1000000000000000LL;

/* ---- parsing, without a server ------------------------------------------------------------ */

static int refuse(struct api_body_error *err, int status, const char *field, const char *message)
{
    *err = (struct api_body_error){status, field, message};
    return ERR_INVALID;
}

/* A French message built in the arena: "Le champ « field » " + rest. */
static const char *about(struct arena *a, const char *field, const char *rest)
{
    struct buf text = {0};
    buf_printf(&text, "Le champ « %s » %s", field, rest);
    const char *s = arena_strdup(a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

/* The body as one JSON object, or NULL with *err set. Duplicate keys are refused: which one
 * would count is a guess we do not make. */
static json_t *load_object(const char *body, size_t len, struct arena *a,
                           struct api_body_error *err)
{
    if (!body || len == 0) {
        refuse(err, 400, NULL, "Le corps de la requête est vide : envoyez un objet JSON.");
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        struct buf b = {0};
        if (strstr(je.text, "duplicate"))
            buf_printf(&b, "Un champ est donné deux fois (ligne %d, colonne %d).", je.line,
                       je.column);
        else
            buf_printf(&b, "Le corps de la requête n'est pas du JSON valide (ligne %d, "
                           "colonne %d).", je.line, je.column);
        refuse(err, 400, NULL, arena_strdup(a, buf_cstr(&b)));
        buf_free(&b);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        refuse(err, 400, NULL, "Le corps de la requête doit être un objet JSON ({…}).");
        return NULL;
    }
    return root;
}

static int unknown_field(const char *key, struct arena *a, struct api_body_error *err)
{
    const char *field = arena_strdup(a, key);
    return refuse(err, 400, field, about(a, field, "n'existe pas dans cette opération."));
}

/* A text field: a JSON string (or null, read as "", when null_ok) of at most EDIT_TEXT_MAX
 * bytes, copied into the arena. */
static int get_text(json_t *v, const char *field, bool null_ok, struct arena *a,
                    const char **out, struct api_body_error *err)
{
    if (null_ok && json_is_null(v)) {
        *out = "";
        return ERR_OK;
    }
    if (!json_is_string(v))
        return refuse(err, 400, field,
                      about(a, field, null_ok ? "doit être un texte (ou null)."
                                              : "doit être un texte."));
    size_t n = json_string_length(v);
    if (n > EDIT_TEXT_MAX)
        return refuse(err, 422, field, about(a, field, "dépasse 20 000 caractères."));
    *out = arena_strndup(a, json_string_value(v), n);
    return ERR_OK;
}

/* An integer field in [min, max]; out_of_range is the 422 message. */
static int get_int(json_t *v, const char *field, long long min, long long max,
                   const char *out_of_range, struct arena *a, long long *out,
                   struct api_body_error *err)
{
    if (!json_is_integer(v))
        return refuse(err, 400, field, about(a, field, "doit être un nombre entier."));
    long long x = (long long)json_integer_value(v);
    if (x < min || x > max)
        return refuse(err, 422, field, about(a, field, out_of_range));
    *out = x;
    return ERR_OK;
}

/* An array of organisation ids, at most EDIT_MAX_ORGS. */
static int get_ids(json_t *v, const char *field, struct arena *a, long long *ids, int *n,
                   struct api_body_error *err)
{
    if (!json_is_array(v))
        return refuse(err, 400, field,
                      about(a, field, "doit être une liste de numéros d'organisation ([1, 2])."));
    if (json_array_size(v) > EDIT_MAX_ORGS)
        return refuse(err, 422, field, about(a, field, "compte plus de 64 organisations."));
    *n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_integer(x))
            return refuse(err, 400, field,
                          about(a, field, "doit contenir des numéros d'organisation entiers."));
        long long id = (long long)json_integer_value(x);
        if (id < 1 || id > ID_MAX)
            return refuse(err, 422, field,
                          about(a, field, "contient un numéro d'organisation invalide."));
        ids[(*n)++] = id;
    }
    return ERR_OK;
}

int api_parse_status_body(const char *body, size_t len, struct arena *a,
                          struct api_status_body *out, struct api_body_error *err)
{
    *out = (struct api_status_body){.status = ST_NONE, .remarks = "", .recommendations = ""};
    *err = (struct api_body_error){0};
    json_t *root = load_object(body, len, a, err);
    if (!root)
        return ERR_INVALID;
    bool has_year = false, has_status = false;
    int rc = ERR_OK;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (str_eq(key, "year")) {
            long long y = 0;
            rc = get_int(v, "year", YEAR_MIN, YEAR_MAX, "doit être une année entre 1990 et 2100.",
                         a, &y, err);
            out->year = (int)y;
            has_year = true;
        } else if (str_eq(key, "status")) {
            const char *s = "";
            rc = get_text(v, "status", false, a, &s, err);
            out->status = status_from_key(s);
            if (rc == ERR_OK && out->status == ST_NONE)
                rc = refuse(err, 422, "status",
                            "L'état « status » doit être l'une de ces clés : done_closed, "
                            "done_recurring, done, in_progress, reflection, not_started, "
                            "abandoned.");
            has_status = true;
        } else if (str_eq(key, "remarks")) {
            rc = get_text(v, "remarks", true, a, &out->remarks, err);
        } else if (str_eq(key, "recommendations")) {
            rc = get_text(v, "recommendations", true, a, &out->recommendations, err);
        } else {
            rc = unknown_field(key, a, err);
        }
        if (rc != ERR_OK)
            break;
    }
    json_decref(root);
    if (rc == ERR_OK && !has_year)
        rc = refuse(err, 422, "year", "L'année « year » est obligatoire (par exemple 2023).");
    if (rc == ERR_OK && !has_status)
        rc = refuse(err, 422, "status", "L'état d'avancement « status » est obligatoire.");
    return rc;
}

/* One field of an action body. */
static int action_field(const char *key, json_t *v, struct arena *a, struct api_action_body *out,
                        struct api_body_error *err)
{
    long long x = 0;
    int rc;
    if (str_eq(key, "version")) {
        rc = get_int(v, "version", 1, VERSION_MAX,
                     "doit être le numéro de version lu avec l'action (1 ou plus).", a, &x, err);
        out->version = (int)x;
        return rc;
    }
    if (str_eq(key, "kind")) {
        out->given |= API_F_KIND;
        rc = get_text(v, "kind", false, a, &out->kind, err);
        if (rc == ERR_OK && !str_eq(out->kind, "sheet") && !str_eq(out->kind, "lead"))
            rc = refuse(err, 422, "kind", "Le type « kind » est \"sheet\" (fiche action) ou "
                                          "\"lead\" (piste d'action).");
        return rc;
    }
    if (str_eq(key, "code")) {
        out->given |= API_F_CODE;
        return get_text(v, "code", true, a, &out->code, err);
    }
    if (str_eq(key, "title")) {
        out->given |= API_F_TITLE;
        return get_text(v, "title", false, a, &out->title, err);
    }
    if (str_eq(key, "notes")) {
        out->given |= API_F_NOTES;
        return get_text(v, "notes", true, a, &out->notes, err);
    }
    if (str_eq(key, "objective_id")) {
        out->given |= API_F_OBJECTIVE;
        return get_int(v, "objective_id", 1, ID_MAX, "n'est pas un numéro d'objectif valide.",
                       a, &out->objective_id, err);
    }
    if (str_eq(key, "carrier_id")) {
        out->given |= API_F_CARRIER;
        out->carrier_id = 0;
        if (json_is_null(v))
            return ERR_OK;
        return get_int(v, "carrier_id", 1, ID_MAX,
                       "n'est pas un numéro d'organisation valide (null : aucun porteur).", a,
                       &out->carrier_id, err);
    }
    if (str_eq(key, "co_carriers")) {
        out->given |= API_F_CO_CARRIERS;
        return get_ids(v, "co_carriers", a, out->co_carriers, &out->n_co_carriers, err);
    }
    if (str_eq(key, "partners")) {
        out->given |= API_F_PARTNERS;
        return get_ids(v, "partners", a, out->partners, &out->n_partners, err);
    }
    return unknown_field(key, a, err);
}

int api_parse_action_body(const char *body, size_t len, struct arena *a,
                          struct api_action_body *out, struct api_body_error *err)
{
    memset(out, 0, sizeof *out);
    *err = (struct api_body_error){0};
    json_t *root = load_object(body, len, a, err);
    if (!root)
        return ERR_INVALID;
    int rc = ERR_OK;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if ((rc = action_field(key, v, a, out, err)) != ERR_OK)
            break;
    }
    json_decref(root);
    if (rc == ERR_OK && out->version == 0)
        rc = refuse(err, 422, "version",
                    "Le numéro de version « version » est obligatoire : c'est celui de l'action "
                    "telle que vous l'avez lue (GET /api/v1/actions/{id}).");
    return rc;
}

void api_action_body_apply(const struct api_action_body *b, struct action_edit *e)
{
    if (b->given & API_F_KIND)
        e->kind = b->kind;
    if (b->given & API_F_CODE)
        e->code = b->code;
    if (b->given & API_F_TITLE)
        e->title = b->title;
    if (b->given & API_F_NOTES)
        e->notes = b->notes;
    if (b->given & API_F_OBJECTIVE)
        e->objective_id = b->objective_id;
    if (b->given & API_F_CARRIER)
        e->carrier_id = b->carrier_id;
    if (b->given & API_F_CO_CARRIERS) {
        e->n_co_carriers = b->n_co_carriers;
        memcpy(e->co_carriers, b->co_carriers,
               sizeof b->co_carriers[0] * (size_t)b->n_co_carriers);
    }
    if (b->given & API_F_PARTNERS) {
        e->n_partners = b->n_partners;
        memcpy(e->partners, b->partners, sizeof b->partners[0] * (size_t)b->n_partners);
    }
}

const char *api_action_field(const char *problem_field)
{
    if (str_eq(problem_field, "co_carrier"))
        return "co_carriers";
    if (str_eq(problem_field, "partner"))
        return "partners";
    return problem_field;
}

bool api_is_json(const char *content_type)
{
    if (!content_type || strncasecmp(content_type, "application/json", 16) != 0)
        return false;
    char c = content_type[16];
    return c == '\0' || c == ';' || c == ' ';
}

/* ---- answers ------------------------------------------------------------------------------ */

static int answer_body_error(struct res *res, const struct api_body_error *e)
{
    return json_error(res, e->status, e->field, e->message);
}

/* status (422, or 403 for a field the account may not change) with the first problem as
 * error/field and all of them under "problems". */
static int answer_problems(struct res *res, int status, const struct problems *p)
{
    json_begin(res, status);
    struct buf *b = &res->body;
    buf_printf(b, "{\"error\":\"%j\",\"field\":\"%j\",\"problems\":[", p->message[0],
               api_action_field(p->field[0]));
    for (int i = 0; i < p->n; i++)
        buf_printf(b, "%s{\"field\":\"%j\",\"message\":\"%j\"}", i ? "," : "",
                   api_action_field(p->field[i]), p->message[i]);
    buf_puts(b, "]}\n");
    return status;
}

/* 409: the version the client read is stale; what changed since, newest first. */
static int answer_conflict(struct req *req, struct res *res, long long id, int version,
                           int current)
{
    struct audit_filter f = {.entity = "action", .entity_id = id, .after_version = version};
    struct audit_entry *e = NULL;
    int n = 0;
    if (audit_list(req->db, req->arena, &f, &e, &n) != ERR_OK)
        n = 0;
    json_begin(res, 409);
    struct buf *b = &res->body;
    buf_printf(b, "{\"error\":\"%j\",\"current_version\":%d,\"changes\":[",
               "L'action a été modifiée depuis la version que vous avez lue : relisez-la "
               "(GET /api/v1/actions/{id}), reportez vos changements et renvoyez-les avec "
               "current_version.",
               current);
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s{\"at\":\"%j\",\"actor\":\"%j\",\"version\":%d,\"field\":\"%j\","
                      "\"old_value\":\"%j\",\"new_value\":\"%j\"}",
                   i ? "," : "", e[i].at, e[i].actor, e[i].version, e[i].field, e[i].old_value,
                   e[i].new_value);
    buf_puts(b, "]}\n");
    return 409;
}

static int write_failed(struct req *req, struct res *res)
{
    return page_error(req, res, 503, "Service indisponible",
                      "La modification n'a pas pu être enregistrée ; rien n'a changé. "
                      "Réessayez dans un instant.");
}

static int not_found(struct req *req, struct res *res)
{
    return page_error(req, res, 404, "Action introuvable", "Aucune action n'a ce numéro.");
}

static int need_json(struct req *req, struct res *res)
{
    return page_error(req, res, 415, "Type de contenu non pris en charge",
                      "Envoyez un objet JSON avec l'en-tête « Content-Type: application/json ».");
}

static int current_year(const struct req *req)
{
    return date_of_time((long long)req->now).y;
}

/* ---- handlers ----------------------------------------------------------------------------- */

int api_action_status_submit(struct req *req, struct res *res)
{
    if (!api_is_json(req->content_type))
        return need_json(req, res);
    struct api_status_body body;
    struct api_body_error err;
    if (api_parse_status_body(req->body, req->body_len, req->arena, &body, &err) != ERR_OK)
        return answer_body_error(res, &err);
    if (body.year > current_year(req) + 1)
        return answer_body_error(
            res, &(struct api_body_error){422, "year", "Cette année n'est pas encore commencée."});
    struct actor who = edit_actor(req);
    bool added = false;
    int rc = action_status_add(req->db, &who, req->ids[0], body.year, body.status, body.remarks,
                               body.recommendations, &added);
    if (rc == ERR_NOTFOUND)
        return not_found(req, res);
    if (rc != ERR_OK)
        return write_failed(req, res);
    return api_action_answer(req, res, req->ids[0]);
}

int api_action_update(struct req *req, struct res *res)
{
    long long id = req->ids[0];
    if (!api_is_json(req->content_type))
        return need_json(req, res);
    struct api_action_body body;
    struct api_body_error err;
    if (api_parse_action_body(req->body, req->body_len, req->arena, &body, &err) != ERR_OK)
        return answer_body_error(res, &err);
    int current = 0;
    bool archived;
    int rc = action_meta(req->db, id, &current, &archived);
    if (rc == ERR_NOTFOUND)
        return not_found(req, res);
    if (rc != ERR_OK)
        return write_failed(req, res);
    if (current != body.version)
        return answer_conflict(req, res, id, body.version, current);
    struct action x;
    rc = action_get(req->db, req->arena, id, 0, &x);
    if (rc == ERR_NOTFOUND)
        return not_found(req, res);
    if (rc != ERR_OK)
        return write_failed(req, res);
    struct action_edit e;
    action_edit_from(&x, &e);
    api_action_body_apply(&body, &e);
    /* The fields only the coordination may change: the edit form's rule, answered 403 the
     * same way before any other check. */
    struct action_edit was;
    action_edit_from(&x, &was);
    struct action_editor editor = {
        auth_may(req, ROLE_COORDINATOR, x.contract_id, false),
        req->account ? req->account->organisation_id : 0};
    struct problems p = {0};
    action_role_check(&was, &e, &editor, &p);
    if (p.n)
        return answer_problems(res, 403, &p);
    action_check(req->db, x.contract_id, id, &e, &p);
    if (p.n)
        return answer_problems(res, 422, &p);
    struct actor who = edit_actor(req);
    rc = action_update(req->db, &who, id, body.version, &e);
    if (rc == ERR_CONFLICT && action_meta(req->db, id, &current, &archived) == ERR_OK &&
        current != body.version) /* changed between our read and the write */
        return answer_conflict(req, res, id, body.version, current);
    if (rc == ERR_NOTFOUND)
        return not_found(req, res);
    if (rc == ERR_INVALID)
        return answer_body_error(res, &(struct api_body_error){
                                          422, NULL, "L'enregistrement a été refusé : relisez "
                                                     "l'action et réessayez."});
    if (rc != ERR_OK)
        return write_failed(req, res);
    return api_action_answer(req, res, id);
}
