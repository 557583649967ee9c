"""test_funding.py — funding (issue 13), on the real binary over the demo database: the
coordinator post's financing plan reproduces annex 2 (totals computed here from budget.csv's
lines and its is_total rows), a year that does not balance cannot be arrêtée and the page says
by how much; funding lines of an action (coordination and the carrier of the action, CSRF,
versions, nothing written on bad input) summed per funder and year; the SCDL subventions CSV
validated against the Table Schema of tests/data/ by a small validator written here; funding
calls fetched from saved Aides-territoires pages served by a local HTTP server (token checked,
`next` followed), matched to the action whose theme they share, shown on that action's page and
on the contract home by deadline (overdue flagged), reminders queued once; hostile JSON refused
with nothing changed. Time is the test clock (BOUSSOLE_TEST_CLOCK)."""

import csv
import datetime
import http.server
import io
import json
import os
import re
import threading
import unittest

import common
from common import run_cli, tmp_path, visible_text
from test_accounts import (CARRIED, EMAILS, AccServer, Client, FrozenClock, sql)

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_DATA = os.path.join(HERE, "..", "data")
BUDGET = os.path.join(common.DATA, "demo", "budget.csv")
TOKEN = "jeton-de-test-aides-territoires"
# A JWT-shaped bearer token (header.payload.signature, base64url) the replay server hands out.
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6InRlc3RzQGJvdXNzb2xlIn0.c2lnbmF0dXJlLWRlLXRlc3Q"


def cents(s):
    whole, _, frac = s.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def budget_rows():
    with open(BUDGET, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def demo_contract(db):
    return sql(db, "SELECT id FROM contract WHERE slug = 'cls2-coeur-de-lorraine'")[0][0]


def section_of_year(page, year):
    m = re.search(r'<section[^>]*data-year="%d">(.*?)</section>' % year, page, re.S)
    assert m, "no section for %d" % year
    return m.group(1)


# ---- a small Table Schema validator (types, required, pattern, enum, bounds) ----------------

def validate_table(schema, text):
    """Problems of a CSV text against a Table Schema: header, then each cell."""
    problems = []
    rows = list(csv.reader(io.StringIO(text, newline="")))
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    if not rows or rows[0] != names:
        return ["header %r differs from the schema's %r" % (rows[0] if rows else None, names)]
    missing = schema.get("missingValues", [""])
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(fields):
            problems.append("row %d: %d cells for %d fields" % (n, len(row), len(fields)))
            continue
        for f, v in zip(fields, row):
            c = f.get("constraints", {})
            where = "row %d, %s" % (n, f["name"])
            if v in missing:
                if c.get("required"):
                    problems.append(where + ": required")
                continue
            t = f.get("type", "string")
            if t == "number":
                # The point is the only decimal sign (documentation of montant and
                # pourcentageSubvention); no group separator, no comma, no exponent.
                if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v):
                    problems.append(where + ": not a number: %r" % v)
                    continue
                x = float(v)
                if "minimum" in c and x < c["minimum"]:
                    problems.append(where + ": below minimum")
                if "maximum" in c and x > c["maximum"]:
                    problems.append(where + ": above maximum")
            elif t == "date":
                try:
                    datetime.date.fromisoformat(v)
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)
                except (ValueError, AssertionError):
                    problems.append(where + ": not a date: %r" % v)
            elif t == "boolean":
                if v not in f.get("trueValues", ["true"]) + f.get("falseValues", ["false"]):
                    problems.append(where + ": not a boolean: %r" % v)
            if "pattern" in c and not re.fullmatch(c["pattern"], v):
                problems.append(where + ": does not match %s: %r" % (c["pattern"], v))
            if "enum" in c and v not in c["enum"]:
                problems.append(where + ": not one of the allowed values: %r" % v)
            if "maxLength" in c and len(v) > c["maxLength"]:
                problems.append(where + ": longer than %d" % c["maxLength"])
        for check in schema.get("custom_checks", []):
            if check["name"] == "one-of-required":
                cols = [names.index(check["params"][k]) for k in ("column1", "column2")]
                if all(row[i] in missing for i in cols):
                    problems.append("row %d: one of %s is required"
                                    % (n, " or ".join(names[i] for i in cols)))
    return problems


# The 16 fields of SCDL subventions 2.1.1 in the order of its published documentation
# (schema.data.gouv.fr, site/scdl/subventions/2.1.1/documentation.md), kept apart from the
# schema file so that the file itself is checked too.
SCDL_2_1_1_FIELDS = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
    "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
    "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention",
    "dispositifAide"]


def swap_columns(text, a, b):
    """The CSV with columns a and b exchanged (header and cells)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        row[a], row[b] = row[b], row[a]
        w.writerow(row)
    return out.getvalue()


def set_cell(text, name, value):
    """The CSV with every data cell of column `name` replaced by value."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    k = rows[0].index(name)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(rows[0])
    for row in rows[1:]:
        row[k] = value
        w.writerow(row)
    return out.getvalue()


# ---- saved Aides-territoires pages, served as the API would --------------------------------

class SavedPages(http.server.BaseHTTPRequestHandler):
    """Replays Aides-territoires as its Symfony source does (MTES-MCT/aides-territoires-symfony,
    config/packages/security.yaml and src/Security/TokenAuthenticator.php, see
    tests/data/README.md): POST /api/connexion/ with the account's X-AUTH-TOKEN answers
    {"token": JWT}; /api/aids/all/ wants "Authorization: Bearer JWT" (401 without) and, like the
    real firewall, answers the token again instead of the page to a request that sends
    X-AUTH-TOKEN. Pages are tests/data/aides_territoires_page{1,2}.json with `{base}` replaced."""

    seen = []               # (method, path, X-AUTH-TOKEN, Authorization) of every request
    connexion_answer = None  # when set, the body /api/connexion/ answers instead of the JWT

    def answer(self, status, obj):
        data = (obj if isinstance(obj, str) else json.dumps(obj)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def note(self):
        SavedPages.seen.append((self.command, self.path, self.headers.get("X-AUTH-TOKEN"),
                                self.headers.get("Authorization")))

    def do_POST(self):
        self.note()
        if not self.path.startswith("/api/connexion/"):
            return self.answer(404, {"detail": "Not Found"})
        if self.headers.get("X-AUTH-TOKEN") != TOKEN:
            return self.answer(401, {"message": "User not found"})
        self.answer(200, SavedPages.connexion_answer or {"token": JWT})

    def do_GET(self):
        self.note()
        if self.headers.get("X-AUTH-TOKEN") is not None:
            if self.headers.get("X-AUTH-TOKEN") != TOKEN:
                return self.answer(401, {"message": "User not found"})
            return self.answer(200, {"token": JWT})
        if self.headers.get("Authorization") != "Bearer " + JWT:
            return self.answer(401, {"code": 401, "message": "JWT Token not found"})
        if not self.path.startswith("/api/aids/all/"):
            return self.answer(404, {"detail": "Not Found"})
        page = 2 if self.path.endswith("?page=2") else 1
        with open(os.path.join(TEST_DATA, "aides_territoires_page%d.json" % page),
                  encoding="utf-8") as f:
            body = f.read().replace("{base}", "http://127.0.0.1:%d" % self.server.server_port)
        self.answer(200, body)

    def log_message(self, *args):
        pass


def saved_aids():
    aids = []
    for page in (1, 2):
        with open(os.path.join(TEST_DATA, "aides_territoires_page%d.json" % page),
                  encoding="utf-8") as f:
            aids += json.load(f)["results"]
    return aids


class Funding(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clock = FrozenClock("funding")
        # 1 January 2099: the saved pages' deadlines are 14 days ahead (15/01/2099), 12 days
        # past (20/12/2098) and a month ahead (01/02/2099).
        cls.clock.now = int(datetime.datetime(2099, 1, 1, 9, 0,
                                              tzinfo=datetime.timezone.utc).timestamp())
        cls.clock.write()
        cls.server = AccServer("funding", env=cls.clock.env()).start()
        cls.db = cls.server.db
        cls.cid = demo_contract(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def coordinator(self):
        c = Client(self.server)
        c.login(EMAILS["coordinator"])
        return c

    # ---- the financing plan ---------------------------------------------------------------

    def test_plan_reproduces_annex_2(self):
        rows = budget_rows()
        page = Client(self.server).get("/contracts/%d/financing" % self.cid)
        self.assertEqual(page.status, 200)
        years = sorted({int(r["year"]) for r in rows if r["scope"] == "year"})
        self.assertEqual(years, [2019, 2020, 2021, 2022, 2023])
        for y in years:
            sec = section_of_year(page.text, y)
            sums = {}
            for kind in ("expense", "income"):
                lines = [cents(r["amount"]) for r in rows if r["scope"] == "year" and
                         int(r["year"]) == y and r["line_type"] == kind and
                         r["is_total"] == "false"]
                stated = [cents(r["amount"]) for r in rows if r["scope"] == "year" and
                          int(r["year"]) == y and r["line_type"] == kind and
                          r["is_total"] == "true"]
                shown = int(re.search(r'data-cents="(-?\d+)" data-total="%s"' % kind,
                                      sec).group(1))
                self.assertEqual(shown, sum(lines), (y, kind))
                sums[kind] = sum(lines)
                if stated[0] != sum(lines):
                    # The source's own total is shown beside the sum, with the difference.
                    self.assertIn("Le document source indique un total", sec)
            gap = int(re.search(r'data-gap-cents="(-?\d+)"', sec).group(1))
            self.assertEqual(gap, sums["income"] - sums["expense"], y)
            if gap:
                self.assertIn("Brouillon", sec)
                self.assertIn("Non équilibrée", sec)
                self.assertIn("0,01", visible_text(sec))
            else:
                self.assertIn("Arrêtée", sec)
        # 2020 is the year annex 2 does not balance (income 0,01 € above expenses).
        self.assertIn('data-gap-cents="1"', section_of_year(page.text, 2020))
        # The summary over the years: each total rounds to annex 2's five-year totals.
        for kind in ("expense", "income"):
            stated = [cents(r["amount"]) for r in rows if r["scope"] == "contract_total" and
                      r["line_type"] == kind and r["is_total"] == "true"][0]
            total = sum(cents(r["amount"]) for r in rows if r["scope"] == "year" and
                        r["line_type"] == kind and r["is_total"] == "false")
            row = re.search(r'<tr class="total" data-type="%s" data-label="">(.*?)</tr>' % kind,
                            page.text, re.S).group(1)
            self.assertEqual(int(re.search(r'data-cents="(-?\d+)" data-col="sum"', row)
                                 .group(1)), total)
            self.assertEqual(int(re.search(r'data-cents="(-?\d+)" data-col="stated"', row)
                                 .group(1)), stated)
            self.assertEqual(round(total / 100), stated // 100, kind)

    def test_unbalanced_year_cannot_be_final(self):
        c = self.coordinator()
        page = c.get("/contracts/%d/financing" % self.cid)
        version = sql(self.db, "SELECT version FROM financing_year WHERE contract_id = ? AND "
                      "year = 2020", self.cid)[0][0]
        r = c.post("/contracts/%d/financing/years/2020" % self.cid,
                   {"final": "1", "version": str(version)})
        self.assertEqual(r.status, 422)
        self.assertIn("les recettes dépassent les dépenses de 0,01", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT state FROM financing_year WHERE contract_id = ? "
                             "AND year = 2020", self.cid)[0][0], "draft")
        # Without the form's token nothing changes either.
        r = c.post("/contracts/%d/financing/years/2020" % self.cid,
                   {"final": "1", "version": str(version)}, csrf=None)
        self.assertEqual(r.status, 403)
        # A public visitor sees no form.
        self.assertNotIn("Arrêter l'année", Client(self.server).get(
            "/contracts/%d/financing" % self.cid).text)
        self.assertIn("Arrêter l'année 2020", page.text)
        # A final year refuses a change of its lines.
        line, lv = sql(self.db, "SELECT id, version FROM financing_line WHERE contract_id = ? "
                       "AND year = 2021 AND archived = 0 LIMIT 1", self.cid)[0]
        r = c.post("/contracts/%d/financing/lines/%d" % (self.cid, line),
                   {"version": str(lv), "label": "Salaire brut", "amount": "1"})
        self.assertEqual(r.status, 409)
        self.assertEqual(sql(self.db, "SELECT version FROM financing_line WHERE id = ?",
                             line)[0][0], lv)
        # Bad input on the plan's forms: the field is named, nothing changes.
        lines = sql(self.db, "SELECT count(*) FROM financing_line")[0][0]
        r = c.post("/contracts/%d/financing/lines" % self.cid,
                   {"year": "2020", "line_type": "income", "label": "", "amount": "douze"})
        self.assertEqual(r.status, 422)
        self.assertIn("Indiquez l'intitulé", visible_text(r.text))
        self.assertIn("montant en euros", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM financing_line")[0][0], lines)
        # Correcting 2020's Région line by the cent lets the year be arrêtée.
        region, rv = sql(self.db, "SELECT id, version FROM financing_line WHERE contract_id = ? "
                         "AND year = 2020 AND label LIKE 'Région%' AND archived = 0",
                         self.cid)[0]
        r = c.post("/contracts/%d/financing/lines/%d" % (self.cid, region),
                   {"version": str(rv), "label": "Région Grand Est", "amount": "douze"})
        self.assertEqual(r.status, 422)
        r = c.post("/contracts/%d/financing/lines/%d" % (self.cid, region),
                   {"version": str(rv), "label": "Région Grand Est", "amount": "15 652,02"})
        self.assertEqual(r.status, 303)
        version = sql(self.db, "SELECT version FROM financing_year WHERE contract_id = ? AND "
                      "year = 2020", self.cid)[0][0]
        r = c.post("/contracts/%d/financing/years/2020" % self.cid,
                   {"final": "1", "version": str(version)})
        self.assertEqual(r.status, 303)
        self.assertEqual(sql(self.db, "SELECT state FROM financing_year WHERE contract_id = ? "
                             "AND year = 2020", self.cid)[0][0], "final")

    # ---- funding lines of actions and the SCDL export ---------------------------------------

    def funding_fields(self, **kw):
        f = {"funder": "Agence régionale de santé Grand Est", "year": "2022",
             "asked": "5 000", "granted": "4 500,50", "funder_siret": "13000548100010",
             "beneficiary": "EHPAD d'Hannonville", "beneficiary_siret": "26550009000019",
             "decision_date": "01/03/2022", "decision_ref": "ARS-2022-17",
             "purpose": "Ateliers de prévention", "nature": "aide en numéraire",
             "payment": "unique", "payment_dates": "2022-04-01"}
        f.update(kw)
        return f

    def test_action_lines_and_scdl_export(self):
        action = sorted(CARRIED)[0]
        c = self.coordinator()
        c.get("/actions/%d/funding/new" % action)
        before = sql(self.db, "SELECT count(*) FROM action_funding")[0][0]
        # Bad input: the form comes back with the field named, nothing written.
        r = c.post("/actions/%d/funding/new" % action,
                   self.funding_fields(funder_siret="123", granted="beaucoup"))
        self.assertEqual(r.status, 422)
        self.assertIn("14 chiffres", visible_text(r.text))
        self.assertIn("montant en euros", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM action_funding")[0][0], before)
        r = c.post("/actions/%d/funding/new" % action, self.funding_fields())
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        # objet: "limitée à 256 caractères" counts characters, not bytes.
        c.get("/actions/%d/funding/new" % action)
        r = c.post("/actions/%d/funding/new" % action,
                   self.funding_fields(purpose="é" * 257, granted="300"))
        self.assertEqual(r.status, 422)
        self.assertIn("256 caractères", visible_text(r.text))
        r = c.post("/actions/%d/funding/new" % action,
                   self.funding_fields(purpose="é" * 256, granted="300"))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        # An incomplete line (no SIRET) is kept but left out of the export.
        c.get("/actions/%d/funding/new" % action)
        r = c.post("/actions/%d/funding/new" % action,
                   self.funding_fields(funder="Région Grand Est", funder_siret="",
                                       granted="1 000"))
        self.assertEqual(r.status, 303)
        # The carrier of the action adds one too; not on another organisation's action.
        carrier = Client(self.server)
        carrier.login(EMAILS["carrier"])
        carrier.get("/actions/%d/funding/new" % action)
        r = carrier.post("/actions/%d/funding/new" % action,
                         self.funding_fields(year="2023", granted="2 000"))
        self.assertEqual(r.status, 303)
        other = sql(self.db, "SELECT id FROM action WHERE contract_id = ? AND id NOT IN (%s) "
                    "LIMIT 1" % ",".join(str(i) for i in CARRIED), self.cid)[0][0]
        r = carrier.post("/actions/%d/funding/new" % other, self.funding_fields())
        self.assertEqual(r.status, 403)

        # The action page lists the lines; the contract page sums them per funder and year.
        page = Client(self.server).get("/actions/%d" % action).text
        self.assertIn("Agence régionale de santé Grand Est", page)
        lines = sql(self.db, "SELECT f.funder, f.year, coalesce(f.asked, 0), "
                    "coalesce(f.granted, 0) FROM action_funding f JOIN action x ON x.id = "
                    "f.action_id WHERE x.contract_id = ? AND f.archived = 0", self.cid)
        want = {}
        for funder, year, asked, granted in lines:
            a, g = want.get((funder, year), (0, 0))
            want[(funder, year)] = (a + asked, g + granted)
        fp = Client(self.server).get("/contracts/%d/funding" % self.cid).text
        for (funder, year), (asked, granted) in want.items():
            row = re.search(r'<tr data-funder="%s" data-year="%d">(.*?)</tr>'
                            % (re.escape(funder.replace("'", "&#39;")), year), fp, re.S)
            self.assertTrue(row, (funder, year))
            self.assertIn('data-cents="%d" data-col="asked"' % asked, row.group(1))
            self.assertIn('data-cents="%d" data-col="granted"' % granted, row.group(1))
        self.assertIn("SIRET du financeur manquant", fp)

        # The SCDL CSV passes the Table Schema; the complete granted lines are its rows.
        r = Client(self.server).get("/contracts/%d/funding/subventions.csv" % self.cid)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("text/csv"))
        with open(os.path.join(TEST_DATA, "scdl_subventions_2.1.1.schema.json"),
                  encoding="utf-8") as f:
            schema = json.load(f)
        self.assertEqual([f["name"] for f in schema["fields"]], SCDL_2_1_1_FIELDS)
        self.assertEqual(r.text.split("\r\n", 1)[0].split(","), SCDL_2_1_1_FIELDS)
        self.assertEqual(validate_table(schema, r.text), [])
        rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
        self.assertIn("é" * 256, [x["objet"] for x in rows])
        for x in rows:
            # As the documentation writes them: "non", a point before the cents, 1.00 for a
            # single beneficiary, no RNA/RAE/dispositif known (empty, the missing value).
            self.assertEqual(x["notificationUE"], "non")
            self.assertRegex(x["montant"], r"^[0-9]+\.[0-9]{2}$")
            self.assertEqual(x["pourcentageSubvention"], "1.00")
            self.assertEqual((x["rnaBeneficiaire"], x["idRAE"], x["dispositifAide"]),
                             ("", "", ""))
        complete = sql(self.db, "SELECT f.granted FROM action_funding f JOIN action x ON x.id "
                       "= f.action_id WHERE x.contract_id = ? AND f.archived = 0 AND "
                       "f.granted IS NOT NULL AND length(f.funder_siret) = 14 AND "
                       "length(f.beneficiary_siret) = 14", self.cid)
        self.assertEqual(len(rows), len(complete))
        self.assertEqual(sorted(cents(x["montant"]) for x in rows),
                         sorted(g for (g,) in complete))
        self.assertIn("450050", [str(cents(x["montant"])) for x in rows])
        # The validator is not blind: a broken copy fails.
        broken = r.text.replace("13000548100010", "1300054810", 1)
        self.assertTrue(validate_table(schema, broken))
        # Each way of getting the published format wrong is caught.
        wrong = {
            "columns in another order": swap_columns(r.text, 0, 1),
            "boolean as true": set_cell(r.text, "notificationUE", "true"),
            "boolean as false": set_cell(r.text, "notificationUE", "false"),
            "amount with a comma": set_cell(r.text, "montant", "4500,50"),
            "percentage as 100": set_cell(r.text, "pourcentageSubvention", "100"),
            "percentage as 0": set_cell(r.text, "pourcentageSubvention", "0"),
            "French date": set_cell(r.text, "dateConvention", "01/03/2022"),
            "period with an underscore": set_cell(r.text, "datesPeriodeVersement",
                                                  "2022-01-01_2022-12-31"),
            "unknown nature": set_cell(r.text, "nature", "numéraire"),
            "objet over 256": set_cell(r.text, "objet", "é" * 257),
            "no beneficiary id": set_cell(r.text, "idBeneficiaire", ""),
            "bad RNA": set_cell(r.text, "rnaBeneficiaire", "W12"),
            "idRAE over 5": set_cell(r.text, "idRAE", "123456"),
        }
        for what, text in wrong.items():
            self.assertTrue(validate_table(schema, text), what)
        self.assertEqual(validate_table(schema, set_cell(r.text, "objet", "é" * 256)), [])
        # The command line writes the same file.
        out = tmp_path("subventions.csv")
        cli = run_cli("funding-export", "--db", self.db, "--contract", str(self.cid), "--out",
                      out)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        with open(out, encoding="utf-8", newline="") as f:
            self.assertEqual(f.read(), r.text)

    def test_line_edit_is_versioned_and_audited(self):
        action = sorted(CARRIED)[1]
        c = self.coordinator()
        c.get("/actions/%d/funding/new" % action)
        r = c.post("/actions/%d/funding/new" % action, self.funding_fields(granted=""))
        self.assertEqual(r.status, 303)
        line, version = sql(self.db, "SELECT id, version FROM action_funding WHERE action_id "
                            "= ? ORDER BY id DESC LIMIT 1", action)[0]
        c.get("/actions/%d/funding/%d" % (action, line))
        r = c.post("/actions/%d/funding/%d" % (action, line),
                   self.funding_fields(granted="3 000", version=str(version)))
        self.assertEqual(r.status, 303)
        self.assertEqual(sql(self.db, "SELECT granted FROM action_funding WHERE id = ?",
                             line)[0][0], 300000)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM audit_log WHERE entity = "
                             "'action_funding' AND entity_id = ? AND field = 'granted' AND "
                             "new_value = '3000.00'", line)[0][0], 1)
        # …and listed in the contract's journal.
        self.assertGreater(sql(self.db, "SELECT count(*) FROM audit_contract c JOIN audit_log l "
                               "ON l.id = c.audit_id WHERE l.entity = 'action_funding' AND "
                               "l.entity_id = ? AND c.contract_id = ?", line, self.cid)[0][0], 0)
        journal = visible_text(c.get("/contracts/%d/audit" % self.cid).text)
        self.assertIn("Ligne de financement d'une action", journal)
        self.assertIn("Montant accordé", journal)
        self.assertNotIn("action_funding", journal)
        # The stale version is refused and changes nothing.
        r = c.post("/actions/%d/funding/%d" % (action, line),
                   self.funding_fields(granted="9", version=str(version)))
        self.assertEqual(r.status, 409)
        self.assertEqual(sql(self.db, "SELECT granted FROM action_funding WHERE id = ?",
                             line)[0][0], 300000)

    # ---- funding calls ------------------------------------------------------------------------

    def saved_count(self):
        ids = [str(a["id"]) for a in saved_aids()]
        return sql(self.db, "SELECT count(*) FROM funding_call WHERE contract_id = ? AND "
                   "external_id IN (%s)" % ",".join("?" * len(ids)), self.cid, *ids)[0][0]

    def test_call_text_is_escaped(self):
        path = tmp_path("xss-calls.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump([{"id": "xss-1", "name": "<script>alert(1)</script> tabac et addictions",
                        "url": "javascript:alert(2)", "categories": ["Addictions"],
                        "financers": ["<b>ARS</b>"], "perimeter": "Meuse"}], f)
        r = run_cli("funding-calls", "import", "--db", self.db, "--contract", str(self.cid),
                    path, "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        action = sql(self.db, "SELECT m.action_id FROM funding_call_match m JOIN funding_call c "
                     "ON c.id = m.call_id WHERE c.external_id = 'xss-1' LIMIT 1")[0][0]
        for page in (Client(self.server).get("/actions/%d" % action).text,
                     Client(self.server).get("/contracts/%d/funding" % self.cid).text):
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)
            self.assertNotIn("<script>alert(1)", page)
            self.assertNotIn("javascript:", page)
            self.assertNotIn("<b>ARS</b>", page)

    def test_saved_pages_import_and_matching(self):
        api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SavedPages)
        threading.Thread(target=api.serve_forever, daemon=True).start()
        url = "http://127.0.0.1:%d/api/aids/all/" % api.server_port
        try:
            # A wrong token: the API refuses, nothing is written.
            r = run_cli("funding-calls", "fetch", "--db", self.db, "--contract", str(self.cid),
                        "--token", "faux", "--url", url, "--yes")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("401", r.stderr)
            self.assertEqual(self.saved_count(), 0)
            # Without --yes nothing is written either.
            r = run_cli("funding-calls", "fetch", "--db", self.db, "--contract", str(self.cid),
                        "--token", TOKEN, "--url", url)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(self.saved_count(), 0)
            # A connexion answer that is not a JWT (here one that would add a header) stops
            # the fetch before any page is asked for.
            SavedPages.connexion_answer = {"token": JWT + "\r\nX-Injected: 1"}
            del SavedPages.seen[:]
            r = run_cli("funding-calls", "fetch", "--db", self.db, "--contract", str(self.cid),
                        "--token", TOKEN, "--url", url, "--yes")
            SavedPages.connexion_answer = None
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("jeton JWT", r.stderr)
            self.assertEqual([m for (m, p, x, a) in SavedPages.seen if p.startswith("/api/aids")],
                             [])
            self.assertEqual(self.saved_count(), 0)
            del SavedPages.seen[:]
            r = run_cli("funding-calls", "fetch", "--db", self.db, "--contract", str(self.cid),
                        "--token", TOKEN, "--url", url, "--yes")
            self.assertEqual(r.returncode, 0, r.stderr)
        finally:
            api.shutdown()
            api.server_close()
        self.assertEqual(self.saved_count(), len(saved_aids()))
        # The account token went to /api/connexion/ only; both pages were read with the bearer.
        self.assertEqual(SavedPages.seen[0][:3], ("POST", "/api/connexion/", TOKEN))
        pages = [(p, x, a) for (m, p, x, a) in SavedPages.seen if m == "GET"]
        self.assertEqual([p for (p, x, a) in pages], ["/api/aids/all/", "/api/aids/all/?page=2"])
        self.assertEqual({(x, a) for (p, x, a) in pages}, {(None, "Bearer " + JWT)})
        # The API's "url" is a path of its site: the call links to the aid's page there.
        self.assertEqual(sql(self.db, "SELECT url FROM funding_call WHERE external_id = "
                             "'158001'")[0][0], "https://aides-territoires.beta.gouv.fr/aides/"
                         "prevention-des-addictions-en-milieu-rural/")

        # The addictions call shares its theme with the demo's tobacco action and covers the
        # Meuse: it is on that action's page, with the reason.
        tobacco = [i for (i, t) in sql(self.db, "SELECT id, title FROM action WHERE "
                                       "contract_id = ? AND archived = 0", self.cid)
                   if "tabac" in t.lower() or "addict" in t.lower()]
        self.assertTrue(tobacco)
        call = sql(self.db, "SELECT id FROM funding_call WHERE external_id = '158001'")[0][0]
        matched = {a for (a,) in sql(self.db, "SELECT action_id FROM funding_call_match WHERE "
                                     "call_id = ?", call)}
        self.assertTrue(set(tobacco) & matched, (tobacco, matched))
        page = Client(self.server).get("/actions/%d" % sorted(set(tobacco) & matched)[0]).text
        self.assertIn("Prévention des addictions et du tabagisme en milieu rural", page)
        self.assertIn("addictions", visible_text(page))
        # The bridges call shares no theme; the Gironde one does not cover the territory.
        for ext in ("158002", "158004"):
            self.assertEqual(sql(self.db, "SELECT count(*) FROM funding_call_match m JOIN "
                                 "funding_call c ON c.id = m.call_id WHERE c.external_id = ?",
                                 ext)[0][0], 0, ext)

        # The contract home: matched calls by deadline, nearest first, the overdue one flagged.
        home = Client(self.server).get("/contracts/%d" % self.cid).text
        table = re.search(r'<table id="appels-echeances">(.*?)</table>', home, re.S).group(1)
        deadlines = re.findall(r'data-deadline="([\d-]+)"', table)
        self.assertEqual(deadlines, sorted(deadlines))
        self.assertEqual(deadlines[0], "2098-12-20")
        self.assertIn("Date limite dépassée", table)

        # Reminders: the call due in 14 days reaches every coordinator once; not the overdue.
        coords = sql(self.db, "SELECT count(*) FROM account WHERE role = 'coordinator' AND "
                     "contract_id = ? AND disabled = 0", self.cid)[0][0]
        Client(self.server).get("/contracts/%d/funding" % self.cid)
        Client(self.server).get("/contracts/%d/funding" % self.cid)
        mails = sql(self.db, "SELECT subject FROM outbox WHERE kind = 'funding_call'")
        self.assertEqual(len(mails), coords)
        self.assertTrue(all("Prévention des addictions" in s for (s,) in mails))

    def upload(self, client, name, content):
        boundary = "----boussole-funding-test"
        body = (b"--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                % (boundary.encode(), client.csrf.encode()))
        body += (b"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                 b"Content-Type: application/json\r\n\r\n" % (boundary.encode(), name.encode()))
        body += content + b"\r\n--%s--\r\n" % boundary.encode()
        return client.request("POST", "/contracts/%d/funding/calls" % self.cid, body,
                              {"Content-Type": "multipart/form-data; boundary=" + boundary})

    def test_upload_of_a_saved_page(self):
        c = self.coordinator()
        page = c.get("/contracts/%d/funding" % self.cid)
        self.assertIn("Importer les appels", page.text)
        self.assertNotIn("Importer les appels",
                         Client(self.server).get("/contracts/%d/funding" % self.cid).text)
        before = sql(self.db, "SELECT count(*) FROM funding_call")[0][0]
        with open(os.path.join(TEST_DATA, "aides_territoires_hostile.json"), "rb") as f:
            r = self.upload(c, "hostile.json", f.read())
        self.assertEqual(r.status, 422)
        self.assertIn("aide n° 2", visible_text(r.text))
        self.assertIn("Rien n'a été importé", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM funding_call")[0][0], before)
        page = [{"id": "upload-1", "name": "Ateliers nutrition en milieu rural",
                 "categories": ["Santé | Alimentation"], "perimeter": "Meuse",
                 "submission_deadline": "2099-03-01"}]
        r = self.upload(c, "page.json", json.dumps(page).encode("utf-8"))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM funding_call WHERE external_id = "
                             "'upload-1' AND contract_id = ?", self.cid)[0][0], 1)

    def test_hostile_json_changes_nothing(self):
        before = sql(self.db, "SELECT count(*) FROM funding_call")[0][0]
        r = run_cli("funding-calls", "import", "--db", self.db, "--contract", str(self.cid),
                    os.path.join(TEST_DATA, "aides_territoires_hostile.json"), "--yes")
        self.assertNotEqual(r.returncode, 0)
        err = r.stderr
        self.assertIn("aide n° 2", err)
        self.assertIn("categories", err)
        huge = tmp_path("huge.json")
        with open(huge, "w") as f:
            f.write('{"results": [' + ",".join(['{"id": %d, "name": "%s"}' % (i, "x" * 900)
                                                 for i in range(10000)]) + "]}")
        r = run_cli("funding-calls", "import", "--db", self.db, "--contract", str(self.cid),
                    huge, "--yes")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("trop gros", r.stderr)
        notjson = tmp_path("notjson.json")
        with open(notjson, "w") as f:
            f.write("<html>not json</html>")
        r = run_cli("funding-calls", "import", "--db", self.db, "--contract", str(self.cid),
                    notjson, "--yes")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("JSON illisible", r.stderr)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM funding_call")[0][0], before)


if __name__ == "__main__":
    unittest.main()
