"""test_hardening.py — issue 10, points 3, 5 and 7 on the real binary: login's next= never leaves
the site, slow or surplus connections are closed or answered instead of hanging everyone, too many
query parameters get 414, and the login throttle keys on folded e-mails and the real client
address (behind --trusted-proxy). Loopback only; loops are bounded; a socket timeout is the
failure condition, never a measured duration."""

import re
import socket
import time
import unittest
import urllib.parse

import common
from common import visible_text
from test_accounts import EMAILS, PASSWORD, AccServer, Client, FrozenClock

HOSTILE_NEXT = ["/%09/evil.test", "//evil.test", "/\\evil.test", "https://evil.test",
                "/%2F%2Fevil.test", "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1",
                "/\r\nLocation: https://evil.test", "///evil.test", "/\t/evil.test",
                "evil.test", "/actions/1/../../evil", "/pas-une-page"]


def local(location):
    """True when a Location stays on this site: one leading '/', no host, no blank."""
    return (location.startswith("/") and not location.startswith("//")
            and "\\" not in location and not re.search(r"[\x00-\x20\x7f]", location))


class OpenRedirect(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("hardening-redirect").start()

    def test_hostile_next_on_the_login_form(self):
        for nxt in HOSTILE_NEXT:
            with self.subTest(next=nxt):
                c = Client(self.server)
                r = c.get("/login?next=" + urllib.parse.quote(nxt, safe="/:"))
                self.assertEqual(r.status, 200)
                m = re.search(r'name="next" value="([^"]*)"', r.text)
                self.assertEqual(m.group(1) if m else None, "/")

    def test_hostile_next_after_login(self):
        for nxt in HOSTILE_NEXT:
            with self.subTest(next=nxt):
                c = Client(self.server)
                c.get("/login")
                r = c.post("/login", {"email": EMAILS["coordinator"], "password": PASSWORD,
                                      "next": nxt})
                self.assertEqual(r.status, 303, visible_text(r.text)[:200])
                loc = r.header("location")
                self.assertTrue(local(loc), loc)
                self.assertEqual(loc, "/")

    def test_a_page_of_the_site_is_kept(self):
        c = Client(self.server)
        c.get("/login")
        r = c.post("/login", {"email": EMAILS["coordinator"], "password": PASSWORD,
                              "next": "/contracts/1/actions?year=2023"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/contracts/1/actions?year=2023")


def slow_socket(port, source="127.0.0.1"):
    """A connection that sent half a request and stops there."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    return s


def closed_or_answered(s, timeout):
    """What the server does with a waiting connection within timeout seconds: b"" when it
    closes it, the start of its answer, or None when it is still open (the failure)."""
    s.settimeout(timeout)
    try:
        return s.recv(200)
    except socket.timeout:
        return None
    except ConnectionResetError:
        return b""


def fresh_page(port):
    """A normal client's whole answer to GET /login (raises socket.timeout after 5 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            c = s.recv(65536)
            if not c:
                return data
            data += c


class SlowClients(unittest.TestCase):
    """A server of its own with small limits (--max-connections 120, --max-per-address 100)."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("hardening-slow", ["--max-connections", "120",
                                                  "--max-per-address", "100"]).start()

    def test_slow_headers_are_cut_and_others_served(self):
        port = self.server.port
        socks = []
        try:
            # 300 half-sent requests from other loopback addresses: beyond the per-address and
            # total limits, yet a fresh client gets its page.
            for i in range(300):
                socks.append(slow_socket(port, "127.0.0.%d" % (2 + i // 100)))
            # Only a slow connection older than the eviction minimum (1 s, server.c) makes room:
            # until then a fresh client is refused (503), so it asks again until served, instead
            # of sleeping for a guessed time.
            r = fresh_page(port)
            deadline = time.time() + 15
            while not r.startswith(b"HTTP/1.1 200") and time.time() < deadline:
                self.assertTrue(r.startswith(b"HTTP/1.1 503"), r[:100])
                time.sleep(0.05)
                r = fresh_page(port)
            self.assertTrue(r.startswith(b"HTTP/1.1 200"), r[:100])
            # Every slow connection is closed within the header deadline (10 s) plus the
            # reaper's tick; a generous bound, as a timeout.
            still_open = 0
            for s in socks:
                if closed_or_answered(s, 15 if still_open == 0 else 0.05) is None:
                    still_open += 1
            self.assertEqual(still_open, 0)
        finally:
            for s in socks:
                s.close()

    def test_over_the_per_address_limit_is_answered(self):
        port = self.server.port
        socks = []
        try:
            # 101 connections from one address (the limit is 100). The server's threads accept
            # them in any order, so which one is counted 101st is not known: each then sends the
            # rest of its request, and exactly one is answered 429, the others served.
            for _ in range(101):
                socks.append(slow_socket(port, "127.0.0.9"))
            for s in socks:
                s.sendall(b"1\r\n\r\n")
            answers = [s.recv(100)[:12] for s in socks]
            self.assertEqual(answers.count(b"HTTP/1.1 429"), 1, answers)
            self.assertEqual(answers.count(b"HTTP/1.1 303"), 100, answers)  # GET /: its redirect
        finally:
            for s in socks:
                s.close()

    def test_two_thousand_query_parameters(self):
        for n in (65, 2000, 5000):
            with self.subTest(parameters=n):
                query = "&".join("p%d=1" % i for i in range(n))
                with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
                    s.sendall(("GET /contracts/1/actions?%s HTTP/1.1\r\nHost: x\r\n"
                               "Connection: close\r\n\r\n" % query).encode())
                    data = b""
                    while True:
                        c = s.recv(65536)
                        if not c:
                            break
                        data += c
                self.assertTrue(data.startswith(b"HTTP/1.1 414"), data[:100])
                self.assertIn("Adresse trop longue", data.decode("utf-8", "replace"))
        self.assertEqual(self.server.get("/contracts/1/actions?year=2023").status, 200)


class LoginThrottleKeys(unittest.TestCase):
    """Which counters a wrong password feeds; no waiting for time to pass (a frozen clock)."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("hardening-throttle", [
            "--trusted-proxy", "127.0.0.1", "--login-failures-per-address", "5"],
            env=FrozenClock("hardening-throttle").env()).start()

    def attempt(self, addr, password, forwarded=None):
        c = Client(self.server)
        c.get("/login")
        fields = urllib.parse.urlencode({"email": addr, "password": password, "next": "/",
                                         "csrf": c.csrf})
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if forwarded:
            h["X-Forwarded-For"] = forwarded
        return c.request("POST", "/login", fields, h)

    def test_case_variants_share_one_count(self):
        a = EMAILS["signatory"]
        self.assertEqual(self.attempt(a.upper(), "faux 1", "198.51.100.1").status, 401)
        self.assertEqual(self.attempt(" " + a.capitalize() + " ", "faux 2", "198.51.100.1")
                         .status, 401)
        log = self.server.log()
        self.assertIn("login failure for %s from 198.51.100.1 (2 in a row)" % a, log)

    def test_a_locked_account_leaves_its_neighbours_alone(self):
        locked = EMAILS["carrier"]
        statuses = [self.attempt(locked, "faux %d" % i, "198.51.100.2").status
                    for i in range(5)]
        # Three free failures, the fourth starts a delay the frozen clock never ends.
        self.assertEqual(statuses, [401, 401, 401, 401, 429])
        # Another person behind the same address still logs in.
        r = self.attempt(EMAILS["referent"], PASSWORD, "198.51.100.2")
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])

    def test_forwarded_clients_are_throttled_apart(self):
        # Six failures on six unknown accounts pass the address ceiling of 203.0.113.7 only.
        for i in range(6):
            self.assertEqual(self.attempt("inconnu%d@tests.example" % i, "faux",
                                          "10.9.9.9, 203.0.113.7").status, 401)
        r = self.attempt("encore@tests.example", "faux", "203.0.113.7")
        self.assertEqual(r.status, 429)
        r = self.attempt(EMAILS["coordinator"], PASSWORD, "203.0.113.8")
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])

    def test_an_untrusted_peers_header_is_ignored(self):
        other = AccServer("hardening-untrusted", ["--trusted-proxy", "192.0.2.1"]).start()
        c = Client(other)
        c.get("/login")
        fields = urllib.parse.urlencode({"email": "x@tests.example", "password": "faux",
                                         "next": "/", "csrf": c.csrf})
        r = c.request("POST", "/login", fields, {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "203.0.113.99", "X-Real-IP": "203.0.113.98"})
        self.assertEqual(r.status, 401)
        log = other.log()
        self.assertIn("login failure for x@tests.example from 127.0.0.1", log)
        self.assertNotIn("203.0.113.9", log)


if __name__ == "__main__":
    unittest.main()
