/* pg_sql.h — turns the SQL model code writes (SQLite's dialect where the two differ) into the
 * SQL PostgreSQL runs. Private to src/store (db_pg.c and its unit test). */
#ifndef STORE_PG_SQL_H
#define STORE_PG_SQL_H

/* A malloc'd copy of sql for PostgreSQL: `?` and `?N` parameters become `$N` (a bare `?` takes
 * the number after the highest seen, as SQLite numbers them), `INSERT OR IGNORE` becomes an
 * INSERT ... ON CONFLICT DO NOTHING, and `date(` calls SQLite's date function (on PostgreSQL
 * `date('now')` would be a cast). Quoted strings, quoted names and comments are copied as
 * they are. *nparams is the highest parameter number. */
char *pg_translate(const char *sql, int *nparams);

#endif
