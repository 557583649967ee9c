/* invitee.c — SQL of meeting invitees and attendance. Must not produce HTML or JSON, and must
 * never write without its audit rows in the same transaction. */
#include "model/governance/invitee.h"

#include <stdio.h>

#include "base/str.h"
#include "model/governance/governance_internal.h"

const char *const invitee_attendances[] = {"present", "excused", "absent", "represented", NULL};
static const char *const attendance_labels[] = {"Présent", "Excusé", "Absent", "Représenté"};

const char *invitee_attendance_label(const char *attendance)
{
    for (int i = 0; invitee_attendances[i]; i++)
        if (str_eq(invitee_attendances[i], attendance))
            return attendance_labels[i];
    return "Non renseigné";
}

bool invitee_attendance_valid(const char *attendance)
{
    for (int i = 0; invitee_attendances[i]; i++)
        if (str_eq(invitee_attendances[i], attendance))
            return true;
    return false;
}

static void read_invitee(struct stmt *st, struct arena *a, void *row)
{
    struct invitee *v = row;
    v->person_id = stmt_int(st, 0);
    v->name = stmt_text(st, 1, a);
    v->function = stmt_text(st, 2, a);
    v->organisation_name = stmt_text(st, 3, a);
    v->email = stmt_text(st, 4, a);
    v->attendance = stmt_text(st, 5, a);
    v->represented_by = stmt_text(st, 6, a);
    v->invited_sequence = (int)stmt_int(st, 7);
}

int invitee_list(struct store *db, struct arena *a, long long meeting_id, struct invitee **out,
                 int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT p.id, p.name, p.function, coalesce(o.name, ''), p.email, i.attendance, "
            "i.represented_by, coalesce(i.invited_sequence, -1) FROM meeting_invitee i "
            "JOIN person p ON p.id = i.person_id LEFT JOIN organisation o "
            "ON o.id = p.organisation_id WHERE i.meeting_id = ?1 ORDER BY p.name, p.id");
    stmt_bind_int(st, 1, meeting_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_invitee, &rows, n);
    *out = rows;
    return rc;
}

/* Inserts the invitation unless it exists; *added tells. ERR_INVALID for another contract. */
static int invite_one(struct store *db, const struct actor *who, long long meeting_id,
                      long long person_id, bool *added)
{
    *added = false;
    struct stmt *st = store_prepare(
        db, "SELECT (SELECT 1 FROM meeting_invitee WHERE meeting_id = m.id AND person_id = p.id) "
            "FROM meeting m JOIN person p ON p.contract_id = m.contract_id "
            "WHERE m.id = ?1 AND p.id = ?2");
    stmt_bind_int(st, 1, meeting_id);
    stmt_bind_int(st, 2, person_id);
    int rc = stmt_step(st);
    bool exists = rc == 1 && !stmt_is_null(st, 0);
    stmt_done(st);
    if (rc <= 0)
        return rc == 0 ? ERR_INVALID : rc;
    if (exists)
        return ERR_OK;
    st = store_prepare(db, "INSERT INTO meeting_invitee (meeting_id, person_id) VALUES (?1, ?2)");
    stmt_bind_int(st, 1, meeting_id);
    stmt_bind_int(st, 2, person_id);
    rc = stmt_exec(st);
    char field[48];
    snprintf(field, sizeof field, "invitee:%lld", person_id);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "meeting", meeting_id, 0, field, "", "invited");
    *added = rc == ERR_OK;
    return rc;
}

int invitee_add(struct store *db, const struct actor *who, long long meeting_id,
                long long person_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    bool added;
    return edit_finish(db, invite_one(db, who, meeting_id, person_id, &added));
}

int invitee_add_members(struct store *db, const struct actor *who, long long meeting_id,
                        int *added)
{
    *added = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    /* The members first, then the invitations: one statement at a time. */
    long long ids[512];
    int n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT bm.person_id FROM meeting m JOIN body_member bm ON bm.body_id = m.body_id "
            "WHERE m.id = ?1 ORDER BY bm.person_id");
    stmt_bind_int(st, 1, meeting_id);
    while ((rc = stmt_step(st)) == 1)
        if (n < 512)
            ids[n++] = stmt_int(st, 0);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        bool one;
        rc = invite_one(db, who, meeting_id, ids[i], &one);
        *added += one;
    }
    return edit_finish(db, rc);
}

int invitee_remove(struct store *db, const struct actor *who, long long meeting_id,
                   long long person_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct gov_link l = {"meeting", meeting_id, "invitee:", person_id,
                         "SELECT 'invited' FROM meeting_invitee WHERE meeting_id = ?1 AND "
                         "person_id = ?2",
                         meeting_id, person_id};
    static const char *const deletes[] = {
        "DELETE FROM meeting_invitee WHERE meeting_id = ?1 AND person_id = ?2", NULL};
    return edit_finish(db, gov_link_remove(db, who, &l, deletes));
}

int invitee_set_attendance(struct store *db, const struct actor *who, long long meeting_id,
                           const struct attendance_edit *e, int n)
{
    for (int i = 0; i < n; i++) {
        bool represented = str_eq(e[i].attendance, "represented");
        if ((!str_blank(e[i].attendance) && !invitee_attendance_valid(e[i].attendance)) ||
            (represented && str_blank(e[i].represented_by)) ||
            edit_too_long(e[i].represented_by, 200))
            return ERR_INVALID;
    }
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(
            db, "SELECT attendance, represented_by FROM meeting_invitee "
                "WHERE meeting_id = ?1 AND person_id = ?2");
        stmt_bind_int(st, 1, meeting_id);
        stmt_bind_int(st, 2, e[i].person_id);
        rc = stmt_step(st);
        const char *old = "", *old_by = "";
        if (rc == 1) {
            old = stmt_text(st, 0, &a);
            old_by = stmt_text(st, 1, &a);
        }
        stmt_done(st);
        rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_INVALID : rc;
        const char *by = str_eq(e[i].attendance, "represented") ? e[i].represented_by : "";
        if (rc == ERR_OK) {
            st = store_prepare(
                db, "UPDATE meeting_invitee SET attendance = ?3, represented_by = ?4 "
                    "WHERE meeting_id = ?1 AND person_id = ?2");
            stmt_bind_int(st, 1, meeting_id);
            stmt_bind_int(st, 2, e[i].person_id);
            stmt_bind_text(st, 3, gov_str(e[i].attendance));
            stmt_bind_text(st, 4, gov_str(by));
            rc = stmt_exec(st);
        }
        char field[64];
        snprintf(field, sizeof field, "attendance:%lld", e[i].person_id);
        if (rc == ERR_OK)
            rc = audit_field(db, who, "meeting", meeting_id, 0, field, old,
                             gov_str(e[i].attendance));
        snprintf(field, sizeof field, "represented_by:%lld", e[i].person_id);
        if (rc == ERR_OK)
            rc = audit_field(db, who, "meeting", meeting_id, 0, field, old_by, gov_str(by));
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int invitee_mark_sent(struct store *db, long long meeting_id, long long person_id, int sequence)
{
    struct stmt *st = store_prepare(
        db, "UPDATE meeting_invitee SET invited_sequence = ?3 WHERE meeting_id = ?1 "
            "AND person_id = ?2");
    stmt_bind_int(st, 1, meeting_id);
    stmt_bind_int(st, 2, person_id);
    stmt_bind_int(st, 3, sequence);
    return stmt_exec(st);
}
