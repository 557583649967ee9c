/* directory.c — `boussole import --format data-inclusion` and `boussole export --format
 * data-inclusion`: a contract's directory (structures and services) in the data·inclusion
 * schema 1.0.8; `boussole directory purge`: the records past their retention date erased. The import checks every record before it writes, in one transaction: a refused
 * record names its file, its number, its id and the field, and nothing is changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "base/date.h"
#include "format/data/data_inclusion.h"
#include "model/account/retention.h"
#include "store/db.h"
#include "cli/cli.h"

static const char import_usage[] =
    "usage: boussole import --db FILE --contract ID --format data-inclusion FICHIER.json…\n"
    "                       [--dry-run | --yes]\n"
    "\n"
    "Importe l'annuaire d'un contrat depuis des fichiers au schéma data·inclusion 1.0.8 :\n"
    "une liste de structures, une liste de services (un enregistrement qui a structure_id est\n"
    "un service), ou un objet {\"structures\": […], \"services\": […]} comme celui qu'écrit\n"
    "`boussole export --format data-inclusion`. Une structure retrouve son organisme par son\n"
    "id, son SIRET puis son nom (sinon il est créé) ; un service par son id. Le nom donné dans\n"
    "contact_nom_prenom devient un contact du contrat qui apparaît publiquement (il l'est déjà\n"
    "dans le fichier publié). Tout est vérifié avant d'écrire (types, thematiques, publics,\n"
    "modes_accueil, codes INSEE de zone_eligibilite, longueurs) : une erreur nomme le fichier,\n"
    "l'enregistrement et le champ, et rien n'est importé.\n"
    "\n"
    "  --db FILE          base SQLite (obligatoire)\n"
    "  --contract ID      contrat de l'annuaire (obligatoire)\n"
    "  --dry-run          vérifie et affiche ce qui changerait, sans rien écrire\n"
    "  --yes              applique l'import\n";

/* Reads a file of at most DI_MAX_BYTES into a malloc'd buffer; 0 or prints why and returns 1. */
static int read_json(const char *path, char **data, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return cli_fail("import: %s : fichier introuvable", path);
    if (st.st_size > DI_MAX_BYTES)
        return cli_fail("import: %s : le fichier dépasse %d Mo, rien n'a été importé", path,
                        DI_MAX_BYTES / (1024 * 1024));
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail("import: %s : lecture impossible", path);
    *data = malloc((size_t)st.st_size + 1);
    *len = fread(*data, 1, (size_t)st.st_size, f);
    (*data)[*len] = '\0';
    fclose(f);
    return 0;
}

int cli_import_data_inclusion(int argc, char **argv)
{
    const char *db_path = NULL, *contract = NULL, *format = NULL;
    bool yes = false, dry_run = false;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},      {"contract", &contract, NULL},
                                   {"format", &format, NULL},   {"yes", NULL, &yes},
                                   {"dry-run", NULL, &dry_run}, {0}};
    enum { MAX_FILES = 8 };
    const char *pos[MAX_FILES];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, MAX_FILES, &n_pos, import_usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    long long contract_id = 0;
    if (!db_path)
        return cli_bad_arg("import", "--db FILE est obligatoire (voir --help)");
    if (!contract || str_to_ll(contract, 1, (long long)1e15, &contract_id) != ERR_OK)
        return cli_bad_arg("import", "--contract ID (un numéro de contrat) est obligatoire");
    if (n_pos < 1)
        return cli_bad_arg("import", "indiquez le ou les fichiers JSON à importer");
    if (yes && dry_run)
        return cli_bad_arg("import", "--yes et --dry-run ne vont pas ensemble");
    if (cli_db_missing(db_path))
        return cli_fail("import: base %s introuvable", db_path);
    struct di_file files[MAX_FILES];
    char *data[MAX_FILES] = {0};
    rc = 0;
    for (int i = 0; i < n_pos && rc == 0; i++) {
        rc = read_json(pos[i], &data[i], &files[i].len);
        files[i].name = strrchr(pos[i], '/') ? strrchr(pos[i], '/') + 1 : pos[i];
        files[i].data = data[i];
    }
    struct store *db = NULL;
    char err[512];
    if (rc == 0 && store_open(db_path, &db, err, sizeof err) != ERR_OK)
        rc = cli_fail("import: %s", err);
    struct di_report r;
    if (rc == 0) {
        struct actor who = {0, "Import data·inclusion"};
        int irc = di_import(db, &who, contract_id, files, n_pos, yes && !dry_run, &r);
        if (irc != ERR_OK)
            rc = cli_fail("import: %s Rien n'a été importé.", r.error);
    }
    if (db)
        store_close(db);
    for (int i = 0; i < n_pos; i++)
        free(data[i]);
    if (rc)
        return rc;
    printf("%s : %d structure%s nouvelle%s, %d mise%s à jour ; %d service%s nouveau%s, %d mis "
           "à jour ; %d contact%s ajouté%s.\n",
           yes && !dry_run ? "Importé" : "Plan (rien n'est écrit)", r.structures_new,
           r.structures_new > 1 ? "s" : "", r.structures_new > 1 ? "s" : "", r.structures_updated,
           r.structures_updated > 1 ? "s" : "", r.services_new, r.services_new > 1 ? "s" : "",
           r.services_new > 1 ? "x" : "", r.services_updated, r.people_new,
           r.people_new > 1 ? "s" : "", r.people_new > 1 ? "s" : "");
    if (!yes && !dry_run)
        return cli_fail("import: rien n'a été écrit : relancez avec --yes pour appliquer ce plan "
                        "(ou --dry-run pour seulement le voir)");
    return 0;
}

int cli_export_data_inclusion(const char *db_path, long long contract_id, const char *out)
{
    struct store *db;
    char err[512];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("export: %s", err);
    struct arena a = {0};
    struct buf data = {0};
    buf_puts(&data, "{\"structures\": ");
    int rc = di_export_structures(db, &a, contract_id, &data);
    if (rc == ERR_OK) {
        buf_puts(&data, ", \"services\": ");
        rc = di_export_services(db, &a, contract_id, &data);
        buf_puts(&data, "}\n");
    }
    store_close(db);
    arena_free(&a);
    if (rc != ERR_OK) {
        buf_free(&data);
        return rc == ERR_NOTFOUND ? cli_fail("export: contrat n° %lld introuvable", contract_id)
                                  : cli_fail("export: lecture de la base impossible");
    }
    rc = cli_write_output("export", out, &data);
    buf_free(&data);
    return rc;
}

static const char purge_usage[] =
    "usage: boussole directory purge --db FILE (--dry-run | --yes)\n"
    "\n"
    "Efface les fiches de l'annuaire dont la date de conservation est passée, comme le serveur\n"
    "le fait chaque minute quand l'envoi des courriels tourne : un contact sans compte est\n"
    "effacé comme par le droit à l'effacement (pseudonyme « Contact n°… », consentement, sièges\n"
    "de référent, contact des services, valeurs du journal) ; une fiche liée à un compte est\n"
    "seulement retirée de l'annuaire (le compte s'efface avec son titulaire). Le journal\n"
    "attribue ces changements à la purge automatique.\n"
    "\n"
    "  --db FILE    base SQLite (obligatoire)\n"
    "  --dry-run    liste les fiches concernées sans rien changer\n"
    "  --yes        les efface\n";

static int purge(const char *db_path, bool yes)
{
    struct store *db;
    char err[512];
    if (cli_db_missing(db_path))
        return cli_fail("directory purge: base %s introuvable", db_path);
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("directory purge: %s", err);
    struct arena a = {0};
    struct expired_person *ps = NULL;
    int n = 0, done = 0, rc = retention_expired(db, &a, (long long)time(NULL), &ps, &n);
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        char day[32];
        if (!date_fr_short(ps[i].retain_until, day))
            snprintf(day, sizeof day, "%s", ps[i].retain_until);
        const char *what = ps[i].account_id
                               ? (yes ? "retiré de l'annuaire (lié à un compte)"
                                      : "serait retiré de l'annuaire (lié à un compte)")
                               : (yes ? "effacé" : "serait effacé");
        if (yes && (rc = retention_purge_one(db, &ps[i])) != ERR_OK)
            break;
        printf("%s — %s (fiche n° %lld), conservé jusqu'au %s : %s\n", ps[i].contract_name,
               ps[i].name, ps[i].id, day, what);
        done++;
    }
    if (rc != ERR_OK)
        rc = cli_fail("directory purge: écriture impossible (%s) ; %d fiche%s traitée%s avant",
                      store_errmsg(db), done, done > 1 ? "s" : "", done > 1 ? "s" : "");
    else
        printf("%d fiche%s %s.\n", n, n > 1 ? "s" : "",
               yes ? "purgée(s)" : "à purger (rien n'est écrit sans --yes)");
    store_close(db);
    arena_free(&a);
    return rc;
}

int cmd_directory(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "purge") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(purge_usage, stdout);
            return 0;
        }
        return cli_bad_arg("directory", "purge attendu (voir --help)");
    }
    const char *db_path = NULL;
    bool dry_run = false, yes = false;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},
                                   {"dry-run", NULL, &dry_run},
                                   {"yes", NULL, &yes},
                                   {0}};
    const char *pos[1];
    int n_pos = 0, rc = cli_parse(argc - 1, argv + 1, opts, pos, 0, &n_pos, purge_usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (!db_path)
        return cli_bad_arg("directory", "--db FILE est obligatoire (voir --help)");
    if (dry_run == yes)
        return cli_bad_arg("directory", "indiquez --dry-run (voir) ou --yes (effacer)");
    return purge(db_path, yes);
}
