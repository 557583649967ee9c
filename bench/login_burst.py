"""login_burst.py BUILD_DIR [N] — public page latency while N (120) wrong logins arrive at once.

Loads the demo into a temporary database, serves it with BUILD_DIR/boussole on loopback, takes a
login form (pre-session cookie and CSRF token) for N clients, each bound to its own loopback
address (127.0.0.2…) with an unknown e-mail, so no throttle answers for the argon2id check; then
fires the N logins together while one visitor reads public pages (a cached one and a rendered
one) in a loop, until every login is answered. Prints the visitor's latencies (median, 95th
percentile, max), how long the burst took, and how the logins were answered (401: checked, 429:
the password queue was full). Measures only: the HTTP test test_accounts_outbox.py checks that
pages answer, without timing. Standard library only."""

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def wait_listening(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited with status %s" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not listen within %d s" % timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, source, body=None, cookies=None, timeout=120):
    h = {}
    if cookies:
        h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
    if body is not None:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=source)
    try:
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        return r.status, r.getheaders(), data
    finally:
        conn.close()


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = os.path.join(os.path.abspath(sys.argv[1]), "boussole")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    tmp = tempfile.mkdtemp(prefix="boussole-login-burst-")
    db = os.path.join(tmp, "bench.db")
    subprocess.run([binary, "demo", "--db", db, "--no-serve"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    log = open(os.path.join(tmp, "server.log"), "wb")
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc)
        forms = []
        for i in range(n):
            source = ("127.0.0.%d" % (2 + i % 240), 0)
            _s, headers, body = request(port, "GET", "/login", source)
            cookies = {}
            for k, v in headers:
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    cookies[name] = rest.split(";")[0]
            csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
            fields = urllib.parse.urlencode({"email": "inconnu.%d@bench.example" % i,
                                             "password": "pas le bon mot de passe",
                                             "next": "/", "csrf": csrf})
            forms.append((source, cookies, fields))
        answers = [None] * n
        start = threading.Barrier(n + 1)

        def login(i):
            source, cookies, fields = forms[i]
            start.wait()
            try:
                answers[i] = request(port, "POST", "/login", source, fields, cookies)[0]
            except OSError as e:
                answers[i] = type(e).__name__

        threads = [threading.Thread(target=login, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        visitor = ("127.0.0.250", 0)
        pages = ["/contracts/1", "/contracts/1/actions?sort=title"]
        latencies = []
        t0 = time.monotonic()
        start.wait()
        k = 0
        while any(t.is_alive() for t in threads):
            t = time.monotonic()
            status = request(port, "GET", pages[k % 2], visitor, timeout=120)[0]
            latencies.append((time.monotonic() - t) * 1000)
            if status != 200:
                print("page %s answered %s" % (pages[k % 2], status))
            k += 1
        burst = time.monotonic() - t0
        for t in threads:
            t.join()
        counts = {}
        for a in answers:
            counts[a] = counts.get(a, 0) + 1
        lat = sorted(latencies)
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
        print("%d wrong logins from %d addresses, answered in %.2f s: %s" % (
            n, min(n, 240), burst, ", ".join("%s × %s" % (c, a) for a, c in sorted(
                counts.items(), key=lambda kv: str(kv[0])))))
        print("public pages during the burst: %d requests, median %.1f ms, p95 %.1f ms, "
              "max %.1f ms" % (len(lat), statistics.median(lat), p95, lat[-1]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
