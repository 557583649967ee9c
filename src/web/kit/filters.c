/* filters.c — query-string reading (ids, year, the action list's filters), the list's URL built
 * back from a filter, and French date display, shared by the screens. Must not contain SQL nor
 * write whole pages: data comes from src/model/, layout from page.c. */
#include "web/kit/filters.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/core/organisation.h"
#include "model/core/status.h"

/* A French sentence built with the escaping printf (raw %s only: HTML escaping is done when the
 * sentence is shown), copied into the arena. */
static const char *sentence_text(struct arena *a, const char *fmt, const char *key,
                                 const char *value)
{
    struct buf b = {0};
    buf_printf(&b, fmt, key, value); /* printf-unchecked: sentence_text is in PRINTERS */
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The query parameter key, NULL when absent or blank (an empty select of a GET form). */
static const char *param(const struct req *r, const char *key)
{
    const char *v = req_query(r, key);
    return str_blank(v) ? NULL : v;
}

int filter_param_id(const struct req *r, const char *key, long long *out)
{
    *out = 0;
    const char *v = param(r, key);
    if (!v)
        return ERR_OK;
    return str_to_ll(v, 1, 999999999999LL, out) == ERR_OK ? ERR_OK : ERR_INVALID;
}

int filter_year(struct req *r, long long contract_id, struct year_choice *y)
{
    if (contract_status_years(r->db, contract_id, y->years, FILTER_MAX_YEARS, &y->n_years) < 0)
        return ERR_DB;
    /* The default is the contract's reporting year, never merely the latest year written. */
    if (figures_reporting_year(r->db, contract_id, &y->year, NULL) < 0)
        return ERR_DB;
    const char *v = param(r, "year");
    if (!v)
        return ERR_OK;
    long long year;
    if (str_to_ll(v, 1900, 2200, &year) != ERR_OK)
        return ERR_INVALID;
    y->year = (int)year;
    return ERR_OK;
}

/* Checks that id names an objective of the contract at the given level. */
static bool objective_at(const struct objective *objs, int n, long long id,
                         enum objective_level level)
{
    int i = objective_index(objs, n, id);
    return i >= 0 && objs[i].level == level;
}

static bool one_of(const char *v, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(v, list[i]) == 0)
            return true;
    return false;
}

int filter_parse_actions(struct req *r, long long contract_id, const struct year_choice *y,
                         const struct objective *objs, int n_objs, struct action_filter *f,
                         const char **why)
{
    static const struct {
        const char *key;
        enum objective_level level;
        const char *what;
    } levels[] = {
        {"strategic", OBJ_STRATEGIC, "un axe (objectif stratégique)"},
        {"specific", OBJ_SPECIFIC, "un objectif spécifique"},
        {"operational", OBJ_OPERATIONAL, "un objectif opérationnel"},
    };
    memset(f, 0, sizeof *f);
    f->contract_id = contract_id;
    f->year = y->year;
    long long *ids[] = {&f->strategic_id, &f->specific_id, &f->operational_id};
    for (int i = 0; i < 3; i++) {
        const char *v = param(r, levels[i].key);
        if (filter_param_id(r, levels[i].key, ids[i]) != ERR_OK ||
            (v && !objective_at(objs, n_objs, *ids[i], levels[i].level))) {
            struct buf text = {0};
            buf_printf(&text,
                       "Le paramètre « %s » doit désigner %s de ce contrat ; la valeur « %s » "
                       "n'en désigne aucun. Choisissez-le dans la liste du formulaire.",
                       levels[i].key, levels[i].what, text_short(r->arena, v, 40));
            *why = arena_strdup(r->arena, buf_cstr(&text));
            buf_free(&text);
            return ERR_INVALID;
        }
    }
    if (filter_param_id(r, "carrier", &f->carrier_id) != ERR_OK) {
        *why = sentence_text(r->arena,
                             "Le paramètre « %s » doit être le numéro d'une organisation ; « %s » "
                             "n'en est pas un.",
                             "carrier", text_short(r->arena, param(r, "carrier"), 40));
        return ERR_INVALID;
    }
    static const char *const kinds[] = {"sheet", "lead", NULL};
    f->kind = param(r, "kind");
    if (f->kind && !one_of(f->kind, kinds)) {
        *why = sentence_text(r->arena,
                             "Le paramètre « %s » vaut « %s » : les valeurs possibles sont sheet "
                             "(fiche action) et lead (piste d'action).",
                             "kind", text_short(r->arena, f->kind, 40));
        return ERR_INVALID;
    }
    f->status = param(r, "status");
    if (f->status && status_from_key(f->status) == ST_NONE && !str_eq(f->status, "done_any") &&
        !str_eq(f->status, "none")) {
        *why = sentence_text(
            r->arena,
            "Le paramètre « %s » vaut « %s », qui n'est pas un état d'avancement "
            "connu : done_closed, done_recurring, done, in_progress, reflection, "
            "not_started, abandoned, done_any (toutes les réalisées) ou none (sans "
            "état).",
            "status", text_short(r->arena, f->status, 40));
        return ERR_INVALID;
    }
    f->carrier_type = param(r, "carrier_type");
    if (f->carrier_type && !organisation_type_valid(f->carrier_type)) {
        *why = sentence_text(
            r->arena,
            "Le paramètre « %s » vaut « %s », qui n'est pas un type d'organisation "
            "connu. Choisissez-le dans la liste du formulaire.",
            "carrier_type", text_short(r->arena, f->carrier_type, 40));
        return ERR_INVALID;
    }
    const char *nc = param(r, "no_carrier");
    if (nc && !str_eq(nc, "1") && !str_eq(nc, "0") && !str_eq(nc, "on")) {
        *why = sentence_text(r->arena,
                             "Le paramètre « %s » vaut « %s » : il s'utilise avec la valeur "
                             "1 (actions sans porteur).",
                             "no_carrier", text_short(r->arena, nc, 40));
        return ERR_INVALID;
    }
    f->no_carrier = nc && !str_eq(nc, "0");
    f->text = param(r, "q");
    static const char *const sorts[] = {"code", "title", "carrier", "status", NULL};
    f->sort = param(r, "sort");
    if (f->sort && !one_of(f->sort, sorts)) {
        *why = sentence_text(r->arena,
                             "Le paramètre « %s » vaut « %s » : on peut trier par code, title "
                             "(intitulé), carrier (porteur) ou status (état).",
                             "sort", text_short(r->arena, f->sort, 40));
        return ERR_INVALID;
    }
    const char *dir = param(r, "dir");
    if (dir && !str_eq(dir, "asc") && !str_eq(dir, "desc")) {
        *why = sentence_text(r->arena,
                             "Le paramètre « %s » vaut « %s » : les valeurs possibles sont "
                             "asc (croissant) et desc (décroissant).",
                             "dir", text_short(r->arena, dir, 40));
        return ERR_INVALID;
    }
    f->desc = str_eq(dir, "desc");
    const char *plan = param(r, "plan");
    long long plan_year = 0;
    if (plan && str_to_ll(plan, 1990, 2100, &plan_year) != ERR_OK) {
        *why = sentence_text(r->arena,
                             "Le paramètre « %s » vaut « %s » : c'est l'année d'un plan "
                             "annuel, par exemple 2024.",
                             "plan", text_short(r->arena, plan, 40));
        return ERR_INVALID;
    }
    f->plan_year = (int)plan_year;
    return ERR_OK;
}

void filter_url(struct buf *b, const char *path, const struct action_filter *f)
{
    buf_puts(b, path);
    char sep = '?';
#define ADD_ID(key, v)                                        \
    if (v) {                                                  \
        buf_printf(b, "%c%u=%lld", sep, key, (long long)(v)); \
        sep = '&';                                            \
    }
#define ADD_TEXT(key, v)                         \
    if ((v) && *(v)) {                           \
        buf_printf(b, "%c%u=%u", sep, key, (v)); \
        sep = '&';                               \
    }
    ADD_ID("year", f->year);
    ADD_ID("strategic", f->strategic_id);
    ADD_ID("specific", f->specific_id);
    ADD_ID("operational", f->operational_id);
    ADD_TEXT("kind", f->kind);
    ADD_TEXT("status", f->status);
    ADD_ID("carrier", f->carrier_id);
    ADD_ID("no_carrier", f->no_carrier ? 1 : 0);
    ADD_TEXT("carrier_type", f->carrier_type);
    ADD_TEXT("q", f->text);
    ADD_ID("plan", f->plan_year);
    if (f->sort && *f->sort) {
        ADD_TEXT("sort", f->sort);
        ADD_TEXT("dir", f->desc ? "desc" : "asc");
    }
#undef ADD_ID
#undef ADD_TEXT
}

const char *filter_list_href(struct arena *a, const struct action_filter *f)
{
    char path[64];
    snprintf(path, sizeof path, "/contracts/%lld/actions", f->contract_id);
    struct buf b = {0};
    filter_url(&b, path, f);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

const char *date_fr(struct arena *a, const char *iso)
{
    if (!iso)
        return "";
    char day[11], fr[32], *out = arena_alloc(a, 64);
    size_t len = strlen(iso);
    /* a time stamp "AAAA-MM-JJTHH:MM…": the day, then the time as it stands */
    if (len >= 16 && iso[10] == 'T' && iso[13] == ':' && strspn(iso + 11, "0123456789") == 2 &&
        strspn(iso + 14, "0123456789") >= 2) {
        snprintf(day, sizeof day, "%.10s", iso);
        if (date_fr_short(day, fr)) {
            snprintf(out, 64, "%s à %.5s", fr, iso + 11);
            return out;
        }
    }
    if (date_fr_short(iso, fr)) {
        snprintf(out, 64, "%s", fr);
        return out;
    }
    return iso;
}
