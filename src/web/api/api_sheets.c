/* api_sheets.c — the JSON API of action sheets: the sheet fields and indicators inside
 * GET /api/v1/actions/{id}, a territory's communes and intercommunalities, a contract's
 * indicators, recording an indicator value and validating a sheet. Keys are a contract with API
 * users: add, never rename. Must not contain SQL nor decide who may write (routes.c does);
 * every string goes out through %j. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/core/area.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/sheet/indicator.h"
#include "model/sheet/sheet.h"
#include "web/api/api.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/json.h"
#include "web/kit/load.h"
#include "web/http/page.h"

/* An amount in cents as euros, or null when unknown (-1). */
static void jeuros(struct buf *b, long long cents)
{
    json_number(b, cents >= 0, cents / 100.0);
}

/* One indicator with its values. comments, people: as on the pages. */
static void jindicator(struct buf *b, const struct indicator *x, bool comments, bool people)
{
    buf_printf(b, "{\"id\":%lld,\"contract_id\":%lld,\"action_id\":", x->id, x->contract_id);
    json_number(b, x->action_id != 0, (double)x->action_id);
    buf_puts(b, ",\"objective_id\":");
    json_number(b, x->objective_id != 0, (double)x->objective_id);
    buf_printf(b, ",\"name\":\"%j\",\"kind\":\"%j\",\"unit\":", x->name, x->kind);
    json_text(b, x->unit);
    buf_puts(b, ",\"baseline\":");
    json_number(b, x->has_baseline, x->baseline);
    buf_puts(b, ",\"target\":");
    json_number(b, x->has_target, x->target);
    buf_puts(b, ",\"method\":");
    json_text(b, x->method);
    buf_puts(b, ",\"collected_by\":");
    json_text(b, x->collected_by);
    buf_puts(b, ",\"frequency\":");
    json_text(b, x->frequency);
    buf_printf(b, ",\"version\":%d,\"values\":[", x->version);
    for (int i = 0; i < x->n_values; i++) {
        const struct indicator_value *v = &x->values[i];
        buf_printf(b, "%s{\"period\":\"%j\",\"value\":", i ? "," : "", v->period);
        json_number(b, true, v->value);
        buf_puts(b, ",\"source\":");
        json_text(b, v->source);
        buf_puts(b, ",\"comment\":");
        json_text(b, comments ? v->comment : NULL);
        buf_puts(b, ",\"recorded_at\":");
        json_text(b, v->recorded_at);
        buf_puts(b, ",\"recorded_by\":");
        json_text(b, !v->account_id || people ? v->recorded_by : NULL);
        buf_putc(b, '}');
    }
    buf_puts(b, "]}");
}

/* Whether comments and names may go out for a contract (the pages' rule). */
static void visibility(struct req *req, long long contract_id, bool *comments, bool *people)
{
    struct contract_meta meta = {0};
    bool priv = auth_sees_private(req, contract_id);
    if (contract_meta_get(req->db, contract_id, &meta) != ERR_OK)
        meta = (struct contract_meta){0};
    *comments = priv || meta.public_remarks;
    *people = priv || meta.public_people;
}

void sheet_api_fields(struct req *req, struct buf *b, const struct action *x)
{
    struct sheet *s = arena_alloc(req->arena, sizeof *s);
    struct indicator *inds = NULL;
    int n_inds = 0, years[64], n_years = 0;
    if (sheet_get(req->db, req->arena, x->id, s) != ERR_OK ||
        indicator_list_action(req->db, req->arena, x->id, false, &inds, &n_inds) != ERR_OK ||
        sheet_plan_years(req->db, x->id, years, 64, &n_years) != ERR_OK)
        return; /* the action's own keys are still there */
    bool comments, people;
    visibility(req, x->contract_id, &comments, &people);
    buf_printf(b, ",\"sheet\":{\"state\":\"%j\",\"priority\":\"%j\",\"description\":", s->state,
               s->priority);
    json_text(b, s->description);
    buf_puts(b, ",\"objectives\":");
    json_text(b, s->objectives);
    buf_puts(b, ",\"target_public\":");
    json_text(b, s->target_public);
    for (int l = 0; l < SHEET_CHOICE_LISTS; l++) {
        buf_printf(b, ",\"%j\":", sheet_choice_lists[l]->name);
        json_keys(b, s->choices[l], s->n_choices[l]);
    }
    buf_printf(b, ",\"whole_territory\":%s,\"areas\":", s->whole_territory ? "true" : "false");
    json_keys(b, s->areas, s->n_areas);
    buf_puts(b, ",\"rhythm\":");
    json_text(b, s->rhythm);
    const char *dates[] = {s->planned_start, s->planned_end, s->actual_start, s->actual_end};
    static const char *const names[] = {"planned_start", "planned_end", "actual_start",
                                        "actual_end"};
    for (int i = 0; i < 4; i++) {
        buf_printf(b, ",\"%j\":", names[i]);
        json_text(b, dates[i]);
    }
    buf_puts(b, ",\"planned_budget\":");
    jeuros(b, s->planned_budget);
    buf_puts(b, ",\"actual_budget\":");
    jeuros(b, s->actual_budget);
    buf_puts(b, ",\"funders\":[");
    for (int i = 0; i < s->n_funders; i++) {
        const struct sheet_funder *f = &s->funders[i];
        const struct sheet_choice *c = sheet_choice_find(&sheet_funders, f->funder);
        buf_printf(b, "%s{\"funder\":", i ? "," : "");
        json_text(b, f->funder);
        buf_printf(b, ",\"name\":\"%j\",\"amount\":", c ? c->label : f->name);
        jeuros(b, f->amount);
        buf_putc(b, '}');
    }
    buf_puts(b, "],\"plan_years\":[");
    for (int i = 0; i < n_years; i++)
        buf_printf(b, "%s%d", i ? "," : "", years[i]);
    buf_puts(b, "]},\"indicators\":[");
    for (int i = 0; i < n_inds; i++) {
        if (i)
            buf_putc(b, ',');
        jindicator(b, &inds[i], comments, people);
    }
    buf_putc(b, ']');
}

int api_territory(struct req *req, struct res *res)
{
    struct territory t;
    int rc = area_territory(req->db, req->arena, req->ids[0], &t);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Territoire introuvable",
                          "Aucun territoire n'a ce numéro.");
    struct area *areas = NULL;
    int n = 0;
    if (rc != ERR_OK || area_list(req->db, req->arena, t.id, &areas, &n) != ERR_OK)
        return json_db_error(req, res);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_printf(b, "{\"id\":%lld,\"name\":\"%j\",\"kind\":", t.id, t.name);
    json_text(b, t.kind);
    for (int pass = 0; pass < 2; pass++) {
        buf_puts(b, pass ? "],\"communes\":[" : ",\"intercommunalities\":[");
        bool first = true;
        for (int i = 0; i < n; i++) {
            const struct area *x = &areas[i];
            if (str_eq(x->kind, "epci") != (pass == 0))
                continue;
            buf_printf(b, "%s{\"code\":\"%j\",\"name\":\"%j\"", first ? "" : ",", x->code,
                       x->name);
            if (pass)
                buf_printf(b, ",\"intercommunality\":\"%j\"", x->epci_code);
            buf_puts(b, ",\"population\":");
            json_number(b, x->population > 0, (double)x->population);
            buf_putc(b, '}');
            first = false;
        }
    }
    buf_puts(b, "]}\n");
    return 200;
}

int api_contract_indicators(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract_json(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct indicator *inds = NULL;
    int n = 0;
    if (indicator_list_contract(req->db, req->arena, c.id, &inds, &n) != ERR_OK)
        return json_db_error(req, res);
    bool comments, people;
    visibility(req, c.id, &comments, &people);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_printf(b, "{\"contract_id\":%lld,\"indicators\":[", c.id);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        jindicator(b, &inds[i], comments, people);
    }
    buf_puts(b, "]}\n");
    return 200;
}

/* ---- writes ------------------------------------------------------------------------------- */

/* The body as one JSON object (NULL for an empty body when empty_ok), or an error answered. */
static int load_body(struct req *req, struct res *res, bool empty_ok, json_t **out)
{
    *out = NULL;
    if (!req->body || req->body_len == 0) {
        if (empty_ok)
            return 0;
        return json_error(res, 400, NULL, "Le corps de la requête est vide : envoyez un objet "
                                          "JSON.");
    }
    if (!api_is_json(req->content_type))
        return json_error(res, 415, NULL, "Envoyez un objet JSON avec l'en-tête « "
                                          "Content-Type: application/json ».");
    json_error_t je;
    json_t *root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return json_error(res, 400, NULL, "Le corps de la requête doit être un objet JSON "
                                          "valide ({…}), sans champ répété.");
    }
    *out = root;
    return 0;
}

/* A text field: a string or null (""), at most max bytes, copied into the arena. */
static bool get_text(struct req *req, json_t *v, size_t max, const char **out)
{
    if (json_is_null(v)) {
        *out = "";
        return true;
    }
    if (!json_is_string(v) || json_string_length(v) > max)
        return false;
    *out = arena_strndup(req->arena, json_string_value(v), json_string_length(v));
    return true;
}

int api_indicator_value_submit(struct req *req, struct res *res)
{
    json_t *root;
    int rc = load_body(req, res, false, &root);
    if (rc)
        return rc;
    const char *period = NULL, *source = "", *comment = "", *bad = NULL;
    double value = 0;
    bool has_value = false;
    int status = 400;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (str_eq(key, "period")) {
            if (!json_is_string(v) || json_string_length(v) > 20)
                bad = "period";
            else
                period = arena_strdup(req->arena, json_string_value(v));
        } else if (str_eq(key, "value")) {
            if (!json_is_number(v))
                bad = "value";
            value = json_number_value(v);
            has_value = json_is_number(v);
        } else if (str_eq(key, "source")) {
            if (!get_text(req, v, 2000, &source))
                bad = "source";
        } else if (str_eq(key, "comment")) {
            if (!get_text(req, v, EDIT_TEXT_MAX, &comment))
                bad = "comment";
        } else {
            bad = arena_strdup(req->arena, key);
        }
        if (bad)
            break;
    }
    json_decref(root);
    if (bad)
        return json_error(res, 400, bad, "Ce champ est inconnu ou n'a pas le bon type : period "
                                         "(texte), value (nombre), source et comment (texte ou "
                                         "null).");
    char iso[11];
    status = 422;
    if (!period || indicator_parse_period(period, iso) != ERR_OK)
        return json_error(res, status, "period", "La période est requise : « 2023 », "
                                                 "« 2023-06 » ou « 2023-06-30 ».");
    if (!has_value || !isfinite(value) || fabs(value) > 1e15)
        return json_error(res, status, "value", "La valeur est requise : un nombre.");
    struct actor who = edit_actor(req);
    bool added = false;
    rc = indicator_value_add(req->db, &who, req->ids[0], iso, value, source, comment, &added);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Indicateur introuvable",
                          "Aucun indicateur n'a ce numéro.");
    if (rc == ERR_INVALID)
        return json_error(res, 422, NULL, "La valeur a été refusée : l'indicateur est peut-être "
                                          "archivé.");
    if (rc != ERR_OK)
        return page_error(req, res, 503, "Service indisponible",
                          "La valeur n'a pas pu être enregistrée ; rien n'a changé.");
    struct indicator x;
    if (indicator_get(req->db, req->arena, req->ids[0], &x) != ERR_OK)
        return json_db_error(req, res);
    bool comments, people;
    visibility(req, x.contract_id, &comments, &people);
    json_begin(res, added ? 201 : 200);
    buf_printf(&res->body, "{\"added\":%s,\"indicator\":", added ? "true" : "false");
    jindicator(&res->body, &x, comments, people);
    buf_puts(&res->body, "}\n");
    return res->status;
}

int api_action_validate(struct req *req, struct res *res)
{
    json_t *root;
    int rc = load_body(req, res, true, &root);
    if (rc)
        return rc;
    int current = 0, version = 0;
    bool archived;
    rc = action_meta(req->db, req->ids[0], &current, &archived);
    if (rc == ERR_NOTFOUND) {
        json_decref(root);
        return page_error(req, res, 404, "Action introuvable", "Aucune action n'a ce numéro.");
    }
    version = current;
    const char *key;
    json_t *v;
    const char *bad = NULL;
    json_object_foreach(root, key, v)
    {
        if (str_eq(key, "version") && json_is_integer(v) && json_integer_value(v) > 0 &&
            json_integer_value(v) < 2000000000)
            version = (int)json_integer_value(v);
        else
            bad = arena_strdup(req->arena, key);
    }
    json_decref(root);
    if (bad)
        return json_error(res, 400, bad, "Le seul champ possible est « version » (un entier).");
    if (rc != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "La base de données n'a pas "
                                                                 "répondu.");
    struct actor who = edit_actor(req);
    const char *why = NULL;
    rc = sheet_set_state(req->db, &who, req->ids[0], version, "validated", &why);
    if (rc == ERR_INVALID) {
        json_begin(res, 422);
        why = why ? why : "La fiche ne peut pas être validée.";
        buf_printf(&res->body, "{\"error\":\"%j\",\"field\":\"%s\"}\n", why,
                   strstr(why, "piste") ? "kind" : "indicators");
        return 422;
    }
    if (rc == ERR_CONFLICT) {
        json_begin(res, 409);
        buf_printf(&res->body, "{\"error\":\"%j\",\"current_version\":%d}\n",
                   "L'action a été modifiée depuis la version envoyée : relisez-la "
                   "(GET /api/v1/actions/{id}) et recommencez.",
                   current);
        return 409;
    }
    if (rc != ERR_OK)
        return page_error(req, res, 503, "Service indisponible",
                          "La validation n'a pas pu être enregistrée ; rien n'a changé.");
    return api_action_answer(req, res, req->ids[0]);
}
