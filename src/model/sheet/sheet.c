/* sheet.c — the fields of an action sheet: reading, checking, saving with their audit rows, and
 * the typed forms of dates and amounts. States, plan, gaps and workload: sheet_state.c. Must
 * not produce HTML or JSON, nor write without audit rows in the same transaction. */
#include "model/sheet/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "model/plan/editing_internal.h"

const struct sheet_list *const sheet_choice_lists[SHEET_CHOICE_LISTS] = {
    &sheet_age_bands,    &sheet_population_groups, &sheet_professionals,
    &sheet_action_types, &sheet_partner_types,     &sheet_project_team,
};

const struct sheet_choice *sheet_choice_find(const struct sheet_list *l, const char *key)
{
    for (int i = 0; key && i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return &l->items[i];
    return NULL;
}

const struct sheet_list *sheet_list_named(const char *name)
{
    for (int i = 0; i < SHEET_CHOICE_LISTS; i++)
        if (str_eq(sheet_choice_lists[i]->name, name))
            return sheet_choice_lists[i];
    return NULL;
}

static int list_index(const char *name)
{
    for (int i = 0; i < SHEET_CHOICE_LISTS; i++)
        if (str_eq(sheet_choice_lists[i]->name, name))
            return i;
    return -1;
}

static int item_index(const struct sheet_list *l, const char *key)
{
    const struct sheet_choice *c = sheet_choice_find(l, key);
    return c ? (int)(c - l->items) : l->n;
}

int sheet_action_by_slug(struct store *db, long long contract_id, const char *slug,
                         long long *id)
{
    struct stmt *st =
        store_prepare(db, "SELECT id FROM action WHERE contract_id = ?1 AND slug = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, slug);
    int rc = stmt_step(st);
    if (rc == 1)
        *id = stmt_int(st, 0);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

void sheet_init(struct sheet *s)
{
    memset(s, 0, sizeof *s);
    s->description = s->objectives = s->target_public = s->rhythm = "";
    s->planned_start = s->planned_end = s->actual_start = s->actual_end = "";
    s->planned_budget = s->actual_budget = -1;
    s->priority = "normal";
    s->state = "draft";
}

static const char *const priorities[] = {"high", "normal", "low"};
static const char *const priority_labels[] = {"Haute", "Normale", "Basse"};
static const char *const states[] = {"draft", "validated", "closed"};
static const char *const state_labels[] = {"Brouillon", "Validée", "Close"};

const char *sheet_priority_label(const char *priority)
{
    for (int i = 0; i < 3; i++)
        if (str_eq(priority, priorities[i]))
            return priority_labels[i];
    return priority;
}

const char *sheet_state_label(const char *state)
{
    for (int i = 0; i < 3; i++)
        if (str_eq(state, states[i]))
            return state_labels[i];
    return state;
}

int sheet_get(struct store *db, struct arena *a, long long action_id, struct sheet *out)
{
    sheet_init(out);
    struct stmt *st = store_prepare(
        db, "SELECT description, action_objectives, target_public, whole_territory, rhythm, "
            "planned_start, planned_end, actual_start, actual_end, coalesce(planned_budget, -1), "
            "coalesce(actual_budget, -1), priority, sheet_state FROM action WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    out->description = stmt_text(st, 0, a);
    out->objectives = stmt_text(st, 1, a);
    out->target_public = stmt_text(st, 2, a);
    out->whole_territory = stmt_int(st, 3) != 0;
    out->rhythm = stmt_text(st, 4, a);
    out->planned_start = stmt_text(st, 5, a);
    out->planned_end = stmt_text(st, 6, a);
    out->actual_start = stmt_text(st, 7, a);
    out->actual_end = stmt_text(st, 8, a);
    out->planned_budget = stmt_int(st, 9);
    out->actual_budget = stmt_int(st, 10);
    out->priority = stmt_text(st, 11, a);
    out->state = stmt_text(st, 12, a);
    stmt_done(st);

    st = store_prepare(db, "SELECT list, choice FROM action_choice WHERE action_id = ?1");
    stmt_bind_int(st, 1, action_id);
    while ((rc = stmt_step(st)) == 1) {
        int l = list_index(stmt_text(st, 0, a));
        if (l >= 0 && out->n_choices[l] < SHEET_MAX_CHOICES)
            out->choices[l][out->n_choices[l]++] = stmt_text(st, 1, a);
    }
    if (rc < 0)
        return rc;
    /* In the questionnaire's order (insertion sort: a few items at most). */
    for (int l = 0; l < SHEET_CHOICE_LISTS; l++)
        for (int i = 1; i < out->n_choices[l]; i++)
            for (int j = i; j > 0 && item_index(sheet_choice_lists[l], out->choices[l][j - 1]) >
                                         item_index(sheet_choice_lists[l], out->choices[l][j]);
                 j--) {
                const char *t = out->choices[l][j];
                out->choices[l][j] = out->choices[l][j - 1];
                out->choices[l][j - 1] = t;
            }

    st = store_prepare(db, "SELECT funder, name, coalesce(amount, -1) FROM action_funder "
                           "WHERE action_id = ?1 ORDER BY position, id");
    stmt_bind_int(st, 1, action_id);
    while ((rc = stmt_step(st)) == 1 && out->n_funders < SHEET_MAX_FUNDERS) {
        struct sheet_funder *f = &out->funders[out->n_funders++];
        f->funder = stmt_text(st, 0, a);
        f->name = stmt_text(st, 1, a);
        f->amount = stmt_int(st, 2);
    }
    if (rc == 1)
        stmt_done(st);
    if (rc < 0)
        return rc;

    st = store_prepare(
        db, "SELECT aa.code FROM action_area aa JOIN action x ON x.id = aa.action_id "
            "JOIN contract c ON c.id = x.contract_id LEFT JOIN territory_area t ON "
            "t.territory_id = c.territory_id AND t.code = aa.code WHERE aa.action_id = ?1 "
            "ORDER BY coalesce(t.position, 1000000), aa.code");
    stmt_bind_int(st, 1, action_id);
    while ((rc = stmt_step(st)) == 1 && out->n_areas < SHEET_MAX_AREAS)
        out->areas[out->n_areas++] = stmt_text(st, 0, a);
    if (rc == 1)
        stmt_done(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- dates and amounts -------------------------------------------------------------------- */

int sheet_parse_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (str_blank(s))
        return ERR_OK;
    struct date d;
    if (date_parse(s, DATE_FULL | DATE_PARTIAL, &d) != ERR_OK || d.y < 1990 || d.y > 2100)
        return ERR_INVALID;
    date_iso(&d, out);
    return ERR_OK;
}

int sheet_parse_amount(const char *s, long long *cents)
{
    *cents = -1;
    if (str_blank(s))
        return ERR_OK;
    long long units = 0, frac = 0;
    int frac_digits = -1, digits = 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= '0' && c <= '9') {
            if (frac_digits >= 0) {
                if (++frac_digits > 2)
                    return ERR_INVALID;
                frac = frac * 10 + (c - '0');
            } else {
                if (++digits > 10)
                    return ERR_INVALID;
                units = units * 10 + (c - '0');
            }
        } else if ((c == ',' || c == '.') && frac_digits < 0 && digits) {
            frac_digits = 0;
        } else if (c == ' ' && frac_digits < 0) {
            continue;
        } else if (strncmp(p, "\xc2\xa0", 2) == 0 || strncmp(p, "\xe2\x80\xaf", 3) == 0) {
            p += (unsigned char)p[0] == 0xc2 ? 1 : 2; /* no-break spaces between thousands */
        } else if (strncmp(p, "\xe2\x82\xac", 3) == 0 && str_blank(p + 3)) {
            break; /* a trailing "€" */
        } else {
            return ERR_INVALID;
        }
    }
    if (!digits || frac_digits == 0 || units > 1000000000LL)
        return ERR_INVALID;
    *cents = units * 100 + (frac_digits == 1 ? frac * 10 : frac);
    return ERR_OK;
}

const char *sheet_date_text(struct arena *a, const char *iso)
{
    char tmp[32];
    if (!date_fr_short(iso, tmp))
        return iso ? iso : "";
    return arena_strdup(a, tmp);
}

const char *sheet_amount_text(struct arena *a, long long cents)
{
    if (cents < 0)
        return "";
    char digits[32], out[64];
    snprintf(digits, sizeof digits, "%lld", cents / 100);
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ' ';
        out[k++] = digits[i];
    }
    if (cents % 100)
        k += (size_t)snprintf(out + k, sizeof out - k, ",%02lld", cents % 100);
    snprintf(out + k, sizeof out - k, " €");
    return arena_strdup(a, out);
}

/* ---- checking ----------------------------------------------------------------------------- */

/* True when the ISO date end (any precision) lies wholly before start. */
static bool ends_before(const char *start, const char *end)
{
    if (!*start || !*end)
        return false;
    size_t k = strlen(start) < strlen(end) ? strlen(start) : strlen(end);
    return strncmp(end, start, k) < 0;
}

static bool is_one_of(const char *v, const char *const *list, int n)
{
    for (int i = 0; i < n; i++)
        if (str_eq(v, list[i]))
            return true;
    return false;
}

void sheet_check(struct store *db, long long territory_id, const struct sheet *s,
                 struct problems *p)
{
    const char *texts[] = {s->description, s->objectives};
    const char *fields[] = {"description", "objectives"};
    for (int i = 0; i < 2; i++)
        if (edit_too_long(texts[i], EDIT_TEXT_MAX))
            problems_add(p, fields[i], "Ce texte dépasse 20 000 caractères.");
    if (*s->target_public && !sheet_choice_find(&sheet_publics, s->target_public))
        problems_add(p, "target_public", "Choisissez le public dans la liste.");
    if (*s->rhythm && !sheet_choice_find(&sheet_rhythms, s->rhythm))
        problems_add(p, "rhythm", "Choisissez le rythme dans la liste.");
    if (!is_one_of(s->priority, priorities, 3))
        problems_add(p, "priority", "Choisissez la priorité : haute, normale ou basse.");
    const char *dates[] = {s->planned_start, s->planned_end, s->actual_start, s->actual_end};
    const char *date_fields[] = {"planned_start", "planned_end", "actual_start", "actual_end"};
    for (int i = 0; i < 4; i++) {
        char iso[11];
        if (sheet_parse_date(dates[i], iso) != ERR_OK || !str_eq(iso, dates[i]))
            problems_add(p, date_fields[i], "Écrivez la date sous la forme AAAA, MM/AAAA ou "
                                            "JJ/MM/AAAA, par exemple 05/2019.");
    }
    if (ends_before(s->planned_start, s->planned_end))
        problems_add(p, "planned_end", "La fin prévue est avant le début prévu.");
    if (ends_before(s->actual_start, s->actual_end))
        problems_add(p, "actual_end", "La fin réelle est avant le début réel.");
    if (s->planned_budget < -1 || s->planned_budget > 100000000000LL)
        problems_add(p, "planned_budget", "Le budget prévu n'est pas un montant valide.");
    if (s->actual_budget < -1 || s->actual_budget > 100000000000LL)
        problems_add(p, "actual_budget", "Le budget réel n'est pas un montant valide.");
    for (int l = 0; l < SHEET_CHOICE_LISTS; l++)
        for (int i = 0; i < s->n_choices[l]; i++)
            if (!sheet_choice_find(sheet_choice_lists[l], s->choices[l][i]))
                problems_add(p, sheet_choice_lists[l]->name, "Un des choix n'est pas dans la "
                                                             "liste du questionnaire.");
    for (int i = 0; i < s->n_funders; i++) {
        const struct sheet_funder *f = &s->funders[i];
        if (*f->funder && !sheet_choice_find(&sheet_funders, f->funder))
            problems_add(p, "funders", "Un des financeurs n'est pas dans la liste.");
        else if (!*f->funder && str_blank(f->name))
            problems_add(p, "funders", "Nommez chaque financeur ou choisissez-le dans la liste.");
        else if (edit_too_long(f->name, 200))
            problems_add(p, "funders", "Le nom d'un financeur dépasse 200 caractères.");
        else if (f->amount < -1 || f->amount > 100000000000LL)
            problems_add(p, "funders", "Le montant d'un financeur n'est pas valide.");
    }
    if (s->whole_territory && s->n_areas)
        problems_add(p, "areas", "Choisissez soit tout le territoire, soit des "
                                 "intercommunalités ou des communes, pas les deux.");
    for (int i = 0; i < s->n_areas; i++) {
        struct stmt *st = store_prepare(
            db, "SELECT 1 FROM territory_area WHERE territory_id = ?1 AND code = ?2");
        stmt_bind_int(st, 1, territory_id);
        stmt_bind_text(st, 2, s->areas[i]);
        int rc = stmt_step(st);
        stmt_done(st);
        if (rc != 1) {
            problems_add(p, "areas", "Une des communes ou intercommunalités choisies n'est pas "
                                     "du territoire du contrat.");
            break;
        }
    }
}

/* ---- saving ------------------------------------------------------------------------------- */

/* The audited fields: 12 plain ones, the lists of sheet_choice_lists, funders and areas. */
enum { SHEET_PLAIN = 12, SHEET_FIELDS = SHEET_PLAIN + SHEET_CHOICE_LISTS + 2 };
static const char *const field_keys[SHEET_FIELDS] = {
    "description",   "action_objectives", "target_public", "rhythm",          "whole_territory",
    "planned_start", "planned_end",       "actual_start",  "actual_end",      "planned_budget",
    "actual_budget", "priority",          "age_bands",     "population_groups", "professionals",
    "action_types",  "partner_types",     "project_team",  "funders",         "areas",
};

/* Labels of the keys of one list, ", "-separated (audit text). */
static void choice_labels(struct buf *b, const struct sheet_list *l, const char *const *keys,
                          int n)
{
    for (int i = 0; i < n; i++) {
        const struct sheet_choice *c = sheet_choice_find(l, keys[i]);
        buf_printf(b, "%s%s", i ? ", " : "", c ? c->label : keys[i]);
    }
}

/* Each field of s as the audit log writes it, in the order of field_keys. */
static void sheet_texts(struct store *db, struct arena *a, long long territory_id,
                        const struct sheet *s, const char *out[SHEET_FIELDS])
{
    const struct sheet_choice *pub = sheet_choice_find(&sheet_publics, s->target_public);
    const struct sheet_choice *rhy = sheet_choice_find(&sheet_rhythms, s->rhythm);
    out[0] = s->description;
    out[1] = s->objectives;
    out[2] = pub ? pub->label : s->target_public;
    out[3] = rhy ? rhy->label : s->rhythm;
    out[4] = s->whole_territory ? "1" : "0";
    out[5] = s->planned_start;
    out[6] = s->planned_end;
    out[7] = s->actual_start;
    out[8] = s->actual_end;
    out[9] = sheet_amount_text(a, s->planned_budget);
    out[10] = sheet_amount_text(a, s->actual_budget);
    out[11] = s->priority;
    struct buf b = {0};
    for (int l = 0; l < SHEET_CHOICE_LISTS; l++) {
        buf_reset(&b);
        choice_labels(&b, sheet_choice_lists[l], s->choices[l], s->n_choices[l]);
        out[SHEET_PLAIN + l] = arena_strdup(a, buf_cstr(&b));
    }
    buf_reset(&b);
    for (int i = 0; i < s->n_funders; i++) {
        const struct sheet_funder *f = &s->funders[i];
        const struct sheet_choice *c = sheet_choice_find(&sheet_funders, f->funder);
        buf_printf(&b, "%s%s", i ? ", " : "", c ? c->label : f->name);
        if (f->amount >= 0)
            buf_printf(&b, " (%s)", sheet_amount_text(a, f->amount));
    }
    out[SHEET_PLAIN + SHEET_CHOICE_LISTS] = arena_strdup(a, buf_cstr(&b));
    buf_reset(&b);
    for (int i = 0; i < s->n_areas; i++) {
        struct stmt *st = store_prepare(
            db, "SELECT name FROM territory_area WHERE territory_id = ?1 AND code = ?2");
        stmt_bind_int(st, 1, territory_id);
        stmt_bind_text(st, 2, s->areas[i]);
        const char *name = s->areas[i];
        if (stmt_step(st) == 1) {
            name = stmt_text(st, 0, a);
            stmt_done(st);
        }
        buf_printf(&b, "%s%s", i ? ", " : "", name);
    }
    out[SHEET_PLAIN + SHEET_CHOICE_LISTS + 1] = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
}

/* Replaces the choices, funders and areas of an action by those of s. */
static int write_lists(struct store *db, long long id, const struct sheet *s)
{
    static const char *const clear[] = {"DELETE FROM action_choice WHERE action_id = ?1",
                                        "DELETE FROM action_funder WHERE action_id = ?1",
                                        "DELETE FROM action_area WHERE action_id = ?1"};
    int rc = ERR_OK;
    for (int i = 0; i < 3 && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(db, clear[i]);
        stmt_bind_int(st, 1, id);
        rc = stmt_exec(st);
    }
    for (int l = 0; l < SHEET_CHOICE_LISTS && rc == ERR_OK; l++)
        for (int i = 0; i < s->n_choices[l] && rc == ERR_OK; i++) {
            struct stmt *st = store_prepare(
                db, "INSERT OR IGNORE INTO action_choice (action_id, list, choice) "
                    "VALUES (?1, ?2, ?3)");
            stmt_bind_int(st, 1, id);
            stmt_bind_text(st, 2, sheet_choice_lists[l]->name);
            stmt_bind_text(st, 3, s->choices[l][i]);
            rc = stmt_exec(st);
        }
    for (int i = 0; i < s->n_funders && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(
            db, "INSERT INTO action_funder (action_id, funder, name, amount, position) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, s->funders[i].funder);
        stmt_bind_text(st, 3, *s->funders[i].funder ? "" : s->funders[i].name);
        if (s->funders[i].amount >= 0)
            stmt_bind_int(st, 4, s->funders[i].amount);
        stmt_bind_int(st, 5, i + 1);
        rc = stmt_exec(st);
    }
    for (int i = 0; i < s->n_areas && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(
            db, "INSERT OR IGNORE INTO action_area (action_id, code) VALUES (?1, ?2)");
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, s->areas[i]);
        rc = stmt_exec(st);
    }
    return rc;
}

static void bind_budget(struct stmt *st, int idx, long long cents)
{
    if (cents >= 0)
        stmt_bind_int(st, idx, cents);
    else
        stmt_bind_null(st, idx);
}

int sheet_import(struct store *db, long long action_id, const struct sheet *s)
{
    struct stmt *st = store_prepare(
        db, "UPDATE action SET description = ?2, action_objectives = ?3, target_public = ?4, "
            "whole_territory = ?5, rhythm = ?6, planned_start = ?7, planned_end = ?8, "
            "actual_start = ?9, actual_end = ?10, planned_budget = ?11, actual_budget = ?12, "
            "priority = ?13, sheet_state = ?14 WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    stmt_bind_text(st, 2, s->description);
    stmt_bind_text(st, 3, s->objectives);
    stmt_bind_text(st, 4, s->target_public);
    stmt_bind_int(st, 5, s->whole_territory);
    stmt_bind_text(st, 6, s->rhythm);
    stmt_bind_text(st, 7, s->planned_start);
    stmt_bind_text(st, 8, s->planned_end);
    stmt_bind_text(st, 9, s->actual_start);
    stmt_bind_text(st, 10, s->actual_end);
    bind_budget(st, 11, s->planned_budget);
    bind_budget(st, 12, s->actual_budget);
    stmt_bind_text(st, 13, s->priority);
    stmt_bind_text(st, 14, s->state);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && store_changes(db) != 1)
        rc = ERR_NOTFOUND;
    return rc == ERR_OK ? write_lists(db, action_id, s) : rc;
}

int sheet_update(struct store *db, const struct actor *who, long long action_id, int version,
                 const struct sheet *s)
{
    struct arena a = {0};
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    long long territory_id = 0;
    rc = edit_one_int(db, "SELECT c.territory_id FROM action x JOIN contract c ON "
                          "c.id = x.contract_id WHERE x.id = ?1",
                      action_id, &territory_id);
    struct problems p = {0};
    if (rc == ERR_OK) {
        sheet_check(db, territory_id, s, &p);
        if (p.n)
            rc = ERR_INVALID;
    }
    struct sheet *old = arena_alloc(&a, sizeof *old);
    if (rc == ERR_OK)
        rc = sheet_get(db, &a, action_id, old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE action SET description = ?3, action_objectives = ?4, target_public = ?5, "
                "whole_territory = ?6, rhythm = ?7, planned_start = ?8, planned_end = ?9, "
                "actual_start = ?10, actual_end = ?11, planned_budget = ?12, actual_budget = ?13, "
                "priority = ?14, version = version + 1 WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, action_id);
        stmt_bind_int(st, 2, version);
        stmt_bind_text(st, 3, s->description);
        stmt_bind_text(st, 4, s->objectives);
        stmt_bind_text(st, 5, s->target_public);
        stmt_bind_int(st, 6, s->whole_territory);
        stmt_bind_text(st, 7, s->rhythm);
        stmt_bind_text(st, 8, s->planned_start);
        stmt_bind_text(st, 9, s->planned_end);
        stmt_bind_text(st, 10, s->actual_start);
        stmt_bind_text(st, 11, s->actual_end);
        bind_budget(st, 12, s->planned_budget);
        bind_budget(st, 13, s->actual_budget);
        stmt_bind_text(st, 14, s->priority);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = write_lists(db, action_id, s);
    if (rc == ERR_OK) {
        const char *was[SHEET_FIELDS], *now[SHEET_FIELDS];
        sheet_texts(db, &a, territory_id, old, was);
        sheet_texts(db, &a, territory_id, s, now);
        for (int i = 0; i < SHEET_FIELDS && rc == ERR_OK; i++)
            rc = audit_field(db, who, "action", action_id, version + 1, field_keys[i], was[i],
                             now[i]);
    }
    arena_free(&a);
    return edit_finish(db, rc);
}
