/* migrations.h — the numbered schema migrations compiled into the binary. */
#ifndef STORE_MIGRATIONS_H
#define STORE_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;    /* as written: SQLite runs it */
    const char *pg_sql; /* the same schema for PostgreSQL (tools/embed_sql.py) */
};

/* In version order; generated from src/store/migrations/NNN_name.sql by tools/embed_sql.py. */
extern const struct migration store_migrations[];
extern const int store_migration_count;

#endif
