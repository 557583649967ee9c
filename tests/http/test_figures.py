"""test_figures.py — the figures of the demo contract agree everywhere: the year every default
view shows is the contract's reporting year (one carrier's early 2024 status does not move it;
the coordinator's choice does), each year counts the actions that exist that year in the
dashboard, the API, the report and the spreadsheet alike, the report's conclusion is computed
and cites the source's differing figure, and provenance is a French "Source" line, never an
English developer note."""

import html
import re
import unittest
import zipfile

import common
from common import connect, copy_db, data, run_cli, tmp_path
from test_report import PASSWORD, Browser, add_account, demo_db


def expected(year):
    """(actions that exist in year, done among them) from the data files: an action exists from
    the first year it has a status."""
    d = data()
    first = {}
    for s in d.statuses:
        first[s["action_id"]] = min(int(s["year"]), first.get(s["action_id"], 9999))
    total = done = 0
    for a in d.actions:
        if first.get(a["id"], 9999) <= year:
            total += 1
            done += (d.status_of(a["id"], year) or "").startswith("done")
    return total, done


def squeeze(s):
    return " ".join(html.unescape(s).replace("\xa0", " ").split())


def odt_text(path):
    with zipfile.ZipFile(path) as z:
        xml = z.read("content.xml").decode("utf-8")
    xml = re.sub(r"<text:(p|h)[^>]*>", "\n", xml)
    return html.unescape(re.sub(r"<[^>]+>", " ", xml))


def xlsx_summary(path):
    """{year: (done, total)} from the "Synthèse" sheet (the workbook's first sheet)."""
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    out = {}
    for row in re.findall(r"<row [^>]*>(.*?)</row>", sheet, re.S):
        nums = re.findall(r'<c r="([A-Z]+)\d+"[^>]*?(?:t="n")?[^>]*><v>([0-9.]+)</v></c>', row)
        if len(nums) >= 3 and nums[0][0] == "A" and 2000 <= float(nums[0][1]) <= 2100:
            out[int(float(nums[0][1]))] = (int(float(nums[-2][1])), int(float(nums[-1][1])))
    return out


def setUpModule():
    global DB, SERVER, PRISTINE
    DB = demo_db("figures.db")
    add_account(DB, "coordination@figures.test", "coordinator")
    PRISTINE = copy_db(DB, "figures-pristine.db")
    SERVER = common.Server("figures", DB, command="serve").start()


def dashboard_counts(server, year=None):
    page = server.get("/contracts/1/dashboard" + ("?year=%d" % year if year else "")).text
    m = re.search(r"<p>En (\d+), le contrat compte (?:<a[^>]*>)?(\d+)(?:</a>)? actions?, dont "
                  r"(?:<a[^>]*>)?(\d+)", page)
    assert m, "no overview sentence on the dashboard"
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def selected_year(page):
    m = re.search(r'<option value="(\d+)" selected>', page)
    return int(m.group(1)) if m else None


class ReportingYear(unittest.TestCase):
    """Point 12: the default year is the contract's reporting year."""

    def defaults(self):
        s = SERVER
        api = s.get("/api/v1/contracts/1/actions").json()
        gantt = s.get("/contracts/1/gantt").text
        return {
            "home": selected_year(s.get("/contracts/1").text),
            "list": selected_year(s.get("/contracts/1/actions").text),
            "dashboard": dashboard_counts(s)[0],
            "gantt": int(re.search(r"couleur : état d(?:'|&#39;)avancement (\d{4})",
                                   gantt).group(1)),
            "api": api["year"],
        }, api

    def test_one_carrier_entry_does_not_move_the_year_but_the_coordinator_does(self):
        with connect(DB) as c:
            c.execute("INSERT INTO action_status (action_id, year, status, status_as_written, "
                      "remarks, recommendations, recorded_at, recorded_by) VALUES (1, 2024, "
                      "'in_progress', '', 'Relancé', '', '2026-01-05T10:00:00Z', "
                      "'EHPAD d''Hannonville')")
        b = Browser(SERVER)
        b.login("coordination@figures.test", PASSWORD)
        got, api = self.defaults()
        got["report"] = selected_year(b.get("/contracts/1/report").text)
        self.assertEqual(set(got.values()), {2023}, got)
        total, done = expected(2023)
        self.assertEqual(dashboard_counts(SERVER)[1:], (total, done))
        self.assertEqual((api["counts"]["total"], api["counts"]["done_any"]), (total, done))
        self.assertIn("sur %d" % total, SERVER.get("/contracts/1/actions").text)

        form = b.get("/contracts/1/edit").text
        self.assertIn('name="reporting_year"', form)
        fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form))
        fields.update({"reporting_year": "2024", "status": "active"})
        for k in ("public_remarks", "public_people", "csrf"):
            fields.pop(k, None)
        fields = {k: html.unescape(v) for k, v in fields.items()}
        r = b.post("/contracts/1/edit", fields)
        self.assertEqual(r.status, 303, r.text[:500])
        got, api = self.defaults()
        got["report"] = selected_year(b.get("/contracts/1/report").text)
        self.assertEqual(set(got.values()), {2024}, got)
        self.assertEqual(api["counts"]["total"], 76)
        self.assertEqual(api["counts"]["none"], 75)
        with connect(DB) as c:
            rows = c.execute("SELECT old_value, new_value FROM audit_log WHERE entity = "
                             "'contract' AND field = 'reporting_year'").fetchall()
        self.assertEqual(rows, [("", "2024")])
        # A year outside 1990–2100 is refused next to the field; nothing changes.
        fields["reporting_year"] = "3000"
        fields["version"] = re.search(r'name="version" value="(\d+)"',
                                      b.get("/contracts/1/edit").text).group(1)
        r = b.post("/contracts/1/edit", fields)
        self.assertEqual(r.status, 422)
        self.assertEqual(self.defaults()[0]["api"], 2024)


class Agreement(unittest.TestCase):
    """Point 13: one rule for the actions of a year, in every output."""

    @classmethod
    def setUpClass(cls):
        cls.server = common.Server("figures-pristine", PRISTINE, command="serve").start()
        out = tmp_path("figures.xlsx")
        r = run_cli("export", "--db", PRISTINE, "--contract", "1", "--format", "xlsx",
                    "--out", out, timeout=300)
        assert r.returncode == 0, r.stderr
        cls.xlsx = xlsx_summary(out)

    def report(self, year):
        out = tmp_path("figures-%d.odt" % year)
        r = run_cli("report", "--db", PRISTINE, "--contract", "1", "--year", str(year),
                    "--format", "odt", "--out", out, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return squeeze(odt_text(out))

    def test_each_year_counts_the_same_everywhere(self):
        for year in (2020, 2021, 2022, 2023):
            with self.subTest(year=year):
                total, done = expected(year)
                self.assertEqual(dashboard_counts(self.server, year), (year, total, done))
                api = self.server.get("/api/v1/contracts/1/actions?year=%d" % year).json()
                self.assertEqual((api["counts"]["total"], api["counts"]["done_any"]),
                                 (total, done))
                self.assertEqual(len(api["actions"]), total)
                self.assertEqual(self.xlsx[year], (done, total))
                text = self.report(year)
                self.assertRegex(text, r"Toutes les réalisées %d \d+ %% Total %d 100 %%"
                                 % (done, total))
                self.assertIn("En %d, %d des %d actions du contrat" % (year, done, total), text)
        self.assertEqual(expected(2020), (71, 16))
        self.assertEqual(expected(2023), (76, 28))

    def test_2023_conclusion_is_the_table_and_cites_the_source(self):
        text = self.report(2023)
        self.assertIn("Toutes les réalisées 28 37 % Total 76 100 %", text)
        self.assertIn("En 2023, 28 des 76 actions du contrat sont réalisées (37 %) et 5 "
                      "abandonnées (7 %) ; il reste 43 actions à mener.", text)
        self.assertIn("Le rapport source indique 29 actions réalisées (38 %) ; les données en "
                      "comptent 28 sur 76 (37 %).", text)
        self.assertNotIn("soit 29 actions", text)
        # 2022's source figures agree with the data: no note.
        self.assertNotIn("Le rapport source indique", self.report(2022))

    def test_four_intercommunalities_are_named_as_four(self):
        text = self.report(2023)
        self.assertIn("4 intercommunalités : CC du Territoire de Fresnes-en-Woëvre, CC Côtes "
                      "de Meuse-Woëvre, CC du Sammiellois et CC de l'Aire à l'Argonne", text)


ENGLISH = ("(line ", "Renamed", "annex 8", "Annex 8", "Carrier", "kept as", "verbatim",
           "Not a signatory", "Spelled", "represented by", "No code", "Coded")


class Provenance(unittest.TestCase):
    """Point 14: provenance is a French "Source" line, never an English note."""

    def test_action_pages_and_signatories(self):
        server = SERVER
        acts = server.get("/api/v1/contracts/1/actions?year=2023").json()["actions"]
        self.assertEqual(len(acts), 76)
        for a in acts:
            page = server.get("/actions/%d" % a["id"]).text
            with self.subTest(action=a["id"]):
                for word in ENGLISH:
                    self.assertNotIn(word, page)
                # The demo's actions carry no note at all: the extraction's were English.
                self.assertNotIn("<dt>Notes</dt>", page)
                self.assertIn("Source : Rapport d&#39;évaluation du CLS 2", page)
        b = Browser(server)
        b.login("coordination@figures.test", PASSWORD)
        for path in ("/contracts/1", "/contracts/1/signatories"):
            page = (b.get(path) if path.endswith("signatories") else server.get(path)).text
            with self.subTest(path=path):
                section = page[page.index("Signataires"):]
                for word in ENGLISH:
                    self.assertNotIn(word, section)
        home = server.get("/contracts/1").text
        self.assertIn("Source : Rapport d&#39;évaluation du CLS 2, bloc des signatures", home)
        self.assertIn("Délibération de la Région fin mars 2019, signature courant mai 2019",
                      home)


if __name__ == "__main__":
    unittest.main()
