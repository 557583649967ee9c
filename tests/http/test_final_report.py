"""test_final_report.py — the final evaluation report of the demo contract, end to end on the real
binary: `boussole report --kind final` writes a PDF whose fonts are embedded and an ODT that
LibreOffice opens, and their figures of every year equal the dashboard's and an independent count
of data/demo; the evaluation page links each figure to its rows; the SWOT editor and the
recommendations work through their forms with CSRF, version conflicts and role refusals; the
drafted texts can be replaced and brought back."""

import html
import os
import re
import subprocess
import unittest

import common
from common import count_line, data, read_csv, run_cli, tmp_path, visible_text
from test_report import PASSWORD, Browser, add_account, demo_db, pdf_text, soffice

YEARS = (2020, 2021, 2022, 2023)


def expected(year):
    """(actions that exist in year, done among them, in progress among them), from the data
    files: an action exists from the first year it has a status."""
    d = data()
    first = {}
    for s in d.statuses:
        first[s["action_id"]] = min(int(s["year"]), first.get(s["action_id"], 9999))
    total = done = in_progress = 0
    for a in d.actions:
        if first.get(a["id"], 9999) <= year:
            total += 1
            st = d.status_of(a["id"], year) or ""
            done += st.startswith("done")
            in_progress += st == "in_progress"
    return total, done, in_progress


def pct(part, total):
    return int(100.0 * part / total + 0.5) if total else 0


def dashboard_counts(server, year):
    page = server.get("/contracts/1/dashboard?year=%d" % year).text
    m = re.search(r"<p>En (\d+), le contrat compte (?:<a[^>]*>)?(\d+)(?:</a>)? actions?, dont "
                  r"(?:<a[^>]*>)?(\d+)", page)
    assert m, "no overview sentence on the dashboard"
    return int(m.group(2)), int(m.group(3))


def report_years(text):
    """{year: (total, done, share)} from a document's text: the year table's rows."""
    out = {}
    one = " ".join(text.split())
    for y in YEARS:
        m = re.search(r"\b%d (\d+) (\d+) (\d+) %%" % y, one)
        if m:
            out[y] = tuple(int(g) for g in m.groups())
    return out


def page_years(page):
    """{year: (total, total_href, done, done_href)} from the evaluation page's table."""
    out = {}
    for m in re.finditer(r'<tr data-year="(\d+)"><th scope="row">\d+</th><td class="num">'
                         r'<a href="([^"]+)">(\d+)</a></td><td class="num"><a href="([^"]+)">'
                         r'(\d+)</a>', page):
        out[int(m.group(1))] = (int(m.group(3)), html.unescape(m.group(2)), int(m.group(5)),
                                html.unescape(m.group(4)))
    return out


def setUpModule():
    global DB, SERVER
    DB = demo_db("final.db")
    add_account(DB, "coordination@final.test", "coordinator")
    add_account(DB, "referent@final.test", "referent")
    SERVER = common.Server("final", DB, command="serve").start()


def browser(email):
    b = Browser(SERVER)
    b.login(email, PASSWORD)
    b.get("/contracts/1/evaluation")  # the page's form token
    return b


class Documents(unittest.TestCase):
    """boussole report --kind final, on its own copy of the demo."""

    @classmethod
    def setUpClass(cls):
        cls.db = demo_db("final-docs.db")

    def report(self, fmt):
        out = tmp_path("evaluation-finale.%s" % fmt)
        r = run_cli("report", "--db", self.db, "--contract", "1", "--kind", "final",
                    "--format", fmt, "--out", out, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Rapport d'évaluation finale écrit", r.stdout.decode())
        return out

    def check_figures(self, text):
        years = report_years(text)
        self.assertEqual(sorted(years), list(YEARS), "a year is missing from the table")
        for y in YEARS:
            total, done, _ = expected(y)
            self.assertEqual(years[y], (total, done, pct(done, total)), y)
        total, done, in_progress = expected(2023)
        one = " ".join(text.split())
        self.assertIn("Sur les %d actions du contrat en 2023, %d (%d %%) ont été réalisées, "
                      "%d (%d %%) sont en cours" % (total, done, pct(done, total), in_progress,
                                                     pct(in_progress, total)), one)

    def test_pdf_embeds_its_fonts_and_says_the_figures(self):
        path = self.report("pdf")
        fonts = subprocess.run(["pdffonts", path], capture_output=True, check=True)
        lines = fonts.stdout.decode().splitlines()[2:]
        self.assertTrue(lines, "no font")
        for line in lines:  # name type encoding emb sub uni object ID
            self.assertEqual(line.split()[-5], "yes", "font not embedded: " + line)
        text = pdf_text(path)
        self.check_figures(text)
        flat = re.sub(r"\s+", "", text)
        for row in read_csv("swot.csv"):
            self.assertIn(re.sub(r"\s+", "", row["text"]), flat)
        for row in read_csv("recommendations.csv"):
            self.assertIn(re.sub(r"\s+", "", row["title"]), flat)
        self.assertNotIn("Résultats du questionnaire", text)  # no survey wired yet

    def test_odt_opens_in_libreoffice(self):
        path = self.report("odt")
        outdir = tmp_path("final-odt")
        r = soffice("--convert-to", "pdf", "--outdir", outdir, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(outdir, "evaluation-finale.pdf")),
                        r.stdout + r.stderr)
        r = soffice("--convert-to", "txt:Text (encoded):UTF8", "--outdir", outdir, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(outdir, "evaluation-finale.txt"), encoding="utf-8-sig") as f:
            text = f.read()
        # LibreOffice writes a table's cells one per line: the year rows are still in order.
        self.check_figures(text)

    def test_cli_kinds(self):
        r = run_cli("report", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--kind final", r.stdout.decode())
        r = run_cli("report", "--db", self.db, "--contract", "1", "--kind", "annual",
                    "--format", "pdf", "--out", tmp_path("x.pdf"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--kind inconnu « annual »", r.stderr)
        r = run_cli("report", "--db", self.db, "--contract", "9", "--kind", "final",
                    "--format", "pdf", "--out", tmp_path("x.pdf"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("contrat n° 9 introuvable", r.stderr)
        # The yearly report is still the default kind.
        out = tmp_path("bilan-2021-final-test.pdf")
        r = run_cli("report", "--db", self.db, "--contract", "1", "--year", "2021",
                    "--format", "pdf", "--out", out, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Bilan d'exécution 2021", pdf_text(out))


class Page(unittest.TestCase):
    """The evaluation page and its downloads."""

    def test_needs_an_account(self):
        for path in ("/contracts/1/evaluation", "/contracts/1/evaluation.pdf",
                     "/contracts/1/evaluation.odt"):
            r = SERVER.get(path)
            self.assertEqual(r.status, 303, path)
            self.assertTrue(r.header("location").startswith("/login"))

    def test_figures_equal_the_dashboards_and_link_to_their_rows(self):
        b = browser("referent@final.test")
        page = b.get("/contracts/1/evaluation")
        self.assertEqual(page.status, 200)
        years = page_years(page.text)
        self.assertEqual(sorted(years), list(YEARS))
        for y in YEARS:
            with self.subTest(year=y):
                total, total_href, done, done_href = years[y]
                self.assertEqual((total, done), dashboard_counts(SERVER, y))
                self.assertEqual((total, done), expected(y)[:2])
                self.assertEqual(count_line(SERVER.get(total_href).text)[0], total)
                self.assertIn("status=done_any", done_href)
                self.assertEqual(count_line(SERVER.get(done_href).text)[0], done)
        self.assertIn('href="/contracts/1/evaluation.pdf"', page.text)
        self.assertIn('href="/contracts/1/evaluation.odt"', page.text)

    def test_readers_see_no_form(self):
        b = browser("referent@final.test")
        page = b.get("/contracts/1/evaluation").text
        self.assertNotIn("<form method=\"post\" action=\"/contracts/1/evaluation", page)
        self.assertIn("Rôle essentiel de la coordination", page)
        self.assertIn("Clarifier la gouvernance", page)

    def test_downloads(self):
        b = browser("referent@final.test")
        r = b.get("/contracts/1/evaluation.pdf")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF-"))
        r = b.get("/contracts/1/evaluation.odt")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"PK\x03\x04"))


def swot_items(page, quadrant):
    """[(id, version, text)] of a quadrant of the page, in order."""
    m = re.search(r'<section class="swot-%s".*?</ol>' % quadrant, page, re.S)
    out = []
    for li in re.finditer(r'<li id="swot-item-(\d+)"><span class="swot-text">([^<]*)</span>'
                          r'.*?name="version" value="(\d+)"', m.group(0), re.S):
        out.append((int(li.group(1)), int(li.group(3)), html.unescape(li.group(2))))
    return out


class Editing(unittest.TestCase):
    """The SWOT editor, the recommendations and the texts through their forms."""

    def test_swot_add_edit_move_remove(self):
        b = browser("coordination@final.test")
        r = b.post("/contracts/1/evaluation/swot", {"quadrant": "threat",
                                                    "text": "Départ de la coordinatrice"})
        self.assertEqual(r.status, 303)
        page = b.get("/contracts/1/evaluation").text
        threats = swot_items(page, "threat")
        self.assertEqual(threats[-1][2], "Départ de la coordinatrice")
        new_id, version, _ = threats[-1]
        # Up one place.
        r = b.post("/contracts/1/evaluation/swot/%d" % new_id, {"op": "up", "version": version})
        self.assertEqual(r.status, 303)
        threats = swot_items(b.get("/contracts/1/evaluation").text, "threat")
        self.assertEqual(threats[-2][0], new_id)
        version = threats[-2][1]
        # Edited, then a stale form: refused with 409, input kept, nothing changed.
        r = b.post("/contracts/1/evaluation/swot/%d" % new_id,
                   {"op": "save", "version": version, "quadrant": "threat",
                    "text": "Départ de la coordination"})
        self.assertEqual(r.status, 303)
        r = b.post("/contracts/1/evaluation/swot/%d" % new_id,
                   {"op": "save", "version": version, "quadrant": "threat",
                    "text": "Texte d'une page ancienne"})
        self.assertEqual(r.status, 409)
        self.assertIn("Texte d&#39;une page ancienne", r.text)
        # What changed in between, from the journal: the text saved just before.
        box = re.search(r'<div class="error-summary conflict".*?</div>', r.text, re.S).group(0)
        self.assertIn("Ce qui a changé depuis que vous avez ouvert la page", box)
        self.assertIn("Départ de la coordination", html.unescape(box))
        threats = swot_items(b.get("/contracts/1/evaluation").text, "threat")
        self.assertIn((new_id, version + 1, "Départ de la coordination"), threats)
        # Empty text: 422 with the reason next to the form.
        r = b.post("/contracts/1/evaluation/swot/%d" % new_id,
                   {"op": "save", "version": version + 1, "quadrant": "threat", "text": " "})
        self.assertEqual(r.status, 422)
        self.assertIn('id="swot-%d-error"' % new_id, r.text)
        # Removed, and in the contract's journal.
        r = b.post("/contracts/1/evaluation/swot/%d" % new_id,
                   {"op": "remove", "version": version + 1})
        self.assertEqual(r.status, 303)
        page = b.get("/contracts/1/evaluation").text
        self.assertNotIn("Départ de la coordination", page)
        journal = visible_text(b.get("/contracts/1/audit").text)
        self.assertIn("Élément de l'analyse AFOM n° %d" % new_id, journal)

    def test_refusals(self):
        b = browser("coordination@final.test")
        before = b.get("/contracts/1/evaluation").text
        strengths = swot_items(before, "strength")
        item, version, text = strengths[0]
        # No CSRF token.
        r = b.post("/contracts/1/evaluation/swot/%d" % item,
                   {"op": "remove", "version": version}, csrf=False)
        self.assertEqual(r.status, 403)
        # A reader may not write, even with a valid token.
        ref = browser("referent@final.test")
        for path, fields in (("/contracts/1/evaluation/swot/%d" % item,
                              {"op": "remove", "version": version}),
                             ("/contracts/1/evaluation/swot", {"quadrant": "strength",
                                                               "text": "x"}),
                             ("/contracts/1/evaluation/texts", {"section": "conclusion",
                                                                "version": "0", "body": "x"})):
            self.assertEqual(ref.post(path, fields).status, 403, path)
        # Signed out: sent to sign in.
        self.assertEqual(SERVER.request("POST", "/contracts/1/evaluation/swot", b"",
                                        {"Content-Type": "application/x-www-form-urlencoded"}
                                        ).status, 303)
        # An item of this contract reached through another contract's URL: not found.
        r = b.post("/contracts/2/evaluation/swot/%d" % item, {"op": "remove",
                                                              "version": version})
        self.assertEqual(r.status, 404)
        after = swot_items(b.get("/contracts/1/evaluation").text, "strength")
        self.assertEqual(after[0], (item, version, text))

    def test_recommendation_owner_and_follow_up(self):
        b = browser("coordination@final.test")
        page = b.get("/contracts/1/evaluation").text
        m = re.search(r'<form method="post" action="/contracts/1/evaluation/recommendations/(\d+)"'
                      r' id="rec-\d+"><input type="hidden" name="csrf" value="[^"]*">'
                      r'<input type="hidden" name="version" value="(\d+)">', page)
        rec, version = int(m.group(1)), int(m.group(2))
        fields = {"version": version, "number": "1", "title": "Clarifier la gouvernance",
                  "body": "Définir qui fait quoi.", "owner": "PETR Cœur de Lorraine",
                  "follow_up": "Planning annuel des instances adopté en COPIL",
                  "state": "in_progress"}
        self.assertEqual(b.post("/contracts/1/evaluation/recommendations/%d" % rec,
                                fields).status, 303)
        page = b.get("/contracts/1/evaluation").text
        self.assertIn("Planning annuel des instances adopté en COPIL", page)
        self.assertIn("PETR Cœur de Lorraine", page)
        # The same form again: its version is stale.
        r = b.post("/contracts/1/evaluation/recommendations/%d" % rec, fields)
        self.assertEqual(r.status, 409)
        self.assertIn("Planning annuel des instances adopté en COPIL",
                      html.unescape(re.search(r'<div class="error-summary conflict".*?</div>',
                                              r.text, re.S).group(0)))
        # Another recommendation's number.
        r = b.post("/contracts/1/evaluation/recommendations/%d" % rec,
                   dict(fields, version=version + 1, number="2"))
        self.assertEqual(r.status, 422)
        self.assertIn("Une autre recommandation porte déjà ce numéro", html.unescape(r.text))
        # A new one goes after the last.
        r = b.post("/contracts/1/evaluation/recommendations",
                   {"title": "Suivre les recommandations dans Boussole", "body": "",
                    "owner": "Coordination", "follow_up": "", "state": "open", "number": ""})
        self.assertEqual(r.status, 303)
        self.assertIn("11. Suivre les recommandations dans Boussole",
                      html.unescape(b.get("/contracts/1/evaluation").text))
        # The document says it too.
        pdf = b.get("/contracts/1/evaluation.pdf").body
        path = tmp_path("final-after-edit.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        flat = re.sub(r"\s+", "", pdf_text(path))
        self.assertIn("PlanningannueldesinstancesadoptéenCOPIL", flat)

    def test_text_replaced_then_drafted_again(self):
        b = browser("coordination@final.test")
        page = b.get("/contracts/1/evaluation").text
        drafted = re.search(r'<div class="eval-text" id="text-conclusion-shown"><p>([^<]*)</p>',
                            page).group(1)
        r = b.post("/contracts/1/evaluation/texts", {"section": "conclusion", "version": "0",
                                                     "op": "save",
                                                     "body": "Un contrat **mobilisateur**."})
        self.assertEqual(r.status, 303)
        page = b.get("/contracts/1/evaluation").text
        self.assertIn("<strong>mobilisateur</strong>", page)
        self.assertIn("Revenir au texte calculé", page)
        # A second person who loaded the page before: 409.
        r = b.post("/contracts/1/evaluation/texts", {"section": "conclusion", "version": "0",
                                                     "op": "save", "body": "Autre"})
        self.assertEqual(r.status, 409)
        r = b.post("/contracts/1/evaluation/texts", {"section": "conclusion", "version": "1",
                                                     "op": "revert"})
        self.assertEqual(r.status, 303)
        page = b.get("/contracts/1/evaluation").text
        self.assertIn(drafted, page)
        self.assertNotIn("mobilisateur", page)


if __name__ == "__main__":
    unittest.main()
