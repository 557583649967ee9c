"""test_my_actions.py — the carrier's journey (issue 10, point 17): after login a carrier lands on
"Mes actions" (unless it asked for a page), which lists every action its organisation carries or
co-carries, what the current year still lacks, and one link to each action's status form.
Expected actions come from the database (sqlite3), never from the page under test."""

import html
import re
import time
import unittest

from common import visible_text
from test_accounts import CARRIER_ORG, EMAILS, AccServer, Client, sql


class MyActions(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("my-actions").start()
        cls.db = cls.server.db
        cls.year = time.gmtime().tm_year
        # The page asks about the contract's reporting year (MyActionsYear): make it this year.
        sql(cls.db, "UPDATE contract SET reporting_year = ? WHERE id = 1", cls.year)

    def carried(self):
        return sorted(r[0] for r in sql(
            self.db, "SELECT DISTINCT a.id FROM action a JOIN action_organisation ao "
            "ON ao.action_id = a.id WHERE ao.organisation_id = ? AND a.archived = 0 "
            "AND ao.role IN ('carrier', 'co_carrier')", CARRIER_ORG))

    def test_carrier_lands_on_its_actions_after_login(self):
        r = Client(self.server).login(EMAILS["carrier"])
        self.assertEqual(r.header("location"), "/my/actions")
        c = Client(self.server)
        c.get("/login")
        r = c.post("/login", {"email": EMAILS["carrier"], "password": "une phrase de passe assez "
                              "longue pour les tests", "next": "/contracts/1/gantt"})
        self.assertEqual((r.status, r.header("location")), (303, "/contracts/1/gantt"))
        r = Client(self.server).login(EMAILS["coordinator"])
        self.assertEqual(r.header("location"), "/")

    def test_page_lists_carried_actions_and_what_is_due(self):
        self.assertTrue(Client(self.server).get("/my/actions").login_redirect())
        c = Client(self.server)
        c.login(EMAILS["carrier"])
        r = c.get("/my/actions")
        self.assertEqual(r.status, 200, visible_text(r.text)[:300])
        carried = self.carried()
        self.assertTrue(carried)
        links = sorted(int(x) for x in re.findall(
            r'href="/actions/(\d+)#etat-form"', r.text))
        self.assertEqual(links, carried, "one « Mettre à jour » link per carried action")
        text = visible_text(r.text)
        self.assertIn("Mes actions", text)
        self.assertIn('<a href="/my/actions">Mes actions</a>', c.get("/contracts/1").text)
        due = "État d'avancement %d à saisir" % self.year
        self.assertEqual(text.count(due), len(carried), text[:600])  # nothing recorded yet

        # Record this year's status of the first action: it is no longer due.
        first = carried[0]
        page = c.get("/actions/%d" % first)
        self.assertEqual(page.status, 200)
        r = c.post("/actions/%d/status" % first, {
            "year": str(self.year), "status": "in_progress", "remarks": "Point de l'année",
            "recommendations": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])  # saved: back to the page
        text = visible_text(c.get("/my/actions").text)
        self.assertEqual(text.count(due), len(carried) - 1)
        self.assertIn("En cours", html.unescape(text))


class MyActionsYear(unittest.TestCase):
    """"This year" on « Mes actions » is the year the coordination asks about: the contract's
    open campaign's, else its reporting year; never merely the calendar's."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("my-actions-year").start()
        cls.db = cls.server.db

    def lacking(self, year):
        """Carried actions without a status of year, counted from the database."""
        return sql(self.db, "SELECT count(DISTINCT a.id) FROM action a JOIN action_organisation "
                   "ao ON ao.action_id = a.id WHERE ao.organisation_id = ? AND a.archived = 0 "
                   "AND a.contract_id = 1 AND ao.role IN ('carrier', 'co_carrier') AND NOT "
                   "EXISTS (SELECT 1 FROM action_status s WHERE s.action_id = a.id AND "
                   "s.year = ?)", CARRIER_ORG, year)[0][0]

    def shown_year(self, c):
        text = visible_text(c.get("/my/actions").text)
        years = set(re.findall(r"Mes actions et ce qui manque en (\d{4})", text))
        self.assertEqual(len(years), 1, text[:400])
        return int(years.pop()), text

    def test_year_is_the_reporting_year_then_the_open_campaign(self):
        c = Client(self.server)
        c.login(EMAILS["carrier"])
        sql(self.db, "UPDATE contract SET reporting_year = 2021 WHERE id = 1")
        year, text = self.shown_year(c)
        self.assertEqual(year, 2021)
        self.assertEqual(text.count("État d'avancement 2021 à saisir"), self.lacking(2021))
        # A campaign opened for a year: that year is asked for, whatever the reporting year.
        campaign_year = time.gmtime().tm_year + 1
        sql(self.db, "INSERT INTO campaign (contract_id, year, deadline, deadline_at, state, "
                     "opened_at) VALUES (1, ?, '2099-01-01', 4070908800, 'open', 0)",
            campaign_year)
        year, text = self.shown_year(c)
        self.assertEqual(year, campaign_year)
        self.assertEqual(text.count("État d'avancement %d à saisir" % campaign_year),
                         self.lacking(campaign_year))
        # Closed, it no longer decides: back to the reporting year.
        sql(self.db, "UPDATE campaign SET state = 'closed', closed_at = 1 WHERE contract_id = 1")
        self.assertEqual(self.shown_year(c)[0], 2021)


class InviteWithoutMail(unittest.TestCase):
    """Without --smtp, the account form says mail cannot be sent and shows the invitation link;
    the organisation is chosen by name."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("invite-no-smtp").start()
        cls.db = cls.server.db

    def test_form_says_mail_is_off_and_hands_over_the_link(self):
        admin = Client(self.server)
        admin.login(EMAILS["admin"])
        form = admin.get("/admin/accounts")
        self.assertIn("L'envoi de courriels n'est pas configuré", html.unescape(form.text))
        org_name = sql(self.db, "SELECT name FROM organisation WHERE id = ?", CARRIER_ORG)[0][0]
        self.assertIn('<option value="%s">' % org_name, html.unescape(form.text))
        r = admin.post("/admin/accounts", {"name": "Paule Porteuse",
                                           "email": "paule@tests.example", "role": "carrier",
                                           "contract": "1", "organisation": org_name})
        self.assertEqual(r.status, 200, visible_text(r.text)[:400])
        page = html.unescape(r.text)
        self.assertIn("L'envoi de courriels n'est pas configuré", page)
        m = re.search(r"(/password/reset\?token=[A-Za-z0-9_-]+)", page)
        self.assertTrue(m, visible_text(r.text)[:600])
        self.assertEqual(sql(self.db, "SELECT organisation_id, contract_id FROM account "
                                      "WHERE email = 'paule@tests.example'"), [(CARRIER_ORG, 1)])
        self.assertEqual(Client(self.server).get(m.group(1)).status, 200)
        r = admin.post("/admin/accounts", {"name": "Nom Inconnu", "email": "x@tests.example",
                                           "role": "carrier", "contract": "1",
                                           "organisation": "Organisation qui n'existe pas"})
        self.assertEqual(r.status, 422)
        self.assertIn("Aucune organisation ne porte ce nom", html.unescape(r.text))
        forgot = Client(self.server).get("/password/forgot")
        self.assertIn("L'envoi de courriels n'est pas configuré", html.unescape(forgot.text))


class CoordinatorInvites(unittest.TestCase):
    """The contract's coordination opens and invites accounts of its own contract from the UI,
    the organisation chosen by name; it cannot make an administrator."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("coordinator-invites").start()
        cls.db = cls.server.db

    def test_coordinator_opens_a_carrier_account_by_organisation_name(self):
        c = Client(self.server)
        c.login(EMAILS["coordinator"])
        self.assertIn('href="/contracts/1/accounts"', c.get("/contracts/1").text)
        form = c.get("/contracts/1/accounts")
        self.assertEqual(form.status, 200, visible_text(form.text)[:300])
        page = html.unescape(form.text)
        self.assertIn("L'envoi de courriels n'est pas configuré", page)
        self.assertNotIn('<option value="admin">', page)
        org_name = sql(self.db, "SELECT name FROM organisation WHERE id = ?", CARRIER_ORG)[0][0]
        self.assertIn('<option value="%s">' % org_name, page)
        r = c.post("/contracts/1/accounts", {"name": "Ali Porteur", "email": "ali@tests.example",
                                             "role": "carrier", "organisation": org_name,
                                             "contract": "999"})
        self.assertEqual(r.status, 200, visible_text(r.text)[:400])
        self.assertRegex(html.unescape(r.text), r"/password/reset\?token=[A-Za-z0-9_-]+")
        self.assertEqual(sql(self.db, "SELECT role, contract_id, organisation_id FROM account "
                                      "WHERE email = 'ali@tests.example'"),
                         [("carrier", 1, CARRIER_ORG)])
        r = c.post("/contracts/1/accounts", {"name": "Eve", "email": "eve@tests.example",
                                             "role": "admin"})
        self.assertEqual(r.status, 422)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM account "
                                      "WHERE email = 'eve@tests.example'"), [(0,)])
        carrier = Client(self.server)
        carrier.login(EMAILS["carrier"])
        self.assertEqual(carrier.get("/contracts/1/accounts").status, 403)


if __name__ == "__main__":
    unittest.main()
