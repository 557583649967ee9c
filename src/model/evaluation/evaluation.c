/* evaluation.c — the audited, version-checked writes of a contract's final evaluation: SWOT
 * items, recommendations and the texts replacing the drafted sentences. A record of another
 * contract is never read nor changed here: every statement names the contract.
 * Must not produce HTML or JSON, nor write without its audit rows in the same transaction. */
#include "model/evaluation/evaluation.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "model/plan/editing_internal.h"
#include "store/rows.h"

static const char *const quadrant_keys[SWOT_COUNT] = {"strength", "weakness", "opportunity",
                                                      "threat"};
static const char *const quadrant_labels[SWOT_COUNT] = {"Forces", "Faiblesses", "Opportunités",
                                                        "Menaces"};
static const char *const state_keys[REC_STATE_COUNT] = {"open", "in_progress", "done", "dropped"};
static const char *const state_labels[REC_STATE_COUNT] = {"À engager", "Engagée", "Réalisée",
                                                          "Abandonnée"};
static const char *const section_keys[EVS_COUNT] = {"status", "indicators", "governance",
                                                    "conclusion"};
static const char *const section_labels[EVS_COUNT] = {"État d'avancement", "Indicateurs",
                                                      "Gouvernance", "Conclusion"};

static int key_index(const char *const *keys, int n, const char *key)
{
    for (int i = 0; key && i < n; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return -1;
}

const char *swot_quadrant_key(enum swot_quadrant q)
{
    return q >= 0 && q < SWOT_COUNT ? quadrant_keys[q] : NULL;
}

int swot_quadrant_from_key(const char *key)
{
    return key_index(quadrant_keys, SWOT_COUNT, key);
}

const char *swot_quadrant_label(enum swot_quadrant q)
{
    return q >= 0 && q < SWOT_COUNT ? quadrant_labels[q] : "";
}

const char *rec_state_key(enum rec_state s)
{
    return s >= 0 && s < REC_STATE_COUNT ? state_keys[s] : NULL;
}

int rec_state_from_key(const char *key)
{
    return key_index(state_keys, REC_STATE_COUNT, key);
}

const char *rec_state_label(enum rec_state s)
{
    return s >= 0 && s < REC_STATE_COUNT ? state_labels[s] : "";
}

const char *eval_section_key(enum eval_section s)
{
    return s >= 0 && s < EVS_COUNT ? section_keys[s] : NULL;
}

int eval_section_from_key(const char *key)
{
    return key_index(section_keys, EVS_COUNT, key);
}

const char *eval_section_label(enum eval_section s)
{
    return s >= 0 && s < EVS_COUNT ? section_labels[s] : "";
}

static bool bad_text(const char *s, size_t max)
{
    return !s || edit_too_long(s, max) || !utf8_valid(s, strlen(s));
}

/* Lists every audit row this transaction wrote in the contract's journal: SWOT items and
 * recommendations are not among the records audit.c finds by their contract. */
static int show_in_contract(struct store *db, long long before, long long contract_id, int rc)
{
    return rc == ERR_OK ? audit_show_in(db, before, contract_id) : rc;
}

/* ---- SWOT -------------------------------------------------------------------------------- */

int swot_list(struct store *db, struct arena *a, long long contract_id, struct swot_item **out,
              int *n)
{
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT id, quadrant, position, text, source_ref, version FROM swot_item "
            "WHERE contract_id = ?1 ORDER BY CASE quadrant WHEN 'strength' THEN 0 "
            "WHEN 'weakness' THEN 1 WHEN 'opportunity' THEN 2 ELSE 3 END, position, id");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct swot_item *s = &(*out)[(*n)++];
        s->id = stmt_int(st, 0);
        int q = swot_quadrant_from_key(stmt_text(st, 1, a));
        s->quadrant = q < 0 ? SWOT_THREAT : (enum swot_quadrant)q;
        s->position = (int)stmt_int(st, 2);
        s->text = stmt_text(st, 3, a);
        s->source_ref = stmt_text(st, 4, a);
        s->version = (int)stmt_int(st, 5);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

void swot_check(const char *text, struct problems *p)
{
    if (str_blank(text))
        problems_add(p, "text", "Écrivez le texte de l'élément.");
    else if (bad_text(text, SWOT_TEXT_MAX))
        problems_add(p, "text", "Le texte dépasse 1 000 caractères : raccourcissez-le.");
}

/* One item of the contract: its quadrant, position, text and version. */
struct swot_row {
    char quadrant[16];
    int position, version;
    char *text;
};

static int swot_get(struct store *db, struct arena *a, long long contract_id, long long id,
                    struct swot_row *out)
{
    struct stmt *st = store_prepare(db, "SELECT quadrant, position, version, text FROM "
                                        "swot_item WHERE id = ?1 AND contract_id = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    int rc = stmt_step(st);
    if (rc == 1) {
        snprintf(out->quadrant, sizeof out->quadrant, "%s", stmt_text(st, 0, a));
        out->position = (int)stmt_int(st, 1);
        out->version = (int)stmt_int(st, 2);
        out->text = stmt_text(st, 3, a);
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

static int next_position(struct store *db, long long contract_id, const char *quadrant, int *out)
{
    struct stmt *st = store_prepare(db, "SELECT coalesce(max(position), 0) + 1 FROM swot_item "
                                        "WHERE contract_id = ?1 AND quadrant = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, quadrant);
    int rc = stmt_step(st);
    if (rc == 1)
        *out = (int)stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_DB : rc;
}

static int swot_insert(struct store *db, long long contract_id, enum swot_quadrant q,
                       const char *text, const char *source_ref)
{
    int position = 0;
    int rc = next_position(db, contract_id, swot_quadrant_key(q), &position);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "INSERT INTO swot_item (contract_id, quadrant, position, text, source_ref) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, swot_quadrant_key(q));
    stmt_bind_int(st, 3, position);
    stmt_bind_text(st, 4, text);
    stmt_bind_text(st, 5, source_ref);
    return stmt_exec(st);
}

static bool swot_bad(enum swot_quadrant q, const char *text, const char *source_ref)
{
    struct problems p = {0};
    swot_check(text, &p);
    return p.n || !swot_quadrant_key(q) || bad_text(source_ref, REC_FIELD_MAX);
}

int swot_import(struct store *db, long long contract_id, enum swot_quadrant q, const char *text,
                const char *source_ref)
{
    return swot_bad(q, text, source_ref) ? ERR_INVALID
                                         : swot_insert(db, contract_id, q, text, source_ref);
}

int swot_add(struct store *db, const struct actor *who, long long contract_id,
             enum swot_quadrant q, const char *text, const char *source_ref, long long *id)
{
    if (swot_bad(q, text, source_ref))
        return ERR_INVALID;
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = audit_last_id(db, &before);
    if (rc == ERR_OK)
        rc = swot_insert(db, contract_id, q, text, source_ref);
    long long new_id = rc == ERR_OK ? store_last_id(db) : 0;
    if (rc == ERR_OK)
        rc = audit_record(db, who, "swot_item", new_id, 1, "quadrant", "", swot_quadrant_key(q));
    if (rc == ERR_OK)
        rc = audit_record(db, who, "swot_item", new_id, 1, "text", "", text);
    rc = show_in_contract(db, before, contract_id, rc);
    if (id)
        *id = new_id;
    return edit_finish(db, rc);
}

/* Bumps the version of an item still at version and sets its fields. */
static int swot_write(struct store *db, long long id, int version, const char *quadrant,
                      int position, const char *text)
{
    struct stmt *st = store_prepare(
        db, "UPDATE swot_item SET quadrant = ?3, position = ?4, text = ?5, version = version + 1 "
            "WHERE id = ?1 AND version = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, version);
    stmt_bind_text(st, 3, quadrant);
    stmt_bind_int(st, 4, position);
    stmt_bind_text(st, 5, text);
    int rc = stmt_exec(st);
    return rc == ERR_OK ? edit_bumped(db) : rc;
}

int swot_update(struct store *db, const struct actor *who, long long contract_id, long long id,
                int version, enum swot_quadrant q, const char *text)
{
    struct problems p = {0};
    swot_check(text, &p);
    if (p.n || !swot_quadrant_key(q))
        return ERR_INVALID;
    struct arena a = {0};
    struct swot_row was;
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = swot_get(db, &a, contract_id, id, &was);
    if (rc == ERR_OK && was.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &before);
    const char *quadrant = swot_quadrant_key(q);
    int position = was.position;
    if (rc == ERR_OK && strcmp(quadrant, was.quadrant) != 0)
        rc = next_position(db, contract_id, quadrant, &position);
    if (rc == ERR_OK)
        rc = swot_write(db, id, version, quadrant, position, text);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "swot_item", id, version + 1, "quadrant", was.quadrant,
                         quadrant);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "swot_item", id, version + 1, "text", was.text, text);
    rc = show_in_contract(db, before, contract_id, rc);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* The id and version of the item next to position in a quadrant (delta -1: before, +1: after);
 * ERR_NOTFOUND at an end. */
static int neighbour(struct store *db, long long contract_id, const char *quadrant, int position,
                     int delta, long long *id, int *version, int *npos)
{
    struct stmt *st = store_prepare(
        db, delta < 0 ? "SELECT id, version, position FROM swot_item WHERE contract_id = ?1 AND "
                        "quadrant = ?2 AND position < ?3 ORDER BY position DESC, id DESC LIMIT 1"
                      : "SELECT id, version, position FROM swot_item WHERE contract_id = ?1 AND "
                        "quadrant = ?2 AND position > ?3 ORDER BY position, id LIMIT 1");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, quadrant);
    stmt_bind_int(st, 3, position);
    int rc = stmt_step(st);
    if (rc == 1) {
        *id = stmt_int(st, 0);
        *version = (int)stmt_int(st, 1);
        *npos = (int)stmt_int(st, 2);
    }
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

int swot_move(struct store *db, const struct actor *who, long long contract_id, long long id,
              int version, int delta)
{
    struct arena a = {0};
    struct swot_row was, other;
    long long before = 0, other_id = 0;
    int other_version = 0, other_pos = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = swot_get(db, &a, contract_id, id, &was);
    if (rc == ERR_OK && was.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &before);
    if (rc == ERR_OK) {
        rc = neighbour(db, contract_id, was.quadrant, was.position, delta, &other_id,
                       &other_version, &other_pos);
        if (rc == ERR_NOTFOUND) { /* already first or last: nothing to do */
            arena_free(&a);
            return edit_finish(db, ERR_OK);
        }
    }
    if (rc == ERR_OK)
        rc = swot_get(db, &a, contract_id, other_id, &other);
    if (rc == ERR_OK)
        rc = swot_write(db, id, version, was.quadrant, other_pos, was.text);
    if (rc == ERR_OK)
        rc = swot_write(db, other_id, other_version, other.quadrant, was.position, other.text);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "swot_item", id, version + 1, "position",
                          edit_int_text(&a, was.position), edit_int_text(&a, other_pos));
    if (rc == ERR_OK)
        rc = audit_record(db, who, "swot_item", other_id, other_version + 1, "position",
                          edit_int_text(&a, other_pos), edit_int_text(&a, was.position));
    rc = show_in_contract(db, before, contract_id, rc);
    arena_free(&a);
    return edit_finish(db, rc);
}

int swot_remove(struct store *db, const struct actor *who, long long contract_id, long long id,
                int version)
{
    struct arena a = {0};
    struct swot_row was;
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = swot_get(db, &a, contract_id, id, &was);
    if (rc == ERR_OK && was.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &before);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(db,
                                        "DELETE FROM swot_item WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        rc = stmt_exec(st);
        if (rc == ERR_OK)
            rc = edit_bumped(db);
    }
    /* The removed text stays readable in the journal. */
    if (rc == ERR_OK)
        rc = audit_record(db, who, "swot_item", id, version + 1, "text", was.text, "");
    rc = show_in_contract(db, before, contract_id, rc);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- recommendations --------------------------------------------------------------------- */

#define REC_COLUMNS "id, number, title, body, owner, follow_up, state, source_ref, version "

static void read_rec(struct stmt *st, struct arena *a, struct recommendation *r)
{
    r->id = stmt_int(st, 0);
    r->number = (int)stmt_int(st, 1);
    r->title = stmt_text(st, 2, a);
    r->body = stmt_text(st, 3, a);
    r->owner = stmt_text(st, 4, a);
    r->follow_up = stmt_text(st, 5, a);
    int s = rec_state_from_key(stmt_text(st, 6, a));
    r->state = s < 0 ? REC_OPEN : (enum rec_state)s;
    r->source_ref = stmt_text(st, 7, a);
    r->version = (int)stmt_int(st, 8);
}

int rec_list(struct store *db, struct arena *a, long long contract_id, struct recommendation **out,
             int *n)
{
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    struct stmt *st = store_prepare(db, "SELECT " REC_COLUMNS "FROM recommendation "
                                        "WHERE contract_id = ?1 ORDER BY number, id");
    stmt_bind_int(st, 1, contract_id);
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        read_rec(st, a, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

static int rec_get(struct store *db, struct arena *a, long long contract_id, long long id,
                   struct recommendation *out)
{
    struct stmt *st = store_prepare(db, "SELECT " REC_COLUMNS "FROM recommendation "
                                        "WHERE id = ?1 AND contract_id = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    int rc = stmt_step(st);
    if (rc == 1)
        read_rec(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

void rec_check(struct store *db, long long contract_id, long long self, const struct rec_edit *e,
               struct problems *p)
{
    if (str_blank(e->title))
        problems_add(p, "title", "Donnez un intitulé à la recommandation.");
    else if (bad_text(e->title, REC_TITLE_MAX))
        problems_add(p, "title", "L'intitulé dépasse 300 caractères : raccourcissez-le.");
    if (bad_text(e->body, EVAL_BODY_MAX))
        problems_add(p, "body", "Le texte dépasse 20 000 caractères.");
    if (bad_text(e->owner, REC_FIELD_MAX))
        problems_add(p, "owner", "Le porteur dépasse 300 caractères.");
    if (bad_text(e->follow_up, EVAL_BODY_MAX))
        problems_add(p, "follow_up", "Le suivi dépasse 20 000 caractères.");
    if (!rec_state_key(e->state))
        problems_add(p, "state", "Choisissez un état dans la liste.");
    if (e->number < 0 || e->number > 999) {
        problems_add(p, "number", "Le numéro est un nombre entier de 1 à 999.");
        return;
    }
    if (!e->number)
        return;
    struct stmt *st = store_prepare(db, "SELECT 1 FROM recommendation WHERE contract_id = ?1 "
                                        "AND number = ?2 AND id <> ?3");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, e->number);
    stmt_bind_int(st, 3, self);
    int rc = stmt_step(st);
    stmt_done(st);
    if (rc == 1)
        problems_add(p, "number", "Une autre recommandation porte déjà ce numéro.");
}

static int next_number(struct store *db, long long contract_id, int *out)
{
    long long k = 0;
    int rc = edit_one_int(db,
                          "SELECT coalesce(max(number), 0) + 1 FROM recommendation "
                          "WHERE contract_id = ?1",
                          contract_id, &k);
    *out = (int)k;
    return rc;
}

/* The audited fields of a recommendation, as audit_log.field keys, and their values. */
enum { REC_FIELDS = 6 };
static const char *const rec_field_keys[REC_FIELDS] = {"number", "title",     "body",
                                                       "owner",  "follow_up", "state"};

static void rec_texts(struct arena *a, int number, const char *title, const char *body,
                      const char *owner, const char *follow_up, enum rec_state state,
                      const char *out[REC_FIELDS])
{
    out[0] = edit_int_text(a, number);
    out[1] = title;
    out[2] = body;
    out[3] = owner;
    out[4] = follow_up;
    out[5] = rec_state_key(state);
}

static int rec_insert(struct store *db, long long contract_id, const struct rec_edit *e,
                      int number, const char *source_ref)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO recommendation (contract_id, number, title, body, owner, follow_up, "
            "state, source_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, number);
    stmt_bind_text(st, 3, e->title);
    stmt_bind_text(st, 4, e->body);
    stmt_bind_text(st, 5, e->owner);
    stmt_bind_text(st, 6, e->follow_up);
    stmt_bind_text(st, 7, rec_state_key(e->state));
    stmt_bind_text(st, 8, source_ref);
    return stmt_exec(st);
}

int rec_import(struct store *db, long long contract_id, const struct rec_edit *e,
               const char *source_ref)
{
    struct problems p = {0};
    rec_check(db, contract_id, 0, e, &p);
    if (p.n || bad_text(source_ref, REC_FIELD_MAX))
        return ERR_INVALID;
    int number = e->number;
    int rc = number ? ERR_OK : next_number(db, contract_id, &number);
    return rc == ERR_OK ? rec_insert(db, contract_id, e, number, source_ref) : rc;
}

int rec_add(struct store *db, const struct actor *who, long long contract_id,
            const struct rec_edit *e, const char *source_ref, long long *id)
{
    struct problems p = {0};
    rec_check(db, contract_id, 0, e, &p);
    if (p.n || bad_text(source_ref, REC_FIELD_MAX))
        return ERR_INVALID;
    struct arena a = {0};
    long long before = 0;
    int number = e->number;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = audit_last_id(db, &before);
    if (rc == ERR_OK && !number)
        rc = next_number(db, contract_id, &number);
    if (rc == ERR_OK)
        rc = rec_insert(db, contract_id, e, number, source_ref);
    long long new_id = rc == ERR_OK ? store_last_id(db) : 0;
    const char *now[REC_FIELDS];
    rec_texts(&a, number, e->title, e->body, e->owner, e->follow_up, e->state, now);
    for (int f = 0; rc == ERR_OK && f < REC_FIELDS; f++)
        rc = audit_field(db, who, "recommendation", new_id, 1, rec_field_keys[f], "", now[f]);
    rc = show_in_contract(db, before, contract_id, rc);
    if (id)
        *id = new_id;
    arena_free(&a);
    return edit_finish(db, rc);
}

int rec_update(struct store *db, const struct actor *who, long long contract_id, long long id,
               int version, const struct rec_edit *e)
{
    struct problems p = {0};
    rec_check(db, contract_id, id, e, &p);
    if (p.n)
        return ERR_INVALID;
    struct arena a = {0};
    struct recommendation was = {0};
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = rec_get(db, &a, contract_id, id, &was);
    if (rc == ERR_OK && was.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &before);
    int number = e->number ? e->number : was.number;
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE recommendation SET number = ?3, title = ?4, body = ?5, owner = ?6, "
                "follow_up = ?7, state = ?8, version = version + 1 WHERE id = ?1 AND "
                "version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_int(st, 3, number);
        stmt_bind_text(st, 4, e->title);
        stmt_bind_text(st, 5, e->body);
        stmt_bind_text(st, 6, e->owner);
        stmt_bind_text(st, 7, e->follow_up);
        stmt_bind_text(st, 8, rec_state_key(e->state));
        rc = stmt_exec(st);
        if (rc == ERR_OK)
            rc = edit_bumped(db);
    }
    const char *old[REC_FIELDS], *now[REC_FIELDS];
    rec_texts(&a, was.number, was.title, was.body, was.owner, was.follow_up, was.state, old);
    rec_texts(&a, number, e->title, e->body, e->owner, e->follow_up, e->state, now);
    for (int f = 0; rc == ERR_OK && f < REC_FIELDS; f++)
        rc = audit_field(db, who, "recommendation", id, version + 1, rec_field_keys[f], old[f],
                         now[f]);
    rc = show_in_contract(db, before, contract_id, rc);
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- texts ------------------------------------------------------------------------------- */

int eval_texts_get(struct store *db, struct arena *a, long long contract_id,
                   struct eval_texts *out)
{
    for (int s = 0; s < EVS_COUNT; s++) {
        out->body[s] = "";
        out->version[s] = 0;
    }
    struct stmt *st = store_prepare(db, "SELECT section, body, version FROM evaluation_text "
                                        "WHERE contract_id = ?1");
    stmt_bind_int(st, 1, contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        int s = eval_section_from_key(stmt_text(st, 0, a));
        if (s < 0)
            continue;
        out->body[s] = stmt_text(st, 1, a);
        out->version[s] = (int)stmt_int(st, 2);
    }
    stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

int eval_text_save(struct store *db, const struct actor *who, long long contract_id,
                   enum eval_section s, int version, const char *body)
{
    if (!eval_section_key(s) || bad_text(body, EVAL_BODY_MAX) || version < 0)
        return ERR_INVALID;
    struct arena a = {0};
    struct eval_texts was;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = eval_texts_get(db, &a, contract_id, &was);
    if (rc == ERR_OK && was.version[s] != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, version ? "UPDATE evaluation_text SET body = ?3, version = version + 1 "
                          "WHERE contract_id = ?1 AND section = ?2 AND version = ?4"
                        : "INSERT INTO evaluation_text (contract_id, section, body) "
                          "VALUES (?1, ?2, ?3)");
        stmt_bind_int(st, 1, contract_id);
        stmt_bind_text(st, 2, eval_section_key(s));
        stmt_bind_text(st, 3, body);
        if (version)
            stmt_bind_int(st, 4, version);
        rc = stmt_exec(st);
        if (rc == ERR_OK && version)
            rc = edit_bumped(db);
    }
    if (rc == ERR_OK) {
        char field[48];
        snprintf(field, sizeof field, "evaluation_%s", eval_section_key(s));
        rc = audit_field(db, who, "contract", contract_id, version + 1, field, was.body[s], body);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}
