/* meeting.c — SQL of meetings, their checks, and the date and time readers of the governance
 * forms. Must not produce HTML or JSON, and must never write without its audit rows in the same
 * transaction (imports excepted: meeting_create runs inside the loader's transaction). */
#include "model/governance/meeting.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/secret.h"
#include "base/str.h"
#include "base/text.h"
#include "model/governance/governance_internal.h"

const char *const meeting_statuses[] = {"planned", "held", "cancelled", "postponed", "not_held",
                                        NULL};
static const char *const status_labels[] = {"Prévue", "Tenue", "Annulée", "Reportée",
                                            "Non tenue"};

const char *meeting_status_label(const char *status)
{
    for (int i = 0; meeting_statuses[i]; i++)
        if (str_eq(meeting_statuses[i], status))
            return status_labels[i];
    return status;
}

bool meeting_status_valid(const char *status)
{
    for (int i = 0; meeting_statuses[i]; i++)
        if (str_eq(meeting_statuses[i], status))
            return true;
    return false;
}

/* ---- dates and times ------------------------------------------------------------------------ */

int meeting_parse_date(const char *s, char out[11], const char **precision)
{
    static const char *const names[] = {"", "year", "month", "day"};
    out[0] = '\0';
    *precision = NULL;
    struct date d;
    if (date_parse(s, DATE_FULL | DATE_PARTIAL | DATE_NAMED, &d) != ERR_OK)
        return ERR_INVALID;
    date_iso(&d, out);
    *precision = names[d.precision];
    return ERR_OK;
}

int meeting_parse_time(const char *s, char out[6])
{
    return date_parse_time(s, out);
}

const char *meeting_period_end(struct arena *a, const char *date, const char *precision)
{
    char tmp[24];
    if (str_eq(precision, "month"))
        snprintf(tmp, sizeof tmp, "%.7s-32", date);
    else if (str_eq(precision, "year"))
        snprintf(tmp, sizeof tmp, "%.4s-12-32", date);
    else
        snprintf(tmp, sizeof tmp, "%.10s", date);
    return arena_strdup(a, tmp);
}

/* True when date (with precision) is what meeting_parse_date writes. */
static bool date_shape_ok(const char *date, const char *precision)
{
    char out[11];
    const char *p;
    return date && meeting_parse_date(date, out, &p) == ERR_OK && str_eq(out, date) &&
           str_eq(p, precision);
}

/* ---- reading -------------------------------------------------------------------------------- */

#define MEETING_COLUMNS                                                                        \
    "m.id, m.contract_id, coalesce(m.body_id, 0), m.uid, m.title, m.held_on, m.date_precision, " \
    "m.end_on, m.date_as_written, m.start_time, m.end_time, m.place, m.video_url, m.agenda, "  \
    "m.minutes, m.status, m.notes, m.source, m.year, m.sequence, m.version, "                  \
    "coalesce(b.name, ''), coalesce(b.kind, ''), coalesce(c.n, 0), coalesce(c.present, 0), "   \
    "coalesce(c.excused, 0), coalesce(c.absent, 0), coalesce(c.represented, 0) "               \
    "FROM meeting m LEFT JOIN body b ON b.id = m.body_id LEFT JOIN (SELECT meeting_id, "       \
    "count(*) AS n, sum(CASE WHEN attendance = 'present' THEN 1 ELSE 0 END) AS present, "      \
    "sum(CASE WHEN attendance = 'excused' THEN 1 ELSE 0 END) AS excused, "                     \
    "sum(CASE WHEN attendance = 'absent' THEN 1 ELSE 0 END) AS absent, "                       \
    "sum(CASE WHEN attendance = 'represented' THEN 1 ELSE 0 END) AS represented "              \
    "FROM meeting_invitee GROUP BY meeting_id) c ON c.meeting_id = m.id "

static void read_meeting(struct stmt *st, struct arena *a, void *row)
{
    struct meeting *m = row;
    m->id = stmt_int(st, 0);
    m->contract_id = stmt_int(st, 1);
    m->body_id = stmt_int(st, 2);
    m->uid = stmt_text(st, 3, a);
    m->title = stmt_text(st, 4, a);
    m->held_on = stmt_text(st, 5, a);
    m->precision = stmt_text(st, 6, a);
    m->end_on = stmt_text(st, 7, a);
    m->date_as_written = stmt_text(st, 8, a);
    m->start_time = stmt_text(st, 9, a);
    m->end_time = stmt_text(st, 10, a);
    m->place = stmt_text(st, 11, a);
    m->video_url = stmt_text(st, 12, a);
    m->agenda = stmt_text(st, 13, a);
    m->minutes = stmt_text(st, 14, a);
    m->status = stmt_text(st, 15, a);
    m->notes = stmt_text(st, 16, a);
    m->source = stmt_text(st, 17, a);
    m->year = (int)stmt_int(st, 18);
    m->sequence = (int)stmt_int(st, 19);
    m->version = (int)stmt_int(st, 20);
    m->body_name = stmt_text(st, 21, a);
    m->body_kind = stmt_text(st, 22, a);
    m->n_invited = (int)stmt_int(st, 23);
    m->n_present = (int)stmt_int(st, 24);
    m->n_excused = (int)stmt_int(st, 25);
    m->n_absent = (int)stmt_int(st, 26);
    m->n_represented = (int)stmt_int(st, 27);
}

int meeting_list(struct store *db, struct arena *a, const struct meeting_filter *f,
                 struct meeting **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT " MEETING_COLUMNS "WHERE m.contract_id = ?1 AND (?2 = 0 OR m.body_id = ?2) "
            "AND (?3 = 0 OR m.year = ?3) AND (?4 IS NULL OR m.status = ?4) "
            "ORDER BY m.held_on, m.start_time, m.id");
    stmt_bind_int(st, 1, f->contract_id);
    stmt_bind_int(st, 2, f->body_id);
    stmt_bind_int(st, 3, f->year);
    stmt_bind_text(st, 4, f->status);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_meeting, &rows, n);
    *out = rows;
    return rc;
}

int meeting_get(struct store *db, struct arena *a, long long id, struct meeting *out)
{
    struct stmt *st = store_prepare(db, "SELECT " MEETING_COLUMNS "WHERE m.id = ?1");
    stmt_bind_int(st, 1, id);
    return gov_read_one(st, a, read_meeting, out);
}

int meeting_years(struct store *db, long long contract_id, int *years, int max, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT DISTINCT year FROM meeting WHERE contract_id = ?1 ORDER BY year");
    stmt_bind_int(st, 1, contract_id);
    return gov_read_years(st, years, max, n);
}

/* ---- checks and writes ---------------------------------------------------------------------- */

void meeting_check(struct store *db, long long contract_id, const struct meeting_edit *e,
                   struct problems *p)
{
    if (str_blank(e->title))
        problems_add(p, "title", "Donnez un intitulé à la réunion.");
    else if (edit_too_long(e->title, 300))
        problems_add(p, "title", "L'intitulé dépasse 300 caractères.");
    if (!date_shape_ok(e->held_on, e->precision))
        problems_add(p, "date", "Indiquez la date : JJ/MM/AAAA, ou le mois (MM/AAAA).");
    if (!str_blank(e->end_on)) {
        if (!date_shape_ok(e->end_on, "day") || !str_eq(e->precision, "day"))
            problems_add(p, "end_on", "La date de fin s'écrit JJ/MM/AAAA, avec un jour de début.");
        else if (strcmp(e->end_on, gov_str(e->held_on)) < 0)
            problems_add(p, "end_on", "La date de fin précède la date de début.");
    }
    char t[6];
    if (meeting_parse_time(e->start_time, t) != ERR_OK || !str_eq(t, gov_str(e->start_time)))
        problems_add(p, "start_time", "L'heure s'écrit HH:MM, par exemple 14:30.");
    if (meeting_parse_time(e->end_time, t) != ERR_OK || !str_eq(t, gov_str(e->end_time)))
        problems_add(p, "end_time", "L'heure s'écrit HH:MM, par exemple 16:00.");
    else if (!str_blank(e->end_time) && str_blank(e->start_time))
        problems_add(p, "end_time", "Indiquez aussi l'heure de début.");
    else if (!str_blank(e->end_time) && str_blank(e->end_on) &&
             strcmp(e->end_time, gov_str(e->start_time)) <= 0)
        problems_add(p, "end_time", "L'heure de fin doit suivre l'heure de début.");
    if ((!str_blank(e->start_time)) && !str_eq(e->precision, "day"))
        problems_add(p, "start_time", "Une heure demande une date au jour près.");
    if (edit_too_long(e->place, 300))
        problems_add(p, "place", "Le lieu dépasse 300 caractères.");
    if (!str_blank(e->video_url) &&
        ((strncmp(e->video_url, "https://", 8) != 0 && strncmp(e->video_url, "http://", 7) != 0) ||
         edit_too_long(e->video_url, 500) || strpbrk(e->video_url, " \"<>\r\n")))
        problems_add(p, "video_url", "Le lien de visioconférence commence par https://.");
    if (edit_too_long(e->agenda, 20000))
        problems_add(p, "agenda", "L'ordre du jour dépasse 20 000 caractères.");
    if (edit_too_long(e->notes, 20000))
        problems_add(p, "notes", "Les remarques dépassent 20 000 caractères.");
    if (!meeting_status_valid(e->status))
        problems_add(p, "status", "Choisissez le statut de la réunion.");
    long long body_contract;
    if (e->body_id && (edit_one_int(db, "SELECT contract_id FROM body WHERE id = ?1", e->body_id,
                                    &body_contract) != ERR_OK ||
                       body_contract != contract_id))
        problems_add(p, "body_id", "Cette instance n'existe pas dans ce contrat.");
}

static void bind_edit(struct stmt *st, const struct meeting_edit *e)
{
    if (e->body_id)
        stmt_bind_int(st, 3, e->body_id);
    else
        stmt_bind_null(st, 3);
    stmt_bind_text(st, 4, e->title);
    char year[5] = {0};
    memcpy(year, e->held_on, 4);
    long long y = 0;
    if (str_to_ll(year, 1900, 2200, &y) != ERR_OK)
        y = 0;
    stmt_bind_int(st, 5, y);
    stmt_bind_text(st, 6, e->held_on);
    stmt_bind_text(st, 7, e->precision);
    stmt_bind_text(st, 8, gov_str(e->end_on));
    stmt_bind_text(st, 9, gov_str(e->start_time));
    stmt_bind_text(st, 10, gov_str(e->end_time));
    stmt_bind_text(st, 11, gov_str(e->place));
    stmt_bind_text(st, 12, gov_str(e->video_url));
    stmt_bind_text(st, 13, gov_str(e->agenda));
    stmt_bind_text(st, 14, e->status);
    stmt_bind_text(st, 15, gov_str(e->notes));
}

int meeting_create(struct store *db, long long contract_id, const struct meeting_edit *e,
                   long long *id)
{
    char token[SECRET_TOKEN_LEN + 1], uid[SECRET_TOKEN_LEN + 16];
    secret_token(token);
    snprintf(uid, sizeof uid, "%s@boussole", token);
    struct stmt *st = store_prepare(
        db, "INSERT INTO meeting (contract_id, uid, body_id, title, year, held_on, "
            "date_precision, end_on, start_time, end_time, place, video_url, agenda, status, "
            "notes, date_as_written, source, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, uid);
    bind_edit(st, e);
    stmt_bind_text(st, 16, gov_str(e->date_as_written));
    stmt_bind_text(st, 17, gov_str(e->source));
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

enum { N_FIELDS = 12 };
static const char *const fields[N_FIELDS] = {
    "body_id", "title",     "date",   "date_precision", "end_on", "start_time",
    "end_time", "place",    "video_url", "status",     "agenda", "notes"};
/* The fields whose change invitees must hear of: the first ones, up to status. */
enum { N_NOTIFIED = 10 };

static void edit_values(struct arena *a, const struct meeting_edit *e, const char *out[N_FIELDS])
{
    const char *v[N_FIELDS] = {edit_int_text(a, e->body_id), e->title,      e->held_on,
                               e->precision,                 e->end_on,     e->start_time,
                               e->end_time,                  e->place,      e->video_url,
                               e->status,                    e->agenda,     e->notes};
    for (int i = 0; i < N_FIELDS; i++)
        out[i] = gov_str(v[i]);
}

int meeting_add(struct store *db, const struct actor *who, long long contract_id,
                const struct meeting_edit *e, long long *id)
{
    struct problems p = {0};
    meeting_check(db, contract_id, e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = meeting_create(db, contract_id, e, id);
    struct arena a = {0};
    if (rc == ERR_OK) {
        const char *now[N_FIELDS];
        edit_values(&a, e, now);
        for (int i = 0; i < N_FIELDS && rc == ERR_OK; i++)
            rc = audit_field(db, who, "meeting", *id, 1, fields[i], "", now[i]);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int meeting_update(struct store *db, const struct actor *who, long long id, int version,
                   const struct meeting_edit *e, bool *sequence_raised)
{
    *sequence_raised = false;
    struct arena a = {0};
    struct meeting old;
    int rc = meeting_get(db, &a, id, &old);
    if (rc == ERR_OK) {
        struct problems p = {0};
        meeting_check(db, old.contract_id, e, &p);
        rc = p.n ? ERR_INVALID : store_begin(db);
    }
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    struct meeting_edit was = {old.body_id,    old.title,    old.held_on, old.precision,
                               old.end_on,     old.start_time, old.end_time, old.place,
                               old.video_url,  old.agenda,   old.status,  old.notes,
                               NULL,           NULL};
    const char *before[N_FIELDS], *now[N_FIELDS];
    edit_values(&a, &was, before);
    edit_values(&a, e, now);
    bool raise = false;
    for (int i = 0; i < N_NOTIFIED; i++)
        raise |= !str_eq(before[i], now[i]) && i != 0;
    struct stmt *st = store_prepare(
        db, "UPDATE meeting SET body_id = ?3, title = ?4, year = ?5, held_on = ?6, "
            "date_precision = ?7, end_on = ?8, start_time = ?9, end_time = ?10, place = ?11, "
            "video_url = ?12, agenda = ?13, status = ?14, notes = ?15, "
            "sequence = sequence + ?16, version = version + 1 WHERE id = ?1 AND version = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, version);
    bind_edit(st, e);
    stmt_bind_int(st, 16, raise ? 1 : 0);
    rc = stmt_exec(st);
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    for (int i = 0; i < N_FIELDS && rc == ERR_OK; i++)
        rc = audit_field(db, who, "meeting", id, version + 1, fields[i], before[i], now[i]);
    if (rc == ERR_OK && raise)
        rc = audit_record(db, who, "meeting", id, version + 1, "sequence",
                          edit_int_text(&a, old.sequence), edit_int_text(&a, old.sequence + 1));
    arena_free(&a);
    rc = edit_finish(db, rc);
    *sequence_raised = rc == ERR_OK && raise;
    return rc;
}

int meeting_set_minutes(struct store *db, const struct actor *who, long long id, int version,
                        const char *minutes)
{
    if (edit_too_long(minutes, 100000))
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct meeting old;
    rc = meeting_get(db, &a, id, &old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE meeting SET minutes = ?3, version = version + 1 "
                "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, gov_str(minutes));
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "meeting", id, version + 1, "minutes", old.minutes,
                         gov_str(minutes));
    arena_free(&a);
    return edit_finish(db, rc);
}
