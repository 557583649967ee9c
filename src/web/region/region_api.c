/* region_api.c — GET /api/v1/regions/{code}/summary: the figures of the regional page as JSON
 * (keys documented in docs/api.md), under the same permission and the same filters. Must not
 * count anything: the figures come from model/region. */
#include "base/str.h"
#include "store/db.h"
#include "model/core/status.h"
#include "web/kit/json.h"
#include "web/region/region.h"

static void put_years(struct buf *b, const struct region_contract *c)
{
    buf_puts(b, "\"years\":[");
    for (int y = 0; y < c->counts.n_years; y++) {
        const struct year_figures *f = &c->counts.figures[y];
        buf_printf(b, "%s{\"year\":%d,\"total\":%d,\"done\":%d,\"none\":%d,\"by_status\":{",
                   y ? "," : "", f->year, f->total, f->done, f->none);
        for (int s = 0; s < ST_COUNT; s++)
            buf_printf(b, "%s\"%j\":%d", s ? "," : "", status_key((enum status)s),
                       f->by_status[s]);
        buf_puts(b, "}}");
    }
    buf_puts(b, "]");
}

static void put_contract(struct buf *b, const struct region_contract *c)
{
    buf_printf(b, "{\"id\":%lld,\"title\":\"%j\",\"short_title\":", c->id, c->title);
    json_text(b, c->short_title);
    buf_printf(b,
               ",\"territory\":\"%j\",\"department\":{\"code\":\"%j\",\"name\":\"%j\"},"
               "\"generation\":",
               c->territory, c->department, c->department_name);
    json_int(b, c->generation);
    buf_printf(b, ",\"status\":\"%j\",\"start_year\":", c->status);
    json_int(b, c->start_year);
    buf_puts(b, ",\"end_year\":");
    json_int(b, c->end_year);
    buf_putc(b, ',');
    put_years(b, c);
    buf_printf(b,
               ",\"indicators\":{\"active\":%d,\"with_target\":%d,\"reached\":%d,"
               "\"without_value\":%d},\"governance\":{\"bodies\":%d,\"required\":%d,"
               "\"held\":%d,\"first_year\":",
               c->counts.indicators, c->counts.with_target, c->counts.reached,
               c->counts.unmeasured, c->counts.bodies, c->counts.gov_required, c->counts.gov_held);
    json_int(b, c->counts.gov_first);
    buf_puts(b, ",\"last_year\":");
    json_int(b, c->counts.gov_last);
    buf_puts(b, "},\"campaign\":");
    if (!c->counts.campaign_id)
        buf_puts(b, "null");
    else
        buf_printf(b,
                   "{\"id\":%lld,\"year\":%d,\"state\":\"%s\",\"total\":%d,\"answered\":%d,"
                   "\"rate\":%d}",
                   c->counts.campaign_id, c->counts.campaign_year,
                   c->counts.campaign_closed ? "closed" : "open", c->counts.campaign_total,
                   c->counts.campaign_answered,
                   figures_percent(c->counts.campaign_answered, c->counts.campaign_total));
    buf_putc(b, '}');
}

static void put_summary(struct buf *b, const struct region_filter *f,
                        const struct region_summary *s)
{
    buf_printf(b, "{\"region\":{\"code\":%lld,\"name\":\"%j\"},\"filter\":{\"department\":",
               s->region.code, s->region.name);
    json_text(b, f->department);
    buf_puts(b, ",\"generation\":");
    json_int(b, f->generation);
    buf_printf(b, "},\"count\":%d,\"contracts\":[", s->n);
    for (int i = 0; i < s->n; i++) {
        if (i)
            buf_putc(b, ',');
        put_contract(b, &s->contracts[i]);
    }
    buf_puts(b, "]}\n");
}

int api_region_summary(struct req *req, struct res *res)
{
    struct region_filter f;
    int rc = region_filter_read(req, res, &f);
    if (rc)
        return rc;
    unsigned long long generation = store_generation(req->db);
    const char *key = region_memo_key(req, &f, "api");
    struct buf body = {0};
    if (!region_memo_get(key, generation, &body)) {
        struct region_summary *s = arena_alloc(req->arena, sizeof *s);
        rc = region_load(req, res, &f, s);
        if (rc) {
            buf_free(&body);
            return rc;
        }
        put_summary(&body, &f, s);
        region_memo_put(key, generation, body.p, body.len);
    }
    json_begin(res, 200);
    buf_append(&res->body, body.p, body.len);
    buf_free(&body);
    return 200;
}
