"""scale.py BUILD_DIR — the measurements behind bench/scale.sh: the server time of the main pages
at N = 1, 100 and 1000 contracts.

For each N it builds a database with `boussole demo --synthetic N` (80 actions a contract, five
years of statuses), serves it on loopback, and asks each page 50 times on one keep-alive
connection, twice: once as an anonymous visitor whose answer comes from the server's cache
(src/web/core/cache.c keeps anonymous GET answers until the data changes), once with a harmless
cookie (bsl_pre=x) that makes the server render the page again each time. It reports the median
and the 95th percentile of the Server-Timing header (the time the server spent, from the request
to the response being queued) and writes the Markdown tables into bench/SCALE.md between the
markers, keeping the notes written around them. Never a pass/fail: numbers to read.

Environment: SCALE_NS ("1 100 1000"), SCALE_PORT (8170), SCALE_DIR (a folder whose databases are
kept and reused; by default a temporary one, removed at the end). Standard library only."""

import datetime
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "SCALE.md")
BEGIN, END = "<!-- scale.py: begin -->", "<!-- scale.py: end -->"
SAMPLES = 50
RENDER_COOKIE = {"Cookie": "bsl_pre=x"}  # any cookie bypasses the anonymous cache


def wait_listening(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited with status %s" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("nothing listens on port %d after %d s" % (port, timeout))


def fetch(conn, path, headers):
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    timing = r.getheader("Server-Timing") or ""
    ms = None
    for part in timing.split(";"):
        if part.strip().startswith("dur="):
            ms = float(part.strip()[4:])
    return r.status, body, ms, r.getheader("X-Cache")


def measure(port, path, headers):
    """SAMPLES requests after one warm-up: server times, round trips, size, status, cache hits."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    fetch(conn, path, headers)
    server, rtt, hits, status, size = [], [], 0, None, 0
    for _ in range(SAMPLES):
        t0 = time.perf_counter()
        status, body, ms, cache = fetch(conn, path, headers)
        rtt.append((time.perf_counter() - t0) * 1000)
        if ms is not None:
            server.append(ms)
        hits += cache == "hit"
        size = len(body)
    conn.close()
    server.sort()
    return {"status": status, "size": size, "hits": hits,
            "median": statistics.median(server) if server else None,
            "p95": server[int(0.95 * (len(server) - 1))] if server else None,
            "rtt": statistics.median(rtt)}


def get_json(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body, _, _ = fetch(conn, path, RENDER_COOKIE)
    conn.close()
    if status != 200:
        raise RuntimeError("GET %s answered %d" % (path, status))
    return json.loads(body)


def pages(port, n):
    """The measured URLs, on the middle contract (synthetic contract (N+1)/2)."""
    want = "CLS synthétique %d" % ((n + 1) // 2)
    contracts = get_json(port, "/api/v1/contracts")["contracts"]
    cid = next(c["id"] for c in contracts if c.get("short_title") == want)
    actions = get_json(port, "/api/v1/contracts/%d/actions" % cid)["actions"]
    aid = actions[len(actions) // 2]["id"]
    return [("Tableau de bord", "/contracts/%d/dashboard" % cid),
            ("Liste des actions", "/contracts/%d/actions" % cid),
            ("Fiche action", "/actions/%d" % aid),
            ("Index des contrats", "/"),
            ("API : contrats", "/api/v1/contracts"),
            ("API : actions d'un contrat", "/api/v1/contracts/%d/actions" % cid)]


def build_db(binary, path, n):
    if os.path.exists(path):
        return None
    t0 = time.perf_counter()
    subprocess.run([binary, "demo", "--synthetic", str(n), "--db", path, "--no-serve"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run_n(binary, workdir, port, n):
    db = os.path.join(workdir, "scale-%d.db" % n)
    print("scale: N=%d: database %s" % (n, db), file=sys.stderr)
    gen = build_db(binary, db, n)
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        results = []
        for name, path in pages(port, n):
            rendered = measure(port, path, RENDER_COOKIE)
            cached = measure(port, path, {})
            results.append((name, path, rendered, cached))
            print("scale: N=%d %-28s rendered %.3f ms, cached %.3f ms" %
                  (n, name, rendered["median"], cached["median"]), file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    size = os.path.getsize(db)
    return {"n": n, "gen_s": gen, "db_mb": size / 1e6, "pages": results}


def machine():
    cpu, mem = "unknown", "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")),
                       cpu)
        with open("/proc/meminfo") as f:
            mem = "%.1f GiB" % (int(f.readline().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return "%s, %s cores, %s RAM, %s %s" % (cpu, os.cpu_count(), mem, platform.system(),
                                            platform.release())


def git_commit():
    r = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True,
                       text=True)
    return r.stdout.strip() or "?"


def ms(v):
    return "—" if v is None else ("%.2f" % v if v < 100 else "%.0f" % v)


def table(runs):
    ns = [r["n"] for r in runs]
    head = "| page | answer | " + " | ".join("N = %d" % n for n in ns) + " |"
    lines = [head, "|" + " --- |" * (2 + len(ns))]
    for i, (name, _, _, _) in enumerate(runs[-1]["pages"]):
        for mode in ("rendered", "cached"):
            cells = []
            for r in runs:
                _, _, rendered, cached = r["pages"][i]
                m = rendered if mode == "rendered" else cached
                extra = " (%d)" % m["status"] if m["status"] != 200 else ""
                cells.append("%s / %s%s" % (ms(m["median"]), ms(m["p95"]), extra))
            label = "rendered (cookie)" if mode == "rendered" else "cached (anonymous)"
            lines.append("| %s | %s | %s |" % (name if mode == "rendered" else "", label,
                                                " | ".join(cells)))
    return "\n".join(lines)


def sizes(runs):
    ns = [r["n"] for r in runs]
    lines = ["| page | " + " | ".join("N = %d" % n for n in ns) + " |",
             "|" + " --- |" * (1 + len(ns))]
    for i, (name, _, _, _) in enumerate(runs[-1]["pages"]):
        cells = []
        for r in runs:
            _, _, rendered, _ = r["pages"][i]
            cells.append("%.1f kB, %s ms" % (rendered["size"] / 1000, ms(rendered["rtt"])))
        lines.append("| %s | %s |" % (name, " | ".join(cells)))
    return "\n".join(lines)


def report(runs, binary, load):
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    gen = ", ".join("N = %d: %s, %.0f MB" % (r["n"], "%.1f s" % r["gen_s"]
                                             if r["gen_s"] is not None else "reused",
                                             r["db_mb"]) for r in runs)
    hits = all(p[3]["hits"] == SAMPLES for r in runs for p in r["pages"] if p[3]["status"] == 200)
    return "\n".join([
        BEGIN,
        "Run of %s on %s (`%s`), commit %s. Load average before the run (other work on the "
        "machine): %s." % (when, machine(), binary, git_commit(), load),
        "",
        "Server time in milliseconds (the `Server-Timing` header: from the request read to the "
        "response queued), **median / 95th percentile of %d requests** on one keep-alive "
        "connection, on the middle contract (synthetic contract (N+1)/2, 80 actions, statuses "
        "2020–2024). *rendered (cookie)*: the request carries the harmless cookie `bsl_pre=x`, "
        "so the anonymous cache is bypassed and the page is built from the database each time "
        "(what a signed-in person gets); *cached (anonymous)*: the same URL without a cookie, "
        "answered from the cache of src/web/core/cache.c%s." %
        (SAMPLES, "" if hits else " (**not every answer was a cache hit**)"),
        "",
        table(runs),
        "",
        "With N = 1 the index `/` redirects (303) to the only contract.",
        "",
        "Size of the rendered answer and median round trip seen by the client (loopback):",
        "",
        sizes(runs),
        "",
        "Databases (`boussole demo --synthetic N`, generation time and file size): %s." % gen,
        END])


def write(text):
    old = ""
    if os.path.exists(OUT):
        with open(OUT, encoding="utf-8") as f:
            old = f.read()
    if BEGIN in old and END in old:
        text = old[:old.index(BEGIN)] + text + old[old.index(END) + len(END):]
    else:
        text = "# Boussole at scale\n\n`bench/scale.sh BUILD_DIR` writes the tables below.\n\n" + \
            text + "\n"
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 2:
        print("usage: scale.py BUILD_DIR", file=sys.stderr)
        return 2
    binary = os.path.join(os.path.abspath(sys.argv[1]), "boussole")
    ns = [int(x) for x in os.environ.get("SCALE_NS", "1 100 1000").split()]
    port = int(os.environ.get("SCALE_PORT", "8170"))
    keep = os.environ.get("SCALE_DIR")
    workdir = keep or tempfile.mkdtemp(prefix="boussole-scale-")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    os.makedirs(workdir, exist_ok=True)
    try:
        runs = [run_n(binary, workdir, port, n) for n in ns]
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    shown = os.path.relpath(binary, ROOT)
    write(report(runs, binary if shown.startswith("..") else shown, load))
    print("scale: wrote %s" % os.path.relpath(OUT, ROOT), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
