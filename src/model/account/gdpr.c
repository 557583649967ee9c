/* gdpr.c — SQL of the GDPR rights over contact records: their export as a JSON document (as
 * account_export_json does for accounts) and their erasure. Must not decide who may use them
 * (the route table does) nor delete what the history or the attendance counts refer to. */
#include "model/account/gdpr.h"

#include <stdio.h>

#include "model/governance/governance_internal.h"
#include "model/governance/person.h"

/* Appends the rows of a query bound to id as a JSON array of objects. */
static int json_rows(struct store *db, struct buf *out, const char *sql, long long id)
{
    struct stmt *st = store_prepare(db, sql);
    stmt_bind_int(st, 1, id);
    buf_puts(out, "[");
    int rc, rows = 0;
    while ((rc = stmt_step(st)) == 1) {
        struct arena a = {0};
        buf_puts(out, rows++ ? ",{" : "{");
        for (int c = 0; c < stmt_column_count(st); c++) {
            const char *key = stmt_column_name(st, c);
            if (stmt_is_integer(st, c))
                buf_printf(out, "%s\"%j\":%lld", c ? "," : "", key, stmt_int(st, c));
            else
                buf_printf(out, "%s\"%j\":\"%j\"", c ? "," : "", key, stmt_text(st, c, &a));
        }
        buf_puts(out, "}");
        arena_free(&a);
    }
    stmt_done(st);
    buf_puts(out, "]");
    return rc < 0 ? rc : ERR_OK;
}

int gdpr_json_sections(struct store *db, struct buf *out, long long id,
                       const struct gdpr_section *sections, int n)
{
    int rc = ERR_OK;
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        buf_printf(out, ",\n\"%j\":", sections[i].key);
        rc = json_rows(db, out, sections[i].sql, id);
    }
    return rc;
}

/* The audit entries about a contact record: its own fields, and the body and meeting entries
 * whose field names it (member:ID, invitee:ID, attendance:ID, represented_by:ID). */
#define ABOUT_PERSON                                                                           \
    "(entity = 'person' AND entity_id = ?1) OR (entity IN ('body', 'meeting') AND field IN "    \
    "('member:' || ?1, 'invitee:' || ?1, 'attendance:' || ?1, 'represented_by:' || ?1))"

int gdpr_person_json(struct store *db, long long id, struct buf *out)
{
    struct arena a = {0};
    struct person p;
    int rc = person_get(db, &a, id, &p);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    buf_printf(out,
               "{\"contact_record\":{\"id\":%lld,\"contract_id\":%lld,\"name\":\"%j\","
               "\"function\":\"%j\",\"organisation_id\":%lld,\"organisation\":\"%j\","
               "\"email\":\"%j\",\"phone\":\"%j\",\"account_id\":%lld,\"version\":%d}",
               p.id, p.contract_id, p.name, p.function, p.organisation_id, p.organisation_name,
               p.email, p.phone, p.account_id, p.version);
    arena_free(&a);
    static const struct gdpr_section sections[] = {
        {"memberships", "SELECT b.id AS body_id, b.name AS body, m.role AS role "
                        "FROM body_member m JOIN body b ON b.id = m.body_id "
                        "WHERE m.person_id = ?1 ORDER BY b.id"},
        {"referent_of", "SELECT b.id AS body_id, b.name AS body, o.id AS organisation_id, "
                        "o.name AS organisation FROM body_referent r JOIN body b "
                        "ON b.id = r.body_id JOIN organisation o ON o.id = r.organisation_id "
                        "WHERE r.person_id = ?1 ORDER BY b.id"},
        {"attendance", "SELECT m.id AS meeting_id, m.title AS meeting, m.held_on AS held_on, "
                       "m.status AS meeting_status, i.attendance AS attendance, "
                       "i.represented_by AS represented_by, "
                       "coalesce(i.invited_sequence, -1) AS invited_sequence "
                       "FROM meeting_invitee i JOIN meeting m ON m.id = i.meeting_id "
                       "WHERE i.person_id = ?1 ORDER BY m.held_on, m.id"},
        {"changes", "SELECT at, actor, entity, entity_id, field, old_value, new_value "
                    "FROM audit_log WHERE " ABOUT_PERSON " ORDER BY id"},
        {"directory", "SELECT public_consent, retain_until, (SELECT group_concat(kind || ':' "
                      "|| code, ' ') FROM person_referent WHERE person_id = ?1) AS referent_for "
                      "FROM person WHERE id = ?1"},
        {"directory_contact_of", "SELECT id AS service_id, name AS service FROM service "
                                 "WHERE person_id = ?1 ORDER BY id"},
    };
    rc = gdpr_json_sections(db, out, id, sections, (int)(sizeof sections / sizeof *sections));
    buf_puts(out, "}");
    return rc;
}

int gdpr_account_people(struct store *db, struct arena *a, long long account_id, long long **ids,
                        int *n)
{
    struct stmt *st = store_prepare(db, "SELECT id FROM person WHERE account_id = ?1 ORDER BY id");
    stmt_bind_int(st, 1, account_id);
    int rc, cap = 0;
    *ids = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *ids = rows_grow(a, *ids, *n, &cap, sizeof **ids);
        (*ids)[(*n)++] = stmt_int(st, 0);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int gdpr_person_scrub(struct store *db, const struct actor *who, long long id,
                      const char *pseudonym)
{
    long long version;
    int rc = edit_one_int(db, "SELECT version FROM person WHERE id = ?1", id, &version);
    if (rc != ERR_OK)
        return rc;
    /* "Represented by" is free text on other people's attendance: where it is exactly this
     * person's name, it names them, so it takes the pseudonym too (journal included). */
    static const char *const by_name[] = {
        "UPDATE meeting_invitee SET represented_by = ?2 WHERE represented_by <> '' AND "
        "represented_by = (SELECT name FROM person WHERE id = ?1)",
        "UPDATE audit_log SET old_value = CASE WHEN old_value = (SELECT name FROM person WHERE "
        "id = ?1) THEN ?2 ELSE old_value END, new_value = CASE WHEN new_value = (SELECT name "
        "FROM person WHERE id = ?1) THEN ?2 ELSE new_value END "
        "WHERE entity = 'meeting' AND field LIKE 'represented_by:%'",
    };
    for (int i = 0; i < 2; i++) { /* before the name itself changes */
        struct stmt *q = store_prepare(db, by_name[i]);
        stmt_bind_int(q, 1, id);
        stmt_bind_text(q, 2, pseudonym);
        if ((rc = stmt_exec(q)) != ERR_OK)
            return rc;
    }
    struct stmt *st = store_prepare(
        db, "UPDATE person SET name = ?2, function = '', email = '', phone = '', "
            "version = version + 1 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, pseudonym);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    /* Out of the public directory: no consent, no referent seat, no service contact. */
    static const char *const directory[] = {
        "UPDATE person SET public_consent = 0, retain_until = '' WHERE id = ?1",
        "DELETE FROM person_referent WHERE person_id = ?1",
        "UPDATE service SET person_id = NULL WHERE person_id = ?1",
    };
    for (int i = 0; i < 3; i++) {
        st = store_prepare(db, directory[i]);
        stmt_bind_int(st, 1, id);
        if ((rc = stmt_exec(st)) != ERR_OK)
            return rc;
    }
    /* Queued or sent e-mails name the person and hold the address. */
    st = store_prepare(db, "DELETE FROM outbox WHERE person_id = ?1");
    stmt_bind_int(st, 1, id);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    /* The free texts of the questionnaires they answered (a contact to call back, names):
     * the figures keep the choices, the words go. */
    st = store_prepare(
        db, "UPDATE survey_answer SET value = '(effacé)' WHERE part IN ('text', 'comment') AND "
            "response_id IN (SELECT r.id FROM survey_response r JOIN survey_link l ON l.id = "
            "r.link_id WHERE l.person_id = ?1)");
    stmt_bind_int(st, 1, id);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    /* The history keeps its rows; the values that named or reached the person go. */
    st = store_prepare(
        db, "UPDATE audit_log SET "
            "old_value = CASE WHEN old_value = '' THEN '' WHEN field = 'name' THEN ?2 "
            "ELSE '(effacé)' END, "
            "new_value = CASE WHEN new_value = '' THEN '' WHEN field = 'name' THEN ?2 "
            "ELSE '(effacé)' END "
            "WHERE entity = 'person' AND entity_id = ?1 AND "
            "field IN ('name', 'function', 'email', 'phone')");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, pseudonym);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    return audit_record(db, who, "person", id, (int)version + 1, "erased", "", "1");
}

int gdpr_person_erase(struct store *db, const struct actor *who, long long id)
{
    long long account_id;
    int rc = edit_one_int(db, "SELECT coalesce(account_id, 0) FROM person WHERE id = ?1", id,
                         &account_id);
    if (rc != ERR_OK)
        return rc;
    if (account_id)
        return ERR_CONFLICT;
    if ((rc = store_begin(db)) != ERR_OK)
        return rc;
    char pseudonym[48];
    snprintf(pseudonym, sizeof pseudonym, "Contact n°%lld", id);
    rc = edit_finish(db, gdpr_person_scrub(db, who, id, pseudonym));
    /* The old values are still in the write-ahead log until a checkpoint copies the new pages
     * over them: erased means gone from the files too. */
    if (rc == ERR_OK)
        rc = store_checkpoint_truncate(db);
    return rc;
}
