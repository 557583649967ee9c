"""test_directory_retention.py — issue 13, retention dates enforced: with nobody on the site, the
mailer's minute tick (web/core/mailer.c, on the test clock BOUSSOLE_TEST_CLOCK) erases a
directory contact whose retention date has passed, as the GDPR erasure does (pseudonym, no
consent, no referent seat, no service contact, journal values gone, the erasure journaled as the
automatic purge), so that it leaves the database and the data·inclusion export; a contact whose
date is still ahead stays. `boussole directory purge --dry-run` lists, `--yes` erases."""
import datetime
import json
import time
import unittest

from common import run_cli
from test_accounts import EMAILS, PASSWORD, AccServer, Client, FrozenClock, sql
from test_accounts_mail import Sink

PURGE_ACTOR = "purge automatique (date de conservation dépassée)"


def wait_for(check, timeout=60):
    """Polls check() until true (the tick runs on its own thread): no duration is asserted."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


class Retention(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.clock = FrozenClock("retention")
        cls.server = AccServer("retention", [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}",
            "--mail-from", "coordination@retention.example"], cls.clock.env()).start()
        cls.db = cls.server.db
        cls.coord = Client(cls.server)
        cls.coord.login(EMAILS["coordinator"], PASSWORD)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.sink.stop()

    def today(self):
        return datetime.datetime.fromtimestamp(self.clock.now, datetime.timezone.utc).date()

    def new_contact(self, name, email):
        """A contact of contract 1 without an account, made by the coordination's form, that
        becomes the contact of a service of its own."""
        self.coord.get("/contracts/1/people/new")
        r = self.coord.post("/contracts/1/people/new", {
            "name": name, "function": "Chargée de prévention", "organisation_id": "",
            "email": email, "phone": "03 83 00 00 00", "account_id": ""})
        self.assertEqual(r.status, 303, r.text[:400])
        pid = sql(self.db, "SELECT id FROM person WHERE name = ?", name)[0][0]
        return pid

    def set_directory(self, pid, until, theme):
        self.coord.get("/contracts/1/directory/people/%d/edit" % pid)
        version = sql(self.db, "SELECT version FROM person WHERE id = ?", pid)[0][0]
        r = self.coord.post("/contracts/1/directory/people/%d/edit" % pid, [
            ("version", str(version)), ("consent", "1"),
            ("retain_until", until.strftime("%d/%m/%Y")), ("themes", theme), ("epcis", "")])
        self.assertEqual(r.status, 303, r.text[:600])

    def contacts_exported(self):
        sv = json.loads(Client(self.server).get("/contracts/1/directory/services.json").text)
        return {s["contact_nom_prenom"] for s in sv if s.get("contact_nom_prenom")}

    def test_tick_erases_past_retention_and_keeps_the_others(self):
        soon, later = "Retention-Bientot Ambre", "Retention-Plus-Tard Basile"
        a = self.new_contact(soon, "ambre.bientot@tests.example")
        b = self.new_contact(later, "basile.tard@tests.example")
        services = [i for (i,) in sql(self.db, "SELECT id FROM service WHERE contract_id = 1 "
                                               "ORDER BY id LIMIT 2")]
        self.assertEqual(len(services), 2)
        for sid, pid in zip(services, (a, b)):
            sql(self.db, "UPDATE service SET person_id = ? WHERE id = ?", pid, sid)
        # Kept until tomorrow and until in a month (of the clock the server runs on).
        self.set_directory(a, self.today() + datetime.timedelta(days=1), "sante--sante-mentale")
        self.set_directory(b, self.today() + datetime.timedelta(days=30), "sante--sante-mentale")
        self.assertTrue({soon, later} <= self.contacts_exported())

        # Two days later, nobody on the site: one tick, and the first one is erased.
        self.clock.advance(2 * 86400 + 120)
        pseudonym = "Contact n°%d" % a
        self.assertTrue(wait_for(lambda: sql(self.db, "SELECT name FROM person WHERE id = ?",
                                             a)[0][0] == pseudonym))
        row = sql(self.db, "SELECT name, function, email, phone, public_consent, retain_until "
                           "FROM person WHERE id = ?", a)[0]
        self.assertEqual(row, (pseudonym, "", "", "", 0, ""))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM person_referent WHERE person_id = ?",
                             a)[0][0], 0)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM service WHERE person_id = ?", a)[0][0],
                         0)
        # Nowhere in the database any more: the journal keeps the pseudonym only.
        for table, cols in (("audit_log", "old_value || ' ' || new_value"),
                            ("person", "name || ' ' || email"),
                            ("outbox", "to_addr || ' ' || body")):
            hits = sql(self.db, "SELECT count(*) FROM %s WHERE %s LIKE ? OR %s LIKE ?"
                       % (table, cols, cols), "%Retention-Bientot%", "%ambre.bientot%")
            self.assertEqual(hits[0][0], 0, table)
        erased = sql(self.db, "SELECT actor, account_id FROM audit_log WHERE entity = 'person' "
                              "AND entity_id = ? AND field = 'erased'", a)
        self.assertEqual(erased, [(PURGE_ACTOR, None)])
        # Not in the export; the other one still is, with its consent and date.
        exported = self.contacts_exported()
        self.assertNotIn(soon, exported)
        self.assertNotIn(pseudonym, exported)
        self.assertIn(later, exported)
        self.assertEqual(sql(self.db, "SELECT name, public_consent FROM person WHERE id = ?", b),
                         [(later, 1)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM audit_log WHERE entity = 'person' "
                                      "AND entity_id = ? AND field = 'erased'", b)[0][0], 0)

    def test_command_lists_then_erases(self):
        name = "Retention-Commande Chloé"
        pid = self.new_contact(name, "chloe.commande@tests.example")
        # Kept until yesterday of the machine's clock, which the command uses.
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        self.set_directory(pid, yesterday, "")
        before = sql(self.db, "SELECT count(*) FROM audit_log")[0][0]
        r = run_cli("directory", "purge", "--db", self.db)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--dry-run", r.stderr)
        r = run_cli("directory", "purge", "--db", self.db, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(name, r.stdout.decode("utf-8"))
        self.assertIn("serait effacé", r.stdout.decode("utf-8"))
        self.assertEqual(sql(self.db, "SELECT name FROM person WHERE id = ?", pid), [(name,)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM audit_log")[0][0], before)
        r = run_cli("directory", "purge", "--db", self.db, "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(name, r.stdout.decode("utf-8"))
        self.assertEqual(sql(self.db, "SELECT name, public_consent FROM person WHERE id = ?",
                             pid), [("Contact n°%d" % pid, 0)])
        self.assertEqual(sql(self.db, "SELECT actor FROM audit_log WHERE entity = 'person' AND "
                                      "entity_id = ? AND field = 'erased'", pid),
                         [(PURGE_ACTOR,)])
        # Done once: nothing is left to purge for that record.
        r = run_cli("directory", "purge", "--db", self.db, "--dry-run")
        self.assertNotIn(name, r.stdout.decode("utf-8"))


if __name__ == "__main__":
    unittest.main()
