/* funding_call.c — funding calls: reading Aides-territoires JSON pages (hostile input: sizes,
 * types and counts checked before anything is written), saving them all-or-nothing, the matching
 * rule's results (funding_match.c) and the reminders queued before a deadline. Must not fetch
 * anything from the network (cli/funding.c does) nor produce HTML. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "model/funding/funding_call.h"
#include "model/core/outbox.h"
#include "store/rows.h"

/* ---- reading a page ------------------------------------------------------------------------ */

static int parse_fail(char *err, size_t errlen, int index, const char *field, const char *what)
{
    if (index < 0)
        snprintf(err, errlen, "%s", what);
    else
        snprintf(err, errlen, "aide n° %d (dans l'ordre du fichier), champ « %s » : %s", index + 1,
                 field, what);
    return ERR_INVALID;
}

/* A text field: a string, null or absent ("" then); a number is taken as its digits (ids). */
static int text_field(json_t *o, const char *field, struct arena *a, int index, char **out,
                      char *err, size_t errlen)
{
    json_t *v = json_object_get(o, field);
    if (!v || json_is_null(v)) {
        *out = "";
        return ERR_OK;
    }
    if (json_is_integer(v)) {
        char s[32];
        snprintf(s, sizeof s, "%lld", (long long)json_integer_value(v));
        *out = arena_strdup(a, s);
        return ERR_OK;
    }
    if (!json_is_string(v))
        return parse_fail(err, errlen, index, field, "une chaîne de caractères est attendue");
    if (json_string_length(v) > FUNDING_CALL_TEXT_MAX)
        return parse_fail(err, errlen, index, field, "texte trop long (20 000 octets au plus)");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return parse_fail(err, errlen, index, field, "caractère nul interdit");
    *out = arena_strdup(a, json_string_value(v));
    return ERR_OK;
}

/* A list field (financers, categories, targeted_audiences): strings, or objects with a "name"
 * (the API's financers_full), joined by " | ". */
static int list_field(json_t *o, const char *field, struct arena *a, int index, char **out,
                      char *err, size_t errlen)
{
    json_t *v = json_object_get(o, field);
    if (!v || json_is_null(v)) {
        *out = "";
        return ERR_OK;
    }
    if (!json_is_array(v))
        return parse_fail(err, errlen, index, field, "une liste est attendue");
    if (json_array_size(v) > 200)
        return parse_fail(err, errlen, index, field, "liste trop longue (200 au plus)");
    struct buf b = {0};
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        json_t *s = json_is_object(e) ? json_object_get(e, "name") : e;
        if (!json_is_string(s) || json_string_length(s) > 1000) {
            buf_free(&b);
            return parse_fail(err, errlen, index, field,
                              "chaque élément doit être un texte court");
        }
        if (i)
            buf_puts(&b, " | ");
        buf_puts(&b, json_string_value(s));
    }
    *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return ERR_OK;
}

/* The API writes an aid's "url" as a path of its site ("/aides/<slug>/": the Symfony
 * AidController asks for an absolute path, the former Django serializer gave
 * get_absolute_url()), so a path is read as a page of that site. */
static bool site_path(const char *url)
{
    if (url[0] != '/' || url[1] == '/')
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

static char *site_url(struct arena *a, const char *path)
{
    size_t n = strlen(FUNDING_CALLS_SITE), m = strlen(path);
    char *u = arena_alloc(a, n + m + 1);
    memcpy(u, FUNDING_CALLS_SITE, n);
    memcpy(u + n, path, m + 1);
    return u;
}

static int read_aid(json_t *o, struct arena *a, int index, struct funding_call *c, char *err,
                    size_t errlen)
{
    if (!json_is_object(o))
        return parse_fail(err, errlen, index, "(aide)", "un objet JSON est attendu");
    memset(c, 0, sizeof *c);
    int rc = text_field(o, "id", a, index, &c->external_id, err, errlen);
    if (!rc)
        rc = text_field(o, "name", a, index, &c->name, err, errlen);
    if (!rc)
        rc = text_field(o, "url", a, index, &c->url, err, errlen);
    if (!rc)
        rc = list_field(o, "financers", a, index, &c->financers, err, errlen);
    if (!rc)
        rc = list_field(o, "categories", a, index, &c->categories, err, errlen);
    if (!rc)
        rc = list_field(o, "targeted_audiences", a, index, &c->audiences, err, errlen);
    if (!rc)
        rc = text_field(o, "perimeter", a, index, &c->perimeter, err, errlen);
    if (!rc)
        rc = text_field(o, "perimeter_scale", a, index, &c->perimeter_scale, err, errlen);
    if (!rc)
        rc = text_field(o, "submission_deadline", a, index, &c->deadline, err, errlen);
    if (!rc)
        rc = text_field(o, "description", a, index, &c->description, err, errlen);
    if (rc)
        return rc;
    if (!*c->external_id)
        return parse_fail(err, errlen, index, "id", "identifiant manquant");
    if (str_blank(c->name))
        return parse_fail(err, errlen, index, "name", "nom de l'aide manquant");
    struct date d;
    if (*c->deadline) {
        /* The API writes "AAAA-MM-JJ"; a date-time keeps its day. */
        if (strlen(c->deadline) > 10)
            c->deadline[10] = 0;
        if (strlen(c->deadline) != 10 || c->deadline[4] != '-' || c->deadline[7] != '-' ||
            date_parse(c->deadline, DATE_FULL, &d) != ERR_OK)
            return parse_fail(err, errlen, index, "submission_deadline",
                              "date attendue au format AAAA-MM-JJ");
    }
    if (site_path(c->url))
        c->url = site_url(a, c->url);
    if (*c->url && strncmp(c->url, "https://", 8) != 0 && strncmp(c->url, "http://", 7) != 0)
        c->url = ""; /* only web addresses become links */
    return ERR_OK;
}

/* A JWT is three base64url parts joined by dots; some servers pad with '='. */
static bool jwt_chars(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.' || *s == '='))
            return false;
    return true;
}

int funding_calls_bearer(const char *json, size_t len, struct arena *a, const char **bearer,
                         char *err, size_t errlen)
{
    *bearer = NULL;
    if (len > 65536) {
        snprintf(err, errlen, "réponse de connexion trop grosse (64 Ko au plus)");
        return ERR_INVALID;
    }
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "réponse de connexion illisible (JSON ligne %d, colonne %d)",
                 je.line, je.column);
        return ERR_INVALID;
    }
    json_t *t = json_is_object(root) ? json_object_get(root, "token") : NULL;
    int rc = ERR_OK;
    if (!json_is_string(t) || json_string_length(t) == 0)
        snprintf(err, errlen, "la réponse de connexion n'a pas de champ « token »");
    else if (json_string_length(t) > 8192 ||
             strlen(json_string_value(t)) != json_string_length(t) ||
             !jwt_chars(json_string_value(t)))
        snprintf(err, errlen, "le « token » de la réponse de connexion n'est pas un jeton JWT");
    else
        *bearer = arena_strdup(a, json_string_value(t));
    if (!*bearer)
        rc = ERR_INVALID;
    json_decref(root);
    return rc;
}

int funding_calls_parse(const char *json, size_t len, struct arena *a, struct funding_call **out,
                        int *n, int *cap, const char **next, char *err, size_t errlen)
{
    *next = NULL;
    if (len > FUNDING_CALLS_PAGE_MAX)
        return parse_fail(err, errlen, -1, NULL, "fichier trop gros (8 Mo au plus par page)");
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "JSON illisible, ligne %d, colonne %d : %s", je.line, je.column,
                 je.text);
        return ERR_INVALID;
    }
    json_t *list = root;
    int rc = ERR_OK;
    if (json_is_object(root)) {
        list = json_object_get(root, "results");
        json_t *nx = json_object_get(root, "next");
        if (nx && !json_is_null(nx) && !json_is_string(nx))
            rc = parse_fail(err, errlen, -1, NULL, "« next » doit être une adresse ou null");
        else if (json_is_string(nx) && json_string_length(nx) < 2000)
            *next = arena_strdup(a, json_string_value(nx));
    }
    if (rc == ERR_OK && !json_is_array(list))
        rc = parse_fail(err, errlen, -1, NULL,
                        "ni une liste d'aides ni une page de l'API (champ « results »)");
    if (rc == ERR_OK && (size_t)*n + json_array_size(list) > FUNDING_CALLS_MAX)
        rc = parse_fail(err, errlen, -1, NULL, "trop d'aides (5 000 au plus par import)");
    size_t i;
    json_t *o;
    if (rc == ERR_OK) {
        json_array_foreach(list, i, o)
        {
            *out = rows_grow(a, *out, *n, cap, sizeof **out);
            rc = read_aid(o, a, (int)i, &(*out)[*n], err, errlen);
            if (rc)
                break;
            ++*n;
        }
    }
    json_decref(root);
    return rc;
}

/* ---- saving and matching ------------------------------------------------------------------ */

struct match_action {
    long long id;
    char *text, *types;
    unsigned themes; /* read once for all the calls */
};

static void read_match_action(struct stmt *st, struct arena *a, void *row)
{
    struct match_action *m = row;
    m->id = stmt_int(st, 0);
    m->text = stmt_text(st, 1, a);
    m->types = stmt_text(st, 2, a);
    m->themes = funding_themes_of(m->text);
}

static void read_text(struct stmt *st, struct arena *a, void *row)
{
    *(char **)row = stmt_text(st, 0, a);
}

/* The territory of a contract as the rule reads it. */
static int load_territory(struct store *db, struct arena *a, long long contract_id,
                          struct funding_territory *t)
{
    char **names = NULL, **deps = NULL;
    struct stmt *st = store_prepare(
        db, "SELECT t.name FROM contract c JOIN territory t ON t.id = c.territory_id WHERE "
            "c.id = ?1 UNION ALL SELECT r.name FROM contract c JOIN territory_area r ON "
            "r.territory_id = c.territory_id WHERE c.id = ?1");
    stmt_bind_int(st, 1, contract_id);
    int rc = rows_read_all(st, a, sizeof(char *), read_text, (void **)&names, &t->n_names);
    if (rc != ERR_OK)
        return rc;
    /* A commune's INSEE code starts with its département (three digits overseas). */
    st = store_prepare(db, "SELECT DISTINCT CASE WHEN substr(r.code, 1, 2) = '97' THEN "
                           "substr(r.code, 1, 3) ELSE substr(r.code, 1, 2) END FROM contract c "
                           "JOIN territory_area r ON r.territory_id = c.territory_id WHERE "
                           "c.id = ?1 AND r.kind = 'commune'");
    stmt_bind_int(st, 1, contract_id);
    rc = rows_read_all(st, a, sizeof(char *), read_text, (void **)&deps, &t->n_departments);
    t->names = (const char *const *)names;
    t->departments = (const char *const *)deps;
    return rc;
}

static void read_call(struct stmt *st, struct arena *a, void *row)
{
    struct funding_call *c = row;
    c->id = stmt_int(st, 0);
    c->contract_id = stmt_int(st, 1);
    c->external_id = stmt_text(st, 2, a);
    c->name = stmt_text(st, 3, a);
    c->url = stmt_text(st, 4, a);
    c->financers = stmt_text(st, 5, a);
    c->categories = stmt_text(st, 6, a);
    c->audiences = stmt_text(st, 7, a);
    c->perimeter = stmt_text(st, 8, a);
    c->perimeter_scale = stmt_text(st, 9, a);
    c->deadline = stmt_text(st, 10, a);
    c->description = stmt_text(st, 11, a);
    c->source = stmt_text(st, 12, a);
    c->reason = stmt_text(st, 13, a);
    c->n_actions = (int)stmt_int(st, 14);
}

#define CALL_COLS                                                                                 \
    "c.id, c.contract_id, c.external_id, c.name, c.url, c.financers, c.categories, c.audiences, " \
    "c.perimeter, c.perimeter_scale, c.deadline, c.description, c.source"

/* Matches every call of a contract to its active actions again (the rule may have changed,
 * or the actions). */
static int rematch(struct store *db, struct arena *a, long long contract_id, int *matches)
{
    struct funding_territory t = {0};
    struct match_action *acts = NULL;
    struct funding_call *calls = NULL;
    int n_acts = 0, n_calls = 0;
    int rc = load_territory(db, a, contract_id, &t);
    struct stmt *st;
    if (rc == ERR_OK) {
        st = store_prepare(
            db, "SELECT x.id, x.title || ' | ' || x.description || ' | ' || x.action_objectives "
                "|| ' | ' || o.title, coalesce((SELECT group_concat(g.type, ' ') FROM "
                "action_organisation ao JOIN organisation g ON g.id = ao.organisation_id WHERE "
                "ao.action_id = x.id AND ao.role IN ('carrier', 'co_carrier')), '') FROM action "
                "x JOIN objective o ON o.id = x.objective_id WHERE x.contract_id = ?1 AND "
                "x.archived = 0");
        stmt_bind_int(st, 1, contract_id);
        rc = rows_read_all(st, a, sizeof *acts, read_match_action, (void **)&acts, &n_acts);
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "SELECT " CALL_COLS ", '', 0 FROM funding_call c WHERE "
                               "c.contract_id = ?1");
        stmt_bind_int(st, 1, contract_id);
        rc = rows_read_all(st, a, sizeof *calls, read_call, (void **)&calls, &n_calls);
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "DELETE FROM funding_call_match WHERE call_id IN (SELECT id FROM "
                               "funding_call WHERE contract_id = ?1)");
        stmt_bind_int(st, 1, contract_id);
        rc = stmt_exec(st);
    }
    for (int i = 0; rc == ERR_OK && i < n_calls; i++)
        for (int k = 0; rc == ERR_OK && k < n_acts; k++) {
            struct funding_action_text x = {acts[k].text, acts[k].types, acts[k].themes};
            const char *why = NULL;
            if (!funding_call_matches(&calls[i], &x, &t, a, &why))
                continue;
            st = store_prepare(db, "INSERT INTO funding_call_match (call_id, action_id, reason) "
                                   "VALUES (?1, ?2, ?3)");
            stmt_bind_int(st, 1, calls[i].id);
            stmt_bind_int(st, 2, acts[k].id);
            stmt_bind_text(st, 3, why);
            rc = stmt_exec(st);
            ++*matches;
        }
    return rc;
}

static int save_one(struct store *db, const struct actor *who, long long contract_id,
                    const char *source, const struct funding_call *c, int *added, int *updated)
{
    struct stmt *st = store_prepare(db, "SELECT id FROM funding_call WHERE contract_id = ?1 AND "
                                        "external_id = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, c->external_id);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    long long id = rc ? stmt_int(st, 0) : 0;
    if (rc)
        stmt_done(st);
    if (id)
        st = store_prepare(db, "UPDATE funding_call SET name = ?3, url = ?4, financers = ?5, "
                               "categories = ?6, audiences = ?7, perimeter = ?8, "
                               "perimeter_scale = ?9, deadline = ?10, description = ?11, "
                               "source = ?12, imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', "
                               "'now') WHERE contract_id = ?1 AND external_id = ?2");
    else
        st = store_prepare(db, "INSERT INTO funding_call (contract_id, external_id, name, url, "
                               "financers, categories, audiences, perimeter, perimeter_scale, "
                               "deadline, description, source, imported_at) VALUES (?1, ?2, ?3, "
                               "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                               "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, c->external_id);
    stmt_bind_text(st, 3, c->name);
    stmt_bind_text(st, 4, c->url);
    stmt_bind_text(st, 5, c->financers);
    stmt_bind_text(st, 6, c->categories);
    stmt_bind_text(st, 7, c->audiences);
    stmt_bind_text(st, 8, c->perimeter);
    stmt_bind_text(st, 9, c->perimeter_scale);
    stmt_bind_text(st, 10, c->deadline);
    stmt_bind_text(st, 11, c->description);
    stmt_bind_text(st, 12, source);
    if ((rc = stmt_exec(st)) != ERR_OK)
        return rc;
    if (!id) {
        id = store_last_id(db);
        ++*added;
    } else {
        ++*updated;
    }
    return audit_record(db, who, "funding_call", id, 1, "imported", "", c->name);
}

int funding_calls_save(struct store *db, const struct actor *who, long long contract_id,
                       const char *source, const struct funding_call *calls, int n, int *added,
                       int *updated, int *matches)
{
    *added = *updated = *matches = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct stmt *st = store_prepare(db, "SELECT 1 FROM contract WHERE id = ?1");
    stmt_bind_int(st, 1, contract_id);
    rc = stmt_step(st);
    if (rc == 1)
        stmt_done(st);
    rc = rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
    long long before = 0;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &before);
    for (int i = 0; rc == ERR_OK && i < n; i++)
        rc = save_one(db, who, contract_id, source, &calls[i], added, updated);
    if (rc == ERR_OK)
        rc = audit_show_in(db, before, contract_id);
    struct arena a = {0};
    if (rc == ERR_OK)
        rc = rematch(db, &a, contract_id, matches);
    arena_free(&a);
    if (rc == ERR_OK)
        return store_commit(db);
    store_rollback(db);
    return rc;
}

int funding_calls_of_contract(struct store *db, struct arena *a, long long contract_id,
                              struct funding_call **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT " CALL_COLS ", '', (SELECT count(*) FROM funding_call_match m WHERE "
            "m.call_id = c.id) FROM funding_call c WHERE c.contract_id = ?1 ORDER BY "
            "c.deadline = '', c.deadline, c.name");
    stmt_bind_int(st, 1, contract_id);
    return rows_read_all(st, a, sizeof **out, read_call, (void **)out, n);
}

int funding_calls_of_action(struct store *db, struct arena *a, long long action_id,
                            struct funding_call **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT " CALL_COLS ", m.reason, 1 FROM funding_call c JOIN funding_call_match m ON "
            "m.call_id = c.id WHERE m.action_id = ?1 ORDER BY c.deadline = '', c.deadline, "
            "c.name");
    stmt_bind_int(st, 1, action_id);
    return rows_read_all(st, a, sizeof **out, read_call, (void **)out, n);
}

/* ---- reminders -------------------------------------------------------------------------------- */

const int funding_reminder_days[] = {14, 3, 0};

struct due_call {
    long long id, contract_id;
    char *name, *deadline, *url, *actions;
    int days_left;
};

static void read_due(struct stmt *st, struct arena *a, void *row)
{
    struct due_call *d = row;
    d->id = stmt_int(st, 0);
    d->contract_id = stmt_int(st, 1);
    d->name = stmt_text(st, 2, a);
    d->deadline = stmt_text(st, 3, a);
    d->url = stmt_text(st, 4, a);
    d->actions = stmt_text(st, 5, a);
}

struct coordinator {
    long long id;
    char *email, *name;
};

static void read_coordinator(struct stmt *st, struct arena *a, void *row)
{
    struct coordinator *c = row;
    c->id = stmt_int(st, 0);
    c->email = stmt_text(st, 1, a);
    c->name = stmt_text(st, 2, a);
}

/* The delay (one of funding_reminder_days) due for days_left, or 0 when none is. */
static int delay_due(int days_left)
{
    int due = 0;
    for (int i = 0; funding_reminder_days[i]; i++)
        if (days_left <= funding_reminder_days[i])
            due = funding_reminder_days[i];
    return due;
}

static int queue_reminder(struct store *db, struct arena *a, const struct due_call *d, int delay,
                          long long now, int *queued)
{
    struct coordinator *cs = NULL;
    int n = 0;
    struct stmt *st = store_prepare(db, "SELECT id, email, name FROM account WHERE role = "
                                        "'coordinator' AND contract_id = ?1 AND disabled = 0 "
                                        "AND erased_at IS NULL AND email <> '' ORDER BY id");
    stmt_bind_int(st, 1, d->contract_id);
    int rc = rows_read_all(st, a, sizeof *cs, read_coordinator, (void **)&cs, &n);
    char day[32];
    if (!date_fr_short(d->deadline, day))
        snprintf(day, sizeof day, "%s", d->deadline);
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        struct buf subject = {0}, body = {0};
        buf_printf(&subject, "Appel à financement : %s avant le %s", d->name, day);
        buf_printf(&body,
                   "Bonjour %s,\n\nL'appel « %s » se clôt le %s (dans %d jour%s).\n"
                   "Il correspond à ces actions du contrat : %s.\n",
                   cs[i].name, d->name, day, d->days_left, d->days_left > 1 ? "s" : "",
                   d->actions);
        if (*d->url)
            buf_printf(&body, "\nL'appel : %s\n", d->url);
        buf_puts(&body, "\nBoussole\n");
        struct outbox_mail m = {.kind = "funding_call",
                                .account_id = cs[i].id,
                                .contract_id = d->contract_id,
                                .to = cs[i].email,
                                .subject = buf_cstr(&subject),
                                .body = buf_cstr(&body)};
        rc = outbox_add(db, &m, now, NULL);
        buf_free(&subject);
        buf_free(&body);
        if (rc == ERR_OK)
            ++*queued;
    }
    if (rc == ERR_OK) {
        st = store_prepare(db, "INSERT INTO funding_call_reminder (call_id, days_before, "
                               "queued_at) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', "
                               "'now'))");
        stmt_bind_int(st, 1, d->id);
        stmt_bind_int(st, 2, delay);
        rc = stmt_exec(st);
    }
    return rc;
}

static int reminders_in(struct store *db, struct arena *a, long long now, int *queued)
{
    struct date today = date_of_time(now);
    char iso[11];
    date_iso(&today, iso);
    struct due_call *ds = NULL;
    int n = 0;
    struct stmt *st = store_prepare(
        db, "SELECT c.id, c.contract_id, c.name, c.deadline, c.url, (SELECT group_concat(CASE "
            "x.code WHEN '' THEN x.title ELSE x.code || ' ' || x.title END, ' ; ') FROM "
            "funding_call_match m JOIN action x ON x.id = m.action_id WHERE m.call_id = c.id) "
            "FROM funding_call c WHERE c.deadline >= ?1 AND EXISTS (SELECT 1 FROM "
            "funding_call_match m WHERE m.call_id = c.id) ORDER BY c.deadline, c.id");
    stmt_bind_text(st, 1, iso);
    int rc = rows_read_all(st, a, sizeof *ds, read_due, (void **)&ds, &n);
    long long t0 = date_days_from_civil(today.y, today.m, today.d);
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        struct date d;
        if (date_parse(ds[i].deadline, DATE_FULL, &d) != ERR_OK)
            continue;
        ds[i].days_left = (int)(date_days_from_civil(d.y, d.m, d.d) - t0);
        int delay = delay_due(ds[i].days_left);
        if (!delay)
            continue;
        /* A reminder at this delay or a nearer one was already queued: nothing new to say. */
        st = store_prepare(db, "SELECT 1 FROM funding_call_reminder WHERE call_id = ?1 AND "
                               "days_before <= ?2");
        stmt_bind_int(st, 1, ds[i].id);
        stmt_bind_int(st, 2, delay);
        rc = stmt_step(st);
        if (rc == 1) {
            stmt_done(st);
            rc = ERR_OK;
            continue;
        }
        if (rc == 0)
            rc = queue_reminder(db, a, &ds[i], delay, now, queued);
    }
    return rc;
}

int funding_send_due_reminders(struct store *db, long long now)
{
    int queued = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    rc = reminders_in(db, &a, now, &queued);
    arena_free(&a);
    if (rc == ERR_OK) {
        rc = store_commit(db);
        return rc == ERR_OK ? queued : rc;
    }
    store_rollback(db);
    return rc;
}
