"""test_newsletter.py — issue 13, communication, on the real binary with an SMTP sink and the
demo contract (CLS 2, 2019–2023) at a frozen date of 2021: the home page flags the years the
communication plan's newsletter target was missed (computed here from the tables); the
coordination subscribes 20 addresses (bad input refused), composes issue 1 from the proposed
draft (key figures equal to the dashboard's), previews and sends it: 20 mails reach the sink,
each with its personal RFC 8058 List-Unsubscribe headers; the 2021 target is then met. The
one-click POST unsubscribes without session nor CSRF token, once ("already" the second time);
issue 2 goes to the 19 others. The public archive shows sent issues only; other roles get 403;
the one-page summary PDF has one page, embedded fonts and the dashboard's figures."""

import calendar
import email
import email.policy
import re
import subprocess
import unittest

from common import tmp_path, visible_text
from test_accounts import EMAILS, AccServer, Client, FrozenClock, sql
from test_accounts_mail import Sink

N_SUBSCRIBERS = 20
YEAR = 2021
COORD = EMAILS["coordinator"]


def expected_done(db, support, year):
    """What the plan row whose support is `support` did in year: recorded counts plus the
    newsletters sent that year when the row counts them (the rule, recomputed here)."""
    (item, counts) = sql(db, "SELECT id, counts_newsletters FROM comm_item WHERE support = ?",
                         support)[0]
    done = sql(db, "SELECT coalesce(sum(count), 0) FROM comm_done WHERE item_id = ? AND "
                   "year = ?", item, year)[0][0]
    if counts:
        done += sql(db, "SELECT count(*) FROM newsletter WHERE contract_id = 1 AND "
                        "state = 'sent' AND sent_year = ?", year)[0][0]
    return done


def dashboard_counts(text):
    """{status key: count} of the dashboard's overall table (and 'none', 'year')."""
    table = re.search(r'<table class="narrow"><caption>[^<]*en (\d{4})</caption>(.*?)</table>',
                      text, re.S)
    out = {"year": int(table.group(1))}
    for key, n in re.findall(r'<span class="status st-(\w+)">[^<]*</span></th>'
                             r'<td class="num">(?:<a [^>]*>)?(\d+)', table.group(2)):
        out[key] = int(n)
    return out


class Newsletter(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.clock = FrozenClock("newsletter")
        cls.clock.now = calendar.timegm((YEAR, 6, 15, 10, 0, 0))
        cls.clock.write()
        cls.server = AccServer("newsletter", [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}",
            "--mail-from", "coordination@cls-demo.invalid"], cls.clock.env()).start()
        cls.db = cls.server.db
        cls.base = "http://127.0.0.1:%d" % cls.server.port
        cls.coord = Client(cls.server)
        cls.coord.login(COORD)

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def subscribe_all(self):
        c = self.coord
        c.get("/contracts/1/newsletters")
        addrs = ["abonne%02d@exemple.fr" % i for i in range(1, N_SUBSCRIBERS + 1)]
        for a in addrs:
            r = c.post("/contracts/1/subscribers", {"email": a.upper() if a.endswith("1@exemple.fr")
                                                    else a, "consent": "1"})
            self.assertEqual(r.status, 303, visible_text(r.text)[:300])
            c.get("/contracts/1/newsletters")
        return addrs

    def compose(self, title):
        c = self.coord
        c.get("/contracts/1/newsletters")
        r = c.post("/contracts/1/newsletters", {"title": title})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        path = r.header("location").split("?")[0]
        return path, c.get(path)

    def send(self, path):
        page = self.coord.get(path)
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
        r = self.coord.post(path + "/send", {"version": version})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])

    def test_1_missed_target_on_home(self):
        text = visible_text(self.coord.get("/contracts/1").text)
        self.assertIn("Objectif de communication manqué", text)
        for year in (2019, 2020):
            done = expected_done(self.db, "Newsletter", year)
            phrase = "%d (%d sur 1)" % (year, done)
            if done < 1:
                self.assertIn(phrase, text)
            else:
                self.assertNotIn(phrase, text)
        self.assertIn("Au moins une newsletter par an : %d sur 1 en %d — En cours"
                      % (expected_done(self.db, "Newsletter", YEAR), YEAR), text)

    def test_2_bad_input_refused(self):
        c = self.coord
        c.get("/contracts/1/newsletters")
        before = sql(self.db, "SELECT count(*) FROM subscriber")[0][0]
        for fields, words in (({"email": "pas-une-adresse", "consent": "1"}, "invalide"),
                              ({"email": "a@b.fr\r\nBcc: x@y.fr", "consent": "1"}, "invalide"),
                              ({"email": "sans.accord@exemple.fr"}, "consentement")):
            r = c.post("/contracts/1/subscribers", fields)
            self.assertEqual(r.status, 422)
            self.assertIn(words, visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM subscriber")[0][0], before)
        r = c.post("/contracts/1/newsletters", {"title": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("Donnez un titre", visible_text(r.text))
        r = c.post("/contracts/1/communication", {"item": "1", "year": "deux mille",
                                                  "count": "0"})
        self.assertEqual(r.status, 422)
        self.assertIn("Indiquez l'année", visible_text(r.text))
        self.assertIn("nombre entier non nul", visible_text(r.text))

    def test_3_other_roles_refused(self):
        for role in ("carrier", "referent", "signatory"):
            c = Client(self.server)
            c.login(EMAILS[role])
            self.assertEqual(c.get("/contracts/1/newsletters").status, 403, role)
            r = c.post("/contracts/1/subscribers", {"email": "x@exemple.fr", "consent": "1"})
            self.assertEqual(r.status, 403, role)
        anon = Client(self.server)
        self.assertTrue(anon.get("/contracts/1/newsletters").login_redirect())
        self.assertEqual(sql(self.db, "SELECT count(*) FROM subscriber WHERE email = "
                                      "'x@exemple.fr'"), [(0,)])

    def test_4_send_unsubscribe_archive(self):
        addrs = self.subscribe_all()
        self.assertEqual(sql(self.db, "SELECT count(*) FROM subscriber WHERE contract_id = 1 AND "
                                      "unsubscribed_at IS NULL"), [(N_SUBSCRIBERS,)])
        r = self.coord.post("/contracts/1/subscribers", {"email": addrs[0], "consent": "1"})
        self.assertEqual(r.status, 422)
        self.assertIn("déjà abonnée", visible_text(r.text))

        path, page = self.compose("Des nouvelles du printemps")
        self.assertEqual(page.status, 200)
        text = visible_text(page.text)
        self.assertIn("Lettre d'information n° 1", text)
        # The draft's key figures are the dashboard's (one counting rule).
        dash = dashboard_counts(self.coord.get("/contracts/1/dashboard").text)
        total = sum(v for k, v in dash.items() if k != "year")
        done = dash["done_closed"] + dash["done_recurring"] + dash["done"]
        self.assertIn("Le contrat en chiffres (%d)" % dash["year"], text)
        self.assertIn("%d actions, dont %d réalisées" % (total, done), text)
        self.assertIn("%d en cours" % dash["in_progress"], text)
        self.assertIn("Les prochains rendez-vous", text)
        # Edit, preview, then a stale version is refused.
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
        body = "## À la une\n\nLe **COPIL** s'est réuni.\n\n- premier point\n- second point\n"
        r = self.coord.post(path, {"version": version, "title": "Printemps 2021", "body": body})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        page = self.coord.get(path)
        self.assertIn("<h2>À la une</h2>", page.text)
        self.assertIn("<strong>COPIL</strong>", page.text)
        r = self.coord.post(path, {"version": version, "title": "Autre", "body": "x"})
        self.assertEqual(r.status, 409)
        r = self.coord.post(path, {"version": str(int(version) + 1), "title": "Printemps 2021",
                                   "body": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("Le texte est vide", visible_text(r.text))

        self.send(path)
        got = self.sink.wait(N_SUBSCRIBERS, timeout=60)
        self.assertEqual(len(got), N_SUBSCRIBERS)
        links = {}
        for rcpts, raw in got:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            self.assertEqual(len(rcpts), 1)
            self.assertIn("Printemps 2021", str(msg["Subject"]))
            m = re.fullmatch(r"<(https?://\S+/newsletter/unsubscribe\?token=[A-Za-z0-9_-]+)>",
                             str(msg["List-Unsubscribe"]))
            self.assertIsNotNone(m, msg["List-Unsubscribe"])
            self.assertEqual(str(msg["List-Unsubscribe-Post"]), "List-Unsubscribe=One-Click")
            text = msg.get_body(preferencelist=("plain",)).get_content()
            self.assertIn(m.group(1), text)
            self.assertIn("À la une", text)
            links[rcpts[0]] = m.group(1)[len(self.base):]
        self.assertEqual(set(links), set(addrs))
        self.assertEqual(len(set(links.values())), N_SUBSCRIBERS)

        # The issue counts toward the plan's newsletter target of the year.
        self.assertEqual(expected_done(self.db, "Newsletter", YEAR), 1)
        text = visible_text(self.coord.get("/contracts/1").text)
        self.assertIn("Au moins une newsletter par an : 1 sur 1 en %d — Objectif atteint" % YEAR,
                      text)
        # The journal names the issue by its number, and the unsubscriptions come later.
        journal = visible_text(self.coord.get("/contracts/1/audit").text)
        self.assertIn("Lettre d'information n° 1", journal)
        # A sent issue is frozen.
        r = self.coord.post(path, {"version": "3", "title": "Changé", "body": "x"})
        self.assertEqual(r.status, 409)

        # One-click unsubscribe: no session, no CSRF token; works once.
        gone = addrs[3]
        anon = Client(self.server)
        r = anon.get(links[gone])
        self.assertEqual(r.status, 200)
        self.assertIn(gone, visible_text(r.text))
        r = anon.request("POST", links[gone], "List-Unsubscribe=One-Click",
                         {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200)
        self.assertIn("C'est fait", visible_text(r.text))
        r = anon.request("POST", links[gone], "List-Unsubscribe=One-Click",
                         {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200)
        self.assertIn("déjà désinscrite", visible_text(r.text))
        self.assertIn("déjà désinscrite", visible_text(anon.get(links[gone]).text))
        self.assertEqual(anon.get("/newsletter/unsubscribe?token=" + "x" * 43).status, 404)

        # Issue 2 reaches the 19 others only.
        path2, _ = self.compose("Été 2021")
        self.send(path2)
        got = self.sink.wait(2 * N_SUBSCRIBERS - 1, timeout=60)
        second = got[N_SUBSCRIBERS:]
        self.assertEqual(len(second), N_SUBSCRIBERS - 1)
        self.assertEqual({r[0] for r, _raw in second}, set(addrs) - {gone})

        # The public archive: both sent issues, each a page; a draft is not public.
        path3, _ = self.compose("Brouillon d'automne")
        r = anon.get("/contracts/1/newsletters/archive")
        self.assertEqual(r.status, 200)
        text = visible_text(r.text)
        self.assertIn("N° 1 : Printemps 2021", text)
        self.assertIn("N° 2 : Été 2021", text)
        self.assertNotIn("automne", text)
        r = anon.get("/contracts/1/newsletters/archive/1")
        self.assertEqual(r.status, 200)
        self.assertIn("<strong>COPIL</strong>", r.text)
        self.assertEqual(anon.get("/contracts/1/newsletters/archive/3").status, 404)
        self.assertNotEqual(anon.get(path3).status, 200)

    def test_5_glance_pdf(self):
        r = self.coord.get("/contracts/1/glance.pdf")
        self.assertEqual(r.status, 200, r.text[:300] if r.status != 200 else "")
        self.assertEqual(r.header("content-type"), "application/pdf")
        pdf = tmp_path("glance.pdf")
        with open(pdf, "wb") as f:
            f.write(r.body)
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True)
        self.assertRegex(info.stdout, r"(?m)^Pages:\s+1$")
        self.assertRegex(info.stdout, r"(?m)^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)")
        fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True)
        rows = fonts.stdout.splitlines()[2:]
        self.assertTrue(rows)
        for row in rows:
            self.assertIn(" yes ", row)  # embedded
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                              text=True, check=True).stdout
        dash = dashboard_counts(self.coord.get("/contracts/1/dashboard").text)
        self.assertIn("Chiffres clés %d" % dash["year"], text)
        labels = {"done_closed": "Réalisée et close", "done_recurring": "Réalisée, récurrente",
                  "in_progress": "En cours", "reflection": "Réflexion engagée",
                  "not_started": "Non commencée", "abandoned": "Abandonnée",
                  "none": "Sans état"}
        for key, label in labels.items():
            self.assertRegex(text, r"%s\s+%d\s" % (re.escape(label), dash.get(key, 0)), key)
        total = sum(v for k, v in dash.items() if k != "year")
        self.assertRegex(text, r"Total\s+%d\s" % total)
        title = sql(self.db, "SELECT title FROM contract WHERE id = 1")[0][0]
        self.assertIn(title, " ".join(text.split()))
        # One page for an elected official, not a public document.
        self.assertTrue(Client(self.server).get("/contracts/1/glance.pdf").login_redirect())

    def test_6_plan_rows_and_targets(self):
        c = self.coord
        c.get("/contracts/1/communication")
        rows = sql(self.db, "SELECT count(*) FROM comm_item")[0][0]
        for fields, words in (({"support": "", "per_year": "1"}, "Indiquez le support"),
                              ({"support": "Réunions", "per_year": "-3"}, "entre 0 et 1000"),
                              ({"support": "Réunions", "target_from": "21"}, "Indiquez l'année")):
            r = c.post("/contracts/1/communication/new", fields)
            self.assertEqual(r.status, 422)
            self.assertIn(words, visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM comm_item")[0][0], rows)
        indicator = "Au moins 2 réunions publiques par an"
        r = c.post("/contracts/1/communication/new", {
            "support": "Réunions publiques", "indicator": indicator, "per_year": "2",
            "target_from": str(YEAR)})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        (item, per_year, start) = sql(self.db, "SELECT id, target_per_year, target_from FROM "
                                               "comm_item WHERE indicator = ?", indicator)[0]
        self.assertEqual((per_year, start), (2, YEAR))
        home = visible_text(c.get("/contracts/1").text)
        self.assertIn("%s : 0 sur 2 en %d — En cours" % (indicator, YEAR), home)
        c.get("/contracts/1/communication")
        r = c.post("/contracts/1/communication", {"item": str(item), "year": str(YEAR),
                                                  "count": "2", "note": "Saint-Mihiel, Fresnes"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        home = visible_text(c.get("/contracts/1").text)
        self.assertIn("%s : 2 sur 2 en %d — Objectif atteint" % (indicator, YEAR), home)
        # The target's own form, with its version check.
        page = c.get("/contracts/1/communication/%d/target" % item)
        self.assertEqual(page.status, 200)
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
        r = c.post("/contracts/1/communication/%d/target" % item,
                   {"version": str(int(version) + 5), "per_year": "3"})
        self.assertEqual(r.status, 409)
        r = c.post("/contracts/1/communication/%d/target" % item,
                   {"version": version, "per_year": "3", "target_from": str(YEAR)})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(sql(self.db, "SELECT target_per_year FROM comm_item WHERE id = ?",
                             item), [(3,)])
        home = visible_text(c.get("/contracts/1").text)
        self.assertIn("%s : 2 sur 3 en %d — En cours" % (indicator, YEAR), home)
        self.assertEqual(c.get("/contracts/1/communication/999999/target").status, 404)
        journal = sql(self.db, "SELECT count(*) FROM audit_log WHERE entity = 'contract' AND "
                               "entity_id = 1 AND field LIKE 'comm_%%:%d%%'" % item)[0][0]
        self.assertEqual(journal, 3)  # the row, what was done, the new target


if __name__ == "__main__":
    unittest.main()
