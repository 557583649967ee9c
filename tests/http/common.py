"""common.py — what the HTTP tests share: the boussole binary, free ports, servers started on a
temporary database, HTTP requests without redirects, the demo data files and text helpers.
Must not hold any test: those live in test_*.py. Standard library only (Debian's python3), and
psycopg2 when the tests run on PostgreSQL (BOUSSOLE_TEST_DB=postgresql, run.py --pg: pg.py).

A test names a database with new_db(name) (a file path on SQLite, a new database's URI on
PostgreSQL), opens it with connect(db) (sqlite3 or its PostgreSQL look-alike), copies a prepared
one with copy_db(src, name): the same test code then runs on both backends."""

import csv
import html
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("BOUSSOLE_DATA", os.path.join(ROOT, "data"))
DEMO = os.path.join(DATA, "demo")

# Set by run.py from its argument (or the environment).
BOUSSOLE = os.environ.get("BOUSSOLE_BIN", os.path.join(ROOT, "build", "boussole"))

# What a sanitizer prints when it finds something.
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "WARNING: ThreadSanitizer", "SUMMARY: UndefinedBehaviorSanitizer")

# Every server started, so run.py can stop them and check how they ended.
SERVERS = []

TMP = tempfile.mkdtemp(prefix="boussole-http-")


def tmp_path(name):
    """A path in this run's temporary folder."""
    return os.path.join(TMP, name)


# ---- the database a test works on: a SQLite file or a PostgreSQL database ----------------------

# Which backend the tests' databases are on: "sqlite" (files, the default) or "postgresql" (a
# cluster that pg.py starts for this run).
BACKEND = "postgresql" if os.environ.get("BOUSSOLE_TEST_DB", "").lower() in (
    "postgresql", "postgres", "pg") else "sqlite"
PG = BACKEND == "postgresql"

if PG:
    import pg


def new_db(name):
    """A new, empty database for a test to pass as --db: on SQLite a path in the temporary folder
    (name without or with .db; the file does not exist yet), on PostgreSQL a new database's URI."""
    if PG:
        return pg.cluster().create(name[:-3] if name.endswith(".db") else name)
    return tmp_path(name if name.endswith(".db") else name + ".db")


def connect(db, timeout=30):
    """Opens db: sqlite3.connect on a file, on a PostgreSQL URI a connection with the part of
    sqlite3's API the tests use (? placeholders, `with con:` commits, lastrowid)."""
    if pg_uri(db):
        import pg as pg_module
        return pg_module.Connection(db)
    return sqlite3.connect(db, timeout=timeout)


def pg_uri(db):
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def copy_db(src, name):
    """A copy of database src under a new name, to start a test from a prepared state: sqlite's
    backup (so the WAL is included) or CREATE DATABASE … TEMPLATE (sessions on src are ended
    first: no server may be running on src)."""
    if pg_uri(src):
        return pg.cluster().create(name[:-3] if name.endswith(".db") else name,
                                   template=pg.dbname_of(src))
    path = tmp_path(name if name.endswith(".db") else name + ".db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    s, d = sqlite3.connect(src), sqlite3.connect(path)
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()
    return path


def dump_db(db):
    """The database's whole content as text, for before/after comparisons (sqlite's iterdump;
    on PostgreSQL every table's rows, sorted)."""
    if pg_uri(db):
        return pg.dump(db)
    con = sqlite3.connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def fix_sequences(db):
    """After rows were written with explicit ids by other means than connect() (which does it
    itself): moves PostgreSQL's id sequences past them. Nothing to do on SQLite."""
    if pg_uri(db):
        pg.fix_sequences(db)


def stored_data(db):
    """What the database holds, as {where: bytes}, to check that erased values are gone: on
    SQLite the file and its write-ahead log byte for byte (what the disk keeps); on PostgreSQL
    every table's rows (its files keep dead row versions until VACUUM: that physical erasure is
    the server's, not something these tests can read)."""
    if pg_uri(db):
        return {"rows of " + pg.dbname_of(db): pg.dump(db).encode("utf-8")}
    out = {}
    for path in (db, db + "-wal"):
        try:
            with open(path, "rb") as f:
                out[path] = f.read()
        except FileNotFoundError:
            if path == db:
                raise
    return out


def sqlite_only(reason):
    """Skips a test about SQLite itself when the tests run on PostgreSQL; reason says what the
    PostgreSQL equivalent is."""
    import unittest
    return unittest.skipIf(PG, "SQLite only: " + reason)


def free_port():
    """A loopback port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, timeout=120, stdin=None):
    """Runs `boussole ARGS` (stdin: bytes for its standard input); returns the CompletedProcess
    with stdout as bytes (exact, CRLF kept) and stderr as text."""
    r = subprocess.run([BOUSSOLE, *args], capture_output=True, timeout=timeout,
                       input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)
    r.stderr = r.stderr.decode("utf-8", errors="replace")
    return r


def api_token(db, role="admin", contract=None):
    """Creates an account with role (tied to contract if given) and returns a bearer token for
    it: what a signed-in person sees (remarks are private unless a contract makes them public)."""
    email = "%s-%d@tests.example" % (role, len(os.listdir(TMP)) + int(time.time() * 1000))
    args = ["user", "add", "--db", db, "--email", email, "--name", "Tests " + role,
            "--role", role, "--password-stdin"]
    if contract is not None:
        args += ["--contract", str(contract)]
    r = run_cli(*args, stdin=b"un mot de passe assez long pour les tests\n")
    if r.returncode != 0:
        raise RuntimeError("boussole user add failed: " + r.stderr)
    r = run_cli("user", "token", "--db", db, "--email", email, "--name", "tests")
    token = r.stdout.decode("utf-8").strip().splitlines()[-1].strip() if r.stdout else ""
    if r.returncode != 0 or not token:
        raise RuntimeError("boussole user token failed: " + r.stderr)
    return token


def bearer(token):
    return {"Authorization": "Bearer " + token}


class Server:
    """One boussole process serving db on a free loopback port."""

    def __init__(self, name, db, command="demo"):
        self.name = name
        self.db = db
        self.command = command
        self.proc = None
        self.port = None
        self.log_path = tmp_path(name + ".log")
        self.returncode = None

    def start(self):
        for _attempt in range(5):
            self.port = free_port()
            log = open(self.log_path, "wb")
            self.proc = subprocess.Popen(
                [BOUSSOLE, self.command, "--db", self.db, "--listen", "127.0.0.1:%d" % self.port],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            deadline = time.time() + 60  # ASan builds load the demo slowly
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                        SERVERS.append(self)
                        return self
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("%s: boussole did not listen on port %d within 60 s:\n%s"
                                   % (self.name, self.port, self.log()))
            if "cannot listen" not in self.log():
                raise RuntimeError("%s: boussole exited with status %s before listening:\n%s"
                                   % (self.name, self.proc.returncode, self.log()))
        raise RuntimeError("%s: no free port found in 5 attempts" % self.name)

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        """Stops the server with SIGTERM; returns a list of problems (empty when it ended well)."""
        if self.proc is None or self.returncode is not None:
            return []
        problems = []
        if self.proc.poll() is not None:
            problems.append("%s: the server died during the tests (status %s)"
                            % (self.name, self.proc.returncode))
        else:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problems.append("%s: the server did not stop within 30 s of SIGTERM" % self.name)
        self.returncode = self.proc.returncode
        if self.returncode not in (0, None) and not problems:
            problems.append("%s: the server exited with status %s after SIGTERM"
                            % (self.name, self.returncode))
        log = self.log()
        if any(mark in log for mark in SANITIZER_MARKS):
            problems.append("%s: sanitizer report in the server's output" % self.name)
        if problems:
            problems.append("---- %s (%s) ----\n%s" % (self.name, self.log_path, log[-6000:]))
        return problems

    def request(self, method, path, body=None, headers=None):
        """Sends one request; returns Response (redirects are not followed)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data, method, path)
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def raw(self, data, shut_write=False):
        """Sends raw bytes (for requests http.client refuses to build); returns the reply."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
            s.sendall(data)
            if shut_write:
                s.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
        return b"".join(chunks)


class Response:
    def __init__(self, status, headers, body, method, path):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.method = method
        self.path = path

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "<%s %s → %d>" % (self.method, self.path, self.status)


_demo_server = None
_demo_error = None


_demo_token = None


def demo_token():
    """A bearer token of an administrator of the demo server's database (made once)."""
    global _demo_token
    if _demo_token is None:
        _demo_token = api_token(demo_server().db)
    return _demo_token


def demo_server():
    """The server of the demo contract, shared by the read-only tests (started once; if it
    cannot start, every test that needs it fails at once with the same reason)."""
    global _demo_server, _demo_error
    if _demo_error is not None:
        raise RuntimeError("the demo server could not start (see the first failure)")
    if _demo_server is None:
        try:
            _demo_server = Server("demo", new_db("demo")).start()
        except Exception as e:
            _demo_error = e
            raise
    return _demo_server


# ---- the data files: expected values come from them, not from the program ----------------------

def read_csv(name):
    with open(os.path.join(DEMO, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class DemoData:
    """The demo's CSV files, read once, with the counts the tests compare against."""

    def __init__(self):
        self.actions = read_csv("actions.csv")
        self.objectives = {o["id"]: o for o in read_csv("objectives.csv")}
        self.statuses = read_csv("action_status.csv")
        self.organisations = {o["id"]: o for o in read_csv("organisations.csv")}
        self.contract = read_csv("contract.csv")[0]

    def lead_carriers(self):
        """Action slug → organisation slug of its lead carrier: the first organisation annex 8
        names, or the 2023 table's when annex 8 names none (data/demo/action_carriers.csv)."""
        rows = read_csv("action_carriers.csv")
        in_annex = {r["action_id"] for r in rows
                    if r["organisation_id"] and "annex8" in r["sources"]}
        lead = {}
        for r in rows:
            source = "annex8" if r["action_id"] in in_annex else "2023"
            if source in r["sources"] and r["organisation_id"] in self.organisations:
                lead.setdefault(r["action_id"], r["organisation_id"])
        return lead

    def ancestor(self, objective_id, level):
        while objective_id:
            o = self.objectives[objective_id]
            if o["level"] == level:
                return o
            objective_id = o["parent_id"]
        return None

    def objectives_of_level(self, level):
        return [o for o in self.objectives.values() if o["level"] == level]

    def status_of(self, action_id, year):
        """Latest status of an action in a year, or None."""
        found = None
        for s in self.statuses:
            if s["action_id"] == action_id and s["year"] == str(year):
                found = s["status"]
        return found

    def status_counts(self, year, action_ids=None):
        counts = {}
        for a in self.actions:
            if action_ids is not None and a["id"] not in action_ids:
                continue
            s = self.status_of(a["id"], year)
            counts[s] = counts.get(s, 0) + 1
        return counts

    def existing(self, year):
        """The ids of the actions that exist in year (a status that year or before): what every
        count of a year takes (src/model/plan/figures.h)."""
        first = {}
        for s in self.statuses:
            first[s["action_id"]] = min(int(s["year"]), first.get(s["action_id"], 9999))
        return {a["id"] for a in self.actions if first.get(a["id"], 9999) <= year}

    def actions_under_specific(self, code):
        return [a for a in self.actions
                if self.ancestor(a["objective_id"], "specific")["code"] == code]


_data = None


def data():
    global _data
    if _data is None:
        _data = DemoData()
    return _data


# ---- text helpers -------------------------------------------------------------------------------

def fold(s):
    """Lower case, accents removed, œ → oe, blanks collapsed (like text_fold in str.c)."""
    s = (s or "").replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().split())


def visible_text(page):
    """The text of an HTML page as a reader sees it: tags removed, entities decoded, blanks
    collapsed."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    return " ".join(html.unescape(page).split())


def escaped(s):
    """s as %h writes it into HTML."""
    return html.escape(s, quote=True).replace("&#x27;", "&#39;")


def count_line(page):
    """The "N actions sur M" count of a list page (UI.md), as (N, M), or None."""
    m = re.search(r"(\d+)\s+(?:actions?|fiches?(?: actions?)?)\s+sur\s+(\d+)", visible_text(page),
                  re.I)
    return (int(m.group(1)), int(m.group(2))) if m else None


def action_ids_in(page):
    """Ids of the actions linked from a page, in order of first appearance."""
    seen = []
    for m in re.finditer(r'href="/actions/(\d+)[?"#]', page):
        i = int(m.group(1))
        if i not in seen:
            seen.append(i)
    return seen


def log(msg):
    print(msg, file=sys.stderr)
