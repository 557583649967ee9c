/* init.c — `boussole init`: creates an empty, migrated database. */
#include <stdio.h>
#include <sys/stat.h>

#include "store/db.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole init --db FILE\n"
    "\n"
    "Creates an empty Boussole database (schema up to date). Refuses an existing file.\n"
    "Accounts (an administrator) are created with `boussole user add` once accounts exist.\n";

int cmd_init(int argc, char **argv)
{
    const char *db_path = NULL;
    const struct cli_opt opts[] = {{"db", &db_path, NULL}, {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (!db_path)
        return cli_fail("init: --db FILE is required");
    struct stat st;
    if (!store_target_is_postgresql(db_path) && stat(db_path, &st) == 0)
        return cli_fail("init: %s already exists; choose another file", db_path);
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("%s", err);
    if (store_version_at_open(db) > 0) { /* a PostgreSQL database that already had a schema */
        store_close(db);
        return cli_fail("init: %s already exists; choose another database", db_path);
    }
    printf("Created %s (schema version %d).\n", db_path, store_schema_version(db));
    store_close(db);
    return 0;
}
