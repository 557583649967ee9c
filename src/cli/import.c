/* import.c — `boussole import`: reads a tracking table (CSV or XLSX) into a contract, or into a
 * new one, by its header row or through a column mapping (--map). Only the command line and the
 * file-to-grid glue live here: grids become rows in model/tracking_map.c, and what the rows mean
 * is model/tracking.c's; must not write anything unless every row is valid. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/str.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "format/data/csv.h"
#include "format/data/text_sniff.h"
#include "format/xlsx/xlsx.h"
#include "store/db.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole import --db FILE --contract ID --year Y TABLEAU.{csv,xlsx}\n"
    "       boussole import --db FILE --new-contract \"TITRE\" --territory \"NOM\" --year Y "
    "TABLEAU.{csv,xlsx}\n"
    "       boussole import --db FILE --contract ID --year Y --map action=C,status=F,... "
    "FICHIER\n"
    "       (et --dry-run pour voir le plan, --yes pour l'appliquer)\n"
    "       boussole import --db FILE --contract ID --format data-inclusion FICHIER.json…\n"
    "       (l'annuaire au schéma data·inclusion : boussole import --format data-inclusion "
    "--help)\n"
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
    "(« CSV UTF-8 » d'Excel) : le séparateur est détecté. Ou classeur .xlsx : la feuille lue\n"
    "est celle de --sheet, sinon celle qui porte le nom de l'année (comme dans l'export\n"
    "xlsx), sinon la première. Dates écrites JJ/MM/AAAA, cellules fusionnées recopiées dans\n"
    "chaque ligne, formules lues par leur valeur calculée.\n"
    "\n"
    "Toutes les lignes sont vérifiées avant d'écrire quoi que ce soit. Chaque erreur est\n"
    "signalée « line N, column C: raison », N étant le numéro de ligne du tableur (en-tête =\n"
    "ligne 1) et C la lettre de la colonne (A, B, …) ; il suffit d'une erreur pour que rien\n"
    "ne soit importé (sortie non nulle, base inchangée).\n"
    "\n"
    "Pour chaque ligne, l'action est retrouvée par son objectif et son code de fiche, ou,\n"
    "pour une piste ou une fiche sans code, par son objectif et son intitulé (sans tenir\n"
    "compte de la casse, des accents, des espaces ni de la ponctuation) ; deux lignes pour\n"
    "une même action sont une erreur ; une action inconnue est créée (fiche action si un\n"
    "code est donné ou si la cellule est vide, piste pour « Piste »). Les intitulés des\n"
    "actions existantes ne sont pas modifiés, et les actions absentes du tableau restent\n"
    "telles quelles. Le porteur est cherché dans l'annuaire par nom, sigle ou autre nom\n"
    "(« CD 55 » est « CD55 ») ; sinon il est lu comme l'organisation la plus proche si\n"
    "son nom est presque le même, sinon créé avec le type « Autre » ; il devient le\n"
    "porteur de l'action s'il ne l'est pas déjà ; une cellule vide ne retire pas le\n"
    "porteur. L'état de l'année Y est ajouté à l'historique avec ses remarques et\n"
    "préconisations, sauf si le dernier état enregistré pour cette année dit déjà la même\n"
    "chose (réimporter le même fichier ne change rien) ou a été saisi par un compte\n"
    "(un porteur…) : il est alors gardé, sauf avec --replace-others.\n"
    "\n"
    "Avant d'écrire, l'import affiche son plan : actions créées (avec les intitulés\n"
    "proches du contrat), organisations créées (avec les plus proches de l'annuaire),\n"
    "porteurs changés (ancien → nouveau), états remplacés (ancien état, qui l'a saisi et\n"
    "quand), états ajoutés. Sans --yes rien n'est écrit : un plan qui change quelque chose\n"
    "finit par une sortie non nulle qui demande --yes ; --dry-run affiche le plan et sort\n"
    "sans erreur. Pour rattacher une ligne à une autre action, une organisation à une\n"
    "autre que celle proposée, ou écarter une ligne, utilisez la page d'import du contrat.\n"
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
    "                        tableau de suivi (FICHIER) »)\n"
    "  --sheet NOM           feuille du classeur à lire (xlsx)\n"
    "  --map SPEC            le tableau de la coordination, sans les en-têtes ci-dessus :\n"
    "                        SPEC dit où est chaque colonne, par lettre ou numéro, par\n"
    "                        exemple « action=C,carrier=E,status=F,remarks=G,header=2 »\n"
    "                        (clés : objective_code, objective, action, sheet, carrier,\n"
    "                        status, remarks, recommendations, et pour l'arbre d'un nouveau\n"
    "                        contrat axis_code, axis, specific_code, specific ; header :\n"
    "                        ligne des en-têtes,\n"
    "                        1 par défaut, 0 s'il n'y en a pas ; les lignes au-dessous sont\n"
    "                        les données). Une ligne qui nomme une action du contrat sans son\n"
    "                        objectif est rattachée à cette action (retrouvée par son code de\n"
    "                        fiche, sinon par son intitulé). SPEC peut aussi être le nom d'une\n"
    "                        correspondance enregistrée (--save-map, ou la page d'import).\n"
    "  --save-map NOM        enregistre la correspondance de --map sous ce nom pour le\n"
    "                        contrat\n"
    "  --dry-run             affiche le plan sans rien écrire\n"
    "  --yes                 applique le plan affiché\n"
    "  --replace-others      remplace aussi les états de l'année saisis par d'autres\n"
    "                        comptes (gardés sinon)\n";

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

/* The plan, one change a line, in the words of the web preview. */
static void print_plan(const struct tracking_import *opt, const struct tracking_plan *p)
{
    printf("Plan de l'import (année %d) :\n", opt->year);
    printf("  actions nouvelles       %6d\n", p->n_actions);
    for (int i = 0; i < p->n_actions; i++) {
        const struct tracking_new_action *x = &p->actions[i];
        printf("    ligne %d : « %s » (objectif %s%s%s) sera créée", x->line, x->title,
               x->objective_code, *x->code ? ", " : "", x->code);
        for (int k = 0; k < x->n_proposals; k++)
            printf("%s« %s » (%d %%)", k ? ", " : " ; proches : ", x->proposals[k].label,
                   x->proposals[k].score);
        printf("\n");
    }
    printf("  organisations nouvelles %6d\n", p->n_orgs);
    for (int i = 0; i < p->n_orgs; i++) {
        const struct tracking_new_org *o = &p->orgs[i];
        printf("    « %s » (ligne %d, %d ligne%s) ", o->name, o->line, o->n_rows,
               o->n_rows > 1 ? "s" : "");
        if (o->choice)
            printf("sera lue comme « %s »", o->proposals[0].label);
        else
            printf("sera créée");
        for (int k = 0; k < o->n_proposals; k++)
            printf("%s« %s » (%d %%)", k ? ", " : " ; proches : ", o->proposals[k].label,
                   o->proposals[k].score);
        printf("\n");
    }
    printf("  porteurs changés        %6d\n", p->n_carriers);
    for (int i = 0; i < p->n_carriers; i++) {
        const struct tracking_carrier_change *c = &p->carriers[i];
        bool same = c->new_org >= 0 && c->old_id && p->orgs[c->new_org].choice == c->old_id;
        printf("    ligne %d : « %s » : « %s » → « %s »%s\n", c->line, c->action,
               *c->old_name ? c->old_name : "aucun", c->new_name,
               same ? " (organisation nouvelle ci-dessus, lue comme l'actuel porteur : "
                      "inchangé)"
               : c->new_org >= 0 ? " (organisation nouvelle ci-dessus)" : "");
    }
    printf("  états remplacés         %6d\n", p->n_statuses);
    for (int i = 0; i < p->n_statuses; i++) {
        const struct tracking_status_change *s = &p->statuses[i];
        printf("    ligne %d : « %s » : %s (saisi par %s le %.10s) → %s%s\n", s->line, s->action,
               s->old_status, *s->old_by ? s->old_by : "inconnu", s->old_at, s->new_status,
               s->keep ? " : GARDÉ, saisi par un autre compte (--replace-others pour le "
                         "remplacer)" : "");
    }
    printf("  états ajoutés           %6d\n", p->statuses_added);
    printf("  lignes sans changement  %6d\n", p->unchanged);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Reads a whole file (at most XLSX_MAX_FILE bytes) into out; a French reason in err. */
static int read_file(const char *path, struct buf *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return ERR_IO;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && out->len <= XLSX_MAX_FILE)
        buf_append(out, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: lecture impossible", path);
        return ERR_IO;
    }
    if (out->len > XLSX_MAX_FILE) {
        snprintf(err, errlen, "%s: fichier trop volumineux (plus de %d Mo)", path,
                 XLSX_MAX_FILE >> 20);
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* True for the bytes of a zip (an .xlsx) or of an old or encrypted Excel file. */
static bool looks_like_workbook(const struct buf *data)
{
    return data->len >= 4 && (memcmp(data->p, "PK\x03\x04", 4) == 0 ||
                              memcmp(data->p, "\xD0\xCF\x11\xE0", 4) == 0);
}

/* Reads the file into t: CSV, or the sheet of a workbook (--sheet, else the one named after the
 * year, else the first). ERR_IO: cannot be read (message in err), ERR_INVALID: refused. */
static int read_table(const char *path, const char *sheet, int year, struct arena *a,
                      struct csv_table *t, char *err, size_t errlen)
{
    struct buf data = {0};
    int rc = read_file(path, &data, err, errlen);
    if (rc == ERR_OK && !looks_like_workbook(&data) && !has_suffix(path, ".xlsx")) {
        if (sheet)
            snprintf(err, errlen, "--sheet ne sert qu'avec un classeur .xlsx"), rc = ERR_INVALID;
        else if ((rc = text_sniff_table(data.p ? data.p : "", data.len, err, errlen)) == ERR_OK)
            rc = csv_parse_text(buf_cstr(&data), data.len, a, t, err, errlen);
        buf_free(&data);
        return rc;
    }
    char **names = NULL;
    int n = 0, index = -1;
    if (rc == ERR_OK)
        rc = xlsx_sheet_names(data.p, data.len, a, &names, &n, err, errlen);
    char wanted[16];
    snprintf(wanted, sizeof wanted, "%d", year);
    for (int i = 0; rc == ERR_OK && i < n && index < 0; i++)
        if (strcmp(names[i], sheet ? sheet : wanted) == 0)
            index = i;
    if (rc == ERR_OK && index < 0 && sheet) {
        struct buf list = {0};
        for (int i = 0; i < n; i++)
            buf_printf(&list, "%s« %s »", i ? ", " : "", names[i]);
        snprintf(err, errlen, "feuille « %s » introuvable ; le classeur a : %s", sheet,
                 buf_cstr(&list));
        buf_free(&list);
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK)
        rc = xlsx_read_sheet(data.p, data.len, index < 0 ? 0 : index, a, t, err, errlen);
    buf_free(&data);
    return rc;
}

/* The rows of a CSV table or a sheet as a grid (cells shared, not copied). */
static void to_grid(const struct csv_table *t, struct arena *a, struct grid *g)
{
    struct grid_row *rows = arena_alloc(a, sizeof *rows * (size_t)(t->n_rows + 1));
    for (int i = 0; i < t->n_rows; i++)
        rows[i] = (struct grid_row){t->rows[i].line, t->rows[i].n, t->rows[i].fields};
    g->rows = rows;
    g->n_rows = t->n_rows;
}

int cmd_import(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--format") == 0 && strcmp(argv[i + 1], "data-inclusion") == 0)
            return cli_import_data_inclusion(argc, argv);
    const char *db_path = NULL, *contract = NULL, *new_title = NULL, *territory = NULL;
    const char *year_s = NULL, *by = NULL, *sheet = NULL, *map = NULL, *save_map = NULL;
    bool yes = false, dry_run = false, replace_others = false;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},
                                   {"contract", &contract, NULL},
                                   {"new-contract", &new_title, NULL},
                                   {"territory", &territory, NULL},
                                   {"year", &year_s, NULL},
                                   {"by", &by, NULL},
                                   {"sheet", &sheet, NULL},
                                   {"map", &map, NULL},
                                   {"save-map", &save_map, NULL},
                                   {"yes", NULL, &yes},
                                   {"dry-run", NULL, &dry_run},
                                   {"replace-others", NULL, &replace_others},
                                   {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 1, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    long long contract_id = 0, year = 0;
    if (!db_path)
        return cli_bad_arg("import", "--db FILE est obligatoire (voir --help)");
    if (n_pos != 1)
        return cli_bad_arg("import", "indiquez le fichier du tableau à importer (voir --help)");
    if (!contract == !new_title)
        return cli_bad_arg("import", "indiquez soit --contract ID, soit --new-contract TITRE");
    if (contract && str_to_ll(contract, 1, (long long)1e15, &contract_id) != ERR_OK)
        return cli_bad_arg("import", "--contract attend un numéro de contrat, pas « %s »", contract);
    if (new_title && str_blank(new_title))
        return cli_bad_arg("import", "--new-contract attend un titre non vide");
    if (new_title && str_blank(territory))
        return cli_bad_arg("import", "--new-contract demande --territory NOM");
    if (territory && !new_title)
        return cli_bad_arg("import", "--territory ne sert qu'avec --new-contract");
    if (!year_s)
        return cli_bad_arg("import", "--year Y est obligatoire (l'année des états)");
    if (str_to_ll(year_s, 1900, 2200, &year) != ERR_OK)
        return cli_bad_arg("import", "--year attend une année entre 1900 et 2200, pas « %s »", year_s);
    if (save_map && (!map || !strchr(map, '=')))
        return cli_bad_arg("import", "--save-map NOM enregistre la correspondance donnée par --map "
                       "(clé=colonne,…)");
    if (save_map && !contract)
        return cli_bad_arg("import", "--save-map demande --contract ID");
    if (map && !strchr(map, '=') && !contract)
        return cli_bad_arg("import", "une correspondance enregistrée (--map NOM) demande --contract ID");
    const char *path = pos[0];
    if (has_suffix(path, ".xls") || has_suffix(path, ".ods"))
        return cli_fail("import: %s : enregistrez le tableau au format .xlsx ou « CSV UTF-8 »",
                        path);
    if (contract && cli_db_missing(db_path))
        return cli_fail("import: base %s introuvable", db_path);

    struct arena a = {0};
    struct csv_table table;
    char err[8192];
    int read_rc = read_table(path, sheet, (int)year, &a, &table, err, sizeof err);
    if (read_rc == ERR_IO) { /* no such file: one line says it all */
        arena_free(&a);
        return cli_fail("import: %s", err);
    }
    if (read_rc != ERR_OK) {
        fprintf(stderr, "%s\n", err);
        arena_free(&a);
        return cli_fail("import: %s refusé, rien n'a été importé", path);
    }
    struct grid grid;
    to_grid(&table, &a, &grid);

    struct store *db;
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK) {
        arena_free(&a);
        return cli_fail("import: %s", err);
    }
    struct tracking_result res = {0};
    struct tracking_header h;
    struct tracking_row *rows = NULL;
    int n = 0, header_line;
    if (map) {
        char *spec = (char *)map;
        struct tracking_map m;
        if (!strchr(map, '=') && tracking_map_find(db, &a, contract_id, map, &spec) != ERR_OK) {
            snprintf(err, sizeof err, "aucune correspondance enregistrée sous le nom « %s » pour "
                                      "ce contrat", map);
            rc = ERR_INVALID;
        } else {
            rc = tracking_map_parse(spec, &m, err, sizeof err);
        }
        if (rc == ERR_OK)
            rc = tracking_grid_by_map(db, &a, contract_id, &grid, &m, &h, &rows, &n, &res);
        if (rc == ERR_OK && save_map &&
            tracking_map_save(db, contract_id, 0, save_map, spec) != ERR_OK) {
            snprintf(err, sizeof err, "la correspondance n'a pas pu être enregistrée sous « %s »",
                     save_map);
            rc = ERR_INVALID;
        }
        if (rc != ERR_OK) {
            store_close(db);
            arena_free(&a);
            return cli_fail("import: --map : %s", err);
        }
    } else if (tracking_grid_by_header(&grid, &a, &h, &rows, &n, &header_line, &res) != ERR_OK) {
        store_close(db);
        print_errors(&res, &a);
        arena_free(&a);
        return cli_fail("import: %s refusé, rien n'a été importé", path);
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
    /* The plan's pass has an arena of its own, freed once its choices are copied: the apply
     * pass checks every row again and builds the same indexes. */
    struct arena plan_arena = {0};
    struct tracking_plan plan;
    rc = tracking_plan(db, &plan_arena, &opt, rows, n, &h, &plan, &res);
    bool changes = plan.n_actions || plan.n_orgs || plan.n_carriers || plan.n_statuses ||
                   plan.statuses_added || new_title;
    if (rc == ERR_OK && changes)
        print_plan(&opt, &plan);
    for (int i = 0; replace_others && i < plan.n_statuses; i++)
        plan.statuses[i].keep = false;
    bool apply = rc == ERR_OK && (!changes || (yes && !dry_run));
    if (apply) {
        struct tracking_plan confirmed;
        tracking_plan_choices(&plan, &a, &confirmed);
        arena_free(&plan_arena);
        rc = tracking_apply(db, &a, &opt, rows, n, &h, &confirmed, &res);
    }
    store_close(db);
    if (rc == ERR_OK && apply)
        print_summary(&opt, &res);
    else if (rc != ERR_OK)
        print_errors(&res, &a);
    buf_free(&recorded_by);
    arena_free(&plan_arena); /* a refused plan's errors were read from it */
    arena_free(&a);
    if (rc != ERR_OK)
        return cli_fail("import: %s refusé (%d erreur%s), rien n'a été importé", path,
                        res.n_errors, res.n_errors > 1 ? "s" : "");
    if (!apply && !dry_run)
        return cli_fail("import: rien n'a été écrit : relancez avec --yes pour appliquer ce plan "
                        "(ou --dry-run pour seulement le voir)");
    return 0;
}
