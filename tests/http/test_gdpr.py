"""test_gdpr.py — the GDPR rights over contact records on the real binary, on a server of its
own: an administrator exports a record with no account (its attendance included) and erases it
(pseudonym "Contact n°ID", e-mail and phone gone, attendance counts kept, the history without
the values); a record tied to an account is refused there and goes with the account's export
and erasure ("Personne n°ID" of the account). Others than administrators, requests without the
CSRF token or without the confirmation change nothing. The contract's journal shows the
governance changes (people, bodies, meetings) named and labelled in French."""

import io
import re
import unittest
import zipfile

import common
from common import Server, new_db, run_cli, stored_data, tmp_path, visible_text
from test_governance import Browser

PASSWORD = "une phrase de passe assez longue pour les tests"


def add_account(db, email, name, role, contract=None):
    args = ["user", "add", "--db", db, "--email", email, "--name", name, "--role", role,
            "--password-stdin"]
    if contract is not None:
        args += ["--contract", str(contract)]
    r = run_cli(*args, stdin=(PASSWORD + "\n").encode())
    if r.returncode != 0:
        raise RuntimeError("boussole user add failed: " + r.stderr)


class ContactRecords(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("gdpr", new_db("gdpr.db")).start()
        add_account(cls.server.db, "admin.rgpd@tests.example", "Ada Admin", "admin")
        add_account(cls.server.db, "lea.rgpd@tests.example", "Léa Liée", "referent", 1)
        add_account(cls.server.db, "coord.rgpd@tests.example", "Côme Coord", "coordinator", 1)
        cls.admin = Browser(cls.server)
        cls.admin.login("admin.rgpd@tests.example", PASSWORD)
        cls.coord = Browser(cls.server)
        cls.coord.login("coord.rgpd@tests.example", PASSWORD)

    def new_person(self, name, email, phone, account="", who=None):
        r = (who or self.admin).post("/contracts/1/people/new", {
            "name": name, "function": "Adjointe au maire", "organisation_id": "",
            "email": email, "phone": phone, "account_id": account})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        people = self.admin.get("/contracts/1/people").text
        return int(re.search(r'href="/people/(\d+)/edit">%s<' % re.escape(name),
                             people).group(1))

    def held_meeting(self, title, *pids, who=None):
        b = who or self.admin
        r = b.post("/contracts/1/meetings/new", {
            "body_id": "1", "title": title, "date": "14/01/2025", "start_time": "",
            "end_time": "", "place": "", "video_url": "", "status": "held", "agenda": "",
            "end_on": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        mid = int(re.match(r"^/meetings/(\d+)", r.header("location")).group(1))
        for pid in pids:
            r = b.post("/meetings/%d/invitees" % mid, {"person_id": str(pid)})
            self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        page = b.get("/meetings/%d/attendance" % mid).text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        fields = [("version", version)]
        for pid in pids:
            fields += [("att-%d" % pid, "present"), ("rep-%d" % pid, "")]
        r = b.post("/meetings/%d/attendance" % mid, fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        return mid

    def attendance(self, mid):
        for year in ("2025",):
            for m in self.server.get("/api/v1/contracts/1/meetings?year=" + year).json()[
                    "meetings"]:
                if m["id"] == mid:
                    return m["attendance"]
        self.fail("meeting %d not in the API" % mid)

    def test_record_without_account(self):
        pid = self.new_person("Odile Sanscompte", "odile@tests.example", "03 29 00 00 11")
        mid = self.held_meeting("COPIL RGPD sans compte", pid)

        # Only administrators see the section and may export.
        page = self.admin.get("/people/%d/edit" % pid).text
        self.assertIn("Données personnelles (RGPD)", page)
        self.assertIn('action="/admin/people/%d/erase"' % pid, page)
        self.assertNotIn("Données personnelles (RGPD)", self.coord.get("/people/%d/edit" % pid)
                         .text)
        self.assertEqual(self.coord.get("/admin/people/%d/export" % pid).status, 403)
        r = self.server.get("/admin/people/%d/export" % pid)
        self.assertEqual(r.status, 303)  # auth.c, need_login: a page sends to /login
        self.assertEqual(r.header("location"),
                         "/login?next=%%2Fadmin%%2Fpeople%%2F%d%%2Fexport" % pid)
        self.assertEqual(self.admin.get("/admin/people/999999/export").status, 404)

        r = self.admin.get("/admin/people/%d/export" % pid)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("application/json"))
        self.assertIn("attachment", r.header("content-disposition"))
        data = r.json()
        self.assertEqual(data["contact_record"]["name"], "Odile Sanscompte")
        self.assertEqual(data["contact_record"]["email"], "odile@tests.example")
        self.assertEqual(data["contact_record"]["phone"], "03 29 00 00 11")
        self.assertEqual([(a["meeting_id"], a["attendance"]) for a in data["attendance"]],
                         [(mid, "present")])
        self.assertIn("name", [c["field"] for c in data["changes"]])

        # Refused: a coordinator, no CSRF token, no confirmation. Nothing changes.
        r = self.coord.post("/admin/people/%d/erase" % pid, {"confirm": "1"})
        self.assertEqual(r.status, 403)
        r = common.Server.request(self.server, "POST", "/admin/people/%d/erase" % pid,
                                  "confirm=1", {"Content-Type":
                                                "application/x-www-form-urlencoded",
                                                "Cookie": "; ".join(
                                                    "%s=%s" % kv for kv in
                                                    self.admin.cookies.items())})
        self.assertEqual(r.status, 403)
        r = self.admin.post("/admin/people/%d/erase" % pid, {})
        self.assertEqual(r.status, 422)
        self.assertIn("Odile Sanscompte", self.admin.get("/contracts/1/people").text)

        r = self.admin.post("/admin/people/%d/erase" % pid, {"confirm": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        self.assertEqual(r.header("location"), "/contracts/1/people?done=erased")
        people = self.admin.get("/contracts/1/people?done=erased").text
        self.assertIn("La fiche a été effacée", people)
        self.assertIn("Contact n°%d" % pid, people)
        for gone in ("Odile", "odile@tests.example", "03 29 00 00 11"):
            self.assertNotIn(gone, people)
        self.assertEqual(self.attendance(mid)["present"], 1)
        data = self.admin.get("/admin/people/%d/export" % pid).json()
        self.assertEqual((data["contact_record"]["email"], data["contact_record"]["phone"]),
                         ("", ""))
        self.assertEqual(len(data["attendance"]), 1)
        text = self.admin.get("/admin/people/%d/export" % pid).text
        for gone in ("Odile", "odile@tests.example", "03 29 00 00 11"):
            self.assertNotIn(gone, text)
        self.assertIn("erased", [c["field"] for c in data["changes"]])

    def test_an_account_export_holds_its_sessions_tokens_and_changes(self):
        page = self.admin.get("/admin/accounts").text
        aid = int(re.search(r"Ada Admin</td>.*?/admin/accounts/(\d+)/export", page, re.S).group(1))
        self.new_person("Export Témoin", "temoin@tests.example", "03 29 00 00 33", "")
        data = self.admin.get("/admin/accounts/%d/export" % aid).json()
        self.assertEqual(data["account"]["email"], "admin.rgpd@tests.example")
        for key in ("api_tokens", "sessions", "changes", "statuses_recorded", "contact_records"):
            self.assertIsInstance(data[key], list, key)
        self.assertTrue(data["sessions"], "the admin's own session is held about them")
        self.assertIsInstance(data["sessions"][0]["created_at"], int)
        mine = [c for c in data["changes"] if c["entity"] == "person"]
        self.assertTrue(any(c["new_value"] == "Export Témoin" for c in mine), mine[:3])
        self.assertTrue(all(isinstance(c["entity_id"], int) for c in mine))

    def test_record_of_an_account(self):
        accounts = self.admin.get("/admin/accounts").text
        aid = int(re.search(r'<option value="(\d+)"[^>]*>Léa Liée', self.admin.get(
            "/contracts/1/people/new").text).group(1))
        self.assertIn("Léa Liée", accounts)
        pid = self.new_person("Léa Liée", "lea.pro@tests.example", "03 29 00 00 22", str(aid))
        mid = self.held_meeting("COPIL RGPD avec compte", pid)
        page = self.admin.get("/people/%d/edit" % pid).text
        self.assertIn("effacez son compte", page)
        self.assertNotIn('action="/admin/people/%d/erase"' % pid, page)
        r = self.admin.post("/admin/people/%d/erase" % pid, {"confirm": "1"})
        self.assertEqual(r.status, 409)

        data = self.admin.get("/admin/accounts/%d/export" % aid).json()
        records = data["contact_records"]
        self.assertEqual([r["contact_record"]["id"] for r in records], [pid])
        self.assertEqual(records[0]["contact_record"]["phone"], "03 29 00 00 22")
        self.assertEqual([(a["meeting_id"], a["attendance"]) for a in records[0]["attendance"]],
                         [(mid, "present")])

        r = self.admin.post("/admin/accounts/%d/erase" % aid, {"confirm": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        people = self.admin.get("/contracts/1/people").text
        self.assertIn("Personne n°%d" % aid, people)
        for gone in ("Léa Liée", "lea.pro@tests.example", "03 29 00 00 22"):
            self.assertNotIn(gone, people)
        self.assertEqual(self.attendance(mid)["present"], 1)
        meeting = self.admin.get("/meetings/%d" % mid).text
        self.assertIn("Personne n°%d" % aid, meeting)
        self.assertNotIn("Léa Liée", meeting)
        # Nor in the database files (the write-ahead log was checkpointed and emptied).
        for path, data in stored_data(self.server.db).items():
            for gone in ("Léa Liée", "lea.pro@tests.example", "lea.rgpd@tests.example",
                         "03 29 00 00 22"):
                self.assertFalse(gone.encode() in data, (path, gone))

    def test_erasure_leaves_no_trace(self):
        # Distinctive strings in every field, renamed once (so the journal holds old values),
        # invited and present at a meeting, then erased.
        secret = ("Zéphyrine Effaçable", "zephyrine.trace@tests.example", "03 29 98 76 54",
                  "Cheffe de projet Zéphyr")
        first = "Zéphyrine Premierjet"
        r = self.admin.post("/contracts/1/people/new", {
            "name": first, "function": secret[3], "organisation_id": "",
            "email": secret[1], "phone": secret[2], "account_id": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        pid = int(re.search(r'href="/people/(\d+)/edit">%s<' % re.escape(first),
                            self.admin.get("/contracts/1/people").text).group(1))
        page = self.admin.get("/people/%d/edit" % pid).text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        r = self.admin.post("/people/%d/edit" % pid, {
            "version": version, "name": secret[0], "function": secret[3], "organisation_id": "",
            "email": secret[1], "phone": secret[2], "account_id": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        mid = self.held_meeting("COPIL sans trace", pid)
        # Another person of that meeting was represented by her (free text).
        other = self.new_person("Gaston Représenté", "", "")
        r = self.admin.post("/meetings/%d/invitees" % mid, {"person_id": str(other)})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        page = self.admin.get("/meetings/%d/attendance" % mid).text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        r = self.admin.post("/meetings/%d/attendance" % mid, [
            ("version", version), ("att-%d" % pid, "present"), ("rep-%d" % pid, ""),
            ("att-%d" % other, "represented"), ("rep-%d" % other, secret[0])])
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        self.assertIn(secret[0], self.admin.get("/meetings/%d" % mid).text)
        strings = secret + (first, "Zéphyr", "zephyrine.trace", "98 76 54")
        db = self.server.db
        self.assertIn(secret[0].encode(), b"".join(stored_data(db).values()))

        r = self.admin.post("/admin/people/%d/erase" % pid, {"confirm": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        self.assertEqual(self.attendance(mid)["present"], 1)

        # The files themselves: the database, its write-ahead log (emptied).
        found = {}
        for path, data in stored_data(db).items():
            for s in strings:
                if s.encode() in data:
                    found.setdefault(path, []).append(s)
        self.assertEqual(found, {})

        # Every export and every page that could show them.
        outputs = {}
        for path in ("/admin/people/%d/export" % pid, "/contracts/1/people", "/contracts/1/audit",
                     "/meetings/%d" % mid, "/meetings/%d.ics" % mid, "/contracts/1/meetings.ics",
                     "/api/v1/contracts/1/meetings?year=2025", "/api/v1/contracts/1/governance",
                     "/contracts/1/actions.csv"):
            r = self.admin.get(path)
            self.assertEqual(r.status, 200, path)
            outputs[path] = r.body
        page = self.admin.get("/admin/accounts").text
        aid = int(re.search(r"Ada Admin</td>.*?/admin/accounts/(\d+)/export", page, re.S).group(1))
        outputs["account export"] = self.admin.get("/admin/accounts/%d/export" % aid).body
        for fmt in ("csv", "xlsx"):
            r = run_cli("export", "--db", db, "--contract", "1", "--format", fmt)
            self.assertEqual(r.returncode, 0, r.stderr)
            outputs[fmt] = r.stdout
        z = zipfile.ZipFile(io.BytesIO(outputs.pop("xlsx")))
        for name in z.namelist():
            outputs["xlsx " + name] = z.read(name)
        for where, data in outputs.items():
            text = data.decode("utf-8", "replace")
            for s in strings:
                self.assertNotIn(s, text, where)

    def test_account_erasure_reaches_report_texts(self):
        add_account(self.server.db, "zorglub.rgpd@tests.example", "Rédactrice Zorglub",
                    "coordinator", 1)
        b = Browser(self.server)
        b.login("zorglub.rgpd@tests.example", PASSWORD)
        fields = {"year": "2022", "beneficiary": "PETR Cœur de Lorraine",
                  "conv_number": "202201295", "conv_start": "01/01/2022",
                  "conv_end": "31/12/2022", "text_conclusion": "Une année écrite par elle."}
        m = re.search(r'name="conv_id" value="(\d+)"',
                      b.get("/contracts/1/report/edit?year=2022").text)
        if m:
            fields["conv_id"] = m.group(1)
        r = b.post("/contracts/1/report/edit", fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        self.assertIn("Rédactrice Zorglub".encode(),
                      b"".join(stored_data(self.server.db).values()))
        page = self.admin.get("/admin/accounts").text
        aid = int(re.search(r"Rédactrice Zorglub</td>.*?/admin/accounts/(\d+)/export", page,
                            re.S).group(1))
        r = self.admin.post("/admin/accounts/%d/erase" % aid, {"confirm": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        for path, data in stored_data(self.server.db).items():
            for gone in ("Rédactrice Zorglub", "zorglub.rgpd@tests.example"):
                self.assertFalse(gone.encode() in data, (path, gone))

    def test_journal_shows_governance(self):
        pid = self.new_person("Jules Journal", "", "", who=self.coord)
        mid = self.held_meeting("COPIL du journal", pid, who=self.coord)
        r = self.coord.post("/contracts/1/bodies/new", {
            "kind": "thematic_group", "name": "Groupe du journal", "theme": "",
            "min_per_year": "1", "max_per_year": "", "description": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        bid = int(re.match(r"^/bodies/(\d+)", r.header("location")).group(1))
        r = self.coord.post("/bodies/%d/members" % bid, {"person_id": str(pid),
                                                          "role": "member"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        page = self.coord.get("/contracts/1/audit")
        self.assertEqual(page.status, 200)
        html_text = page.text
        self.assertIn('Personne : <a href="/people/%d/edit">Jules Journal</a>' % pid, html_text)
        self.assertIn('Réunion : <a href="/meetings/%d">COPIL du journal du 14/01/2025</a>' % mid,
                      html_text)
        self.assertIn('Instance : <a href="/bodies/%d">Groupe du journal</a>' % bid, html_text)
        text = visible_text(html_text)
        for said in ("Présence (personne n° %d)" % pid, "Présent",
                     "Invitation (personne n° %d)" % pid, "sur la liste des invités",
                     "Membre (personne n° %d)" % pid, "Type d'instance", "Groupe thématique",
                     "Statut de la réunion", "Tenue", "Date", "14/01/2025", "instance n° 1"):
            self.assertIn(said, text)
        for raw in ("attendance:%d" % pid, "member:%d" % pid, "thematic_group", "person n°",
                    "meeting n°", "body n°"):
            self.assertNotIn(raw, text)
        # The person filter keeps working with governance entries.
        aid = re.search(r'<option value="(\d+)"[^>]*>Côme Coord</option>', html_text).group(1)
        only = visible_text(self.coord.get("/contracts/1/audit?person=%s" % aid).text)
        self.assertIn("Présence (personne n° %d)" % pid, only)


if __name__ == "__main__":
    unittest.main()
