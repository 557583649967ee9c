/* ical.c — builds iCalendar text with libical's component API (never by hand), so escaping,
 * folding and property syntax are libical's. Must not decide what a meeting is: callers fill
 * struct ical_event. The VTIMEZONE of Europe/Paris is parsed from its RFC 5545 text (EU rules
 * since 1996) rather than read from the system's zoneinfo, which is not thread-safe in libical. */
#include "format/data/ical.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

static const char paris_vtimezone[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Paris\r\n"
    "X-LIC-LOCATION:Europe/Paris\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19810329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19961027T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

static const char TZID[] = "Europe/Paris";

const char *ical_method_name(enum ical_method m)
{
    return m == ICAL_REQUEST ? "REQUEST" : m == ICAL_CANCEL ? "CANCEL" : "PUBLISH";
}

static bool has(const char *s)
{
    return s && *s;
}

/* Reads "AAAA-MM-JJ" (and "HH:MM" when time is given) into t. */
static bool read_time(const char *date, const char *time, struct icaltimetype *t)
{
    int h = 0, min = 0;
    struct date day;
    if (!date || strlen(date) != 10 || date[4] != '-' ||
        date_parse(date, DATE_FULL, &day) != ERR_OK)
        return false;
    if (has(time) && sscanf(time, "%2d:%2d", &h, &min) != 2)
        return false;
    if (h < 0 || h > 23 || min < 0 || min > 59)
        return false;
    *t = icaltime_null_time();
    t->year = day.y;
    t->month = day.m;
    t->day = day.d;
    t->is_date = !has(time);
    t->hour = h;
    t->minute = min;
    return icaltime_is_valid_time(*t) && !icaltime_is_null_time(*t);
}

static void add_tzid(icalproperty *p)
{
    icalproperty_add_parameter(p, icalparameter_new_tzid(TZID));
}

static void add_text(icalcomponent *ev, icalproperty *p, const char *value)
{
    if (has(value))
        icalcomponent_add_property(ev, p);
    else
        icalproperty_free(p);
}

/* The start and end of an event: whole days (DTEND the day after the last one, as RFC 5545
 * wants), or local times with a default length of two hours. */
static bool add_times(icalcomponent *ev, const struct ical_event *e)
{
    struct icaltimetype start, end;
    if (!read_time(e->date, e->start_time, &start))
        return false;
    const char *last_day = has(e->end_date) ? e->end_date : e->date;
    if (!has(e->start_time)) {
        if (!read_time(last_day, NULL, &end))
            return false;
        icaltime_adjust(&end, 1, 0, 0, 0);
        icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
        icalcomponent_add_property(ev, icalproperty_new_dtend(end));
        return true;
    }
    icalproperty *p = icalproperty_new_dtstart(start);
    add_tzid(p);
    icalcomponent_add_property(ev, p);
    if (has(e->end_time)) {
        if (!read_time(last_day, e->end_time, &end))
            return false;
    } else {
        end = start;
        if (has(e->end_date) && !read_time(last_day, e->start_time, &end))
            return false;
        icaltime_adjust(&end, 0, 2, 0, 0);
    }
    p = icalproperty_new_dtend(end);
    add_tzid(p);
    icalcomponent_add_property(ev, p);
    return true;
}

static icalproperty_status status_of(const char *s)
{
    if (s && strcmp(s, "CANCELLED") == 0)
        return ICAL_STATUS_CANCELLED;
    if (s && strcmp(s, "TENTATIVE") == 0)
        return ICAL_STATUS_TENTATIVE;
    return ICAL_STATUS_CONFIRMED;
}

static icalproperty *person_property(icalproperty *p, const char *name)
{
    if (has(name))
        icalproperty_add_parameter(p, icalparameter_new_cn(name));
    return p;
}

static icalcomponent *event(const struct ical_event *e, enum ical_method method)
{
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(e->uid));
    icalcomponent_add_property(
        ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
                (time_t)e->stamp, 0, icaltimezone_get_utc_timezone())));
    if (!add_times(ev, e)) {
        icalcomponent_free(ev);
        return NULL;
    }
    icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence));
    icalcomponent_add_property(ev, icalproperty_new_summary(has(e->summary) ? e->summary
                                                                            : "Réunion"));
    add_text(ev, icalproperty_new_location(has(e->location) ? e->location : ""), e->location);
    add_text(ev, icalproperty_new_description(has(e->description) ? e->description : ""),
             e->description);
    add_text(ev, icalproperty_new_url(has(e->url) ? e->url : ""), e->url);
    icalcomponent_add_property(
        ev, icalproperty_new_status(method == ICAL_CANCEL ? ICAL_STATUS_CANCELLED
                                                          : status_of(e->status)));
    if (has(e->organizer_email)) {
        char mailto[512];
        snprintf(mailto, sizeof mailto, "mailto:%s", e->organizer_email);
        icalcomponent_add_property(
            ev, person_property(icalproperty_new_organizer(mailto), e->organizer_name));
    }
    if (has(e->attendee_email)) {
        char mailto[512];
        snprintf(mailto, sizeof mailto, "mailto:%s", e->attendee_email);
        icalproperty *p = person_property(icalproperty_new_attendee(mailto), e->attendee_name);
        icalproperty_add_parameter(p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
        if (method == ICAL_REQUEST) {
            icalproperty_add_parameter(p, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
            icalproperty_add_parameter(p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
        }
        icalcomponent_add_property(ev, p);
    }
    return ev;
}

char *ical_calendar(const char *name, enum ical_method method, const struct ical_event *events,
                    int n)
{
    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//Boussole//Contrats locaux de "
                                                            "santé//FR"));
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(
        cal, icalproperty_new_method(method == ICAL_REQUEST  ? ICAL_METHOD_REQUEST
                                     : method == ICAL_CANCEL ? ICAL_METHOD_CANCEL
                                                             : ICAL_METHOD_PUBLISH));
    if (has(name)) {
        icalproperty *p = icalproperty_new_x(name);
        icalproperty_set_x_name(p, "X-WR-CALNAME");
        icalcomponent_add_property(cal, p);
        p = icalproperty_new_x(TZID);
        icalproperty_set_x_name(p, "X-WR-TIMEZONE");
        icalcomponent_add_property(cal, p);
    }
    bool timed = false;
    for (int i = 0; i < n; i++)
        timed |= has(events[i].start_time);
    if (timed) {
        icalcomponent *tz = icalcomponent_new_from_string(paris_vtimezone);
        if (tz)
            icalcomponent_add_component(cal, tz);
    }
    for (int i = 0; i < n; i++) {
        icalcomponent *ev = event(&events[i], method);
        if (!ev) {
            icalcomponent_free(cal);
            return NULL;
        }
        icalcomponent_add_component(cal, ev);
    }
    char *text = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    return text;
}
