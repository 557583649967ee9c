"""test_governance.py — governance (issue 7) on the real binary. Read-only checks on the shared
demo server: the governance page tells the steering committee's 2019–2023 story, the meetings
API returns each year's meetings of data/demo/meetings.csv, the governance API gives required /
planned / held, the feeds parse with Debian's python3-icalendar (unique UID, start, summary, URL
back). On a server of its own with a local SMTP sink (aiosmtpd): the coordinator creates a
person and a meeting, invites, changes and cancels it, and the sink receives the invitation
(METHOD:REQUEST), the update (SEQUENCE + 1) and the cancellation (METHOD:CANCEL) with the right
.ics; minutes with <script> render inert; a decision shows on its action's page; permissions.
Expected values come from the CSV files, never from the program itself."""

import collections
import csv
import email
import email.policy
import html
import os
import re
import subprocess
import threading
import time
import unittest
import urllib.parse

import common
from common import DEMO, connect, demo_server, free_port, new_db, tmp_path, visible_text

try:
    import icalendar
except ImportError:  # the tests say so instead of skipping silently
    icalendar = None


def meetings_csv():
    with open(os.path.join(DEMO, "meetings.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_ics(test, text):
    test.assertIsNotNone(icalendar, "Debian's python3-icalendar is needed (scripts/deps.sh)")
    cal = icalendar.Calendar.from_ical(text)
    return cal, [c for c in cal.walk("VEVENT")]


def check_events(test, events, base):
    """Every event has a unique UID, a start, a summary, a stamp and the URL of its page."""
    uids = [str(e.get("UID")) for e in events]
    test.assertEqual(len(uids), len(set(uids)), "UIDs are unique")
    for e in events:
        test.assertTrue(e.get("UID"))
        test.assertIsNotNone(e.get("DTSTART"), e)
        test.assertIsNotNone(e.get("DTSTAMP"), e)
        test.assertTrue(str(e.get("SUMMARY", "")).strip())
        test.assertRegex(str(e.get("URL")), r"^%s/meetings/\d+$" % re.escape(base))


# ---- read-only: the demo ----------------------------------------------------------------------

def setUpModule():
    global S, ROWS, CID
    S = demo_server()
    ROWS = meetings_csv()
    CID = S.get("/api/v1/contracts").json()["contracts"][0]["id"]


class DemoGovernance(unittest.TestCase):
    def story_row(self, page, name):
        """The cells of a body's row in the year-by-year table, as visible text."""
        table = re.search(r'<table class="gov-story">(.*?)</table>', page, re.S).group(1)
        years = [int(y) for y in re.findall(r'<th scope="col"[^>]*><a [^>]*>(\d{4})</a></th>',
                                            table)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            if name in row:
                cells = re.findall(r'<td class="gov-cell[^"]*">(.*?)</td>', row, re.S)
                return dict(zip(years, [visible_text(c) for c in cells]))
        self.fail("no row for %s" % name)

    def test_steering_committee_story(self):
        r = S.get("/contracts/%d/governance" % CID)
        self.assertEqual(r.status, 200)
        page = r.text
        row = self.story_row(page, "Comité de pilotage du CLS")
        self.assertEqual(sorted(row), [2019, 2020, 2021, 2022, 2023])
        # The data: one steering committee of the CLS held in the contract's years (the
        # restricted one of 28/03/2019); the one planned for 2022 was not held.
        held = collections.Counter(
            r["year"] for r in ROWS
            if r["status"] == "held" and ("COPIL restreint" in r["label"]
                                          or "COPIL CLS" in r["label"]))
        self.assertEqual(held, {"2019": 1})
        self.assertIn("1 tenue sur 1 requise", row[2019])
        self.assertIn("minimum atteint", row[2019])
        for y in (2020, 2021, 2022, 2023):
            self.assertIn("0 tenue sur 1 requise", row[y])
            self.assertIn("minimum non atteint", row[y])
        self.assertIn("1 prévue au plan", row[2022])
        self.assertIn("non tenue", row[2022])
        # The technical committee never met as such.
        row = self.story_row(page, "Comité technique du CLS")
        self.assertTrue(all("0 tenue sur 1 requise" in row[y] for y in row))
        text = visible_text(page)
        self.assertIn("1 des 10 réunions requises ont été tenues de 2019 à 2023", text)
        # The contract home shows the same figure.
        home = visible_text(S.get("/contracts/%d" % CID).text)
        self.assertIn("1 des 10 réunions requises", home)

    def test_year_page_and_report_counts(self):
        page = S.get("/contracts/%d/governance?year=2022" % CID).text
        text = visible_text(page)
        self.assertIn("année close sous le minimum (0 sur 1)", text)
        self.assertIn("en retard", text)  # the plan entry of the 2022 COPIL
        held = sum(1 for r in ROWS if r["year"] == "2022" and r["status"] == "held")
        m = re.search(r"Total (\d+)", text)
        self.assertEqual(int(m.group(1)), held)
        self.assertIn("Réunions tenues en 2022 (%d)" % held, text)
        self.assertEqual(S.get("/contracts/%d/governance?year=abc" % CID).status, 400)
        self.assertEqual(S.get("/contracts/999999/governance").status, 404)

    def test_meetings_api_returns_each_year(self):
        for year in sorted({r["year"] for r in ROWS}):
            with self.subTest(year=year):
                r = S.get("/api/v1/contracts/%d/meetings?year=%s" % (CID, year))
                self.assertEqual(r.status, 200)
                got = r.json()["meetings"]
                want = [r for r in ROWS if r["year"] == year]
                self.assertEqual(len(got), len(want))
                self.assertEqual(collections.Counter(m["title"] for m in got),
                                 collections.Counter(r["label"] for r in want))
                self.assertEqual(collections.Counter(m["status"] for m in got),
                                 collections.Counter(r["status"] for r in want))
                self.assertEqual(collections.Counter(m["date"] for m in got),
                                 collections.Counter(r["date"] for r in want))
                for m in got:
                    self.assertTrue({"id", "body", "title", "date", "status",
                                     "attendance"} <= set(m))
                    self.assertTrue(m["body"] is None or
                                    set(m["body"]) == {"id", "name", "kind"})
                    self.assertEqual(set(m["attendance"]), {"invited", "present", "excused",
                                                            "absent", "represented"})
        r = S.get("/api/v1/contracts/%d/meetings" % CID).json()
        self.assertEqual(len(r["meetings"]), len(ROWS))
        self.assertEqual(S.get("/api/v1/contracts/%d/meetings?year=x" % CID).status, 400)

    def test_body_kinds_of_the_rows(self):
        got = S.get("/api/v1/contracts/%d/meetings" % CID).json()["meetings"]
        kinds = collections.Counter(m["body"]["kind"] if m["body"] else None for m in got)
        by_type = collections.Counter(r["body_type"] for r in ROWS)
        # Rows of type other keep no body, except the CLS referents' meetings ("Référent CLS").
        referents = [r for r in ROWS if "référent cls" in r["label"].lower()]
        self.assertEqual(kinds["referents_meeting"], len(referents))
        self.assertEqual(kinds[None], by_type["other"] - sum(1 for r in referents
                                                               if r["body_type"] == "other"))
        self.assertEqual(kinds["project_team"], by_type["project_team"])
        names = {m["body"]["name"] for m in got if m["body"]}
        for name in ("Comité de pilotage du CLS", "Équipe projet", "Groupe thématique Parentalité",
                     "Groupe thématique Mobilité", "Groupe thématique Autonomie",
                     "Référents CLS", "Rencontres partenaires", "Événements",
                     "Formations et webinaires"):
            self.assertIn(name, names)

    def test_governance_api(self):
        r = S.get("/api/v1/contracts/%d/governance?year=2022" % CID)
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual(body["year"], 2022)
        copil = [b for b in body["bodies"] if b["kind"] == "steering_committee"][0]
        self.assertEqual((copil["required"], copil["planned"], copil["held"]), (1, 1, 0))
        for b in body["bodies"]:
            self.assertTrue({"id", "name", "kind", "required", "planned", "held"} <= set(b))
        held = sum(1 for r in ROWS if r["year"] == "2022" and r["status"] == "held")
        self.assertEqual(sum(body["held_by_kind"].values()), held)
        r = S.get("/api/v1/contracts/%d/governance?year=2019" % CID).json()
        copil = [b for b in r["bodies"] if b["kind"] == "steering_committee"][0]
        self.assertEqual((copil["required"], copil["held"]), (1, 1))

    def test_feeds_parse(self):
        base = "http://127.0.0.1:%d" % S.port
        r = S.get("/contracts/%d/meetings.ics" % CID)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("text/calendar"))
        self.assertIn(b"\r\n", r.body)
        cal, events = parse_ics(self, r.body)
        days = [row for row in ROWS if row["date_precision"] == "day"]
        self.assertEqual(len(events), len(days))
        check_events(self, events, base)
        self.assertEqual(collections.Counter(str(e["SUMMARY"]) for e in events),
                         collections.Counter(row["label"] for row in days))
        # The bodies' feeds, and one meeting's .ics.
        bodies = S.get("/api/v1/contracts/%d/governance?year=2022" % CID).json()["bodies"]
        total = 0
        for b in bodies:
            r = S.get("/bodies/%d/meetings.ics" % b["id"])
            self.assertEqual(r.status, 200)
            _cal, ev = parse_ics(self, r.body)
            check_events(self, ev, base)
            total += len(ev)
        api = S.get("/api/v1/contracts/%d/meetings" % CID).json()["meetings"]
        no_body = sum(1 for m in api if m["body"] is None and m["date_precision"] == "day")
        self.assertEqual(total + no_body, len(days))
        meetings = S.get("/api/v1/contracts/%d/meetings?year=2019" % CID).json()["meetings"]
        one = [m for m in meetings if m["date_precision"] == "day"][0]
        r = S.get("/meetings/%d.ics" % one["id"])
        _cal, ev = parse_ics(self, r.body)
        self.assertEqual(len(ev), 1)
        self.assertEqual(str(ev[0]["URL"]), "%s/meetings/%d" % (base, one["id"]))
        self.assertEqual(ev[0]["DTSTART"].dt.isoformat(), one["date"])
        month = [m for m in S.get("/api/v1/contracts/%d/meetings" % CID).json()["meetings"]
                 if m["date_precision"] == "month"][0]
        self.assertEqual(S.get("/meetings/%d.ics" % month["id"]).status, 404)

    def test_public_pages(self):
        meetings = S.get("/api/v1/contracts/%d/meetings?year=2019" % CID).json()["meetings"]
        for m in meetings[:5]:
            r = S.get("/meetings/%d" % m["id"])
            self.assertEqual(r.status, 200)
            self.assertIn(common.escaped(m["title"]), r.text)
        b = S.get("/api/v1/contracts/%d/governance" % CID).json()["bodies"][0]
        r = S.get("/bodies/%d" % b["id"])
        self.assertEqual(r.status, 200)
        # People's names are for the contract's accounts only.
        self.assertNotIn("Sylvain DENOYELLE", r.text)
        self.assertIn("7 membres", visible_text(r.text))
        self.assertEqual(S.get("/meetings/999999").status, 404)
        self.assertEqual(S.get("/bodies/999999").status, 404)
        r = S.get("/meetings/%d/attendance-sheet" % meetings[0]["id"])
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/login"))
        r = S.get("/contracts/%d/meetings?year=2019&status=held" % CID)
        self.assertEqual(r.status, 200)


# ---- a server of its own, with an SMTP sink -----------------------------------------------------

class Sink:
    """A local SMTP server (aiosmtpd) keeping the messages it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append((envelope.rcpt_tos, envelope.content))
                return "250 OK"

        self.messages = []
        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait(self, n, timeout=20):
        deadline = time.time() + timeout
        while len(self.messages) < n and time.time() < deadline:
            time.sleep(0.05)
        return self.messages[:n]

    def stop(self):
        self.controller.stop()


class MailServer(common.Server):
    """The demo on its own database, sending e-mail to the sink (smtp_port None: no mail
    server configured)."""

    def __init__(self, name, db, smtp_port):
        super().__init__(name, db)
        self.smtp_port = smtp_port

    def start(self):
        self.port = free_port()
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [common.BOUSSOLE, "demo", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
             "--mail-from", "coordination@cls-demo.invalid"] +
            (["--smtp", "smtp://127.0.0.1:%d" % self.smtp_port] if self.smtp_port else []),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.time() + 60
        import socket
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("boussole exited:\n" + self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    common.SERVERS.append(self)
                    return self
            except OSError:
                time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError("boussole did not listen:\n" + self.log())

    def account(self, role):
        m = re.search(r"^\s+%s\s+(\S+@\S+)\s+(\S+)\s*$" % role, self.log(), re.M)
        return m.group(1), m.group(2)


class Browser:
    """A cookie jar and the CSRF token of the last page, over the server's requests."""

    def __init__(self, server):
        self.s = server
        self.cookies = {}
        self.csrf = ""

    def _headers(self, extra=None):
        h = dict(extra or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        return h

    def _keep(self, r):
        for c in [v for (k, v) in r.raw_headers if k.lower() == "set-cookie"]:
            name, _, rest = c.partition("=")
            self.cookies[name] = rest.split(";")[0]
        m = re.search(r'name="csrf" value="([^"]+)"', r.body.decode("utf-8", "replace"))
        if m:
            self.csrf = m.group(1)
        return r

    def get(self, path):
        return self._keep(request(self.s, "GET", path, headers=self._headers()))

    def post(self, path, fields):
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs.append(("csrf", self.csrf))
        body = urllib.parse.urlencode(pairs)
        return self._keep(request(self.s, "POST", path, body, self._headers(
            {"Content-Type": "application/x-www-form-urlencoded"})))

    def login(self, email_addr, password):
        self.get("/login")
        r = self.post("/login", {"email": email_addr, "password": password, "next": "/"})
        assert r.status == 303, (r.status, r.text[:500])
        self.get("/contracts/1/governance")  # a page with the session's form token


def request(server, method, path, body=None, headers=None):
    """Like Server.request, keeping every Set-Cookie header."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        resp = common.Response(r.status, r.getheaders(), data, method, path)
        resp.raw_headers = r.getheaders()
        return resp
    finally:
        conn.close()


def calendar_part(test, raw):
    """The text/calendar attachment of a raw message: (its method parameter, its text, the
    message)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), part.get_content(), msg
    test.fail("no text/calendar part in:\n" + raw.decode("utf-8", "replace")[:2000])


class InvitationsWithoutMail(unittest.TestCase):
    """Without --smtp the meeting page says invitations cannot leave, before and after the
    coordinator sends them; they wait in the outbox."""

    def test_the_page_says_mail_cannot_be_sent(self):
        server = MailServer("governance-nomail", new_db("governance-nomail.db"), None).start()
        b = Browser(server)
        b.login(*server.account("coordinator"))
        r = b.post("/contracts/1/people/new", {
            "name": "Paul Sansmail", "function": "Maire", "organisation_id": "",
            "email": "paul.sansmail@cls-demo.invalid", "phone": "", "account_id": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        pid = int(re.search(r'href="/people/(\d+)/edit">Paul Sansmail',
                            b.get("/contracts/1/people").text).group(1))
        r = b.post("/contracts/1/meetings/new", {
            "body_id": "1", "title": "COPIL sans courrier", "date": "12/03/2031",
            "start_time": "14:00", "end_time": "16:00", "place": "Mairie", "video_url": "",
            "status": "planned", "agenda": "", "end_on": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        mid = int(re.match(r"^/meetings/(\d+)", r.header("location")).group(1))
        self.assertEqual(b.post("/meetings/%d/invitees" % mid, {"person_id": str(pid)}).status,
                         303)
        page = visible_text(b.get("/meetings/%d" % mid).text)
        self.assertIn("Aucun serveur de courrier n'est configuré", page)
        r = b.post("/meetings/%d/invite" % mid, {})
        self.assertEqual(r.status, 303)
        page = visible_text(b.get(r.header("location")).text)
        self.assertIn("1 message en attente : aucun serveur de courrier n'est configuré", page)
        con = connect(server.db, timeout=30)
        try:
            self.assertEqual(con.execute(
                "SELECT count(*) FROM outbox WHERE to_addr = ? AND sent_at IS NULL",
                ("paul.sansmail@cls-demo.invalid",)).fetchone()[0], 1)
        finally:
            con.close()


class Invitations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.server = MailServer("governance-mail", new_db("governance-mail.db"),
                                cls.sink.port).start()
        cls.b = Browser(cls.server)
        cls.b.login(*cls.server.account("coordinator"))
        cls.base = "http://127.0.0.1:%d" % cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def new_meeting(self, title, **extra):
        fields = {"body_id": "1", "title": title, "date": "12/03/2031", "start_time": "14:00",
                  "end_time": "16:00", "place": "Salle du conseil, Saint-Mihiel",
                  "video_url": "", "status": "planned", "agenda": "- Bilan\n- Plan 2031",
                  "end_on": ""}
        fields.update(extra)
        r = self.b.post("/contracts/1/meetings/new", fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:800])
        m = re.match(r"^/meetings/(\d+)\?done=created$", r.header("location"))
        self.assertTrue(m, r.header("location"))
        return int(m.group(1))

    def queued(self, addr):
        """How many messages to addr the outbox holds (sent or not)."""
        con = connect(self.server.db, timeout=30)
        try:
            return con.execute("SELECT count(*) FROM outbox WHERE to_addr = ?",
                               (addr,)).fetchone()[0]
        finally:
            con.close()

    def meeting_form(self, mid):
        """The edit form's fields as they are."""
        page = self.b.get("/meetings/%d/edit" % mid).text
        fields = {}
        for name, value in re.findall(r'<input type="[a-z]+" id="f-[^"]+" name="([^"]+)" '
                                      r'value="([^"]*)"', page):
            fields[name] = html.unescape(value)
        for name, value in re.findall(r'name="(version)" value="(\d+)"', page):
            fields[name] = value
        fields["agenda"] = html.unescape(re.search(r'name="agenda"[^>]*>(.*?)</textarea>', page,
                                                   re.S).group(1))
        for name in ("body_id", "status"):
            sel = re.search(r'<select id="f-%s" name="%s".*?</select>' % (name, name), page,
                            re.S).group(0)
            m = re.search(r'<option value="([^"]*)" selected>', sel)
            fields[name] = m.group(1) if m else ""
        return fields

    def test_invitation_update_cancellation(self):
        r = self.b.post("/contracts/1/people/new", {
            "name": "Jeanne Invitée", "function": "Directrice", "organisation_id": "",
            "email": "jeanne.invitee@cls-demo.invalid", "phone": "", "account_id": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        people = self.b.get("/contracts/1/people").text
        pid = int(re.search(r'href="/people/(\d+)/edit">Jeanne Invitée', people).group(1))
        mid = self.new_meeting("COPIL 2031")
        r = self.b.post("/meetings/%d/invitees" % mid, {"person_id": str(pid)})
        self.assertEqual(r.status, 303)
        page = self.b.get("/meetings/%d" % mid).text
        self.assertIn("Non envoyée", page)
        self.assertIn("Envoyer les invitations (1)", page)

        # The invitation.
        r = self.b.post("/meetings/%d/invite" % mid, {})
        self.assertEqual(r.status, 303)
        self.assertIn("sent=1", r.header("location"))
        msgs = self.sink.wait(1)
        self.assertEqual(len(msgs), 1)
        rcpt, raw = msgs[0]
        self.assertEqual(rcpt, ["jeanne.invitee@cls-demo.invalid"])
        ctype, ics, msg = calendar_part(self, raw)
        self.assertEqual(ctype, "REQUEST")
        self.assertIn("Invitation", str(msg["Subject"]))
        cal, ev = parse_ics(self, ics.encode() if isinstance(ics, str) else ics)
        self.assertEqual(str(cal["METHOD"]), "REQUEST")
        self.assertEqual(len(ev), 1)
        check_events(self, ev, self.base)
        uid = str(ev[0]["UID"])
        self.assertEqual(int(ev[0]["SEQUENCE"]), 0)
        self.assertEqual(str(ev[0]["SUMMARY"]), "COPIL 2031")
        self.assertEqual(ev[0]["DTSTART"].dt.isoformat(), "2031-03-12T14:00:00+01:00")
        self.assertEqual(str(ev[0]["DTSTART"].params.get("TZID")), "Europe/Paris")
        self.assertIn("Saint-Mihiel", str(ev[0]["LOCATION"]))
        self.assertEqual(str(ev[0]["ATTENDEE"]), "mailto:jeanne.invitee@cls-demo.invalid")
        self.assertIsNotNone(cal.walk("VTIMEZONE")[0])
        self.assertIn("Envoyée", self.b.get("/meetings/%d" % mid).text)
        # Sending again sends nothing: she has this version. (Messages are queued in the
        # outbox before the answer, so the outbox, not a delay, tells that none was.)
        r = self.b.post("/meetings/%d/invite" % mid, {})
        self.assertEqual(self.queued("jeanne.invitee@cls-demo.invalid"), 1)

        # The update: a new time raises SEQUENCE; the UID stays.
        fields = self.meeting_form(mid)
        fields["start_time"] = "15:00"
        fields["end_time"] = "17:00"
        r = self.b.post("/meetings/%d/edit" % mid, fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:800])
        self.assertIn("sent=1", r.header("location"))
        msgs = self.sink.wait(2)
        self.assertEqual(len(msgs), 2)
        ctype, ics, msg = calendar_part(self, msgs[1][1])
        self.assertEqual(ctype, "REQUEST")
        self.assertIn("Modification", str(msg["Subject"]))
        cal, ev = parse_ics(self, ics.encode())
        self.assertEqual(str(ev[0]["UID"]), uid)
        self.assertEqual(int(ev[0]["SEQUENCE"]), 1)
        self.assertEqual(ev[0]["DTSTART"].dt.isoformat(), "2031-03-12T15:00:00+01:00")

        # Only the agenda changes: no new SEQUENCE, no mail.
        fields = self.meeting_form(mid)
        fields["agenda"] += "\n- Questions diverses"
        r = self.b.post("/meetings/%d/edit" % mid, fields)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.queued("jeanne.invitee@cls-demo.invalid"), 2)

        # The cancellation.
        fields = self.meeting_form(mid)
        fields["status"] = "cancelled"
        r = self.b.post("/meetings/%d/edit" % mid, fields)
        self.assertEqual(r.status, 303)
        msgs = self.sink.wait(3)
        self.assertEqual(len(msgs), 3)
        ctype, ics, msg = calendar_part(self, msgs[2][1])
        self.assertEqual(ctype, "CANCEL")
        self.assertIn("Annulation", str(msg["Subject"]))
        cal, ev = parse_ics(self, ics.encode())
        self.assertEqual(str(cal["METHOD"]), "CANCEL")
        self.assertEqual(str(ev[0]["UID"]), uid)
        self.assertEqual(int(ev[0]["SEQUENCE"]), 2)
        self.assertEqual(str(ev[0]["STATUS"]), "CANCELLED")
        # The cancellation was the marker: queued after the "sends nothing" steps, it arrived
        # third, so exactly three messages reached her, none from those steps.
        self.assertEqual([rcpt for rcpt, _ in self.sink.messages
                          if rcpt == ["jeanne.invitee@cls-demo.invalid"]],
                         [["jeanne.invitee@cls-demo.invalid"]] * 3)
        # The meeting's own .ics says the same.
        _cal, ev = parse_ics(self, self.b.get("/meetings/%d.ics" % mid).body)
        self.assertEqual((str(ev[0]["UID"]), int(ev[0]["SEQUENCE"]), str(ev[0]["STATUS"])),
                         (uid, 2, "CANCELLED"))

    def test_minutes_render_inert_and_decision_on_action(self):
        mid = self.new_meeting("COPIL restreint 2031")
        page = self.b.get("/meetings/%d/minutes" % mid).text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        minutes = ("## Relevé\n\n<script>alert('x')</script>\n\n"
                   "[cliquez](javascript:alert(1)) <img src=x onerror=alert(2)> **adopté**")
        r = self.b.post("/meetings/%d/minutes" % mid, {"minutes": minutes, "version": version})
        self.assertEqual(r.status, 303)
        page = self.b.get("/meetings/%d" % mid).text
        section = page[page.index('id="compte-rendu"'):page.index('id="decisions"')]
        self.assertIn("<strong>adopté</strong>", section)
        self.assertNotIn("<script", section.lower())
        self.assertNotIn("javascript:", section.lower())
        self.assertNotIn("onerror", section.lower())
        self.assertNotIn("<script", page.lower())
        # A decision linked to an action shows on the action's page.
        action = common.data().actions[0]
        acts = self.server.get("/api/v1/contracts/1/actions").json()["actions"]
        aid = [a for a in acts if a["code"] == action["code"]][0]["id"]
        r = self.b.post("/meetings/%d/decisions" % mid,
                        [("text", "Relancer le groupe <b>mobilité</b>"), ("action_id", str(aid))])
        self.assertEqual(r.status, 303)
        page = self.b.get("/actions/%d" % aid).text
        self.assertIn("Décisions des instances", page)
        self.assertIn("Relancer le groupe &lt;b&gt;mobilité&lt;/b&gt;", page)
        self.assertIn('href="/meetings/%d"' % mid, page)
        # An empty decision is refused, with the error next to the field.
        r = self.b.post("/meetings/%d/decisions" % mid, {"text": "  "})
        page = self.b.get(r.header("location").split("#")[0]).text
        self.assertIn("field-error", page)

    def test_plan_attendance_and_sheet(self):
        r = self.b.post("/bodies/1/plan", {"date": "03/2032", "note": "après le bilan",
                                           "year": "2032"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        page = visible_text(self.b.get("/contracts/1/plan?year=2032").text)
        self.assertIn("mars 2032", page)
        r = self.b.post("/bodies/1/plan", {"date": "31/02/2032", "year": "2032"})
        self.assertEqual(r.status, 422)
        self.assertIn("field-error", r.text)
        self.assertIn('value="31/02/2032"', r.text)
        gov = self.server.get("/api/v1/contracts/1/governance?year=2032").json()
        copil = [b for b in gov["bodies"] if b["kind"] == "steering_committee"][0]
        self.assertEqual((copil["planned"], copil["held"]), (1, 0))

        mid = self.new_meeting("COPIL de mars 2032", date="20/03/2032")
        r = self.b.post("/meetings/%d/invitees" % mid, {"members": "1"})
        self.assertEqual(r.status, 303)
        page = self.b.get("/meetings/%d/attendance" % mid).text
        ids = re.findall(r'name="att-(\d+)"', page)
        self.assertEqual(len(ids), 7)
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        fields = [("version", version), ("held", "1")]
        for i, pid in enumerate(ids):
            att = ["present", "present", "excused", "represented", "absent", "present",
                   "present"][i]
            fields += [("att-" + pid, att), ("rep-" + pid, "Son adjoint" if i == 3 else "")]
        bad = [f if f[0] != "rep-" + ids[3] else (f[0], "") for f in fields]
        r = self.b.post("/meetings/%d/attendance" % mid, bad)
        self.assertEqual(r.status, 422)
        self.assertIn("Indiquez qui représente cette personne.", r.text)
        r = self.b.post("/meetings/%d/attendance" % mid, fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        got = [m for m in self.server.get("/api/v1/contracts/1/meetings?year=2032").json()
               ["meetings"] if m["id"] == mid][0]
        self.assertEqual(got["status"], "held")
        self.assertEqual(got["attendance"], {"invited": 7, "present": 4, "excused": 1,
                                             "absent": 1, "represented": 1})
        gov = self.server.get("/api/v1/contracts/1/governance?year=2032").json()
        copil = [b for b in gov["bodies"] if b["kind"] == "steering_committee"][0]
        self.assertEqual((copil["planned"], copil["held"]), (1, 1))
        sheet = self.b.get("/meetings/%d/attendance-sheet" % mid)
        self.assertEqual(sheet.status, 200)
        self.assertIn("Signature", sheet.text)
        self.assertIn("Sylvain DENOYELLE", sheet.text)

    def test_body_members_and_referents(self):
        r = self.b.post("/contracts/1/bodies/new", {
            "kind": "referents_meeting", "name": "Élus référents <CLS>", "theme": "",
            "min_per_year": "2", "max_per_year": "1", "description": ""})
        self.assertEqual(r.status, 422)  # max below min: said next to the field, input kept
        self.assertIn("Le maximum est inférieur au minimum.", r.text)
        self.assertIn('value="Élus référents &lt;CLS&gt;"', r.text)
        r = self.b.post("/contracts/1/bodies/new", {
            "kind": "referents_meeting", "name": "Élus référents <CLS>", "theme": "",
            "min_per_year": "2", "max_per_year": "", "description": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        bid = int(re.match(r"^/bodies/(\d+)", r.header("location")).group(1))
        page = self.b.get("/bodies/%d" % bid).text
        self.assertIn("Élus référents &lt;CLS&gt;", page)
        orgs = dict((html.unescape(n), v) for v, n in re.findall(
            r'<option value="(\d+)">([^<]+)</option>',
            re.search(r'<select id="f-ref-org".*?</select>', page, re.S).group(0)))
        self.assertIn("CC du Sammiellois", orgs)
        people = re.search(r'<select id="f-ref-person".*?</select>', page, re.S).group(0)
        pid = re.search(r'<option value="(\d+)">Claude LEONARD', people).group(1)
        r = self.b.post("/bodies/%d/referents" % bid,
                        {"organisation_id": orgs["CC du Sammiellois"], "person_id": pid})
        self.assertEqual(r.status, 303)
        r = self.b.post("/bodies/%d/members" % bid, {"person_id": pid, "role": "chair"})
        self.assertEqual(r.status, 303)
        text = visible_text(self.b.get("/bodies/%d" % bid).text)
        self.assertIn("CC du Sammiellois : Claude LEONARD", text)
        self.assertIn("Claude LEONARD Le Président du Conseil Départemental", text)
        self.assertIn("Présidence", text)
        # Not an intercommunality: refused.
        r = self.b.post("/bodies/%d/referents" % bid, {"organisation_id": "1", "person_id": pid})
        if orgs.get("PETR Cœur de Lorraine") != "1":
            self.assertIn("error=referent", r.header("location"))
        # A stale version of the body form is refused with 409 and changes nothing.
        page = self.b.get("/bodies/%d/edit" % bid).text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        form = {"kind": "referents_meeting", "name": "Référents", "theme": "",
                "min_per_year": "2", "max_per_year": "", "description": "", "version": version}
        self.assertEqual(self.b.post("/bodies/%d/edit" % bid, form).status, 303)
        form["name"] = "Autre nom"
        self.assertEqual(self.b.post("/bodies/%d/edit" % bid, form).status, 409)
        gov = self.server.get("/api/v1/contracts/1/governance?year=2030").json()
        mine = [b for b in gov["bodies"] if b["id"] == bid][0]
        self.assertEqual((mine["name"], mine["required"], mine["required_max"]),
                         ("Référents", 2, None))

    def test_permissions(self):
        anonymous = Browser(self.server)
        anonymous.get("/login")
        r = anonymous.post("/contracts/1/meetings/new", {"title": "x"})
        # No account: sent to sign in first (the permission check comes before the CSRF one).
        self.assertEqual((r.status, r.header("location")),
                         (303, "/login?next=%2Fcontracts%2F1%2Fmeetings%2Fnew"))
        referent = Browser(self.server)
        referent.login(*self.server.account("referent"))
        r = referent.get("/contracts/1/meetings/new")
        self.assertEqual(r.status, 403)
        r = referent.post("/bodies/1/plan", {"date": "03/2033"})
        self.assertEqual(r.status, 403)
        r = referent.get("/meetings/1/attendance-sheet")
        self.assertEqual(r.status, 200)
        # A form without its token is refused.
        self.b.csrf = "faux"
        r = self.b.post("/bodies/1/plan", {"date": "03/2033"})
        self.assertEqual(r.status, 403)
        self.b.get("/contracts/1/governance")


if __name__ == "__main__":
    unittest.main()
