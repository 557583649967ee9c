"""crash.py BOUSSOLE [--pg] [--rounds N] [--writers W] [--port P] [--seed S] [--keep] — crash
safety of the writes (issue 5): loads the demo into a temporary database, gives the demo
coordinator an API token, then for each round starts `boussole serve`, runs W concurrent writers
that record yearly statuses through POST /api/v1/actions/{id}/status with distinct remarks
("crash-R-W-N"), notes every write answered 2xx, kills the server with SIGKILL at a random
moment, and checks on the file that every acknowledged write is there and that PRAGMA
integrity_check says ok. The next round's server, started on the same file, must also show the
previous round's writes through GET /api/v1/actions/{id}. Prints one line per round, the totals
(rounds, writes acknowledged, writes lost: must be 0) and, LAST, "crash: N passed, M failed"
(rounds). Standard library only;
must not hold anything but this test.

--pg: the same on PostgreSQL: a cluster started for the run in a temporary folder (fsync on;
tests/http/pg.py), the server on its URI; the server is killed, PostgreSQL is not. Integrity is
then amcheck's bt_index_check of every index (heap included) and a consistency query (no status
without its action, ids unique) instead of PRAGMA integrity_check."""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HTTP_TESTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http")

COORDINATOR = "coordination@cls-demo.invalid"
STATUSES = ["done_closed", "done_recurring", "done", "in_progress", "reflection",
            "not_started", "abandoned"]
YEARS = [2020, 2021, 2022, 2023]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("crash: %s failed (%d): %s" % (" ".join(cmd[:2]), r.returncode,
                                                  r.stderr.strip()[-500:]))
    return r.stdout


class Server:
    """One `boussole serve` on the test database; killed with SIGKILL, never asked to stop."""

    def __init__(self, binary, db, port, log):
        self.port = port
        self.log = open(log, "ab")
        self.proc = subprocess.Popen(
            [binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
            stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/api/v1/contracts")
                ok = c.getresponse().status == 200
                c.close()
                if ok:
                    return True
            except OSError:
                pass
            time.sleep(0.02)
        return False

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()


def get_json(port, path, token):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 200:
        raise RuntimeError("GET %s: %d" % (path, r.status))
    return json.loads(body)


class Writer(threading.Thread):
    """Records statuses until the server dies; acked gets (action, year, status, remarks) of
    every write answered 2xx."""

    def __init__(self, port, token, actions, rnd, round_no, writer_no):
        super().__init__(daemon=True)
        self.port, self.token, self.actions = port, token, actions
        self.rnd = random.Random(rnd.random())
        self.round_no, self.writer_no = round_no, writer_no
        self.acked, self.refused, self.unanswered = [], 0, 0
        self.other_errors = []

    def run(self):
        conn = None
        n = 0
        while True:
            n += 1
            action = self.rnd.choice(self.actions)
            year = self.rnd.choice(YEARS)
            status = self.rnd.choice(STATUSES)
            remarks = "crash-%d-%d-%d" % (self.round_no, self.writer_no, n)
            body = json.dumps({"year": year, "status": status, "remarks": remarks,
                               "recommendations": "écrit par le test de crash"})
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("POST", "/api/v1/actions/%d/status" % action, body=body.encode(),
                             headers={"Authorization": "Bearer " + self.token,
                                      "Content-Type": "application/json"})
                r = conn.getresponse()
                answer = r.read()
            except (OSError, http.client.HTTPException):
                self.unanswered += 1  # the server died (or is dying): not acknowledged
                return
            if 200 <= r.status < 300:
                self.acked.append((action, year, status, remarks))
            elif r.status in (503, 429):
                self.refused += 1  # said so: not acknowledged, nothing promised
            else:
                self.other_errors.append("%d %s" % (r.status, answer[:200]))
                return


def connect(db):
    if db.startswith("postgresql://"):
        import pg
        return pg.Connection(db)
    return sqlite3.connect(db, timeout=30)


def pg_integrity(con):
    """PostgreSQL's counterpart of PRAGMA integrity_check: amcheck verifies every B-tree index
    of the schema against its table, and a query checks what the schema promises (each status
    belongs to an action, ids unique). ["ok"] or the problems."""
    problems = []
    con.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    con.commit()
    indexes = [n for (n,) in con.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
        "WHERE n.nspname = current_schema() AND a.amname = 'btree'")]
    for name in indexes:
        try:
            con.execute("SELECT bt_index_check(?::regclass, true)", ('"%s"' % name,))
        except Exception as e:  # psycopg2's errors: the index or its table is damaged
            con.rollback()
            problems.append("index %s: %s" % (name, str(e).strip()))
    orphans, dups = con.execute(
        "SELECT (SELECT count(*) FROM action_status s WHERE NOT EXISTS (SELECT 1 FROM action a "
        "WHERE a.id = s.action_id)), (SELECT count(*) - count(DISTINCT id) FROM action_status)"
    ).fetchone()
    if orphans:
        problems.append("%d statuses without their action" % orphans)
    if dups:
        problems.append("%d duplicate status ids" % dups)
    if not indexes:
        problems.append("no index found to check")
    return problems or ["ok"]


def lost_writes(db, acked):
    """Acknowledged writes missing from the database, and the integrity check's answer."""
    con = connect(db)
    try:
        if db.startswith("postgresql://"):
            integrity = [(line,) for line in pg_integrity(con)]
        else:
            integrity = con.execute("PRAGMA integrity_check").fetchall()
        have = set(con.execute(
            "SELECT action_id, year, status, remarks FROM action_status "
            "WHERE remarks LIKE 'crash-%'").fetchall())
    finally:
        con.close()
    lost = [w for w in acked if w not in have]
    return lost, [row[0] for row in integrity]


def seen_through_api(port, token, sample):
    """Of a sample of acknowledged writes, those the restarted server does not show (read with
    the token: remarks are not public)."""
    missing = []
    for action, year, status, remarks in sample:
        d = get_json(port, "/api/v1/actions/%d" % action, token)
        if not any(s["year"] == year and s["status"] == status and s["remarks"] == remarks
                   for s in d["statuses"]):
            missing.append((action, year, status, remarks))
    return missing


def main():
    p = argparse.ArgumentParser()
    p.add_argument("boussole")
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--min-ms", type=int, default=100, help="earliest kill after the writers start")
    p.add_argument("--max-ms", type=int, default=1500, help="latest kill")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--pg", action="store_true", help="on a PostgreSQL cluster started for the run")
    a = p.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    binary = os.path.abspath(a.boussole)
    work = tempfile.mkdtemp(prefix="boussole-crash-")
    if a.pg:
        sys.path.insert(0, HTTP_TESTS)
        import pg
        try:
            cluster = pg.cluster()  # stopped and removed at exit, even on failure
        except Exception as e:
            print("crash: PostgreSQL could not start: %s" % e)
            print("crash: 0 passed, 1 failed")
            return 1
        db = cluster.create("crash")
    else:
        db = os.path.join(work, "crash.db")
    log = os.path.join(work, "server.log")
    port = a.port or free_port()
    print("crash: seed %d, %d rounds, %d writers, database %s" % (seed, a.rounds, a.writers, db),
          flush=True)

    run([binary, "demo", "--db", db, "--no-serve"])
    token = run([binary, "user", "token", "--db", db, "--email", COORDINATOR,
                 "--name", "crash test"]).strip()
    con = connect(db)
    actions = [r[0] for r in con.execute("SELECT id FROM action WHERE archived = 0")]
    con.close()
    if not token or not actions:
        sys.exit("crash: no token or no action in the demo database")

    passed = failed = 0
    total_acked = total_lost = total_refused = total_unanswered = 0
    previous = []  # the last round's acknowledged writes, to read back through the API
    started = time.monotonic()
    for round_no in range(1, a.rounds + 1):
        problems = []
        server = Server(binary, db, port, log)
        if not server.wait_ready():
            server.kill()
            failed += 1
            print("round %d: the server did not start again (see %s)" % (round_no, log),
                  flush=True)
            break
        if previous:
            sample = rnd.sample(previous, min(10, len(previous)))
            try:
                missing = seen_through_api(port, token, sample)
            except (OSError, RuntimeError, ValueError) as e:
                missing, problems = [], problems + ["reading back: %s" % e]
            if missing:
                problems.append("%d acknowledged writes of the last round not shown by the "
                                "restarted server, e.g. %r" % (len(missing), missing[0]))
        writers = [Writer(port, token, actions, rnd, round_no, w + 1)
                   for w in range(a.writers)]
        for w in writers:
            w.start()
        time.sleep(rnd.uniform(a.min_ms, a.max_ms) / 1000.0)
        if server.proc.poll() is not None:
            problems.append("the server died on its own (exit %s) before the kill: see %s"
                            % (server.proc.returncode, log))
        server.kill()
        for w in writers:
            w.join(timeout=30)
            if w.is_alive():
                problems.append("writer %d still waiting 30 s after the kill" % w.writer_no)
        acked = [x for w in writers for x in w.acked]
        refused = sum(w.refused for w in writers)
        unanswered = sum(w.unanswered for w in writers)
        for w in writers:
            problems += ["writer %d got %s" % (w.writer_no, e) for e in w.other_errors]
        lost, integrity = lost_writes(db, acked)
        if integrity != ["ok"]:
            problems.append("integrity_check: %s" % "; ".join(integrity[:5]))
        if lost:
            problems.append("%d acknowledged writes lost, e.g. %r" % (len(lost), lost[0]))
        total_acked += len(acked)
        total_lost += len(lost)
        total_refused += refused
        total_unanswered += unanswered
        previous = acked
        ok = not problems
        passed += ok
        failed += not ok
        print("round %d: %s — %d writes acknowledged, %d lost, %d refused (503/429), %d cut by "
              "the kill, integrity %s" % (round_no, "ok" if ok else "FAILED", len(acked),
                                          len(lost), refused, unanswered,
                                          ",".join(integrity[:1])), flush=True)
        for m in problems:
            print("    " + m, flush=True)

    with open(log, "rb") as f:
        reports = [line for line in f.read().decode("utf-8", "replace").splitlines()
                   if "Sanitizer" in line or "runtime error:" in line]
    if reports:
        failed += 1
        print("crash: sanitizer reports in the server log, e.g. %s" % reports[0])
    if total_acked == 0:
        failed += 1
        print("crash: no write was acknowledged in any round: the test proved nothing")
    print("crash: rounds %d, writes acknowledged %d, writes lost %d, refused %d, cut by the "
          "kill %d, %.1f s" % (passed + failed, total_acked, total_lost, total_refused,
                               total_unanswered, time.monotonic() - started))
    if failed or a.keep:
        if a.pg:  # the cluster's folder is removed at exit: its log stays with the files
            shutil.copy(pg.cluster().log_path, os.path.join(work, "postgresql.log"))
        print("crash: files kept in %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("crash: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
