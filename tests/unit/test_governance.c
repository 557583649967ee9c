/* test_governance.c — unit tests of governance (issue 7) on the demo contract: the date and time
 * readers, the 305 meetings of meetings.csv per year, the steering committee's 2019–2023 story
 * (required, held, planned, overdue), the plan, audited and version-checked meeting writes with
 * their iCalendar SEQUENCE, invitees and attendance, decisions on an action's page, iCalendar
 * written and read back through libical, Markdown rendered inert, the governance entries in
 * the contract's journal, and the GDPR export and erasure of contact records (alone or with
 * their account). */
#include <jansson.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "cli/cli.h"
#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/core/audit.h"
#include "model/governance/body.h"
#include "model/core/contract.h"
#include "model/governance/decision.h"
#include "model/account/gdpr.h"
#include "model/governance/governance.h"
#include "model/governance/invitee.h"
#include "model/governance/meeting.h"
#include "model/governance/person.h"
#include "model/governance/meeting_plan.h"
#include "format/data/csv.h"
#include "format/data/ical.h"
#include "format/data/mail.h"
#include "format/doc/markdown.h"
#include "store/db.h"

static char dir[] = "/tmp/boussole-test-gov-XXXXXX";
static struct store *db;
static long long contract_id;
static const char *demo_dir;
static struct actor coord = {0, "Camille Coordination"};

static void check_date(const char *in, const char *want, const char *want_precision)
{
    char out[11];
    const char *p = NULL;
    int rc = meeting_parse_date(in, out, &p);
    if (!want) {
        if (rc == ERR_OK)
            fprintf(stderr, "date '%s' should be refused, got '%s'\n", in, out);
        CHECK(rc == ERR_INVALID);
        return;
    }
    CHECK(rc == ERR_OK);
    CHECK_STR(rc == ERR_OK ? out : "", want);
    CHECK_STR(p, want_precision);
}

static void test_dates_and_times(void)
{
    check_date("28/03/2019", "2019-03-28", "day");
    check_date("2/3/2019", "2019-03-02", "day");
    check_date("2019-03-28", "2019-03-28", "day");
    check_date("03/2019", "2019-03", "month");
    check_date("2019-03", "2019-03", "month");
    check_date("Mars 2026", "2026-03", "month");
    check_date("février 2024", "2024-02", "month");
    check_date("2022", "2022", "year");
    check_date("29/02/2024", "2024-02-29", "day");
    check_date("29/02/2023", NULL, NULL);
    check_date("31/04/2025", NULL, NULL);
    check_date("13/2025", NULL, NULL);
    check_date("12/03/25", NULL, NULL);
    check_date("hier", NULL, NULL);
    check_date("", NULL, NULL);
    check_date("2019-3-28", NULL, NULL);
    char t[6];
    CHECK(meeting_parse_time("14:30", t) == ERR_OK);
    CHECK_STR(t, "14:30");
    CHECK(meeting_parse_time("9h", t) == ERR_OK);
    CHECK_STR(t, "09:00");
    CHECK(meeting_parse_time("9h05", t) == ERR_OK);
    CHECK_STR(t, "09:05");
    CHECK(meeting_parse_time("", t) == ERR_OK);
    CHECK_STR(t, "");
    CHECK(meeting_parse_time("24:00", t) == ERR_INVALID);
    CHECK(meeting_parse_time("14:", t) == ERR_INVALID);
    CHECK(meeting_parse_time("midi", t) == ERR_INVALID);
    struct arena a = {0};
    CHECK_STR(meeting_period_end(&a, "2025-03", "month"), "2025-03-32");
    CHECK_STR(meeting_period_end(&a, "2025", "year"), "2025-12-32");
    CHECK_STR(meeting_period_end(&a, "2025-03-12", "day"), "2025-03-12");
    arena_free(&a);
}

/* The demo's meetings per year match meetings.csv, row for row. */
static void test_demo_meetings(void)
{
    struct arena a = {0};
    char path[1200], err[256];
    snprintf(path, sizeof path, "%s/meetings.csv", demo_dir);
    struct csv_table t;
    CHECK(csv_read_file(path, &a, &t, err, sizeof err) == ERR_OK);
    CHECK_INT(t.n_rows - 1, 305);
    int per_year[2100 - 2000] = {0};
    int col = csv_column(&t, "year");
    for (int i = 1; i < t.n_rows; i++)
        per_year[atoi(csv_field(&t.rows[i], col)) - 2000]++;
    for (int y = 2017; y <= 2024; y++) {
        struct meeting_filter f = {.contract_id = contract_id, .year = y};
        struct meeting *m;
        int n = -1;
        CHECK(meeting_list(db, &a, &f, &m, &n) == ERR_OK);
        if (n != per_year[y - 2000])
            fprintf(stderr, "year %d: %d meetings, the CSV has %d\n", y, n, per_year[y - 2000]);
        CHECK_INT(n, per_year[y - 2000]);
    }
    struct meeting_filter all = {.contract_id = contract_id};
    struct meeting *m;
    int n = 0;
    CHECK(meeting_list(db, &a, &all, &m, &n) == ERR_OK);
    CHECK_INT(n, 305);
    /* Every UID is unique. */
    int dup = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            dup += str_eq(m[i].uid, m[j].uid);
    CHECK_INT(dup, 0);
    arena_free(&a);
}

static long long body_by_kind(struct arena *a, const char *kind)
{
    struct body *b;
    int n = 0;
    if (body_list(db, a, contract_id, &b, &n) != ERR_OK)
        return 0;
    for (int i = 0; i < n; i++)
        if (str_eq(b[i].kind, kind))
            return b[i].id;
    return 0;
}

/* The report's story: the steering committee met once (restricted) in 2019, never after; the
 * one planned for 2022 did not take place. */
static void test_steering_committee_story(void)
{
    struct arena a = {0};
    struct body copil;
    long long id = body_by_kind(&a, "steering_committee");
    CHECK(id && body_get(db, &a, id, &copil) == ERR_OK);
    CHECK_INT(copil.min_per_year, 1);
    int years[] = {2019, 2020, 2021, 2022, 2023};
    struct gov_cell *g;
    CHECK(governance_grid(db, &a, contract_id, &copil, 1, years, 5, "2025-06-01", &g) == ERR_OK);
    int held[] = {1, 0, 0, 0, 0};
    for (int j = 0; j < 5; j++) {
        CHECK_INT(g[j].held, held[j]);
        CHECK_INT(g[j].required_min, 1);
        CHECK(g[j].year_over);
        CHECK(g[j].below_required == (held[j] == 0));
    }
    CHECK_INT(g[3].planned, 1);
    CHECK_INT(g[3].overdue, 1);
    struct gov_summary s;
    CHECK(governance_summary(db, &a, contract_id, "2025-06-01", &s) == ERR_OK);
    CHECK_INT(s.first_year, 2019);
    CHECK_INT(s.last_year, 2023);
    CHECK_INT(s.required, 10); /* steering committee 5 × 1, technical committee 5 × 1 */
    CHECK_INT(s.held, 1);
    /* Within 2022, before the year ended: not yet below the minimum. */
    CHECK(governance_grid(db, &a, contract_id, &copil, 1, &years[3], 1, "2022-06-01", &g) ==
          ERR_OK);
    CHECK(!g[0].year_over && !g[0].below_required);
    CHECK_INT(g[0].overdue, 0); /* planned "in 2022": not passed on 1 June */
    int counts[BODY_KIND_COUNT + 1];
    CHECK(governance_held_by_kind(db, contract_id, 2019, counts) == ERR_OK);
    CHECK_INT(counts[body_kind_index("steering_committee")], 1);
    int total = 0;
    for (int k = 0; k <= BODY_KIND_COUNT; k++)
        total += counts[k];
    struct meeting_filter f = {.contract_id = contract_id, .year = 2019, .status = "held"};
    struct meeting *m;
    int n = 0;
    CHECK(meeting_list(db, &a, &f, &m, &n) == ERR_OK);
    CHECK_INT(total, n);
    arena_free(&a);
}

static void test_plan(void)
{
    struct arena a = {0};
    long long cotech = body_by_kind(&a, "technical_committee"), id1, id2;
    CHECK(plan_add(db, &coord, cotech, "2027-03", "month", "", &id1) == ERR_OK);
    CHECK(plan_add(db, &coord, cotech, "2027-10-15", "day", "après l'été", &id2) == ERR_OK);
    CHECK(plan_add(db, &coord, cotech, "15/10/2027", "day", "", &id2) == ERR_INVALID);
    struct body b;
    CHECK(body_get(db, &a, cotech, &b) == ERR_OK);
    int year = 2027;
    struct gov_cell *g;
    /* In May: March has passed without a meeting; October is to come. */
    CHECK(governance_grid(db, &a, contract_id, &b, 1, &year, 1, "2027-05-02", &g) == ERR_OK);
    CHECK_INT(g[0].planned, 2);
    CHECK_INT(g[0].overdue, 1);
    CHECK(!g[0].below_required);
    /* On the last day of March it is not late yet. */
    CHECK(governance_grid(db, &a, contract_id, &b, 1, &year, 1, "2027-03-31", &g) == ERR_OK);
    CHECK_INT(g[0].overdue, 0);
    /* A meeting held in April makes the March entry kept. */
    struct meeting_edit e = {.body_id = cotech, .title = "COTECH", .held_on = "2027-04-10",
                             .precision = "day", .status = "held"};
    long long mid;
    CHECK(meeting_add(db, &coord, contract_id, &e, &mid) == ERR_OK);
    CHECK(governance_grid(db, &a, contract_id, &b, 1, &year, 1, "2027-11-02", &g) == ERR_OK);
    CHECK_INT(g[0].held, 1);
    CHECK_INT(g[0].overdue, 1); /* October passed too, with only one meeting held */
    CHECK(plan_remove(db, &coord, cotech, id1) == ERR_OK);
    CHECK(plan_remove(db, &coord, cotech, id1) == ERR_NOTFOUND);
    CHECK(plan_remove(db, &coord, body_by_kind(&a, "project_team"), id2) == ERR_NOTFOUND);
    arena_free(&a);
}

static int audit_count(const char *entity, long long id, const char *field)
{
    struct arena a = {0};
    struct audit_filter f = {.entity = entity, .entity_id = id};
    struct audit_entry *e;
    int n = 0, k = 0;
    if (audit_list(db, &a, &f, &e, &n) == ERR_OK)
        for (int i = 0; i < n; i++)
            k += !field || str_eq(e[i].field, field);
    arena_free(&a);
    return k;
}

static void test_meeting_writes(void)
{
    struct arena a = {0};
    long long copil = body_by_kind(&a, "steering_committee"), id;
    struct meeting_edit e = {.body_id = copil, .title = "COPIL 2027", .held_on = "2027-06-12",
                             .precision = "day", .start_time = "14:00", .end_time = "16:30",
                             .place = "Salle du PETR", .status = "planned",
                             .agenda = "- bilan\n- plan"};
    struct problems p = {0};
    meeting_check(db, contract_id, &e, &p);
    CHECK_INT(p.n, 0);
    CHECK(meeting_add(db, &coord, contract_id, &e, &id) == ERR_OK);
    CHECK(audit_count("meeting", id, "title") == 1);
    struct meeting m;
    CHECK(meeting_get(db, &a, id, &m) == ERR_OK);
    CHECK_INT(m.sequence, 0);
    CHECK_INT(m.version, 1);
    CHECK_INT(m.year, 2027);
    /* The agenda alone: no new SEQUENCE. */
    bool raised = true;
    e.agenda = "- bilan\n- plan\n- questions";
    CHECK(meeting_update(db, &coord, id, 1, &e, &raised) == ERR_OK);
    CHECK(!raised);
    /* A new time: SEQUENCE + 1. */
    e.start_time = "15:00";
    CHECK(meeting_update(db, &coord, id, 2, &e, &raised) == ERR_OK);
    CHECK(raised);
    CHECK(meeting_get(db, &a, id, &m) == ERR_OK);
    CHECK_INT(m.sequence, 1);
    CHECK_STR(m.start_time, "15:00");
    /* A stale version changes nothing. */
    e.place = "Ailleurs";
    CHECK(meeting_update(db, &coord, id, 2, &e, &raised) == ERR_CONFLICT);
    CHECK(meeting_get(db, &a, id, &m) == ERR_OK);
    CHECK_STR(m.place, "Salle du PETR");
    /* Refused input. */
    struct meeting_edit bad = e;
    bad.video_url = "javascript:alert(1)";
    bad.end_time = "13:00";
    bad.status = "maybe";
    p = (struct problems){0};
    meeting_check(db, contract_id, &bad, &p);
    CHECK_INT(p.n, 3);
    CHECK(meeting_update(db, &coord, id, 3, &bad, &raised) == ERR_INVALID);
    bad = e;
    bad.held_on = "2027-06";
    bad.precision = "month";
    p = (struct problems){0};
    meeting_check(db, contract_id, &bad, &p); /* a time needs a day */
    CHECK_INT(p.n, 1);
    CHECK(meeting_set_minutes(db, &coord, id, 3, "Compte rendu") == ERR_OK);
    CHECK(meeting_set_minutes(db, &coord, id, 3, "Encore") == ERR_CONFLICT);
    arena_free(&a);
}

static void test_invitees_and_decisions(void)
{
    struct arena a = {0};
    long long copil = body_by_kind(&a, "steering_committee"), id, pid;
    struct meeting_edit e = {.body_id = copil, .title = "COPIL de test", .held_on = "2026-01-20",
                             .precision = "day", .status = "planned"};
    CHECK(meeting_add(db, &coord, contract_id, &e, &id) == ERR_OK);
    int added = 0;
    CHECK(invitee_add_members(db, &coord, id, &added) == ERR_OK);
    CHECK_INT(added, 7); /* the demo's steering committee: the 7 signatories' representatives */
    CHECK(invitee_add_members(db, &coord, id, &added) == ERR_OK);
    CHECK_INT(added, 0);
    struct person_edit pe = {.name = "Jeanne Test", .email = "jeanne@cls.invalid"};
    CHECK(person_add(db, &coord, 0, contract_id, &pe, &pid) == ERR_OK);
    struct person_edit bad = {.name = "", .email = "pas une adresse"};
    struct problems p = {0};
    person_check(db, &bad, &p);
    CHECK_INT(p.n, 2);
    CHECK(invitee_add(db, &coord, id, pid) == ERR_OK);
    struct invitee *vs;
    int n = 0;
    CHECK(invitee_list(db, &a, id, &vs, &n) == ERR_OK);
    CHECK_INT(n, 8);
    CHECK_INT(vs[0].invited_sequence, -1);
    struct attendance_edit att[3] = {{vs[0].person_id, "present", ""},
                                     {vs[1].person_id, "represented", "Son adjoint"},
                                     {pid, "excused", ""}};
    CHECK(invitee_set_attendance(db, &coord, id, att, 3) == ERR_OK);
    struct attendance_edit no_name = {vs[2].person_id, "represented", ""};
    CHECK(invitee_set_attendance(db, &coord, id, &no_name, 1) == ERR_INVALID);
    struct meeting m;
    CHECK(meeting_get(db, &a, id, &m) == ERR_OK);
    CHECK_INT(m.n_invited, 8);
    CHECK_INT(m.n_present, 1);
    CHECK_INT(m.n_represented, 1);
    CHECK_INT(m.n_excused, 1);
    CHECK(invitee_mark_sent(db, id, pid, 0) == ERR_OK);
    CHECK(invitee_remove(db, &coord, id, pid) == ERR_OK);
    CHECK(invitee_remove(db, &coord, id, pid) == ERR_NOTFOUND);

    /* A decision linked to two actions shows on each action's page. */
    struct action_filter f = {.contract_id = contract_id};
    struct action *acts;
    int na = 0;
    CHECK(action_list(db, &a, &f, &acts, &na) == ERR_OK && na > 2);
    long long ids[3] = {acts[0].id, acts[2].id, acts[0].id}, did;
    CHECK(decision_add(db, &coord, id, "Relancer le groupe mobilité", ids, 3, &did) == ERR_OK);
    long long unknown = 99999999;
    CHECK(decision_add(db, &coord, id, "Impossible", &unknown, 1, &did) == ERR_INVALID);
    CHECK(decision_add(db, &coord, id, "  ", NULL, 0, &did) == ERR_INVALID);
    struct decision *ds;
    int nd = 0;
    CHECK(decision_list(db, &a, id, &ds, &nd) == ERR_OK);
    CHECK_INT(nd, 1);
    CHECK_INT(nd ? ds[0].n_links : 0, 2);
    struct action_decision *ad;
    CHECK(decision_of_action(db, &a, acts[2].id, &ad, &nd) == ERR_OK);
    CHECK_INT(nd, 1);
    CHECK_STR(nd ? ad[0].text : "", "Relancer le groupe mobilité");
    CHECK(decision_remove(db, &coord, id, ds[0].id) == ERR_OK);
    CHECK(decision_of_action(db, &a, acts[2].id, &ad, &nd) == ERR_OK);
    CHECK_INT(nd, 0);
    arena_free(&a);
}

/* Writes a calendar and reads it back with libical. */
static void test_ical(void)
{
    struct ical_event ev[2] = {
        {.uid = "a1@boussole", .summary = "COPIL, bilan; 2025", .description = "Ligne 1\nLigne 2",
         .location = "Salle 1", .url = "http://127.0.0.1/meetings/1", .date = "2025-03-12",
         .start_time = "14:00", .end_time = "16:00", .sequence = 2, .status = "CONFIRMED",
         .stamp = 1700000000},
        {.uid = "b2@boussole", .summary = "Formation", .url = "http://127.0.0.1/meetings/2",
         .date = "2022-09-19", .end_date = "2022-09-25", .status = "CANCELLED",
         .stamp = 1700000000},
    };
    char *text = ical_calendar("Réunions", ICAL_PUBLISH, ev, 2);
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK(strstr(text, "\r\n") != NULL);
    CHECK(strstr(text, "BEGIN:VTIMEZONE") != NULL);
    CHECK(strstr(text, "DTSTART;TZID=Europe/Paris:20250312T140000") != NULL);
    CHECK(strstr(text, "DTSTART;VALUE=DATE:20220919") != NULL);
    CHECK(strstr(text, "DTEND;VALUE=DATE:20220926") != NULL);
    icalcomponent *cal = icalparser_parse_string(text);
    CHECK(cal != NULL);
    if (cal) {
        CHECK_INT(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 2);
        icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
        CHECK_STR(icalcomponent_get_uid(e), "a1@boussole");
        CHECK_STR(icalcomponent_get_summary(e), "COPIL, bilan; 2025");
        CHECK_STR(icalcomponent_get_description(e), "Ligne 1\nLigne 2");
        CHECK_INT(icalcomponent_get_sequence(e), 2);
        struct icaltimetype start = icalcomponent_get_dtstart(e);
        CHECK_INT(start.hour, 14);
        icalproperty *p = icalcomponent_get_first_property(e, ICAL_URL_PROPERTY);
        CHECK(p && str_eq(icalproperty_get_url(p), "http://127.0.0.1/meetings/1"));
        /* Written again, the calendar says the same. */
        char *again = icalcomponent_as_ical_string_r(cal);
        CHECK_STR(again, text);
        free(again);
        icalcomponent_free(cal);
    }
    free(text);
    ev[0].organizer_email = "coordination@cls.invalid";
    ev[0].attendee_email = "jeanne@cls.invalid";
    ev[0].attendee_name = "Jeanne";
    text = ical_calendar(NULL, ICAL_REQUEST, ev, 1);
    CHECK(text && strstr(text, "METHOD:REQUEST") && strstr(text, "RSVP=TRUE") &&
          strstr(text, "SEQUENCE:2"));
    free(text);
    text = ical_calendar(NULL, ICAL_CANCEL, ev, 1);
    CHECK(text && strstr(text, "METHOD:CANCEL") && strstr(text, "STATUS:CANCELLED"));
    free(text);
    struct ical_event bad = {.uid = "x", .date = "2025-02-30"};
    text = ical_calendar(NULL, ICAL_PUBLISH, &bad, 1);
    CHECK(text == NULL);
    free(text);
}

static void test_markdown(void)
{
    struct buf b = {0};
    markdown_html(&b, "**gras**\n\n<script>alert(1)</script>\n\n[lien](javascript:alert(2)) "
                      "<img src=x onerror=alert(3)>");
    const char *h = buf_cstr(&b);
    CHECK(strstr(h, "<strong>gras</strong>") != NULL);
    CHECK(strstr(h, "<script") == NULL);
    CHECK(strstr(h, "javascript:") == NULL);
    CHECK(strstr(h, "onerror") == NULL);
    buf_free(&b);
    struct mail m = {.from = "a@b.invalid", .to = "c@d.invalid", .subject = "Invitation",
                     .text = "Bonjour", .attachment_name = "invitation.ics",
                     .attachment_type = "text/calendar; method=REQUEST",
                     .attachment = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
    char *msg = mail_format(&m);
    CHECK(strstr(msg, "Content-Type: text/calendar; method=REQUEST") != NULL);
    free(msg);
}

/* The contract's journal holds the governance entries, each named as the record is now. */
static void test_journal(void)
{
    struct arena a = {0};
    long long copil = body_by_kind(&a, "steering_committee"), mid, pid;
    struct meeting_edit e = {.body_id = copil, .title = "COPIL du journal",
                             .held_on = "2024-11-05", .precision = "day", .status = "planned"};
    CHECK(meeting_add(db, &coord, contract_id, &e, &mid) == ERR_OK);
    struct person_edit pe = {.name = "Jules Journal"};
    CHECK(person_add(db, &coord, 0, contract_id, &pe, &pid) == ERR_OK);
    CHECK(body_member_set(db, &coord, copil, pid, "guest") == ERR_OK);
    struct audit_filter f = {.contract_id = contract_id, .limit = 50};
    struct audit_entry *log;
    int n = 0, seen_meeting = 0, seen_person = 0, seen_body = 0;
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    for (int i = 0; i < n; i++) {
        if (str_eq(log[i].entity, "meeting") && log[i].entity_id == mid)
            seen_meeting += str_eq(log[i].label, "COPIL du journal du 05/11/2024");
        if (str_eq(log[i].entity, "person") && log[i].entity_id == pid)
            seen_person += str_eq(log[i].label, "Jules Journal");
        if (str_eq(log[i].entity, "body") && log[i].entity_id == copil)
            seen_body += *log[i].label != '\0';
    }
    CHECK(seen_meeting >= 3); /* title, date, status… */
    CHECK_INT(seen_person, 1);
    CHECK_INT(seen_body, 1);
    /* Another contract's journal does not show them. */
    f.contract_id = contract_id + 1000;
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    CHECK_INT(n, 0);
    /* A month-precision meeting is named with its month. */
    e.held_on = "2024-12";
    e.precision = "month";
    CHECK(meeting_update(db, &coord, mid, 1, &e, &(bool){false}) == ERR_OK);
    struct audit_filter one = {.entity = "meeting", .entity_id = mid, .limit = 1};
    CHECK(audit_list(db, &a, &one, &log, &n) == ERR_OK && n == 1);
    CHECK_STR(n ? log[0].label : "", "COPIL du journal du 12/2024");
    arena_free(&a);
}

/* Parses an export; NULL (and a failed check) when it is not JSON. */
static json_t *export_of(bool account, long long id)
{
    struct buf b = {0};
    int rc = account ? account_export_json(db, id, &b) : gdpr_person_json(db, id, &b);
    CHECK(rc == ERR_OK);
    json_error_t err;
    json_t *j = rc == ERR_OK ? json_loads(buf_cstr(&b), 0, &err) : NULL;
    if (rc == ERR_OK && !j)
        fprintf(stderr, "export is not JSON: %s\n%s\n", err.text, buf_cstr(&b));
    CHECK(j != NULL);
    buf_free(&b);
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(none)";
}

static void test_gdpr(void)
{
    struct arena a = {0};
    long long copil = body_by_kind(&a, "steering_committee"), mid, loose, linked, account_id;
    struct meeting_edit e = {.body_id = copil, .title = "COPIL RGPD", .held_on = "2025-02-03",
                             .precision = "day", .status = "held"};
    CHECK(meeting_add(db, &coord, contract_id, &e, &mid) == ERR_OK);
    struct account acc = {.email = "lea.rgpd@cls.invalid", .name = "Léa Rgpd",
                          .role = "referent", .contract_id = contract_id};
    CHECK(account_create(db, &acc, "", &account_id) == ERR_OK);
    struct person_edit pl = {.name = "Marc Sanscompte", .function = "Maire",
                             .email = "marc@cls.invalid", .phone = "03 83 00 00 01"};
    struct person_edit pk = {.name = "Léa Rgpd", .email = "lea.rgpd@cls.invalid",
                             .phone = "03 83 00 00 02", .account_id = account_id};
    CHECK(person_add(db, &coord, 0, contract_id, &pl, &loose) == ERR_OK);
    CHECK(person_add(db, &coord, 0, contract_id, &pk, &linked) == ERR_OK);
    pl.phone = "03 83 00 00 09";
    CHECK(person_update(db, &coord, 0, loose, 1, &pl) == ERR_OK);
    CHECK(body_member_set(db, &coord, copil, linked, "member") == ERR_OK);
    CHECK(invitee_add(db, &coord, mid, loose) == ERR_OK);
    CHECK(invitee_add(db, &coord, mid, linked) == ERR_OK);
    struct attendance_edit att[2] = {{loose, "present", ""}, {linked, "excused", ""}};
    CHECK(invitee_set_attendance(db, &coord, mid, att, 2) == ERR_OK);

    /* A record alone: the record, its attendance, the changes made to it. */
    json_t *j = export_of(false, loose);
    json_t *rec = json_object_get(j, "contact_record");
    CHECK_STR(jstr(rec, "name"), "Marc Sanscompte");
    CHECK_STR(jstr(rec, "email"), "marc@cls.invalid");
    json_t *att_rows = json_object_get(j, "attendance");
    CHECK_INT((int)json_array_size(att_rows), 1);
    CHECK_STR(jstr(json_array_get(att_rows, 0), "attendance"), "present");
    CHECK_STR(jstr(json_array_get(att_rows, 0), "meeting"), "COPIL RGPD");
    CHECK(json_array_size(json_object_get(j, "changes")) >= 5);
    json_decref(j);
    struct buf none = {0};
    CHECK(gdpr_person_json(db, 99999999, &none) == ERR_NOTFOUND);
    buf_free(&none);

    /* An account's export holds its contact record, memberships and attendance. */
    j = export_of(true, account_id);
    json_t *recs = json_object_get(j, "contact_records");
    CHECK_INT((int)json_array_size(recs), 1);
    json_t *r0 = json_array_get(recs, 0);
    CHECK_STR(jstr(json_object_get(r0, "contact_record"), "phone"), "03 83 00 00 02");
    CHECK_STR(jstr(json_array_get(json_object_get(r0, "attendance"), 0), "attendance"),
              "excused");
    CHECK_STR(jstr(json_array_get(json_object_get(r0, "memberships"), 0), "role"), "member");
    json_decref(j);

    /* Erasing a record tied to an account is the account's erasure. */
    CHECK(gdpr_person_erase(db, &coord, linked) == ERR_CONFLICT);
    CHECK(gdpr_person_erase(db, &coord, 99999999) == ERR_NOTFOUND);
    CHECK(gdpr_person_erase(db, &coord, loose) == ERR_OK);
    CHECK(account_erase(db, account_id) == ERR_OK);
    struct person p;
    char want[48];
    CHECK(person_get(db, &a, loose, &p) == ERR_OK);
    snprintf(want, sizeof want, "Contact n°%lld", loose);
    CHECK_STR(p.name, want);
    CHECK_STR(p.email, "");
    CHECK_STR(p.phone, "");
    CHECK_STR(p.function, ""); /* the job title goes too: with the place it names her */
    CHECK(person_get(db, &a, linked, &p) == ERR_OK);
    snprintf(want, sizeof want, "Personne n°%lld", account_id);
    CHECK_STR(p.name, want);
    CHECK_STR(p.email, "");
    CHECK_STR(p.phone, "");
    CHECK(account_get(db, &a, account_id, &acc) == ERR_OK);
    CHECK_STR(acc.name, want);

    /* The attendance counts and the membership stay; the history keeps its rows without the
     * values that named or reached the person. */
    struct meeting m;
    CHECK(meeting_get(db, &a, mid, &m) == ERR_OK);
    CHECK_INT(m.n_invited, 2);
    CHECK_INT(m.n_present, 1);
    CHECK_INT(m.n_excused, 1);
    struct body_member *bm;
    int n = 0, found = 0;
    CHECK(body_members(db, &a, copil, &bm, &n) == ERR_OK);
    for (int i = 0; i < n; i++)
        found += bm[i].person_id == linked && str_eq(bm[i].name, want);
    CHECK_INT(found, 1);
    struct audit_filter f = {.entity = "person", .entity_id = loose};
    struct audit_entry *log;
    CHECK(audit_list(db, &a, &f, &log, &n) == ERR_OK);
    CHECK_INT(n, 6); /* 4 fields set, the phone changed, the erasure */
    int erased = 0;
    for (int i = 0; i < n; i++) {
        const char *values[2] = {log[i].old_value, log[i].new_value};
        for (int k = 0; k < 2; k++)
            CHECK(!strstr(values[k], "Marc") && !strstr(values[k], "03 83") &&
                  !strstr(values[k], "@"));
        erased += str_eq(log[i].field, "erased") && str_eq(log[i].actor, coord.name);
    }
    CHECK_INT(erased, 1);
    j = export_of(false, loose);
    CHECK_STR(jstr(json_object_get(j, "contact_record"), "email"), "");
    CHECK_INT((int)json_array_size(json_object_get(j, "attendance")), 1);
    json_decref(j);
    arena_free(&a);
}

int main(void)
{
    test_dates_and_times();
    test_ical();
    test_markdown();
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/gov.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_governance: %s\n", err);
        return 1;
    }
    const char *data = getenv("BOUSSOLE_DATA");
    static char demo[1024];
    snprintf(demo, sizeof demo, "%s/demo", data ? data : BOUSSOLE_DATADIR);
    demo_dir = demo;
    bool loaded = false;
    CHECK(demo_load(db, demo, &loaded) == ERR_OK);
    struct arena a = {0};
    struct contract *c;
    int n = 0;
    if (loaded && contract_list(db, &a, &c, &n) == ERR_OK && n == 1)
        contract_id = c[0].id;
    arena_free(&a);
    if (contract_id) {
        test_demo_meetings();
        test_steering_committee_story();
        test_plan();
        test_meeting_writes();
        test_invitees_and_decisions();
        test_journal();
        test_gdpr();
    } else {
        fprintf(stderr, "test_governance: the demo did not load from %s\n", demo);
        CHECK(contract_id != 0);
    }
    store_close(db);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "test_governance: %s kept\n", dir);
    return check_report("test_governance");
}
