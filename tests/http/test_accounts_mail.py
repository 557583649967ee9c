"""test_accounts_mail.py — the e-mails of issue 3 on the real binary: boussole serves a copy of
the demo database with --smtp pointing at a local SMTP sink (Debian's python3-aiosmtpd, run in
this process) and --base-url naming its own port. A forgotten password: the reset message
arrives (MIME, base64 body), its link sets a new password once (the second time: 410 "Lien
expiré"); an unknown address gets the same page and no message. An administrator's invitation:
the message arrives and its link sets the first password. Servers and clients: test_accounts.py.
"""

import email
import email.policy
import re
import time
import unittest
import urllib.parse

from common import free_port, visible_text
from test_accounts import EMAILS, PASSWORD, AccServer, Client, sql

NEW_PASSWORD = "le coucou chante trois fois sous la pluie"


class Sink:
    """A local SMTP server (aiosmtpd) keeping every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        kept = self.messages = []

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                kept.append((list(envelope.rcpt_tos), envelope.content))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait(self, n, timeout=20):
        deadline = time.time() + timeout
        while len(self.messages) < n and time.time() < deadline:
            time.sleep(0.05)
        return self.messages

    def stop(self):
        self.controller.stop()


def link_in(test, raw, base):
    """The single-use link of a message: checks the MIME structure and decodes the body."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain",))
    test.assertIsNotNone(part, raw[:500])
    test.assertEqual(part.get("Content-Transfer-Encoding", "").lower(), "base64")
    test.assertEqual(part.get_content_charset(), "utf-8")
    text = part.get_content()
    links = re.findall(r"(\S+/password/reset\?token=\S+)", text)
    test.assertEqual(len(links), 1, text)
    test.assertTrue(links[0].startswith(base + "/password/reset?token="), links[0])
    return msg, text, links[0][len(base):]


class Mail(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.server = AccServer("accounts-mail", [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}",
            "--mail-from", "coordination@cls-demo.invalid"]).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def forgot(self, addr):
        c = Client(self.server)
        self.assertEqual(c.get("/password/forgot").status, 200)
        r = c.post("/password/forgot", {"email": addr})
        self.assertEqual(r.status, 200)
        return visible_text(re.search(r'<p class="notice"[^>]*>(.*?)</p>', r.text, re.S)
                            .group(1))

    def set_password(self, path, password):
        c = Client(self.server)
        r = c.get(path)
        self.assertEqual(r.status, 200, visible_text(r.text)[:300])
        self.assertIn("Choisir un mot de passe", r.text)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["token"][0]
        return c.post("/password/reset", {"token": token, "password": password})

    def test_password_reset(self):
        addr = EMAILS["carrier"]
        # An unknown address: the same answer, and nothing is queued (the outbox row of a
        # known address is committed before the answer, so its absence is final).
        n = len(self.sink.messages)
        unknown = self.forgot("personne.inconnue@tests.example")
        self.assertEqual(sql(self.server.db, "SELECT count(*) FROM outbox WHERE to_addr = ?",
                             "personne.inconnue@tests.example"), [(0,)],
                         "a message to an unknown address")
        known = self.forgot(addr)
        self.assertEqual(unknown, known)
        self.assertIn("Si un compte existe pour cette adresse", known)
        got = self.sink.wait(n + 1)
        self.assertEqual(len(got), n + 1, "no reset message reached the sink")
        rcpt, raw = got[n]
        self.assertEqual(rcpt, [addr])
        msg, text, path = link_in(self, raw, self.base)
        self.assertEqual(str(msg["Subject"]), "Boussole : nouveau mot de passe")
        self.assertIn("coordination@cls-demo.invalid", str(msg["From"]))
        self.assertIn("valable une heure", text)
        self.assertIn("Paul Porteur", text)

        # A password against the rule: shown again with the message, the link still valid.
        r = self.set_password(path, "trop court")
        self.assertEqual(r.status, 422)
        self.assertIn("14", visible_text(r.text))
        r = self.set_password(path, NEW_PASSWORD)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(r.header("location"), "/login?reset=1")
        (h,), = sql(self.server.db, "SELECT password_hash FROM account WHERE email = ?", addr)
        self.assertTrue(h.startswith("$argon2id$"))

        c = Client(self.server)
        self.assertEqual(c.login(addr, PASSWORD, expect=None).status, 401)
        c.login(addr, NEW_PASSWORD)
        self.assertTrue(c.signed_in())
        self.assertIn("Paul Porteur", c.get("/account").text)

        # The same link a second time.
        c = Client(self.server)
        r = c.get(path)
        self.assertEqual(r.status, 410)
        self.assertIn("Lien expiré", r.text)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["token"][0]
        c.get("/password/forgot")
        r = c.post("/password/reset", {"token": token, "password": "encore une autre phrase"})
        self.assertEqual(r.status, 410)
        self.assertIn("Lien expiré", r.text)
        self.assertEqual(Client(self.server).get("/password/reset?token=" + "x" * 43).status, 410)

    def test_invitation(self):
        admin = Client(self.server)
        admin.login(EMAILS["admin"])
        admin.get("/admin/accounts")
        n = len(self.sink.messages)
        addr = "iris.invitee@tests.example"
        r = admin.post("/admin/accounts", {"name": "Iris Invitée", "email": addr,
                                           "role": "referent", "contract": "1",
                                           "organisation": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:500])
        self.assertEqual(r.header("location"), "/admin/accounts?done=invited")
        got = self.sink.wait(n + 1)
        self.assertEqual(len(got), n + 1, "no invitation reached the sink")
        rcpt, raw = got[n]
        self.assertEqual(rcpt, [addr])
        msg, text, path = link_in(self, raw, self.base)
        self.assertEqual(str(msg["Subject"]), "Boussole : votre compte vous attend")
        self.assertIn("Bonjour Iris Invitée", text)
        self.assertIn("valable 7 jours", text)
        row = re.search(r"<tr><td>Iris Invitée</td>.*?</tr>", admin.get("/admin/accounts").text)
        self.assertIn("Invité", row.group(0))
        # No password yet: nothing opens the account.
        self.assertEqual(Client(self.server).login(addr, PASSWORD, expect=None).status, 401)

        r = self.set_password(path, NEW_PASSWORD)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        c = Client(self.server)
        c.login(addr, NEW_PASSWORD)
        page = c.get("/account").text
        self.assertIn("Iris Invitée", page)
        self.assertIn("Élu référent", visible_text(page))
        row = re.search(r"<tr><td>Iris Invitée</td>.*?</tr>", admin.get("/admin/accounts").text)
        self.assertIn("Actif", row.group(0))
        self.assertEqual(Client(self.server).get(path).status, 410)


if __name__ == "__main__":
    unittest.main()
