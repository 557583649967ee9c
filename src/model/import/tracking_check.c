/* tracking_check.c — the validation of one row of a tracking table: its objective (or, for a
 * new contract, the tree it creates), its action found by sheet code or title (or to create),
 * its sheet code and status, with a French message naming line and column for each problem. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/core/organisation.h"
#include "model/import/tracking_match.h"
#include "store/rows.h"
#include "model/import/tracking_internal.h"

/* ---- validation of one row ---------------------------------------------------------------- */

/* The axis of a new contract's row: the one its code_axe / axe cells name (created with the
 * title the table gives it, else "Axe <code>"), or "Axe 1" for a row that names none. */
static int row_axis(struct importer *im, const struct tracking_row *r)
{
    struct arena *a = im->a;
    const char *code = trk_trim(a, r->cells[TRK_AXIS_CODE]),
               *title = trk_trim(a, r->cells[TRK_AXIS]);
    long long k;
    if (!*code && !*title) {
        if (im->default_axis < 0)
            im->default_axis = trk_add_obj(im, OBJ_STRATEGIC, "", "Axe 1", -1);
        return im->default_axis;
    }
    const char *key = *code ? code : title;
    if (trk_map_get(&im->axis_by_key, key, &k))
        return (int)k;
    long long row;
    if (*code && trk_map_get(&im->axis_titles, code, &row))
        title = trk_trim(a, im->rows[row].cells[TRK_AXIS]);
    k = trk_add_obj(im, OBJ_STRATEGIC, code, *title ? title : trk_aprintf(a, "Axe %s", code), -1);
    trk_map_add(a, &im->axis_by_key, key, k);
    return (int)k;
}

/* A new contract's specific objective code for a row: its code_objectif_specifique cell, else
 * the operational code's first part ("1" for "1.2"). */
static const char *row_specific_code(struct importer *im, const struct tracking_row *r,
                                     const char *code)
{
    const char *given = trk_trim(im->a, r->cells[TRK_SPECIFIC_CODE]);
    return *given ? given : arena_strndup(im->a, code, strcspn(code, "."));
}

/* A row puts specific objective slot spec under another axis than its own. */
static void two_axes_error(struct importer *im, const struct tracking_row *r, int spec)
{
    int column = im->h->col[TRK_AXIS_CODE] >= 0 ? im->h->col[TRK_AXIS_CODE] : im->h->col[TRK_AXIS];
    int axis = im->objs[spec].parent;
    trk_add_error(
        im->a, im->res, r->line, column,
        "l'objectif spécifique « %s » est déjà sous l'axe « %s » : un objectif spécifique "
        "appartient à un seul axe",
        trk_shown(im->a, im->objs[spec].code),
        axis >= 0 ? trk_shown(im->a, im->objs[axis].title) : "");
}

/* The tree cells of a row whose operational objective (slot op) is known must say where it
 * is: its specific objective's code and its axis's code or title, when the row gives them. */
static bool tree_cells_agree(struct importer *im, const struct tracking_row *r, int op)
{
    struct arena *a = im->a;
    const char *spec = trk_trim(a, r->cells[TRK_SPECIFIC_CODE]);
    const char *axis_code = trk_trim(a, r->cells[TRK_AXIS_CODE]);
    const char *axis_title = trk_trim(a, r->cells[TRK_AXIS]);
    int s = im->objs[op].parent;
    if (s < 0 || im->objs[s].level != OBJ_SPECIFIC)
        return true;
    if (*spec && strcmp(trk_trim(a, im->objs[s].code), spec) != 0) {
        trk_add_error(a, im->res, r->line, im->h->col[TRK_SPECIFIC_CODE],
                      "l'objectif « %s » est sous l'objectif spécifique « %s », pas « %s »",
                      trk_shown(a, im->objs[op].code), trk_shown(a, im->objs[s].code),
                      trk_shown(a, spec));
        return false;
    }
    int x = im->objs[s].parent;
    if (x < 0)
        return true;
    bool other = *axis_code
                     ? strcmp(trk_trim(a, im->objs[x].code), axis_code) != 0
                     : *axis_title && strcmp(trk_trim(a, im->objs[x].title), axis_title) != 0;
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
    if (trk_map_get(&im->spec_by_code, spec_code, &k)) {
        if (im->objs[k].parent != axis) {
            two_axes_error(im, r, (int)k);
            return -1;
        }
        return (int)k;
    }
    const char *title = trk_map_get(&im->spec_titles, spec_code, &row)
                            ? trk_trim(a, im->rows[row].cells[TRK_SPECIFIC])
                            : trk_aprintf(a, "Objectif spécifique %s", spec_code);
    k = trk_add_obj(im, OBJ_SPECIFIC, spec_code, title, axis);
    trk_map_add(a, &im->spec_by_code, spec_code, k);
    return (int)k;
}

/* A new contract's operational objective for a row: "1.1" under its specific objective (see
 * plan_specific); without a code, under the row's named specific objective or the one of the
 * row above. -1 with an error. */
static int plan_objective(struct importer *im, const struct tracking_row *r, const char *code,
                          const char *title)
{
    struct arena *a = im->a;
    const char *spec_given = trk_trim(a, r->cells[TRK_SPECIFIC_CODE]);
    if (*code || *spec_given) {
        int k = plan_specific(im, r, row_specific_code(im, r, code));
        if (k < 0)
            return -1;
        if (!*code) {
            int op = trk_add_obj(im, OBJ_OPERATIONAL, "", title, k);
            trk_map_add(a, &im->obj_by_title, title, op);
            return op;
        }
        long long row;
        const char *op_title = trk_map_get(&im->new_titles, code, &row)
                                   ? trk_trim(a, im->rows[row].cells[TRK_OBJECTIVE])
                                   : trk_aprintf(a, "Objectif opérationnel %s", code);
        int op = trk_add_obj(im, OBJ_OPERATIONAL, code, op_title, k);
        trk_map_add(a, &im->obj_by_code, code, op);
        trk_map_add(a, &im->obj_by_title, op_title, op);
        return op;
    }
    if (im->last_specific < 0)
        im->last_specific = trk_add_obj(im, OBJ_SPECIFIC, "", "Objectifs sans code",
                                        row_axis(im, r));
    int op = trk_add_obj(im, OBJ_OPERATIONAL, "", title, im->last_specific);
    trk_map_add(a, &im->obj_by_title, title, op);
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
        if (!trk_map_get(&im->obj_by_code, code, &k)) {
            if (!im->opt->new_title) {
                trk_add_error(a, im->res, r->line, col[TRK_OBJECTIVE_CODE],
                              "objectif « %s » inconnu dans ce contrat", trk_shown(a, code));
                return -1;
            }
            k = plan_objective(im, r, code, title);
            if (k < 0)
                return -1;
        }
    } else if (!*title) {
        trk_add_error(a, im->res, r->line, col[TRK_OBJECTIVE_CODE],
                      "code d'objectif et intitulé de l'objectif vides");
        return -1;
    } else if (!trk_map_get(&im->obj_by_title, title, &k)) {
        if (!im->opt->new_title) {
            trk_add_error(a, im->res, r->line, col[TRK_OBJECTIVE_CODE],
                          "code d'objectif vide et aucun objectif opérationnel de ce contrat "
                          "n'a pour intitulé « %s »",
                          trk_shown(a, title));
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
    const char *f = trk_fold(a, sheet);
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
    if (!trk_map_get(&im->links, trk_id_key(buf, r->line), &id))
        return -1;
    if (!trk_map_get(&im->act_by_id, trk_id_key(buf, id), &k)) {
        trk_add_error(im->a, im->res, r->line, im->h->col[TRK_ACTION],
                      "l'action choisie (n° %lld) n'est pas une action de ce contrat", id);
        return -2;
    }
    if (im->acts[k].line) {
        trk_add_error(im->a, im->res, r->line, im->h->col[TRK_ACTION],
                      "l'action choisie « %s » est déjà celle de la ligne %d",
                      trk_shown(im->a, im->acts[k].title), im->acts[k].line);
        return -2;
    }
    return (int)k;
}

void trk_check_row(struct importer *im, const struct tracking_row *r, struct plan *p)
{
    struct arena *a = im->a;
    const int *col = im->h->col;
    int before = im->res->n_errors;
    p->act = -1;
    for (int c = 0; c < TRK_COLUMNS; c++) {
        if (!utf8_valid(r->cells[c], strlen(r->cells[c]))) {
            trk_add_error(a, im->res, r->line, col[c],
                          "texte qui n'est pas en UTF-8 valide "
                          "(enregistrez le fichier en « CSV UTF-8 »)");
            return;
        }
    }
    const char *code = trk_trim(a, r->cells[TRK_OBJECTIVE_CODE]);
    const char *otitle = trk_trim(a, r->cells[TRK_OBJECTIVE]);
    const char *title = trk_trim(a, r->cells[TRK_ACTION]);
    const char *sheet = trk_trim(a, r->cells[TRK_SHEET]);
    const char *status = trk_trim(a, r->cells[TRK_STATUS]);
    int obj = row_objective(im, r, code, otitle);
    if (!*title)
        trk_add_error(a, im->res, r->line, col[TRK_ACTION], "intitulé de l'action vide");
    const char *kind = "sheet", *sheet_code = "";
    if (is_lead(a, sheet))
        kind = "lead";
    else if (*sheet && is_sheet_code(sheet))
        sheet_code = sheet;
    else if (*sheet)
        trk_add_error(a, im->res, r->line, col[TRK_SHEET],
                      "« %s » n'est ni un code de fiche action (chiffres, lettres et points, sans "
                      "espace, comme 1.2.3) ni « Piste »",
                      trk_shown(a, sheet));
    p->status = ST_NONE;
    p->status_text = status;
    if (*status) {
        p->status = status_parse(status);
        if (p->status == ST_NONE)
            trk_add_error(a, im->res, r->line, col[TRK_STATUS],
                          "état inconnu « %s » (états reconnus : %s, %s, %s, %s, %s, %s, %s)",
                          trk_shown(a, status), status_label(ST_DONE_CLOSED),
                          status_label(ST_DONE_RECURRING), status_label(ST_DONE),
                          status_label(ST_IN_PROGRESS), status_label(ST_REFLECTION),
                          status_label(ST_NOT_STARTED), status_label(ST_ABANDONED));
    } else if (!str_blank(r->cells[TRK_REMARKS]) || !str_blank(r->cells[TRK_RECOMMENDATIONS])) {
        trk_add_error(a, im->res, r->line, col[TRK_STATUS],
                      "état vide alors que la ligne a des remarques ou des préconisations");
    }
    if (im->res->n_errors > before)
        return;

    /* Rows take the actions with their key in contract order; a key with none left is an
     * action named twice in the table (or a new one written twice): an error naming both. */
    const char *key = trk_pair_key(a, obj, *sheet_code ? sheet_code : tracking_norm(a, title));
    struct map *m = *sheet_code                 ? &im->act_by_code
                    : strcmp(kind, "lead") == 0 ? &im->lead_by_title
                                                : &im->nocode_by_title;
    int last, k = trk_next_unclaimed(im, m, key, &last);
    if (k < 0 && last >= 0) {
        trk_add_error(a, im->res, r->line, *sheet_code ? col[TRK_SHEET] : col[TRK_ACTION],
                      "même %s qu'à la ligne %d (une seule ligne par action et par année)",
                      *sheet_code ? "fiche action" : "action", im->acts[last].line);
        return;
    }
    if (k < 0 && (k = linked_action(im, r)) == -2)
        return;
    if (k < 0) {
        im->acts = rows_grow(a, im->acts, im->n_acts, &im->cap_acts, sizeof *im->acts);
        im->acts[im->n_acts] = (struct act_slot){
            .obj = obj,
            .kind = kind,
            .code = sheet_code,
            .title = title,
            .carrier_label = trk_trim(a, r->cells[TRK_CARRIER]),
            .carrier_name = "",
        };
        trk_index_action(im, k = im->n_acts++);
    }
    struct act_slot *x = &im->acts[k];
    x->line = r->line;
    p->act = k;
    p->carrier = trk_trim(a, r->cells[TRK_CARRIER]);
}
