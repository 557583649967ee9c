/* funding.c — `boussole funding-calls fetch|import` (funding calls from the Aides-territoires
 * API, page after page, or from saved JSON files, into a contract: every page read and checked
 * before anything is written) and `boussole funding-export` (the granted amounts as SCDL
 * subventions CSV). The network is only here; what the JSON means is model/funding_call.c's. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "cli/cli.h"
#include "model/funding/funding.h"
#include "model/funding/funding_call.h"
#include "store/db.h"

static const char calls_usage[] =
    "usage: boussole funding-calls fetch --db FILE --contract ID --token JETON [--url URL] "
    "[--yes]\n"
    "       boussole funding-calls import --db FILE --contract ID FICHIER.json... [--yes]\n"
    "\n"
    "Importe des appels à financement (aides) dans un contrat et les rapproche de ses actions\n"
    "par thème, public et territoire (la règle est expliquée sur la page Financements).\n"
    "\n"
    "fetch   lit l'API d'Aides-territoires (par défaut\n"
    "        https://aides-territoires.beta.gouv.fr/api/aids/all/) : le jeton du compte\n"
    "        (--token, ou la variable AIDES_TERRITOIRES_TOKEN) est envoyé dans l'en-tête\n"
    "        X-AUTH-TOKEN à /api/connexion/, qui rend un jeton JWT ; les pages sont lues avec\n"
    "        « Authorization: Bearer » en suivant leurs liens « next » (même serveur\n"
    "        seulement, 200 pages au plus).\n"
    "import  lit des pages enregistrées (objet avec « results ») ou des listes d'aides.\n"
    "\n"
    "Champs lus de chaque aide : id, name, url (chemin du site Aides-territoires), financers,\n"
    "categories, targeted_audiences,\n"
    "perimeter, perimeter_scale, submission_deadline (AAAA-MM-JJ), description.\n"
    "Sans --yes rien n'est écrit : la commande dit ce qu'elle importerait. Une page illisible,\n"
    "trop grosse (8 Mo) ou d'un mauvais type arrête tout ; la base reste inchangée.\n";

static const char export_usage[] =
    "usage: boussole funding-export --db FILE --contract ID [--out FICHIER.csv]\n"
    "\n"
    "Écrit les subventions accordées aux actions du contrat au format SCDL subventions 2.1.1\n"
    "(CSV, virgule, UTF-8). Les lignes sans SIRET, date de convention ou période de versement\n"
    "sont laissées de côté et comptées.\n";

struct page {
    struct buf body;
    bool too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct page *pg = arg;
    if (pg->body.len + size * n > FUNDING_CALLS_PAGE_MAX) {
        pg->too_big = true;
        return 0; /* stops the transfer */
    }
    buf_append(&pg->body, p, size * n);
    return size * n;
}

/* "https://host" of url (scheme and authority), for keeping the token on one server. */
static size_t origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    while (*p && *p != '/' && *p != '?' && *p != '#')
        p++;
    return (size_t)(p - url);
}

/* One request: GET, or an empty POST; `header` is one "Name: value" line. Only a 200 is OK. */
static int http_call(const char *url, const char *header, bool post, struct page *pg, char *err,
                     size_t errlen)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "libcurl indisponible");
        return ERR_IO;
    }
    struct curl_slist *h = curl_slist_append(NULL, header);
    h = curl_slist_append(h, "Accept: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (post) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, pg);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "boussole");
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (pg->too_big) {
        snprintf(err, errlen, "page trop grosse (8 Mo au plus)");
        return ERR_INVALID;
    }
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s", curl_easy_strerror(rc));
        return ERR_IO;
    }
    if (status != 200) {
        snprintf(err, errlen, "le serveur a répondu HTTP %ld%s", status,
                 status == 401 || status == 403 ? " (jeton refusé ?)" : "");
        return ERR_IO;
    }
    return ERR_OK;
}

/* The API's connexion address next to the aids one: ".../api/aids/all/" gives
 * ".../api/connexion/" (the server's root when the address has no /api/). */
static const char *connexion_url(struct arena *a, const char *url, size_t origin)
{
    const char *api = strstr(url + origin, "/api/");
    size_t keep = api ? (size_t)(api - url) : origin;
    struct buf b = {0};
    buf_append(&b, url, keep);
    buf_puts(&b, "/api/connexion/");
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* Aides-territoires wants the account's token in X-AUTH-TOKEN on POST /api/connexion/ only; it
 * answers a JWT that every other call carries as "Authorization: Bearer". */
static int api_bearer(struct arena *a, const char *url, size_t origin, const char *token,
                      const char **header)
{
    const char *cx = connexion_url(a, url, origin);
    struct buf h = {0};
    buf_puts(&h, "X-AUTH-TOKEN: ");
    buf_puts(&h, token);
    struct page pg = {0};
    char err[512];
    const char *bearer = NULL;
    int rc = http_call(cx, buf_cstr(&h), true, &pg, err, sizeof err);
    if (rc == ERR_OK)
        rc = funding_calls_bearer(pg.body.p ? pg.body.p : "", pg.body.len, a, &bearer, err,
                                  sizeof err);
    buf_free(&h);
    buf_free(&pg.body);
    if (rc != ERR_OK)
        return cli_fail("funding-calls: connexion à l'API (%s) : %s ; rien n'est écrit", cx, err);
    struct buf b = {0};
    buf_puts(&b, "Authorization: Bearer ");
    buf_puts(&b, bearer);
    *header = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return 0;
}

static int open_contract_db(const char *cmd, const char *db_path, const char *contract,
                            long long *id, struct store **db)
{
    if (!db_path)
        return cli_bad_arg(cmd, "--db FILE est obligatoire (voir --help)");
    if (!contract || str_to_ll(contract, 1, (long long)1e15, id) != ERR_OK)
        return cli_bad_arg(cmd, "--contract attend un numéro de contrat");
    if (cli_db_missing(db_path))
        return cli_fail("%s: base %s introuvable", cmd, db_path);
    char err[512];
    if (store_open(db_path, db, err, sizeof err) != ERR_OK)
        return cli_fail("%s: %s", cmd, err);
    return 0;
}

static int save_calls(struct store *db, long long contract_id, const char *source,
                      const struct funding_call *calls, int n, bool yes)
{
    if (!yes) {
        printf("%d aide%s lue%s ; rien n'est écrit sans --yes.\n", n, n > 1 ? "s" : "",
               n > 1 ? "s" : "");
        return 0;
    }
    struct actor who = {0, "boussole funding-calls"};
    int added = 0, updated = 0, matches = 0;
    int rc = funding_calls_save(db, &who, contract_id, source, calls, n, &added, &updated,
                                &matches);
    if (rc == ERR_NOTFOUND)
        return cli_fail("funding-calls: contrat n° %lld introuvable", contract_id);
    if (rc != ERR_OK)
        return cli_fail("funding-calls: écriture impossible (%s) ; rien n'a été importé",
                        store_errmsg(db));
    printf("%d appel%s ajouté%s, %d mis à jour ; %d rapprochement%s avec des actions.\n", added,
           added > 1 ? "s" : "", added > 1 ? "s" : "", updated, matches, matches > 1 ? "s" : "");
    return 0;
}

static int calls_fetch(struct store *db, struct arena *a, long long contract_id, const char *url,
                       const char *token, bool yes)
{
    struct funding_call *calls = NULL;
    int n = 0, cap = 0;
    size_t origin = origin_len(url);
    if (!origin)
        return cli_bad_arg("funding-calls", "--url doit être une adresse http(s)");
    const char *auth = NULL;
    int rc = api_bearer(a, url, origin, token, &auth);
    if (rc)
        return rc;
    const char *next = url;
    for (int page = 1; next; page++) {
        if (page > 200)
            return cli_fail("funding-calls: plus de 200 pages : import arrêté, rien n'est écrit");
        if (strncmp(next, url, origin) != 0 || origin_len(next) != origin)
            return cli_fail("funding-calls: page %d sur un autre serveur (%s) : le jeton n'y "
                            "est pas envoyé, rien n'est écrit",
                            page, next);
        struct page pg = {0};
        char err[512];
        const char *cur = next;
        rc = http_call(cur, auth, false, &pg, err, sizeof err);
        if (rc == ERR_OK)
            rc = funding_calls_parse(pg.body.p ? pg.body.p : "", pg.body.len, a, &calls, &n, &cap,
                                     &next, err, sizeof err);
        buf_free(&pg.body);
        if (rc != ERR_OK)
            return cli_fail("funding-calls: page %d (%s) : %s ; rien n'est écrit", page, cur, err);
    }
    return save_calls(db, contract_id, "aides-territoires", calls, n, yes);
}

static int calls_import(struct store *db, struct arena *a, long long contract_id,
                        const char *const *files, int n_files, bool yes)
{
    struct funding_call *calls = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < n_files; i++) {
        FILE *f = fopen(files[i], "rb");
        if (!f)
            return cli_fail("funding-calls: %s illisible", files[i]);
        struct buf data = {0};
        char chunk[65536];
        size_t got;
        bool too_big = false;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && !too_big) {
            too_big = data.len + got > FUNDING_CALLS_PAGE_MAX;
            if (!too_big)
                buf_append(&data, chunk, got);
        }
        fclose(f);
        char err[512];
        const char *next = NULL;
        int rc = too_big ? ERR_INVALID : ERR_OK;
        if (too_big)
            snprintf(err, sizeof err, "fichier trop gros (8 Mo au plus par page)");
        else
            rc = funding_calls_parse(data.p ? data.p : "", data.len, a, &calls, &n, &cap, &next,
                                     err, sizeof err);
        buf_free(&data);
        if (rc != ERR_OK)
            return cli_fail("funding-calls: %s : %s ; rien n'est écrit", files[i], err);
    }
    return save_calls(db, contract_id, n_files == 1 ? files[0] : "fichiers enregistrés", calls, n,
                      yes);
}

int cmd_funding_calls(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "fetch") != 0 && strcmp(argv[1], "import") != 0)) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(calls_usage, stdout);
            return 0;
        }
        return cli_bad_arg("funding-calls", "fetch ou import attendu (voir --help)");
    }
    bool fetch = strcmp(argv[1], "fetch") == 0, yes = false;
    const char *db_path = NULL, *contract = NULL, *token = NULL;
    const char *url = "https://aides-territoires.beta.gouv.fr/api/aids/all/";
    const struct cli_opt opts[] = {{"db", &db_path, NULL},  {"contract", &contract, NULL},
                                   {"token", &token, NULL}, {"url", &url, NULL},
                                   {"yes", NULL, &yes},     {0}};
    const char *pos[32];
    int n_pos = 0,
        rc = cli_parse(argc - 1, argv + 1, opts, pos, fetch ? 0 : 32, &n_pos, calls_usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (fetch && !token)
        token = getenv("AIDES_TERRITOIRES_TOKEN");
    if (fetch && (!token || !*token))
        return cli_bad_arg("funding-calls", "--token JETON est obligatoire pour fetch");
    for (const char *p = fetch ? token : ""; *p; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f)
            return cli_bad_arg("funding-calls", "--token : caractère de contrôle interdit");
    if (!fetch && n_pos == 0)
        return cli_bad_arg("funding-calls", "indiquez au moins un fichier JSON à importer");
    struct store *db = NULL;
    long long contract_id = 0;
    if ((rc = open_contract_db("funding-calls", db_path, contract, &contract_id, &db)))
        return rc;
    struct arena a = {0};
    rc = fetch ? calls_fetch(db, &a, contract_id, url, token, yes)
               : calls_import(db, &a, contract_id, pos, n_pos, yes);
    arena_free(&a);
    store_close(db);
    return rc;
}

int cmd_funding_export(int argc, char **argv)
{
    const char *db_path = NULL, *contract = NULL, *out = NULL;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},
                                   {"contract", &contract, NULL},
                                   {"out", &out, NULL},
                                   {0}};
    const char *pos[1];
    int n_pos = 0, rc = cli_parse(argc, argv, opts, pos, 0, &n_pos, export_usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    struct store *db = NULL;
    long long contract_id = 0;
    if ((rc = open_contract_db("funding-export", db_path, contract, &contract_id, &db)))
        return rc;
    struct arena a = {0};
    struct buf data = {0};
    int rows = 0, skipped = 0;
    rc = funding_scdl_csv(db, &a, contract_id, &data, &rows, &skipped);
    store_close(db);
    if (rc != ERR_OK)
        rc = cli_fail("funding-export: lecture de la base impossible");
    else
        rc = cli_write_output("funding-export", out, &data);
    if (rc == 0 && out)
        printf("%d subvention%s écrite%s dans %s ; %d ligne%s incomplète%s laissée%s de côté.\n",
               rows, rows > 1 ? "s" : "", rows > 1 ? "s" : "", out, skipped,
               skipped > 1 ? "s" : "", skipped > 1 ? "s" : "", skipped > 1 ? "s" : "");
    buf_free(&data);
    arena_free(&a);
    return rc;
}
