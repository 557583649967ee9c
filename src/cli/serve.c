/* serve.c — `boussole serve`: opens the database (migrating it) and serves it. */
#include <stdio.h>

#include "base/str.h"
#include "store/db.h"
#include "web/core/server.h"
#include "web/region/region.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole serve [--db FILE] [--listen ADDRESS:PORT] [--threads N]\n"
    "\n"
    "Serves the web application and the JSON API.\n"
    "  --db FILE         SQLite database (default boussole.db; created if missing)\n"
    "  --listen ADDR     address and port (default 127.0.0.1:8080)\n"
    "  --threads N       worker threads (default: one per core)\n"
    "  --base-url URL    public address of the site, for links in e-mails\n"
    "                    (default http://ADDR)\n"
    "  --smtp URL        SMTP server for e-mails, e.g. smtp://127.0.0.1:25 (default: none)\n"
    "  --mail-from ADDR  sender address of e-mails (default boussole@localhost)\n"
    "  --secure-cookies  mark cookies Secure (when served over HTTPS, e.g. behind a proxy)\n"
    CLI_SERVING_HELP;

int cmd_serve(int argc, char **argv)
{
    const char *db_path = "boussole.db", *listen = "127.0.0.1:8080", *threads_s = NULL;
    const char *base_url = NULL, *smtp = NULL, *from = NULL;
    bool secure = false;
    struct cli_serving serving = {0};
    const struct cli_opt opts[] = {{"db", &db_path, NULL},        {"listen", &listen, NULL},
                                   {"threads", &threads_s, NULL}, {"base-url", &base_url, NULL},
                                   {"smtp", &smtp, NULL},         {"mail-from", &from, NULL},
                                   {"secure-cookies", NULL, &secure},
                                   CLI_SERVING_OPTS(serving),     {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    long long threads = 0;
    if (threads_s && str_to_ll(threads_s, 1, 256, &threads) != ERR_OK)
        return cli_fail("--threads %s: expected a number from 1 to 256", threads_s);
    struct server_config cfg = {db_path, listen, (int)threads, 0, 0, NULL};
    if ((rc = cli_serving_apply("serve", &serving, &cfg)) != 0)
        return rc;
    cli_web_config(listen, base_url, smtp, from, secure);
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("%s", err);
    store_close(db);
    region_warm_start(db_path);
    rc = server_run(&cfg) == ERR_OK ? 0 : 1;
    region_warm_stop();
    return rc;
}
