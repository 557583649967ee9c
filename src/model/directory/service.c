/* service.c — SQL of the services (dispositifs) of a contract's directory and their checks.
 * Must not produce HTML or JSON, and must never write without its audit rows in the same
 * transaction (through the governance edit kinds, like the contact records). */
#include "model/directory/directory.h"

#include <ctype.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/governance/governance_internal.h"

/* The contact appears publicly only with consent and before the retention date. */
#define SERVICE_COLUMNS                                                                            \
    "s.id, s.contract_id, s.organisation_id, coalesce(s.person_id, 0), s.external_id, "            \
    "s.name, s.description, s.phone, s.email, s.website, s.hours, s.publics_note, s.modes, "       \
    "s.publics, s.themes, s.areas, s.updated_on, coalesce(o.name, ''), coalesce(p.name, ''), "     \
    "CASE WHEN p.public_consent = 1 AND (p.retain_until = '' OR p.retain_until >= "                \
    "date('now')) THEN 1 ELSE 0 END, s.version FROM service s LEFT JOIN organisation o ON o.id = " \
    "s.organisation_id LEFT JOIN person p ON p.id = s.person_id "

static void read_service(struct stmt *st, struct arena *a, void *row)
{
    struct service *s = row;
    s->id = stmt_int(st, 0);
    s->contract_id = stmt_int(st, 1);
    s->organisation_id = stmt_int(st, 2);
    s->person_id = stmt_int(st, 3);
    char **text[] = {&s->external_id, &s->name,
                     &s->description, &s->phone,
                     &s->email,       &s->website,
                     &s->hours,       &s->publics_note,
                     &s->modes,       &s->publics,
                     &s->themes,      &s->areas,
                     &s->updated_on,  &s->organisation_name,
                     &s->contact_name};
    for (int i = 0; i < 15; i++)
        *text[i] = stmt_text(st, 4 + i, a);
    s->contact_public = stmt_int(st, 19) != 0;
    s->version = (int)stmt_int(st, 20);
}

int service_list(struct store *db, struct arena *a, long long contract_id, struct service **out,
                 int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " SERVICE_COLUMNS "WHERE s.contract_id = ?1 "
                                        "ORDER BY s.name, s.id");
    stmt_bind_int(st, 1, contract_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_service, &rows, n);
    *out = rows;
    return rc;
}

int service_get(struct store *db, struct arena *a, long long id, struct service *out)
{
    struct stmt *st = store_prepare(db, "SELECT " SERVICE_COLUMNS "WHERE s.id = ?1");
    stmt_bind_int(st, 1, id);
    return gov_read_one(st, a, read_service, out);
}

int service_find_external(struct store *db, long long contract_id, const char *external_id,
                          long long *id)
{
    struct stmt *st = store_prepare(db, "SELECT id FROM service WHERE contract_id = ?1 AND "
                                        "external_id = ?2 AND external_id <> ''");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, external_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    *id = stmt_int(st, 0);
    stmt_done(st);
    return ERR_OK;
}

/* A code of the Code officiel géographique as data·inclusion's zone_eligibilite takes it:
 * a commune (5 characters, digits or 2A/2B), an EPCI (SIREN, 9 digits), a département (2 or 3
 * characters), or "france". */
static bool area_code_ok(const char *c, size_t len)
{
    if (len == 6 && strncmp(c, "france", 6) == 0)
        return true;
    if (len != 2 && len != 3 && len != 5 && len != 9)
        return false;
    for (size_t i = 0; i < len; i++) {
        bool corsica = i == 1 && c[0] == '2' && (c[1] == 'A' || c[1] == 'B');
        if (!isdigit((unsigned char)c[i]) && !corsica)
            return false;
    }
    return true;
}

/* Checks each space-separated word of list with ok (a vocabulary or the area codes); the
 * first bad one is named in the problem. */
static void check_list(struct problems *p, const char *field, const char *list,
                       const struct vocab *v, const char *what, int max_words)
{
    const char *s = list ? list : "";
    int words = 0;
    bool all_publics = false;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t len = strcspn(s, " ");
        if (!len)
            break;
        char word[128];
        bool ok = len < sizeof word;
        if (ok) {
            memcpy(word, s, len);
            word[len] = '\0';
            ok = v ? vocab_label(v, word) != NULL : area_code_ok(word, len);
        }
        if (!ok) {
            problems_add(p, field,
                         v == directory_themes ? "Une thématique n'est pas dans la liste de "
                                                 "data·inclusion."
                         : v ? "Une valeur n'est pas dans la liste de data·inclusion."
                             : "Un code de territoire n'est ni un code INSEE de "
                               "commune, ni un SIREN d'intercommunalité, ni un "
                               "numéro de département.");
            return;
        }
        if (v == directory_publics && strcmp(word, "tous-publics") == 0)
            all_publics = true;
        s += len;
        if (++words > max_words) {
            problems_add(p, field, what);
            return;
        }
    }
    if (all_publics && words > 1)
        problems_add(p, field, "« Tous publics » ne se combine pas avec un autre public.");
}

/* An address with one '@', something on both sides and a dot in the domain, no blank. */
static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.')
        return false;
    return strcspn(s, " \t\r\n<>,;") == strlen(s);
}

void service_check(struct store *db, long long contract_id, const struct service_edit *e,
                   struct problems *p)
{
    size_t name_chars = text_chars(e->name);
    if (str_blank(e->name))
        problems_add(p, "name", "Indiquez le nom du service.");
    else if (name_chars < 3 || name_chars > 150)
        problems_add(p, "name", "Le nom doit compter de 3 à 150 caractères.");
    size_t desc = text_chars(e->description);
    if (desc < 50 || desc > 2000)
        problems_add(p, "description",
                     "La description doit compter de 50 à 2 000 caractères "
                     "(ce que demande data·inclusion).");
    if (!str_blank(e->email) && (!email_ok(e->email) || edit_too_long(e->email, 254)))
        problems_add(p, "email", "Cette adresse e-mail n'a pas la forme nom@domaine.fr.");
    if (edit_too_long(e->phone, 40))
        problems_add(p, "phone", "Le numéro de téléphone dépasse 40 caractères.");
    if (!str_blank(e->website) &&
        (edit_too_long(e->website, 2000) ||
         (strncmp(e->website, "https://", 8) != 0 && strncmp(e->website, "http://", 7) != 0) ||
         strcspn(e->website, " \t\r\n\"<>") != strlen(e->website)))
        problems_add(p, "website",
                     "Le lien doit commencer par https:// et ne pas contenir "
                     "d'espace.");
    if (edit_too_long(e->hours, 500))
        problems_add(p, "hours", "Les horaires dépassent 500 caractères.");
    if (edit_too_long(e->publics_note, 2000))
        problems_add(p, "publics_note",
                     "Les précisions sur les publics dépassent 2 000 "
                     "caractères.");
    if (edit_too_long(e->external_id, 200))
        problems_add(p, "external_id", "L'identifiant dépasse 200 caractères.");
    check_list(p, "themes", e->themes, directory_themes, "Trop de thématiques (80 au plus).", 80);
    check_list(p, "publics", e->publics, directory_publics, "Trop de publics.", 20);
    check_list(p, "modes", e->modes, directory_modes, "Trop de modes d'accueil.", 2);
    check_list(p, "areas", e->areas, NULL, "Trop de codes de territoire (500 au plus).", 500);
    long long owner = 0;
    if (!e->organisation_id)
        problems_add(p, "organisation_id", "Choisissez l'organisme qui propose le service.");
    else if (edit_one_int(db, "SELECT id FROM organisation WHERE id = ?1", e->organisation_id,
                          &owner) != ERR_OK)
        problems_add(p, "organisation_id", "Cet organisme n'existe pas dans l'annuaire.");
    if (e->person_id && (edit_one_int(db, "SELECT contract_id FROM person WHERE id = ?1",
                                      e->person_id, &owner) != ERR_OK ||
                         owner != contract_id))
        problems_add(p, "person_id", "Cette personne n'est pas un contact de ce contrat.");
}

static const char *const fields[] = {
    "name",  "description",  "organisation_id", "person_id", "phone",  "email", "website",
    "hours", "publics_note", "modes",           "publics",   "themes", "areas", "external_id"};
enum { N_FIELDS = 14 };

/* What service_add and service_update hand to the edit kind: the edit and its contract. */
struct service_write {
    const struct service_edit *e;
    long long contract_id;
};

static void values(struct arena *a, const void *edit, const char **out)
{
    const struct service_edit *e = ((const struct service_write *)edit)->e;
    const char *v[N_FIELDS] = {
        e->name,  e->description,  "",       "",         e->phone,  e->email, e->website,
        e->hours, e->publics_note, e->modes, e->publics, e->themes, e->areas, e->external_id};
    for (int i = 0; i < N_FIELDS; i++)
        out[i] = gov_str(v[i]);
    out[2] = edit_int_text(a, e->organisation_id);
    out[3] = edit_int_text(a, e->person_id);
}

/* Binds ?3… of the update and of the insert; the date of the change is today unless the edit
 * brings its own (an import keeps the date_maj of its source). */
static void bind(struct stmt *st, const void *edit)
{
    const struct service_edit *e = ((const struct service_write *)edit)->e;
    stmt_bind_text(st, 3, gov_str(e->name));
    stmt_bind_text(st, 4, gov_str(e->description));
    stmt_bind_int(st, 5, e->organisation_id);
    if (e->person_id)
        stmt_bind_int(st, 6, e->person_id);
    else
        stmt_bind_null(st, 6);
    const char *text[] = {e->phone, e->email,   e->website, e->hours, e->publics_note,
                          e->modes, e->publics, e->themes,  e->areas, e->external_id};
    for (int i = 0; i < 10; i++)
        stmt_bind_text(st, 7 + i, gov_str(text[i]));
    if (str_blank(e->updated_on))
        stmt_bind_null(st, 17);
    else
        stmt_bind_text(st, 17, e->updated_on);
}

static int create(struct store *db, long long contract_id, const void *edit, long long *id)
{
    struct stmt *st = store_prepare(
        db, "INSERT INTO service (contract_id, name, description, organisation_id, person_id, "
            "phone, email, website, hours, publics_note, modes, publics, themes, areas, "
            "external_id, updated_on, created_at) VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
            "?11, ?12, ?13, ?14, ?15, ?16, coalesce(?17, date('now')), "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    bind(st, edit);
    int rc = stmt_exec(st);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

static void check(struct store *db, const void *edit, struct problems *p)
{
    const struct service_write *w = edit;
    service_check(db, w->contract_id, w->e, p);
}

static int current(struct store *db, struct arena *a, long long id, const char **out)
{
    struct service s;
    int rc = service_get(db, a, id, &s);
    if (rc != ERR_OK)
        return rc;
    struct service_edit e = {s.external_id, s.name,  s.description,     s.phone,     s.email,
                             s.website,     s.hours, s.publics_note,    s.modes,     s.publics,
                             s.themes,      s.areas, s.organisation_id, s.person_id, NULL};
    values(a, &(struct service_write){&e, s.contract_id}, out);
    return ERR_OK;
}

static const struct gov_kind service_kind = {
    .entity = "service",
    .fields = fields,
    .n_fields = N_FIELDS,
    .update_sql = "UPDATE service SET name = ?3, description = ?4, organisation_id = ?5, "
                  "person_id = ?6, phone = ?7, email = ?8, website = ?9, hours = ?10, "
                  "publics_note = ?11, modes = ?12, publics = ?13, themes = ?14, areas = ?15, "
                  "external_id = ?16, updated_on = coalesce(?17, date('now')), "
                  "version = version + 1 WHERE id = ?1 AND version = ?2",
    .check = check,
    .values = values,
    .bind = bind,
    .create = create,
    .current = current,
};

int service_add(struct store *db, const struct actor *who, long long contract_id,
                const struct service_edit *e, long long *id)
{
    return gov_add(db, who, &service_kind, contract_id, &(struct service_write){e, contract_id},
                   id);
}

int service_update(struct store *db, const struct actor *who, long long id, int version,
                   const struct service_edit *e)
{
    long long contract_id = 0;
    int rc = edit_one_int(db, "SELECT contract_id FROM service WHERE id = ?1", id, &contract_id);
    if (rc != ERR_OK)
        return rc;
    return gov_update(db, who, &service_kind, id, version,
                      &(struct service_write){e, contract_id});
}
