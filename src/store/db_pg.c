/* db_pg.c — the PostgreSQL engine of the store (libpq). Statements are prepared on the server
 * the first time they run and read a whole result at a time; writers take one advisory lock,
 * as SQLite's single writer does, so model code keeps its read-check-write steps; every table's
 * trigger counts the transactions that wrote, whoever wrote, and a server reads that count before
 * using a cached page, as SQLite's data_version is read. */
#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_engine.h"
#include "store/migrations.h"
#include "store/pg_sql.h"

/* The highest boussole_write_count this process has seen, all connections together. */
static _Atomic long long writes_seen = -1;

/* The key of the writers' advisory lock. */
#define WRITE_LOCK_KEY "7261766"

/* PostgreSQL type oids the reads must tell apart (pg_type.h is server-side). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25 };

struct pg {
    PGconn *conn;
    char err[512];
    int changes;
    unsigned next_name;
    unsigned session;    /* bumped at each reconnection: statements prepared before are gone */
    bool count_prepared; /* the write count's statement, in this session */
};

enum param_kind { PARAM_NULL, PARAM_INT, PARAM_TEXT };

struct engine_stmt {
    struct pg *pg;
    char *sql; /* translated */
    char name[16];
    bool prepared;
    unsigned session; /* the connection's session it was prepared in */
    int nparams;
    char **values;
    enum param_kind *kinds;
    PGresult *res;  /* rows being read, NULL between runs */
    PGresult *desc; /* the columns, asked before a first run (kept) */
    int row, nrows;
};

static struct pg *pg_of(struct store *s)
{
    return store_engine_state(s);
}

static void keep_error(struct pg *pg, const char *msg)
{
    snprintf(pg->err, sizeof pg->err, "%s", msg ? msg : "");
    size_t n = strlen(pg->err);
    while (n > 0 && (pg->err[n - 1] == '\n' || pg->err[n - 1] == ' '))
        pg->err[--n] = '\0';
}

/* Runs a command string (no parameters); keeps the error message. */
static int pg_run(struct pg *pg, const char *sql)
{
    PGresult *r = PQexec(pg->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? ERR_OK : ERR_DB;
    if (rc != ERR_OK)
        keep_error(pg, PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

static int pg_exec(struct store *s, const char *sql)
{
    return pg_run(pg_of(s), sql);
}

static void pg_close(struct store *s)
{
    struct pg *pg = pg_of(s);
    PQfinish(pg->conn);
    free(pg);
    store_set_engine_state(s, NULL);
}

static int session_settings(struct pg *pg)
{
    if (PQsetClientEncoding(pg->conn, "UTF8") != 0)
        return ERR_DB;
    return pg_run(pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
}

/* A connection the server closed (a restart, a fail-over to the replica): connect again, to
 * whichever host of the URI now accepts writes when it names several. The request that met the
 * broken connection has failed; the next one runs. */
static bool reconnected(struct pg *pg)
{
    if (PQstatus(pg->conn) == CONNECTION_OK)
        return true;
    PQreset(pg->conn);
    if (PQstatus(pg->conn) != CONNECTION_OK || session_settings(pg) != ERR_OK) {
        keep_error(pg, PQerrorMessage(pg->conn));
        return false;
    }
    pg->session++;
    pg->count_prepared = false;
    return true;
}

static int pg_open(struct store *s, const char *uri, char *errbuf, int errlen)
{
    struct pg *pg = xcalloc(1, sizeof *pg);
    store_set_engine_state(s, pg);
    pg->conn = PQconnectdb(uri);
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        keep_error(pg, PQerrorMessage(pg->conn));
        snprintf(errbuf, (size_t)errlen, "cannot connect to PostgreSQL: %s", pg->err);
        return ERR_IO;
    }
    if (session_settings(pg) != ERR_OK) {
        snprintf(errbuf, (size_t)errlen, "PostgreSQL refused the session settings: %s", pg->err);
        return ERR_IO;
    }
    return ERR_OK;
}

static const char *pg_errmsg(struct store *s)
{
    return pg_of(s)->err;
}

static const char *pg_migration_sql(const struct migration *m)
{
    return m->pg_sql;
}

static engine_stmt *pg_prepare(struct store *s, const char *sql)
{
    struct pg *pg = pg_of(s);
    engine_stmt *st = xcalloc(1, sizeof *st);
    st->pg = pg;
    st->sql = pg_translate(sql, &st->nparams);
    snprintf(st->name, sizeof st->name, "b%u", pg->next_name++);
    if (st->nparams > 0) {
        st->values = xcalloc((size_t)st->nparams, sizeof *st->values);
        st->kinds = xcalloc((size_t)st->nparams, sizeof *st->kinds);
    }
    return st;
}

static void clear_result(engine_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
}

static void pg_reset(engine_stmt *st)
{
    clear_result(st);
    for (int i = 0; i < st->nparams; i++) {
        free(st->values[i]);
        st->values[i] = NULL;
        st->kinds[i] = PARAM_NULL;
    }
}

static void pg_finalize(engine_stmt *st)
{
    pg_reset(st);
    PQclear(st->desc);
    free(st->values);
    free(st->kinds);
    free(st->sql);
    free(st);
}

static void bind_value(engine_stmt *st, int idx, enum param_kind kind, char *value)
{
    if (idx < 1 || idx > st->nparams) {
        fprintf(stderr, "stmt_bind: parameter %d of %d\n  in: %s\n", idx, st->nparams, st->sql);
        abort();
    }
    free(st->values[idx - 1]);
    st->values[idx - 1] = value;
    st->kinds[idx - 1] = kind;
}

static void pg_bind_int(engine_stmt *st, int idx, long long v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", v);
    bind_value(st, idx, PARAM_INT, xstrdup(text));
}

static void pg_bind_text(engine_stmt *st, int idx, const char *v)
{
    bind_value(st, idx, v ? PARAM_TEXT : PARAM_NULL, v ? xstrdup(v) : NULL);
}

/* Prepares on the server; false with the error kept (and its SQLSTATE in state). Inside a
 * transaction a failed attempt is undone by a savepoint, so the transaction lives on. */
static bool try_prepare(engine_stmt *st, const Oid *types, char *state, size_t state_len,
                        bool *text_involved, int *position)
{
    PGconn *c = st->pg->conn;
    bool in_tx = PQtransactionStatus(c) == PQTRANS_INTRANS;
    if (in_tx)
        pg_run(st->pg, "SAVEPOINT boussole_prepare");
    PGresult *r = PQprepare(c, st->name, st->sql, st->nparams, types);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        keep_error(st->pg, PQresultErrorMessage(r));
        const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
        snprintf(state, state_len, "%s", code ? code : "");
        const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
        *text_involved = detail && strstr(detail, "text");
        *position = pos ? atoi(pos) : 0;
    }
    PQclear(r);
    if (in_tx)
        pg_run(st->pg, ok ? "RELEASE boussole_prepare"
                          : "ROLLBACK TO boussole_prepare; RELEASE boussole_prepare");
    return ok;
}

/* The parameter number an "indeterminate datatype" error names ("... parameter $N"), else 0. */
static int undetermined_parameter(const char *message)
{
    const char *p = strstr(message, "parameter $");
    return p ? atoi(p + 11) : 0;
}

/* The type a parameter takes when the server cannot infer it: the bound value's; for a NULL, a
 * number where two integer sizes were deduced ("integer versus bigint"), else text. */
/* The parameter written next to the error's position (1-based, in characters of the SQL, which
 * is ASCII around parameters): the first `$N` within a few characters after it, else before. */
static int parameter_near(const char *sql, int position)
{
    int len = (int)strlen(sql), at = position - 1;
    if (at < 0 || at >= len)
        return 0;
    for (int i = at; i < len && i < at + 24; i++)
        if (sql[i] == '$')
            return atoi(sql + i + 1);
    for (int i = at; i >= 0 && i > at - 24; i--)
        if (sql[i] == '$')
            return atoi(sql + i + 1);
    return 0;
}

static Oid guessed_type(const engine_stmt *st, int i, const char *state, bool text_involved)
{
    if (st->kinds[i] == PARAM_INT)
        return OID_INT8;
    if (st->kinds[i] == PARAM_NULL && strcmp(state, "42P08") == 0 &&
        strstr(st->pg->err, "inconsistent") && !text_involved)
        return OID_INT8;
    return OID_TEXT;
}

/* The server infers each parameter's type from where it stands. Where it cannot (`? IS NULL`,
 * a bare `SELECT ?`, a parameter the SQL does not use) or infers two, that one parameter takes
 * a guessed type (guessed_type) and the prepare is tried again; when a guess then meets a
 * column of the other kind ("bigint <= text" at the parameter), it flips between text and
 * number. False
 * when the connection broke meanwhile; SQL PostgreSQL refuses is a bug and aborts, as a bad
 * prepare does on SQLite. */
static bool prepare_on_server(engine_stmt *st)
{
    size_t n_params = (size_t)st->nparams + 1;
    Oid *types = xcalloc(n_params, sizeof *types);
    bool *flipped = xcalloc(n_params, sizeof *flipped);
    char state[8] = "";
    bool ok = false, text_involved = false;
    int position = 0;
    for (int attempt = 0; attempt <= 3 * st->nparams && !ok; attempt++) {
        ok = try_prepare(st, types, state, sizeof state, &text_involved, &position);
        if (ok)
            break;
        /* 42P18: indeterminate datatype; 42P08: inconsistent types deduced — both name the
         * parameter. 42883 / 42804: a guessed type does not fit where the parameter stands. */
        bool typing = strcmp(state, "42P18") == 0 || strcmp(state, "42P08") == 0;
        bool mismatch = strcmp(state, "42883") == 0 || strcmp(state, "42804") == 0;
        int n = typing ? undetermined_parameter(st->pg->err) : 0;
        if (n >= 1 && n <= st->nparams && types[n - 1] == 0) {
            types[n - 1] = guessed_type(st, n - 1, state, text_involved);
            continue;
        }
        int near = mismatch ? parameter_near(st->sql, position) : 0;
        int flip = near >= 1 && near <= st->nparams && types[near - 1] != 0 && !flipped[near - 1]
                       ? near - 1
                       : -1;
        if (flip < 0)
            break;
        types[flip] = types[flip] == OID_TEXT ? OID_INT8 : OID_TEXT;
        flipped[flip] = true;
    }
    free(flipped);
    if (!ok && PQstatus(st->pg->conn) != CONNECTION_OK) {
        free(types);
        return false;
    }
    if (!ok) {
        fprintf(stderr, "store_prepare: %s\n  in: %s\n  parameter types:", st->pg->err, st->sql);
        for (int i = 0; i < st->nparams; i++)
            fprintf(stderr, " $%d=%u", i + 1, types[i]);
        fprintf(stderr, "\n");
        abort();
    }
    free(types);
    st->prepared = true;
    st->session = st->pg->session;
    return true;
}

static bool is_write(PGresult *r)
{
    const char *tag = PQcmdStatus(r);
    return strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
           strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0;
}

static int failed(engine_stmt *st, PGresult *r)
{
    keep_error(st->pg, PQresultErrorMessage(r));
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    /* Class 23: integrity constraint violation (unique, foreign key, check, not null). */
    int rc = state && strncmp(state, "23", 2) == 0 ? ERR_CONFLICT : ERR_DB;
    PQclear(r);
    return rc;
}

/* Runs the statement and keeps its rows; 0 or a negative enum err. */
static int run(engine_stmt *st, bool *wrote)
{
    if (!reconnected(st->pg))
        return ERR_DB;
    if (st->session != st->pg->session)
        st->prepared = false;
    if (!st->prepared && !prepare_on_server(st))
        return ERR_DB;
    PGconn *c = st->pg->conn;
    PGresult *r = PQexecPrepared(c, st->name, st->nparams, (const char *const *)st->values, NULL,
                                 NULL, 0);
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        return failed(st, r);
    if (is_write(r)) {
        *wrote = true;
        st->pg->changes = atoi(PQcmdTuples(r));
    }
    st->res = r;
    st->row = -1;
    st->nrows = PQntuples(r);
    return ERR_OK;
}

static int pg_step(engine_stmt *st, bool *wrote)
{
    if (!st->res) {
        int rc = run(st, wrote);
        if (rc != ERR_OK)
            return rc;
    }
    if (++st->row < st->nrows)
        return 1;
    clear_result(st);
    return 0;
}

static const char *value(engine_stmt *st, int col)
{
    if (!st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, col))
        return NULL;
    return PQgetvalue(st->res, st->row, col);
}

static long long pg_col_int(engine_stmt *st, int col)
{
    const char *v = value(st, col);
    if (!v)
        return 0;
    if (PQftype(st->res, col) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_col_double(engine_stmt *st, int col)
{
    const char *v = value(st, col);
    if (!v)
        return 0;
    if (PQftype(st->res, col) == OID_BOOL)
        return v[0] == 't';
    return strtod(v, NULL);
}

static bool pg_col_is_null(engine_stmt *st, int col)
{
    return value(st, col) == NULL;
}

static bool pg_col_is_integer(engine_stmt *st, int col)
{
    if (!value(st, col))
        return false;
    Oid t = PQftype(st->res, col);
    return t == OID_INT8 || t == OID_INT4 || t == OID_INT2;
}

/* A statement's columns before its first run: asked of the server. */
static PGresult *described(engine_stmt *st)
{
    if (st->res)
        return st->res;
    if (st->desc)
        return st->desc;
    if (!reconnected(st->pg))
        return NULL;
    if (st->session != st->pg->session)
        st->prepared = false;
    if (!st->prepared && !prepare_on_server(st))
        return NULL;
    PGresult *r = PQdescribePrepared(st->pg->conn, st->name);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        PQclear(r);
        return NULL;
    }
    st->desc = r;
    return r;
}

static int pg_col_count(engine_stmt *st)
{
    PGresult *r = described(st);
    return r ? PQnfields(r) : 0;
}

static const char *pg_col_name(engine_stmt *st, int col)
{
    PGresult *r = described(st);
    return r ? PQfname(r, col) : "";
}

static char *pg_col_text(engine_stmt *st, int col, struct arena *a)
{
    const char *v = value(st, col);
    if (!v)
        return arena_strdup(a, "");
    if (PQftype(st->res, col) == OID_BOOL)
        return arena_strdup(a, v[0] == 't' ? "1" : "0");
    return arena_strndup(a, v, (size_t)PQgetlength(st->res, st->row, col));
}

static int pg_changes(struct store *s)
{
    return pg_of(s)->changes;
}

static long long pg_last_id(struct store *s)
{
    PGresult *r = PQexec(pg_of(s)->conn, "SELECT lastval()");
    long long id = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return id;
}

static int pg_begin(struct store *s, bool nested)
{
    if (!nested && !reconnected(pg_of(s)))
        return ERR_DB;
    /* One writer at a time across every server, as on SQLite: the lock is the transaction's
     * and ends with it, whatever way it ends. */
    return pg_run(pg_of(s), nested ? "SAVEPOINT nested"
                                   : "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")");
}

static int pg_commit(struct store *s, bool nested, bool wrote)
{
    struct pg *pg = pg_of(s);
    if (PQtransactionStatus(pg->conn) == PQTRANS_INERROR) {
        /* A failed statement ended the transaction's work: COMMIT would roll it back and
         * still answer success, so say it failed. */
        keep_error(pg, "the transaction was aborted by an earlier error");
        return ERR_DB;
    }
    (void)wrote; /* the tables' triggers announce the writes (migrations/pg/001) */
    return pg_run(pg, nested ? "RELEASE nested" : "COMMIT");
}

static void pg_rollback(struct store *s, bool nested)
{
    if (nested)
        pg_run(pg_of(s), "ROLLBACK TO nested; RELEASE nested");
    else
        pg_run(pg_of(s), "ROLLBACK");
}

static bool pg_in_transaction(struct store *s)
{
    PGTransactionStatusType t = PQtransactionStatus(pg_of(s)->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

/* The count of transactions that wrote (migrations/pg/001): one indexed-free read of a one-row
 * table per cached answer, exact whoever wrote and whatever the delivery delays. */
static bool pg_others_wrote(struct store *s)
{
    struct pg *pg = pg_of(s);
    if (!reconnected(pg))
        return true;           /* no way to know: read afresh */
    if (!pg->count_prepared) { /* read before every cached answer: parsed once per session */
        PGresult *p = PQprepare(pg->conn, "boussole_write_count",
                                "SELECT n FROM boussole_write_count", 0, NULL);
        pg->count_prepared = PQresultStatus(p) == PGRES_COMMAND_OK;
        PQclear(p);
        if (!pg->count_prepared)
            return true;
    }
    PGresult *r = PQexecPrepared(pg->conn, "boussole_write_count", 0, NULL, NULL, NULL, 0);
    bool changed = true;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        long long n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        /* The count is the database's: once one connection of this process has seen it move,
         * the others seeing the same value must not empty the caches again. */
        long long seen = atomic_load(&writes_seen);
        changed = false;
        while (n > seen && !(changed = atomic_compare_exchange_weak(&writes_seen, &seen, n)))
            ;
        if (n < seen) /* a restored or recreated database: its count starts again */
            changed = atomic_exchange(&writes_seen, n) != n;
    }
    PQclear(r);
    return changed;
}

/* Overwritten and deleted rows stay in the table files until VACUUM reclaims them: run it so
 * an erased person's values do not wait for autovacuum. */
static int pg_checkpoint_truncate(struct store *s)
{
    return pg_run(pg_of(s), "VACUUM");
}

static int pg_backup(struct store *s, const char *path)
{
    (void)path;
    keep_error(pg_of(s), "a PostgreSQL database is copied with pg_dump (docs/DEPLOY.md)");
    return ERR_INVALID;
}

const struct engine engine_pg = {
    .name = "PostgreSQL",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .migration_sql = pg_migration_sql,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_is_null = pg_col_is_null,
    .col_is_integer = pg_col_is_integer,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_text = pg_col_text,
    .changes = pg_changes,
    .last_id = pg_last_id,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .others_wrote = pg_others_wrote,
    .checkpoint_truncate = pg_checkpoint_truncate,
    .backup = pg_backup,
};
