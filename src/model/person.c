/* person.c — SQL of the contact records (person). Must not produce HTML or JSON, and must never
 * write without its audit rows in the same transaction. */
#include "person.h"

#include <string.h>

#include "../base/str.h"
#include "gov_internal.h"

#define PERSON_COLUMNS                                                                         \
    "p.id, p.contract_id, coalesce(p.organisation_id, 0), coalesce(p.account_id, 0), p.name, " \
    "p.function, p.email, p.phone, coalesce(o.name, ''), p.version "                          \
    "FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id "

static void read_person(struct stmt *st, struct arena *a, struct person *p)
{
    p->id = stmt_int(st, 0);
    p->contract_id = stmt_int(st, 1);
    p->organisation_id = stmt_int(st, 2);
    p->account_id = stmt_int(st, 3);
    p->name = stmt_text(st, 4, a);
    p->function = stmt_text(st, 5, a);
    p->email = stmt_text(st, 6, a);
    p->phone = stmt_text(st, 7, a);
    p->organisation_name = stmt_text(st, 8, a);
    p->version = (int)stmt_int(st, 9);
}

int person_list(struct store *db, struct arena *a, long long contract_id, struct person **out,
                int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " PERSON_COLUMNS "WHERE p.contract_id = ?1 "
                                        "ORDER BY p.name, p.id");
    stmt_bind_int(st, 1, contract_id);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = gov_grow(a, *out, *n, &cap, sizeof **out);
        read_person(st, a, &(*out)[(*n)++]);
    }
    return rc;
}

int person_get(struct store *db, struct arena *a, long long id, struct person *out)
{
    struct stmt *st = store_prepare(db, "SELECT " PERSON_COLUMNS "WHERE p.id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc == 1)
        read_person(st, a, out);
    stmt_done(st);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOTFOUND : rc;
}

/* An address with one '@', something on both sides, a dot in the domain and no blank. */
static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.')
        return false;
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '<' || *s == '>' || *s == ',' || *s == '\r' ||
            *s == '\n')
            return false;
    return true;
}

void person_check(struct store *db, const struct person_edit *e, struct problems *p)
{
    long long ignored;
    if (str_blank(e->name))
        problems_add(p, "name", "Indiquez le nom de la personne.");
    else if (gov_too_long(e->name, 200))
        problems_add(p, "name", "Le nom dépasse 200 caractères.");
    if (gov_too_long(e->function, 200))
        problems_add(p, "function", "La fonction dépasse 200 caractères.");
    if (!str_blank(e->email) && (!email_ok(e->email) || gov_too_long(e->email, 254)))
        problems_add(p, "email", "Cette adresse e-mail n'a pas la forme nom@domaine.fr.");
    if (gov_too_long(e->phone, 40))
        problems_add(p, "phone", "Le numéro de téléphone dépasse 40 caractères.");
    if (e->organisation_id &&
        gov_one_int(db, "SELECT id FROM organisation WHERE id = ?1", e->organisation_id,
                    &ignored) != ERR_OK)
        problems_add(p, "organisation_id", "Cet organisme n'existe pas dans l'annuaire.");
    if (e->account_id &&
        gov_one_int(db, "SELECT id FROM account WHERE id = ?1", e->account_id, &ignored) !=
            ERR_OK)
        problems_add(p, "account_id", "Ce compte n'existe pas.");
}

static const char *const fields[] = {"name", "function", "email", "phone", "organisation_id",
                                     "account_id"};

/* The audited values of e, in the order of fields. */
static void edit_values(struct arena *a, const struct person_edit *e, const char *out[6])
{
    out[0] = gov_str(e->name);
    out[1] = gov_str(e->function);
    out[2] = gov_str(e->email);
    out[3] = gov_str(e->phone);
    out[4] = gov_int_text(a, e->organisation_id);
    out[5] = gov_int_text(a, e->account_id);
}

static void bind_edit(struct stmt *st, const struct person_edit *e)
{
    stmt_bind_text(st, 3, gov_str(e->name));
    stmt_bind_text(st, 4, gov_str(e->function));
    stmt_bind_text(st, 5, gov_str(e->email));
    stmt_bind_text(st, 6, gov_str(e->phone));
    if (e->organisation_id)
        stmt_bind_int(st, 7, e->organisation_id);
    else
        stmt_bind_null(st, 7);
    if (e->account_id)
        stmt_bind_int(st, 8, e->account_id);
    else
        stmt_bind_null(st, 8);
}

int person_create(struct store *db, long long contract_id, const struct person_edit *e,
                  long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO person (contract_id, name, function, email, phone, organisation_id, "
            "account_id, created_at) VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    bind_edit(st, e);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int person_add(struct store *db, const struct actor *who, long long contract_id,
               const struct person_edit *e, long long *id)
{
    struct problems p = {0};
    person_check(db, e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = person_create(db, contract_id, e, id);
    struct arena a = {0};
    if (rc == ERR_OK) {
        const char *now[6];
        edit_values(&a, e, now);
        for (int i = 0; i < 6 && rc == ERR_OK; i++)
            rc = audit_field(db, who, "person", *id, 1, fields[i], "", now[i]);
    }
    arena_free(&a);
    return gov_finish(db, rc);
}

int person_update(struct store *db, const struct actor *who, long long id, int version,
                  const struct person_edit *e)
{
    struct problems p = {0};
    person_check(db, e, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct person old;
    rc = person_get(db, &a, id, &old);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(
            db, "UPDATE person SET name = ?3, function = ?4, email = ?5, phone = ?6, "
                "organisation_id = ?7, account_id = ?8, version = version + 1 "
                "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        bind_edit(st, e);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = gov_one_changed(db);
    if (rc == ERR_OK) {
        struct person_edit was = {old.name, old.function, old.email, old.phone,
                                  old.organisation_id, old.account_id};
        const char *before[6], *now[6];
        edit_values(&a, &was, before);
        edit_values(&a, e, now);
        for (int i = 0; i < 6 && rc == ERR_OK; i++)
            rc = audit_field(db, who, "person", id, version + 1, fields[i], before[i], now[i]);
    }
    arena_free(&a);
    return gov_finish(db, rc);
}
