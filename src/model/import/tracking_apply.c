/* tracking_apply.c — the writing of a confirmed plan, inside tracking_apply's transaction:
 * a new contract and its objectives, new actions, organisations and carriers, and the year's
 * statuses, each change in the audit log under the importing account. */
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

/* ---- writing ------------------------------------------------------------------------------ */

/* The person the audit log names for the import's changes. */
struct actor trk_import_actor(const struct importer *im)
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
    struct actor who = trk_import_actor(im);
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
    struct actor who = trk_import_actor(im);
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
    struct actor who = trk_import_actor(im);
    return audit_record(im->db, &who, "action", x->id, 0, field,
                        p->status_change >= 0 ? "replaced" : "", status_key(p->status));
}

/* Writes what the plans say, with the plan's choices; returns the failing row's line. */
int trk_write_rows(struct importer *im, const struct tracking_row *rows, const struct plan *plans,
                   int n, const struct tracking_plan *plan, int *line)
{
    int rc = ERR_OK;
    if (im->opt->new_title && (rc = create_contract(im)) != ERR_OK)
        return rc;
    long long *created = arena_alloc(im->a, sizeof *created * (size_t)(plan->n_orgs + 1));
    struct actor who = trk_import_actor(im);
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
                                   ? plan->orgs[p->new_org].name
                                   : trk_org_name(im, org);
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
