"""test_opendata.py — a contract's open data package (issue 14, "Open data"): the descriptor is a
tabular data package whose Table Schemas every CSV obeys (types, required cells, enums, primary
and foreign keys), a count made from the published rows equals the dashboard's for every year,
remarks are published only when the contract says so, and indicator values come out as numbers
a program reads (negative ones included, never with a spreadsheet apostrophe)."""

import csv
import io
import re
import unittest

import common
from common import connect, copy_db
from test_figures import dashboard_counts, expected
from test_report import demo_db

BASE = "/contracts/1/open-data"
NAME = re.compile(r"^[a-z0-9._-]+$")
TYPES = {"string", "integer", "number", "year", "boolean", "date"}


def setUpModule():
    global DB, SERVER, PUBLIC_DB, PUBLIC
    DB = demo_db("opendata.db")
    with connect(DB) as c:
        # An indicator of an objective, with a negative baseline and values of two periods, the
        # later row of a period replacing the earlier one.
        c.execute("INSERT INTO indicator (contract_id, objective_id, name, kind, unit, baseline, "
                  "target, created_at) SELECT 1, min(id), 'Écart = solde', 'result', 'points', "
                  "-3.5, 12, '2026-01-01' FROM objective WHERE contract_id = 1")
        ind = c.execute("SELECT max(id) FROM indicator").fetchone()[0]
        for period, value in (("2023", 1.25), ("2024", -2), ("2024", 7)):
            c.execute("INSERT INTO indicator_value (indicator_id, period, value, recorded_at) "
                      "VALUES (?, ?, ?, '2026-01-02')", (ind, period, value))
        c.execute("UPDATE contract SET public_remarks = 0")
    PUBLIC_DB = copy_db(DB, "opendata-public.db")
    with connect(PUBLIC_DB) as c:
        c.execute("UPDATE contract SET public_remarks = 1")
    SERVER = common.Server("opendata", DB, command="serve").start()
    PUBLIC = common.Server("opendata-public", PUBLIC_DB, command="serve").start()


def tearDownModule():
    for s in (SERVER, PUBLIC):
        s.stop()


def descriptor(server):
    r = server.get(BASE + "/datapackage.json")
    assert r.status == 200, r.text[:300]
    return r.json()


def table(server, path):
    r = server.get(BASE + "/" + path)
    assert r.status == 200, (path, r.status)
    rows = list(csv.reader(io.StringIO(r.text, newline="")))
    return rows[0], rows[1:]


def cell_ok(value, field):
    """None when value fits field's Table Schema, else why not."""
    cons = field.get("constraints", {})
    if value == "":
        return "required cell is empty" if cons.get("required") else None
    t = field["type"]
    if t == "integer" and not re.fullmatch(r"-?\d+", value):
        return "not an integer"
    if t == "year" and not re.fullmatch(r"\d{4}", value):
        return "not a year"
    if t == "number" and not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value):
        return "not a number"
    if t == "boolean" and value not in ("true", "false"):
        return "not a boolean"
    if "enum" in cons and value not in cons["enum"]:
        return "not one of " + ",".join(cons["enum"])
    return None


class Package(unittest.TestCase):
    def test_descriptor_is_a_tabular_data_package(self):
        d = descriptor(SERVER)
        self.assertEqual(d["profile"], "tabular-data-package")
        self.assertRegex(d["name"], NAME)
        self.assertTrue(d["licenses"] and d["licenses"][0]["name"])
        names = [r["name"] for r in d["resources"]]
        self.assertEqual(names, ["actions", "etats", "indicateurs", "valeurs"])
        for r in d["resources"]:
            self.assertRegex(r["name"], NAME)
            self.assertEqual(r["profile"], "tabular-data-resource")
            self.assertNotIn("..", r["path"])
            self.assertFalse(r["path"].startswith("/"))
            fields = [f["name"] for f in r["schema"]["fields"]]
            self.assertEqual(len(fields), len(set(fields)), r["name"])
            for f in r["schema"]["fields"]:
                self.assertIn(f["type"], TYPES, f)
            for k in r["schema"]["primaryKey"]:
                self.assertIn(k, fields)
            for fk in r["schema"].get("foreignKeys", []):
                target = next(x for x in d["resources"] if x["name"] == fk["reference"]["resource"])
                target_fields = [f["name"] for f in target["schema"]["fields"]]
                for k in fk["fields"]:
                    self.assertIn(k, fields)
                for k in fk["reference"]["fields"]:
                    self.assertIn(k, target_fields)

    def test_every_file_obeys_its_table_schema(self):
        d = descriptor(SERVER)
        tables = {}
        for r in d["resources"]:
            header, rows = table(SERVER, r["path"])
            fields = r["schema"]["fields"]
            self.assertEqual(header, [f["name"] for f in fields], r["path"])
            self.assertTrue(rows, r["path"] + " is empty")
            for n, row in enumerate(rows, start=2):
                self.assertEqual(len(row), len(fields), "%s line %d" % (r["path"], n))
                for value, f in zip(row, fields):
                    why = cell_ok(value, f)
                    self.assertIsNone(why, "%s line %d column %s: %r %s"
                                      % (r["path"], n, f["name"], value, why))
            keys = [tuple(row[header.index(k)] for k in r["schema"]["primaryKey"]) for row in rows]
            self.assertEqual(len(keys), len(set(keys)), r["path"] + ": primary key repeated")
            tables[r["name"]] = (header, rows)
        for r in d["resources"]:
            header, rows = tables[r["name"]]
            for fk in r["schema"].get("foreignKeys", []):
                th, trows = tables[fk["reference"]["resource"]]
                known = {row[th.index(fk["reference"]["fields"][0])] for row in trows}
                col = header.index(fk["fields"][0])
                for row in rows:
                    if row[col]:
                        self.assertIn(row[col], known, "%s: %s" % (r["path"], row))

    def test_counts_from_the_published_rows_equal_the_dashboard(self):
        _, actions = table(SERVER, "actions.csv")
        _, states = table(SERVER, "etats.csv")
        first = {a[0]: int(a[9]) if a[9] else 9999 for a in actions}
        years = sorted({int(s[1]) for s in states})
        self.assertGreaterEqual(len(years), 4, years)
        for year in years:
            total = sum(1 for f in first.values() if f <= year)
            done = sum(1 for s in states if int(s[1]) == year and s[2].startswith("done")
                       and first[s[0]] <= year)
            self.assertEqual(dashboard_counts(SERVER, year), (year, total, done), year)
            self.assertEqual(expected(year), (total, done), year)

    def test_remarks_only_when_the_contract_publishes_them(self):
        with connect(DB) as c:
            latest = {(str(a), str(y)): r for a, y, r in c.execute(
                "SELECT s.action_id, s.year, s.remarks FROM action_status s WHERE s.id = "
                "(SELECT max(id) FROM action_status t WHERE t.action_id = s.action_id AND "
                "t.year = s.year)")}
        self.assertTrue(any(latest.values()), "the demo has remarks")
        _, private = table(SERVER, "etats.csv")
        self.assertEqual({s[4] for s in private}, {""})
        self.assertIn("remarques des bilans ne sont pas publiées", SERVER.get(BASE).text)
        _, public = table(PUBLIC, "etats.csv")
        self.assertEqual({(s[0], s[1]): s[4] for s in public},
                         {k: latest[k] for k in ((s[0], s[1]) for s in public)})
        self.assertTrue(any(s[4] for s in public))

    def test_indicator_values_are_numbers_programs_read(self):
        header, inds = table(SERVER, "indicateurs.csv")
        mine = [i for i in inds if i[3] == "Écart = solde"]
        self.assertEqual(len(mine), 1, inds)
        row = dict(zip(header, mine[0]))
        self.assertEqual((row["action_id"], row["valeur_depart"], row["cible"]), ("", "-3.5", "12"))
        self.assertTrue(row["objectif_id"])
        _, values = table(SERVER, "valeurs.csv")
        got = sorted((v[1], v[2]) for v in values if v[0] == row["id"])
        self.assertEqual(got, [("2023", "1.25"), ("2024", "7")])
        with connect(DB) as c:
            n = c.execute("SELECT count(*) FROM indicator WHERE contract_id = 1 AND "
                          "archived = 0").fetchone()[0]
        self.assertEqual(len(inds), n)

    def test_page_documents_every_file_and_unknown_contract_is_404(self):
        page = SERVER.get(BASE)
        self.assertEqual(page.status, 200)
        for path in ("datapackage.json", "actions.csv", "etats.csv", "indicateurs.csv",
                     "valeurs.csv"):
            self.assertIn(BASE + "/" + path, page.text)
        for path in ("", "/datapackage.json", "/actions.csv"):
            r = SERVER.get("/contracts/999/open-data" + path)
            self.assertEqual(r.status, 404, path)
            self.assertIn("Contrat introuvable", r.text)


if __name__ == "__main__":
    unittest.main()
