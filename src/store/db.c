/* db.c — the store interface over its two engines (SQLite: db_sqlite.c, PostgreSQL: db_pg.c):
 * the statement cache, migrations, transaction depth and the generation counter, which are
 * the same whatever the engine. Must not know any table but schema_version: the SQL of the
 * domain lives in src/model/. */
#include "store/db.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db_engine.h"
#include "store/migrations.h"

/* The cache starts with room for the statements one screen uses and doubles when half full:
 * the program has hundreds of distinct SQL texts and a connection keeps all it has used. */
enum { CACHE_FIRST_SLOTS = 256 };

struct stmt {
    struct store *s;
    engine_stmt *impl;
};

struct cached {
    char *sql; /* NULL: free slot */
    unsigned long hash;
    struct stmt *st;
};

/* Bumped after every committed write, so caches can tell their copies are stale. */
static _Atomic unsigned long long generation = 1;

struct store {
    const struct engine *eng;
    void *state;          /* the engine's connection */
    int depth;            /* store_begin calls not yet committed or rolled back */
    bool wrote;           /* a statement of the open transaction changed rows */
    int version_at_open;  /* schema version found before migrating */
    struct cached *cache; /* open addressing, linear probing; slots is a power of two */
    size_t slots, used;
};

void *store_engine_state(struct store *s)
{
    return s->state;
}

void store_set_engine_state(struct store *s, void *state)
{
    s->state = state;
}

static unsigned long hash_sql(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

bool store_target_is_postgresql(const char *target)
{
    return strncmp(target, "postgresql:", 11) == 0 || strncmp(target, "postgres:", 9) == 0;
}

static int current_version(struct store *s)
{
    struct stmt *st = store_prepare(s, "SELECT coalesce(max(version), 0) FROM schema_version");
    int v = -1;
    if (stmt_step(st) == 1)
        v = (int)stmt_int(st, 0);
    stmt_done(st);
    return v;
}

static void utc_stamp(char *out, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int record_migration(struct store *s, const struct migration *m)
{
    char stamp[32];
    utc_stamp(stamp, sizeof stamp);
    struct stmt *st = store_prepare(
        s, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
    stmt_bind_int(st, 1, m->version);
    stmt_bind_text(st, 2, m->name);
    stmt_bind_text(st, 3, stamp);
    return stmt_exec(st);
}

/* Applies the migrations this database has not seen, all in one transaction: the write lock
 * taken by store_begin also keeps two servers starting together from both migrating. */
static int migrate(struct store *s, char *errbuf, int errlen)
{
    if (store_begin(s) != ERR_OK) {
        snprintf(errbuf, (size_t)errlen, "cannot lock the database: %s", store_errmsg(s));
        return ERR_DB;
    }
    if (s->eng->exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        "name TEXT NOT NULL, applied_at TEXT NOT NULL)") != ERR_OK)
        goto fail;
    int have = current_version(s);
    if (have < 0)
        goto fail;
    s->version_at_open = have;
    for (int i = 0; i < store_migration_count; i++) {
        const struct migration *m = &store_migrations[i];
        if (m->version <= have)
            continue;
        if (s->eng->exec(s, s->eng->migration_sql(m)) != ERR_OK ||
            record_migration(s, m) != ERR_OK) {
            snprintf(errbuf, (size_t)errlen, "migration %s failed: %s", m->name, store_errmsg(s));
            store_rollback(s);
            return ERR_DB;
        }
    }
    if (store_commit(s) == ERR_OK)
        return ERR_OK;
fail:
    snprintf(errbuf, (size_t)errlen, "migration failed: %s", store_errmsg(s));
    store_rollback(s);
    return ERR_DB;
}

int store_open(const char *target, struct store **out, char *errbuf, int errlen)
{
    *out = NULL;
    struct store *s = xcalloc(1, sizeof *s);
    s->eng = store_target_is_postgresql(target) ? &engine_pg : &engine_sqlite;
    int rc = s->eng->open(s, target, errbuf, errlen);
    if (rc == ERR_OK)
        rc = migrate(s, errbuf, errlen);
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
        if (!s->cache[i].sql)
            continue;
        s->eng->finalize(s->cache[i].st->impl);
        free(s->cache[i].st);
        free(s->cache[i].sql);
    }
    free(s->cache);
    if (s->state)
        s->eng->close(s);
    free(s);
}

const char *store_errmsg(struct store *s)
{
    return s->eng->errmsg(s);
}

int store_schema_version(struct store *s)
{
    return current_version(s);
}

int store_version_at_open(struct store *s)
{
    return s->version_at_open;
}

bool store_is_postgresql(struct store *s)
{
    return s->eng == &engine_pg;
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
            s->eng->reset(c->st->impl);
            return c->st;
        }
    }
    engine_stmt *impl = s->eng->prepare(s, sql);
    if (!impl)
        abort(); /* the engine printed the SQL and its reason */
    struct cached *c = &s->cache[i];
    c->st = xcalloc(1, sizeof *c->st);
    c->st->s = s;
    c->st->impl = impl;
    c->sql = xstrdup(sql);
    c->hash = h;
    s->used++;
    return c->st;
}

void store_reset_all(struct store *s)
{
    for (size_t i = 0; i < s->slots; i++)
        if (s->cache[i].sql)
            s->eng->reset(s->cache[i].st->impl);
}

void stmt_bind_int(struct stmt *st, int idx, long long v)
{
    st->s->eng->bind_int(st->impl, idx, v);
}

void stmt_bind_text(struct stmt *st, int idx, const char *v)
{
    st->s->eng->bind_text(st->impl, idx, v);
}

void stmt_bind_null(struct stmt *st, int idx)
{
    st->s->eng->bind_text(st->impl, idx, NULL);
}

int stmt_step(struct stmt *st)
{
    struct store *s = st->s;
    bool wrote = false;
    int rc = s->eng->step(st->impl, &wrote);
    if (wrote) {
        if (s->depth > 0)
            s->wrote = true;
        else
            atomic_fetch_add(&generation, 1); /* a write outside a transaction is committed */
    }
    return rc;
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
    st->s->eng->reset(st->impl);
}

long long stmt_int(struct stmt *st, int col)
{
    return st->s->eng->col_int(st->impl, col);
}

double stmt_double(struct stmt *st, int col)
{
    return st->s->eng->col_double(st->impl, col);
}

bool stmt_is_null(struct stmt *st, int col)
{
    return st->s->eng->col_is_null(st->impl, col);
}

bool stmt_is_integer(struct stmt *st, int col)
{
    return st->s->eng->col_is_integer(st->impl, col);
}

int stmt_column_count(struct stmt *st)
{
    return st->s->eng->col_count(st->impl);
}

const char *stmt_column_name(struct stmt *st, int col)
{
    return st->s->eng->col_name(st->impl, col);
}

char *stmt_text(struct stmt *st, int col, struct arena *a)
{
    return st->s->eng->col_text(st->impl, col, a);
}

int store_changes(struct store *s)
{
    return s->eng->changes(s);
}

long long store_last_id(struct store *s)
{
    return s->eng->last_id(s);
}

int store_begin(struct store *s)
{
    if (s->depth > 0 && !s->eng->in_transaction(s))
        s->depth = 0; /* the engine ended the transaction itself (an I/O error, a full disk) */
    /* Nested: a savepoint, so a model function that makes its own transaction can run inside
     * a caller's one (a change and the e-mail it causes, committed together). */
    int rc = s->eng->begin(s, s->depth > 0);
    if (rc == ERR_OK) {
        if (s->depth == 0)
            s->wrote = false;
        s->depth++;
    }
    return rc;
}

int store_commit(struct store *s)
{
    if (s->depth > 1) {
        int rc = s->eng->commit(s, true, s->wrote);
        if (rc == ERR_OK)
            s->depth--;
        return rc;
    }
    int rc = s->eng->commit(s, false, s->wrote);
    if (rc == ERR_OK) {
        s->depth = 0;
        s->wrote = false;
        atomic_fetch_add(&generation, 1);
    }
    return rc;
}

void store_rollback(struct store *s)
{
    if (s->depth > 1 && s->eng->in_transaction(s)) {
        s->eng->rollback(s, true);
        s->depth--;
        return;
    }
    if (s->eng->in_transaction(s))
        s->eng->rollback(s, false);
    s->depth = 0;
    s->wrote = false;
}

unsigned long long store_generation(struct store *s)
{
    if (s->eng->others_wrote(s))
        atomic_fetch_add(&generation, 1);
    return atomic_load(&generation);
}

int store_checkpoint_truncate(struct store *s)
{
    return s->eng->checkpoint_truncate(s);
}

int store_backup(struct store *s, const char *path)
{
    return s->eng->backup(s, path);
}
