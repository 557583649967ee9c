/* demo.c — `boussole demo`: loads the demo contract (cli/demo/demo_load.c) with its demo
 * accounts, or made-up contracts at scale (cli/demo/synthetic.c), and serves them. */
#include <stdbool.h>
#include <stdio.h>

#include "base/secret.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/demo/demo.h"
#include "cli/demo/synthetic.h"
#include "model/account/account.h"
#include "model/core/contract.h"
#include "model/core/organisation.h"
#include "store/db.h"
#include "web/core/server.h"
#include "web/region/region.h"

static const char usage[] =
    "usage: boussole demo [--db FILE] [--listen ADDRESS:PORT] [--data DIR] [--no-serve]\n"
    "                     [--synthetic N]\n"
    "\n"
    "Creates or reuses FILE, loads the demo contract (CLS 2 du PETR Cœur de Lorraine,\n"
    "2019-2023) if it is not there yet, then serves it.\n"
    "  --db FILE      SQLite database (default boussole.db)\n"
    "  --listen ADDR  address and port (default 127.0.0.1:8080)\n"
    "  --data DIR     folder of the demo CSV files (default: the repository's data/demo)\n"
    "  --no-serve     load only, do not serve\n"
    "  --synthetic N  instead of the demo, N made-up contracts of 80 actions with 5 years of\n"
    "                 statuses (\"Territoire synthétique K\"), for measurements at scale\n"
    "  --base-url, --smtp, --mail-from, --secure-cookies   as for boussole serve\n"
    "  --max-connections, --max-per-address, --trusted-proxy,\n"
    "  --login-failures-per-address                        as for boussole serve\n"
    "\n"
    "On first load it also creates four demo accounts (coordination, a carrier, an elected\n"
    "referent, a signatory) and prints their random passwords once.\n";

/* The demo's accounts, one per role a visitor may want to try. */
static const struct {
    const char *email, *name, *role, *organisation_slug;
} demo_people[] = {
    {"coordination@cls-demo.invalid", "Camille Coordination", "coordinator", NULL},
    {"porteur@cls-demo.invalid", "Paul Porteur (EHPAD d'Hannonville)", "carrier",
     "ehpad-hannonville"},
    {"referent@cls-demo.invalid", "Régine Référente", "referent", NULL},
    {"signataire@cls-demo.invalid", "Serge Signataire (ARS)", "signatory", NULL},
};

/* Creates the demo accounts with random passwords, printed once on standard output. */
static int demo_accounts(struct store *db)
{
    long long contract_id;
    if (contract_find_slug(db, "cls2-coeur-de-lorraine", &contract_id) != ERR_OK)
        return ERR_NOTFOUND;
    printf("Demo accounts (passwords shown only now):\n");
    for (size_t i = 0; i < sizeof demo_people / sizeof demo_people[0]; i++) {
        char password[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_MAX];
        secret_token(password);
        struct account a = {.email = (char *)demo_people[i].email,
                            .name = (char *)demo_people[i].name,
                            .role = (char *)demo_people[i].role,
                            .contract_id = contract_id};
        if (demo_people[i].organisation_slug &&
            organisation_find_slug(db, demo_people[i].organisation_slug, &a.organisation_id) !=
                ERR_OK)
            return ERR_NOTFOUND;
        long long id;
        if (secret_hash_password(password, hash) != ERR_OK ||
            account_create(db, &a, hash, &id) != ERR_OK) {
            fprintf(stderr, "boussole: demo account %s not created: %s\n", a.email,
                    store_errmsg(db));
            return ERR_DB;
        }
        printf("  %-12s %-32s %s\n", a.role, a.email, password);
    }
    return ERR_OK;
}

/* --synthetic N: the made-up contracts of synthetic.c instead of the demo. */
static int demo_synthetic(struct store *db, const char *n_text, const char *db_path)
{
    long long n;
    int created;
    if (str_to_ll(n_text, 1, 100000, &n) != ERR_OK) {
        cli_fail("--synthetic: a number of contracts from 1 to 100000 is needed");
        return ERR_INVALID;
    }
    int rc = synthetic_load(db, (int)n, true, &created);
    if (rc == ERR_OK)
        printf("%d synthetic contracts created in %s (%lld asked).\n", created, db_path, n);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    const char *db_path = "boussole.db", *listen = "127.0.0.1:8080";
    const char *dir = BOUSSOLE_DATADIR "/demo";
    const char *base_url = NULL, *smtp = NULL, *from = NULL, *synthetic = NULL;
    bool no_serve = false, secure = false;
    struct cli_serving serving = {0};
    const struct cli_opt opts[] = {{"db", &db_path, NULL},        {"listen", &listen, NULL},
                                   {"data", &dir, NULL},          {"no-serve", NULL, &no_serve},
                                   {"base-url", &base_url, NULL}, {"smtp", &smtp, NULL},
                                   {"mail-from", &from, NULL},    {"secure-cookies", NULL, &secure},
                                   {"synthetic", &synthetic, NULL}, CLI_SERVING_OPTS(serving), {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    cli_web_config(listen, base_url, smtp, from, secure);
    struct server_config cfg = {db_path, listen, 0, 0, 0, NULL};
    if ((rc = cli_serving_apply("demo", &serving, &cfg)) != 0)
        return rc;
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("%s", err);
    bool loaded = false;
    if (synthetic)
        rc = demo_synthetic(db, synthetic, db_path);
    else if ((rc = demo_load(db, dir, &loaded)) == ERR_OK && loaded)
        rc = demo_accounts(db);
    store_close(db);
    if (rc != ERR_OK)
        return 1;
    if (!synthetic)
        printf(loaded ? "Demo contract loaded into %s.\n" : "Demo contract already in %s.\n",
               db_path);
    fflush(stdout);
    if (no_serve)
        return 0;
    region_warm_start(db_path);
    rc = server_run(&cfg) == ERR_OK ? 0 : 1;
    region_warm_stop();
    return rc;
}
