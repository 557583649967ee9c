/* api.c — the reading side of the JSON API under /api/v1/: contracts, their objectives and
 * actions, one action with its history (writes: api_write.c). Its keys are a contract with API
 * users: add, never rename. Must not contain SQL (data comes from src/model/); every string goes
 * out through %j. */
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "web/api/api.h"
#include "web/core/auth.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/json.h"
#include "web/kit/load.h"
#include "web/http/page.h"

static void json_status(struct buf *b, enum status s)
{
    json_text(b, status_key(s));
}

/* "carrier": {"id", "name"} or null. */
static void json_carrier(struct buf *b, const struct action *x)
{
    if (x->carrier_id)
        buf_printf(b, "{\"id\":%lld,\"name\":\"%j\"}", x->carrier_id, x->carrier_name);
    else
        buf_puts(b, "null");
}

int api_contracts(struct req *req, struct res *res)
{
    struct contract *list;
    int n;
    if (contract_list(req->db, req->arena, &list, &n) != ERR_OK)
        return json_db_error(req, res);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_puts(b, "{\"contracts\":[");
    for (int i = 0; i < n; i++) {
        const struct contract *c = &list[i];
        buf_printf(b, "%s{\"id\":%lld,\"title\":\"%j\",\"territory\":{\"id\":%lld,"
                      "\"name\":\"%j\"},\"short_title\":",
                   i ? "," : "", c->id, c->title, c->territory.id, c->territory.name);
        json_text(b, c->short_title);
        buf_puts(b, ",\"generation\":");
        json_int(b, c->generation);
        buf_puts(b, ",\"start_year\":");
        json_int(b, c->start_year);
        buf_puts(b, ",\"end_year\":");
        json_int(b, c->end_year);
        buf_puts(b, ",\"signed_on\":");
        json_text(b, c->signed_on);
        buf_putc(b, '}');
    }
    buf_puts(b, "]}\n");
    return 200;
}

int api_contract_objectives(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract_json(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct objective *objs;
    int n;
    if (objective_list(req->db, req->arena, c.id, &objs, &n) != ERR_OK)
        return json_db_error(req, res);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_puts(b, "{\"objectives\":[");
    for (int i = 0; i < n; i++) {
        const struct objective *o = &objs[i];
        buf_printf(b, "%s{\"id\":%lld,\"parent_id\":", i ? "," : "", o->id);
        json_int(b, o->parent_id);
        buf_printf(b, ",\"level\":\"%j\",\"code\":", objective_level_key(o->level));
        json_text(b, o->code);
        buf_printf(b, ",\"title\":\"%j\",\"position\":%d}", o->title, o->position);
    }
    buf_puts(b, "]}\n");
    return 200;
}

int api_contract_actions(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract_json(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    /* Without ?year= the API answers for the contract's reporting year, like the pages. */
    struct year_choice y = {0};
    const char *year = req_query(req, "year");
    if (str_blank(year) && figures_reporting_year(req->db, c.id, &y.year, NULL) != ERR_OK)
        return json_db_error(req, res);
    if (!str_blank(year)) {
        long long v;
        if (str_to_ll(year, 1900, 2200, &v) != ERR_OK)
            return page_error(req, res, 400, "Année invalide",
                              "Le paramètre year doit être une année écrite en chiffres, "
                              "par exemple 2023.");
        y.year = (int)v;
    }
    struct objective *objs;
    int n_objs;
    if (objective_list(req->db, req->arena, c.id, &objs, &n_objs) != ERR_OK)
        return json_db_error(req, res);
    struct action_filter f;
    const char *why = NULL;
    if (filter_parse_actions(req, c.id, &y, objs, n_objs, &f, &why) != ERR_OK)
        return page_error(req, res, 400, "Filtre invalide", why ? why : "Filtre invalide.");
    struct action *list;
    int n;
    if (action_list(req->db, req->arena, &f, &list, &n) != ERR_OK)
        return json_db_error(req, res);
    struct year_figures fig = {0};
    if (y.year && figures_for_year(req->db, c.id, y.year, &fig) != ERR_OK)
        return json_db_error(req, res);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_puts(b, "{\"year\":");
    json_int(b, y.year);
    /* The year's counts, by the rule every page uses (figures.h): the actions that exist that
     * year, by status; "none": those without a status that year. */
    if (y.year) {
        buf_puts(b, ",\"counts\":{");
        for (int s = 0; s < ST_COUNT; s++)
            buf_printf(b, "\"%j\":%d,", status_key((enum status)s), fig.by_status[s]);
        buf_printf(b, "\"none\":%d,\"done_any\":%d,\"total\":%d}", fig.none, fig.done,
                   fig.total);
    }
    buf_puts(b, ",\"actions\":[");
    for (int i = 0; i < n; i++) {
        const struct action *x = &list[i];
        buf_printf(b, "%s{\"id\":%lld,\"code\":", i ? "," : "", x->id);
        json_text(b, x->code);
        buf_printf(b, ",\"kind\":\"%j\",\"title\":\"%j\",\"carrier\":", x->kind, x->title);
        json_carrier(b, x);
        buf_puts(b, ",\"objective_code\":");
        json_text(b, x->objective_code);
        buf_puts(b, ",\"status\":");
        json_status(b, x->status);
        buf_putc(b, '}');
    }
    buf_puts(b, "]}\n");
    return 200;
}

int api_action(struct req *req, struct res *res)
{
    return api_action_answer(req, res, req->ids[0]);
}

int api_action_answer(struct req *req, struct res *res, long long id)
{
    struct action x;
    int version = 0;
    bool archived = false;
    int rc = action_get(req->db, req->arena, id, 0, &x);
    if (rc == ERR_OK)
        rc = action_meta(req->db, id, &version, &archived);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable", "Aucune action n'a ce numéro.");
    /* Remarks and who recorded a status follow the pages' rule: the contract's own people, or
     * everyone when the contract makes them public; a source document is always named. */
    struct contract_meta meta = {0};
    if (rc == ERR_OK)
        rc = contract_meta_get(req->db, x.contract_id, &meta);
    if (rc != ERR_OK)
        return json_db_error(req, res);
    bool priv = auth_sees_private(req, x.contract_id);
    bool remarks = priv || meta.public_remarks, people = priv || meta.public_people;
    json_begin(res, 200);
    struct buf *b = &res->body;
    /* version: what a write (POST /api/v1/actions/{id}) must send back. */
    buf_printf(b, "{\"id\":%lld,\"version\":%d,\"archived\":%s,\"contract_id\":%lld,"
                  "\"objective_id\":%lld,\"objective_code\":",
               x.id, version, archived ? "true" : "false", x.contract_id, x.objective_id);
    json_text(b, x.objective_code);
    buf_printf(b, ",\"objective_title\":\"%j\",\"kind\":\"%j\",\"code\":", x.objective_title,
               x.kind);
    json_text(b, x.code);
    buf_printf(b, ",\"title\":\"%j\",\"carrier\":", x.title);
    json_carrier(b, &x);
    buf_puts(b, ",\"carrier_label\":");
    json_text(b, x.carrier_label);
    buf_puts(b, ",\"notes\":");
    json_text(b, x.notes);
    buf_puts(b, ",\"organisations\":[");
    for (int i = 0; i < x.n_orgs; i++) {
        const struct action_org *o = &x.orgs[i];
        buf_printf(b, "%s{\"id\":%lld,\"name\":\"%j\",\"type\":", i ? "," : "", o->id, o->name);
        json_text(b, o->type);
        buf_printf(b, ",\"role\":\"%j\"}", o->role);
    }
    buf_puts(b, "],\"status\":");
    json_status(b, x.status);
    buf_puts(b, ",\"statuses\":[");
    for (int i = 0; i < x.n_history; i++) {
        const struct status_entry *e = &x.history[i];
        buf_printf(b, "%s{\"year\":%d,\"status\":", i ? "," : "", e->year);
        json_status(b, e->status);
        buf_puts(b, ",\"status_as_written\":");
        json_text(b, e->as_written);
        buf_puts(b, ",\"remarks\":");
        json_text(b, remarks ? e->remarks : NULL);
        buf_puts(b, ",\"recommendations\":");
        json_text(b, remarks ? e->recommendations : NULL);
        buf_puts(b, ",\"recorded_at\":");
        json_text(b, e->recorded_at);
        buf_puts(b, ",\"recorded_by\":");
        json_text(b, !e->account_id || people ? e->recorded_by : NULL);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
    sheet_api_fields(req, b, &x); /* the action sheet and its indicators (api_sheets.c) */
    buf_puts(b, "}\n");
    return 200;
}
