/* report.c — `boussole report`: writes a contract's yearly execution report (bilan d'exécution)
 * as PDF or OpenDocument text. The content is format/report_doc.c's, the data model/report.c's;
 * must not leave a half-written file behind (--out is written aside, then renamed). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "model/report/report.h"
#include "format/doc/report_doc.h"
#include "base/date.h"
#include "model/evaluation/final_report.h"
#include "format/doc/final_doc.h"
#include "format/doc/survey_doc.h"
#include "model/report/survey.h"
#include "store/db.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole report --db FILE --contract ID [--kind yearly|final] [--year Y]\n"
    "                       --format pdf|odt --out FICHIER\n"
    "\n"
    "Écrit le bilan d'exécution de l'année Y d'un contrat, dans l'ordre des bilans annuels\n"
    "envoyés à l'ARS : identification de la convention et du bénéficiaire, contexte,\n"
    "missions de l'année, gouvernance et suivi, communication, travaux par objectif\n"
    "spécifique, tableau de l'état d'avancement de chaque action (groupé par objectif\n"
    "spécifique et opérationnel), indicateurs d'évaluation (réunions tenues, communication,\n"
    "nouvelles actions), conclusion avec la synthèse des états et son graphique.\n"
    "Les textes sont ceux que la coordination a rédigés pour l'année dans l'application\n"
    "(page « Bilan d'exécution » du contrat) ; le reste vient des données.\n"
    "\n"
    "Avec --kind final, écrit le rapport d'évaluation finale du contrat (toutes ses années) :\n"
    "états d'avancement année par année, indicateurs et cibles, réunions des instances\n"
    "tenues et requises, analyse AFOM, recommandations avec porteur et suivi, conclusion\n"
    "(page « Évaluation finale » du contrat). --year n'y sert pas.\n"
    "\n"
    "  --db FILE        base SQLite (obligatoire)\n"
    "  --contract ID    numéro du contrat (obligatoire)\n"
    "  --kind yearly    bilan d'exécution d'une année (défaut)\n"
    "  --kind final     rapport d'évaluation finale du contrat\n"
    "  --year Y         année du bilan (obligatoire pour le bilan d'une année)\n"
    "  --format pdf     PDF A4, polices incluses, sommaire et numéros de page (défaut)\n"
    "  --format odt     document OpenDocument (LibreOffice, Word) à retoucher\n"
    "  --out FICHIER    fichier à écrire (obligatoire ; « - » : la sortie standard)\n";

/* The final evaluation report of a contract (--kind final). */
static int final_report(const char *db_path, long long contract_id, bool odt, const char *out)
{
    struct store *db;
    char err[512];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("report: %s", err);
    struct arena a = {0};
    struct final_report r;
    char today[11];
    struct date d = date_of_time((long long)time(NULL));
    date_iso(&d, today);
    int rc = final_report_load(db, &a, contract_id, today, &r);
    struct survey_results survey;
    if (rc == ERR_OK) {
        int src = survey_latest_results(db, &a, contract_id, &survey);
        if (src == ERR_OK)
            final_report_set_survey(&r, &survey, survey_doc_section);
        else if (src != ERR_NOTFOUND)
            rc = src;
    }
    store_close(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc == ERR_NOTFOUND ? cli_fail("report: contrat n° %lld introuvable", contract_id)
                                  : cli_fail("report: lecture de la base impossible");
    }
    struct buf data = {0};
    rc = odt ? final_doc_odt(&r, &data, err, sizeof err)
             : final_doc_pdf(&r, &data, err, sizeof err);
    if (rc != ERR_OK) {
        buf_free(&data);
        arena_free(&a);
        return cli_fail("report: %s", err);
    }
    rc = cli_write_output("report", out, &data);
    if (rc == 0 && strcmp(out, "-") != 0)
        printf("Rapport d'évaluation finale écrit dans %s (%d années, %d recommandations, %zu "
               "octets).\n",
               out, r.n_years, r.n_recs, data.len);
    buf_free(&data);
    arena_free(&a);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    const char *db_path = NULL, *contract = NULL, *year_s = NULL, *format = "pdf", *out = NULL;
    const char *kind = "yearly";
    const struct cli_opt opts[] = {{"db", &db_path, NULL},
                                   {"contract", &contract, NULL},
                                   {"year", &year_s, NULL},
                                   {"format", &format, NULL},
                                   {"out", &out, NULL},
                                   {"kind", &kind, NULL},
                                   {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    long long contract_id = 0, year = 0;
    if (!db_path)
        return cli_bad_arg("report", "--db FILE est obligatoire (voir --help)");
    if (!contract)
        return cli_bad_arg("report", "--contract ID est obligatoire (voir --help)");
    if (str_to_ll(contract, 1, (long long)1e15, &contract_id) != ERR_OK)
        return cli_bad_arg("report", "--contract attend un numéro de contrat, pas « %s »", contract);
    bool final = strcmp(kind, "final") == 0;
    if (!final && strcmp(kind, "yearly") != 0)
        return cli_bad_arg("report", "--kind inconnu « %s » : yearly ou final", kind);
    if (final) {
        bool odt_final = strcmp(format, "odt") == 0;
        if (!odt_final && strcmp(format, "pdf") != 0)
            return cli_bad_arg("report", "format inconnu « %s » : pdf ou odt", format);
        if (!out)
            return cli_bad_arg("report",
                               "--out FICHIER est obligatoire (« - » pour la sortie standard)");
        if (cli_db_missing(db_path))
            return cli_fail("report: base %s introuvable", db_path);
        return final_report(db_path, contract_id, odt_final, out);
    }
    if (!year_s)
        return cli_bad_arg("report", "--year Y est obligatoire (l'année du bilan)");
    if (str_to_ll(year_s, 1900, 2200, &year) != ERR_OK)
        return cli_bad_arg("report", "--year attend une année entre 1900 et 2200, pas « %s »", year_s);
    bool odt = strcmp(format, "odt") == 0;
    if (!odt && strcmp(format, "pdf") != 0)
        return cli_bad_arg("report", "format inconnu « %s » : pdf ou odt", format);
    if (!out)
        return cli_bad_arg("report", "--out FICHIER est obligatoire (« - » pour la sortie standard)");
    if (cli_db_missing(db_path))
        return cli_fail("report: base %s introuvable", db_path);

    struct store *db;
    char err[512];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("report: %s", err);
    struct arena a = {0};
    struct report r;
    rc = report_load(db, &a, contract_id, (int)year, &r);
    store_close(db);
    if (rc != ERR_OK) {
        arena_free(&a);
        return rc == ERR_NOTFOUND ? cli_fail("report: contrat n° %lld introuvable", contract_id)
                                  : cli_fail("report: lecture de la base impossible");
    }
    struct buf data = {0};
    rc = odt ? report_doc_odt(&r, &data, err, sizeof err)
             : report_doc_pdf(&r, &data, err, sizeof err);
    if (rc != ERR_OK) {
        buf_free(&data);
        arena_free(&a);
        return cli_fail("report: %s", err);
    }
    rc = cli_write_output("report", out, &data);
    if (rc == 0 && strcmp(out, "-") != 0)
        printf("Bilan %d écrit dans %s (%d actions, %zu octets).\n", (int)year, out, r.n_actions,
               data.len);
    buf_free(&data);
    arena_free(&a);
    return rc;
}
