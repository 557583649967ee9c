/* invitee.h — who is invited to a meeting, whether they were sent the invitation (and which
 * SEQUENCE of it), and their attendance once the meeting is held. */
#ifndef MODEL_INVITEE_H
#define MODEL_INVITEE_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"

/* Attendance keys "present", "excused", "absent", "represented"; NULL-terminated. "" means not
 * recorded yet. */
extern const char *const invitee_attendances[];
/* "Présent", "Excusé", "Absent", "Représenté"; "Non renseigné" for "". */
const char *invitee_attendance_label(const char *attendance);
bool invitee_attendance_valid(const char *attendance);

struct invitee {
    long long person_id;
    char *name, *function, *organisation_name, *email;
    char *attendance, *represented_by;
    int invited_sequence; /* -1: never sent */
};

/* The invitees of a meeting, by name. */
int invitee_list(struct store *db, struct arena *a, long long meeting_id, struct invitee **out,
                 int *n) MUST_CHECK;
/* Invites a person of the meeting's contract (audited); already invited is not an error.
 * ERR_INVALID for a person of another contract. */
int invitee_add(struct store *db, const struct actor *who, long long meeting_id,
                long long person_id) MUST_CHECK;
/* Invites every member of the meeting's body not yet invited; *added gets how many. */
int invitee_add_members(struct store *db, const struct actor *who, long long meeting_id,
                        int *added) MUST_CHECK;
/* Removes an invitee (audited); ERR_NOTFOUND when not invited. */
int invitee_remove(struct store *db, const struct actor *who, long long meeting_id,
                   long long person_id) MUST_CHECK;
/* One invitee's attendance as a form sends it. */
struct attendance_edit {
    long long person_id;
    const char *attendance, *represented_by;
};
/* Records the attendance of several invitees in one transaction (audited). ERR_INVALID for an
 * unknown attendance, a person not invited, "represented" without who, or a too long name. */
int invitee_set_attendance(struct store *db, const struct actor *who, long long meeting_id,
                           const struct attendance_edit *e, int n) MUST_CHECK;
/* Notes that the invitation (or update) of that SEQUENCE was e-mailed to the person. */
int invitee_mark_sent(struct store *db, long long meeting_id, long long person_id,
                      int sequence) MUST_CHECK;

#endif
