"""region.py BUILD_DIR — the server time of the regional view (/regions/44 and its API) at 1, 100
and 1000 synthetic contracts, written into bench/SCALE.md between its region markers.

For each N it builds a database with `boussole demo --synthetic N` (every synthetic contract lies
in Grand Est, region 44, the ten departments in turn, generations 1–3: the region holds all N
contracts, the worst case of one ARS reading every contract of the instance), adds an ARS
officer's account for region 44 (`boussole user add --region 44`) and its API token, serves it
on loopback and asks each URL SAMPLES times on one keep-alive connection with the bearer token
(a signed-in request: never from the anonymous cache). It reports the median and 95th percentile
of the server's Server-Timing header (request read to response queued) and the size of the
answer. Never a pass/fail: numbers to read.

Environment: REGION_NS ("1 100 1000"), SCALE_PORT (8171), SCALE_DIR (keep and reuse the
databases there). Standard library only; the helpers are scale.py's."""

import datetime
import http.client
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402  (same folder)

OUT = scale.OUT
BEGIN, END = "<!-- region.py: begin -->", "<!-- region.py: end -->"
SAMPLES = int(os.environ.get("REGION_SAMPLES", "30"))
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


def bump(db):
    """A write by another connection (the header's user_version, which Boussole does not use,
    set and set back): the server's store_generation moves, so its memo of the regional answers
    is stale and the next request reads the database again."""
    con = sqlite3.connect(db, timeout=30)
    v = con.execute("PRAGMA user_version").fetchone()[0]
    con.execute("PRAGMA user_version = %d" % (v + 1))
    con.commit()
    con.execute("PRAGMA user_version = %d" % v)
    con.commit()
    con.close()


def measure(port, path, headers, db):
    """SAMPLES requests after a warm-up; with db, a write comes before each (the first view after
    a write); without, none (a repeated view). Server-Timing median and p95, size, status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    scale.fetch(conn, path, headers)
    server, status, size = [], None, 0
    for _ in range(SAMPLES):
        if db:
            bump(db)
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


def run_n(binary, workdir, port, n):
    db = os.path.join(workdir, "region-%d.db" % n)
    print("region: N=%d: database %s" % (n, db), file=sys.stderr)
    gen = scale.build_db(binary, db, n)
    token = officer_token(binary, db)
    headers = {"Authorization": "Bearer " + token}
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []
    try:
        scale.wait_listening(port, proc)
        for name, path in urls(n):
            cold = measure(port, path, headers, db)
            warm = measure(port, path, headers, None)
            results.append((name, path, {"cold": cold, "warm": warm}))
            print("region: N=%d %-32s after a write %s ms, repeated %s ms (status %d, %.0f kB)"
                  % (n, name, scale.ms(cold["median"]), scale.ms(warm["median"]),
                     cold["status"], cold["size"] / 1000), file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"n": n, "gen_s": gen, "db_mb": os.path.getsize(db) / 1e6, "pages": results}


def report(runs, binary, load):
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    ns = [r["n"] for r in runs]
    lines = [BEGIN,
             "Run of %s on %s (`%s`), commit %s. Load average before the run (other work on the "
             "machine): %s." % (when, scale.machine(), binary, scale.git_commit(), load), "",
             "Server time in milliseconds (`Server-Timing`: request read to response queued), "
             "**median / 95th percentile of %d requests** on one keep-alive connection with an "
             "ARS officer's bearer token (never from the anonymous cache). Every synthetic "
             "contract lies in Grand Est, so the region holds all N contracts (one ARS reading "
             "every contract of the instance: the worst case); *un département* keeps one "
             "department of ten (N/10 contracts). *after a write*: another connection writes "
             "before each request, so the figures are read from the database every time; "
             "*repeated*: no write in between, the answer comes from the region view's memo "
             "(src/web/region/region_memo.c, valid until the data changes). SQLite; the "
             "PostgreSQL column is to be measured when the PostgreSQL backend lands."
             % SAMPLES, "",
             "| page | answer | " + " | ".join("N = %d" % n for n in ns) + " | PostgreSQL |",
             "|" + " --- |" * (3 + len(ns))]
    for i, (name, path, _) in enumerate(runs[-1]["pages"]):
        for mode, label in (("cold", "after a write"), ("warm", "repeated")):
            cells = []
            for r in runs:
                m = r["pages"][i][2][mode]
                extra = " (%d)" % m["status"] if m["status"] != 200 else ""
                cells.append("%s / %s%s" % (scale.ms(m["median"]), scale.ms(m["p95"]), extra))
            lines.append("| %s | %s | %s | to be measured when the PostgreSQL backend lands |"
                         % ("%s (`%s`)" % (name, path) if mode == "cold" else "", label,
                            " | ".join(cells)))
    lines += ["", "Size of the answer: " + "; ".join(
        "N = %d: %s" % (r["n"], ", ".join("%s %.0f kB" % (p[0], p[2]["cold"]["size"] / 1000)
                                          for p in r["pages"])) for r in runs) + ".", END]
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
        runs = [run_n(binary, workdir, port, n) for n in ns]
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
