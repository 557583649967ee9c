/* contract_write.c — the audited, version-checked writes of a contract and of its signatories,
 * and their validation. Must never write without its audit rows in the same transaction. */

#include "model/plan/editing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "store/rows.h"
#include "model/plan/editing_internal.h"

static const char *const contract_statuses[] = {"draft", "active", "closed"};
static const char *const contract_status_labels[] = {"Projet", "En vigueur", "Clos"};

const char *contract_status_label(const char *status)
{
    for (int i = 0; i < 3; i++)
        if (str_eq(status, contract_statuses[i]))
            return contract_status_labels[i];
    return status;
}

int contract_meta_get(struct store *db, long long id, struct contract_meta *out)
{
    struct stmt *st = store_prepare(
        db, "SELECT version, public_remarks, public_people FROM contract WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        out->version = (int)stmt_int(st, 0);
        out->public_remarks = stmt_int(st, 1) != 0;
        out->public_people = stmt_int(st, 2) != 0;
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

static bool year_ok(int y)
{
    return y == 0 || (y >= 1990 && y <= 2100);
}

void contract_check(const struct contract_edit *e, struct problems *p)
{
    if (str_blank(e->title))
        problems_add(p, "title", "Donnez un intitulé au contrat.");
    else if (edit_too_long(e->title, 300))
        problems_add(p, "title", "L'intitulé dépasse 300 caractères : raccourcissez-le.");
    if (edit_too_long(e->short_title, 80))
        problems_add(p, "short_title", "Le titre court dépasse 80 caractères.");
    if (!year_ok(e->start_year))
        problems_add(p, "start_year", "L'année de début s'écrit en chiffres, entre 1990 et 2100.");
    if (!year_ok(e->end_year))
        problems_add(p, "end_year", "L'année de fin s'écrit en chiffres, entre 1990 et 2100.");
    else if (e->start_year && e->end_year && e->end_year < e->start_year)
        problems_add(p, "end_year", "L'année de fin précède l'année de début.");
    if (!year_ok(e->reporting_year))
        problems_add(
            p, "reporting_year",
            "L'année du bilan s'écrit en chiffres, entre 1990 et 2100 (vide : calculée).");
    bool known = false;
    for (int i = 0; i < 3; i++)
        known |= str_eq(e->status, contract_statuses[i]);
    if (!known)
        problems_add(p, "status", "Choisissez le statut du contrat : projet, en vigueur ou clos.");
}

int contract_update(struct store *db, const struct actor *who, long long id, int version,
                    const struct contract_edit *e)
{
    struct problems p = {0};
    contract_check(e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct stmt *st = store_prepare(
        db, "SELECT title, short_title, signed_on, coalesce(start_year, 0), "
            "coalesce(end_year, 0), status, public_remarks, public_people, "
            "coalesce(reporting_year, 0) FROM contract WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    rc = stmt_step(st);
    const char *old[9] = {0};
    if (rc == 1) {
        old[0] = stmt_text(st, 0, &a);
        old[1] = stmt_text(st, 1, &a);
        old[2] = stmt_text(st, 2, &a);
        old[3] = edit_int_text(&a, stmt_int(st, 3));
        old[4] = edit_int_text(&a, stmt_int(st, 4));
        old[5] = stmt_text(st, 5, &a);
        old[6] = stmt_int(st, 6) ? "1" : "0";
        old[7] = stmt_int(st, 7) ? "1" : "0";
        old[8] = edit_int_text(&a, stmt_int(st, 8));
    }
    stmt_done(st);
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    if (rc == ERR_OK) {
        st = store_prepare(db, "UPDATE contract SET title = ?3, short_title = ?4, signed_on = ?5, "
                               "start_year = ?6, end_year = ?7, status = ?8, public_remarks = ?9, "
                               "public_people = ?10, reporting_year = ?11, version = version + 1 "
                               "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, e->title);
        stmt_bind_text(st, 4, e->short_title ? e->short_title : "");
        stmt_bind_text(st, 5, e->signed_on ? e->signed_on : "");
        if (e->start_year)
            stmt_bind_int(st, 6, e->start_year);
        if (e->end_year)
            stmt_bind_int(st, 7, e->end_year);
        stmt_bind_text(st, 8, e->status);
        stmt_bind_int(st, 9, e->public_remarks);
        stmt_bind_int(st, 10, e->public_people);
        if (e->reporting_year)
            stmt_bind_int(st, 11, e->reporting_year);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    const char *fields[9] = {"title",          "short_title",   "signed_on",
                             "start_year",     "end_year",      "status",
                             "public_remarks", "public_people", "reporting_year"};
    const char *now[9] = {e->title,
                          e->short_title,
                          e->signed_on,
                          edit_int_text(&a, e->start_year),
                          edit_int_text(&a, e->end_year),
                          e->status,
                          e->public_remarks ? "1" : "0",
                          e->public_people ? "1" : "0",
                          edit_int_text(&a, e->reporting_year)};
    for (int i = 0; i < 9 && rc == ERR_OK; i++)
        rc = audit_field(db, who, "contract", id, version + 1, fields[i], old[i], now[i]);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- signatories --------------------------------------------------------------------------- */

int signatory_get(struct store *db, struct arena *a, long long id, long long *contract_id,
                  struct signatory *out, int *version)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(organisation_id, 0), institution, representative_name, "
            "representative_title, represented_by, signed_on, note, contract_id, version "
            "FROM signatory WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1) {
        out->id = stmt_int(st, 0);
        out->organisation_id = stmt_int(st, 1);
        out->institution = stmt_text(st, 2, a);
        out->representative_name = stmt_text(st, 3, a);
        out->representative_title = stmt_text(st, 4, a);
        out->represented_by = stmt_text(st, 5, a);
        out->signed_on = stmt_text(st, 6, a);
        out->note = stmt_text(st, 7, a);
        *contract_id = stmt_int(st, 8);
        *version = (int)stmt_int(st, 9);
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

void signatory_check(struct store *db, const struct signatory *s, struct problems *p)
{
    if (str_blank(s->institution))
        problems_add(p, "institution", "Indiquez l'institution signataire.");
    else if (edit_too_long(s->institution, 300))
        problems_add(p, "institution", "Le nom de l'institution dépasse 300 caractères.");
    if (s->organisation_id &&
        edit_exists(db, "SELECT 1 FROM organisation WHERE id = ?1", s->organisation_id) != ERR_OK)
        problems_add(p, "organisation_id", "Cette organisation n'existe pas dans l'annuaire.");
    if (edit_too_long(s->representative_name, 200))
        problems_add(p, "representative_name", "Le nom dépasse 200 caractères.");
    if (edit_too_long(s->representative_title, 300))
        problems_add(p, "representative_title", "La qualité dépasse 300 caractères.");
    if (edit_too_long(s->represented_by, 300))
        problems_add(p, "represented_by", "Ce champ dépasse 300 caractères.");
    if (edit_too_long(s->note, 2000))
        problems_add(p, "note", "La note dépasse 2000 caractères.");
}

/* The organisation's name for the audit log ("" for none). */
static const char *org_name(struct store *db, struct arena *a, long long id)
{
    struct organisation o;
    if (!id || organisation_get(db, a, id, &o) != ERR_OK)
        return "";
    return o.name;
}

static int signatory_audit(struct store *db, const struct actor *who, struct arena *a,
                           long long id, int version, const struct signatory *old,
                           const struct signatory *s)
{
    const char *fields[] = {"institution",
                            "organisation",
                            "representative_name",
                            "representative_title",
                            "represented_by",
                            "signed_on",
                            "note"};
    const char *was[] = {old->institution,
                         org_name(db, a, old->organisation_id),
                         old->representative_name,
                         old->representative_title,
                         old->represented_by,
                         old->signed_on,
                         old->note};
    const char *now[] = {s->institution,
                         org_name(db, a, s->organisation_id),
                         s->representative_name,
                         s->representative_title,
                         s->represented_by,
                         s->signed_on,
                         s->note};
    int rc = ERR_OK;
    for (int i = 0; i < 7 && rc == ERR_OK; i++)
        rc = audit_field(db, who, "signatory", id, version, fields[i], was[i], now[i]);
    return rc;
}

int signatory_new(struct store *db, const struct actor *who, long long contract_id,
                  const struct signatory *s, long long *id)
{
    struct problems p = {0};
    signatory_check(db, s, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    long long pos = 0;
    rc = edit_one_int(
        db, "SELECT coalesce(max(position), 0) + 1 FROM signatory WHERE contract_id = ?1",
        contract_id, &pos);
    if (rc == ERR_OK)
        rc = signatory_add(db, contract_id, s, (int)pos);
    struct arena a = {0};
    if (rc == ERR_OK) {
        *id = store_last_id(db);
        struct signatory none = {.institution = ""};
        rc = audit_record(db, who, "signatory", *id, 1, "created", "", s->institution);
        if (rc == ERR_OK)
            rc = signatory_audit(db, who, &a, *id, 1, &none, s);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int signatory_update(struct store *db, const struct actor *who, long long id, int version,
                     const struct signatory *s)
{
    struct problems p = {0};
    signatory_check(db, s, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct signatory old;
    long long contract_id;
    int current;
    rc = signatory_get(db, &a, id, &contract_id, &old, &current);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE signatory SET organisation_id = ?3, institution = ?4, "
                "representative_name = ?5, representative_title = ?6, represented_by = ?7, "
                "signed_on = ?8, note = ?9, version = version + 1 "
                "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        if (s->organisation_id)
            stmt_bind_int(st, 3, s->organisation_id);
        stmt_bind_text(st, 4, s->institution);
        stmt_bind_text(st, 5, s->representative_name ? s->representative_name : "");
        stmt_bind_text(st, 6, s->representative_title ? s->representative_title : "");
        stmt_bind_text(st, 7, s->represented_by ? s->represented_by : "");
        stmt_bind_text(st, 8, s->signed_on ? s->signed_on : "");
        stmt_bind_text(st, 9, s->note ? s->note : "");
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = signatory_audit(db, who, &a, id, version + 1, &old, s);
    arena_free(&a);
    return edit_finish(db, rc);
}
