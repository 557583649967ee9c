/* backup.c — `boussole backup`: a consistent copy of a live database through SQLite's online
 * backup API (never a file copy, which can catch a write half-way). */
#include <stdio.h>
#include <sys/stat.h>

#include "store/db.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole backup --db FILE OUT\n"
    "\n"
    "Writes a consistent copy of the SQLite database FILE to OUT, even while the server runs\n"
    "(a PostgreSQL database is copied with pg_dump).\n"
    "Refuses an existing OUT.\n";

int cmd_backup(int argc, char **argv)
{
    const char *db_path = NULL;
    const struct cli_opt opts[] = {{"db", &db_path, NULL}, {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, opts, pos, 1, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (!db_path || n_pos != 1)
        return cli_fail("backup: expected --db FILE and the path of the copy (see --help)");
    if (store_target_is_postgresql(db_path))
        return cli_fail("backup: a PostgreSQL database is copied with pg_dump (docs/DEPLOY.md), "
                        "not with boussole backup");
    struct stat st;
    if (stat(db_path, &st) != 0)
        return cli_fail("backup: %s does not exist", db_path);
    if (stat(pos[0], &st) == 0)
        return cli_fail("backup: %s already exists; choose another file", pos[0]);
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("%s", err);
    rc = store_backup(db, pos[0]);
    store_close(db);
    if (rc != ERR_OK) {
        remove(pos[0]);
        return cli_fail("backup: the copy to %s failed (disk full or not writable?)", pos[0]);
    }
    printf("Copied %s to %s.\n", db_path, pos[0]);
    return 0;
}
