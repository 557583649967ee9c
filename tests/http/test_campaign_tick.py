"""test_campaign_tick.py — issue 12, the scheduled campaign reminders go out with nobody on the
site: the mailer's tick (web/core/mailer.c) runs on the test clock (BOUSSOLE_TEST_CLOCK); 6 days
before the deadline the 7-day reminder reaches the SMTP sink once, only for the 4 contacts who
did not answer, without any page opened; the 1-day reminder follows and the 7-day one is not
sent again."""

import datetime
import re
import unittest

from test_accounts import Client, FrozenClock, sql
from test_accounts_mail import Sink
from test_campaign import ANSWERING, COORD, N_ORGS, CampaignServer, build_db, mail_text


class CampaignTick(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.clock = FrozenClock("campaign_tick")
        cls.db = build_db("campaign_tick")
        cls.server = CampaignServer("campaign_tick", cls.db, [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}",
            "--mail-from", "coordination@campagne.example"], cls.clock.env()).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def test_reminders_without_any_page(self):
        year = datetime.datetime.fromtimestamp(self.clock.now, datetime.timezone.utc).year
        deadline = datetime.date.fromtimestamp(self.clock.now) + datetime.timedelta(days=20)
        deadline_end = int(datetime.datetime(deadline.year, deadline.month, deadline.day, 23, 59,
                                             59, tzinfo=datetime.timezone.utc).timestamp())
        coord = Client(self.server)
        coord.login(COORD)
        r = coord.post("/contracts/1/campaigns", {"year": year,
                                                  "deadline": deadline.strftime("%d/%m/%Y")})
        self.assertEqual(r.status, 303)
        got = self.sink.wait(N_ORGS, timeout=60)
        self.assertEqual(len(got), N_ORGS)
        links = {}
        for rcpts, raw in got:
            _msg, text = mail_text(raw)
            links[rcpts[0]] = re.search(r"/campaign\?token=[A-Za-z0-9_-]+", text).group(0)
        contacts = sorted(links)
        answering, quiet = contacts[:ANSWERING], set(contacts[ANSWERING:])
        for addr in answering:
            c = Client(self.server)
            self.assertEqual(c.get(links[addr]).status, 303)
            page = c.get("/campaign/actions").text
            for aid in re.findall(r'action="/campaign/actions/(\d+)"', page):
                r = c.post("/campaign/actions/%s" % aid, {"status": "done", "remarks": "fait"})
                self.assertEqual(r.status, 303)
                page = c.get("/campaign/actions").text
        # Who has not answered, as the database says: contacts of organisations with an action
        # lacking a status of the year.
        lacking = {a for (a,) in sql(
            self.db, "SELECT DISTINCT p.email FROM person p JOIN action_organisation ao ON "
                     "ao.organisation_id = p.organisation_id AND ao.role = 'carrier' WHERE "
                     "p.email <> '' AND NOT EXISTS (SELECT 1 FROM action_status s WHERE "
                     "s.action_id = ao.action_id AND s.year = ?)", year)}
        self.assertEqual(lacking, quiet)

        # Six days before the deadline, nobody on the site: the tick sends the 7-day reminder.
        self.clock.advance(deadline_end - 6 * 86400 - self.clock.now)
        got = self.sink.wait(N_ORGS + len(quiet), timeout=60)
        self.assertEqual(len(got), N_ORGS + len(quiet))
        self.assertEqual({rc[0] for rc, _ in got[N_ORGS:]}, quiet)
        for _rc, raw in got[N_ORGS:]:
            msg, _text = mail_text(raw)
            self.assertTrue(msg["Subject"].startswith("Rappel"), msg["Subject"])
        self.assertEqual(sql(self.db, "SELECT kind FROM campaign_reminder"), [("7d",)])

        # Half a day before the deadline: the 1-day reminder, and the 7-day one is not resent.
        self.clock.advance(deadline_end - 12 * 3600 - self.clock.now)
        got = self.sink.wait(N_ORGS + 2 * len(quiet), timeout=60)
        self.assertEqual(len(got), N_ORGS + 2 * len(quiet))
        self.assertEqual({rc[0] for rc, _ in got[N_ORGS + len(quiet):]}, quiet)
        self.assertEqual(sorted(sql(self.db, "SELECT kind FROM campaign_reminder")),
                         [("1d",), ("7d",)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM outbox WHERE kind = 'campaign'")[0][0],
                         N_ORGS + 2 * len(quiet))


if __name__ == "__main__":
    unittest.main()
