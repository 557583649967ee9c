/* person.c — SQL of the contact records (person). Must not produce HTML or JSON, and must never
 * write without its audit rows in the same transaction. */
#include "model/governance/person.h"

#include <string.h>

#include "base/str.h"
#include "model/governance/governance_internal.h"

#define PERSON_COLUMNS                                                                         \
    "p.id, p.contract_id, coalesce(p.organisation_id, 0), coalesce(p.account_id, 0), p.name, " \
    "p.function, p.email, p.phone, coalesce(o.name, ''), p.version "                          \
    "FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id "

static void read_person(struct stmt *st, struct arena *a, void *row)
{
    struct person *p = row;
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
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_person, &rows, n);
    *out = rows;
    return rc;
}

int person_get(struct store *db, struct arena *a, long long id, struct person *out)
{
    struct stmt *st = store_prepare(db, "SELECT " PERSON_COLUMNS "WHERE p.id = ?1");
    stmt_bind_int(st, 1, id);
    return gov_read_one(st, a, read_person, out);
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
    else if (edit_too_long(e->name, 200))
        problems_add(p, "name", "Le nom dépasse 200 caractères.");
    if (edit_too_long(e->function, 200))
        problems_add(p, "function", "La fonction dépasse 200 caractères.");
    if (!str_blank(e->email) && (!email_ok(e->email) || edit_too_long(e->email, 254)))
        problems_add(p, "email", "Cette adresse e-mail n'a pas la forme nom@domaine.fr.");
    if (edit_too_long(e->phone, 40))
        problems_add(p, "phone", "Le numéro de téléphone dépasse 40 caractères.");
    if (e->organisation_id &&
        edit_one_int(db, "SELECT id FROM organisation WHERE id = ?1", e->organisation_id,
                     &ignored) != ERR_OK)
        problems_add(p, "organisation_id", "Cet organisme n'existe pas dans l'annuaire.");
    if (e->account_id &&
        edit_one_int(db, "SELECT id FROM account WHERE id = ?1", e->account_id, &ignored) !=
            ERR_OK)
        problems_add(p, "account_id", "Ce compte n'existe pas.");
}

static const char *const fields[] = {"name", "function", "email", "phone", "organisation_id",
                                     "account_id"};

/* What person_add and person_update hand to gov_add and gov_update: the edit and the one
 * contract whose records the author may change (0: any). */
struct person_write {
    const struct person_edit *e;
    long long scope;
};

/* The audited values of a person_edit, in the order of fields. */
static void person_values(struct arena *a, const struct person_edit *e, const char **out)
{
    out[0] = gov_str(e->name);
    out[1] = gov_str(e->function);
    out[2] = gov_str(e->email);
    out[3] = gov_str(e->phone);
    out[4] = edit_int_text(a, e->organisation_id);
    out[5] = edit_int_text(a, e->account_id);
}

static void edit_values(struct arena *a, const void *edit, const char **out)
{
    person_values(a, ((const struct person_write *)edit)->e, out);
}

static void person_bind(struct stmt *st, const struct person_edit *e)
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
    person_bind(st, e);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

static void bind_edit(struct stmt *st, const void *edit)
{
    person_bind(st, ((const struct person_write *)edit)->e);
}

static void check(struct store *db, const void *edit, struct problems *p)
{
    person_check(db, ((const struct person_write *)edit)->e, p);
}

static int create(struct store *db, long long contract_id, const void *edit, long long *id)
{
    return person_create(db, contract_id, ((const struct person_write *)edit)->e, id);
}

int person_account_contract(struct store *db, long long account_id, long long *contract_id)
{
    *contract_id = 0;
    if (!account_id)
        return ERR_OK;
    return edit_one_int(db, "SELECT coalesce(contract_id, 0) FROM account WHERE id = ?1",
                        account_id, contract_id);
}

/* A contact record tied to the account of another contract's person is shown by that contract
 * too (the account's data, its GDPR export and erasure): only an administrator changes it or
 * ties a record to such an account, and the change is in both journals. */
static int shared(struct store *db, long long id, long long contract_id, const void *edit,
                  long long *out, int *n)
{
    const struct person_write *w = edit;
    long long old_account = 0, old_other = 0, new_other = 0;
    int rc = ERR_OK;
    if (id) {
        rc = edit_one_int(db, "SELECT contract_id FROM person WHERE id = ?1", id, &contract_id);
        if (rc == ERR_OK)
            rc = edit_one_int(db, "SELECT coalesce(account_id, 0) FROM person WHERE id = ?1",
                              id, &old_account);
        if (rc == ERR_OK)
            rc = person_account_contract(db, old_account, &old_other);
    }
    if (rc == ERR_OK)
        rc = person_account_contract(db, w->e->account_id, &new_other);
    if (rc != ERR_OK)
        return rc;
    *n = 0;
    if (old_other && old_other != contract_id)
        out[(*n)++] = old_other;
    if (new_other && new_other != contract_id && new_other != old_other)
        out[(*n)++] = new_other;
    if (w->scope && (w->scope != contract_id || *n))
        return ERR_FORBIDDEN;
    return ERR_OK;
}

static int current(struct store *db, struct arena *a, long long id, const char **out)
{
    struct person p;
    int rc = person_get(db, a, id, &p);
    if (rc == ERR_OK)
        person_values(a, &(struct person_edit){p.name, p.function, p.email, p.phone,
                                               p.organisation_id, p.account_id},
                      out);
    return rc;
}

static const struct gov_kind person_kind = {
    .entity = "person",
    .fields = fields,
    .n_fields = 6,
    .update_sql = "UPDATE person SET name = ?3, function = ?4, email = ?5, phone = ?6, "
                  "organisation_id = ?7, account_id = ?8, version = version + 1 "
                  "WHERE id = ?1 AND version = ?2",
    .check = check,
    .values = edit_values,
    .bind = bind_edit,
    .create = create,
    .current = current,
    .shared = shared,
};

int person_add(struct store *db, const struct actor *who, long long scope, long long contract_id,
               const struct person_edit *e, long long *id)
{
    return gov_add(db, who, &person_kind, contract_id, &(struct person_write){e, scope}, id);
}

int person_update(struct store *db, const struct actor *who, long long scope, long long id,
                  int version, const struct person_edit *e)
{
    return gov_update(db, who, &person_kind, id, version, &(struct person_write){e, scope});
}

int person_copy(struct store *db, const struct actor *who, long long scope, long long id,
                long long *copy_id)
{
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct person p;
    long long other = 0, mark = 0;
    rc = person_get(db, &a, id, &p);
    if (rc == ERR_OK)
        rc = person_account_contract(db, p.account_id, &other);
    if (rc == ERR_OK && scope && scope != p.contract_id)
        rc = ERR_FORBIDDEN;
    if (rc == ERR_OK && (!other || other == p.contract_id))
        rc = ERR_INVALID; /* no other contract shows it: it is changed in place */
    struct person_edit e = {p.name, p.function, p.email, p.phone, p.organisation_id, 0};
    if (rc == ERR_OK)
        rc = audit_last_id(db, &mark);
    if (rc == ERR_OK)
        rc = person_create(db, p.contract_id, &e, copy_id);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "person", id, p.version, "copied", "",
                          edit_int_text(&a, *copy_id));
    if (rc == ERR_OK)
        rc = audit_show_in(db, mark, other); /* its own contract lists it as a person's */
    /* The contract's bodies, referent seats and meetings name the copy from now on. */
    static const char *const moves[] = {
        "UPDATE body_member SET person_id = ?2 WHERE person_id = ?1 AND body_id IN "
        "(SELECT id FROM body WHERE contract_id = ?3)",
        "UPDATE body_referent SET person_id = ?2 WHERE person_id = ?1 AND body_id IN "
        "(SELECT id FROM body WHERE contract_id = ?3)",
        "UPDATE meeting_invitee SET person_id = ?2 WHERE person_id = ?1 AND meeting_id IN "
        "(SELECT id FROM meeting WHERE contract_id = ?3)",
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0] && rc == ERR_OK; i++) {
        struct stmt *st = store_prepare(db, moves[i]);
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, *copy_id);
        stmt_bind_int(st, 3, p.contract_id);
        rc = stmt_exec(st);
    }
    const char *now[6];
    person_values(&a, &e, now);
    if (rc == ERR_OK)
        rc = audit_record(db, who, "person", *copy_id, 1, "copy_of", "", edit_int_text(&a, id));
    for (int i = 0; i < 6 && rc == ERR_OK; i++)
        rc = audit_field(db, who, "person", *copy_id, 1, fields[i], "", now[i]);
    arena_free(&a);
    return edit_finish(db, rc);
}
