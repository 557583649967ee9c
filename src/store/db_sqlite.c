/* db_sqlite.c — the SQLite engine of the store: one file, WAL, synchronous=FULL, foreign keys,
 * defensive mode, secure delete. Statements are SQLite's own, handed to db.c as they are. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_engine.h"
#include "store/migrations.h"

struct lite {
    sqlite3 *db;
    int data_version; /* last PRAGMA data_version seen: changes when another connection writes */
    sqlite3_stmt *data_version_st; /* asked before every cached read: prepared once */
};

static struct lite *lite(struct store *s)
{
    return store_engine_state(s);
}

static sqlite3_stmt *raw(engine_stmt *st)
{
    return (sqlite3_stmt *)st;
}

static int lite_exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(lite(s)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return ERR_DB;
    }
    return ERR_OK;
}

static void lite_close(struct store *s)
{
    struct lite *l = lite(s);
    sqlite3_finalize(l->data_version_st);
    sqlite3_close(l->db);
    free(l);
    store_set_engine_state(s, NULL);
}

static int lite_open(struct store *s, const char *path, char *errbuf, int errlen)
{
    struct lite *l = xcalloc(1, sizeof *l);
    store_set_engine_state(s, l);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK) {
        snprintf(errbuf, (size_t)errlen, "cannot open %s: %s", path,
                 l->db ? sqlite3_errmsg(l->db) : "out of memory");
        return ERR_IO;
    }
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_busy_timeout(l->db, 10000);
    sqlite3_extended_result_codes(l->db, 1);
    if (lite_exec(s, "PRAGMA journal_mode=WAL") != ERR_OK ||
        lite_exec(s, "PRAGMA synchronous=FULL") != ERR_OK ||
        lite_exec(s, "PRAGMA foreign_keys=ON") != ERR_OK ||
        /* Deleted or overwritten rows are zeroed in the file, not left in free space: an
         * erased person's name must not stay readable in the database's bytes. */
        lite_exec(s, "PRAGMA secure_delete=ON") != ERR_OK) {
        snprintf(errbuf, (size_t)errlen, "%s is not a usable database: %s", path,
                 sqlite3_errmsg(l->db));
        return ERR_IO;
    }
    return ERR_OK;
}

static const char *lite_errmsg(struct store *s)
{
    return sqlite3_errmsg(lite(s)->db);
}

static const char *lite_migration_sql(const struct migration *m)
{
    return m->sql;
}

static engine_stmt *lite_prepare(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(lite(s)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "store_prepare: %s\n  in: %s\n", sqlite3_errmsg(lite(s)->db), sql);
        return NULL;
    }
    return (engine_stmt *)st;
}

static void lite_finalize(engine_stmt *st)
{
    sqlite3_finalize(raw(st));
}

static void lite_reset(engine_stmt *st)
{
    sqlite3_reset(raw(st));
    sqlite3_clear_bindings(raw(st));
}

/* A bind that fails is a bug of the caller (an index the SQL does not have, a statement still
 * running): in debug builds say which parameter of which SQL, then abort like a bad prepare.
 * Release builds go on; the parameter stays NULL. */
static void bind_checked(sqlite3_stmt *st, int idx, int rc)
{
#ifndef NDEBUG
    if (rc != SQLITE_OK) {
        fprintf(stderr, "stmt_bind: parameter %d: %s\n  in: %s\n", idx, sqlite3_errstr(rc),
                sqlite3_sql(st));
        abort();
    }
#else
    (void)st;
    (void)idx;
    (void)rc;
#endif
}

static void lite_bind_int(engine_stmt *st, int idx, long long v)
{
    bind_checked(raw(st), idx, sqlite3_bind_int64(raw(st), idx, v));
}

static void lite_bind_text(engine_stmt *st, int idx, const char *v)
{
    if (v)
        bind_checked(raw(st), idx, sqlite3_bind_text(raw(st), idx, v, -1, SQLITE_TRANSIENT));
    else
        bind_checked(raw(st), idx, sqlite3_bind_null(raw(st), idx));
}

static int lite_step(engine_stmt *est, bool *wrote)
{
    sqlite3_stmt *s = raw(est);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(s);
    if (rc == SQLITE_DONE) {
        *wrote = !sqlite3_stmt_readonly(s);
        return 0;
    }
    return (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_DB;
}

static long long lite_col_int(engine_stmt *st, int col)
{
    return sqlite3_column_int64(raw(st), col);
}

static double lite_col_double(engine_stmt *st, int col)
{
    return sqlite3_column_double(raw(st), col);
}

static bool lite_col_is_null(engine_stmt *st, int col)
{
    return sqlite3_column_type(raw(st), col) == SQLITE_NULL;
}

static bool lite_col_is_integer(engine_stmt *st, int col)
{
    return sqlite3_column_type(raw(st), col) == SQLITE_INTEGER;
}

static int lite_col_count(engine_stmt *st)
{
    return sqlite3_column_count(raw(st));
}

static const char *lite_col_name(engine_stmt *st, int col)
{
    return sqlite3_column_name(raw(st), col);
}

static char *lite_col_text(engine_stmt *st, int col, struct arena *a)
{
    const unsigned char *t = sqlite3_column_text(raw(st), col);
    if (!t)
        return arena_strdup(a, "");
    return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(raw(st), col));
}

static int lite_changes(struct store *s)
{
    return sqlite3_changes(lite(s)->db);
}

static long long lite_last_id(struct store *s)
{
    return sqlite3_last_insert_rowid(lite(s)->db);
}

static int lite_begin(struct store *s, bool nested)
{
    /* IMMEDIATE takes the write lock at once, so a write never fails half-way on a busy file. */
    return lite_exec(s, nested ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
}

static int lite_commit(struct store *s, bool nested, bool wrote)
{
    (void)wrote; /* other connections see the file's data_version change by themselves */
    return lite_exec(s, nested ? "RELEASE nested" : "COMMIT");
}

static void lite_rollback(struct store *s, bool nested)
{
    if (nested) {
        lite_exec(s, "ROLLBACK TO nested");
        lite_exec(s, "RELEASE nested");
    } else {
        lite_exec(s, "ROLLBACK");
    }
}

static bool lite_in_transaction(struct store *s)
{
    return !sqlite3_get_autocommit(lite(s)->db);
}

static bool lite_others_wrote(struct store *s)
{
    struct lite *l = lite(s);
    if (!l->data_version_st &&
        sqlite3_prepare_v3(l->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                           &l->data_version_st, NULL) != SQLITE_OK)
        return false;
    bool changed = false;
    if (sqlite3_step(l->data_version_st) == SQLITE_ROW) {
        int v = sqlite3_column_int(l->data_version_st, 0);
        changed = v != l->data_version;
        l->data_version = v;
    }
    sqlite3_reset(l->data_version_st);
    return changed;
}

static int lite_checkpoint_truncate(struct store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(lite(s)->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) !=
        SQLITE_OK)
        return ERR_DB;
    int busy = 1;
    if (sqlite3_step(st) == SQLITE_ROW)
        busy = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return busy ? ERR_DB : ERR_OK;
}

static int lite_backup(struct store *s, const char *path)
{
    sqlite3 *dst;
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        sqlite3_close(dst);
        return ERR_IO;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", lite(s)->db, "main");
    int rc = ERR_DB;
    if (b) {
        int step = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        rc = step == SQLITE_DONE ? ERR_OK : ERR_DB;
    }
    sqlite3_close(dst);
    return rc;
}

const struct engine engine_sqlite = {
    .name = "SQLite",
    .open = lite_open,
    .close = lite_close,
    .errmsg = lite_errmsg,
    .exec = lite_exec,
    .migration_sql = lite_migration_sql,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .bind_int = lite_bind_int,
    .bind_text = lite_bind_text,
    .step = lite_step,
    .col_int = lite_col_int,
    .col_double = lite_col_double,
    .col_is_null = lite_col_is_null,
    .col_is_integer = lite_col_is_integer,
    .col_count = lite_col_count,
    .col_name = lite_col_name,
    .col_text = lite_col_text,
    .changes = lite_changes,
    .last_id = lite_last_id,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .in_transaction = lite_in_transaction,
    .others_wrote = lite_others_wrote,
    .checkpoint_truncate = lite_checkpoint_truncate,
    .backup = lite_backup,
};
