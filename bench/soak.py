"""soak.py BUILD_DIR — the measurements behind `make soak` (called by bench/soak.sh).

Loads the demo contract into a temporary database, serves it with BUILD_DIR/boussole on
loopback, and runs wrk at 256 connections (the per-address limit of src/web/core/server.c: one more
would be answered 429) for SOAK_SECONDS (300) over the main pages: the contract's home, its
dashboard, its action list, action pages and the API list of actions, each asked both as an
anonymous visitor (answered from the server's cache) and with a harmless cookie that makes the
server render it again (bench/soak.lua). Samples the server's resident memory (VmRSS of
/proc/PID/status) every 10 s. Writes bench/SOAK.md and fails (exit 1) when wrk counted an answer
>= 400, when a path does not answer 200 before or after the run (wrk does not count 3xx), when
wrk saw a socket error, or when the memory kept growing in the second half of the run (more
than 5 % and 2 MiB between the middle and the end). Standard library only."""

import datetime
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "SOAK.md")
CONNECTIONS = 256
THREADS = 2
SAMPLE_EVERY_S = 10


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


def get_json(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 200:
        raise RuntimeError("GET %s answered %d" % (path, r.status))
    return json.loads(body)


def check_paths(port, urls):
    """Each path answers 200 (no redirect), with and without the cookie: what wrk counts as an
    error is only >= 400, so a 3xx is caught here. Returns the paths that did not."""
    wrong = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for p in urls:
        headers = {"Cookie": "bsl_pre=x"} if p.startswith("!") else {}
        conn.request("GET", p.lstrip("!"), headers=headers)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            wrong.append("%s → %d" % (p, r.status))
    conn.close()
    return wrong


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """VmRSS every SAMPLE_EVERY_S seconds until stopped: (seconds since start, KiB)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self):
        t0 = time.time()
        while True:
            try:
                self.samples.append((time.time() - t0, rss_kib(self.pid)))
            except OSError:
                return
            if self.stop.wait(SAMPLE_EVERY_S):
                return


def paths(port):
    contract = get_json(port, "/api/v1/contracts")["contracts"][0]["id"]
    actions = [a["id"] for a in get_json(port, "/api/v1/contracts/%d/actions" % contract)
               ["actions"]]
    pages = ["/contracts/%d" % contract, "/contracts/%d/dashboard" % contract,
             "/contracts/%d/actions" % contract, "/api/v1/contracts/%d/actions" % contract]
    pages += ["/actions/%d" % a for a in actions[::8]]  # every 8th action: 10 action pages
    return pages + ["!" + p for p in pages]


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


def mib(kib):
    return "%.1f MiB" % (kib / 1024)


def verdict(result, samples, end, wrong):
    """The failures, as sentences; empty when the run is clean."""
    problems = []
    if result["errors"]["status"]:
        problems.append("%d answers >= 400" % result["errors"]["status"])
    if wrong:
        problems.append("paths not answering 200: %s" % ", ".join(wrong))
    errors = {k: v for k, v in result["errors"].items() if v and k != "status"}
    if errors:
        problems.append("socket errors: %s" % ", ".join("%s %d" % kv for kv in errors.items()))
    loaded = [kib for t, kib in samples if t > 0]
    if len(loaded) >= 4:
        middle = loaded[len(loaded) // 2]
        if end - middle > max(2048, middle * 0.05):
            problems.append("RSS grew from %s (middle of the run) to %s (end)" %
                            (mib(middle), mib(end)))
    return problems


def report(args, result, samples, idle, end, problems, seconds, urls, load):
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    dur_s = result["duration_us"] / 1e6
    lat = result["latency_us"]
    errs = result["errors"]
    rows = ["| %d s | %s |" % (round(t), mib(k)) for t, k in samples]
    return "\n".join([
        "# Soak test",
        "",
        "`make soak` (bench/soak.sh → bench/soak.py, wrk script bench/soak.lua): wrk on loopback "
        "at %d connections, %d threads, for %d s, against the release build serving the demo "
        "contract (CLS 2 Cœur de Lorraine, 76 actions). It fails on any answer other than 2xx "
        "(wrk counts those >= 400; each path is checked to answer 200 before and after), on any "
        "socket error, or when the server's memory keeps growing in the second half of the run "
        "(more than 5 %% and 2 MiB between the middle and the end)." % (CONNECTIONS, THREADS, seconds),
        "",
        "Run of %s on %s, commit %s. Command: `%s`. Load average before the run (other work "
        "on the machine, which shares its cores with wrk and the server): %s." %
        (when, machine(), git_commit(), " ".join(args), load),
        "",
        "Pages, in rotation (%d): the contract's home, dashboard, action list, the API list of "
        "its actions and %d action pages, each once anonymous (answered from the server's "
        "cache of anonymous GETs) and once with the cookie `bsl_pre=x` (rendered from the "
        "database each time)." % (len(urls), len(urls) // 2 - 4),
        "",
        "## Result: %s" % ("**pass**" if not problems else "**FAIL** — " + "; ".join(problems)),
        "",
        "| measure | value |",
        "| --- | --- |",
        "| requests | %d in %.0f s |" % (result["requests"], dur_s),
        "| requests/s | %.0f |" % (result["requests"] / dur_s),
        "| latency p50 / p90 / p99 / max | %.2f / %.2f / %.2f / %.0f ms |" %
        (lat["p50"] / 1000, lat["p90"] / 1000, lat["p99"] / 1000, lat["max"] / 1000),
        "| answers >= 400 (wrk) | %d |" % errs["status"],
        "| each path answers 200 before and after the run | %s |" %
        ("no" if any(p.startswith("paths not answering") for p in problems) else "yes"),
        "| socket errors (connect, read, write, timeout) | %d, %d, %d, %d |" %
        (errs["connect"], errs["read"], errs["write"], errs["timeout"]),
        "| server RSS: idle after start → start of load → end of load | %s → %s → %s |" %
        (mib(idle), mib(samples[1][1] if len(samples) > 1 else idle), mib(end)),
        "",
        "Limits that could explain errors (src/web/core/server.c): 256 connections per client "
        "address (a request on the 257th is answered 429), 1024 in all (503), idle timeout "
        "30 s. At exactly 256 connections none of them applies, so the run must show none.",
        "",
        "Server RSS (VmRSS) every %d s under load:" % SAMPLE_EVERY_S,
        "",
        "| time | RSS |",
        "| --- | --- |",
    ] + rows + [""])


def main():
    if len(sys.argv) != 2:
        print("usage: soak.py BUILD_DIR", file=sys.stderr)
        return 2
    binary = os.path.join(os.path.abspath(sys.argv[1]), "boussole")
    seconds = int(os.environ.get("SOAK_SECONDS", "300"))
    port = int(os.environ.get("SOAK_PORT", "8171"))
    wrk = shutil.which("wrk")
    if not wrk:
        print("soak: wrk is missing (apt-get install wrk)", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="boussole-soak-")
    db = os.path.join(tmp, "soak.db")
    proc = None
    try:
        subprocess.run([binary, "demo", "--db", db, "--no-serve"], check=True,
                       stdout=subprocess.DEVNULL)
        proc = subprocess.Popen([binary, "serve", "--db", db, "--listen",
                                 "127.0.0.1:%d" % port], stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(tmp, "server.log"), "w"))
        wait_listening(port, proc)
        urls = paths(port)
        wrong = check_paths(port, urls)
        idle = rss_kib(proc.pid)
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        args = [wrk, "-t%d" % THREADS, "-c%d" % CONNECTIONS, "-d%ds" % seconds, "--timeout",
                "10s", "-s", os.path.join(ROOT, "bench", "soak.lua"),
                "http://127.0.0.1:%d" % port, "--"] + urls
        print("soak: %d connections for %d s on %d paths" % (CONNECTIONS, seconds, len(urls)),
              file=sys.stderr)
        sampler = Sampler(proc.pid)
        sampler.start()
        out = subprocess.run(args, capture_output=True, text=True)
        sampler.stop.set()
        sampler.join()
        end = rss_kib(proc.pid)
        if proc.poll() is None:
            wrong += check_paths(port, urls)
        if proc.poll() is not None:
            print("soak: the server died (status %s)" % proc.returncode, file=sys.stderr)
            return 1
        m = re.search(r"^SOAK (\{.*\})$", out.stdout, re.M)
        if out.returncode != 0 or not m:
            print("soak: wrk failed:\n%s%s" % (out.stdout, out.stderr), file=sys.stderr)
            return 1
        result = json.loads(m.group(1))
        samples = sampler.samples
        problems = verdict(result, samples, end, wrong)
        shown = ["wrk"] + args[1:-len(urls) - 2] + ["http://127.0.0.1:PORT", "--", "PATHS…"]
        shown[shown.index("-s") + 1] = "bench/soak.lua"
        text = report(shown, result, samples, idle, end, problems, seconds, urls, load)
        with open(OUT, "w", encoding="utf-8") as f:
            f.write(text)
        print(out.stdout.split("SOAK ")[0], file=sys.stderr)
        print("soak: %d requests, %.0f/s, p99 %.2f ms, RSS %s → %s; %s; wrote %s" %
              (result["requests"], result["requests"] / (result["duration_us"] / 1e6),
               result["latency_us"]["p99"] / 1000, mib(idle), mib(end),
               "pass" if not problems else "FAIL: " + "; ".join(problems),
               os.path.relpath(OUT, ROOT)), file=sys.stderr)
        return 1 if problems else 0
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
