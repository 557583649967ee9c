/* cli.h — the sub-commands and the small option parser they share. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* One --name option: a value option sets *value, a flag option (value NULL) sets *flag. */
struct cli_opt {
    const char *name; /* without the leading dashes */
    const char **value;
    bool *flag;
};

/* Parses argv[1..] (argv[0] is the sub-command) into opts and up to max_pos positional
 * arguments. --help prints usage and returns 1; an unknown option, a missing value or too many
 * arguments prints "boussole CMD: reason" and returns -1; success returns 0. */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char **pos, int max_pos,
              int *n_pos, const char *usage);
/* Prints "boussole CMD: message" on stderr and returns 2, the exit status of a bad argument. */
int cli_bad_arg(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct buf;
/* Writes data to path (standard output when path is NULL or "-"): through a temporary file that
 * is synced to disk, then renamed, so a crash never leaves a half-written file. 0, or prints why
 * and returns 1. */
int cli_write_output(const char *cmd, const char *path, const struct buf *data);
/* Prints "boussole: message" on stderr and returns the exit status 1 (or 2 for usage errors). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True when --db names a SQLite file that does not exist (a typo would otherwise create an
 * empty database); a postgresql:// URI is never "missing": the server says if it is wrong. */
bool cli_db_missing(const char *db_path);

/* Sets the web layer's configuration from the serve/demo options (NULL: default). */
void cli_web_config(const char *listen, const char *base_url, const char *smtp, const char *from,
                    bool secure_cookies);

/* The limits and proxy options shared by serve and demo, as given (NULL: the default). */
struct cli_serving {
    const char *max_connections, *max_per_address, *trusted_proxy, *login_failures;
};
#define CLI_SERVING_OPTS(s)                                                                   \
    {"max-connections", &(s).max_connections, NULL},                                          \
        {"max-per-address", &(s).max_per_address, NULL},                                      \
        {"trusted-proxy", &(s).trusted_proxy, NULL},                                          \
        {"login-failures-per-address", &(s).login_failures, NULL}
/* Their help lines, for the usage text of serve and demo. */
#define CLI_SERVING_HELP                                                                      \
    "  --max-connections N   open connections at most (default 1024); beyond it the oldest\n" \
    "                        connection still waiting for its request is closed, or 503\n"    \
    "  --max-per-address N   open connections from one address (default 256), else 429\n"    \
    "  --trusted-proxy ADDRS comma-separated addresses of reverse proxies: their\n"           \
    "                        X-Forwarded-For / X-Real-IP give the client's address\n"          \
    "  --login-failures-per-address N   wrong logins from one address before it must\n"      \
    "                        wait (default 100; each account waits after 3)\n"
struct server_config;
/* Checks the serving options and puts them in cfg and the web configuration; 0, or prints
 * "boussole CMD: reason" and returns 2. */
int cli_serving_apply(const char *cmd, const struct cli_serving *s, struct server_config *cfg);

/* The sub-commands; each returns the process exit status. */
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_contract(int argc, char **argv);
int cmd_funding_calls(int argc, char **argv);
int cmd_funding_export(int argc, char **argv);
int cmd_directory(int argc, char **argv);
/* directory.c: `import --format data-inclusion` (argv as cmd_import's) and the export of a
 * contract's directory as {"structures": […], "services": […]} to out (stdout: NULL). */
int cli_import_data_inclusion(int argc, char **argv);
int cli_export_data_inclusion(const char *db_path, long long contract_id, const char *out);

/* The demo loaders (demo_load, demo_load_report) for the commands and the tests. */
#include "cli/demo/demo.h"

#endif
