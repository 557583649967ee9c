/* tracking_internal.h — what the parts of the tracking import share: the importer's state
 * (the contract's objectives and actions as slots, the maps that find them, the plan of each
 * row) and the helpers of tracking.c, tracking_check.c, tracking_plan.c and tracking_apply.c.
 * Only those files include it. */
#ifndef MODEL_TRACKING_INTERNAL_H
#define MODEL_TRACKING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "model/core/audit.h"
#include "model/core/status.h"
#include "model/import/tracking.h"
#include "model/plan/objective.h"
#include "store/db.h"

/* ---- a string → id map (open addressing, in the arena) -------------------------------------- */

struct map_entry {
    const char *key;
    long long value;
};

struct map {
    struct map_entry *e;
    size_t cap, n;
};

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
    long long org;     /* the carrier organisation the cell names (0: none, or new_org) */
    int new_org;       /* index in the plan's new organisations, -1 */
    int new_action;    /* index in the plan's new actions, -1 */
    int status_change; /* index in the plan's replaced statuses, -1 */
    bool status_add;   /* a status of the year where there was none, or on a new action */
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

/* ---- helpers (tracking.c) ------------------------------------------------------------------ */

/* printf into the arena (buf_printf's conversions). */
char *trk_aprintf(struct arena *a, const char *fmt, ...);
/* Adds an error at line and 0-based column (-1: the whole row) to res. */
void trk_add_error(struct arena *a, struct tracking_result *res, int line, int column,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A user's value to quote in a message: at most 60 bytes, cut on a character boundary. */
const char *trk_shown(struct arena *a, const char *s);
/* s without leading and trailing blanks, in the arena (s itself when there are none). */
const char *trk_trim(struct arena *a, const char *s);
/* s folded (case and accents), in the arena. */
char *trk_fold(struct arena *a, const char *s);

/* ---- the maps and the contract's slots (tracking_plan.c) ----------------------------------- */

bool trk_map_get(const struct map *m, const char *key, long long *value);
/* Adds key → value unless key is there already (the first one wins). */
void trk_map_add(struct arena *a, struct map *m, const char *key, long long value);
/* "slot\x1ftext": a key made of an objective slot and a code or title. */
const char *trk_pair_key(struct arena *a, int slot, const char *text);
const char *trk_id_key(char buf[24], long long id);
int trk_add_obj(struct importer *im, enum objective_level level, const char *code,
                const char *title, int parent);
/* The first action key finds in m that no row has taken yet, or -1; *last gets the last one
 * taken (-1 if none). */
/* Makes an action findable by (objective, code) and by (objective, title) as the import does. */
void trk_index_action(struct importer *im, int k);
int trk_next_unclaimed(struct importer *im, const struct map *m, const char *key, int *last);
const char *trk_org_name(const struct importer *im, long long id);
/* Checks every row and computes the plan; reads only. */
int trk_check_rows(struct importer *im, const struct tracking_row *rows, int n, struct plan *plans,
                   struct tracking_plan *plan);

/* ---- one row (tracking_check.c) ------------------------------------------------------------ */

/* Validates row r and finds (or plans) its objective and action into p; errors in im->res. */
void trk_check_row(struct importer *im, const struct tracking_row *r, struct plan *p);

/* ---- writing (tracking_apply.c) ------------------------------------------------------------ */

/* The person the audit log names for the import's changes. */
struct actor trk_import_actor(const struct importer *im);
/* Writes what the plans say, with the plan's choices; returns the failing row's line. */
int trk_write_rows(struct importer *im, const struct tracking_row *rows, const struct plan *plans,
                   int n, const struct tracking_plan *plan, int *line);

#endif
