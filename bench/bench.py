"""bench.py BUILD_DIR — the measurements behind `make bench` (called by bench/run.sh).

Loads the demo into a temporary database, serves it with BUILD_DIR/boussole on a free loopback
port, saves the bodies of the benchmarked pages (dashboard, action list, action page, API
list), serves those same bytes with nginx (Debian's nginx-light, run as the current user from a generated configuration in a
temporary folder: no daemon, its own pid, logs and temporary paths), then runs wrk against both
in the same run and writes bench/RESULTS.md: requests/s and p99 latency per page and
concurrency, the ratio to nginx, the server time reported by Server-Timing, memory under load
and start-up time. Never a pass/fail: numbers to read. Standard library only."""

import datetime
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = [("dashboard", "/contracts/1/dashboard?year=2023"),
         ("action list", "/contracts/1/actions?year=2023"),
         ("action page", "/actions/10"),
         ("API action list", "/api/v1/contracts/1/actions?year=2023")]
CONNECTIONS = (16, 64)
DURATION_S = int(os.environ.get("BENCH_DURATION", "10"))
THREADS = 2
TIMING_SAMPLES = 50


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited with status %s" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("nothing listens on port %d after %d s" % (port, timeout))


def get(port, path, conn=None, headers=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        raise RuntimeError("GET %s answered %d" % (path, r.status))
    return body, dict((k.lower(), v) for k, v in r.getheaders())


def keeps_alive(port, path):
    """True when the server answers two requests on one connection (HTTP/1.1 keep-alive)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        if (r.getheader("Connection") or "").lower() == "close":
            return False
        c.request("GET", path)
        c.getresponse().read()
        return True
    except (http.client.HTTPException, OSError):
        return False
    finally:
        c.close()


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def rss_kb(pid, field="VmRSS"):
    """A memory figure of /proc/PID/status in kB: VmRSS now, VmHWM the peak since start."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak(pid):
    """Resets the VmHWM of pid to its VmRSS; False when the kernel refused."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url, connections, pid=None, token=None, cookie=None):
    """Runs wrk; returns (requests/s, p99 ms, non-2xx count, peak RSS kB of pid)."""
    cmd = ["wrk", "-t%d" % THREADS, "-c%d" % connections, "-d%ds" % DURATION_S, "--latency",
           url]
    if token:
        cmd[1:1] = ["-H", "Authorization: Bearer " + token]
    if cookie:
        cmd[1:1] = ["-H", "Cookie: " + cookie]
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.25):
            if pid:
                peak[0] = max(peak[0], rss_kb(pid))

    t = threading.Thread(target=sample)
    t.start()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                             timeout=DURATION_S + 30).stdout
    finally:
        done.set()
        t.join()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    p99 = to_ms(m.group(1), m.group(2))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else "", "rss_peak": peak[0],
            "raw": out}


CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
NGINX_CONF = """\
{user}worker_processes {workers};
daemon off;
master_process on;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; }}
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        # The same headers boussole sends, so both answers have about the same size.
        add_header Content-Security-Policy "{csp}";
        add_header X-Content-Type-Options nosniff;
        add_header Referrer-Policy same-origin;
        add_header Cache-Control no-cache;
        location / {{ }}
    }}
}}
"""


def make_token(binary, db):
    """A bearer token of a coordinator of contract 1, or None when accounts are not there."""
    r = subprocess.run([binary, "user", "add", "--db", db, "--email", "bench@bench.example",
                        "--name", "Bench", "--role", "coordinator", "--contract", "1",
                        "--password-stdin"], input=b"un mot de passe pour le banc d'essai\n",
                       capture_output=True)
    if r.returncode != 0:
        return None
    r = subprocess.run([binary, "user", "token", "--db", db, "--email", "bench@bench.example",
                        "--name", "bench"], capture_output=True, text=True)
    lines = r.stdout.strip().splitlines()
    return lines[-1].strip() if r.returncode == 0 and lines else None


def make_session(port):
    """Signs the bench's coordinator in through /login; returns its session cookie (name=value),
    or None."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/login")
        r = conn.getresponse()
        page = r.read().decode("utf-8")
        pre = re.search(r"bsl_pre=([^;]+)", r.getheader("Set-Cookie") or "").group(1)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"email": "bench@bench.example", "next": "/", "csrf": csrf,
                                       "password": "un mot de passe pour le banc d'essai"})
        conn.request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": "bsl_pre=" + pre})
        r = conn.getresponse()
        r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("bsl_session="):
                return v.split(";")[0]
    except (OSError, AttributeError):
        pass
    return None


def server_times(port, path, headers=None, unique=False):
    """Server-Timing durations (ms) of TIMING_SAMPLES sequential requests."""
    samples = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for i in range(TIMING_SAMPLES):
        p = path + ("%sbench=%d" % ("&" if "?" in path else "?", i) if unique else "")
        _, h = get(port, p, conn, headers)
        m = re.search(r"dur=([\d.]+)", h.get("server-timing", ""))
        if m:
            samples.append(float(m.group(1)))
    conn.close()
    return samples


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = "%.1f GiB" % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "nproc": os.cpu_count(), "mem": mem,
            "kernel": platform.system() + " " + platform.release()}


def version(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return (r.stdout + r.stderr).strip().splitlines()[0] if (r.stdout + r.stderr).strip() else "?"


def git_commit():
    r = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True,
                       text=True)
    return r.stdout.strip() or "?"


def fmt_ms(ms):
    return "%.2f ms" % ms if ms < 100 else "%.0f ms" % ms


def main():
    if len(sys.argv) != 2:
        print("usage: bench.py BUILD_DIR", file=sys.stderr)
        return 2
    binary = os.path.join(os.path.abspath(sys.argv[1]), "boussole")
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            print("bench: %s is missing (scripts/deps.sh installs it)" % tool, file=sys.stderr)
            return 1
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with open(binary, "rb") as f:
        sanitized = b"__asan_init" in f.read()
    tmp = tempfile.mkdtemp(prefix="boussole-bench-")
    procs = []
    started = time.time()
    try:
        db = os.path.join(tmp, "bench.db")
        print("bench: loading the demo into %s" % db, flush=True)
        subprocess.run([binary, "demo", "--db", db, "--no-serve"], check=True,
                       capture_output=True)
        token = make_token(binary, db)

        port = free_port()
        t0 = time.time()
        bous = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
                                stdout=open(os.path.join(tmp, "boussole.log"), "wb"),
                                stderr=subprocess.STDOUT)
        procs.append(bous)
        wait_listening(port, bous)
        startup_ms = (time.time() - t0) * 1000
        get(port, "/contracts/1")  # opens the worker's database
        rss_idle = rss_kb(bous.pid)
        keepalive = keeps_alive(port, PAGES[0][1])
        load_before = loadavg()

        os.makedirs(os.path.join(tmp, "www"))
        bodies, timings = {}, {}
        auth = {"Authorization": "Bearer " + token} if token else None
        session = make_session(port) if token else None
        for name, path in PAGES:
            body, _ = get(port, path)
            file = name.replace(" ", "-") + ".html"
            with open(os.path.join(tmp, "www", file), "wb") as f:
                f.write(body)
            bodies[name] = (file, len(body))
            # Visitors' answers come from a cache while the data is unchanged; a query
            # parameter the page ignores makes each request a miss, rendered in full.
            timings[name] = {"anonymous, cached": server_times(port, path),
                             "anonymous, rendered": server_times(port, path, unique=True)}
            if auth:
                timings[name]["signed in (token)"] = server_times(port, path, auth)
                if session:
                    timings[name]["signed in (session)"] = server_times(
                        port, path, {"Cookie": session})
                signed_body, h = get(port, path, headers=auth)
                bodies[name] += (len(signed_body), h.get("x-boussole-cache", "none"))

        nport = free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=nport, workers=os.cpu_count() or 1, csp=CSP,
                                      user="user root;\n" if os.geteuid() == 0 else ""))
        ng = subprocess.Popen([nginx, "-c", conf, "-p", tmp, "-e",
                               os.path.join(tmp, "nginx-error.log")],
                              stdout=subprocess.DEVNULL, stderr=open(
                                  os.path.join(tmp, "nginx.log"), "wb"))
        procs.append(ng)
        wait_listening(nport, ng)
        for name, (file, size, *_) in bodies.items():
            body, _ = get(nport, "/" + file)
            if len(body) != size:
                raise RuntimeError("nginx serves %d bytes for %s, boussole %d"
                                   % (len(body), name, size))

        # The sign-in above hashed a password (Argon2id takes 64 MiB for a moment, then gives
        # it back): the peak under load is measured from here (Linux: clear_refs 5 resets
        # VmHWM to the current VmRSS).
        hwm_before = rss_kb(bous.pid, "VmHWM")
        hwm_reset = reset_peak(bous.pid)
        results = []
        for name, path in PAGES:
            for c in CONNECTIONS:
                print("bench: %s, %d connections: boussole…" % (name, c), flush=True)
                b = run_wrk("http://127.0.0.1:%d%s" % (port, path), c, bous.pid)
                print("bench: %s, %d connections: nginx…" % (name, c), flush=True)
                n = run_wrk("http://127.0.0.1:%d/%s" % (nport, bodies[name][0]), c)
                results.append((name, c, b, n))
                print("bench:   boussole %.0f req/s p99 %s | nginx %.0f req/s p99 %s"
                      % (b["rps"], fmt_ms(b["p99"]), n["rps"], fmt_ms(n["p99"])), flush=True)
        signed = []
        for name, path in PAGES if token else []:
            for c in CONNECTIONS:
                print("bench: %s, %d connections, signed in: boussole…" % (name, c), flush=True)
                b = run_wrk("http://127.0.0.1:%d%s" % (port, path), c, bous.pid, token)
                signed.append((name, c, b, next(n for x, y, _, n in results
                                                 if x == name and y == c)))
                print("bench:   boussole %.0f req/s p99 %s" % (b["rps"], fmt_ms(b["p99"])),
                      flush=True)
        browser = []
        for name, path in PAGES if session else []:
            for c in CONNECTIONS:
                print("bench: %s, %d connections, session: boussole…" % (name, c), flush=True)
                b = run_wrk("http://127.0.0.1:%d%s" % (port, path), c, bous.pid, cookie=session)
                browser.append((name, c, b, next(n for x, y, _, n in results
                                                  if x == name and y == c)))
                print("bench:   boussole %.0f req/s p99 %s" % (b["rps"], fmt_ms(b["p99"])),
                      flush=True)
        rss_after = rss_kb(bous.pid)
        hwm = (rss_kb(bous.pid, "VmHWM"), hwm_before, hwm_reset)
        write_results(results, signed + [("%s, session" % n, c, b, x) for n, c, b, x in browser],
                      bodies, timings, rss_idle, (rss_after, hwm), startup_ms,
                      sanitized, nginx, time.time() - started, keepalive,
                      (load_before, loadavg()))
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM if p is procs[0] else signal.SIGQUIT)
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def write_results(results, signed, bodies, timings, rss_idle, rss_end, startup_ms, sanitized,
                  nginx, elapsed, keepalive, loads):
    rss_after, (hwm, hwm_before, hwm_reset) = rss_end
    m = machine()
    now = datetime.datetime.now().astimezone()
    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    w("Written by `make bench` (`bench/run.sh`, `bench/bench.py`) on %s; the run took %.0f s."
      % (now.strftime("%Y-%m-%d %H:%M %Z"), elapsed))
    w("")
    w("## Machine")
    w("")
    w("- CPU: %s, %s logical cores (`nproc`)" % (m["cpu"], m["nproc"]))
    w("- Memory: %s" % m["mem"])
    w("- Kernel: %s" % m["kernel"])
    w("- boussole: repository at commit %s%s" % (
        git_commit(), ", **built with sanitizers: figures not representative**" if sanitized
        else ", release build"))
    w("- nginx: %s (`%s`), %d worker processes" % (version([nginx, "-v"]).replace(
        "nginx version: ", ""), nginx, m["nproc"] or 1))
    w("- wrk: %s" % version(["wrk", "-v"]).split(" Copyright")[0])
    w("- Load average (1, 5, 15 min) before the measures: %s; after: %s. Anything well above 0 "
      "means other work shared the cores during the run." % loads)
    w("")
    w("## Method")
    w("")
    w("The demo contract (76 actions, statuses 2020–2023) is loaded into a fresh SQLite "
      "database and served by `boussole serve` (one worker thread and one database connection "
      "per core). The two pages below are fetched once and their bytes saved to files that "
      "nginx serves from a generated configuration (same security headers, `sendfile`, access "
      "log off), in the same run. wrk then runs %d s per measure with %d threads and %s "
      "keep-alive connections against each server in turn. wrk, boussole and nginx share the "
      "same %s cores, so the absolute figures are those of a small machine; the ratio is what "
      "matters." % (DURATION_S, THREADS, " and ".join(str(c) for c in CONNECTIONS), m["nproc"]))
    w("")
    w("| page | URL | bytes | bytes signed in |")
    w("| --- | --- | ---: | ---: |")
    for name, path in PAGES:
        w("| %s | `%s` | %d | %s |" % (name, path, bodies[name][1],
                                      bodies[name][2] if len(bodies[name]) > 2 else "—"))
    w("")
    w("## Throughput and latency")
    w("")
    w("| page | connections | boussole req/s | nginx req/s | boussole / nginx | boussole p99 "
      "| nginx p99 |")
    w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = None
    for name, c, b, n in results:
        ratio = b["rps"] / n["rps"] if n["rps"] else 0
        worst = ratio if worst is None else min(worst, ratio)
        w("| %s | %d | %.0f | %.0f | %.2f | %s | %s |" % (name, c, b["rps"], n["rps"], ratio,
                                                          fmt_ms(b["p99"]), fmt_ms(n["p99"])))
    w("")
    w("These are the answers visitors without an account get: boussole keeps them in memory "
      "until the data changes, so this measures its HTTP layer and cache. A signed-in person's "
      "pages (the bearer token of a coordinator, same pages; the action page then carries the "
      "coordinator's forms, and a new pre-session cookie and form token on each answer since "
      "wrk keeps no cookie) come from the cache shared by everyone with the same visibility, "
      "with the person's own values stitched in (`src/web/core/cache.c`), and the token's or "
      "session's lookup is kept while the data is unchanged (`src/web/core/auth.c`). Rows "
      "marked « session »: the same coordinator signed in through `/login`, with a browser's "
      "session cookie (the page frame then shows the account menu, with the person's name and "
      "the logout form's token). The nginx column is the same run's, serving the visitors' "
      "bytes. `X-Boussole-Cache` of a signed-in request just before the load: %s."
      % ", ".join("%s %s" % (name, bodies[name][3]) for name, _ in PAGES
                  if len(bodies[name]) > 3))
    w("")
    w("| page | connections | boussole req/s, signed in | nginx req/s | boussole / nginx "
      "| boussole p99 |")
    w("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, c, b, n in signed:
        w("| %s | %d | %.0f | %.0f | %.2f | %s |" % (name, c, b["rps"], n["rps"],
                                                   b["rps"] / n["rps"] if n["rps"] else 0,
                                                   fmt_ms(b["p99"])))
    if not signed:
        w("| (no account could be created: `boussole user` missing) | | | | | |")
    problems = [(name, c, b) for name, c, b, _ in results + signed
                if b["non2xx"] or b["socket_errors"]]
    w("")
    for name, c, b in problems:
        w("- boussole, %s, %d connections: %d non-2xx answers, socket errors: %s"
          % (name, c, b["non2xx"], b["socket_errors"] or "none"))
    if not problems:
        w("Every answer of boussole was a 200; no socket errors.")
    w("")
    if not keepalive:
        w("**boussole closed the connection after each response** (`Connection: close`, no "
          "HTTP/1.1 keep-alive), so every request it served above opened a new TCP connection "
          "while nginx kept its connections open.")
        w("")
    worst_signed = min((b["rps"] / n["rps"] for _, _, b, n in signed if n["rps"]), default=None)
    w("The goal of the foundation issue is at least half of nginx's requests/s. Lowest ratio "
      "measured for visitors: **%.2f** — %s." % (worst, "reached" if worst >= 0.5 else
                                                  "**not reached**"))
    if worst_signed is not None:
        w("The goal of issue 14 for signed-in pages is at least half of nginx's requests/s at %s "
          "connections. Lowest ratio measured signed in: **%.2f** — %s."
          % (" and ".join(str(c) for c in CONNECTIONS), worst_signed,
             "reached" if worst_signed >= 0.5 else "**not reached**"))
    w("")
    w("## Server time")
    w("")
    w("Time spent inside boussole for one request (the `Server-Timing: app;dur=` header: from "
      "the request handed over by libmicrohttpd to the response queued), %d sequential requests "
      "from one client, before the load runs: a visitor's answer from the cache, a visitor's "
      "answer rendered (cache miss: each URL carries an extra, ignored parameter), and a "
      "signed-in person's page." % TIMING_SAMPLES)
    w("")
    w("| page | request | median | p90 | min | max |")
    w("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, _ in PAGES:
        for kind, samples in timings[name].items():
            s = sorted(samples)
            if not s:
                w("| %s | %s | no Server-Timing header | | | |" % (name, kind))
                continue
            p90 = s[min(len(s) - 1, int(len(s) * 0.9))]
            w("| %s | %s | %s | %s | %s | %s |" % (name, kind, fmt_ms(statistics.median(s)),
                                                   fmt_ms(p90), fmt_ms(s[0]), fmt_ms(s[-1])))
    w("")
    w("## Memory and start-up")
    w("")
    peak = max(b["rss_peak"] for _, _, b, _ in results + signed)
    w("- Resident memory of boussole (VmRSS): %.1f MiB idle after the first request, "
      "%.1f MiB highest sample under load (every 250 ms during the wrk runs), %.1f MiB after."
      % (rss_idle / 1024, peak / 1024, rss_after / 1024))
    w("- **Peak resident memory under load (VmHWM, reset just before the wrk runs and read "
      "after all of them, visitors and signed in): %.1f MiB**. The goal of issue 14 is under "
      "30 MiB — %s.%s" % (
          hwm / 1024, "reached" if hwm < 30 * 1024 else "**not reached**",
          "" if hwm_reset else " (**the kernel refused the reset: this peak counts the "
                               "start-up and the sign-in too**)"))
    w("- Before the reset, VmHWM was %.1f MiB: the start-up, the timed requests above and the "
      "sign-in of the session rows, whose Argon2id password hash takes 64 MiB for a moment "
      "(`crypto_pwhash_MEMLIMIT_INTERACTIVE`, on the password thread) and gives it back."
      % (hwm_before / 1024))
    w("- Start-up of `boussole serve` on the loaded database, until it accepts connections: "
      "%.0f ms." % startup_ms)
    w("")
    w("## Other measurements")
    w("")
    w("- `make soak` (256 connections for 5 minutes, errors and memory over time): "
      "`bench/SOAK.md`.")
    w("- Server time at 1, 100 and 1000 contracts (`sh bench/scale.sh build`): `bench/SCALE.md`.")
    w("- Yearly report (PDF, ODT) and 10,000-row XLSX import, time and peak memory: "
      "`bench/DOCUMENTS.md`.")
    w("")
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    print("bench: wrote %s" % path)


if __name__ == "__main__":
    sys.exit(main())
