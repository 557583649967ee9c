/* meeting.h — meetings of a contract's bodies (or of none): date with its precision (a day, a
 * month or a year for history), time, place or video link, agenda and minutes in Markdown,
 * status, and the iCalendar identity (UID, SEQUENCE) of the invitations. Also the date and time
 * readers the meeting and plan forms share. */
#ifndef MODEL_MEETING_H
#define MODEL_MEETING_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

/* Status keys "planned", "held", "cancelled", "postponed", "not_held"; NULL-terminated. */
extern const char *const meeting_statuses[];
/* "Prévue", "Tenue", "Annulée", "Reportée", "Non tenue"; the key if unknown. */
const char *meeting_status_label(const char *status);
bool meeting_status_valid(const char *status);

/* Reads a date as people type it: "JJ/MM/AAAA", "AAAA-MM-JJ" (a day), "MM/AAAA", "AAAA-MM",
 * "mars 2025" (a month), "AAAA" (a year). out gets "AAAA-MM-JJ", "AAAA-MM" or "AAAA" and
 * *precision "day", "month" or "year". ERR_INVALID when it is none of these or not a real date. */
int meeting_parse_date(const char *s, char out[11], const char **precision) MUST_CHECK;
/* Reads a time "14:30", "14h30", "14h", "9:05": out gets "HH:MM"; blank gives "". */
int meeting_parse_time(const char *s, char out[6]) MUST_CHECK;
/* The last day a date of that precision covers, as a string that compares with ISO days:
 * "2025-03-12" → itself, "2025-03" → "2025-03-32", "2025" → "2025-12-32". In the arena. */
const char *meeting_period_end(struct arena *a, const char *date, const char *precision);

struct meeting {
    long long id, contract_id, body_id; /* body_id 0: no body */
    char *uid, *title, *held_on, *precision, *end_on, *date_as_written;
    char *start_time, *end_time, *place, *video_url, *agenda, *minutes, *status;
    char *notes, *source;
    int year, sequence, version;
    char *body_name, *body_kind; /* "" when no body */
    /* Attendance counts: invitees, and each recorded attendance. */
    int n_invited, n_present, n_excused, n_absent, n_represented;
};

/* What a form or the demo loader sets on a meeting. held_on and precision come from
 * meeting_parse_date; times from meeting_parse_time. */
struct meeting_edit {
    long long body_id; /* 0: no body */
    const char *title, *held_on, *precision, *end_on, *start_time, *end_time;
    const char *place, *video_url, *agenda, *status, *notes;
    const char *date_as_written, *source; /* imports only; kept by updates */
};

/* Which meetings a list shows; zero fields do not filter. */
struct meeting_filter {
    long long contract_id; /* required */
    long long body_id;
    int year;
    const char *status;
};

/* Meetings passing the filter by date then id, with their body and attendance counts. */
int meeting_list(struct store *db, struct arena *a, const struct meeting_filter *f,
                 struct meeting **out, int *n) MUST_CHECK;
/* One meeting; ERR_NOTFOUND if none. */
int meeting_get(struct store *db, struct arena *a, long long id, struct meeting *out) MUST_CHECK;
/* Years with at least one meeting of the contract, ascending, at most max. */
int meeting_years(struct store *db, long long contract_id, int *years, int max,
                  int *n) MUST_CHECK;
/* Checks a meeting of contract_id: title, a date of a known precision, an end day after the
 * start, times in order, an http(s) video link, a known status, a body of the same contract. */
void meeting_check(struct store *db, long long contract_id, const struct meeting_edit *e,
                   struct problems *p);
/* Inserts a meeting as it is, inside the caller's transaction, without audit (imports); it
 * gets a fresh UID. */
int meeting_create(struct store *db, long long contract_id, const struct meeting_edit *e,
                   long long *id) MUST_CHECK;
/* Adds a meeting (audited); *id gets the new id. */
int meeting_add(struct store *db, const struct actor *who, long long contract_id,
                const struct meeting_edit *e, long long *id) MUST_CHECK;
/* Saves every field of e if the meeting is still at version. A change invitees must hear of
 * (title, date, time, place, link, status) raises its SEQUENCE; *sequence_raised tells. */
int meeting_update(struct store *db, const struct actor *who, long long id, int version,
                   const struct meeting_edit *e, bool *sequence_raised) MUST_CHECK;
/* Saves the minutes (Markdown) if the meeting is still at version. */
int meeting_set_minutes(struct store *db, const struct actor *who, long long id, int version,
                        const char *minutes) MUST_CHECK;

#endif
