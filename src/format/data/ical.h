/* ical.h — iCalendar (RFC 5545) calendars of meetings, written with libical: subscribable feeds
 * (METHOD:PUBLISH), invitations and updates (METHOD:REQUEST) and cancellations (METHOD:CANCEL).
 * Times are in Europe/Paris with its VTIMEZONE; a meeting without a time is a whole-day event. */
#ifndef OUT_ICAL_H
#define OUT_ICAL_H

#include <stdbool.h>

/* One event. Strings may be NULL or "" when absent. */
struct ical_event {
    const char *uid;                    /* stable, unique */
    const char *summary, *description, *location, *url;
    const char *date;                   /* first day "AAAA-MM-JJ" (required) */
    const char *end_date;               /* last day "AAAA-MM-JJ", or "" for the same day */
    const char *start_time, *end_time;  /* "HH:MM" local time, or "" */
    int sequence;
    const char *status;                 /* "CONFIRMED", "TENTATIVE" or "CANCELLED" */
    const char *organizer_email, *organizer_name;
    const char *attendee_email, *attendee_name; /* invitations: the recipient */
    long long stamp;                    /* DTSTAMP, Unix time */
};

enum ical_method { ICAL_PUBLISH, ICAL_REQUEST, ICAL_CANCEL };

/* "PUBLISH", "REQUEST", "CANCEL". */
const char *ical_method_name(enum ical_method m);

/* The VCALENDAR of n events (name: X-WR-CALNAME of a feed, may be NULL) as a malloc'd string
 * (free it); NULL when an event has no valid date. */
char *ical_calendar(const char *name, enum ical_method method, const struct ical_event *events,
                    int n);

#endif
