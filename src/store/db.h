/* db.h — the thin database layer: connections, cached prepared statements with bound parameters
 * only, transactions and migrations. The only place that knows the database engine: SQLite
 * (a file, the embedded default) or PostgreSQL (a postgresql:// URI). Model SQL is written
 * once for both: standard SQL, `?` parameters, and the few SQLite functions db_pg.c's
 * migration provides on PostgreSQL (strftime, date, datetime, group_concat). */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"

struct store;
struct stmt;

/* Opens the database named by target and applies pending migrations in one transaction.
 * A postgresql:// (or postgres://) URI connects to PostgreSQL; anything else is the path of
 * a SQLite file, created if needed (WAL, synchronous=FULL, foreign keys on, defensive mode,
 * busy timeout). On error *out is NULL and a one-line reason is in errbuf. Close with
 * store_close. */
int store_open(const char *target, struct store **out, char *errbuf, int errlen) MUST_CHECK;
/* True when target names a PostgreSQL database (a postgresql:// or postgres:// URI) rather than
 * a SQLite file: the one rule store_open and the command line use. */
bool store_target_is_postgresql(const char *target);
/* True when the store is a PostgreSQL database (what only SQLite has, such as a file copy,
 * is then done with PostgreSQL's own tools). */
bool store_is_postgresql(struct store *s);
void store_close(struct store *s);
/* The engine's last error message for this connection (static or owned by the connection). */
const char *store_errmsg(struct store *s);
/* Highest applied migration version. */
int store_schema_version(struct store *s);
/* The version the database was at before store_open migrated it: 0 for a new database. */
int store_version_at_open(struct store *s);

/* A cached statement for sql, reset and with no bindings; the per-connection cache grows as
 * needed. A bad prepare is a bug: it aborts. Do not use the same statement twice at once (no nesting of one SQL text). */
struct stmt *store_prepare(struct store *s, const char *sql);
/* Resets every cached statement: ends read snapshots left open by an early exit. */
void store_reset_all(struct store *s);

/* Parameters are 1-based. Text is copied by the engine; NULL binds SQL NULL. A failed bind
 * (index the SQL does not have) is a bug: debug builds print the SQL and index and abort. */
void stmt_bind_int(struct stmt *st, int idx, long long v);
void stmt_bind_text(struct stmt *st, int idx, const char *v);
void stmt_bind_null(struct stmt *st, int idx);
/* 1 when a row is ready, 0 when done (the statement is then reset), negative enum err on failure
 * (ERR_CONFLICT for a constraint violation, ERR_DB otherwise; the statement is reset). */
int stmt_step(struct stmt *st) MUST_CHECK;
/* Runs a statement to its end; 0 or a negative enum err. */
int stmt_exec(struct stmt *st) MUST_CHECK;
/* Resets a statement whose rows were not all read. */
void stmt_done(struct stmt *st);
/* Column accessors (0-based) for the current row. */
long long stmt_int(struct stmt *st, int col);
double stmt_double(struct stmt *st, int col);
bool stmt_is_null(struct stmt *st, int col);
/* True when the current row's value in col is an integer. */
bool stmt_is_integer(struct stmt *st, int col);
/* Number of columns of the statement's result, and the name (or AS alias) of one. */
int stmt_column_count(struct stmt *st);
const char *stmt_column_name(struct stmt *st, int col);
/* Text of a column copied into the arena; SQL NULL gives "". */
char *stmt_text(struct stmt *st, int col, struct arena *a);

/* Rows changed by the last INSERT, UPDATE or DELETE on this connection. */
int store_changes(struct store *s);
/* Id of the row the last INSERT on this connection created. */
long long store_last_id(struct store *s);
/* Transactions: begin takes the write lock at once (IMMEDIATE) so a write never fails half-way
 * on a busy database. Every function returns 0 or a negative enum err. A begin inside a
 * transaction opens a savepoint: its commit keeps the work for the outer commit, its rollback
 * undoes only the inner work. */
int store_begin(struct store *s) MUST_CHECK;
int store_commit(struct store *s) MUST_CHECK;
void store_rollback(struct store *s);

/* A number that changes whenever any committed write may have changed the data, whoever made
 * it (this process or another): read it before reading the data a cached copy is made from. */
unsigned long long store_generation(struct store *s);

/* Copies every committed page of the write-ahead log into the database and empties the log
 * file, so that values overwritten by the last transactions survive in neither file (GDPR
 * erasure). Waits for readers up to the busy timeout; ERR_DB when it could not finish. */
int store_checkpoint_truncate(struct store *s) MUST_CHECK;

/* Consistent online copy of the database to path through SQLite's backup API. PostgreSQL:
 * ERR_INVALID (pg_dump makes its copies). */
int store_backup(struct store *s, const char *path) MUST_CHECK;

#endif
