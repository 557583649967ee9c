/* tracking.c — what the rows of a tracking table mean: header recognition, validation of every
 * row, the plan of every change (matching or creating objectives, actions and carriers, the
 * year's statuses) and its application with the coordinator's choices (the export is in
 * tracking_export.c). Must not read or write files, know CSV, or produce HTML. */
#include "model/import/tracking.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "model/core/status.h"
#include "model/import/tracking_match.h"
#include "model/core/audit.h"
#include "store/rows.h"

/* Other spellings of the headers, folded with '_' for blanks (see header_key). */
static const struct {
    const char *name;
    enum tracking_column col;
} header_variants[] = {
    {"code_de_l'objectif", TRK_OBJECTIVE_CODE},
    {"fiche_action", TRK_SHEET},
    {"code_fiche", TRK_SHEET},
    {"porteurs", TRK_CARRIER},
    {"etat_d'avancement", TRK_STATUS},
    {"remarque", TRK_REMARKS},
    {"preconisation", TRK_RECOMMENDATIONS},
    {"axe_strategique", TRK_AXIS},
    {"code_axe_strategique", TRK_AXIS_CODE},
    {"objectif_strategique", TRK_AXIS},
    {"code_objectif_strategique", TRK_AXIS_CODE},
    {"code_de_l'objectif_specifique", TRK_SPECIFIC_CODE},
};

/* ---- small helpers ---------------------------------------------------------------------- */

/* printf into the arena (buf_printf's conversions). */
static char *aprintf(struct arena *a, const char *fmt, ...)
{
    struct buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

void tracking_column_letter(int column, char out[8])
{
    char rev[8];
    int n = 0;
    for (int c = column + 1; c > 0 && n < 7; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

char *tracking_error_text(const struct tracking_error *e, struct arena *a)
{
    char letter[8];
    tracking_column_letter(e->column, letter);
    if (e->line > 0 && e->column >= 0)
        return aprintf(a, "line %d, column %s: %s", e->line, letter, e->reason);
    if (e->line > 0)
        return aprintf(a, "line %d: %s", e->line, e->reason);
    return arena_strdup(a, e->reason);
}

static void add_error(struct arena *a, struct tracking_result *res, int line, int column,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_error(struct arena *a, struct tracking_result *res, int line, int column,
                      const char *fmt, ...)
{
    res->errors = rows_grow(a, res->errors, res->n_errors, &res->cap_errors, sizeof *res->errors);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    res->errors[res->n_errors++] = (struct tracking_error){line, column, arena_strdup(a, msg)};
}

/* A user's value to quote in a message: at most 60 bytes, cut on a character boundary. */
static const char *shown(struct arena *a, const char *s)
{
    return text_short_bytes(a, s, 60);
}

/* s without leading and trailing blanks, in the arena (s itself when there are none). */
static const char *trim(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n && strchr(" \t\r\n", s[i]))
        i++;
    while (n > i && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (i == 0 && s[n] == '\0')
        return s;
    return arena_strndup(a, s + i, n - i);
}

static char *fold(struct arena *a, const char *s)
{
    char *f = text_fold_dup(s);
    char *t = arena_strdup(a, f);
    free(f);
    return t;
}

/* ---- a string → id map (open addressing, in the arena) -------------------------------------- */

struct map_entry {
    const char *key;
    long long value;
};

struct map {
    struct map_entry *e;
    size_t cap, n;
};

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

static bool map_get(const struct map *m, const char *key, long long *value)
{
    if (!m->cap)
        return false;
    struct map_entry *e = map_slot(m, key);
    if (e->key && value)
        *value = e->value;
    return e->key != NULL;
}

/* Adds key → value unless key is there already (the first one wins). */
static void map_add(struct arena *a, struct map *m, const char *key, long long value)
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
static const char *pair_key(struct arena *a, int slot, const char *text)
{
    char head[24];
    int n = snprintf(head, sizeof head, "%d\x1f", slot);
    size_t len = strlen(text);
    char *k = arena_alloc(a, (size_t)n + len + 1);
    memcpy(k, head, (size_t)n);
    memcpy(k + n, text, len + 1);
    return k;
}

static const char *id_key(char buf[24], long long id)
{
    snprintf(buf, 24, "%lld", id);
    return buf;
}

/* ---- the header ------------------------------------------------------------------------- */

/* The folded name with blanks and '-' as '_' ("Code objectif" → "code_objectif"). */
static char *header_key(struct arena *a, const char *name)
{
    char *k = fold(a, name);
    for (char *p = k; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '_';
    return k;
}

static int header_column(const char *key)
{
    for (int c = 0; c < TRK_COLUMNS; c++)
        if (strcmp(key, tracking_headers[c]) == 0)
            return c;
    for (size_t i = 0; i < sizeof header_variants / sizeof header_variants[0]; i++)
        if (strcmp(key, header_variants[i].name) == 0)
            return (int)header_variants[i].col;
    return -1;
}

int tracking_read_header(const char *const *names, int n, int line, struct tracking_header *h,
                         struct arena *a, struct tracking_result *res)
{
    int before = res->n_errors;
    for (int c = 0; c < TRK_COLUMNS; c++)
        h->col[c] = -1;
    for (int i = 0; i < n; i++) {
        int c = header_column(header_key(a, names[i]));
        if (c < 0)
            continue; /* a column of the user's own: kept out of the way */
        if (h->col[c] >= 0) {
            char letter[8];
            tracking_column_letter(h->col[c], letter);
            add_error(a, res, line, i, "colonne « %s » en double (déjà en colonne %s)",
                      tracking_headers[c], letter);
            continue;
        }
        h->col[c] = i;
    }
    int missing = 0;
    for (int c = 0; c < TRK_REQUIRED; c++) {
        if (h->col[c] < 0) {
            add_error(a, res, line, n + missing, "colonne « %s » manquante%s",
                      tracking_headers[c], missing ? "" : " (en-têtes attendus : "
                      "code_objectif, objectif, action, fiche, porteur, etat, remarques, "
                      "preconisations)");
            missing++;
        }
    }
    return res->n_errors > before ? ERR_INVALID : ERR_OK;
}

/* ---- what the import knows ---------------------------------------------------------------- */

struct obj_slot {
    long long id; /* 0: to create */
    enum objective_level level;
    const char *code, *title;
    int parent; /* slot of the parent, -1 for none */
};

struct act_slot {
    long long id; /* 0: to create */
    int obj;      /* objective slot */
    const char *kind, *code, *title, *carrier_label, *carrier_name;
    long long carrier_id; /* 0: no carrier organisation */
    int line;             /* the row that names it in this table, 0 if none yet */
};

/* The actions one key finds, in contract order; rows take them in turn from cursor. */
struct group {
    int *items;
    int n, cap, cursor;
};

/* What one valid row will do. */
struct plan {
    int act;
    enum status status;
    const char *status_text, *carrier;
    long long org;      /* the carrier organisation the cell names (0: none, or new_org) */
    int new_org;        /* index in the plan's new organisations, -1 */
    int new_action;     /* index in the plan's new actions, -1 */
    int status_change;  /* index in the plan's replaced statuses, -1 */
    bool status_add;    /* a status of the year where there was none, or on a new action */
    bool carrier_change;
};

/* An organisation of the directory with all the names it is known by. */
struct org_entry {
    long long id;
    const char *name;
    const char **names;
    int n_names;
};

/* The latest status of the year of an existing action. */
struct last_status {
    long long id, account_id;
    const char *status, *remarks, *recommendations, *by, *at;
};

struct importer {
    struct store *db;
    struct arena *a;
    const struct tracking_import *opt;
    const struct tracking_header *h;
    const struct tracking_row *rows; /* the table's rows, for the new objectives' titles */
    struct tracking_result *res;
    struct obj_slot *objs;
    int n_objs, cap_objs;
    struct act_slot *acts;
    int n_acts, cap_acts;
    struct map obj_by_id, obj_by_code, obj_by_title, spec_by_code, new_titles;
    /* A new contract's upper tree: axes by code (or title when uncoded), and the row giving
     * the title of each axis and specific objective code. */
    struct map axis_by_key, axis_titles, spec_titles;
    int default_axis; /* the "Axe 1" of rows that name no axis, -1 until one needs it */
    struct map act_by_code, lead_by_title, nocode_by_title; /* key → group */
    struct group *groups;
    int n_groups, cap_groups;
    struct map orgs;
    bool orgs_loaded;
    struct org_entry *org_list;
    int n_org_list, cap_org_list;
    struct map act_by_id, links, last_by_action; /* action id → slot, line → action id,
                                                  * action id → index in last */
    struct last_status *last;
    int n_last, cap_last;
    int max_position, last_specific;
};

static int add_obj(struct importer *im, enum objective_level level, const char *code,
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
    if (!map_get(m, key, &g)) {
        im->groups = rows_grow(im->a, im->groups, im->n_groups, &im->cap_groups,
                               sizeof *im->groups);
        im->groups[im->n_groups] = (struct group){0};
        map_add(im->a, m, key, g = im->n_groups++);
    }
    struct group *gr = &im->groups[g];
    gr->items = rows_grow(im->a, gr->items, gr->n, &gr->cap, sizeof *gr->items);
    gr->items[gr->n++] = k;
}

/* Makes an action findable by (objective, code) and by (objective, title) as the import does. */
static void index_action(struct importer *im, int k)
{
    const struct act_slot *x = &im->acts[k];
    const char *title = tracking_norm(im->a, x->title);
    char idbuf[24];
    if (x->id)
        map_add(im->a, &im->act_by_id, id_key(idbuf, x->id), k);
    if (*x->code)
        group_add(im, &im->act_by_code, pair_key(im->a, x->obj, x->code), k);
    else
        group_add(im, &im->nocode_by_title, pair_key(im->a, x->obj, title), k);
    if (strcmp(x->kind, "lead") == 0)
        group_add(im, &im->lead_by_title, pair_key(im->a, x->obj, title), k);
}

/* The first action key finds in m that no row has taken yet, or -1; *last gets the last one
 * taken (-1 if none). Each group is walked once over the whole table. */
static int next_unclaimed(struct importer *im, const struct map *m, const char *key, int *last)
{
    long long g;
    *last = -1;
    if (!map_get(m, key, &g))
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
        int k = add_obj(im, objs[i].level, trim(im->a, objs[i].code), trim(im->a, objs[i].title),
                        -1);
        im->objs[k].id = objs[i].id;
        map_add(im->a, &im->obj_by_id, id_key(idbuf, objs[i].id), k);
    }
    /* A code names an operational objective first, then any other level. */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < im->n_objs; k++)
            if (*im->objs[k].code && (im->objs[k].level == OBJ_OPERATIONAL) == (pass == 0))
                map_add(im->a, &im->obj_by_code, im->objs[k].code, k);
    for (int k = 0; k < im->n_objs; k++)
        if (im->objs[k].level == OBJ_OPERATIONAL && *im->objs[k].title)
            map_add(im->a, &im->obj_by_title, im->objs[k].title, k);

    struct tracking_action *list;
    if ((rc = tracking_load_actions(im->db, im->a, contract_id, 0, &list, &n)) != ERR_OK)
        return rc;
    for (int i = 0; i < n; i++) {
        long long obj = -1;
        if (!map_get(&im->obj_by_id, id_key(idbuf, list[i].objective_id), &obj))
            continue; /* an objective of another contract: cannot happen */
        im->acts = rows_grow(im->a, im->acts, im->n_acts, &im->cap_acts, sizeof *im->acts);
        im->acts[im->n_acts] = (struct act_slot){
            .id = list[i].id, .obj = (int)obj, .kind = list[i].kind,
            .code = trim(im->a, list[i].code), .title = list[i].title,
            .carrier_label = list[i].carrier_label, .carrier_name = list[i].carrier_name,
            .carrier_id = list[i].carrier_id,
        };
        index_action(im, im->n_acts++);
        if (list[i].position > im->max_position)
            im->max_position = list[i].position;
    }
    return ERR_OK;
}

/* ---- validation of one row ---------------------------------------------------------------- */

/* The axis of a new contract's row: the one its code_axe / axe cells name (created with the
 * title the table gives it, else "Axe <code>"), or "Axe 1" for a row that names none. */
static int row_axis(struct importer *im, const struct tracking_row *r)
{
    struct arena *a = im->a;
    const char *code = trim(a, r->cells[TRK_AXIS_CODE]), *title = trim(a, r->cells[TRK_AXIS]);
    long long k;
    if (!*code && !*title) {
        if (im->default_axis < 0)
            im->default_axis = add_obj(im, OBJ_STRATEGIC, "", "Axe 1", -1);
        return im->default_axis;
    }
    const char *key = *code ? code : title;
    if (map_get(&im->axis_by_key, key, &k))
        return (int)k;
    long long row;
    if (*code && map_get(&im->axis_titles, code, &row))
        title = trim(a, im->rows[row].cells[TRK_AXIS]);
    k = add_obj(im, OBJ_STRATEGIC, code, *title ? title : aprintf(a, "Axe %s", code), -1);
    map_add(a, &im->axis_by_key, key, k);
    return (int)k;
}

/* A new contract's specific objective code for a row: its code_objectif_specifique cell, else
 * the operational code's first part ("1" for "1.2"). */
static const char *row_specific_code(struct importer *im, const struct tracking_row *r,
                                     const char *code)
{
    const char *given = trim(im->a, r->cells[TRK_SPECIFIC_CODE]);
    return *given ? given : arena_strndup(im->a, code, strcspn(code, "."));
}

/* A row puts specific objective slot spec under another axis than its own. */
static void two_axes_error(struct importer *im, const struct tracking_row *r, int spec)
{
    int column = im->h->col[TRK_AXIS_CODE] >= 0 ? im->h->col[TRK_AXIS_CODE] : im->h->col[TRK_AXIS];
    int axis = im->objs[spec].parent;
    add_error(im->a, im->res, r->line, column,
              "l'objectif spécifique « %s » est déjà sous l'axe « %s » : un objectif spécifique "
              "appartient à un seul axe",
              shown(im->a, im->objs[spec].code),
              axis >= 0 ? shown(im->a, im->objs[axis].title) : "");
}

/* The tree cells of a row whose operational objective (slot op) is known must say where it
 * is: its specific objective's code and its axis's code or title, when the row gives them. */
static bool tree_cells_agree(struct importer *im, const struct tracking_row *r, int op)
{
    struct arena *a = im->a;
    const char *spec = trim(a, r->cells[TRK_SPECIFIC_CODE]);
    const char *axis_code = trim(a, r->cells[TRK_AXIS_CODE]);
    const char *axis_title = trim(a, r->cells[TRK_AXIS]);
    int s = im->objs[op].parent;
    if (s < 0 || im->objs[s].level != OBJ_SPECIFIC)
        return true;
    if (*spec && strcmp(trim(a, im->objs[s].code), spec) != 0) {
        add_error(a, im->res, r->line, im->h->col[TRK_SPECIFIC_CODE],
                  "l'objectif « %s » est sous l'objectif spécifique « %s », pas « %s »",
                  shown(a, im->objs[op].code), shown(a, im->objs[s].code), shown(a, spec));
        return false;
    }
    int x = im->objs[s].parent;
    if (x < 0)
        return true;
    bool other = *axis_code ? strcmp(trim(a, im->objs[x].code), axis_code) != 0
                            : *axis_title && strcmp(trim(a, im->objs[x].title), axis_title) != 0;
    if (other)
        two_axes_error(im, r, s);
    return !other;
}

/* The specific objective spec_code of a new contract (created under the row's axis with the
 * title the table gives it, else "Objectif spécifique <code>"); -1 with an error when the
 * table puts it under two axes. */
static int plan_specific(struct importer *im, const struct tracking_row *r, const char *spec_code)
{
    struct arena *a = im->a;
    int axis = row_axis(im, r);
    long long k, row;
    if (map_get(&im->spec_by_code, spec_code, &k)) {
        if (im->objs[k].parent != axis) {
            two_axes_error(im, r, (int)k);
            return -1;
        }
        return (int)k;
    }
    const char *title = map_get(&im->spec_titles, spec_code, &row)
                            ? trim(a, im->rows[row].cells[TRK_SPECIFIC])
                            : aprintf(a, "Objectif spécifique %s", spec_code);
    k = add_obj(im, OBJ_SPECIFIC, spec_code, title, axis);
    map_add(a, &im->spec_by_code, spec_code, k);
    return (int)k;
}

/* A new contract's operational objective for a row: "1.1" under its specific objective (see
 * plan_specific); without a code, under the row's named specific objective or the one of the
 * row above. -1 with an error. */
static int plan_objective(struct importer *im, const struct tracking_row *r, const char *code,
                          const char *title)
{
    struct arena *a = im->a;
    const char *spec_given = trim(a, r->cells[TRK_SPECIFIC_CODE]);
    if (*code || *spec_given) {
        int k = plan_specific(im, r, row_specific_code(im, r, code));
        if (k < 0)
            return -1;
        if (!*code) {
            int op = add_obj(im, OBJ_OPERATIONAL, "", title, k);
            map_add(a, &im->obj_by_title, title, op);
            return op;
        }
        long long row;
        const char *op_title = map_get(&im->new_titles, code, &row)
                                   ? trim(a, im->rows[row].cells[TRK_OBJECTIVE])
                                   : aprintf(a, "Objectif opérationnel %s", code);
        int op = add_obj(im, OBJ_OPERATIONAL, code, op_title, k);
        map_add(a, &im->obj_by_code, code, op);
        map_add(a, &im->obj_by_title, op_title, op);
        return op;
    }
    if (im->last_specific < 0)
        im->last_specific = add_obj(im, OBJ_SPECIFIC, "", "Objectifs sans code", row_axis(im, r));
    int op = add_obj(im, OBJ_OPERATIONAL, "", title, im->last_specific);
    map_add(a, &im->obj_by_title, title, op);
    return op;
}

/* The objective slot a row names, or -1 with an error. */
static int row_objective(struct importer *im, const struct tracking_row *r, const char *code,
                         const char *title)
{
    struct arena *a = im->a;
    const int *col = im->h->col;
    long long k = -1;
    if (*code) {
        if (!map_get(&im->obj_by_code, code, &k)) {
            if (!im->opt->new_title) {
                add_error(a, im->res, r->line, col[TRK_OBJECTIVE_CODE],
                          "objectif « %s » inconnu dans ce contrat", shown(a, code));
                return -1;
            }
            k = plan_objective(im, r, code, title);
            if (k < 0)
                return -1;
        }
    } else if (!*title) {
        add_error(a, im->res, r->line, col[TRK_OBJECTIVE_CODE],
                  "code d'objectif et intitulé de l'objectif vides");
        return -1;
    } else if (!map_get(&im->obj_by_title, title, &k)) {
        if (!im->opt->new_title) {
            add_error(a, im->res, r->line, col[TRK_OBJECTIVE_CODE],
                      "code d'objectif vide et aucun objectif opérationnel de ce contrat "
                      "n'a pour intitulé « %s »", shown(a, title));
            return -1;
        }
        k = plan_objective(im, r, code, title);
        if (k < 0)
            return -1;
    }
    if (im->objs[k].level == OBJ_OPERATIONAL && !tree_cells_agree(im, r, (int)k))
        return -1;
    if (im->objs[k].parent >= 0 && im->objs[k].level == OBJ_OPERATIONAL)
        im->last_specific = im->objs[k].parent;
    return (int)k;
}

static bool is_lead(struct arena *a, const char *sheet)
{
    const char *f = fold(a, sheet);
    return strcmp(f, "piste") == 0 || strcmp(f, "piste d'action") == 0 ||
           strcmp(f, "piste d’action") == 0 || strcmp(f, "piste action") == 0;
}

/* A sheet code: 1 to 20 letters, digits, '.', '-', '_' or '/' ("1.2.3", "Piste1"). */
static bool is_sheet_code(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 20)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              strchr(".-_/", *s)))
            return false;
    return true;
}

/* The existing action the coordinator attached row r to (opt->links): its slot, -1 when none,
 * -2 with an error when that action is not one of the contract's or another row has it. */
static int linked_action(struct importer *im, const struct tracking_row *r)
{
    char buf[24];
    long long id, k;
    if (!map_get(&im->links, id_key(buf, r->line), &id))
        return -1;
    if (!map_get(&im->act_by_id, id_key(buf, id), &k)) {
        add_error(im->a, im->res, r->line, im->h->col[TRK_ACTION],
                  "l'action choisie (n° %lld) n'est pas une action de ce contrat", id);
        return -2;
    }
    if (im->acts[k].line) {
        add_error(im->a, im->res, r->line, im->h->col[TRK_ACTION],
                  "l'action choisie « %s » est déjà celle de la ligne %d",
                  shown(im->a, im->acts[k].title), im->acts[k].line);
        return -2;
    }
    return (int)k;
}

static void check_row(struct importer *im, const struct tracking_row *r, struct plan *p)
{
    struct arena *a = im->a;
    const int *col = im->h->col;
    int before = im->res->n_errors;
    p->act = -1;
    for (int c = 0; c < TRK_COLUMNS; c++) {
        if (!utf8_valid(r->cells[c], strlen(r->cells[c]))) {
            add_error(a, im->res, r->line, col[c], "texte qui n'est pas en UTF-8 valide "
                      "(enregistrez le fichier en « CSV UTF-8 »)");
            return;
        }
    }
    const char *code = trim(a, r->cells[TRK_OBJECTIVE_CODE]);
    const char *otitle = trim(a, r->cells[TRK_OBJECTIVE]);
    const char *title = trim(a, r->cells[TRK_ACTION]);
    const char *sheet = trim(a, r->cells[TRK_SHEET]);
    const char *status = trim(a, r->cells[TRK_STATUS]);
    int obj = row_objective(im, r, code, otitle);
    if (!*title)
        add_error(a, im->res, r->line, col[TRK_ACTION], "intitulé de l'action vide");
    const char *kind = "sheet", *sheet_code = "";
    if (is_lead(a, sheet))
        kind = "lead";
    else if (*sheet && is_sheet_code(sheet))
        sheet_code = sheet;
    else if (*sheet)
        add_error(a, im->res, r->line, col[TRK_SHEET],
                  "« %s » n'est ni un code de fiche action (chiffres, lettres et points, sans "
                  "espace, comme 1.2.3) ni « Piste »", shown(a, sheet));
    p->status = ST_NONE;
    p->status_text = status;
    if (*status) {
        p->status = status_parse(status);
        if (p->status == ST_NONE)
            add_error(a, im->res, r->line, col[TRK_STATUS],
                      "état inconnu « %s » (états reconnus : %s, %s, %s, %s, %s, %s, %s)",
                      shown(a, status), status_label(ST_DONE_CLOSED),
                      status_label(ST_DONE_RECURRING), status_label(ST_DONE),
                      status_label(ST_IN_PROGRESS), status_label(ST_REFLECTION),
                      status_label(ST_NOT_STARTED), status_label(ST_ABANDONED));
    } else if (!str_blank(r->cells[TRK_REMARKS]) || !str_blank(r->cells[TRK_RECOMMENDATIONS])) {
        add_error(a, im->res, r->line, col[TRK_STATUS],
                  "état vide alors que la ligne a des remarques ou des préconisations");
    }
    if (im->res->n_errors > before)
        return;

    /* Rows take the actions with their key in contract order; a key with none left is an
     * action named twice in the table (or a new one written twice): an error naming both. */
    const char *key = pair_key(a, obj, *sheet_code ? sheet_code : tracking_norm(a, title));
    struct map *m = *sheet_code ? &im->act_by_code
                    : strcmp(kind, "lead") == 0 ? &im->lead_by_title : &im->nocode_by_title;
    int last, k = next_unclaimed(im, m, key, &last);
    if (k < 0 && last >= 0) {
        add_error(a, im->res, r->line, *sheet_code ? col[TRK_SHEET] : col[TRK_ACTION],
                  "même %s qu'à la ligne %d (une seule ligne par action et par année)",
                  *sheet_code ? "fiche action" : "action", im->acts[last].line);
        return;
    }
    if (k < 0 && (k = linked_action(im, r)) == -2)
        return;
    if (k < 0) {
        im->acts = rows_grow(a, im->acts, im->n_acts, &im->cap_acts, sizeof *im->acts);
        im->acts[im->n_acts] = (struct act_slot){
            .obj = obj, .kind = kind, .code = sheet_code, .title = title,
            .carrier_label = trim(a, r->cells[TRK_CARRIER]), .carrier_name = "",
        };
        index_action(im, k = im->n_acts++);
    }
    struct act_slot *x = &im->acts[k];
    x->line = r->line;
    p->act = k;
    p->carrier = trim(a, r->cells[TRK_CARRIER]);
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
                const char *name = trim(im->a, tok);
                char *f = tracking_compact(im->a, name);
                if (!*f)
                    continue;
                map_add(im->a, &im->orgs, f, o->id);
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

static const char *org_name(const struct importer *im, long long id)
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
            .id = stmt_int(st, 0), .status = stmt_text(st, 2, im->a),
            .remarks = stmt_text(st, 3, im->a), .recommendations = stmt_text(st, 4, im->a),
            .by = stmt_text(st, 5, im->a), .at = stmt_text(st, 6, im->a),
            .account_id = stmt_int(st, 7),
        };
        long long k, action = stmt_int(st, 1);
        if (map_get(&im->last_by_action, id_key(buf, action), &k)) {
            im->last[k] = s; /* ordered by id: the latest one wins */
            continue;
        }
        im->last = rows_grow(im->a, im->last, im->n_last, &im->cap_last, sizeof *im->last);
        im->last[im->n_last] = s;
        map_add(im->a, &im->last_by_action, buf, im->n_last++);
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
    fp_add(h, id_key(buf, v));
}

/* The carrier a row names: an organisation of the directory (p->org) or a new one
 * (p->new_org), with the closest existing ones proposed. */
static void plan_carrier(struct importer *im, struct tracking_plan *plan, struct plan *p,
                         const struct tracking_row *r, struct map *new_orgs)
{
    const char *key = tracking_compact(im->a, p->carrier);
    long long k;
    if (map_get(&im->orgs, key, &p->org))
        return;
    if (map_get(new_orgs, key, &k)) {
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
        propose(o->proposals, &o->n_proposals,
                (struct tracking_proposal){e->id, e->name, best});
    }
    arena_free(&scratch);
    if (o->n_proposals && o->proposals[0].score >= TRACKING_STRONG)
        o->choice = o->proposals[0].id;
    map_add(im->a, new_orgs, key, plan->n_orgs);
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
                .line = rows[i].line, .title = x->title, .objective_code = im->objs[x->obj].code,
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
            bool same = !is_new && strcmp(cell, tracking_compact(a, x->carrier_id
                                                                 ? x->carrier_name
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
                    .line = rows[i].line, .new_org = p->new_org, .action_id = x->id,
                    .old_id = x->carrier_id, .new_id = p->org, .action = x->title,
                    .old_name = x->carrier_id ? x->carrier_name : x->carrier_label,
                    .new_name = p->org ? org_name(im, p->org) : p->carrier,
                };
                changed = true;
            }
        }
        if (p->status != ST_NONE) {
            long long k;
            const char *remarks = rows[i].cells[TRK_REMARKS];
            const char *recs = rows[i].cells[TRK_RECOMMENDATIONS];
            if (is_new || !map_get(&im->last_by_action, id_key(buf, x->id), &k)) {
                p->status_add = true;
                plan->statuses_added++;
                changed = true;
            } else if (strcmp(im->last[k].status, status_key(p->status)) != 0 ||
                       strcmp(im->last[k].remarks, remarks) != 0 ||
                       strcmp(im->last[k].recommendations, recs) != 0) {
                const struct last_status *l = &im->last[k];
                bool other = l->account_id && l->account_id != im->opt->account_id;
                plan->statuses[plan->n_statuses] = (struct tracking_status_change){
                    .line = rows[i].line, .action_id = x->id, .action = x->title,
                    .old_status = status_label(status_from_key(l->status)), .old_by = l->by,
                    .old_at = l->at, .new_status = status_label(p->status), .by_other = other,
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

/* ---- writing ------------------------------------------------------------------------------ */

/* The person the audit log names for the import's changes. */
static struct actor import_actor(const struct importer *im)
{
    return (struct actor){im->opt->account_id,
                          im->opt->recorded_by ? im->opt->recorded_by : "Import"};
}

/* Makes org the action's lead carrier in place of the current one. */
static int set_carrier(struct importer *im, struct act_slot *x, long long org, const char *name)
{
    int rc;
    if (x->carrier_id) {
        struct stmt *st = store_prepare(
            im->db, "DELETE FROM action_organisation WHERE action_id = ?1 AND (role = 'carrier' "
                    "OR (role = 'co_carrier' AND organisation_id = ?2))");
        stmt_bind_int(st, 1, x->id);
        stmt_bind_int(st, 2, org);
        if ((rc = stmt_exec(st)) != ERR_OK)
            return rc;
    }
    if ((rc = action_link_organisation(im->db, x->id, org, "carrier", 1)) != ERR_OK)
        return rc;
    struct actor who = import_actor(im);
    rc = audit_record(im->db, &who, "action", x->id, 0, "carrier",
                      x->carrier_id ? x->carrier_name : x->carrier_label, name);
    x->carrier_id = org;
    x->carrier_name = name;
    return rc;
}

static int create_contract(struct importer *im)
{
    struct contract c = {.title = (char *)im->opt->new_title};
    int rc = territory_ensure(im->db, im->opt->territory, "", "", &c.territory.id);
    if (rc == ERR_OK)
        rc = contract_create(im->db, &c, &im->res->contract_id);
    for (int k = 0; rc == ERR_OK && k < im->n_objs; k++) {
        struct obj_slot *s = &im->objs[k];
        struct objective o = {
            .parent_id = s->parent >= 0 ? im->objs[s->parent].id : 0,
            .level = s->level,
            .code = (char *)s->code,
            .title = (char *)s->title,
            .position = k + 1,
        };
        rc = objective_create(im->db, im->res->contract_id, &o, &s->id);
        im->res->objectives_created += rc == ERR_OK;
    }
    return rc;
}

/* The organisation new_orgs[k] stands for: the existing one chosen, or the one created for it
 * (once, when a row that is not left out first needs it). */
static int resolve_new_org(struct importer *im, const struct tracking_plan *plan,
                           long long *created, int k, long long *org)
{
    if (plan->orgs[k].choice > 0) {
        *org = plan->orgs[k].choice;
        return ERR_OK;
    }
    if (created[k]) {
        *org = created[k];
        return ERR_OK;
    }
    struct organisation o = {.name = (char *)plan->orgs[k].name, .type = "other"};
    int rc = organisation_create(im->db, &o, &created[k]);
    struct actor who = import_actor(im);
    if (rc == ERR_OK)
        rc = audit_record(im->db, &who, "organisation", created[k], 1, "created", "", o.name);
    im->res->organisations_created += rc == ERR_OK;
    *org = created[k];
    return rc;
}

/* Records the row's status of the year, attributed to the importing account. */
static int write_status(struct importer *im, const struct tracking_row *r, const struct plan *p,
                        struct act_slot *x)
{
    bool added;
    int rc = action_record_status(im->db, x->id, im->opt->year, p->status, p->status_text,
                                  r->cells[TRK_REMARKS], r->cells[TRK_RECOMMENDATIONS],
                                  im->opt->recorded_by, &added);
    if (rc != ERR_OK || !added)
        return rc;
    im->res->statuses_recorded++;
    if (im->opt->account_id) {
        struct stmt *st = store_prepare(im->db, "UPDATE action_status SET account_id = ?1 "
                                                "WHERE id = ?2");
        stmt_bind_int(st, 1, im->opt->account_id);
        stmt_bind_int(st, 2, store_last_id(im->db));
        if ((rc = stmt_exec(st)) != ERR_OK)
            return rc;
    }
    char field[40];
    snprintf(field, sizeof field, "status:%d", im->opt->year);
    struct actor who = import_actor(im);
    return audit_record(im->db, &who, "action", x->id, 0, field,
                        p->status_change >= 0 ? "replaced" : "", status_key(p->status));
}

/* Writes what the plans say, with the plan's choices; returns the failing row's line. */
static int write_rows(struct importer *im, const struct tracking_row *rows,
                      const struct plan *plans, int n, const struct tracking_plan *plan,
                      int *line)
{
    int rc = ERR_OK;
    if (im->opt->new_title && (rc = create_contract(im)) != ERR_OK)
        return rc;
    long long *created = arena_alloc(im->a, sizeof *created * (size_t)(plan->n_orgs + 1));
    struct actor who = import_actor(im);
    for (int i = 0; i < n; i++) {
        const struct plan *p = &plans[i];
        struct act_slot *x = &im->acts[p->act];
        *line = rows[i].line;
        if (p->new_action >= 0 && plan->actions[p->new_action].refuse) {
            im->res->rows_refused++;
            continue;
        }
        bool changed = false;
        long long org = p->org;
        if (p->new_org >= 0 && (rc = resolve_new_org(im, plan, created, p->new_org, &org)))
            return rc;
        if (p->new_action >= 0) {
            struct action a = {
                .contract_id = im->res->contract_id,
                .objective_id = im->objs[x->obj].id,
                .kind = (char *)x->kind,
                .code = (char *)x->code,
                .title = (char *)x->title,
                .carrier_label = (char *)x->carrier_label,
                .position = ++im->max_position,
            };
            if ((rc = action_create(im->db, &a, &x->id)) != ERR_OK ||
                (rc = audit_record(im->db, &who, "action", x->id, 1, "created", "", x->title)))
                return rc;
            /* A row of year Y's table is an action of Y, even without a status (figures.h). */
            if (im->opt->year && (rc = figures_action_since(im->db, x->id, im->opt->year)))
                return rc;
            im->res->actions_created++;
            changed = true;
            if (org && (rc = action_link_organisation(im->db, x->id, org, "carrier", 1)))
                return rc;
            x->carrier_id = org;
        } else if (p->carrier_change && org != x->carrier_id) {
            const char *name = p->new_org >= 0 && !plan->orgs[p->new_org].choice
                                   ? plan->orgs[p->new_org].name : org_name(im, org);
            if ((rc = set_carrier(im, x, org, name)) != ERR_OK)
                return rc;
            im->res->carriers_changed++;
            changed = true;
        }
        if (p->status_change >= 0 && plan->statuses[p->status_change].keep) {
            im->res->statuses_kept++;
        } else if (p->status != ST_NONE) {
            int before = im->res->statuses_recorded;
            if ((rc = write_status(im, &rows[i], p, x)) != ERR_OK)
                return rc;
            changed = changed || im->res->statuses_recorded > before;
        }
        im->res->unchanged += !changed;
    }
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
            add_error(im->a, im->res, 0, -1,
                      "le territoire « %s » a déjà un contrat « %s » (contrat n° %lld) : "
                      "importez dans ce contrat", shown(im->a, im->opt->territory),
                      shown(im->a, im->opt->new_title), list[i].id);
}

/* Records the first row naming the code in column code_col with a title in title_col, as the
 * title of that level of the tree; a later row giving the code another title is an error. */
static void name_tree_level(struct importer *im, struct map *titles, const struct tracking_row *r,
                            enum tracking_column code_col, enum tracking_column title_col,
                            const char *what)
{
    const char *code = trim(im->a, r->cells[code_col]);
    const char *title = trim(im->a, r->cells[title_col]);
    long long first;
    if (!*code || !*title)
        return;
    if (!map_get(titles, code, &first)) {
        map_add(im->a, titles, code, r - im->rows);
        return;
    }
    const struct tracking_row *f = &im->rows[first];
    if (strcmp(trim(im->a, f->cells[title_col]), title) != 0)
        add_error(im->a, im->res, r->line, im->h->col[title_col],
                  "%s « %s » porte ici le titre « %s » et ligne %d « %s » : un code, un titre",
                  what, shown(im->a, code), shown(im->a, title), f->line,
                  shown(im->a, trim(im->a, f->cells[title_col])));
}

/* Checks every row and computes the plan; reads only. */
static int check_rows(struct importer *im, const struct tracking_row *rows, int n,
                      struct plan *plans, struct tracking_plan *plan)
{
    int rc;
    char buf[24];
    for (int i = 0; i < im->opt->n_links; i++)
        map_add(im->a, &im->links, id_key(buf, im->opt->links[i].line),
                im->opt->links[i].action_id);
    if (im->opt->new_title) {
        check_new_contract(im);
        if (n == 0)
            add_error(im->a, im->res, 0, -1, "le tableau n'a aucune ligne : pas de contrat créé");
        for (int i = 0; i < n; i++) {
            const char *code = trim(im->a, rows[i].cells[TRK_OBJECTIVE_CODE]);
            if (*code && !str_blank(rows[i].cells[TRK_OBJECTIVE]))
                map_add(im->a, &im->new_titles, code, i);
            name_tree_level(im, &im->axis_titles, &rows[i], TRK_AXIS_CODE, TRK_AXIS, "l'axe");
            name_tree_level(im, &im->spec_titles, &rows[i], TRK_SPECIFIC_CODE, TRK_SPECIFIC,
                            "l'objectif spécifique");
        }
    } else {
        struct contract c;
        if ((rc = contract_get(im->db, im->a, im->opt->contract_id, &c)) != ERR_OK) {
            if (rc == ERR_NOTFOUND)
                add_error(im->a, im->res, 0, -1, "contrat n° %lld introuvable",
                          im->opt->contract_id);
            return rc;
        }
        if ((rc = load_contract(im, im->opt->contract_id)) != ERR_OK)
            return rc;
    }
    for (int i = 0; i < n; i++)
        check_row(im, &rows[i], &plans[i]);
    if (im->res->n_errors)
        return ERR_INVALID;
    return build_plan(im, rows, plans, n, plan);
}

static int start(struct importer *im, struct store *db, struct arena *a,
                 const struct tracking_import *opt, const struct tracking_row *rows, int n,
                 const struct tracking_header *h, struct tracking_result *res)
{
    memset(res, 0, sizeof *res);
    res->rows = n;
    res->contract_id = opt->contract_id;
    *im = (struct importer){
        .db = db,
        .a = a,
        .opt = opt,
        .h = h,
        .rows = rows,
        .res = res,
        .last_specific = -1,
        .default_axis = -1,
    };
    if (opt->new_title && (str_blank(opt->new_title) || str_blank(opt->territory))) {
        add_error(a, res, 0, -1, "titre du contrat ou nom du territoire vide");
        return ERR_INVALID;
    }
    return ERR_OK;
}

int tracking_plan(struct store *db, struct arena *a, const struct tracking_import *opt,
                  const struct tracking_row *rows, int n, const struct tracking_header *h,
                  struct tracking_plan *plan, struct tracking_result *res)
{
    struct importer im;
    memset(plan, 0, sizeof *plan);
    int rc = start(&im, db, a, opt, rows, n, h, res);
    if (rc != ERR_OK)
        return rc;
    struct plan *plans = arena_alloc(a, sizeof *plans * (size_t)(n + 1));
    rc = check_rows(&im, rows, n, plans, plan);
    if (rc != ERR_OK && res->n_errors == 0)
        add_error(a, res, 0, -1, "la base de données n'a pas pu être lue (%s)",
                  store_errmsg(db));
    return rc;
}

/* Copies the choices of confirmed onto plan (the same plan computed again); ERR_INVALID when a
 * choice is not one the plan offers. */
static int take_choices(struct importer *im, struct tracking_plan *plan,
                        const struct tracking_plan *confirmed)
{
    for (int i = 0; i < plan->n_orgs; i++) {
        long long c = confirmed->orgs[i].choice;
        bool ok = c == 0;
        for (int k = 0; k < plan->orgs[i].n_proposals && !ok; k++)
            ok = plan->orgs[i].proposals[k].id == c;
        if (!ok) {
            add_error(im->a, im->res, plan->orgs[i].line, im->h->col[TRK_CARRIER],
                      "« %s » : l'organisation choisie n'est pas une des propositions",
                      shown(im->a, plan->orgs[i].name));
            return ERR_INVALID;
        }
        plan->orgs[i].choice = c;
    }
    for (int i = 0; i < plan->n_statuses; i++)
        plan->statuses[i].keep = confirmed->statuses[i].keep;
    for (int i = 0; i < plan->n_actions; i++)
        plan->actions[i].refuse = confirmed->actions[i].refuse;
    return ERR_OK;
}

int tracking_apply(struct store *db, struct arena *a, const struct tracking_import *opt,
                   const struct tracking_row *rows, int n, const struct tracking_header *h,
                   const struct tracking_plan *confirmed, struct tracking_result *res)
{
    struct importer im;
    int rc = start(&im, db, a, opt, rows, n, h, res);
    if (rc != ERR_OK)
        return rc;
    struct plan *plans = arena_alloc(a, sizeof *plans * (size_t)(n + 1));
    struct tracking_plan plan;
    int line = 0;
    rc = store_begin(db);
    if (rc == ERR_OK)
        rc = check_rows(&im, rows, n, plans, &plan);
    if (rc == ERR_OK && (strcmp(plan.fingerprint, confirmed->fingerprint) != 0 ||
                         plan.n_orgs != confirmed->n_orgs ||
                         plan.n_actions != confirmed->n_actions ||
                         plan.n_statuses != confirmed->n_statuses)) {
        add_error(a, res, 0, -1, "les données ont changé depuis l'aperçu (un autre import ou "
                                 "une saisie) : rien n'a été importé, vérifiez le nouvel aperçu");
        rc = ERR_CONFLICT;
    }
    if (rc == ERR_OK)
        rc = take_choices(&im, &plan, confirmed);
    if (rc == ERR_OK)
        rc = write_rows(&im, rows, plans, n, &plan, &line);
    if (rc == ERR_OK && res->actions_created + res->organisations_created +
                            res->carriers_changed + res->statuses_recorded > 0) {
        /* One line of the contract's journal for the whole import, beside each change (an
         * import that changes nothing writes nothing). */
        struct actor who = import_actor(&im);
        char field[40];
        snprintf(field, sizeof field, "import:%d", opt->year);
        rc = audit_record(db, &who, "contract", res->contract_id, 0, field, "",
                          aprintf(a, "%d lignes : %d actions créées, %d organisations créées, "
                                     "%d porteurs changés, %d états enregistrés, %d gardés, "
                                     "%d lignes refusées", res->rows, res->actions_created,
                                  res->organisations_created, res->carriers_changed,
                                  res->statuses_recorded, res->statuses_kept,
                                  res->rows_refused));
    }
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc == ERR_OK)
        return ERR_OK;
    if (res->n_errors == 0)
        add_error(a, res, line, -1, "la base de données a refusé l'écriture (%s) : rien n'a été "
                  "importé", store_errmsg(db));
    store_rollback(db);
    /* Nothing was written: no counts. */
    *res = (struct tracking_result){.rows = res->rows, .contract_id = opt->contract_id,
                                    .errors = res->errors, .n_errors = res->n_errors,
                                    .cap_errors = res->cap_errors};
    return rc;
}

int tracking_import(struct store *db, struct arena *a, const struct tracking_import *opt,
                    const struct tracking_row *rows, int n, const struct tracking_header *h,
                    struct tracking_result *res)
{
    struct tracking_plan plan;
    int rc = tracking_plan(db, a, opt, rows, n, h, &plan, res);
    if (rc != ERR_OK)
        return rc;
    return tracking_apply(db, a, opt, rows, n, h, &plan, res);
}
