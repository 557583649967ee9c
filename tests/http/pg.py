"""pg.py — a real PostgreSQL for one test run (tests/http with run.py --pg, tests/crash with
--pg): a cluster made by initdb in a temporary folder, reached only through a unix socket there,
stopped and removed at the end even on failure; and a small sqlite3-like wrapper over psycopg2
so the tests' fixture and check code runs unchanged on both backends. Debian's python3-psycopg2
and postgresql packages (scripts/deps.sh)."""

import atexit
import decimal
import getpass
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

URI_PREFIXES = ("postgresql://", "postgres://")


def is_uri(db):
    return isinstance(db, str) and db.startswith(URI_PREFIXES)


# ---- finding and running the server's programs -------------------------------------------------

def bindir():
    """The folder holding initdb and pg_ctl, or None when PostgreSQL's server is not installed.
    Debian keeps them off PATH (/usr/lib/postgresql/N/bin); pg_config (libpq-dev) names the
    client's version's folder, PATH may hold links (/usr/local/bin)."""
    candidates = []
    if os.environ.get("BOUSSOLE_PG_BINDIR"):
        candidates.append(os.environ["BOUSSOLE_PG_BINDIR"])
    try:
        r = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        if r.returncode == 0:
            candidates.append(r.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda p: [int(x) for x in re.findall(r"\d+", p)] or [0], reverse=True)
    candidates += versions
    found = shutil.which("initdb")
    if found:
        candidates.append(os.path.dirname(os.path.realpath(found)))
    for d in candidates:
        if all(os.access(os.path.join(d, p), os.X_OK) for p in ("initdb", "pg_ctl", "postgres")):
            return d
    return None


def _as_owner(cmd):
    """initdb and postgres refuse to run as root: as root they run as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def _owner_name():
    return "postgres" if os.geteuid() == 0 else getpass.getuser()


def _free_port():
    # With listen_addresses='' the port only names the socket file; a free TCP port keeps it
    # clear of any other PostgreSQL on the machine all the same.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One PostgreSQL server in a temporary folder: data in DIR/data, the socket in DIR, the log
    in DIR/server.log. fsync stays on: the crash test relies on it."""

    def __init__(self):
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
                               "run scripts/deps.sh (Debian package postgresql)")
        self.dir = tempfile.mkdtemp(prefix="boussole-pg-")
        self.data = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "server.log")
        self.user = _owner_name()
        self.port = None
        self.started = False
        self._admin = None
        self._serial = 0
        if os.geteuid() == 0:
            import pwd
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.dir, 0o700)

    def _run(self, *args, timeout=120):
        r = subprocess.run(_as_owner([os.path.join(self.bin, args[0]), *args[1:]]),
                           capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise RuntimeError("%s failed (%d): %s%s\n%s" % (
                args[0], r.returncode, r.stdout[-1500:], r.stderr[-1500:], self.server_log()))
        return r

    def start(self):
        self._run("initdb", "-D", self.data, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "-U", self.user, "--no-instructions", timeout=300)
        # Many servers and CLI runs may be connected at once (each test file starts its own).
        options = ("-c unix_socket_directories=%s -c listen_addresses='' -c fsync=on "
                   "-c max_connections=300 -c shared_buffers=64MB" % self.dir)
        for _attempt in range(5):
            self.port = _free_port()
            try:
                self._run("pg_ctl", "-D", self.data, "-l", self.log_path, "-w", "-t", "120",
                          "-o", "%s -p %d" % (options, self.port), "start", timeout=180)
                self.started = True
                return self
            except RuntimeError:
                if "could not" not in self.server_log():
                    raise
        raise RuntimeError("PostgreSQL did not start in 5 attempts:\n" + self.server_log())

    def server_log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        """Stops the server (fast: open sessions are cut) and removes the folder."""
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:
                pass
            self._admin = None
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop",
                          timeout=90)
            except Exception:
                subprocess.run(_as_owner([os.path.join(self.bin, "pg_ctl"), "-D", self.data,
                                          "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- databases ------------------------------------------------------------------------------

    def uri(self, dbname):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (dbname, self.dir, self.port,
                                                              self.user)

    def admin(self):
        """An autocommit connection to the postgres database (CREATE DATABASE, terminations)."""
        if self._admin is None or self._admin.closed:
            import psycopg2
            self._admin = psycopg2.connect(dbname="postgres", host=self.dir, port=self.port,
                                           user=self.user)
            self._admin.autocommit = True
        return self._admin

    def unique_name(self, name):
        """name made a valid, unique database name: lower case letters, digits and _."""
        self._serial += 1
        base = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "db"
        return ("t%d_%s" % (self._serial, base))[:63]

    def create(self, name, template=None):
        """Creates a database; returns its URI. With template, a copy of that database (which
        must have no session open: they are ended first)."""
        real = self.unique_name(name)
        cur = self.admin().cursor()
        if template is not None:
            self.terminate(template)
            for attempt in range(50):
                try:
                    cur.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (real, template))
                    break
                except Exception as e:  # a session still closing on the template
                    if "being accessed by other users" not in str(e) or attempt == 49:
                        raise
                    self.terminate(template)
                    time.sleep(0.1)
        else:
            cur.execute('CREATE DATABASE "%s"' % real)
        return self.uri(real)

    def terminate(self, dbname):
        cur = self.admin().cursor()
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))


def dbname_of(uri):
    m = re.match(r"postgres(?:ql)?://[^/]*/([^?]+)", uri)
    if not m:
        raise ValueError("no database name in %s" % uri)
    return m.group(1)


_cluster = None


def cluster():
    """This process's cluster, started at first use and stopped at exit (atexit, and on SIGTERM
    or SIGHUP, which would otherwise skip atexit)."""
    global _cluster
    if _cluster is None:
        c = Cluster()
        atexit.register(c.stop)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, _exit_on_signal)
        try:
            c.start()
        except BaseException:
            c.stop()
            raise
        _cluster = c
    return _cluster


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def stop_cluster():
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


# ---- a sqlite3-like connection -----------------------------------------------------------------

_INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?\s*(\(([^)]*)\))?', re.I)


def translate(query):
    """sqlite3's ? placeholders made psycopg2's %s (outside quotes), a literal % doubled."""
    out = []
    quote = None
    for ch in query:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def _plain(value):
    """Values as sqlite3 gives them: numeric as int or float, bytea as bytes."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, memoryview):
        return value.tobytes()
    return value


def _param(value):
    if isinstance(value, (bytes, bytearray)):
        import psycopg2
        return psycopg2.Binary(bytes(value))
    return value


class Row(tuple):
    """sqlite3.Row's uses in the tests: by index, by column name, keys()."""

    def __new__(cls, values, names):
        r = super().__new__(cls, values)
        r._names = names
        return r

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self):
        return list(self._names)


class Cursor:
    def __init__(self, con):
        self.con = con
        self.cur = con.raw.cursor()
        self.lastrowid = None
        self.rowcount = -1
        self.description = None
        self._pending = None  # rows already read (INSERT … RETURNING id)

    def _row(self, values):
        values = tuple(_plain(v) for v in values)
        if self.con.row_factory is not None:
            names = [d[0] for d in self.cur.description]
            factory = self.con.row_factory
            if factory is Row or getattr(factory, "__name__", "") == "Row":
                return Row(values, names)
            return self.con.row_factory(self, values)
        return values

    def execute(self, query, params=()):
        self._pending = None
        self.lastrowid = None
        params = tuple(_param(p) for p in params) if params else None
        m = _INSERT.match(query)
        returning = False
        if m and " returning " not in query.lower() and self.con.has_id(m.group(1)):
            query = query.rstrip().rstrip(";") + " RETURNING id"
            returning = True
        self.cur.execute(translate(query) if params is not None else query, params)
        self.rowcount = self.cur.rowcount
        self.description = self.cur.description
        if returning:
            ids = self.cur.fetchall()
            self.lastrowid = ids[-1][0] if ids else None
            self._pending = []
            self.description = None
        if m and m.group(3) and "id" in [c.strip().strip('"') for c in m.group(3).split(",")]:
            self.con.move_sequence(m.group(1))
        return self

    def executemany(self, query, seq):
        for params in seq:
            self.execute(query, params)
        return self

    def fetchone(self):
        if self._pending is not None:
            return self._pending.pop(0) if self._pending else None
        if self.cur.description is None:
            return None
        r = self.cur.fetchone()
        return None if r is None else self._row(r)

    def fetchall(self):
        if self._pending is not None:
            rows, self._pending = self._pending, []
            return rows
        if self.cur.description is None:
            return []
        return [self._row(r) for r in self.cur.fetchall()]

    def __iter__(self):
        return iter(self.fetchall())

    def close(self):
        self.cur.close()


class Connection:
    """The part of sqlite3.Connection the tests use, over psycopg2: execute with ? placeholders,
    executemany, cursor, commit, rollback, close, `with con:` (commit or roll back, stay open),
    row_factory, lastrowid. Rows inserted with explicit ids move the table's identity sequence
    past them at once, so the server's next insert does not collide."""

    def __init__(self, uri):
        import psycopg2
        self.raw = psycopg2.connect(uri)
        self.row_factory = None
        self._has_id = {}

    def has_id(self, table):
        table = table.lower()
        if table not in self._has_id:
            with self.raw.cursor() as c:
                c.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = "
                          "current_schema() AND table_name = %s AND column_name = 'id' AND "
                          "(is_identity = 'YES' OR column_default LIKE 'nextval%%')", (table,))
                self._has_id[table] = c.fetchone() is not None
        return self._has_id[table]

    def move_sequence(self, table):
        if self.has_id(table):
            with self.raw.cursor() as c:
                c.execute(_SETVAL % {"t": table})

    def cursor(self):
        return Cursor(self)

    def execute(self, query, params=()):
        return Cursor(self).execute(query, params)

    def executemany(self, query, seq):
        return Cursor(self).executemany(query, seq)

    def executescript(self, script):
        with self.raw.cursor() as c:
            c.execute(script)
        self.raw.commit()

    def commit(self):
        self.raw.commit()

    def rollback(self):
        self.raw.rollback()

    def close(self):
        if not self.raw.closed:
            self.raw.rollback()
            self.raw.close()

    @property
    def total_changes(self):
        raise NotImplementedError("total_changes has no PostgreSQL equivalent here")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.raw.commit()
        else:
            self.raw.rollback()
        return False

    def __del__(self):
        try:
            self.raw.close()
        except Exception:
            pass


_SETVAL = ("SELECT setval(pg_get_serial_sequence('%(t)s', 'id'), "
           "COALESCE((SELECT max(id) FROM %(t)s), 0) + 1, false)")


def fix_sequences(uri):
    """Moves every table's id sequence past its largest id (after rows were written with explicit
    ids by something other than Connection, e.g. COPY or a restore)."""
    con = Connection(uri)
    try:
        with con.raw.cursor() as c:
            c.execute("SELECT table_name FROM information_schema.columns WHERE table_schema = "
                      "current_schema() AND column_name = 'id' AND (is_identity = 'YES' OR "
                      "column_default LIKE 'nextval%%')")
            tables = [t for (t,) in c.fetchall()]
            for t in tables:
                c.execute(_SETVAL % {"t": t})
        con.commit()
    finally:
        con.close()


def dump(uri):
    """Every table's rows, sorted, as text: what a failed import must leave unchanged."""
    con = Connection(uri)
    try:
        out = []
        with con.raw.cursor() as c:
            c.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                      "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
            for (t,) in c.fetchall():
                c.execute('SELECT * FROM "%s"' % t)
                # Values as text, not repr: a search for an erased value finds it as written.
                rows = sorted("\t".join("NULL" if v is None else str(_plain(v)) for v in r)
                              for r in c.fetchall())
                out.append("-- %s\n%s" % (t, "\n".join(rows)))
        return "\n".join(out)
    finally:
        con.close()


def main(argv):
    """pg.py run -- COMMAND…: runs COMMAND with BOUSSOLE_TEST_PG_URI naming a new database of a
    cluster started for it (tests/run.sh runs the test_pg unit test so); exits with its status."""
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: pg.py run -- COMMAND…", file=sys.stderr)
        return 2
    try:
        uri = cluster().create("unit")
    except Exception as e:
        print("pg.py: PostgreSQL could not start: %s" % e, file=sys.stderr)
        return 1
    env = dict(os.environ, BOUSSOLE_TEST_PG_URI=uri)
    return subprocess.run(argv[2:], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
