/* main.c — the boussole program: dispatches to one sub-command per file in src/cli/. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "base/secret.h"
#include "cli/cli.h"

static const char usage[] =
    "Boussole — pilotage des contrats locaux de santé\n"
    "\n"
    "usage: boussole COMMAND [OPTIONS]   (boussole COMMAND --help for details)\n"
    "\n"
    "  serve   [--db FILE] [--listen 127.0.0.1:8080]     serve the web app and the API\n"
    "  demo    [--db FILE] [--listen ADDR:PORT]          load the CLS 2 Cœur de Lorraine, serve it\n"
    "  init    --db FILE                                 create an empty database\n"
    "  import  --db FILE --contract ID --year Y FILE.csv import a tracking table\n"
    "  export  --db FILE --contract ID --format csv|xlsx export the tracking table\n"
    "  report  --db FILE --contract ID --year Y --format pdf|odt --out FILE\n"
    "                                                    write the yearly execution report\n"
    "  user    add|passwd|list --db FILE ...             manage accounts\n"
    "  backup  --db FILE OUT                             consistent copy of a live database\n"
    "  routes                                            print the permission table\n"
    "  contract next --db FILE --from ID [--yes]         create the next contract (CLS 3)\n"
    "  funding-calls fetch|import --db FILE --contract ID ...\n"
    "                                                    import funding calls (Aides-territoires)\n"
    "  funding-export --db FILE --contract ID [--out F]  granted amounts as SCDL subventions CSV\n"
    "  directory purge --db FILE --dry-run|--yes         erase records past their retention date\n";

static const struct {
    const char *name;
    int (*run)(int, char **);
} commands[] = {
    {"serve", cmd_serve},
    {"demo", cmd_demo},
    {"init", cmd_init},
    {"import", cmd_import},
    {"export", cmd_export},
    {"user", cmd_user},
    {"routes", cmd_routes},
    {"backup", cmd_backup},
    {"report", cmd_report},
    {"funding-calls", cmd_funding_calls},
    {"funding-export", cmd_funding_export},
    {"directory", cmd_directory},
    {"contract", cmd_contract},
};

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (secret_init() != ERR_OK || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("boussole: cannot initialise the crypto or network libraries\n", stderr);
        return 1;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "boussole: unknown command '%s' (see boussole --help)\n", argv[1]);
    return 2;
}
