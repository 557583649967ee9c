/* governance_api.c — the JSON API of governance: a contract's meetings of a year and its
 * governance figures per body. Its keys are a contract with API users: add, never rename. Must
 * not contain SQL (data comes from src/model/); every string goes out through %j; people's
 * names never appear (attendance is counted, not listed). */
#include "model/governance/body.h"
#include "model/core/contract.h"
#include "model/governance/governance.h"
#include "model/governance/meeting.h"
#include "web/governance/governance.h"
#include "web/core/handlers.h"
#include "web/kit/json.h"
#include "web/kit/load.h"
#include "web/http/page.h"

/* ?year=Y: 0 when absent; -1 when not a year. */
static int query_year(const struct req *req)
{
    const char *v = req_query(req, "year");
    long long y;
    if (str_blank(v))
        return 0;
    return str_to_ll(v, 1900, 2200, &y) == ERR_OK ? (int)y : -1;
}

int api_contract_meetings(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    int year = query_year(req);
    if (year < 0)
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2022.");
    struct meeting_filter f = {.contract_id = c.id, .year = year};
    struct meeting *ms;
    int n;
    if (meeting_list(req->db, req->arena, &f, &ms, &n) != ERR_OK)
        return json_db_error(req, res);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_printf(b, "{\"contract_id\":%lld,\"year\":", c.id);
    if (year)
        buf_printf(b, "%d", year);
    else
        buf_puts(b, "null");
    buf_printf(b, ",\"count\":%d,\"meetings\":[", n);
    for (int i = 0; i < n; i++) {
        const struct meeting *m = &ms[i];
        buf_printf(b, "%s{\"id\":%lld,\"body\":", i ? "," : "", m->id);
        if (m->body_id)
            buf_printf(b, "{\"id\":%lld,\"name\":\"%j\",\"kind\":\"%j\"}", m->body_id,
                       m->body_name, m->body_kind);
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"title\":\"%j\",\"date\":\"%j\",\"date_precision\":\"%j\","
                      "\"end_date\":",
                   m->title, m->held_on, m->precision);
        json_text(b, m->end_on);
        buf_puts(b, ",\"start_time\":");
        json_text(b, m->start_time);
        buf_puts(b, ",\"end_time\":");
        json_text(b, m->end_time);
        buf_puts(b, ",\"place\":");
        json_text(b, m->place);
        buf_puts(b, ",\"video_url\":");
        json_text(b, m->video_url);
        buf_printf(b, ",\"status\":\"%j\",\"attendance\":{\"invited\":%d,\"present\":%d,"
                      "\"excused\":%d,\"absent\":%d,\"represented\":%d},\"uid\":\"%j\","
                      "\"sequence\":%d}",
                   m->status, m->n_invited, m->n_present, m->n_excused, m->n_absent,
                   m->n_represented, m->uid, m->sequence);
    }
    buf_puts(b, "]}\n");
    return 200;
}

int api_contract_governance(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    int year = query_year(req);
    if (year < 0 || (year == 0 && gov_year(req, &c, &year) != ERR_OK))
        return page_error(req, res, 400, "Paramètre invalide",
                          "Le paramètre « year » doit être une année, par exemple 2022.");
    const char *today = gov_today(req);
    struct body *bodies;
    struct gov_cell *grid;
    struct gov_summary sum;
    int nb, counts[BODY_KIND_COUNT + 1];
    if (body_list(req->db, req->arena, c.id, &bodies, &nb) != ERR_OK ||
        governance_grid(req->db, req->arena, c.id, bodies, nb, &year, 1, today, &grid) !=
            ERR_OK ||
        governance_summary(req->db, req->arena, c.id, today, &sum) != ERR_OK ||
        governance_held_by_kind(req->db, c.id, year, counts) != ERR_OK)
        return json_db_error(req, res);
    json_begin(res, 200);
    struct buf *b = &res->body;
    buf_printf(b, "{\"contract_id\":%lld,\"year\":%d,\"bodies\":[", c.id, year);
    for (int i = 0; i < nb; i++) {
        const struct gov_cell *g = &grid[i];
        buf_printf(b, "%s{\"id\":%lld,\"name\":\"%j\",\"kind\":\"%j\",\"theme\":", i ? "," : "",
                   bodies[i].id, bodies[i].name, bodies[i].kind);
        json_text(b, bodies[i].theme);
        buf_printf(b, ",\"required\":%d,\"required_max\":", g->required_min);
        if (g->required_max)
            buf_printf(b, "%d", g->required_max);
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"planned\":%d,\"held\":%d,\"overdue\":%d,\"year_over\":%s,"
                      "\"below_required\":%s}",
                   g->planned, g->held, g->overdue, g->year_over ? "true" : "false",
                   g->below_required ? "true" : "false");
    }
    buf_puts(b, "],\"held_by_kind\":{");
    for (int k = 0; k < BODY_KIND_COUNT; k++)
        buf_printf(b, "\"%j\":%d,", body_kinds[k], counts[k]);
    buf_printf(b, "\"none\":%d},\"contract\":{\"required\":%d,\"held\":%d,\"first_year\":",
               counts[BODY_KIND_COUNT], sum.required, sum.held);
    if (sum.first_year)
        buf_printf(b, "%d,\"last_year\":%d}}\n", sum.first_year, sum.last_year);
    else
        buf_puts(b, "null,\"last_year\":null}}\n");
    return 200;
}
