/* test_pg.c — unit tests of the PostgreSQL side of src/store: the SQL rewrites of pg_sql.c
 * (always), and, when BOUSSOLE_TEST_PG_URI names an empty database of a running PostgreSQL
 * (tests/run.sh starts one), the engine itself: migrations, parameters whose type the server
 * cannot infer, conflicts, nested transactions, an aborted transaction, and a write on one
 * process seen by another at once, through the tables' write count. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "check.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/pg_sql.h"

static void check_translation(const char *sql, const char *want, int want_params)
{
    int n = -1;
    char *got = pg_translate(sql, &n);
    CHECK_STR(got, want);
    CHECK_INT(n, want_params);
    free(got);
}

static void test_parameters(void)
{
    check_translation("SELECT a FROM t WHERE b = ? AND c = ?",
                      "SELECT a FROM t WHERE b = $1 AND c = $2", 2);
    check_translation("UPDATE t SET a = ?2 WHERE id = ?1 AND v = ?2",
                      "UPDATE t SET a = $2 WHERE id = $1 AND v = $2", 2);
    /* A bare ? after ?3 is parameter 4, as SQLite numbers it. */
    check_translation("SELECT ?3, ?", "SELECT $3, $4", 4);
    /* Quoted text and comments are not touched. */
    check_translation("SELECT 'why?', \"col?\" FROM t -- really?\nWHERE a = ?",
                      "SELECT 'why?', \"col?\" FROM t -- really?\nWHERE a = $1", 1);
    check_translation("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || $1", 1);
    check_translation("SELECT 1", "SELECT 1", 0);
}

static void test_dialect(void)
{
    check_translation("INSERT OR IGNORE INTO t (a) VALUES (?)",
                      "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING", 1);
    check_translation("insert or ignore into t (a) values (?1) RETURNING id",
                      "INSERT into t (a) values ($1)  ON CONFLICT DO NOTHING RETURNING id", 1);
    /* date( calls SQLite's date function (a cast on PostgreSQL); a column named
     * updated_date or a string 'date(' stays. */
    check_translation("SELECT date('now'), updated_date, 'date(' FROM t",
                      "SELECT sqlite_date('now'), updated_date, 'date(' FROM t", 0);
    check_translation("SELECT x FROM t WHERE d < date(?1, '+1 day')",
                      "SELECT x FROM t WHERE d < sqlite_date($1, '+1 day')", 1);
}

static void test_migrations_have_a_postgresql_form(void)
{
    for (int i = 0; i < store_migration_count; i++) {
        const struct migration *m = &store_migrations[i];
        CHECK(m->pg_sql != NULL);
        /* No rowid key and no SQLite trigger is left in the PostgreSQL form: every trigger
         * there runs a function. */
        CHECK(strstr(m->pg_sql, "INTEGER PRIMARY KEY") == NULL);
        /* Every table it creates announces its writes to the servers' caches. */
        for (const char *t = strstr(m->pg_sql, "\nCREATE TABLE "); t;
             t = strstr(t + 1, "\nCREATE TABLE ")) {
            char name[64], trigger[96];
            /* The write count itself is the one table without it (it would count itself). */
            if (sscanf(t + 14, "%63[a-z_]", name) != 1 ||
                strcmp(name, "boussole_write_count") == 0)
                continue;
            snprintf(trigger, sizeof trigger, "CREATE TRIGGER %s_announce ", name);
            CHECK(strstr(m->pg_sql, trigger) != NULL);
        }
        for (const char *t = strstr(m->pg_sql, "CREATE TRIGGER"); t;
             t = strstr(t + 1, "CREATE TRIGGER")) {
            const char *end = strchr(t, ';');
            const char *fn = strstr(t, "EXECUTE FUNCTION");
            CHECK(end && fn && fn < end);
        }
    }
}

static long long one_int(struct store *s, const char *sql)
{
    struct stmt *st = store_prepare(s, sql);
    long long v = -999;
    if (stmt_step(st) == 1)
        v = stmt_int(st, 0);
    stmt_done(st);
    return v;
}

static void test_engine(const char *uri)
{
    struct store *a, *b;
    char err[256];
    CHECK_INT(store_open(uri, &a, err, sizeof err), ERR_OK);
    CHECK_INT(store_open(uri, &b, err, sizeof err), ERR_OK); /* migrations applied once */
    if (!a || !b)
        return;
    CHECK(store_is_postgresql(a));
    CHECK_INT(store_schema_version(a), store_migrations[store_migration_count - 1].version);

    /* A territory gets an identity id; store_last_id returns it. */
    struct stmt *st = store_prepare(a, "INSERT INTO territory (name) VALUES (?1)");
    stmt_bind_text(st, 1, "Pays d'essai");
    CHECK_INT(stmt_exec(st), ERR_OK);
    long long id = store_last_id(a);
    CHECK(id > 0);
    CHECK_INT(store_changes(a), 1);

    /* The same name again violates UNIQUE: a conflict, not a crash. */
    st = store_prepare(a, "INSERT INTO territory (name) VALUES (?1)");
    stmt_bind_text(st, 1, "Pays d'essai");
    CHECK_INT(stmt_exec(st), ERR_CONFLICT);
    /* INSERT OR IGNORE of the same name changes nothing and succeeds. */
    st = store_prepare(a, "INSERT OR IGNORE INTO territory (name) VALUES (?1)");
    stmt_bind_text(st, 1, "Pays d'essai");
    CHECK_INT(stmt_exec(st), ERR_OK);
    CHECK_INT(one_int(a, "SELECT count(*) FROM territory"), 1);

    /* `? IS NULL` gives the server no type: the bound value's is used, NULL and not NULL. */
    const char *optional = "SELECT count(*) FROM territory WHERE (?1 IS NULL OR name = ?1)";
    st = store_prepare(a, optional);
    stmt_bind_null(st, 1);
    CHECK_INT(stmt_step(st), 1);
    CHECK_INT(stmt_int(st, 0), 1);
    stmt_done(st);
    st = store_prepare(a, optional);
    stmt_bind_text(st, 1, "ailleurs");
    CHECK_INT(stmt_step(st), 1);
    CHECK_INT(stmt_int(st, 0), 0);
    stmt_done(st);
    /* A NULL first bound where a number belongs: the guessed text type flips to a number. */
    const char *upto = "SELECT count(*) FROM territory WHERE (?1 IS NULL OR id <= ?1)";
    st = store_prepare(a, upto);
    stmt_bind_null(st, 1);
    CHECK_INT(stmt_step(st), 1);
    CHECK_INT(stmt_int(st, 0), 1);
    stmt_done(st);
    st = store_prepare(a, upto);
    stmt_bind_int(st, 1, id - 1);
    CHECK_INT(stmt_step(st), 1);
    CHECK_INT(stmt_int(st, 0), 0);
    stmt_done(st);
    /* And a number first bound where text belongs flips to text. */
    st = store_prepare(a, "SELECT count(*) FROM territory WHERE (?1 IS NULL OR kind = ?1)");
    stmt_bind_int(st, 1, 54);
    CHECK_INT(stmt_step(st), 1);
    CHECK_INT(stmt_int(st, 0), 0);
    stmt_done(st);
    /* Booleans read as 0/1, like SQLite's comparisons. */
    CHECK_INT(one_int(a, "SELECT 2 > 1"), 1);

    /* A nested transaction rolled back undoes only its own work. */
    CHECK_INT(store_begin(a), ERR_OK);
    st = store_prepare(a, "UPDATE territory SET kind = ?2 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, "epci");
    CHECK_INT(stmt_exec(st), ERR_OK);
    CHECK_INT(store_begin(a), ERR_OK);
    st = store_prepare(a, "UPDATE territory SET members = ?2 WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, "x");
    CHECK_INT(stmt_exec(st), ERR_OK);
    store_rollback(a);
    CHECK_INT(store_commit(a), ERR_OK);
    CHECK_INT(one_int(b, "SELECT count(*) FROM territory WHERE kind = 'epci' AND members = ''"),
              1);

    /* A failed statement aborts a PostgreSQL transaction: its COMMIT must not say success. */
    CHECK_INT(store_begin(a), ERR_OK);
    st = store_prepare(a, "INSERT INTO territory (name) VALUES (?1)");
    stmt_bind_text(st, 1, "Pays d'essai");
    CHECK_INT(stmt_exec(st), ERR_CONFLICT);
    CHECK(store_commit(a) != ERR_OK);
    store_rollback(a);
    CHECK_INT(store_begin(a), ERR_OK); /* the connection is usable again */
    store_rollback(a);

    /* A write committed by another process (another server) reaches this one's generation
     * at once, through the tables' write count: the child's own counter is not this
     * process's, and no waiting is allowed (the next request must see it). */
    (void)store_generation(b);
    unsigned long long before = store_generation(b);
    pid_t child = fork();
    if (child == 0) {
        struct store *c;
        if (store_open(uri, &c, err, sizeof err) != ERR_OK)
            _exit(1);
        struct stmt *w = store_prepare(c, "UPDATE territory SET members = ?2 WHERE id = ?1");
        stmt_bind_int(w, 1, id);
        stmt_bind_text(w, 2, "54");
        int wrc = stmt_exec(w);
        store_close(c);
        _exit(wrc == ERR_OK ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unsigned long long after = store_generation(b);
    CHECK(after != before);

    /* The server ends b's session (a restart, a fail-over): the statement that meets the
     * broken connection fails, the next ones reconnect and run, cached statements included. */
    long long pid = one_int(b, "SELECT pg_backend_pid()");
    struct stmt *kill = store_prepare(a, "SELECT pg_terminate_backend(?1)");
    stmt_bind_int(kill, 1, pid);
    CHECK_INT(stmt_step(kill), 1);
    CHECK_INT(stmt_int(kill, 0), 1);
    stmt_done(kill);
    const char *count_sql = "SELECT count(*) FROM territory";
    for (int i = 0; i < 200 && one_int(b, "SELECT 1") == 1; i++) { /* until b sees it */
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_INT(one_int(b, count_sql), 1);
    CHECK(one_int(b, "SELECT pg_backend_pid()") != pid);
    CHECK_INT(store_begin(b), ERR_OK);
    CHECK_INT(store_commit(b), ERR_OK);

    CHECK_INT(store_backup(a, "/tmp/never-written.db"), ERR_INVALID);
    store_close(b);
    store_close(a);
}

int main(void)
{
    test_parameters();
    test_dialect();
    test_migrations_have_a_postgresql_form();
    const char *uri = getenv("BOUSSOLE_TEST_PG_URI");
    if (uri && *uri)
        test_engine(uri);
    else
        printf("test_pg: BOUSSOLE_TEST_PG_URI not set: the engine tests need a PostgreSQL "
               "(tests/run.sh starts one); the SQL rewrites were tested\n");
    return check_report("test_pg");
}
