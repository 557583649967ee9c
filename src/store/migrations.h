/* migrations.h — the numbered schema migrations compiled into the binary. */
#ifndef STORE_MIGRATIONS_H
#define STORE_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;
};

/* In version order; generated from src/store/migrations/NNN_name.sql by tools/embed_sql.py. */
extern const struct migration store_migrations[];
extern const int store_migration_count;

#endif
