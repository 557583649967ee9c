/* export.c — `boussole export`: writes a contract's tracking table (CSV, RFC 4180, or the
 * semicolon + BOM variant of French Excel; or an XLSX workbook with a sheet per year). The rows
 * come from model/tracking.c for every format; must not leave a half-written file behind (--out
 * is written aside, then renamed). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "format/data/csv.h"
#include "format/xlsx/xlsx.h"
#include "store/db.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole export --db FILE --contract ID [--format csv|xlsx] [--year Y]\n"
    "                       [--out FICHIER] [--sep comma|semicolon] [--raw]\n"
    "\n"
    "Écrit le tableau de suivi d'un contrat (le tableau annuel des bilans : annexe 5 du\n"
    "rapport), une ligne par action dans l'ordre du contrat, avec l'état de l'année Y.\n"
    "Colonnes : code_objectif, objectif (l'objectif opérationnel de l'action : code et\n"
    "intitulé), action, fiche (code de la fiche action, ou « Piste » pour une piste),\n"
    "porteur, etat (libellé français : Réalisée et close, Réalisée, récurrente, Réalisée,\n"
    "En cours, Réflexion engagée, Non commencée, Abandonnée ; vide sans état cette\n"
    "année-là), remarques, preconisations.\n"
    "\n"
    "Porteur : le nom dans l'annuaire de l'organisation porteuse de l'action ; quand l'action\n"
    "n'a pas d'organisation porteuse, le porteur tel qu'il était écrit à sa création. C'est\n"
    "ce qui revient à l'identique : `boussole import` retrouve l'organisation par ce nom (ou\n"
    "reconnaît le porteur tel qu'écrit), si bien qu'exporter puis réimporter dans le même\n"
    "contrat et la même année ne change rien, et qu'importer l'export dans un nouveau\n"
    "contrat (--new-contract) redonne les mêmes lignes. Les co-porteurs et partenaires ne\n"
    "sont pas dans ce tableau.\n"
    "\n"
    "  --db FILE          base SQLite (obligatoire)\n"
    "  --contract ID      numéro du contrat (obligatoire)\n"
    "  --format csv       tableau CSV (défaut)\n"
    "  --format data-inclusion  l'annuaire (structures et services) au schéma data·inclusion\n"
    "                     1.0.8, en un objet JSON {\"structures\": […], \"services\": […]}\n"
    "  --format xlsx      classeur : une feuille « Synthèse » (nombre d'actions par état et\n"
    "                     par année), une feuille par année ayant des états (« 2020 »…, mêmes\n"
    "                     colonnes et mêmes lignes que le CSV de l'année, en-têtes figés,\n"
    "                     filtres, états en couleur) et la feuille « Stratégie » (l'arbre des\n"
    "                     objectifs). `boussole import --year Y` relit la feuille de l'année Y.\n"
    "  --year Y           année des états (défaut : l'année du bilan du contrat ; en\n"
    "                     xlsx : toutes les années, ou la seule année Y)\n"
    "  --out FICHIER      fichier à écrire (défaut : la sortie standard)\n"
    "  --sep comma        virgules et fins de ligne CRLF, RFC 4180 (défaut)\n"
    "  --sep semicolon    points-virgules et BOM UTF-8, pour Excel en français\n"
    "  --raw              en csv, chaque cellule telle quelle ; sans cette option, une cellule\n"
    "                     qui commence par = + - @, une tabulation ou un retour chariot est\n"
    "                     précédée d'une apostrophe pour qu'un tableur ne l'exécute pas comme\n"
    "                     une formule (`boussole import` retire cette apostrophe : les deux\n"
    "                     formes se réimportent à l'identique)\n";

/* The workbook of every year with statuses (or of year alone), written to out (stdout: NULL).
 * Closes db. */
static int export_xlsx(struct store *db, long long contract_id, int year, const char *out)
{
    struct arena a = {0};
    struct contract c;
    struct tracking_year *years;
    struct objective *objs;
    int n_years, n_objs, *counts;
    int rc = tracking_workbook(db, &a, contract_id, year, &c, &years, &n_years, &objs, &n_objs,
                               &counts);
    store_close(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc == ERR_NOTFOUND ? cli_fail("export: contrat n° %lld introuvable", contract_id)
                                  : cli_fail("export: lecture de la base impossible");
    }
    struct xlsx_tracking t = {
        .contract_title = c.title, .years = years, .n_years = n_years, .objs = objs,
        .n_objs = n_objs, .objective_actions = counts,
    };
    struct buf data = {0};
    char err[256];
    rc = xlsx_write_tracking(&t, &data, err, sizeof err);
    if (rc != ERR_OK)
        rc = cli_fail("export: %s", err);
    else
        rc = cli_write_output("export", out, &data);
    if (rc == 0 && out)
        printf("%d feuille%s d'année écrite%s dans %s.\n", n_years, n_years > 1 ? "s" : "",
               n_years > 1 ? "s" : "", out);
    buf_free(&data);
    arena_free(&a);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    const char *db_path = NULL, *contract = NULL, *format = "csv", *year_s = NULL;
    const char *out = NULL, *sep_s = "comma";
    bool raw = false;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},     {"contract", &contract, NULL},
                                   {"format", &format, NULL},  {"year", &year_s, NULL},
                                   {"out", &out, NULL},        {"sep", &sep_s, NULL},
                                   {"raw", NULL, &raw},        {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    long long contract_id = 0, year = 0;
    if (!db_path)
        return cli_bad_arg("export", "--db FILE est obligatoire (voir --help)");
    if (!contract)
        return cli_bad_arg("export", "--contract ID est obligatoire (voir --help)");
    if (str_to_ll(contract, 1, (long long)1e15, &contract_id) != ERR_OK)
        return cli_bad_arg("export", "--contract attend un numéro de contrat, pas « %s »", contract);
    if (strcmp(format, "data-inclusion") == 0) {
        if (cli_db_missing(db_path))
            return cli_fail("export: base %s introuvable", db_path);
        return cli_export_data_inclusion(db_path, contract_id, out);
    }
    if (strcmp(format, "json") == 0)
        return cli_bad_arg("export", "le format json n'est pas encore disponible : utilisez --format csv ou "
                       "xlsx (ou l'API JSON de l'application)");
    bool xlsx = strcmp(format, "xlsx") == 0;
    if (!xlsx && strcmp(format, "csv") != 0)
        return cli_bad_arg("export", "format inconnu « %s » : csv ou xlsx", format);
    if (xlsx && raw)
        return cli_bad_arg("export", "--raw ne concerne que le format csv : un classeur xlsx "
                           "écrit déjà chaque cellule comme du texte, jamais comme une formule");
    if (year_s && str_to_ll(year_s, 1900, 2200, &year) != ERR_OK)
        return cli_bad_arg("export", "--year attend une année entre 1900 et 2200, pas « %s »", year_s);
    char sep;
    if (strcmp(sep_s, "comma") == 0)
        sep = ',';
    else if (strcmp(sep_s, "semicolon") == 0)
        sep = ';';
    else
        return cli_bad_arg("export", "--sep attend comma ou semicolon, pas « %s »", sep_s);
    if (cli_db_missing(db_path))
        return cli_fail("export: base %s introuvable", db_path);

    struct store *db;
    char err[512];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("export: %s", err);
    if (xlsx)
        return export_xlsx(db, contract_id, (int)year, out);
    struct arena a = {0};
    struct tracking_row *rows;
    int n, used;
    rc = tracking_rows(db, &a, contract_id, (int)year, &rows, &n, &used);
    store_close(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc == ERR_NOTFOUND ? cli_fail("export: contrat n° %lld introuvable", contract_id)
                                  : cli_fail("export: lecture de la base impossible");
    }
    struct buf data = {0};
    if (sep == ';')
        buf_puts(&data, "\xEF\xBB\xBF");
    void (*write_row)(struct buf *, const char *const *, int, char) =
        raw ? csv_write_row_raw : csv_write_row;
    write_row(&data, tracking_headers, TRK_REQUIRED, sep);
    for (int i = 0; i < n; i++)
        write_row(&data, rows[i].cells, TRK_REQUIRED, sep);
    rc = cli_write_output("export", out, &data);
    if (rc == 0 && out) {
        if (used)
            printf("%d actions écrites dans %s (états de %d).\n", n, out, used);
        else
            printf("%d actions écrites dans %s (aucun état enregistré).\n", n, out);
    }
    buf_free(&data);
    arena_free(&a);
    return rc;
}
