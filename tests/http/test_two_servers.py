"""test_two_servers.py — two `boussole serve` processes on one database, as behind a load
balancer (issue 14, "stateless servers", on the SQLite backend): a session opened on one is
valid on the other, a write through one is seen at once by the other (its shared cache notices
the other process's commit), login failures count across both, and with both background senders
running every queued mail leaves exactly once. Both servers read one frozen test clock."""

import json
import unittest

from common import api_token, bearer, connect, visible_text
from test_accounts import EMAILS, PASSWORD, AccServer, Client, FrozenClock, sql
from test_accounts_mail import Sink
from test_accounts_outbox import wait_for


def setUpModule():
    global SINK, CLOCK, A, B, TOKEN
    SINK = Sink()
    CLOCK = FrozenClock("two-servers")
    extra = ["--smtp", "smtp://127.0.0.1:%d" % SINK.port, "--base-url", "http://boussole.test"]
    A = AccServer("two-a", extra, env=CLOCK.env()).start()
    B = AccServer("two-b", extra, env=CLOCK.env())
    B.db = A.db  # the second process serves the same file
    B.start()
    TOKEN = api_token(A.db, "admin")


def tearDownModule():
    SINK.stop()


class TwoServers(unittest.TestCase):
    def test_a_session_opened_on_one_server_is_valid_on_the_other(self):
        a = Client(A)
        a.get("/login")
        r = a.post("/login", {"email": EMAILS["coordinator"], "password": PASSWORD, "next": "/"})
        self.assertEqual(r.status, 303)
        b = Client(B)
        b.cookies = dict(a.cookies)
        page = b.get("/account")
        self.assertEqual(page.status, 200)
        self.assertIn(EMAILS["coordinator"], page.text)
        # Signing out on B ends the session on A too.
        b.post("/logout", {})
        self.assertTrue(a.get("/account").login_redirect())

    def test_a_write_through_one_is_seen_at_once_on_the_other(self):
        path = "/contracts/1/actions?year=2027&status=abandoned"
        for _ in range(8):  # fill B's shared cache (once per worker thread)
            self.assertNotIn('/actions/4"', B.get(path).text)
        body = json.dumps({"year": 2027, "status": "abandoned", "remarks": "écrit sur A"})
        r = A.request("POST", "/api/v1/actions/4/status", body.encode(),
                      dict(bearer(TOKEN), **{"Content-Type": "application/json"}))
        self.assertEqual(r.status, 200, r.text)
        self.assertIn('/actions/4"', B.get(path).text)

    def test_login_failures_count_across_both_servers(self):
        addr = EMAILS["carrier"]
        statuses = []
        for i in range(6):
            c = Client(A if i % 2 == 0 else B)
            c.get("/login")
            statuses.append(c.post("/login", {"email": addr, "password": "faux n°%d" % i,
                                              "next": "/"}).status)
        # Three free failures then a delay (model/account/account.c): alternating servers
        # changes nothing, the count lives in the database.
        self.assertEqual(statuses, [401] * 4 + [429] * 2)
        CLOCK.advance(3600)

    def test_each_queued_mail_leaves_once_with_two_senders(self):
        n = 12
        before = len(SINK.messages)
        now = CLOCK.now  # the senders run on the test clock too
        rows = [(now, "test", "destinataire.%d@tests.example" % i, "Message %d" % i,
                 "Corps %d" % i, now) for i in range(n)]
        with connect(A.db) as c:
            c.executemany("INSERT INTO outbox (created_at, kind, to_addr, subject, body, "
                          "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.assertTrue(wait_for(lambda: sql(A.db, "SELECT count(*) FROM outbox WHERE kind = "
                                                   "'test' AND sent_at IS NOT NULL")[0][0] == n,
                                 timeout=60), "the queued mails were not all sent")
        got = SINK.wait(before + n, timeout=30)[before:]
        # Once every row is marked sent nothing more can leave; the sink holds each one once.
        self.assertEqual(sorted(rcpt[0] for rcpt, _ in got),
                         sorted(r[2] for r in rows))
        self.assertEqual(len(got), n)


if __name__ == "__main__":
    unittest.main()
