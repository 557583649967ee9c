"""test_accounts_outbox.py — issue 10, point 6, on the real binary. E-mails go through the outbox
(migration 009): queued in the transaction of the change, kept while no SMTP server is
configured, retried after a failure, sent after a restart, their body dropped once sent. A
password reset is throttled per address asked for and per client, answers the same page for
known and unknown addresses (and queues nothing for an unknown one); a used reset link, or "Se
déconnecter partout", ends every session, makes every older link useless and, when asked, revokes
the API tokens. 120 concurrent wrong logins from 120 client addresses (127.0.0.N) do not stop the
public pages from answering: password checks run off the page workers, a full queue is answered
429 at once. An erased account leaves no message behind; `user add --invite` queues its
invitation. State is read from the database (sqlite3), never guessed from pages; nothing waits
on a clock but polls the outbox or the SMTP sink with a generous deadline."""

import http.client
import re
import threading
import time
import unittest
import urllib.parse

from common import run_cli, visible_text
from test_accounts import EMAILS, AccServer, Client, cli_token, sql
from test_accounts_mail import Sink, link_in

NEW_PASSWORD = "le coucou chante trois fois sous la pluie"
OTHER_PASSWORD = "une autre phrase encore plus longue que la première"


def wait_for(predicate, timeout=30):
    """Polls predicate until it is true or the deadline passes; returns its last value."""
    deadline = time.time() + timeout
    value = predicate()
    while not value and time.time() < deadline:
        time.sleep(0.05)
        value = predicate()
    return value


def api_status(server, token):
    """Whether a bearer token still signs in: an empty write needing an account is 401 without
    one, 400 or 403 with one."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("POST", "/api/v1/actions/10/status", body=b"[]",
                     headers={"Authorization": "Bearer " + token,
                              "Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        return "revoked" if r.status == 401 else "valid"
    finally:
        conn.close()


class Reset(unittest.TestCase):
    """A server sending to a local sink."""

    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.server = AccServer("accounts-outbox", [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}"]).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.port
        cls.db = cls.server.db

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def request_link(self, addr):
        """Asks for a reset link and returns its path, from the message the sink received."""
        n = len(self.sink.messages)
        c = Client(self.server)
        c.get("/password/forgot")
        r = c.post("/password/forgot", {"email": addr})
        self.assertEqual(r.status, 200, visible_text(r.text)[:300])
        got = self.sink.wait(n + 1)
        self.assertEqual(len(got), n + 1, "no reset message reached the sink")
        mine = [raw for rcpt, raw in got[n:] if rcpt == [addr]]
        self.assertEqual(len(mine), 1)
        return link_in(self, mine[0], self.base)[2]

    def use_link(self, path, password, revoke_tokens=False):
        c = Client(self.server)
        r = c.get(path)
        self.assertEqual(r.status, 200, visible_text(r.text)[:300])
        self.assertIn('name="revoke_tokens"', r.text)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["token"][0]
        fields = {"token": token, "password": password}
        if revoke_tokens:
            fields["revoke_tokens"] = "1"
        return c.post("/password/reset", fields)

    def test_same_answer_for_known_and_unknown(self):
        c = Client(self.server)
        c.get("/password/forgot")
        unknown = c.post("/password/forgot", {"email": "Personne.Inconnue@tests.example"})
        known = c.post("/password/forgot", {"email": EMAILS["signatory"]})
        self.assertEqual((unknown.status, known.status), (200, 200))
        # The same client, so the same form token: the whole page is byte for byte the same.
        self.assertEqual(unknown.body, known.body)
        self.assertIn("Si un compte existe pour cette adresse", visible_text(known.text))
        # Queued in the answer's transaction for the account; nothing, ever, for the unknown.
        self.assertEqual(sql(self.db, "SELECT count(*) FROM outbox WHERE to_addr = ?",
                             EMAILS["signatory"])[0][0], 1)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM outbox WHERE lower(to_addr) = ?",
                             "personne.inconnue@tests.example")[0][0], 0)
        # Once sent, the row keeps its envelope but not the single-use link.
        self.assertTrue(wait_for(lambda: sql(
            self.db, "SELECT sent_at IS NOT NULL AND body = '' FROM outbox WHERE to_addr = ?",
            EMAILS["signatory"])[0][0]), "the reset message was not marked sent")
        # The sink's side: the known address's message, asked for after the unknown one, is the
        # marker; once it has arrived, anything sent for the unknown one would have come before.
        self.assertTrue(wait_for(lambda: [EMAILS["signatory"]] in
                                 [rcpt for rcpt, _ in self.sink.messages]),
                        "the reset message did not reach the sink")
        self.assertEqual([rcpt for rcpt, _ in self.sink.messages
                          if "inconnue" in " ".join(rcpt).lower()], [])

    def test_used_link_closes_older_links_sessions_and_tokens(self):
        addr = EMAILS["carrier"]
        old = self.request_link(addr)
        newer = self.request_link(addr)
        browser = Client(self.server)
        browser.login(addr)
        self.assertTrue(browser.signed_in())
        token = cli_token(self.db, addr, "tableur")
        self.assertEqual(api_status(self.server, token), "valid")

        r = self.use_link(newer, NEW_PASSWORD, revoke_tokens=True)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        # The older link, unused and not expired, opens nothing any more.
        r = Client(self.server).get(old)
        self.assertEqual(r.status, 410)
        self.assertIn("Lien expiré", r.text)
        self.assertFalse(browser.signed_in(), "a session opened before the reset survived it")
        self.assertEqual(api_status(self.server, token), "revoked")
        self.assertEqual(sql(self.db, "SELECT count(*) FROM api_token a JOIN account c ON "
                             "c.id = a.account_id WHERE c.email = ? AND a.revoked_at IS NULL",
                             addr)[0][0], 0)
        Client(self.server).login(addr, NEW_PASSWORD)

    def test_reset_keeps_tokens_unless_asked(self):
        addr = EMAILS["referent"]
        path = self.request_link(addr)
        token = cli_token(self.db, addr, "script")
        r = self.use_link(path, NEW_PASSWORD)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(api_status(self.server, token), "valid")

    def test_logout_everywhere(self):
        addr = EMAILS["coordinator"]
        link = self.request_link(addr)
        kept_token = cli_token(self.db, addr, "gardé")
        one, two = Client(self.server), Client(self.server)
        one.login(addr)
        two.login(addr)
        page = one.get("/account").text
        self.assertIn('name="revoke_tokens"', page)
        # Without the box: sessions and links end, tokens stay.
        r = one.post("/account/logout-all")
        self.assertEqual(r.status, 303)
        self.assertFalse(two.signed_in())
        self.assertEqual(Client(self.server).get(link).status, 410,
                         "a reset link sent before 'log out everywhere' still works")
        self.assertEqual(api_status(self.server, kept_token), "valid")
        # With it: the tokens go too.
        one.login(addr)
        r = one.post("/account/logout-all", {"revoke_tokens": "1"})
        self.assertEqual(r.status, 303)
        self.assertFalse(one.signed_in())
        self.assertEqual(api_status(self.server, kept_token), "revoked")


    def test_erasure_forgets_queued_mail(self):
        admin = Client(self.server)
        admin.login(EMAILS["admin"])
        admin.get("/admin/accounts")
        addr = "ines.effacee@tests.example"
        r = admin.post("/admin/accounts", {"name": "Inès Effacée", "email": addr,
                                           "role": "referent", "contract": "1",
                                           "organisation": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:500])
        (aid,), = sql(self.db, "SELECT id FROM account WHERE email = ?", addr)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM outbox WHERE account_id = ?", aid),
                         [(1,)])
        admin.get("/admin/accounts")
        r = admin.post("/admin/accounts/%d/erase" % aid, {"confirm": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:500])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM outbox WHERE account_id = ? OR "
                                      "to_addr = ? OR body LIKE ?", aid, addr, "%Inès%"),
                         [(0,)])


class Throttle(unittest.TestCase):
    """Reset requests per address asked for (5 an hour) and per client (20 an hour)."""

    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.server = AccServer("accounts-reset-throttle", [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port]).start()

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def test_throttle(self):
        c = Client(self.server)
        c.get("/password/forgot")
        target = EMAILS["carrier"]
        for i in range(5):
            # Upper case or not, one address: the limit is on the case-folded form.
            addr = target.upper() if i % 2 else target
            self.assertEqual(c.post("/password/forgot", {"email": addr}).status, 200)
        r = c.post("/password/forgot", {"email": target})
        self.assertEqual(r.status, 429, visible_text(r.text)[:300])
        self.assertIn("Trop de demandes", visible_text(r.text))
        self.assertEqual(sql(self.server.db, "SELECT count(*) FROM outbox WHERE to_addr = ?",
                             target)[0][0], 5)
        # An unknown address is limited alike: the limit reveals nothing.
        for _ in range(5):
            self.assertEqual(c.post("/password/forgot",
                                    {"email": "nobody@tests.example"}).status, 200)
        self.assertEqual(c.post("/password/forgot", {"email": "nobody@tests.example"}).status,
                         429)
        # Per client: 10 requests so far; the 21st is refused whatever the address.
        for i in range(10):
            r = c.post("/password/forgot", {"email": "quelqu.un.%d@tests.example" % i})
            self.assertEqual(r.status, 200, i)
        r = c.post("/password/forgot", {"email": "encore.un@tests.example"})
        self.assertEqual(r.status, 429)


class Queue(unittest.TestCase):
    """No SMTP server: the invitation waits. A dead one: attempts and the error are recorded.
    Restarted with a live one: it is sent."""

    def start(self, db, extra):
        server = AccServer("accounts-queue-%d" % len(self.servers), extra)
        server.db = db
        self.servers.append(server.start())
        return server

    def test_queued_retried_and_sent_after_restart(self):
        self.servers = []
        first = AccServer("accounts-queue", ["--base-url", "http://boussole.test"]).start()
        self.servers.append(first)
        db = first.db
        admin = Client(first)
        admin.login(EMAILS["admin"])
        admin.get("/admin/accounts")
        addr = "lea.attente@tests.example"
        r = admin.post("/admin/accounts", {"name": "Léa Attente", "email": addr,
                                           "role": "referent", "contract": "1",
                                           "organisation": ""})
        # No mail server: the page gives a link to hand over, and the mail waits in the outbox.
        self.assertEqual(r.status, 200, visible_text(r.text)[:500])
        page = visible_text(r.text)
        self.assertIn("L'envoi de courriels n'est pas configuré", page)
        self.assertIn("partira dès qu'un serveur de courrier sera configuré", page)
        self.assertIn("http://boussole.test/password/reset?token=", page)
        (attempts, sent, body), = sql(db, "SELECT attempts, sent_at, body FROM outbox "
                                          "WHERE to_addr = ?", addr)
        self.assertEqual((attempts, sent), (0, None))
        self.assertIn("http://boussole.test/password/reset?token=", body)
        self.assertEqual(first.stop(), [])

        # A mail server nobody listens on: the attempt fails, is counted, will be retried.
        dead = Sink()
        dead_port = dead.port
        dead.stop()
        second = self.start(db, ["--smtp", "smtp://127.0.0.1:%d" % dead_port])
        self.assertTrue(wait_for(lambda: sql(db, "SELECT attempts >= 1 AND last_error != '' "
                                                 "AND sent_at IS NULL FROM outbox "
                                                 "WHERE to_addr = ?", addr)[0][0]),
                        "the failed attempt was not recorded")
        self.assertEqual(second.stop(), [])

        sink = Sink()
        try:
            self.start(db, ["--smtp", "smtp://127.0.0.1:%d" % sink.port])
            got = sink.wait(1, timeout=60)
            self.assertEqual(len(got), 1, "the queued invitation was not sent after a restart")
            self.assertEqual(got[0][0], [addr])
            self.assertIn(b"Subject:", got[0][1])
            self.assertTrue(wait_for(lambda: sql(db, "SELECT sent_at IS NOT NULL FROM outbox "
                                                     "WHERE to_addr = ?", addr)[0][0]))
            (attempts, body), = sql(db, "SELECT attempts, body FROM outbox WHERE to_addr = ?",
                                    addr)
            self.assertGreaterEqual(attempts, 2)
            self.assertEqual(body, "")
        finally:
            sink.stop()


    def test_cli_invitation_is_queued(self):
        db = AccServer("accounts-cli-invite").db
        r = run_cli("user", "add", "--db", db, "--email", "Hugo.Ligne@tests.example", "--name",
                    "Hugo Ligne", "--role", "referent", "--contract", "1", "--invite")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"invitation queued", r.stdout)
        self.assertEqual(sql(db, "SELECT kind, sent_at FROM outbox WHERE to_addr = ?",
                             "hugo.ligne@tests.example"), [("invite", None)])


class Logins(unittest.TestCase):
    """120 wrong logins at once, each from its own loopback address so that no per-address
    throttle hides the load: the public pages keep answering."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("accounts-logins").start()

    def test_public_pages_answer_during_a_login_burst(self):
        n = 120
        clients = []
        for i in range(n):
            c = Client(self.server)
            c.source = ("127.0.0.%d" % (i + 2), 0)
            clients.append(c)
        # The form tokens first (one pre-session cookie each), so the burst is only logins.
        for c in clients:
            self.assertEqual(self.get(c, "/login").status, 200)
        start = threading.Barrier(n + 1)
        answers = [None] * n

        def login(i):
            c = clients[i]
            # Each its own address too: no per-address or per-account throttle answers for
            # the password checks, every login costs an argon2id verification.
            addr = "inconnu.%d@tests.example" % i
            body = urllib.parse.urlencode({"email": addr, "password": "pas le bon mot de passe",
                                           "next": "/", "csrf": c.csrf})
            start.wait()
            try:
                r = self.send(c, "POST", "/login", body, timeout=300)
                answers[i] = r.status
                if r.status == 429:
                    self.assertIn("réessayez dans un instant", r.read_body.decode())
            except OSError as e:
                answers[i] = repr(e)

        threads = [threading.Thread(target=login, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        start.wait()
        visitor = Client(self.server)
        visitor.source = ("127.0.0.250", 0)
        pages = []
        for path in ("/contracts/1", "/contracts/1/actions", "/contracts/1/tree",
                     "/contracts/1/dashboard", "/contracts/1/actions"):
            # A generous socket timeout: a worker stuck behind the password checks fails it.
            r = self.send(visitor, "GET", path, None, timeout=10)
            pages.append((path, r.status))
        for t in threads:
            t.join()
        self.assertEqual([s for _, s in pages], [200] * len(pages), pages)
        self.assertTrue(all(a in (401, 429) for a in answers), answers)
        # Some were checked (wrong password); beyond the bounded queue the rest were answered
        # at once, instead of each holding a page worker for an argon2id verification.
        self.assertIn(401, answers)
        self.assertIn(429, answers)

    def get(self, c, path):
        return self.send(c, "GET", path, None)

    def send(self, c, method, path, body, timeout=60):
        """A request from the client's own source address."""
        h = {}
        if c.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in c.cookies.items())
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout,
                                          source_address=c.source)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            r.read_body = r.read()
        finally:
            conn.close()
        for v in [v for k, v in r.getheaders() if k.lower() == "set-cookie"]:
            name, _, rest = v.partition("=")
            c.cookies[name] = rest.split(";")[0]
        m = re.search(rb'name="csrf" value="([^"]+)"', r.read_body)
        if m:
            c.csrf = m.group(1).decode()
        return r


if __name__ == "__main__":
    unittest.main()
