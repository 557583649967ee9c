/* import.c — `boussole import`: reads a tracking table (CSV) into a contract, or into a new one.
 * Only the command line and the CSV-to-rows glue live here: what the rows mean is
 * model/tracking.c's; must not write anything unless every row is valid. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../base/str.h"
#include "../model/tracking.h"
#include "../out/csv.h"
#include "../store/db.h"
#include "cli.h"

static const char usage[] =
    "usage: boussole import --db FILE --contract ID --year Y TABLEAU.csv\n"
    "       boussole import --db FILE --new-contract \"TITRE\" --territory \"NOM\" --year Y "
    "TABLEAU.csv\n"
    "\n"
    "Importe un tableau de suivi (le tableau annuel des bilans : annexe 5 du rapport).\n"
    "Colonnes, dans n'importe quel ordre, en-têtes sans tenir compte de la casse ni des\n"
    "accents (« Code objectif », « État », « Préconisations » conviennent) ; les autres\n"
    "colonnes sont ignorées, et les lignes de titre au-dessus de l'en-tête aussi (dans\n"
    "les 10 premières lignes) :\n"
    "  code_objectif   code de l'objectif opérationnel (1.1…) ; vide : l'objectif est\n"
    "                  reconnu à son intitulé exact (colonne objectif)\n"
    "  objectif        intitulé de l'objectif\n"
    "  action          intitulé de l'action (obligatoire)\n"
    "  fiche           code de la fiche action (lettres, chiffres, points, sans espace,\n"
    "                  20 caractères au plus), « Piste » pour une piste d'action, ou vide\n"
    "  porteur         nom, sigle ou autre nom connu d'une organisation\n"
    "  etat            état d'avancement de l'année : Réalisée et close, Réalisée, récurrente,\n"
    "                  Réalisée, En cours, Réflexion engagée, Non commencée, Abandonnée\n"
    "                  (ou les formulations des bilans : Réalisé, Engagée, Non réalisé…) ;\n"
    "                  vide : pas d'état cette année-là\n"
    "  remarques       remarques (+ avancées, - difficultés)\n"
    "  preconisations  préconisations\n"
    "\n"
    "Fichier CSV en UTF-8, séparé par des virgules, ou par des points-virgules avec BOM\n"
    "(« CSV UTF-8 » d'Excel) : le séparateur est détecté.\n"
    "\n"
    "Toutes les lignes sont vérifiées avant d'écrire quoi que ce soit. Chaque erreur est\n"
    "signalée « line N, column C: raison », N étant le numéro de ligne du tableur (en-tête =\n"
    "ligne 1) et C la lettre de la colonne (A, B, …) ; il suffit d'une erreur pour que rien\n"
    "ne soit importé (sortie non nulle, base inchangée).\n"
    "\n"
    "Pour chaque ligne, l'action est retrouvée par son objectif et son code de fiche, ou,\n"
    "pour une piste ou une fiche sans code, par son objectif et son intitulé ; une action\n"
    "inconnue est créée (fiche action si un code est donné ou si la cellule est vide, piste\n"
    "pour « Piste »). Les intitulés des actions existantes ne sont pas modifiés, et les\n"
    "actions absentes du tableau restent telles quelles. Le porteur est cherché dans\n"
    "l'annuaire par nom, sigle ou autre nom (créé avec le type « Autre » s'il n'y est pas)\n"
    "et devient le porteur de l'action s'il ne l'est pas déjà ; une cellule vide ne retire\n"
    "pas le porteur. L'état de l'année Y est ajouté à l'historique avec ses remarques et\n"
    "préconisations, sauf si le dernier état enregistré pour cette année dit déjà la même\n"
    "chose : réimporter le même fichier ne change rien.\n"
    "\n"
    "  --db FILE             base SQLite (obligatoire)\n"
    "  --contract ID         contrat dans lequel importer (son objectif doit exister)\n"
    "  --new-contract TITRE  crée le contrat (et le territoire --territory s'il n'existe\n"
    "                        pas) puis l'arbre des objectifs à partir du tableau : le code\n"
    "                        « 1.1 » devient un objectif opérationnel sous l'objectif\n"
    "                        spécifique « 1 » (« Objectif spécifique 1 »), lui-même sous un\n"
    "                        unique objectif stratégique « Axe 1 » ; un objectif sans code va\n"
    "                        sous l'objectif spécifique de la ligne précédente. La première\n"
    "                        ligne affichée est « Contrat créé : ID ».\n"
    "  --territory NOM       territoire du nouveau contrat\n"
    "  --year Y              année des états (obligatoire)\n"
    "  --by NOM              auteur des états dans l'historique (défaut : « Import du\n"
    "                        tableau de suivi (FICHIER) »)\n";

/* Turns a parsed CSV table (header first) into tracking rows; header errors go to res. */
static int table_rows(const struct csv_table *t, struct arena *a, struct tracking_header *h,
                      struct tracking_row **rows, int *n, struct tracking_result *res)
{
    *n = 0;
    *rows = NULL;
    if (t->n_rows == 0) {
        fprintf(stderr, "line 1: fichier vide, l'en-tête est attendu (code_objectif, objectif, "
                        "action, fiche, porteur, etat, remarques, preconisations)\n");
        return ERR_INVALID;
    }
    /* The header is the first record, or one of the next few when a title sits above it. */
    int first = 0;
    for (int i = 0; i < t->n_rows && i < 10; i++) {
        struct tracking_result scratch = {0};
        const struct csv_row *r = &t->rows[i];
        if (tracking_read_header((const char *const *)r->fields, r->n, r->line, h, a,
                                 &scratch) == ERR_OK) {
            first = i;
            break;
        }
    }
    const struct csv_row *head = &t->rows[first];
    if (tracking_read_header((const char *const *)head->fields, head->n, head->line, h, a, res) !=
        ERR_OK)
        return ERR_INVALID;
    *rows = arena_alloc(a, sizeof **rows * (size_t)t->n_rows);
    for (int i = first + 1; i < t->n_rows; i++) {
        struct tracking_row *r = &(*rows)[(*n)++];
        r->line = t->rows[i].line;
        for (int c = 0; c < TRK_COLUMNS; c++)
            r->cells[c] = csv_field(&t->rows[i], h->col[c]);
    }
    return ERR_OK;
}

static void print_errors(const struct tracking_result *res, struct arena *a)
{
    for (int i = 0; i < res->n_errors; i++)
        fprintf(stderr, "%s\n", tracking_error_text(&res->errors[i], a));
}

static void print_summary(const struct tracking_import *opt, const struct tracking_result *r)
{
    if (opt->new_title)
        printf("Contrat créé : %lld\n", r->contract_id);
    printf("Contrat %lld, année %d\n", r->contract_id, opt->year);
    printf("  lignes lues           %6d\n", r->rows);
    printf("  actions créées        %6d\n", r->actions_created);
    printf("  états enregistrés     %6d\n", r->statuses_recorded);
    printf("  lignes inchangées     %6d\n", r->unchanged);
    printf("  porteurs modifiés     %6d\n", r->carriers_changed);
    printf("  organisations créées  %6d\n", r->organisations_created);
    if (opt->new_title)
        printf("  objectifs créés       %6d\n", r->objectives_created);
}

/* A bad argument: one line on stderr, exit status 2. */
static int bad_arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_arg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("boussole import: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int cmd_import(int argc, char **argv)
{
    const char *db_path = NULL, *contract = NULL, *new_title = NULL, *territory = NULL;
    const char *year_s = NULL, *by = NULL;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},
                                   {"contract", &contract, NULL},
                                   {"new-contract", &new_title, NULL},
                                   {"territory", &territory, NULL},
                                   {"year", &year_s, NULL},
                                   {"by", &by, NULL},
                                   {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 1, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    long long contract_id = 0, year = 0;
    if (!db_path)
        return bad_arg("--db FILE est obligatoire (voir --help)");
    if (n_pos != 1)
        return bad_arg("indiquez le fichier du tableau à importer (voir --help)");
    if (!contract == !new_title)
        return bad_arg("indiquez soit --contract ID, soit --new-contract TITRE");
    if (contract && str_to_ll(contract, 1, (long long)1e15, &contract_id) != ERR_OK)
        return bad_arg("--contract attend un numéro de contrat, pas « %s »", contract);
    if (new_title && str_blank(new_title))
        return bad_arg("--new-contract attend un titre non vide");
    if (new_title && str_blank(territory))
        return bad_arg("--new-contract demande --territory NOM");
    if (territory && !new_title)
        return bad_arg("--territory ne sert qu'avec --new-contract");
    if (!year_s)
        return bad_arg("--year Y est obligatoire (l'année des états)");
    if (str_to_ll(year_s, 1900, 2200, &year) != ERR_OK)
        return bad_arg("--year attend une année entre 1900 et 2200, pas « %s »", year_s);
    const char *path = pos[0];
    if (has_suffix(path, ".xlsx") || has_suffix(path, ".xls") || has_suffix(path, ".ods"))
        return cli_fail("import: %s : seul le CSV est lu pour l'instant (XLSX viendra avec un "
                        "prochain lot) ; enregistrez le tableau au format « CSV UTF-8 »", path);
    if (contract && access(db_path, F_OK) != 0)
        return cli_fail("import: base %s introuvable", db_path);

    struct arena a = {0};
    struct csv_table table;
    char err[8192];
    int read_rc = csv_read_file(path, &a, &table, err, sizeof err);
    if (read_rc == ERR_IO) { /* no such file: one line says it all */
        arena_free(&a);
        return cli_fail("import: %s", err);
    }
    if (read_rc != ERR_OK) {
        fprintf(stderr, "%s\n", err);
        arena_free(&a);
        return cli_fail("import: %s refusé, rien n'a été importé", path);
    }
    struct tracking_result res = {0};
    struct tracking_header h;
    struct tracking_row *rows;
    int n;
    if (table_rows(&table, &a, &h, &rows, &n, &res) != ERR_OK) {
        print_errors(&res, &a);
        arena_free(&a);
        return cli_fail("import: %s refusé, rien n'a été importé", path);
    }

    struct store *db;
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK) {
        arena_free(&a);
        return cli_fail("import: %s", err);
    }
    struct buf recorded_by = {0};
    if (by)
        buf_puts(&recorded_by, by);
    else
        buf_printf(&recorded_by, "Import du tableau de suivi (%s)",
                   strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    struct tracking_import opt = {
        .contract_id = contract_id,
        .new_title = new_title,
        .territory = territory,
        .year = (int)year,
        .recorded_by = buf_cstr(&recorded_by),
    };
    rc = tracking_import(db, &a, &opt, rows, n, &h, &res);
    store_close(db);
    if (rc == ERR_OK)
        print_summary(&opt, &res);
    else
        print_errors(&res, &a);
    buf_free(&recorded_by);
    arena_free(&a);
    if (rc != ERR_OK)
        return cli_fail("import: %s refusé (%d erreur%s), rien n'a été importé", path,
                        res.n_errors, res.n_errors > 1 ? "s" : "");
    return 0;
}
