/* test_directory.c — the directory model and its data·inclusion exchange on a small contract
 * built here: which services an intercommunality's filter keeps (its SIREN, one of its
 * communes, its département, the whole territory), the checks of a service (vocabularies,
 * codes, "tous-publics" alone, lengths), a contact named only with consent, and an import that
 * refuses a bad record and leaves nothing behind, even in a dry run that was fine. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "check.h"
#include "format/data/data_inclusion.h"
#include "model/account/retention.h"
#include "model/directory/directory.h"
#include "store/db.h"

static struct store *db;

static void exec(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    CHECK(stmt_exec(st) == ERR_OK);
}

static long long count(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    long long n = -1;
    if (stmt_step(st) == 1) {
        n = stmt_int(st, 0);
        stmt_done(st);
    }
    return n;
}

static void fixture(void)
{
    exec("INSERT INTO territory (id, name) VALUES (1, 'Pays test')");
    exec("INSERT INTO territory_area (territory_id, kind, code, name, epci_code, position) "
         "VALUES (1, 'epci', '200000001', 'CC Une', '', 1), (1, 'commune', '55001', 'Alpha', "
         "'200000001', 2), (1, 'epci', '200000002', 'CC Deux', '', 3), (1, 'commune', '54002', "
         "'Beta', '200000002', 4)");
    exec("INSERT INTO contract (id, territory_id, title, created_at) VALUES (1, 1, 'CLS test', "
         "'2025-01-01T00:00:00Z')");
    exec("INSERT INTO organisation (id, slug, name) VALUES (1, 'org-une', 'Organisme un')");
    exec("INSERT INTO person (id, contract_id, name, created_at) VALUES (1, 1, 'Ana Contact', "
         "'2025-01-01T00:00:00Z')");
}

static void test_area_rule(void)
{
    struct arena a = {0};
    struct area *all;
    int n;
    CHECK(area_list(db, &a, 1, &all, &n) == ERR_OK);
    CHECK_INT(n, 4);
    CHECK(directory_area_covers("", "200000001", all, n));          /* whole territory */
    CHECK(directory_area_covers("200000001", "200000001", all, n)); /* its SIREN */
    CHECK(!directory_area_covers("200000001", "200000002", all, n));
    CHECK(directory_area_covers("55001", "200000001", all, n)); /* one of its communes */
    CHECK(!directory_area_covers("55001", "200000002", all, n));
    CHECK(directory_area_covers("54", "200000002", all, n)); /* its communes' département */
    CHECK(!directory_area_covers("54", "200000001", all, n));
    CHECK(directory_area_covers("france", "200000002", all, n));
    CHECK(directory_list_has("a bb c", "bb") && !directory_list_has("a bb c", "b"));
    arena_free(&a);
}

static const char DESC[] = "Une description assez longue pour data·inclusion, qui en demande "
                           "cinquante caractères au moins.";

static int problems_of(const struct service_edit *e, const char *field)
{
    struct problems p = {0};
    service_check(db, 1, e, &p);
    int n = 0;
    for (int i = 0; i < p.n; i++)
        n += str_eq(p.field[i], field);
    return n;
}

static void test_checks(void)
{
    struct service_edit e = {.name = "Service test",
                             .description = DESC,
                             .themes = "sante--acces-aux-soins",
                             .publics = "seniors familles",
                             .modes = "en-presentiel",
                             .areas = "55001 200000002 54",
                             .organisation_id = 1,
                             .person_id = 1};
    struct problems p = {0};
    service_check(db, 1, &e, &p);
    CHECK_INT(p.n, 0);
    struct service_edit bad = e;
    bad.themes = "sante--inconnue";
    CHECK_INT(problems_of(&bad, "themes"), 1);
    bad = e;
    bad.publics = "tous-publics seniors";
    CHECK_INT(problems_of(&bad, "publics"), 1);
    bad = e;
    bad.areas = "55-001";
    CHECK_INT(problems_of(&bad, "areas"), 1);
    bad = e;
    bad.description = "Trop court.";
    CHECK_INT(problems_of(&bad, "description"), 1);
    bad = e;
    bad.website = "javascript:alert(1)";
    CHECK_INT(problems_of(&bad, "website"), 1);
    bad = e;
    bad.person_id = 999;
    CHECK_INT(problems_of(&bad, "person_id"), 1);
    CHECK_STR(vocab_label(directory_themes, "sante--sante-mentale"), "Santé mentale");
    CHECK(vocab_label(directory_publics, "inconnu") == NULL);
}

static void test_consent_and_export(void)
{
    struct actor who = {0, "Tests"};
    struct service_edit e = {.name = "Service test",
                             .description = DESC,
                             .themes = "sante--acces-aux-soins",
                             .publics = "seniors",
                             .organisation_id = 1,
                             .person_id = 1};
    long long id;
    CHECK(service_add(db, &who, 1, &e, &id) == ERR_OK);
    struct arena a = {0};
    struct buf out = {0};
    CHECK(di_export_services(db, &a, 1, &out) == ERR_OK);
    CHECK(strstr(buf_cstr(&out), "Ana Contact") == NULL); /* no consent yet */
    CHECK(strstr(buf_cstr(&out), "\"structure_id\": \"org-une\"") != NULL);
    CHECK(directory_person_set(db, &who, 1, 1, true, "", "sante--sante-mentale", "200000001") ==
          ERR_OK);
    CHECK(directory_person_set(db, &who, 1, 1, true, "", "", "") == ERR_CONFLICT); /* stale */
    CHECK(directory_person_set(db, &who, 1, 2, true, "", "", "999999999") == ERR_INVALID);
    buf_reset(&out);
    CHECK(di_export_services(db, &a, 1, &out) == ERR_OK);
    CHECK(strstr(buf_cstr(&out), "\"contact_nom_prenom\": \"Ana Contact\"") != NULL);
    struct directory_person *ps;
    int n;
    CHECK(directory_people(db, &a, 1, true, &ps, &n) == ERR_OK);
    CHECK_INT(n, 1);
    exec("UPDATE person SET retain_until = '2001-01-01' WHERE id = 1");
    CHECK(directory_people(db, &a, 1, true, &ps, &n) == ERR_OK);
    CHECK_INT(n, 0);
    buf_free(&out);
    arena_free(&a);
}

static void test_import_all_or_nothing(void)
{
    struct actor who = {0, "Tests"};
    struct di_report r;
    long long services = count("SELECT count(*) FROM service");
    long long audits = count("SELECT count(*) FROM audit_log");
    static const char good_then_bad[] =
        "{\"services\": [{\"source\": \"t\", \"id\": \"s1\", \"structure_id\": \"org-une\", "
        "\"nom\": \"Un bon service\", \"description\": \"Une description assez longue pour "
        "data·inclusion, cinquante caractères au moins.\", \"date_maj\": \"2024-05-01\"}, "
        "{\"source\": \"t\", \"id\": \"s2\", \"structure_id\": \"org-une\", \"nom\": [1], "
        "\"description\": \"x\", \"date_maj\": \"2024-05-01\"}]}";
    struct di_file f = {"essai.json", good_then_bad, sizeof good_then_bad - 1};
    CHECK(di_import(db, &who, 1, &f, 1, true, &r) == ERR_INVALID);
    CHECK(strstr(r.error, "essai.json") && strstr(r.error, "service n° 2") &&
          strstr(r.error, "s2") && strstr(r.error, "« nom »"));
    CHECK_INT(count("SELECT count(*) FROM service"), services);
    CHECK_INT(count("SELECT count(*) FROM audit_log"), audits);
    /* The good record alone: a dry run counts it and writes nothing. */
    struct di_file one = {"essai.json", good_then_bad,
                          (size_t)(strstr(good_then_bad, ", {\"source") - good_then_bad)};
    char fixed[1024];
    snprintf(fixed, sizeof fixed, "%.*s]}", (int)one.len, good_then_bad);
    one.data = fixed;
    one.len = strlen(fixed);
    CHECK(di_import(db, &who, 1, &one, 1, false, &r) == ERR_OK);
    CHECK_INT(r.services_new, 1);
    CHECK_INT(count("SELECT count(*) FROM service"), services);
    CHECK(di_import(db, &who, 1, &one, 1, true, &r) == ERR_OK);
    CHECK_INT(count("SELECT count(*) FROM service"), services + 1);
    CHECK(di_import(db, &who, 1, &one, 1, true, &r) == ERR_OK); /* again: an update */
    CHECK_INT(r.services_updated, 1);
    CHECK_INT(count("SELECT count(*) FROM service"), services + 1);
    /* Deep nesting and stray types are refused, not crashed on. */
    char deep[4096];
    memset(deep, '[', sizeof deep - 1);
    deep[sizeof deep - 1] = '\0';
    struct di_file d = {"profond.json", deep, strlen(deep)};
    CHECK(di_import(db, &who, 1, &d, 1, true, &r) == ERR_INVALID);
    struct di_file s = {"texte.json", "\"bonjour\"", 9};
    CHECK(di_import(db, &who, 1, &s, 1, true, &r) == ERR_INVALID);
    /* Malformed JSON: the place in French, valid UTF-8 even when the bad escape is cut inside
     * a character (found by fuzz_data_inclusion). */
    static const char cut[] = "\"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\u\xde\x90%]";
    struct di_file c = {"coupe.json", cut, sizeof cut - 1};
    CHECK(di_import(db, &who, 1, &c, 1, false, &r) == ERR_INVALID);
    CHECK(utf8_valid(r.error, strlen(r.error)));
    CHECK_STR(r.error, "coupe.json : ce n'est pas du JSON valide (ligne 1, colonne 20).");
    /* A long identifier is quoted to its 60th character, never into the middle of one. */
    struct buf long_id = {0};
    buf_puts(&long_id, "[{\"id\": \"x");
    for (int i = 0; i < 70; i++)
        buf_puts(&long_id, "é");
    buf_puts(&long_id, "\"}]");
    struct di_file l = {"long.json", buf_cstr(&long_id), long_id.len};
    CHECK(di_import(db, &who, 1, &l, 1, false, &r) == ERR_INVALID);
    CHECK(utf8_valid(r.error, strlen(r.error)));
    CHECK(strstr(r.error, "(id « xéééé") && strstr(r.error, "éé ») : le champ « "));
    buf_free(&long_id);
    struct di_file twice = {"double.json", "[{\"id\": \"a\", \"id\": \"b\"}]", 28};
    CHECK(di_import(db, &who, 1, &twice, 1, false, &r) == ERR_INVALID);
    CHECK(strstr(r.error, "double.json : ce n'est pas du JSON valide (ligne 1, colonne ") &&
          strstr(r.error, "un champ y est donné deux fois"));
}

/* Retention: listed when the date is before the day (not on it), erased with a pseudonym when
 * no account holds the record, only withdrawn from the directory when one does. */
static void test_retention_purge(void)
{
    exec("INSERT INTO account (id, email, name, role, contract_id, created_at) VALUES (7, "
         "'bea@test.example', 'Béa Compte', 'carrier', 1, '2025-01-01T00:00:00Z')");
    exec("INSERT INTO person (id, contract_id, name, email, account_id, public_consent, "
         "retain_until, created_at) VALUES (20, 1, 'Béa Compte', 'bea@test.example', 7, 1, "
         "'2030-06-14', '2025-01-01T00:00:00Z'), (21, 1, 'Cyril Passé', 'cyril@test.example', "
         "NULL, 1, '2030-06-14', '2025-01-01T00:00:00Z'), (22, 1, 'Dora Jour', '', NULL, 1, "
         "'2030-06-15', '2025-01-01T00:00:00Z')");
    exec("INSERT INTO person_referent (person_id, kind, code) VALUES (20, 'theme', "
         "'sante--sante-mentale'), (21, 'theme', 'sante--sante-mentale')");
    long long june15 = 1907712000; /* 2030-06-15T00:00:00Z */
    struct arena a = {0};
    struct expired_person *ps = NULL;
    int n = 0;
    CHECK(retention_expired(db, &a, june15 + 3600, &ps, &n) == ERR_OK);
    /* Ana (kept until 2001 by test_consent_and_export), Béa, Cyril; not Dora, kept that day. */
    CHECK(n == 3 && ps[0].id == 1 && ps[1].id == 20 && ps[2].id == 21);
    CHECK(ps[1].account_id == 7 && ps[2].account_id == 0);
    int purged = retention_purge_tick(db, june15 + 3600);
    if (purged != 3)
        fprintf(stderr, "purged %d: %s\n", purged, store_errmsg(db));
    CHECK(purged == 3);
    CHECK(count("SELECT count(*) FROM person WHERE id = 21 AND name = 'Contact n°21' AND "
                "email = '' AND public_consent = 0 AND retain_until = ''") == 1);
    CHECK(count("SELECT count(*) FROM person WHERE id = 20 AND name = 'Béa Compte' AND "
                "public_consent = 0 AND retain_until = ''") == 1);
    CHECK(count("SELECT count(*) FROM person_referent WHERE person_id IN (20, 21)") == 0);
    CHECK(count("SELECT count(*) FROM person WHERE id = 22 AND public_consent = 1") == 1);
    CHECK(count("SELECT count(*) FROM audit_log WHERE entity = 'person' AND entity_id IN (20, "
                "21) AND actor = 'purge automatique (date de conservation dépassée)'") >= 2);
    /* Nothing left for a second pass. */
    CHECK(retention_purge_tick(db, june15 + 7200) == 0);
    arena_free(&a);
}

int main(void)
{
    char dir[] = "/tmp/boussole-test-directory-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/directory.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_directory: %s\n", err);
        return 1;
    }
    fixture();
    test_area_rule();
    test_checks();
    test_consent_and_export();
    test_import_all_or_nothing();
    test_retention_purge();
    store_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        perror("rm");
    return check_report("test_directory");
}
