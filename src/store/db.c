/* db.c — SQLite behind the store interface: pragmas, statement cache, migrations.
 * Must not know any table but schema_version: the SQL of the domain lives in src/model/. */
#include "store/db.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrations.h"

/* The cache starts with room for the statements one screen uses and doubles when half full:
 * the program has hundreds of distinct SQL texts and a connection keeps all it has used. */
enum { CACHE_FIRST_SLOTS = 256 };

struct cached {
    char *sql; /* NULL: free slot */
    unsigned long hash;
    sqlite3_stmt *st;
};

/* Bumped after every committed write, so caches can tell their copies are stale. */
static _Atomic unsigned long long generation = 1;

struct store {
    sqlite3 *db;
    int data_version; /* last PRAGMA data_version seen: changes when another connection writes */
    int depth;            /* store_begin calls not yet committed or rolled back */
    struct cached *cache; /* open addressing, linear probing; slots is a power of two */
    size_t slots, used;
};

static unsigned long hash_sql(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

static int exec_sql(struct store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return ERR_DB;
    }
    return ERR_OK;
}

static int current_version(struct store *s)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM schema_version", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(struct store *s, char *errbuf, int errlen)
{
    if (exec_sql(s, "BEGIN IMMEDIATE") != ERR_OK) {
        snprintf(errbuf, (size_t)errlen, "cannot lock the database: %s", sqlite3_errmsg(s->db));
        return ERR_DB;
    }
    if (exec_sql(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_at TEXT NOT NULL)") != ERR_OK)
        goto fail;
    int have = current_version(s);
    if (have < 0)
        goto fail;
    for (int i = 0; i < store_migration_count; i++) {
        const struct migration *m = &store_migrations[i];
        if (m->version <= have)
            continue;
        if (exec_sql(s, m->sql) != ERR_OK)
            goto fail;
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO schema_version (version, name, applied_at) "
                               "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                               -1, &st, NULL) != SQLITE_OK)
            goto fail;
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            goto fail;
    }
    if (exec_sql(s, "COMMIT") == ERR_OK)
        return ERR_OK;
fail:
    snprintf(errbuf, (size_t)errlen, "migration failed: %s", sqlite3_errmsg(s->db));
    exec_sql(s, "ROLLBACK");
    return ERR_DB;
}

int store_open(const char *path, struct store **out, char *errbuf, int errlen)
{
    *out = NULL;
    struct store *s = xcalloc(1, sizeof *s);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(errbuf, (size_t)errlen, "cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return ERR_IO;
    }
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    if (exec_sql(s, "PRAGMA journal_mode=WAL") != ERR_OK ||
        exec_sql(s, "PRAGMA synchronous=FULL") != ERR_OK ||
        exec_sql(s, "PRAGMA foreign_keys=ON") != ERR_OK ||
        /* Deleted or overwritten rows are zeroed in the file, not left in free space: an
         * erased person's name must not stay readable in the database's bytes. */
        exec_sql(s, "PRAGMA secure_delete=ON") != ERR_OK) {
        snprintf(errbuf, (size_t)errlen, "%s is not a usable database: %s", path,
                 sqlite3_errmsg(s->db));
        store_close(s);
        return ERR_IO;
    }
    int rc = migrate(s, errbuf, errlen);
    if (rc != ERR_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return ERR_OK;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->slots; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    free(s->cache);
    sqlite3_close(s->db);
    free(s);
}

const char *store_errmsg(struct store *s)
{
    return sqlite3_errmsg(s->db);
}

int store_schema_version(struct store *s)
{
    return current_version(s);
}

/* Moves every cached statement into a table twice as large (statements themselves stay put,
 * so pointers handed out before remain valid). */
static void cache_grow(struct store *s)
{
    size_t slots = s->slots ? s->slots * 2 : CACHE_FIRST_SLOTS;
    struct cached *cache = xcalloc(slots, sizeof *cache);
    for (size_t i = 0; i < s->slots; i++) {
        struct cached *c = &s->cache[i];
        if (!c->sql)
            continue;
        size_t j = c->hash & (slots - 1);
        while (cache[j].sql)
            j = (j + 1) & (slots - 1);
        cache[j] = *c;
    }
    free(s->cache);
    s->cache = cache;
    s->slots = slots;
}

struct stmt *store_prepare(struct store *s, const char *sql)
{
    if (2 * (s->used + 1) > s->slots)
        cache_grow(s);
    unsigned long h = hash_sql(sql);
    size_t i = h & (s->slots - 1);
    for (;; i = (i + 1) & (s->slots - 1)) {
        struct cached *c = &s->cache[i];
        if (!c->sql)
            break;
        if (c->hash == h && strcmp(c->sql, sql) == 0) {
            sqlite3_reset(c->st);
            sqlite3_clear_bindings(c->st);
            return (struct stmt *)c->st;
        }
    }
    struct cached *c = &s->cache[i];
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) != SQLITE_OK) {
        fprintf(stderr, "store_prepare: %s\n  in: %s\n", sqlite3_errmsg(s->db), sql);
        abort();
    }
    c->sql = xstrdup(sql);
    c->hash = h;
    s->used++;
    return (struct stmt *)c->st;
}

void store_reset_all(struct store *s)
{
    for (size_t i = 0; i < s->slots; i++)
        if (s->cache[i].st)
            sqlite3_reset(s->cache[i].st);
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

void stmt_bind_int(struct stmt *st, int idx, long long v)
{
    sqlite3_stmt *s = (sqlite3_stmt *)st;
    bind_checked(s, idx, sqlite3_bind_int64(s, idx, v));
}

void stmt_bind_text(struct stmt *st, int idx, const char *v)
{
    sqlite3_stmt *s = (sqlite3_stmt *)st;
    if (v)
        bind_checked(s, idx, sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT));
    else
        bind_checked(s, idx, sqlite3_bind_null(s, idx));
}

void stmt_bind_null(struct stmt *st, int idx)
{
    sqlite3_stmt *s = (sqlite3_stmt *)st;
    bind_checked(s, idx, sqlite3_bind_null(s, idx));
}

int stmt_step(struct stmt *st)
{
    sqlite3_stmt *s = (sqlite3_stmt *)st;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3 *db = sqlite3_db_handle(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE) {
        if (!sqlite3_stmt_readonly(s) && sqlite3_get_autocommit(db))
            atomic_fetch_add(&generation, 1); /* a write outside a transaction is committed */
        return 0;
    }
    return (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_DB;
}

int stmt_exec(struct stmt *st)
{
    int rc;
    while ((rc = stmt_step(st)) == 1)
        ;
    return rc;
}

void stmt_done(struct stmt *st)
{
    sqlite3_reset((sqlite3_stmt *)st);
}

long long stmt_int(struct stmt *st, int col)
{
    return sqlite3_column_int64((sqlite3_stmt *)st, col);
}

double stmt_double(struct stmt *st, int col)
{
    return sqlite3_column_double((sqlite3_stmt *)st, col);
}

bool stmt_is_null(struct stmt *st, int col)
{
    return sqlite3_column_type((sqlite3_stmt *)st, col) == SQLITE_NULL;
}

bool stmt_is_integer(struct stmt *st, int col)
{
    return sqlite3_column_type((sqlite3_stmt *)st, col) == SQLITE_INTEGER;
}

int stmt_column_count(struct stmt *st)
{
    return sqlite3_column_count((sqlite3_stmt *)st);
}

const char *stmt_column_name(struct stmt *st, int col)
{
    return sqlite3_column_name((sqlite3_stmt *)st, col);
}

char *stmt_text(struct stmt *st, int col, struct arena *a)
{
    const unsigned char *t = sqlite3_column_text((sqlite3_stmt *)st, col);
    if (!t)
        return arena_strdup(a, "");
    return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes((sqlite3_stmt *)st, col));
}

int store_changes(struct store *s)
{
    return sqlite3_changes(s->db);
}

long long store_last_id(struct store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

int store_begin(struct store *s)
{
    if (s->depth > 0 && sqlite3_get_autocommit(s->db))
        s->depth = 0; /* the engine ended the transaction itself (an I/O error, a full disk) */
    /* Nested: a savepoint, so a model function that makes its own transaction can run inside
     * a caller's one (a change and the e-mail it causes, committed together). */
    int rc = exec_sql(s, s->depth ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
    if (rc == ERR_OK)
        s->depth++;
    return rc;
}

int store_commit(struct store *s)
{
    if (s->depth > 1) {
        int rc = exec_sql(s, "RELEASE nested");
        if (rc == ERR_OK)
            s->depth--;
        return rc;
    }
    int rc = exec_sql(s, "COMMIT");
    if (rc == ERR_OK) {
        s->depth = 0;
        atomic_fetch_add(&generation, 1);
    }
    return rc;
}

int store_checkpoint_truncate(struct store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) != SQLITE_OK)
        return ERR_DB;
    int busy = 1;
    if (sqlite3_step(st) == SQLITE_ROW)
        busy = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return busy ? ERR_DB : ERR_OK;
}

unsigned long long store_generation(struct store *s)
{
    struct stmt *st = store_prepare(s, "PRAGMA data_version");
    if (stmt_step(st) == 1) {
        int v = (int)stmt_int(st, 0);
        if (v != s->data_version) { /* another process or connection wrote */
            s->data_version = v;
            atomic_fetch_add(&generation, 1);
        }
    }
    stmt_done(st);
    return atomic_load(&generation);
}

void store_rollback(struct store *s)
{
    if (s->depth > 1 && !sqlite3_get_autocommit(s->db)) {
        exec_sql(s, "ROLLBACK TO nested");
        exec_sql(s, "RELEASE nested");
        s->depth--;
        return;
    }
    if (!sqlite3_get_autocommit(s->db))
        exec_sql(s, "ROLLBACK");
    s->depth = 0;
}

int store_backup(struct store *s, const char *path)
{
    sqlite3 *dst;
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        sqlite3_close(dst);
        return ERR_IO;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
    int rc = ERR_DB;
    if (b) {
        int step = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        rc = step == SQLITE_DONE ? ERR_OK : ERR_DB;
    }
    sqlite3_close(dst);
    return rc;
}
