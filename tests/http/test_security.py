"""test_security.py — what every answer must carry whatever the page (CSP, nosniff), methods a
route does not take (405), and requests a browser would not send: bad encodings, too many
parameters, oversized bodies, many clients at once. Uses the shared demo server."""

import concurrent.futures
import re
import socket
import unittest

from common import demo_server

CSP_NEEDED = ("default-src 'none'", "style-src 'self'")


def setUpModule():
    global S
    S = demo_server()


class Headers(unittest.TestCase):
    PATHS = ["/contracts/1", "/contracts/1/tree", "/contracts/1/actions?year=2023",
             "/contracts/1/dashboard?year=2023", "/actions/1", "/organisations/1",
             "/api/v1/contracts", "/api/v1/contracts/1/actions?year=2023", "/api/v1/actions/1",
             "/static/style.css", "/nothing", "/api/v1/actions/999999",
             "/contracts/1/actions?year=abc"]

    def test_every_answer_has_the_security_headers(self):
        for path in self.PATHS:
            with self.subTest(path=path):
                r = S.get(path)
                csp = r.header("Content-Security-Policy") or ""
                for part in CSP_NEEDED:
                    self.assertIn(part, csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertNotIn("unsafe-eval", csp)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                ctype = (r.header("Content-Type") or "").lower()
                self.assertTrue(ctype, "no Content-Type")
                if ctype.startswith("text/"):
                    self.assertIn("charset=utf-8", ctype)

    def test_stylesheet(self):
        r = S.get("/static/style.css")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/css"))
        self.assertIn(b".status", r.body)

    def test_head_answers_like_get_without_body(self):
        for path in ("/contracts/1", "/api/v1/contracts"):
            with self.subTest(path=path):
                g = S.get(path)
                h = S.request("HEAD", path)
                self.assertEqual(h.status, 200)
                self.assertEqual(h.body, b"")
                self.assertEqual(h.header("Content-Type"), g.header("Content-Type"))

    def test_other_methods_are_405(self):
        for method, path in (("POST", "/contracts/1"), ("PUT", "/contracts/1"),
                             ("DELETE", "/actions/1"), ("PATCH", "/organisations/1"),
                             ("POST", "/api/v1/contracts"), ("DELETE", "/api/v1/actions/1"),
                             ("PUT", "/api/v1/contracts/1/actions")):
            with self.subTest(method=method, path=path):
                r = S.request(method, path, body=b"x=1",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
                self.assertEqual(r.status, 405)
                allow = r.header("Allow") or ""
                self.assertIn("GET", allow)
                self.assertNotIn(method, allow)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                if path.startswith("/api/"):
                    self.assertIn("error", r.json())
                else:
                    self.assertIn('<html lang="fr"', r.text)


class Robustness(unittest.TestCase):
    def test_invalid_utf8_in_the_path_is_400(self):
        for path in ("/contracts/%FF", "/actions/%C0%AF", "/%ED%A0%80"):
            with self.subTest(path=path):
                r = S.get(path)
                # Refused before routing (server.c, handle): never a 404 of a decoded path.
                self.assertEqual(r.status, 400)
                self.assertNotIn(b"\xff", r.body)

    def test_too_many_parameters_is_414(self):
        q = "&".join("p%d=%d" % (i, i) for i in range(300))
        r = S.get("/contracts/1/actions?" + q)
        self.assertEqual(r.status, 414)  # URI Too Long: the one answer (README, Configuration)

    def test_unknown_parameters_are_ignored(self):
        r = S.get("/contracts/1/actions?utm_source=x&year=2023")
        self.assertEqual(r.status, 200)

    def test_long_search_text(self):
        # The search text has no length limit of its own (the request's limits apply): a long
        # text is a search that finds nothing, not an error.
        r = S.get("/contracts/1/actions?q=" + "a" * 5000)
        self.assertEqual(r.status, 200)
        self.assertIn("0 action", r.text)

    def test_huge_body_is_refused(self):
        # Announce 3 MB and send none of it: the answer must come from the headers alone, and
        # it is 413 whether or not the route takes a POST (the size is checked before routing).
        for path in (b"/login", b"/contracts/1"):
            with self.subTest(path=path):
                reply = S.raw(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                              b"Content-Type: application/x-www-form-urlencoded\r\n"
                              b"Content-Length: 3145728\r\n\r\n" % path, shut_write=True)
                self.assertEqual(reply[:13], b"HTTP/1.1 413 ", reply[:80])

    def test_garbage_request_line(self):
        # A request line without a target never reaches Boussole: libmicrohttpd (0.9.75, Debian
        # 12) closes the connection without an answer. A newer one that answers 400 fails here,
        # on purpose: the expected answer is then written down again.
        reply = S.raw(b"GARBAGE\r\n\r\n")
        self.assertEqual(reply, b"")
        # The server is still there.
        self.assertEqual(S.get("/contracts/1").status, 200)

    def test_many_clients_at_once(self):
        paths = ["/contracts/1", "/contracts/1/actions?year=2023&sort=title",
                 "/contracts/1/dashboard?year=2022", "/api/v1/contracts/1/actions?year=2021",
                 "/actions/5", "/contracts/1/tree"] * 20

        def fetch(p):
            r = S.get(p)
            return p, r.status, len(r.body)

        with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
            results = list(pool.map(fetch, paths))
        sizes = {}
        for p, status, size in results:
            self.assertEqual(status, 200, p)
            sizes.setdefault(p, set()).add(size)
        for p, s in sizes.items():
            self.assertEqual(len(s), 1, "%s gave different bodies under load" % p)

    def test_connections_are_kept_alive(self):
        """HTTP/1.1 keep-alive: a second request on the same connection is answered.
        (libmicrohttpd closes the connection when a GET is answered on the first call of the
        access handler, before the request is marked as fully received.)"""
        with socket.create_connection(("127.0.0.1", S.port), timeout=10) as sock:
            f = sock.makefile("rb")
            for path in ("/contracts/1", "/static/style.css"):
                sock.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path.encode())
                status = f.readline()
                self.assertTrue(status.startswith(b"HTTP/1.1 200"), (path, status))
                length, close = 0, False
                while True:
                    line = f.readline().strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                    if name.lower() == b"connection" and b"close" in value.lower():
                        close = True
                f.read(length)
                self.assertFalse(close, "%s answered with Connection: close" % path)

    def test_no_server_version_leak(self):
        r = S.get("/contracts/1")
        server = r.header("Server") or ""
        self.assertFalse(re.search(r"\d+\.\d+", server), server)


if __name__ == "__main__":
    unittest.main()
