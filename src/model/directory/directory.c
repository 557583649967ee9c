/* directory.c — SQL of the directory around the services: the card of organisations, the
 * directory fields of contact records (consent, retention, referent themes and EPCIs) and the
 * territory rules of the public filters. Must not produce HTML or JSON; every write is audited
 * in its transaction. A person without consent is never returned by the public queries. */
#include "model/directory/directory.h"

#include <string.h>

#include "base/str.h"
#include "model/governance/governance_internal.h"
#include "model/core/organisation.h"

#define CARD_COLUMNS                                                                      \
    "siret, address, postcode, commune, insee_code, phone, email, website, description, " \
    "directory_updated_on "

static const char *const card_fields[] = {"siret",   "address",    "postcode",
                                          "commune", "insee_code", "phone",
                                          "email",   "website",    "description"};
enum { N_CARD = 9 };

/* The card's texts in the order of card_fields (and of CARD_COLUMNS). */
static void card_texts(const struct organisation_card *c, const char **out)
{
    const char *v[N_CARD] = {c->siret, c->address, c->postcode, c->commune,    c->insee_code,
                             c->phone, c->email,   c->website,  c->description};
    for (int i = 0; i < N_CARD; i++)
        out[i] = gov_str(v[i]);
}

int organisation_card_get(struct store *db, struct arena *a, long long id,
                          struct organisation_card *out)
{
    struct stmt *st = store_prepare(db, "SELECT " CARD_COLUMNS "FROM organisation WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc == 0 ? ERR_NOTFOUND : rc;
    char **f[] = {&out->siret, &out->address, &out->postcode, &out->commune,     &out->insee_code,
                  &out->phone, &out->email,   &out->website,  &out->description, &out->updated_on};
    for (int i = 0; i < 10; i++)
        *f[i] = stmt_text(st, i, a);
    stmt_done(st);
    return ERR_OK;
}

int organisation_card_set(struct store *db, const struct actor *who, long long id,
                          const struct organisation_card *c)
{
    struct arena a = {0};
    struct organisation_card old;
    long long version = 0;
    int rc = organisation_card_get(db, &a, id, &old);
    if (rc == ERR_OK)
        rc = edit_one_int(db, "SELECT version FROM organisation WHERE id = ?1", id, &version);
    const char *before[N_CARD], *now[N_CARD];
    card_texts(&old, before);
    card_texts(c, now);
    bool changed = false;
    for (int i = 0; i < N_CARD; i++)
        changed |= strcmp(before[i], now[i]) != 0;
    if (rc == ERR_OK && changed) {
        struct stmt *st = store_prepare(
            db, "UPDATE organisation SET siret = ?2, address = ?3, postcode = ?4, commune = ?5, "
                "insee_code = ?6, phone = ?7, email = ?8, website = ?9, description = ?10, "
                "directory_updated_on = coalesce(nullif(?11, ''), date('now')), "
                "version = version + 1 WHERE id = ?1");
        stmt_bind_int(st, 1, id);
        for (int i = 0; i < N_CARD; i++)
            stmt_bind_text(st, 2 + i, now[i]);
        stmt_bind_text(st, 11, gov_str(c->updated_on));
        rc = stmt_exec(st);
        for (int i = 0; i < N_CARD && rc == ERR_OK; i++)
            rc = audit_field(db, who, "organisation", id, (int)version + 1, card_fields[i],
                             before[i], now[i]);
    }
    arena_free(&a);
    return rc;
}

/* True when s is empty or exactly n characters of digits (or 2A/2B at the start for Corsica
 * when corsica). */
static bool code_ok(const char *s, size_t n, bool corsica)
{
    if (str_blank(s))
        return true;
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= '0' && s[i] <= '9') &&
            !(corsica && i == 1 && s[0] == '2' && (s[1] == 'A' || s[1] == 'B')))
            return false;
    return true;
}

void organisation_card_check(const struct organisation_card *c, struct problems *p)
{
    if (!code_ok(c->siret, 14, false))
        problems_add(p, "siret", "Le SIRET compte 14 chiffres.");
    if (!code_ok(c->postcode, 5, false))
        problems_add(p, "postcode", "Le code postal compte 5 chiffres.");
    if (!code_ok(c->insee_code, 5, true))
        problems_add(p, "insee_code", "Le code INSEE de la commune compte 5 caractères.");
    const char *email = gov_str(c->email), *at = strchr(email, '@');
    if (*email && (!at || at == email || !strchr(at + 1, '.') || strchr(at + 1, '@') ||
                   strcspn(email, " \t\r\n<>,;\"") != strlen(email) || edit_too_long(email, 254)))
        problems_add(p, "email", "Cette adresse e-mail n'a pas la forme nom@domaine.fr.");
    const char *web = gov_str(c->website);
    if (*web && ((strncmp(web, "https://", 8) != 0 && strncmp(web, "http://", 7) != 0) ||
                 strcspn(web, " \t\r\n\"<>") != strlen(web) || edit_too_long(web, 2000)))
        problems_add(p, "website",
                     "Le site doit commencer par https:// et ne pas contenir "
                     "d'espace.");
    if (edit_too_long(c->address, 500) || edit_too_long(c->commune, 200))
        problems_add(p, "address", "L'adresse ou la commune est trop longue.");
    if (edit_too_long(c->phone, 40))
        problems_add(p, "phone", "Le numéro de téléphone dépasse 40 caractères.");
    if (edit_too_long(c->description, 2000))
        problems_add(p, "description", "La présentation dépasse 2 000 caractères.");
}

int organisation_card_update(struct store *db, const struct actor *who, long long scope,
                             long long id, int version, const struct organisation_card *c)
{
    struct problems p = {0};
    organisation_card_check(c, &p);
    if (p.n)
        return ERR_INVALID;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct organisation_contract *cs = NULL;
    int n_cs = 0;
    long long now = 0, mark = 0;
    rc = edit_one_int(db, "SELECT version FROM organisation WHERE id = ?1", id, &now);
    if (rc == ERR_OK && now != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = organisation_contracts(db, &a, id, &cs, &n_cs);
    if (rc == ERR_OK && !organisation_in_scope(cs, n_cs, scope))
        rc = ERR_FORBIDDEN;
    if (rc == ERR_OK)
        rc = audit_last_id(db, &mark);
    if (rc == ERR_OK)
        rc = organisation_card_set(db, who, id, c);
    for (int i = 0; i < n_cs && rc == ERR_OK; i++)
        rc = audit_show_in(db, mark, cs[i].id);
    arena_free(&a);
    return edit_finish(db, rc);
}

static void read_org(struct stmt *st, struct arena *a, void *row)
{
    struct organisation *o = row;
    o->id = stmt_int(st, 0);
    o->slug = stmt_text(st, 1, a);
    o->name = stmt_text(st, 2, a);
    o->type = stmt_text(st, 3, a);
    o->acronym = stmt_text(st, 4, a);
    o->aliases = stmt_text(st, 5, a);
}

int directory_organisations(struct store *db, struct arena *a, long long contract_id,
                            struct organisation **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, coalesce(slug, ''), name, type, acronym, aliases FROM organisation "
            "WHERE id IN (SELECT organisation_id FROM service WHERE contract_id = ?1) "
            "ORDER BY name, id");
    stmt_bind_int(st, 1, contract_id);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_org, &rows, n);
    *out = rows;
    return rc;
}

/* A person's referent codes of one kind, space-separated, in code order. */
#define REFERENT_CODES(kind)                                                                   \
    "coalesce((SELECT group_concat(code, ' ') FROM (SELECT code FROM person_referent r WHERE " \
    "r.person_id = p.id AND r.kind = '" kind "' ORDER BY code) AS codes), '')"

#define PERSON_COLUMNS                                                                                \
    "p.id, coalesce(p.organisation_id, 0), p.name, p.function, p.email, p.phone, "                    \
    "coalesce(o.name, ''), p.retain_until, p.public_consent, " REFERENT_CODES(                        \
        "theme") ", " REFERENT_CODES("epci") ", p.version FROM person p LEFT JOIN organisation o ON " \
                                             "o.id = p.organisation_id "

static void read_person(struct stmt *st, struct arena *a, void *row)
{
    struct directory_person *p = row;
    p->id = stmt_int(st, 0);
    p->organisation_id = stmt_int(st, 1);
    p->name = stmt_text(st, 2, a);
    p->function = stmt_text(st, 3, a);
    p->email = stmt_text(st, 4, a);
    p->phone = stmt_text(st, 5, a);
    p->organisation_name = stmt_text(st, 6, a);
    p->retain_until = stmt_text(st, 7, a);
    p->consent = stmt_int(st, 8) != 0;
    p->themes = stmt_text(st, 9, a);
    p->epcis = stmt_text(st, 10, a);
    p->version = (int)stmt_int(st, 11);
}

int directory_people(struct store *db, struct arena *a, long long contract_id, bool public_only,
                     struct directory_person **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT " PERSON_COLUMNS "WHERE p.contract_id = ?1 AND (?2 = 0 OR "
            "(p.public_consent = 1 AND (p.retain_until = '' OR p.retain_until >= "
            "date('now')))) ORDER BY p.name, p.id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, public_only);
    void *rows;
    int rc = rows_read_all(st, a, sizeof **out, read_person, &rows, n);
    *out = rows;
    return rc;
}

int directory_person_get(struct store *db, struct arena *a, long long id,
                         struct directory_person *out)
{
    struct stmt *st = store_prepare(db, "SELECT " PERSON_COLUMNS "WHERE p.id = ?1");
    stmt_bind_int(st, 1, id);
    return gov_read_one(st, a, read_person, out);
}

/* Replaces the person's referent codes of kind with the words of list. */
static int referents_replace(struct store *db, long long id, const char *kind, const char *list)
{
    struct stmt *st = store_prepare(db, "DELETE FROM person_referent WHERE person_id = ?1 AND "
                                        "kind = ?2");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, kind);
    int rc = stmt_exec(st);
    for (const char *s = list; rc == ERR_OK && *s;) {
        size_t len = strcspn(s, " ");
        if (len) {
            char code[128];
            if (len >= sizeof code)
                return ERR_INVALID;
            memcpy(code, s, len);
            code[len] = '\0';
            st = store_prepare(db, "INSERT OR IGNORE INTO person_referent (person_id, kind, "
                                   "code) VALUES (?1, ?2, ?3)");
            stmt_bind_int(st, 1, id);
            stmt_bind_text(st, 2, kind);
            stmt_bind_text(st, 3, code);
            rc = stmt_exec(st);
        }
        s += len;
        while (*s == ' ')
            s++;
    }
    return rc;
}

/* ERR_OK when each word of epcis is an EPCI of the person's contract's territory and each word
 * of themes a data·inclusion thematique. */
static int referents_valid(struct store *db, long long id, const char *themes, const char *epcis)
{
    for (const char *s = themes; *s;) {
        size_t len = strcspn(s, " ");
        char code[128];
        if (len >= sizeof code)
            return ERR_INVALID;
        memcpy(code, s, len);
        code[len] = '\0';
        if (len && !vocab_label(directory_themes, code))
            return ERR_INVALID;
        s += len;
        while (*s == ' ')
            s++;
    }
    for (const char *s = epcis; *s;) {
        size_t len = strcspn(s, " ");
        char code[128];
        if (len >= sizeof code)
            return ERR_INVALID;
        memcpy(code, s, len);
        code[len] = '\0';
        struct stmt *st = store_prepare(
            db, "SELECT 1 FROM territory_area t JOIN contract c ON c.territory_id = "
                "t.territory_id JOIN person p ON p.contract_id = c.id WHERE p.id = ?1 AND "
                "t.kind = 'epci' AND t.code = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, code);
        int rc = stmt_step(st);
        if (rc == 1)
            stmt_done(st);
        if (len && rc != 1)
            return rc < 0 ? rc : ERR_INVALID;
        s += len;
        while (*s == ' ')
            s++;
    }
    return ERR_OK;
}

int directory_person_set(struct store *db, const struct actor *who, long long id, int version,
                         bool consent, const char *retain_until, const char *themes,
                         const char *epcis)
{
    themes = gov_str(themes);
    epcis = gov_str(epcis);
    retain_until = gov_str(retain_until);
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct directory_person old;
    rc = directory_person_get(db, &a, id, &old);
    if (rc == ERR_OK)
        rc = referents_valid(db, id, themes, epcis);
    if (rc == ERR_OK) {
        struct stmt *st = store_prepare(db, "UPDATE person SET public_consent = ?3, "
                                            "retain_until = ?4, version = version + 1 "
                                            "WHERE id = ?1 AND version = ?2");
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, version);
        stmt_bind_int(st, 3, consent);
        stmt_bind_text(st, 4, retain_until);
        rc = stmt_exec(st);
    }
    if (rc == ERR_OK)
        rc = edit_bumped(db);
    if (rc == ERR_OK)
        rc = referents_replace(db, id, "theme", themes);
    if (rc == ERR_OK)
        rc = referents_replace(db, id, "epci", epcis);
    struct directory_person now;
    if (rc == ERR_OK)
        rc = directory_person_get(db, &a, id, &now);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "person", id, version + 1, "public_consent",
                         old.consent ? "1" : "0", now.consent ? "1" : "0");
    if (rc == ERR_OK)
        rc = audit_field(db, who, "person", id, version + 1, "retain_until", old.retain_until,
                         now.retain_until);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "person", id, version + 1, "referent_themes", old.themes,
                         now.themes);
    if (rc == ERR_OK)
        rc = audit_field(db, who, "person", id, version + 1, "referent_epcis", old.epcis,
                         now.epcis);
    arena_free(&a);
    return edit_finish(db, rc);
}

bool directory_list_has(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *s = list ? list : ""; n && *s;) {
        size_t len = strcspn(s, " ");
        if (len == n && strncmp(s, word, n) == 0)
            return true;
        s += len;
        while (*s == ' ')
            s++;
    }
    return false;
}

bool directory_area_covers(const char *areas, const char *epci, const struct area *all, int n)
{
    if (str_blank(areas) || directory_list_has(areas, epci) ||
        directory_list_has(areas, "france") || directory_list_has(areas, "99100"))
        return true;
    /* A commune of the EPCI, or the département of one of its communes. */
    for (int i = 0; i < n; i++) {
        if (!str_eq(all[i].kind, "commune") || !str_eq(all[i].epci_code, epci))
            continue;
        char dep[4] = {0};
        memcpy(dep, all[i].code, strlen(all[i].code) >= 2 ? 2 : 0);
        if (directory_list_has(areas, all[i].code) || (*dep && directory_list_has(areas, dep)))
            return true;
    }
    return false;
}
