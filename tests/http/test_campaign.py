"""test_campaign.py — issue 12, the yearly update campaign, on the real binary with an SMTP sink:
a contract of 10 carrier organisations (one contact each with an e-mail address, two actions
each) built in the database; the coordinator opens the year; 10 links reach the sink, stored as
digests only; 6 carriers answer through their link; a link cannot touch another organisation's
action (403); reminders (the button, then the 7-day schedule) reach only the 4 others; the rate
page says 60 % overall and, per axis, what the test computes from the database itself; at the
close links and their sessions stop (410) and a later status of the year is a flagged
correction. Time is the test clock (BOUSSOLE_TEST_CLOCK): nothing sleeps but polls."""

import datetime
import email
import email.policy
import hashlib
import os
import re
import time
import unittest
import urllib.parse

import common
from common import connect, new_db, run_cli, tmp_path, visible_text
from test_accounts import PASSWORD, AccServer, Client, FrozenClock, add_account, sql
from test_accounts_mail import Sink

N_ORGS = 10
ANSWERING = 6
COORD = "coordination@campagne.example"


def build_db(name):
    """A fresh database: one contract, two axes, 10 carriers with two actions each (the first
    under axis 1, the second under axis 1 for the first three carriers and axis 2 otherwise),
    one contact each; a partner organisation and a contact without address get no link."""
    db = new_db(name + ".db")
    r = run_cli("init", "--db", db)
    if r.returncode != 0:
        raise RuntimeError("boussole init failed: " + r.stderr)
    con = connect(db)
    with con:
        con.execute("INSERT INTO territory (id, name) VALUES (1, 'Pays de la campagne')")
        con.execute("INSERT INTO contract (id, territory_id, title, created_at) VALUES "
                    "(1, 1, 'CLS de la campagne', '2020-01-01T00:00:00Z')")
        con.executemany("INSERT INTO objective (id, contract_id, parent_id, level, code, title) "
                        "VALUES (?, 1, ?, ?, ?, ?)",
                        [(1, None, "strategic", "1", "Prévention"),
                         (2, None, "strategic", "2", "Accès aux soins"),
                         (3, 1, "operational", "1.1", "Informer"),
                         (4, 2, "operational", "2.1", "Orienter")])
        for i in range(1, N_ORGS + 2):
            con.execute("INSERT INTO organisation (id, name) VALUES (?, ?)",
                        (i, "Organisation %02d" % i))
        for i in range(1, N_ORGS + 1):
            for k, objective in ((1, 3), (2, 3 if i <= 3 else 4)):
                cur = con.execute(
                    "INSERT INTO action (contract_id, objective_id, kind, code, title, created_at)"
                    " VALUES (1, ?, 'sheet', ?, ?, '2020-01-01T00:00:00Z')",
                    (objective, "%d.%d" % (i, k), "Action %d de l'organisation %02d" % (k, i)))
                con.execute("INSERT INTO action_organisation (action_id, organisation_id, role) "
                            "VALUES (?, ?, 'carrier')", (cur.lastrowid, i))
                con.execute("INSERT INTO action_organisation (action_id, organisation_id, role) "
                            "VALUES (?, ?, 'partner')", (cur.lastrowid, N_ORGS + 1))
            con.execute("INSERT INTO person (contract_id, name, organisation_id, email, "
                        "created_at) VALUES (1, ?, ?, ?, 'x')",
                        ("Contact %02d" % i, i, "contact%02d@campagne.example" % i))
        # An indicator on the first carrier's first action: its value goes through the link too.
        con.execute("INSERT INTO indicator (id, contract_id, action_id, name, kind, unit, "
                    "created_at) VALUES (1, 1, 1, 'Participants', 'process', 'personnes', "
                    "'2020-01-01')")
        con.execute("INSERT INTO person (contract_id, name, organisation_id, email, created_at) "
                    "VALUES (1, 'Sans Adresse', 1, '', 'x'), "
                    "(1, 'Partenaire Seul', ?, 'partenaire@campagne.example', 'x')", (N_ORGS + 1,))
    con.close()
    add_account(db, COORD, "Camille Coordination", "coordinator", contract=1)
    return db


class CampaignServer(AccServer):
    """`boussole serve` on the campaign database (not the demo's)."""

    def __init__(self, name, db, extra, env):
        common.Server.__init__(self, name, db, command="serve")
        self.extra = list(extra)
        self.env = dict(os.environ, **env)


def mail_text(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg, msg.get_body(preferencelist=("plain",)).get_content()


class Campaign(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.clock = FrozenClock("campaign")
        cls.db = build_db("campaign")
        cls.server = CampaignServer("campaign", cls.db, [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}",
            "--mail-from", "coordination@campagne.example"], cls.clock.env()).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def links_in(self, messages):
        """{recipient: path of the personal link} of campaign messages."""
        out = {}
        for rcpts, raw in messages:
            msg, text = mail_text(raw)
            links = re.findall(r"(\S+/campaign\?token=[A-Za-z0-9_-]+)", text)
            self.assertEqual(len(links), 1, text)
            self.assertTrue(links[0].startswith(self.base + "/campaign?token="), links[0])
            self.assertEqual(len(rcpts), 1)
            out[rcpts[0]] = links[0][len(self.base):]
        return out

    def expected_rates(self, year):
        """(total, answered) overall and per axis code, computed here from the tables: every
        non-archived action of the contract counts (all exist since 2020), answered when it has
        a status of the year."""
        rows = sql(self.db,
                   "SELECT ax.code, a.id, EXISTS (SELECT 1 FROM action_status s WHERE "
                   "s.action_id = a.id AND s.year = ?) FROM action a JOIN objective o ON "
                   "o.id = a.objective_id JOIN objective ax ON ax.id = o.parent_id "
                   "WHERE a.contract_id = 1 AND a.archived = 0", year)
        axes = {}
        for code, _aid, answered in rows:
            t = axes.setdefault(code, [0, 0])
            t[0] += 1
            t[1] += answered
        return (len(rows), sum(r[2] for r in rows)), axes

    def test_campaign_journey(self):
        year = datetime.datetime.fromtimestamp(self.clock.now, datetime.timezone.utc).year
        deadline = datetime.date.fromtimestamp(self.clock.now) + datetime.timedelta(days=20)
        deadline_end = int(datetime.datetime(deadline.year, deadline.month, deadline.day, 23, 59,
                                             59, tzinfo=datetime.timezone.utc).timestamp())
        coord = Client(self.server)
        coord.login(COORD)
        self.assertIn('href="/contracts/1/campaigns"', coord.get("/contracts/1").text)
        self.assertNotIn('href="/contracts/1/campaigns"',
                         Client(self.server).get("/contracts/1").text)
        r = coord.get("/contracts/1/campaigns")
        self.assertEqual(r.status, 200, visible_text(r.text)[:300])
        self.assertIn("10 contacts", visible_text(r.text))
        # A deadline already past is refused and opens nothing.
        r = coord.post("/contracts/1/campaigns", {"year": year, "deadline": "01/01/2020"})
        self.assertEqual(r.status, 422)
        self.assertIn("déjà passée", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM campaign")[0][0], 0)
        r = coord.post("/contracts/1/campaigns", {"year": year,
                                                  "deadline": deadline.strftime("%d/%m/%Y")})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        page = r.header("location")
        self.assertTrue(page.startswith("/contracts/1/campaigns/"), page)
        page = page.split("?")[0]

        # 10 links reach the sink, one per carrier contact; only digests are stored.
        got = self.sink.wait(N_ORGS, timeout=60)
        self.assertEqual(len(got), N_ORGS)
        links = self.links_in(got)
        contacts = {"contact%02d@campagne.example" % i: i for i in range(1, N_ORGS + 1)}
        self.assertEqual(set(links), set(contacts))
        digests = {d for (d,) in sql(self.db, "SELECT digest FROM campaign_token")}
        for path in links.values():
            token = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)["token"][0]
            self.assertGreaterEqual(len(token) * 6, 128)
            self.assertIn(hashlib.sha256(token.encode()).hexdigest(), digests)
            self.assertNotIn(token, digests)

        # 6 carriers answer through their link, each for its two actions.
        answering = sorted(contacts, key=contacts.get)[:ANSWERING]
        sessions = {}
        for addr in answering:
            org = contacts[addr]
            c = Client(self.server)
            r = c.get(links[addr])
            self.assertEqual(r.status, 303)
            self.assertEqual(r.header("location"), "/campaign/actions")
            self.assertIn("bsl_campaign", c.cookies)
            r = c.get("/campaign/actions")
            self.assertEqual(r.status, 200)
            mine = [aid for (aid,) in sql(self.db, "SELECT action_id FROM action_organisation "
                                                   "WHERE organisation_id = ? AND role = "
                                                   "'carrier' ORDER BY action_id", org)]
            shown = sorted(int(x) for x in re.findall(r'action="/campaign/actions/(\d+)"',
                                                      r.text))
            self.assertEqual(shown, mine)
            for aid in mine:
                fields = {"status": "in_progress", "remarks": "(+) Avancée de %02d" % org}
                if 'name="value-1"' in r.text and aid == 1:
                    fields["value-1"] = "12,5"
                r = c.post("/campaign/actions/%d" % aid, fields)
                self.assertEqual(r.status, 303, visible_text(r.text)[:300])
                c.get("/campaign/actions")
            sessions[addr] = c
        self.assertEqual(sql(self.db, "SELECT period, value, recorded_by FROM indicator_value"),
                         [(str(year), 12.5, "Organisation 01 (lien de campagne)")])
        # The public action page names the organisation, never the contact.
        public = visible_text(Client(self.server).get("/actions/1").text)
        self.assertIn("Organisation 01 (lien de campagne)", public)
        self.assertNotIn("Contact 01", public)
        # The journal names the person who answered.
        actors = sql(self.db, "SELECT DISTINCT actor FROM audit_log WHERE entity = 'action' "
                              "AND field = ?", "status:%d" % year)
        self.assertEqual(len(actors), ANSWERING)
        self.assertTrue(all(a.startswith("Contact ") for (a,) in actors), actors)

        # A link cannot touch another organisation's action.
        intruder = sessions[answering[0]]
        other = sql(self.db, "SELECT action_id FROM action_organisation WHERE organisation_id = "
                             "? AND role = 'carrier'", N_ORGS)[0][0]
        before = sql(self.db, "SELECT count(*) FROM action_status")[0][0]
        r = intruder.post("/campaign/actions/%d" % other, {"status": "done", "remarks": "x"})
        self.assertEqual(r.status, 403)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM action_status")[0][0], before)
        # Without a session, or without the form token, nothing is written either.
        r = Client(self.server).post("/campaign/actions/%d" % other, {"status": "done"},
                                     csrf=None)
        self.assertEqual(r.status, 403)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM action_status")[0][0], before)

        # Reminders (the button) go only to the 4 who did not answer.
        quiet = set(contacts) - set(answering)
        r = coord.get(page)
        r = coord.post(page + "/remind", {})
        self.assertEqual(r.status, 303)
        got = self.sink.wait(N_ORGS + 4, timeout=60)
        self.assertEqual(len(got), N_ORGS + 4)
        self.assertEqual({rc[0] for rc, _ in got[N_ORGS:]}, quiet)
        # A reminder's link works too, next to the first one.
        _msg, text = mail_text(got[-1][1])
        self.assertIn("Rappel", _msg["Subject"])
        path = re.search(r"/campaign\?token=[A-Za-z0-9_-]+", text).group(0)
        self.assertEqual(Client(self.server).get(path).status, 303)
        # The schedule: 7 days before the deadline, once, again only to the 4. The sender works
        # on the wall clock, so these are read in the outbox (where the page writes them), not
        # at the sink: the test clock is two weeks ahead.
        last = sql(self.db, "SELECT max(id) FROM outbox")[0][0]
        self.clock.advance(deadline_end - 6 * 86400 - self.clock.now)
        coord = Client(self.server)  # two weeks later: the old session has expired
        coord.login(COORD)
        self.assertEqual(coord.get(page).status, 200)
        queued = sql(self.db, "SELECT to_addr, subject FROM outbox WHERE id > ? AND kind = "
                              "'campaign'", last)
        self.assertEqual(sorted(a for a, _ in queued), sorted(quiet))
        self.assertTrue(all(s.startswith("Rappel") for _, s in queued), queued)
        self.assertEqual(coord.get(page).status, 200)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM outbox WHERE kind = 'campaign'")[0][0],
                         N_ORGS + 8)

        # The rate page: 60 % overall, and per axis what the database says.
        (total, answered), axes = self.expected_rates(year)
        self.assertEqual((total, answered), (2 * N_ORGS, 2 * ANSWERING))
        r = coord.get(page)
        self.assertEqual(r.status, 200)
        overall = visible_text(re.search(r'<p id="taux-global".*?</p>', r.text, re.S).group(0))
        self.assertIn("60 %", overall)
        self.assertIn("%d sur %d" % (answered, total), overall)
        self.assertIn("%d dans les temps, 0 en retard" % answered, overall)
        table = re.search(r'<table id="par-axe".*?</table>', r.text, re.S).group(0)
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(\d+)</td><td>(\d+)</td>"
                          r"<td>(\d+) %</td>", table)
        self.assertEqual(len(rows), len(axes))
        for label, n_total, n_answered, pct in rows:
            code = visible_text(label).split(" ")[0]
            self.assertEqual((int(n_total), int(n_answered)), tuple(axes[code]), label)
            self.assertEqual(int(pct), round(100 * axes[code][1] / axes[code][0]))

        # The close: links and their sessions stop working, with a clear page.
        late = Client(self.server)
        self.assertEqual(late.get(links[answering[1]]).status, 303)
        self.assertEqual(late.get("/campaign/actions").status, 200)
        r = coord.post(page + "/close", {})
        self.assertEqual(r.status, 303)
        for addr in (answering[1], sorted(quiet)[0]):
            r = Client(self.server).get(links[addr])
            self.assertEqual(r.status, 410)
            self.assertIn("Campagne close", visible_text(r.text))
        r = late.get("/campaign/actions")
        self.assertEqual(r.status, 410)
        mine = sql(self.db, "SELECT action_id FROM action_organisation WHERE organisation_id = "
                            "? AND role = 'carrier'", contacts[answering[1]])[0][0]
        r = late.post("/campaign/actions/%d" % mine, {"status": "done"})
        self.assertEqual(r.status, 410)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM action_status WHERE action_id = ? "
                                      "AND status = 'done'", mine)[0][0], 0)
        # A status of the frozen year written afterwards is a flagged, journaled correction.
        coord.get("/actions/%d" % other)
        r = coord.post("/actions/%d/status" % other, {"year": year, "status": "done",
                                                     "remarks": "Oubli", "recommendations": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(sql(self.db, "SELECT correction FROM action_status WHERE action_id = ? "
                                      "ORDER BY id DESC LIMIT 1", other)[0][0], 1)
        self.assertEqual(sql(self.db, "SELECT actor FROM audit_log WHERE field = ? AND "
                                      "entity_id = ?", "correction:%d" % year, other),
                         [("Camille Coordination",)])
        self.assertIn("Correction après la clôture de la campagne",
                      visible_text(coord.get("/actions/%d" % other).text))
        journal = visible_text(coord.get("/contracts/1/audit").text)
        self.assertIn("Correction après clôture de la campagne", journal)
        self.assertIn("Campagne de mise à jour %d" % year, journal)
        # The rate stays what the campaign collected.
        r = coord.get(page)
        overall = visible_text(re.search(r'<p id="taux-global".*?</p>', r.text, re.S).group(0))
        self.assertIn("60 %", overall)


if __name__ == "__main__":
    unittest.main()
