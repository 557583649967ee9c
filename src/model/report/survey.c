/* survey.c — the SQL of evaluation questionnaires (migration 014): surveys and their questions,
 * the template loader, opening with one personal link per carrier contact, reminders, the close.
 * Link sessions and answers: survey_answer.c; checks of an answer set: survey_check.c; figures:
 * survey_stats.c. Mail texts come from the caller (campaign_mail_fn). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/secret.h"
#include "base/str.h"
#include "model/plan/editing.h"
#include "model/plan/editing_internal.h"
#include "model/report/survey.h"
#include "store/rows.h"

static const char *const KIND_KEYS[SQ_KINDS] = {"single", "multiple", "text",
                                                "scale",  "date",     "matrix"};
static const char *const KIND_LABELS[SQ_KINDS] = {"Choix unique", "Choix multiple",
                                                  "Texte libre",  "Échelle de 0 à 5",
                                                  "Dates",        "Grille oui/non"};

const char *survey_kind_key(enum survey_kind k)
{
    return k >= 0 && k < SQ_KINDS ? KIND_KEYS[k] : "text";
}

const char *survey_kind_label(enum survey_kind k)
{
    return k >= 0 && k < SQ_KINDS ? KIND_LABELS[k] : "?";
}

static enum survey_kind kind_from_key(const char *s)
{
    for (int k = 0; k < SQ_KINDS; k++)
        if (str_eq(s, KIND_KEYS[k]))
            return (enum survey_kind)k;
    return SQ_TEXT;
}

#define SURVEY_COLUMNS                                                                     \
    "s.id, s.contract_id, s.title, s.intro, s.state, s.deadline, s.deadline_at, "          \
    "s.created_at, coalesce(s.opened_at, 0), coalesce(s.closed_at, 0), (SELECT count(*) "  \
    "FROM survey_link l WHERE l.survey_id = s.id), (SELECT count(*) FROM survey_question " \
    "q WHERE q.survey_id = s.id) FROM survey s "

static void read_survey(struct stmt *st, struct arena *a, struct survey *s)
{
    *s = (struct survey){
        .id = stmt_int(st, 0),
        .contract_id = stmt_int(st, 1),
        .title = stmt_text(st, 2, a),
        .intro = stmt_text(st, 3, a),
        .state = stmt_text(st, 4, a),
        .deadline = stmt_text(st, 5, a),
        .deadline_at = stmt_int(st, 6),
        .created_at = stmt_int(st, 7),
        .opened_at = stmt_int(st, 8),
        .closed_at = stmt_int(st, 9),
        .links = (int)stmt_int(st, 10),
        .questions = (int)stmt_int(st, 11),
    };
}

int survey_list(struct store *db, struct arena *a, long long contract_id, struct survey **out,
                int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " SURVEY_COLUMNS
                                        "WHERE s.contract_id = ?1 ORDER BY s.id DESC");
    stmt_bind_int(st, 1, contract_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        read_survey(st, a, &(*out)[(*n)++]);
    }
    return rc;
}

int survey_get(struct store *db, struct arena *a, long long id, struct survey *out)
{
    struct stmt *st = store_prepare(db, "SELECT " SURVEY_COLUMNS "WHERE s.id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    read_survey(st, a, out);
    stmt_done(st);
    return ERR_OK;
}

int scope_survey(struct store *db, long long survey_id, long long *contract_id)
{
    struct stmt *st = store_prepare(db, "SELECT contract_id FROM survey WHERE id = ?1");
    stmt_bind_int(st, 1, survey_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    *contract_id = stmt_int(st, 0);
    stmt_done(st);
    return ERR_OK;
}

/* Splits one-per-line text into an array in the arena. */
static char **split_lines(struct arena *a, const char *s, int *n)
{
    *n = 0;
    int cap = 0;
    char **out = NULL;
    while (s && *s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        out = rows_grow(a, out, *n, &cap, sizeof *out);
        char *line = arena_alloc(a, len + 1);
        memcpy(line, s, len);
        line[len] = '\0';
        out[(*n)++] = line;
        s = e ? e + 1 : s + len;
    }
    return out;
}

int survey_questions(struct store *db, struct arena *a, long long survey_id,
                     struct survey_question **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, position, section, text, kind, required, options, rows, has_comment, "
            "coalesce(cond_position, 0), cond_value, version FROM survey_question WHERE "
            "survey_id = ?1 "
            "ORDER BY position");
    stmt_bind_int(st, 1, survey_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct survey_question *q = &(*out)[(*n)++];
        *q = (struct survey_question){
            .id = stmt_int(st, 0),
            .position = (int)stmt_int(st, 1),
            .section = stmt_text(st, 2, a),
            .text = stmt_text(st, 3, a),
            .kind = kind_from_key(stmt_text(st, 4, a)),
            .required = stmt_int(st, 5) != 0,
            .has_comment = stmt_int(st, 8) != 0,
            .cond_position = (int)stmt_int(st, 9),
            .cond_value = stmt_text(st, 10, a),
            .version = (int)stmt_int(st, 11),
        };
        q->options = split_lines(a, stmt_text(st, 6, a), &q->n_options);
        q->rows = split_lines(a, stmt_text(st, 7, a), &q->n_rows);
    }
    return rc;
}

/* ---- the template --------------------------------------------------------------------------- */

static const char *json_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The strings of a JSON array joined one per line (a line break inside one becomes a blank). */
static void join_lines(struct buf *b, json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        if (i)
            buf_putc(b, '\n');
        for (; *s; s++)
            buf_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
    }
}

static enum survey_kind template_kind(const char *type)
{
    if (str_eq(type, "single"))
        return SQ_SINGLE;
    if (str_eq(type, "multiple"))
        return SQ_MULTIPLE;
    if (str_eq(type, "scale_0_5"))
        return SQ_SCALE;
    if (str_eq(type, "date_range"))
        return SQ_DATE;
    if (str_eq(type, "matrix_yes_no_dunno"))
        return SQ_MATRIX;
    return SQ_TEXT;
}

static int insert_question(struct store *db, long long survey_id, const struct survey_question *q,
                           const char *options, const char *rows)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO survey_question (survey_id, position, section, text, kind, required, "
            "options, rows, has_comment, cond_position, cond_value) VALUES (?1, ?2, ?3, ?4, ?5, "
            "?6, ?7, ?8, ?9, ?10, ?11)");
    stmt_bind_int(st, 1, survey_id);
    stmt_bind_int(st, 2, q->position);
    stmt_bind_text(st, 3, q->section ? q->section : "");
    stmt_bind_text(st, 4, q->text);
    stmt_bind_text(st, 5, survey_kind_key(q->kind));
    stmt_bind_int(st, 6, q->required);
    stmt_bind_text(st, 7, options);
    stmt_bind_text(st, 8, rows);
    stmt_bind_int(st, 9, q->has_comment);
    if (q->cond_position)
        stmt_bind_int(st, 10, q->cond_position);
    else
        stmt_bind_null(st, 10);
    stmt_bind_text(st, 11, q->cond_value ? q->cond_value : "");
    return stmt_exec(st);
}

/* The choice of question `on` (1-based) that a condition's "when" names: the option equal to
 * it, else the one it begins (annex 7's Q9 says "si oui" of Q8, whose choice reads "Oui (Si
 * oui, mettre le nombre…)"); NULL when none, and the condition is dropped. */
static const char *condition_choice(json_t *qs, json_int_t on, const char *when)
{
    json_t *src = json_array_get(qs, (size_t)(on - 1));
    json_t *options = json_object_get(src, "options");
    size_t i, len = strlen(when);
    json_t *o;
    json_array_foreach(options, i, o)
    {
        if (json_string_value(o) && str_eq(json_string_value(o), when))
            return json_string_value(o);
    }
    json_array_foreach(options, i, o)
    {
        const char *s = json_string_value(o);
        if (s && strncmp(s, when, len) == 0 && (s[len] == ' ' || s[len] == '('))
            return s;
    }
    return NULL;
}

/* One question of the template, inserted at position. A condition whose answer the template
 * does not name (Q10: "if you measured satisfaction") stays a plain optional question. */
static int template_question(struct store *db, long long survey_id, json_t *qs, json_t *jq,
                             int position)
{
    struct survey_question q = {
        .position = position,
        .section = (char *)json_str(jq, "section"),
        .text = (char *)json_str(jq, "text"),
        .kind = template_kind(json_str(jq, "type")),
        .required = json_is_true(json_object_get(jq, "required")),
        .has_comment = json_is_true(json_object_get(jq, "has_comment")) ||
                       json_is_true(json_object_get(jq, "has_other")),
    };
    json_t *cond = json_object_get(jq, "conditions");
    json_int_t on = json_integer_value(json_object_get(cond, "depends_on"));
    const char *when = json_is_object(cond) && on > 0 && on < position
                           ? condition_choice(qs, on, json_str(cond, "when"))
                           : NULL;
    if (when) {
        q.cond_position = (int)on;
        q.cond_value = (char *)when;
    }
    struct buf options = {0}, rows = {0};
    join_lines(&options, json_object_get(jq, "options"));
    join_lines(&rows, json_object_get(jq, "rows"));
    int rc = insert_question(db, survey_id, &q, buf_cstr(&options), buf_cstr(&rows));
    buf_free(&options);
    buf_free(&rows);
    return rc;
}

int survey_create_from_template(struct store *db, const struct actor *who, long long contract_id,
                                const char *path, long long now, long long *id, const char **why)
{
    *why = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *qs = root ? json_object_get(root, "questions") : NULL;
    if (!json_is_array(qs) || json_array_size(qs) == 0) {
        json_decref(root);
        *why = "Le modèle de questionnaire est illisible (data/survey/questionnaire.json).";
        return ERR_INVALID;
    }
    int rc = store_begin(db);
    if (rc != ERR_OK) {
        json_decref(root);
        return rc;
    }
    struct stmt *st = store_prepare(
        db, "INSERT INTO survey (contract_id, title, intro, created_at, created_by) VALUES (?1, "
            "?2, ?3, ?4, ?5)");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, json_str(root, "title"));
    stmt_bind_text(st, 3, json_str(root, "intro"));
    stmt_bind_int(st, 4, now);
    stmt_bind_text(st, 5, who && who->name ? who->name : "");
    rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    size_t i;
    json_t *jq;
    json_array_foreach(qs, i, jq)
    {
        if (rc != ERR_OK)
            break;
        rc = template_question(db, *id, qs, jq, (int)i + 1);
    }
    json_decref(root);
    if (rc == ERR_OK) {
        char field[32];
        snprintf(field, sizeof field, "survey:%lld", *id);
        rc = audit_record(db, who, "contract", contract_id, 0, field, "", "draft");
    }
    return edit_finish(db, rc);
}

int survey_question_save(struct store *db, const struct actor *who, long long survey_id,
                         const struct survey_question *q, const char **why)
{
    *why = NULL;
    struct arena a = {0};
    struct survey s;
    int rc = survey_get(db, &a, survey_id, &s);
    if (rc == ERR_OK && !str_eq(s.state, "draft")) {
        *why = "Le questionnaire est déjà ouvert : ses questions ne changent plus.";
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && (str_blank(q->text) || strlen(q->text) > 2000)) {
        *why = "Écrivez l'intitulé de la question (2 000 caractères au plus).";
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && !q->id && (q->kind == SQ_SINGLE || q->kind == SQ_MULTIPLE) &&
        q->n_options < 2) {
        *why = "Une question à choix demande au moins deux choix, un par ligne.";
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && q->n_options > SURVEY_MAX_CHOICES) {
        *why = "Une question a au plus 64 choix.";
        rc = ERR_INVALID;
    }
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    rc = store_begin(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc;
    }
    char field[48];
    if (q->id) {
        struct stmt *st = store_prepare(
            db, "SELECT text, required, version FROM survey_question WHERE id = ?1 AND "
                "survey_id = ?2");
        stmt_bind_int(st, 1, q->id);
        stmt_bind_int(st, 2, survey_id);
        rc = stmt_step(st);
        const char *old = "";
        bool old_required = false;
        if (rc == 1) {
            old = stmt_text(st, 0, &a);
            old_required = stmt_int(st, 1) != 0;
            rc = stmt_int(st, 2) == q->version ? ERR_OK : ERR_CONFLICT;
            stmt_done(st);
        } else if (rc == 0) {
            rc = ERR_NOTFOUND;
        }
        if (rc == ERR_OK) {
            st = store_prepare(
                db, "UPDATE survey_question SET text = ?2, required = ?3, version = version + 1 "
                    "WHERE id = ?1");
            stmt_bind_int(st, 1, q->id);
            stmt_bind_text(st, 2, q->text);
            stmt_bind_int(st, 3, q->required);
            rc = stmt_exec(st);
        }
        snprintf(field, sizeof field, "survey:%lld:question:%lld", survey_id, q->id);
        if (rc == ERR_OK)
            rc = audit_field(db, who, "contract", s.contract_id, q->version + 1, field, old,
                             q->text);
        snprintf(field, sizeof field, "survey:%lld:required:%lld", survey_id, q->id);
        if (rc == ERR_OK && old_required != q->required)
            rc = audit_record(db, who, "contract", s.contract_id, q->version + 1, field,
                              old_required ? "oui" : "non", q->required ? "oui" : "non");
    } else {
        struct buf options = {0};
        for (int i = 0; i < q->n_options; i++) {
            buf_puts(&options, i ? "\n" : "");
            buf_puts(&options, q->options[i]);
        }
        struct survey_question nq = *q;
        nq.position = s.questions + 1;
        rc = insert_question(db, survey_id, &nq, buf_cstr(&options), "");
        buf_free(&options);
        snprintf(field, sizeof field, "survey:%lld:question", survey_id);
        if (rc == ERR_OK)
            rc = audit_record(db, who, "contract", s.contract_id, 0, field, "", q->text);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

/* ---- links, opening, reminders, close --------------------------------------------------------- */

static int new_token(struct store *db, long long link_id, long long now,
                     char token[SURVEY_TOKEN_LEN + 1])
{
    char full[SECRET_TOKEN_LEN + 1], digest[SECRET_DIGEST_LEN + 1];
    secret_token(full);
    memcpy(token, full, SURVEY_TOKEN_LEN);
    token[SURVEY_TOKEN_LEN] = '\0';
    secret_digest(token, digest);
    struct stmt *st = store_prepare(
        db, "INSERT INTO survey_token (digest, link_id, created_at) VALUES (?1, ?2, ?3)");
    stmt_bind_text(st, 1, digest);
    stmt_bind_int(st, 2, link_id);
    stmt_bind_int(st, 3, now);
    return stmt_exec(st);
}

/* The mail callback is campaign's: the survey is passed as a campaign whose year is 0 and
 * whose deadline is the survey's (the web layer writes the survey wording). */
static int send_link(struct store *db, const struct survey *s, const struct campaign_contact *to,
                     const char *kind, long long now, campaign_mail_fn mail, void *ctx)
{
    char token[SURVEY_TOKEN_LEN + 1];
    int rc = new_token(db, to->link_id, now, token);
    struct campaign c = {.id = s->id,
                         .contract_id = s->contract_id,
                         .deadline = s->deadline,
                         .state = s->state,
                         .deadline_at = s->deadline_at};
    struct outbox_mail m = {0};
    if (rc == ERR_OK && mail(ctx, &c, to, token, kind, &m) != 0)
        rc = ERR_INVALID;
    if (rc == ERR_OK) {
        m.kind = "survey";
        m.person_id = to->person_id;
        m.contract_id = s->contract_id;
        m.to = to->email;
        rc = outbox_add(db, &m, now, NULL);
    }
    return rc;
}

int survey_open(struct store *db, const struct actor *who, long long id, const char *deadline,
                long long now, campaign_mail_fn mail, void *ctx, const char **why)
{
    *why = NULL;
    char day[11];
    if (!deadline || !*deadline || edit_parse_date(deadline, day) != ERR_OK || !*day) {
        *why = "La date limite doit être une date réelle (JJ/MM/AAAA).";
        return ERR_INVALID;
    }
    long long end = (long long)date_days_from_civil(atoi(day), atoi(day + 5), atoi(day + 8)) *
                        86400 +
                    86399;
    if (end < now) {
        *why = "La date limite est déjà passée.";
        return ERR_INVALID;
    }
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "UPDATE survey SET state = 'open', deadline = ?2, deadline_at = ?3, opened_at = ?4 "
            "WHERE id = ?1 AND state = 'draft'");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, day);
    stmt_bind_int(st, 3, end);
    stmt_bind_int(st, 4, now);
    rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) == 0) {
        *why = "Ce questionnaire n'est plus un brouillon : il a déjà été ouvert.";
        rc = ERR_INVALID;
    }
    struct arena a = {0};
    struct survey s;
    struct campaign_contact *cs = NULL;
    int n = 0;
    if (rc == ERR_OK)
        rc = survey_get(db, &a, id, &s);
    if (rc == ERR_OK)
        rc = campaign_contacts(db, &a, s.contract_id, &cs, &n);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        st = store_prepare(db, "INSERT INTO survey_link (survey_id, person_id, organisation_id) "
                               "VALUES (?1, ?2, ?3)");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, cs[i].person_id);
        stmt_bind_int(st, 3, cs[i].organisation_id);
        rc = stmt_exec(st);
        if (rc == ERR_OK) {
            cs[i].link_id = store_last_id(db);
            rc = send_link(db, &s, &cs[i], "open", now, mail, ctx);
        }
    }
    if (rc == ERR_OK) {
        char field[32];
        snprintf(field, sizeof field, "survey:%lld", id);
        rc = audit_record(db, who, "contract", s.contract_id, 0, field, "draft", "open");
    }
    arena_free(&a);
    return edit_finish(db, rc);
}

int survey_links(struct store *db, struct arena *a, long long survey_id,
                 struct campaign_contact **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT l.id, l.person_id, l.organisation_id, p.name, p.email, o.name, l.reminders, "
            "(SELECT count(*) FROM action x JOIN action_organisation ao ON ao.action_id = x.id "
            "WHERE ao.organisation_id = l.organisation_id AND ao.role IN ('carrier', "
            "'co_carrier') AND x.contract_id = s.contract_id AND x.archived = 0 AND NOT EXISTS "
            "(SELECT 1 FROM survey_response r WHERE r.link_id = l.id AND r.action_id = x.id AND "
            "r.state = 'submitted')) FROM survey_link l JOIN survey s ON s.id = l.survey_id "
            "JOIN person p ON p.id = l.person_id JOIN organisation o ON o.id = l.organisation_id "
            "WHERE l.survey_id = ?1 ORDER BY o.name, p.name, l.id");
    stmt_bind_int(st, 1, survey_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct campaign_contact){
            .link_id = stmt_int(st, 0),
            .person_id = stmt_int(st, 1),
            .organisation_id = stmt_int(st, 2),
            .name = stmt_text(st, 3, a),
            .email = stmt_text(st, 4, a),
            .organisation = stmt_text(st, 5, a),
            .reminders = (int)stmt_int(st, 6),
            .unanswered = (int)stmt_int(st, 7),
        };
    }
    return rc;
}

static int remind(struct store *db, long long id, long long now, campaign_mail_fn mail, void *ctx,
                  int *sent)
{
    struct arena a = {0};
    struct survey s;
    struct campaign_contact *ls = NULL;
    int n = 0;
    int rc = survey_get(db, &a, id, &s);
    if (rc == ERR_OK && !str_eq(s.state, "open"))
        rc = ERR_INVALID;
    if (rc == ERR_OK)
        rc = survey_links(db, &a, id, &ls, &n);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        if (ls[i].unanswered == 0 || !*ls[i].email)
            continue;
        rc = send_link(db, &s, &ls[i], "reminder", now, mail, ctx);
        if (rc == ERR_OK) {
            struct stmt *st = store_prepare(
                db, "UPDATE survey_link SET reminders = reminders + 1, last_reminder_at = ?2 "
                    "WHERE id = ?1");
            stmt_bind_int(st, 1, ls[i].link_id);
            stmt_bind_int(st, 2, now);
            rc = stmt_exec(st);
            (*sent)++;
        }
    }
    arena_free(&a);
    return rc;
}

int survey_remind(struct store *db, long long id, long long now, campaign_mail_fn mail, void *ctx,
                  int *sent)
{
    *sent = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = remind(db, id, now, mail, ctx, sent);
    if (rc != ERR_OK)
        *sent = 0;
    return edit_finish(db, rc);
}

int survey_remind_due(struct store *db, long long now, campaign_mail_fn mail, void *ctx, int *sent)
{
    *sent = 0;
    static const struct {
        const char *kind;
        long long before;
    } due[] = {{"7d", CAMPAIGN_REMIND_EARLY_S}, {"1d", CAMPAIGN_REMIND_LATE_S}};
    /* Asked on every survey page: a plain read first, the write lock only when one is due. */
    struct stmt *st = store_prepare(
        db, "SELECT count(*) FROM survey s WHERE s.state = 'open' AND s.deadline_at >= ?1 AND "
            "((s.deadline_at - ?2 <= ?1 AND s.opened_at < s.deadline_at - ?2 AND NOT EXISTS "
            "(SELECT 1 FROM survey_reminder r WHERE r.survey_id = s.id AND r.kind = '7d')) OR "
            "(s.deadline_at - ?3 <= ?1 AND s.opened_at < s.deadline_at - ?3 AND NOT EXISTS "
            "(SELECT 1 FROM survey_reminder r WHERE r.survey_id = s.id AND r.kind = '1d')))");
    stmt_bind_int(st, 1, now);
    stmt_bind_int(st, 2, CAMPAIGN_REMIND_EARLY_S);
    stmt_bind_int(st, 3, CAMPAIGN_REMIND_LATE_S);
    int rc = stmt_step(st);
    long long n_due = rc == 1 ? stmt_int(st, 0) : 0;
    if (rc == 1)
        stmt_done(st);
    if (rc < 0 || n_due == 0)
        return rc < 0 ? rc : ERR_OK;
    rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    for (size_t k = 0; k < sizeof due / sizeof due[0] && rc == ERR_OK; k++) {
        st = store_prepare(
            db, "SELECT s.id FROM survey s WHERE s.state = 'open' AND s.deadline_at - ?2 <= ?1 "
                "AND s.opened_at < s.deadline_at - ?2 AND s.deadline_at >= ?1 AND NOT EXISTS "
                "(SELECT 1 FROM survey_reminder r WHERE r.survey_id = s.id AND r.kind = ?3) "
                "ORDER BY s.id");
        stmt_bind_int(st, 1, now);
        stmt_bind_int(st, 2, due[k].before);
        stmt_bind_text(st, 3, due[k].kind);
        long long ids[64];
        int n = 0;
        while ((rc = stmt_step(st)) == 1)
            if (n < 64)
                ids[n++] = stmt_int(st, 0);
        for (int i = 0; i < n && rc == ERR_OK; i++) {
            rc = remind(db, ids[i], now, mail, ctx, sent);
            if (rc == ERR_OK) {
                st = store_prepare(db, "INSERT INTO survey_reminder (survey_id, kind, sent_at) "
                                       "VALUES (?1, ?2, ?3)");
                stmt_bind_int(st, 1, ids[i]);
                stmt_bind_text(st, 2, due[k].kind);
                stmt_bind_int(st, 3, now);
                rc = stmt_exec(st);
            }
        }
    }
    if (rc != ERR_OK)
        *sent = 0;
    return edit_finish(db, rc);
}

int survey_close(struct store *db, const struct actor *who, long long id, long long now)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(
        db, "UPDATE survey SET state = 'closed', closed_at = ?2 WHERE id = ?1 AND state = 'open' "
            "RETURNING contract_id");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, now);
    long long contract_id = 0;
    rc = stmt_step(st);
    if (rc == 1) {
        contract_id = stmt_int(st, 0);
        stmt_done(st);
        rc = ERR_OK;
    } else if (rc == 0) {
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK) {
        char field[32];
        snprintf(field, sizeof field, "survey:%lld", id);
        rc = audit_record(db, who, "contract", contract_id, 0, field, "open", "closed");
    }
    return edit_finish(db, rc);
}
