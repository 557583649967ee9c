"""region.py BUILD_DIR — the server time of the regional view (/regions/44 and its API) at 1, 100
and 1000 synthetic contracts, written into bench/SCALE.md between its region markers.

For each N it builds a database with `boussole demo --synthetic N` (every synthetic contract lies
in Grand Est, region 44, the ten departments in turn, generations 1–3: the region holds all N
contracts, the worst case of one ARS reading every contract of the instance), adds an ARS
officer's account for region 44 (`boussole user add --region 44`) and its API token, serves it
on loopback and asks each URL SAMPLES times on one keep-alive connection with the bearer token
(a signed-in request: never from the anonymous cache), once with a status entered in one
contract by another connection before each request, once with no write in between; the
regional page is also asked first thing by a server just started, FIRST_SAMPLES times. It
reports the median and 95th percentile of the server's Server-Timing header (request read to
response queued) and the size of the answer. Never a pass/fail: numbers to read. Each N is measured on SQLite and, when PostgreSQL
and psycopg2 are installed, on PostgreSQL too (a cluster started in a temporary folder by
tests/http/pg.py, the same one the tests use: fsync on, default settings).

Environment: REGION_NS ("1 100 1000"), REGION_SAMPLES (30), REGION_FIRST_SAMPLES (3),
SCALE_PORT (8171), SCALE_DIR (keep and reuse the databases there). Standard library only; the helpers are scale.py's."""

import datetime
import http.client
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "http"))
import scale  # noqa: E402  (same folder)

OUT = scale.OUT
BEGIN, END = "<!-- region.py: begin -->", "<!-- region.py: end -->"
SAMPLES = int(os.environ.get("REGION_SAMPLES", "30"))
FIRST_SAMPLES = int(os.environ.get("REGION_FIRST_SAMPLES", "3"))
PASSWORD = b"une phrase de passe pour le banc d'essai\n"


def officer_token(binary, db):
    email = "ars-bench@region.invalid"
    r = subprocess.run([binary, "user", "list", "--db", db], capture_output=True, text=True)
    if email not in r.stdout:
        subprocess.run([binary, "user", "add", "--db", db, "--email", email, "--name",
                        "Banc ARS", "--region", "44", "--password-stdin"], input=PASSWORD,
                       check=True, capture_output=True)
    r = subprocess.run([binary, "user", "token", "--db", db, "--email", email, "--name", "bench"],
                       check=True, capture_output=True, text=True)
    return r.stdout.strip().splitlines()[-1].strip()


WRITES = [0]


def write_status(db, n):
    """A carrier's status entered in one contract (the next one each time), by another
    connection, as a server beside this one would: the data changes, so the memo of the regional
    answers is stale, and that contract's revision moves, so its figures are read again."""
    WRITES[0] += 1
    contract = WRITES[0] % n + 1
    sql = ("INSERT INTO action_status (action_id, year, status, recorded_at) SELECT min(id), "
           "2024, 'in_progress', '2026-12-01T10:00:00Z' FROM action WHERE contract_id = %d"
           % contract)
    if db.startswith("postgresql:"):
        import psycopg2
        con = psycopg2.connect(db)
        con.cursor().execute(sql)
        con.commit()
        con.close()
        return
    con = sqlite3.connect(db, timeout=30)
    con.execute(sql)
    con.commit()
    con.close()


def measure(port, path, headers, db, n=0):
    """SAMPLES requests after a warm-up; with db, a status is written in one of the n contracts
    before each (the first view after a write); without, none (a repeated view). Server-Timing
    median and p95, size, status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    scale.fetch(conn, path, headers)
    server, status, size = [], None, 0
    for _ in range(SAMPLES):
        if db:
            write_status(db, n)
        status, body, ms, _ = scale.fetch(conn, path, headers)
        if ms is not None:
            server.append(ms)
        size = len(body)
    conn.close()
    server.sort()
    return {"status": status, "size": size,
            "median": statistics.median(server) if server else None,
            "p95": server[int(0.95 * (len(server) - 1))] if server else None}


def urls(n):
    middle = (n + 1) // 2
    return [("Vue régionale (page)", "/regions/44"),
            ("API : résumé de la région", "/api/v1/regions/44/summary"),
            ("Vue régionale, un département", "/regions/44?department=54"),
            ("Détail d'un contrat", "/regions/44/contracts/%d" % middle)]


def database(binary, workdir, n, engine):
    """The synthetic database of n contracts on engine: its --db value and generation time."""
    if engine == "sqlite":
        db = os.path.join(workdir, "region-%d.db" % n)
        return db, scale.build_db(binary, db, n)
    import pg
    db = pg.cluster().create("region_%d" % n)
    t0 = time.perf_counter()
    subprocess.run([binary, "demo", "--synthetic", str(n), "--db", db, "--no-serve"],
                   check=True, stdout=subprocess.DEVNULL)
    gen = time.perf_counter() - t0
    vacuum_analyze(db)
    return db, gen


def vacuum_analyze(db):
    """After the bulk load, the statistics autovacuum would gather a moment later: measured
    while it runs, the first minutes showed its work, not the server's."""
    import psycopg2
    conn = psycopg2.connect(db)
    try:
        conn.autocommit = True
        conn.cursor().execute("VACUUM ANALYZE")
    finally:
        conn.close()


def postgresql_available():
    try:
        import psycopg2  # noqa: F401
        import pg
        return pg.bindir() is not None
    except ImportError:
        return False


def serve(binary, db, port, log=subprocess.DEVNULL):
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
                            stdout=subprocess.DEVNULL, stderr=log)
    scale.wait_listening(port, proc)
    return proc


WARM_LINE = re.compile(r"regional figures of \d+ contracts? counted ahead in (\d+) ms")


def warm_up_ms(log, timeout=300):
    """How long the server's start-up thread took to count the region, from its log line."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        log.seek(0)
        m = WARM_LINE.search(log.read().decode("utf-8", "replace"))
        if m:
            return float(m.group(1))
        time.sleep(0.05)
    return None


def whole_ms(value):
    """The server logs its start-up count in whole milliseconds: no decimals it did not give."""
    return "—" if value is None else "%.0f" % value


def median_and_slowest(times):
    times = sorted(t for t in times if t is not None)
    return {"median": statistics.median(times) if times else None,
            "p95": times[-1] if times else None, "status": 200, "size": 0}


def first_views(binary, db, port, path, headers):
    """FIRST_SAMPLES starts of the server. At each: the first view of path, asked as soon as
    the server listens (its start-up thread may still be counting the region, so this request
    may read every contract itself, in one pass), and the time that thread took, from its log.
    Median and slowest of each, in ms."""
    views, warm = [], []
    for _ in range(FIRST_SAMPLES):
        with tempfile.TemporaryFile() as log:
            proc = serve(binary, db, port, log)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                _, _, ms, _ = scale.fetch(conn, path, headers)
                conn.close()
                views.append(ms)
                warm.append(warm_up_ms(log))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return median_and_slowest(views), median_and_slowest(warm)


def run_n(binary, workdir, port, n, engine="sqlite"):
    db, gen = database(binary, workdir, n, engine)
    print("region: N=%d on %s: database %s" % (n, engine, db), file=sys.stderr)
    token = officer_token(binary, db)
    headers = {"Authorization": "Bearer " + token}
    first, warm_up = first_views(binary, db, port, urls(n)[0][1], headers)
    print("region: N=%d %s first view after start %s ms, counted ahead in %s ms"
          % (n, engine, scale.ms(first["median"]), scale.ms(warm_up["median"])), file=sys.stderr)
    proc = serve(binary, db, port)
    results = []
    try:
        for name, path in urls(n):
            cold = measure(port, path, headers, db, n)
            warm = measure(port, path, headers, None)
            results.append((name, path, {"cold": cold, "warm": warm}))
            print("region: N=%d %s %-32s after a write %s ms, repeated %s ms (status %d, %.0f kB)"
                  % (n, engine, name, scale.ms(cold["median"]), scale.ms(warm["median"]),
                     cold["status"], cold["size"] / 1000), file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"n": n, "engine": engine, "gen_s": gen, "pages": results, "first": first,
            "warm_up": warm_up}


def report(runs, binary, load):
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    heads = ["%s N = %d" % ("SQLite" if r["engine"] == "sqlite" else "PostgreSQL", r["n"])
             for r in runs]
    lines = [BEGIN,
             "Run of %s on %s (`%s`), commit %s. Load average before the run (other work on the "
             "machine): %s." % (when, scale.machine(), binary, scale.git_commit(), load), "",
             "Server time in milliseconds (`Server-Timing`: request read to response queued), "
             "**median / 95th percentile of %d requests** on one keep-alive connection with an "
             "ARS officer's bearer token (never from the anonymous cache). Every synthetic "
             "contract lies in Grand Est, so the region holds all N contracts (one ARS reading "
             "every contract of the instance: the worst case); *un département* keeps one "
             "department of ten (N/10 contracts). *after a write*: before each request another "
             "connection enters a status in one contract (the next one each time), so the "
             "answer is built again and that contract's figures are read from the database "
             "(the others come from the cache of each contract's figures, kept with the "
             "contract's revision: src/model/region/region_cache.c); *repeated*: no write in "
             "between, the answer comes from the region view's memo "
             "(src/web/region/region_memo.c, valid until the data changes). At start the server "
             "counts every region's contracts into that cache on a thread of its own: "
             "*counted ahead at start* is the time that thread took (from the server's log), "
             "*first view after start* the first request, sent as soon as the server listens, "
             "so it may run while the thread counts and read every contract itself, in one "
             "pass (median and slowest of %d starts). Both engines: "
             "SQLite (a file) and PostgreSQL 15 (a local cluster, unix socket, default "
             "settings, `VACUUM ANALYZE` after the load). The goal of issue 14 is under 50 ms at 1,000 contracts."
             % (SAMPLES, FIRST_SAMPLES), "",
             "| page | answer | " + " | ".join(heads) + " |",
             "|" + " --- |" * (2 + len(runs))]
    for i, (name, path, _) in enumerate(runs[-1]["pages"]):
        if i == 0:
            for key, label in (("warm_up", "counted ahead at start"),
                               ("first", "first view after start")):
                lines.append("| %s | %s | %s |" % (
                    "%s (`%s`)" % (name, path) if key == "warm_up" else "", label, " | ".join(
                        "%s / %s" % (whole_ms(r[key]["median"]), whole_ms(r[key]["p95"]))
                        if key == "warm_up" else
                        "%s / %s" % (scale.ms(r[key]["median"]), scale.ms(r[key]["p95"]))
                        for r in runs)))
        for mode, label in (("cold", "after a write"), ("warm", "repeated")):
            cells = []
            for r in runs:
                m = r["pages"][i][2][mode]
                extra = " (%d)" % m["status"] if m["status"] != 200 else ""
                cells.append("%s / %s%s" % (scale.ms(m["median"]), scale.ms(m["p95"]), extra))
            lines.append("| %s | %s | %s |"
                         % ("%s (`%s`)" % (name, path) if mode == "cold" and i else "", label,
                            " | ".join(cells)))
    lines += ["", "Time to generate the database with `boussole demo --synthetic N`: " + "; ".join(
        "%s N = %d: %s" % (r["engine"], r["n"],
                           "%.0f s" % r["gen_s"] if r["gen_s"] is not None else "reused")
        for r in runs) + ".", END]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/region.py BUILD_DIR")
    binary = os.path.join(os.path.abspath(sys.argv[1]), "boussole")
    if not os.path.exists(binary):
        sys.exit("region: %s is missing" % binary)
    ns = [int(x) for x in os.environ.get("REGION_NS", "1 100 1000").split()]
    port = int(os.environ.get("SCALE_PORT", "8171"))
    keep = os.environ.get("SCALE_DIR")
    workdir = keep or tempfile.mkdtemp(prefix="boussole-region-")
    if keep:
        os.makedirs(keep, exist_ok=True)
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    try:
        engines = ["sqlite"] + (["postgresql"] if postgresql_available() else [])
        runs = [run_n(binary, workdir, port, n, e) for e in engines for n in ns]
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    text = open(OUT, encoding="utf-8").read()
    block = report(runs, binary, load)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## The regional view\n\n" + block + "\n"
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("region: wrote %s" % OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
