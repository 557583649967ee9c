/* db_engine.h — what db.c asks of a database engine (SQLite in db_sqlite.c, PostgreSQL in
 * db_pg.c). Private to src/store: model code sees only db.h. db.c keeps what is the same for
 * every engine (the statement cache, migrations, transaction depth, the generation counter). */
#ifndef STORE_DB_ENGINE_H
#define STORE_DB_ENGINE_H

#include <stdbool.h>

#include "base/arena.h"

struct store;
struct migration;

/* One engine's statement; db.c wraps it in a struct stmt. */
typedef struct engine_stmt engine_stmt;

struct engine {
    const char *name;
    /* Connects to target; on failure returns an enum err and writes a one-line reason. */
    int (*open)(struct store *s, const char *target, char *errbuf, int errlen);
    void (*close)(struct store *s);
    const char *(*errmsg)(struct store *s);
    /* Runs SQL that may hold several statements and no parameters. */
    int (*exec)(struct store *s, const char *sql);
    /* The migration text this engine runs (SQLite's as written, or PostgreSQL's form). */
    const char *(*migration_sql)(const struct migration *m);

    engine_stmt *(*prepare)(struct store *s, const char *sql); /* NULL: a bug, message printed */
    void (*finalize)(engine_stmt *st);
    void (*reset)(engine_stmt *st); /* ends the statement's run and clears its parameters */
    void (*bind_int)(engine_stmt *st, int idx, long long v);
    void (*bind_text)(engine_stmt *st, int idx, const char *v); /* NULL binds SQL NULL */
    /* 1 row ready, 0 done (reset), negative enum err (reset). *wrote says a row was changed. */
    int (*step)(engine_stmt *st, bool *wrote);
    long long (*col_int)(engine_stmt *st, int col);
    double (*col_double)(engine_stmt *st, int col);
    bool (*col_is_null)(engine_stmt *st, int col);
    bool (*col_is_integer)(engine_stmt *st, int col);
    int (*col_count)(engine_stmt *st);
    const char *(*col_name)(engine_stmt *st, int col);
    char *(*col_text)(engine_stmt *st, int col, struct arena *a);

    int (*changes)(struct store *s);
    long long (*last_id)(struct store *s);
    /* Transactions: outer begin takes the one write lock; nested ones are savepoints. */
    int (*begin)(struct store *s, bool nested);
    int (*commit)(struct store *s, bool nested, bool wrote);
    void (*rollback)(struct store *s, bool nested);
    /* False when the engine ended the transaction itself (I/O error, full disk). */
    bool (*in_transaction)(struct store *s);
    /* True once since the last call when another connection or process committed a write. */
    bool (*others_wrote)(struct store *s);
    int (*checkpoint_truncate)(struct store *s);
    int (*backup)(struct store *s, const char *path);
};

extern const struct engine engine_sqlite;
extern const struct engine engine_pg;

/* The engine's own connection state, kept in struct store (db.c) behind this pointer. */
void *store_engine_state(struct store *s);
void store_set_engine_state(struct store *s, void *state);

#endif
