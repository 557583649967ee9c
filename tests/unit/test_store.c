/* test_store.c — unit tests of src/store/db.c: creation and migrations, pragmas, transactions,
 * the statement cache and online backup, and of store/rows.c's growable reads, on databases in
 * a temporary folder. Uses only the tables of the first migration; must not depend on the demo
 * data. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "check.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/rows.h"

static char dir[] = "/tmp/boussole-test-store-XXXXXX";

static const char *path_in_dir(const char *name)
{
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

/* Runs a query returning one integer (or -999 when it returns no row or fails). */
static long long query_int(struct store *s, const char *sql)
{
    struct stmt *st = store_prepare(s, sql);
    long long v = -999;
    if (stmt_step(st) == 1)
        v = stmt_int(st, 0);
    stmt_done(st);
    return v;
}

static char *query_text(struct store *s, struct arena *a, const char *sql)
{
    struct stmt *st = store_prepare(s, sql);
    char *v = NULL;
    if (stmt_step(st) == 1)
        v = stmt_text(st, 0, a);
    stmt_done(st);
    return v;
}

static int add_territory(struct store *s, const char *name)
{
    struct stmt *st = store_prepare(s, "INSERT INTO territory (name) VALUES (?1)");
    stmt_bind_text(st, 1, name);
    return stmt_exec(st);
}

static long long count_territories(struct store *s)
{
    return query_int(s, "SELECT count(*) FROM territory");
}

static void test_open_and_migrate(void)
{
    const char *path = path_in_dir("new.db");
    struct store *s = NULL;
    char err[256] = "";
    struct stat st;
    CHECK(stat(path, &st) != 0);
    CHECK(store_open(path, &s, err, sizeof err) == ERR_OK);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "    store_open: %s\n", err);
        return;
    }
    CHECK(stat(path, &st) == 0); /* created */
    int last = store_migrations[store_migration_count - 1].version;
    CHECK(store_migration_count >= 1);
    CHECK_INT(store_schema_version(s), last);
    CHECK_INT(query_int(s, "SELECT count(*) FROM schema_version"), store_migration_count);
    CHECK_INT(query_int(s, "SELECT max(version) FROM schema_version"), last);
    CHECK_INT(query_int(s, "SELECT count(*) FROM schema_version WHERE name = '' OR "
                           "applied_at NOT LIKE '20__-__-__T__:__:__Z'"),
              0);
    /* The first migration's tables exist. */
    CHECK_INT(query_int(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                           "('territory', 'contract', 'objective', 'action', 'organisation', "
                           "'action_organisation', 'action_status', 'signatory')"),
              8);

    struct arena a = {0};
    CHECK_STR(query_text(s, &a, "PRAGMA journal_mode"), "wal");
    CHECK_INT(query_int(s, "PRAGMA foreign_keys"), 1);
    CHECK_INT(query_int(s, "PRAGMA synchronous"), 2); /* FULL */
    CHECK(query_int(s, "PRAGMA busy_timeout") > 0);
    arena_free(&a);

    /* Foreign keys are enforced: a contract needs a real territory. */
    struct stmt *ins = store_prepare(s, "INSERT INTO contract (territory_id, title, created_at) "
                                        "VALUES (999, 'x', '2024-01-01T00:00:00Z')");
    CHECK_INT(stmt_exec(ins), ERR_CONFLICT);
    CHECK_INT(query_int(s, "SELECT count(*) FROM contract"), 0);
    /* A unique violation is a conflict too, and the statement is usable again afterwards. */
    CHECK(add_territory(s, "Unique") == ERR_OK);
    CHECK_INT(add_territory(s, "Unique"), ERR_CONFLICT);
    CHECK(add_territory(s, "Other") == ERR_OK);
    CHECK_INT(store_last_id(s), query_int(s, "SELECT id FROM territory WHERE name = 'Other'"));
    store_close(s);
}

static void test_reopen(void)
{
    const char *path = path_in_dir("reopen.db");
    struct store *s = NULL;
    char err[256];
    CHECK(store_open(path, &s, err, sizeof err) == ERR_OK);
    if (!s)
        return;
    CHECK(add_territory(s, "Kept") == ERR_OK);
    struct arena a = {0};
    char *applied = query_text(s, &a, "SELECT group_concat(version || '@' || applied_at) FROM "
                                      "schema_version");
    store_close(s);
    sleep(1); /* a re-applied migration would get a later applied_at */
    s = NULL;
    CHECK(store_open(path, &s, err, sizeof err) == ERR_OK);
    if (!s) {
        arena_free(&a);
        return;
    }
    CHECK_INT(query_int(s, "SELECT count(*) FROM schema_version"), store_migration_count);
    CHECK_STR(query_text(s, &a, "SELECT group_concat(version || '@' || applied_at) FROM "
                                "schema_version"),
              applied);
    CHECK_INT(count_territories(s), 1);
    CHECK_INT(query_int(s, "PRAGMA foreign_keys"), 1); /* set again on every connection */
    store_close(s);
    arena_free(&a);
}

static void test_bad_files(void)
{
    struct store *s = (struct store *)1;
    char err[256] = "";
    const char *junk = path_in_dir("junk.db");
    FILE *f = fopen(junk, "w");
    CHECK(f != NULL);
    if (f) {
        for (int i = 0; i < 200; i++)
            fputs("this is not a database file at all\n", f);
        fclose(f);
    }
    CHECK(store_open(junk, &s, err, sizeof err) != ERR_OK);
    CHECK(s == NULL);
    CHECK(err[0] != '\0');
    s = (struct store *)1;
    err[0] = '\0';
    CHECK(store_open("/nonexistent-dir/boussole/x.db", &s, err, sizeof err) != ERR_OK);
    CHECK(s == NULL);
    CHECK(err[0] != '\0');
}

static void test_transactions(void)
{
    struct store *s = NULL;
    char err[256];
    CHECK(store_open(path_in_dir("tx.db"), &s, err, sizeof err) == ERR_OK);
    if (!s)
        return;
    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "A") == ERR_OK);
    CHECK(add_territory(s, "B") == ERR_OK);
    CHECK_INT(count_territories(s), 2); /* visible inside the transaction */
    store_rollback(s);
    CHECK_INT(count_territories(s), 0);
    store_rollback(s); /* a rollback outside a transaction is harmless */

    /* A failure half-way, rolled back, leaves nothing of the first half. */
    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "C") == ERR_OK);
    CHECK_INT(add_territory(s, "C"), ERR_CONFLICT);
    store_rollback(s);
    CHECK_INT(count_territories(s), 0);

    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "D") == ERR_OK);
    CHECK(store_commit(s) == ERR_OK);
    CHECK_INT(count_territories(s), 1);
    CHECK(store_commit(s) != ERR_OK); /* nothing to commit */

    /* A second connection does not see uncommitted rows. */
    struct store *t = NULL;
    CHECK(store_open(path_in_dir("tx.db"), &t, err, sizeof err) == ERR_OK);
    if (t) {
        CHECK(store_begin(s) == ERR_OK);
        CHECK(add_territory(s, "E") == ERR_OK);
        CHECK_INT(count_territories(t), 1);
        store_rollback(s);
        CHECK_INT(count_territories(t), 1);
        store_close(t);
    }
    store_close(s);
}

/* A begin inside a transaction is a savepoint: the inner work is kept or undone on its own and
 * reaches the database only with the outer commit (a change and the e-mail it causes). */
static void test_nested_transactions(void)
{
    struct store *s = NULL, *t = NULL;
    char err[256];
    CHECK(store_open(path_in_dir("nested.db"), &s, err, sizeof err) == ERR_OK);
    CHECK(store_open(path_in_dir("nested.db"), &t, err, sizeof err) == ERR_OK);
    if (!s || !t)
        return;
    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "Dehors") == ERR_OK);
    CHECK(store_begin(s) == ERR_OK); /* nested */
    CHECK(add_territory(s, "Dedans") == ERR_OK);
    CHECK(store_commit(s) == ERR_OK); /* released into the outer transaction */
    CHECK_INT(count_territories(t), 0); /* not committed yet */
    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "Annulé") == ERR_OK);
    store_rollback(s); /* undoes only the inner work */
    CHECK_INT(count_territories(s), 2);
    CHECK(store_commit(s) == ERR_OK);
    CHECK_INT(count_territories(t), 2);

    /* An outer rollback undoes a committed inner transaction too. */
    CHECK(store_begin(s) == ERR_OK);
    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "Perdu") == ERR_OK);
    CHECK(store_commit(s) == ERR_OK);
    store_rollback(s);
    CHECK_INT(count_territories(t), 2);
    /* And the connection is back outside any transaction. */
    CHECK(store_begin(s) == ERR_OK);
    CHECK(add_territory(s, "Enfin") == ERR_OK);
    CHECK(store_commit(s) == ERR_OK);
    CHECK_INT(count_territories(t), 3);
    CHECK(store_commit(s) != ERR_OK);
    store_close(t);
    store_close(s);
}

static void test_statement_cache(void)
{
    struct store *s = NULL;
    char err[256];
    CHECK(store_open(path_in_dir("cache.db"), &s, err, sizeof err) == ERR_OK);
    if (!s)
        return;
    CHECK(add_territory(s, "T1") == ERR_OK);
    CHECK(add_territory(s, "T2") == ERR_OK);
    CHECK(add_territory(s, "T3") == ERR_OK);
    const char *sql = "SELECT name FROM territory ORDER BY name";
    struct arena a = {0};
    struct stmt *st = store_prepare(s, sql);
    CHECK(stmt_step(st) == 1);
    CHECK_STR(stmt_text(st, 0, &a), "T1");
    CHECK(stmt_step(st) == 1);
    CHECK_STR(stmt_text(st, 0, &a), "T2");
    /* Left half-read: the cache hands it back reset, from the first row. */
    struct stmt *again = store_prepare(s, sql);
    CHECK(again == st);
    CHECK(stmt_step(again) == 1);
    CHECK_STR(stmt_text(again, 0, &a), "T1");
    stmt_done(again);

    /* Bindings are cleared: a parameter left bound before is NULL now. */
    const char *by_name = "SELECT count(*), ?1 IS NULL FROM territory WHERE name = ?1";
    st = store_prepare(s, by_name);
    stmt_bind_text(st, 1, "T2");
    CHECK(stmt_step(st) == 1);
    CHECK_INT(stmt_int(st, 0), 1);
    CHECK_INT(stmt_int(st, 1), 0);
    st = store_prepare(s, by_name);
    CHECK(stmt_step(st) == 1);
    CHECK_INT(stmt_int(st, 0), 0);
    CHECK_INT(stmt_int(st, 1), 1);
    stmt_done(st);

    /* Reading to the end returns 0 and resets: the next step starts again. */
    st = store_prepare(s, "SELECT name FROM territory WHERE name = 'T3'");
    CHECK(stmt_step(st) == 1);
    CHECK(stmt_step(st) == 0);
    CHECK(stmt_step(st) == 1);
    stmt_done(st);

    /* Different SQL, different statements; many of them fit the cache. */
    CHECK(store_prepare(s, "SELECT 1") != store_prepare(s, "SELECT 2"));
    char sqlbuf[64];
    for (int i = 0; i < 100; i++) {
        snprintf(sqlbuf, sizeof sqlbuf, "SELECT %d", i);
        st = store_prepare(s, sqlbuf);
        CHECK_INT(stmt_step(st), 1);
        CHECK_INT(stmt_int(st, 0), i);
        stmt_done(st);
    }

    /* Column helpers: NULL text is "", NULL is detected, doubles read. */
    st = store_prepare(s, "SELECT NULL, 2.5, 'é'");
    CHECK(stmt_step(st) == 1);
    CHECK_STR(stmt_text(st, 0, &a), "");
    CHECK(stmt_is_null(st, 0));
    CHECK(!stmt_is_null(st, 1));
    CHECK(stmt_double(st, 1) == 2.5);
    CHECK_STR(stmt_text(st, 2, &a), "é");
    stmt_done(st);
    st = store_prepare(s, "SELECT ?1, ?2, ?3");
    stmt_bind_int(st, 1, 1LL << 40);
    stmt_bind_null(st, 2);
    stmt_bind_text(st, 3, NULL);
    CHECK(stmt_step(st) == 1);
    CHECK_INT(stmt_int(st, 0), 1LL << 40);
    CHECK(stmt_is_null(st, 1));
    CHECK(stmt_is_null(st, 2));
    stmt_done(st);

    /* A read left open by an early exit keeps a snapshot; store_reset_all ends it so the
     * connection sees others' writes. */
    st = store_prepare(s, sql);
    CHECK(stmt_step(st) == 1);
    struct store *t = NULL;
    CHECK(store_open(path_in_dir("cache.db"), &t, err, sizeof err) == ERR_OK);
    if (t) {
        CHECK(add_territory(t, "T4") == ERR_OK);
        store_close(t);
    }
    store_reset_all(s);
    CHECK_INT(count_territories(s), 4);
    arena_free(&a);
    store_close(s);
}

/* The server has hundreds of distinct SQL texts; the cache used to abort the process when its
 * 256 slots filled. 2,000 statements on one connection, each prepared once and found again. */
static void test_statement_cache_grows(void)
{
    struct store *s = NULL;
    char err[256];
    CHECK(store_open(path_in_dir("many.db"), &s, err, sizeof err) == ERR_OK);
    if (!s)
        return;
    enum { N = 2000 };
    static struct stmt *first[N];
    char sqlbuf[64];
    int wrong = 0;
    for (int i = 0; i < N; i++) {
        snprintf(sqlbuf, sizeof sqlbuf, "SELECT %d + ?1", i);
        first[i] = store_prepare(s, sqlbuf);
        stmt_bind_int(first[i], 1, 1);
        if (stmt_step(first[i]) != 1 || stmt_int(first[i], 0) != i + 1)
            wrong++;
        stmt_done(first[i]);
    }
    CHECK_INT(wrong, 0);
    /* Second pass, after every growth: the same statement objects, still working. */
    int moved = 0;
    wrong = 0;
    for (int i = N - 1; i >= 0; i--) {
        snprintf(sqlbuf, sizeof sqlbuf, "SELECT %d + ?1", i);
        struct stmt *st = store_prepare(s, sqlbuf);
        if (st != first[i])
            moved++;
        stmt_bind_int(st, 1, 2);
        if (stmt_step(st) != 1 || stmt_int(st, 0) != i + 2)
            wrong++;
        stmt_done(st);
    }
    CHECK_INT(moved, 0);
    CHECK_INT(wrong, 0);
    store_reset_all(s);
    store_close(s);
}

/* In a debug build, binding a parameter the SQL does not have is caught at the bind, naming
 * the SQL and the index (it aborts, so it runs in a child process). */
static void test_bad_bind_is_caught(void)
{
#ifndef NDEBUG
    int fds[2];
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        struct store *s = NULL;
        char err[256];
        if (store_open(path_in_dir("bind.db"), &s, err, sizeof err) != ERR_OK)
            _exit(3);
        struct stmt *st = store_prepare(s, "SELECT ?1");
        stmt_bind_int(st, 1, 7);
        stmt_bind_text(st, 3, "trop loin");
        _exit(0); /* not reached when the bind is checked */
    }
    close(fds[1]);
    char out[512] = {0};
    size_t got = 0;
    ssize_t n;
    while (got < sizeof out - 1 && (n = read(fds[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)n;
    close(fds[0]);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(out, "parameter 3") != NULL);
    CHECK(strstr(out, "SELECT ?1") != NULL);
#endif
}

static void test_backup(void)
{
    struct store *s = NULL;
    char err[256];
    CHECK(store_open(path_in_dir("live.db"), &s, err, sizeof err) == ERR_OK);
    if (!s)
        return;
    CHECK(add_territory(s, "Sauvegardé") == ERR_OK);
    CHECK(add_territory(s, "Aussi") == ERR_OK);
    const char *copy = path_in_dir("copy.db");
    CHECK(store_backup(s, copy) == ERR_OK);
    /* Written after the backup: not in the copy. */
    CHECK(add_territory(s, "Après") == ERR_OK);
    store_close(s);

    struct store *c = NULL;
    CHECK(store_open(copy, &c, err, sizeof err) == ERR_OK);
    if (!c)
        return;
    struct arena a = {0};
    CHECK_INT(count_territories(c), 2);
    CHECK_STR(query_text(c, &a, "SELECT group_concat(name, '|') FROM (SELECT name FROM "
                                "territory ORDER BY id)"),
              "Sauvegardé|Aussi");
    CHECK_INT(store_schema_version(c), store_migrations[store_migration_count - 1].version);
    CHECK_INT(query_int(c, "SELECT count(*) FROM schema_version"), store_migration_count);
    CHECK_STR(query_text(c, &a, "PRAGMA integrity_check"), "ok");
    arena_free(&a);
    store_close(c);

    CHECK(store_open(path_in_dir("live.db"), &s, err, sizeof err) == ERR_OK);
    if (s) {
        CHECK(store_backup(s, "/nonexistent-dir/boussole/copy.db") != ERR_OK);
        store_close(s);
    }
}

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* store/rows: a list grows past its first capacity keeping every row in order, and a step that
 * fails mid-way returns the error (the rows before it kept). */
static void read_one_int(struct stmt *st, struct arena *a, void *row)
{
    (void)a;
    *(long long *)row = stmt_int(st, 0);
}

static void test_rows(void)
{
    struct store *s = NULL;
    char err[256];
    CHECK(store_open(path_in_dir("rows.db"), &s, err, sizeof err) == ERR_OK);
    if (!s)
        return;
    struct arena a = {0};
    /* Empty: an array all the same, so that callers may sort or index it. */
    void *rows = NULL;
    int n = -1;
    struct stmt *st = store_prepare(s, "SELECT 1 WHERE 0");
    CHECK(rows_read_all(st, &a, sizeof(long long), read_one_int, &rows, &n) == ERR_OK);
    CHECK_INT(n, 0);
    CHECK(rows != NULL);
    /* 1000 rows: past 16, the first capacity, and through several doublings. */
    st = store_prepare(s, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
                          "WHERE i < 1000) SELECT i FROM c");
    CHECK(rows_read_all(st, &a, sizeof(long long), read_one_int, &rows, &n) == ERR_OK);
    CHECK_INT(n, 1000);
    int wrong = 0;
    for (int i = 0; i < n; i++)
        wrong += ((long long *)rows)[i] != i + 1;
    CHECK_INT(wrong, 0);
    /* abs() of the smallest integer overflows at the 50th row: an error, not a short list. */
    st = store_prepare(s, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
                          "WHERE i < 100) SELECT CASE WHEN i < 50 THEN i "
                          "ELSE abs(-9223372036854775807 - 1) END FROM c");
    CHECK_INT(rows_read_all(st, &a, sizeof(long long), read_one_int, &rows, &n), ERR_DB);
    CHECK_INT(n, 49);
    /* The statement was reset: it runs again from the start. */
    CHECK_INT(rows_read_all(st, &a, sizeof(long long), read_one_int, &rows, &n), ERR_DB);
    CHECK_INT(n, 49);
    /* rows_grow by hand keeps what was written before each move. */
    int cap = 0;
    int *ints = rows_grow(&a, NULL, 0, &cap, sizeof *ints);
    CHECK(ints != NULL && cap > 0);
    for (int i = 0; i < 100; i++) {
        ints = rows_grow(&a, ints, i, &cap, sizeof *ints);
        ints[i] = i;
    }
    wrong = 0;
    for (int i = 0; i < 100; i++)
        wrong += ints[i] != i;
    CHECK_INT(wrong, 0);
    CHECK(cap >= 100);
    arena_free(&a);
    store_close(s);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_open_and_migrate();
    test_reopen();
    test_bad_files();
    test_transactions();
    test_nested_transactions();
    test_statement_cache();
    test_statement_cache_grows();
    test_bad_bind_is_caught();
    test_backup();
    test_rows();
    remove_dir();
    return check_report("test_store");
}
