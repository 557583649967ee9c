"""test_report.py — the yearly execution report and the spreadsheets, end to end on the real
binary: the PDF of each demo year read back with pdftotext and pdffonts, the ODT and the XLSX
opened by LibreOffice, XLSX round trips through LibreOffice, bad files refused without a crash
or a half import, and in the browser the preview page, the texts' form, the XLSX download and
the upload / mapping / import screens with their errors. Expected values come from data/demo."""

import csv
import glob
import io
import os
import re
import subprocess
import unittest
import urllib.parse
import zipfile

import common
from common import connect, copy_db, data, fold, new_db, run_cli, tmp_path, visible_text

YEARS = (2020, 2021, 2022, 2023)
SECTIONS = ("1. Identification de la convention", "2. Identification du bénéficiaire",
            "3. Contexte", "4. Missions réalisées en {y}", "5. Gouvernance et suivi",
            "6. Communication autour du CLS", "7. Travaux menés en {y} par objectif spécifique",
            "8. Bilan {y} par action", "9. Indicateurs d'évaluation", "10. Conclusion")
LABELS = {"done_closed": "Réalisée et close", "done_recurring": "Réalisée, récurrente",
          "done": "Réalisée", "in_progress": "En cours", "reflection": "Réflexion engagée",
          "not_started": "Non commencée", "abandoned": "Abandonnée", None: "Sans état"}
PASSWORD = "un mot de passe assez long pour les tests"


def squeeze(s):
    """Text without any blank: table cells wrap titles anywhere."""
    return re.sub(r"\s+", "", s or "")


def pdf_text(path):
    r = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], capture_output=True,
                       check=True)
    return r.stdout.decode("utf-8")


def pdf_pages(path):
    r = subprocess.run(["pdfinfo", path], capture_output=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", r.stdout.decode(), re.M).group(1))


def soffice(*args):
    """Runs LibreOffice headless with a profile of its own (several may run at once)."""
    profile = tmp_path("lo-profile")
    r = subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
                        "--norestore", *args], capture_output=True, timeout=300)
    return r


def year_rows(year):
    """The demo actions of a year's table: those with a status that year or an earlier one
    (5.2.1 has none in 2023 but is still listed), with their status that year."""
    d = data()
    earliest = {}
    for s in d.statuses:
        y = int(s["year"])
        earliest[s["action_id"]] = min(y, earliest.get(s["action_id"], y))
    return [(a, d.status_of(a["id"], year)) for a in d.actions
            if earliest.get(a["id"], 9999) <= year]


def demo_db(name):
    db = new_db(name)
    r = run_cli("demo", "--db", db, "--no-serve", timeout=300)
    if r.returncode != 0:
        raise RuntimeError("demo not loaded: " + r.stderr)
    return db


def statuses_dump(db):
    with connect(db) as c:
        return c.execute("SELECT count(*), coalesce(max(id), 0) FROM action_status").fetchone()


class Documents(unittest.TestCase):
    """boussole report / export / import on a demo database."""

    @classmethod
    def setUpClass(cls):
        cls.db = demo_db("report-docs.db")
        cls.scratch = copy_db(cls.db, "report-docs-writes.db")  # for the tests that change it

    def report(self, year, fmt="pdf"):
        out = tmp_path("bilan-%d.%s" % (year, fmt))
        r = run_cli("report", "--db", self.db, "--contract", "1", "--year", str(year),
                    "--format", fmt, "--out", out, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out

    def check_content(self, text, year):
        flat = squeeze(text)
        for s in SECTIONS:
            self.assertIn(squeeze(s.format(y=year)), flat, s)
        missing = [a["title"] for a, _ in year_rows(year) if squeeze(a["title"]) not in flat]
        self.assertEqual(missing, [])
        counts = {}
        for _, st in year_rows(year):
            counts[st] = counts.get(st, 0) + 1
        one_line = " ".join(text.split())
        for st, n in counts.items():
            self.assertRegex(one_line, r"%s %d \d+ %%" % (re.escape(LABELS[st]), n),
                             "count of %s" % LABELS[st])

    def test_pdf_of_each_year(self):
        for year in YEARS:
            with self.subTest(year=year):
                path = self.report(year)
                self.check_content(pdf_text(path), year)
                pages = pdf_pages(path)
                self.assertTrue(5 <= pages <= 60, pages)
                fonts = subprocess.run(["pdffonts", path], capture_output=True, check=True)
                lines = fonts.stdout.decode().splitlines()[2:]
                self.assertTrue(lines, "no font")
                for line in lines:  # name type encoding emb sub uni object ID
                    self.assertEqual(line.split()[-5], "yes", "font not embedded: " + line)
                self.assertIn("Laura DAUMAS", pdf_text(path))

    def test_odt_opens_in_libreoffice(self):
        path = self.report(2022, "odt")
        with zipfile.ZipFile(path) as z:
            self.assertEqual(z.namelist()[0], "mimetype")
            self.assertEqual(z.read("mimetype"), b"application/vnd.oasis.opendocument.text")
            content = z.read("content.xml").decode("utf-8")
        self.assertIn('text:outline-level="1"', content)
        self.assertIn("<table:table-header-rows>", content)
        outdir = tmp_path("odt-pdf")
        r = soffice("--convert-to", "pdf", "--outdir", outdir, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        converted = os.path.join(outdir, "bilan-2022.pdf")
        self.assertTrue(os.path.exists(converted), r.stdout + r.stderr)
        self.assertTrue(5 <= pdf_pages(converted) <= 60)
        # The text LibreOffice reads, cell by cell (a PDF's reading order mixes table cells).
        r = soffice("--convert-to", "txt:Text (encoded):UTF8", "--outdir", outdir, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(outdir, "bilan-2022.txt"), encoding="utf-8-sig") as f:
            self.check_content(f.read(), 2022)

    def test_xlsx_sheets_are_the_csv_exports(self):
        xlsx = tmp_path("suivi.xlsx")
        r = run_cli("export", "--db", self.db, "--contract", "1", "--format", "xlsx",
                    "--out", xlsx)
        self.assertEqual(r.returncode, 0, r.stderr)
        outdir = tmp_path("xlsx-csv")
        # Every sheet to its own CSV (sheet option -1), UTF-8, comma, as shown.
        r = soffice("--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                    "--outdir", outdir, xlsx)
        self.assertEqual(r.returncode, 0, r.stderr)
        for year in YEARS:
            with self.subTest(year=year):
                sheet = glob.glob(os.path.join(outdir, "suivi-%d.csv" % year))
                self.assertTrue(sheet, os.listdir(outdir))
                exported = tmp_path("export-%d.csv" % year)
                # --raw: the cells as stored, as the workbook holds them (a CSV for a
                # spreadsheet puts an apostrophe before a formula-like cell).
                r = run_cli("export", "--db", self.db, "--contract", "1", "--year", str(year),
                            "--raw", "--out", exported)
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(exported, newline="", encoding="utf-8") as f:
                    want = list(csv.reader(f))
                with open(sheet[0], newline="", encoding="utf-8") as f:
                    got = list(csv.reader(f))
                self.assertEqual(got, want)

    def test_xlsx_saved_by_libreoffice_imports_back(self):
        exported = tmp_path("export-lo.csv")
        r = run_cli("export", "--db", self.db, "--contract", "1", "--year", "2021",
                    "--out", exported)
        self.assertEqual(r.returncode, 0, r.stderr)
        outdir = tmp_path("csv-xlsx")
        r = soffice("--infilter=Text - txt - csv (StarCalc):44,34,76,1", "--convert-to", "xlsx",
                    "--outdir", outdir, exported)
        self.assertEqual(r.returncode, 0, r.stderr)
        xlsx = os.path.join(outdir, "export-lo.xlsx")
        before = statuses_dump(self.db)
        r = run_cli("import", "--db", self.db, "--contract", "1", "--year", "2021", xlsx)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The 2021 sheet holds the 71 actions that exist in 2021 (figures.h), not the 76 of 2023.
        self.assertRegex(r.stdout.decode(), r"lignes inchangées\s+71")
        self.assertEqual(statuses_dump(self.db), before)
        # The same file into a new contract gives the same rows.
        r = run_cli("import", "--db", self.db, "--new-contract", "Copie LibreOffice",
                    "--territory", "Ailleurs", "--year", "2021", "--yes", xlsx)
        self.assertEqual(r.returncode, 0, r.stderr)
        new_id = re.search(r"Contrat créé : (\d+)", r.stdout.decode()).group(1)
        again = tmp_path("export-copy.csv")
        r = run_cli("export", "--db", self.db, "--contract", new_id, "--year", "2021",
                    "--out", again)
        with open(exported, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def refused(self, path, *words, extra=()):
        before = statuses_dump(self.db)
        r = run_cli("import", "--db", self.db, "--contract", "1", "--year", "2023", *extra, path)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        for w in words:
            self.assertIn(w, r.stderr)
        self.assertNotIn("Sanitizer", r.stderr)
        self.assertIn("rien n'a été importé", r.stderr)
        self.assertEqual(statuses_dump(self.db), before)

    def test_bad_files(self):
        seeds = os.path.join(common.ROOT, "tests", "fuzz", "corpus", "xlsx")
        with self.subTest("not a spreadsheet"):
            p = tmp_path("image.xlsx")
            with open(p, "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
            self.refused(p, "pas un classeur")
        with self.subTest("encrypted or old .xls"):
            self.refused(os.path.join(seeds, "ole.xlsx"), "mot de passe")
        with self.subTest("empty"):
            p = tmp_path("empty.xlsx")
            open(p, "wb").close()
            self.refused(p, "vide")
        with self.subTest("formula without a value"):
            self.refused(os.path.join(seeds, "formula_no_value.xlsx"), "formule", "A1")
        with self.subTest("a zip that is no workbook"):
            p = tmp_path("zip.xlsx")
            with zipfile.ZipFile(p, "w") as z:
                z.writestr("hello.txt", "bonjour")
            self.refused(p, "incomplet")
        with self.subTest("a damaged workbook"):
            with open(os.path.join(seeds, "libreoffice.xlsx"), "rb") as f:
                raw = f.read()
            p = tmp_path("cut.xlsx")
            with open(p, "wb") as f:
                f.write(raw[:len(raw) // 2])
            self.refused(p, "classeur")

    def test_merged_cells_and_dates_work(self):
        """A coordinator's workbook: objective codes merged over their rows, dates typed as
        dates in the remarks (numbers with a date format), a title line above the headers."""
        rows = [(a, s) for a, s in year_rows(2022) if a["code"]][:6]
        xlsx = tmp_path("merged.xlsx")
        write_workbook(xlsx, rows)
        before = statuses_dump(self.scratch)
        r = run_cli("import", "--db", self.scratch, "--contract", "1", "--year", "2022",
                    "--map", "objective_code=A,sheet=B,action=C,status=D,remarks=F,header=2",
                    "--yes", xlsx)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout.decode(), r"états enregistrés\s+6")
        with connect(self.scratch) as c:
            remarks = [x[0] for x in c.execute(
                "SELECT remarks FROM action_status WHERE id > ? ORDER BY id", (before[1],))]
        self.assertEqual(remarks, ["15/03/2022"] * 6)

    def test_ten_thousand_rows(self):
        xlsx = tmp_path("big.xlsx")
        write_big(xlsx, 10000)
        r = run_cli("import", "--db", self.scratch, "--new-contract", "Grand contrat",
                    "--territory", "Grand territoire", "--year", "2024", "--yes", xlsx,
                    timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertRegex(r.stdout.decode(), r"actions créées\s+10000")


def col(i):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def cell(ref, value, style=None):
    if isinstance(value, (int, float)):
        s = ' s="%d"' % style if style is not None else ""
        return '<c r="%s"%s><v>%s</v></c>' % (ref, s, value)
    v = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, v)


def package(path, sheet_xml, styles=None):
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="%s"><sheets><sheet name="Suivi" '
                   'sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
        rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/'
                'sheet1.xml"/>' % rel)
        if styles:
            rels += '<Relationship Id="rId2" Type="%s/styles" Target="styles.xml"/>' % rel
            z.writestr("xl/styles.xml", '<styleSheet %s>%s</styleSheet>' % (ns, styles))
        z.writestr("xl/_rels/workbook.xml.rels", rels + "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)


def write_workbook(path, rows):
    """Title on line 1, headers on line 2, then one row per action; each objective code written
    once and merged over the rows of its objective; column F a date stored as a number."""
    out = ['<worksheet><sheetData><row r="1">%s</row><row r="2">' % cell("A1", "Mon suivi 2022")]
    heads = ["Objectif", "N°", "Action", "État", "Remarques", "Date"]
    out.append("".join(cell("%s2" % col(i), h) for i, h in enumerate(heads)) + "</row>")
    merges, first = [], None
    for i, (a, _) in enumerate(rows):
        r = i + 3
        cells = []
        if i == 0 or rows[i - 1][0]["objective_code"] != a["objective_code"]:
            if first is not None and r - 1 > first:
                merges.append("A%d:A%d" % (first, r - 1))
            first = r
            cells.append(cell("A%d" % r, a["objective_code"]))
        cells += [cell("B%d" % r, a["code"]), cell("C%d" % r, a["title"]),
                  cell("D%d" % r, "En cours"), cell("E%d" % r, "Suivi %d" % i),
                  cell("F%d" % r, 44635, style=1)]  # 15/03/2022 stored as a day number
        out.append('<row r="%d">%s</row>' % (r, "".join(cells)))
    last = len(rows) + 2
    if first is not None and last > first:
        merges.append("A%d:A%d" % (first, last))
    out.append("</sheetData>")
    if merges:
        out.append('<mergeCells count="%d">%s</mergeCells>' % (
            len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges)))
    out.append("</worksheet>")
    package(path, "".join(out), '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
                                '</cellXfs>')


def write_big(path, n):
    heads = ["code_objectif", "objectif", "action", "fiche", "porteur", "etat", "remarques",
             "preconisations"]
    out = ['<worksheet><sheetData><row r="1">%s</row>' % "".join(
        cell("%s1" % col(i), h) for i, h in enumerate(heads))]
    states = ["En cours", "Réalisée", "Non commencée", "Abandonnée", ""]
    for i in range(n):
        r = i + 2
        spec, op = i % 7 + 1, i % 23 + 1
        vals = ["%d.%d" % (spec, op), "Objectif %d.%d" % (spec, op), "Action n° %d" % i,
                "%d.%d.%d" % (spec, op, i), "Porteur %d" % (i % 40), states[i % 5],
                "Remarque %d" % i if i % 5 != 4 else "", ""]
        out.append('<row r="%d">%s</row>' % (r, "".join(
            cell("%s%d" % (col(k), r), v) for k, v in enumerate(vals) if v)))
    out.append("</sheetData></worksheet>")
    package(path, "".join(out))


class Browser:
    """Cookies and the form token of the last page, over one server."""

    def __init__(self, server):
        self.s = server
        self.cookies = {}
        self.csrf = ""

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=300)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            resp = common.Response(r.status, r.getheaders(), r.read(), method, path)
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    self.cookies[name] = rest.split(";")[0]
        finally:
            conn.close()
        m = re.search(rb'name="csrf" value="([^"]+)"', resp.body)
        if m:
            self.csrf = m.group(1).decode()
        return resp

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, csrf=True):
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf:
            pairs.append(("csrf", self.csrf))
        return self.request("POST", path, urllib.parse.urlencode(pairs),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path, fields, filename, content, csrf=True):
        boundary = "----boussole-test-7d9f"
        parts = []
        if csrf:
            fields = dict(fields, csrf=self.csrf)
        for k, v in fields.items():
            parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (
                boundary.encode(), k.encode(), str(v).encode()))
        if filename is not None:
            parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                         b"filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n" % (
                             boundary.encode(), filename.encode()) + content + b"\r\n")
        body = b"".join(parts) + b"--%s--\r\n" % boundary.encode()
        return self.request("POST", path, body,
                            {"Content-Type": "multipart/form-data; boundary=" + boundary})

    def login(self, email, password):
        self.get("/login")
        r = self.post("/login", {"email": email, "password": password, "next": "/"})
        assert r.status == 303, (r.status, r.text[:300])
        self.get("/contracts/1")  # the session's form token


def add_account(db, email, role):
    r = run_cli("user", "add", "--db", db, "--email", email, "--name", "Test " + role,
                "--role", role, "--contract", "1", "--password-stdin",
                stdin=(PASSWORD + "\n").encode())
    if r.returncode != 0:
        raise RuntimeError(r.stderr)


class Pages(unittest.TestCase):
    """The preview, the texts' form and the import screens of a coordinator."""

    @classmethod
    def setUpClass(cls):
        db = demo_db("report-pages.db")
        add_account(db, "coordination@report.test", "coordinator")
        add_account(db, "referent@report.test", "referent")
        cls.db = db
        cls.server = common.Server("report", db, command="serve").start()

    def coordinator(self):
        b = Browser(self.server)
        b.login("coordination@report.test", PASSWORD)
        return b

    def test_preview_needs_an_account(self):
        r = self.server.get("/contracts/1/report?year=2022")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/login"))
        for path in ("/contracts/1/report.pdf", "/contracts/1/report.odt",
                     "/contracts/1/tracking.xlsx", "/contracts/1/import"):
            self.assertEqual(self.server.get(path).status, 303, path)

    def test_preview_shows_the_report(self):
        b = self.coordinator()
        for year in YEARS:
            with self.subTest(year=year):
                r = b.get("/contracts/1/report?year=%d" % year)
                self.assertEqual(r.status, 200)
                text = visible_text(r.text)
                for s in SECTIONS:
                    self.assertIn(s.format(y=year), text)
                flat = squeeze(text)
                missing = [a["title"] for a, _ in year_rows(year)
                           if squeeze(a["title"]) not in flat]
                self.assertEqual(missing, [])
                self.assertIn('href="/contracts/1/report.pdf?year=%d"' % year, r.text)
                self.assertIn("201901201" if year < 2022 else "Bénéficiaire", text)
        home = b.get("/contracts/1")
        self.assertIn('/contracts/1/report?year=', home.text)

    def test_downloads(self):
        b = self.coordinator()
        r = b.get("/contracts/1/report.pdf?year=2021")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF-"))
        r = b.get("/contracts/1/report.odt?year=2021")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"PK\x03\x04"))
        r = b.get("/contracts/1/tracking.xlsx")
        self.assertEqual(r.status, 200)
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
        self.assertEqual(b.get("/contracts/1/report?year=abc").status, 400)

    def test_texts_form(self):
        b = self.coordinator()
        r = b.get("/contracts/1/report/edit?year=2022")
        self.assertEqual(r.status, 200)
        fields = {"year": "2022", "beneficiary": "PETR Cœur de Lorraine",
                  "conv_number": "202201295", "conv_start": "01/01/2022",
                  "conv_end": "31/12/2022",
                  "text_missions": "- Gouvernance <script>alert(1)</script>\n- **Mobilité**",
                  "text_conclusion": "Une année *riche*."}
        m = re.search(r'name="conv_id" value="(\d+)"', r.text)
        if m:
            fields["conv_id"] = m.group(1)
        r = b.post("/contracts/1/report/edit", fields, csrf=False)
        self.assertEqual(r.status, 403)
        r = b.post("/contracts/1/report/edit", fields)
        self.assertEqual(r.status, 303, r.text[:500])
        page = b.get("/contracts/1/report?year=2022").text
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)
        self.assertNotIn("<script>alert", page)
        self.assertIn("<strong>Mobilité</strong>", page)
        self.assertIn("<em>riche</em>", page)
        pdf = tmp_path("edited.pdf")
        with open(pdf, "wb") as f:
            f.write(b.get("/contracts/1/report.pdf?year=2022").body)
        self.assertIn("Une année riche.", pdf_text(pdf))
        bad = dict(fields, conv_end="31/02/2022")
        r = b.post("/contracts/1/report/edit", bad)
        self.assertEqual(r.status, 422)
        self.assertIn("JJ/MM/AAAA", r.text)
        self.assertIn("Gouvernance &lt;script&gt;", r.text)  # the input is kept
        referent = Browser(self.server)
        referent.login("referent@report.test", PASSWORD)
        self.assertEqual(referent.get("/contracts/1/report?year=2022").status, 200)
        self.assertEqual(referent.get("/contracts/1/report/edit?year=2022").status, 403)
        self.assertEqual(referent.get("/contracts/1/import").status, 403)

    def own_sheet(self, extra_rows=()):
        rows = [a for a, _ in year_rows(2023) if a["code"]][:3]
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["Suivi de la coordination", "", "", ""])
        w.writerow(["N°", "Intitulé", "État d'avancement", "Commentaire"])
        for i, a in enumerate(rows):
            w.writerow([a["code"], a["title"], "Réflexion engagée", "Mis à jour %d" % i])
        for r in extra_rows:
            w.writerow(r)
        return out.getvalue().encode("utf-8")

    def test_upload_map_and_import(self):
        b = self.coordinator()
        r = b.get("/contracts/1/import")
        self.assertEqual(r.status, 200)
        # A row naming no action of the contract: all or nothing.
        r = b.upload("/contracts/1/import", {"year": "2023"}, "suivi.csv",
                     self.own_sheet([["", "Action inventée", "En cours", ""]]))
        self.assertEqual(r.status, 303, r.text[:400])
        where = r.header("location")
        page = b.get(where)
        self.assertEqual(page.status, 200)
        self.assertIn('name="spec" value="action=B,sheet=A,status=C,remarks=D,header=2"',
                      page.text)
        self.assertIn("aucun objectif pour la créer", page.text)
        before = statuses_dump(self.db)
        post = urllib.parse.urlparse(where).path
        r = b.post(post, {"spec": "action=B,sheet=A,status=C,remarks=D,header=2",
                          "year": "2023", "sheet": "0", "save_as": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("Rien n'a été importé", visible_text(r.text))
        self.assertIn("line 6", r.text)
        self.assertEqual(statuses_dump(self.db), before)
        # The same sheet without it imports, and the mapping is kept.
        r = b.upload("/contracts/1/import", {"year": "2023"}, "suivi.csv", self.own_sheet())
        where = r.header("location")
        b.get(where)
        fields = {"spec": "action=B,sheet=A,status=C,remarks=D,header=2", "year": "2023",
                  "sheet": "0", "save_as": "Feuille de la coordination"}
        r = b.post(urllib.parse.urlparse(where).path, fields)
        # The plan is shown first (three statuses replaced), then confirmed.
        self.assertEqual(r.status, 200, r.text[:600])
        self.assertIn("États remplacés</th><td class=\"num\">3", r.text)
        self.assertEqual(statuses_dump(self.db), before)
        fields["plan"] = re.search(r'name="plan" value="([^"]+)"', r.text).group(1)
        r = b.post(urllib.parse.urlparse(where).path, fields)
        self.assertEqual(r.status, 200, r.text[:600])
        self.assertIn("États enregistrés</th><td class=\"num\">3", r.text)
        self.assertEqual(statuses_dump(self.db)[0], before[0] + 3)
        r = b.upload("/contracts/1/import", {"year": "2023"}, "suivi.csv", self.own_sheet())
        page = b.get(r.header("location"))
        self.assertIn("Feuille de la coordination", page.text)
        # A mapping without the action column is refused with a message.
        r = b.get(r.header("location") + "&action=&status=C&header=2")
        self.assertEqual(r.status, 422)
        self.assertIn("colonne des actions", r.text)

    def test_upload_an_exported_workbook(self):
        b = self.coordinator()
        xlsx = b.get("/contracts/1/tracking.xlsx").body
        r = b.upload("/contracts/1/import", {"year": "2021"}, "suivi.xlsx", xlsx)
        self.assertEqual(r.status, 303)
        page = b.get(r.header("location"))
        self.assertIn('value="2" selected>2021', page.text)  # the sheet named after the year
        m = re.search(r'name="spec" value="([^"]+)"', page.text)
        self.assertTrue(m)
        before = statuses_dump(self.db)
        r = b.post(urllib.parse.urlparse(r.header("location")).path,
                   {"spec": m.group(1), "year": "2021", "sheet": "2"})
        self.assertEqual(r.status, 200, r.text[:600])
        self.assertIn("Lignes inchangées</th><td class=\"num\">71", r.text)  # 2021: 71 actions
        self.assertEqual(statuses_dump(self.db), before)

    def test_upload_errors(self):
        b = self.coordinator()
        b.get("/contracts/1/import")
        cases = [("no file", None, b"", "Choisissez le fichier"),
                 ("empty", "vide.xlsx", b"", "vide"),
                 ("not a spreadsheet", "photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x01", "pas un classeur"),
                 ("encrypted", "secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
                  "mot de passe")]
        for name, filename, content, words in cases:
            with self.subTest(name):
                r = b.upload("/contracts/1/import", {"year": "2023"}, filename, content)
                self.assertEqual(r.status, 422)
                self.assertIn(words, visible_text(r.text))
        r = b.upload("/contracts/1/import", {"year": "2023"}, "a.csv", b"x", csrf=False)
        self.assertEqual(r.status, 403)
        r = b.request("POST", "/contracts/1/import", b"--x\r\ngarbage",
                      {"Content-Type": "multipart/form-data; boundary=x"})
        self.assertEqual(r.status, 400)
        self.assertEqual(b.get("/contracts/1/import/999999?year=2023").status, 404)


if __name__ == "__main__":
    unittest.main()
