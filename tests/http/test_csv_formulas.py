"""test_csv_formulas.py — CSV formula injection: actions whose title, carrier or remarks a
spreadsheet would run as a formula (= + - @, TAB, CR) come out behind an apostrophe in the public
actions.csv and in `boussole export --format csv`, exactly as stored with `export --raw`, never
as a formula in the XLSX export, and an export → import round trip in either CSV form changes
nothing. The contract is created with `boussole import --new-contract` on an empty database."""

import io
import re
import unittest
import zipfile

from common import Server, new_db, run_cli, tmp_path

HEADER = "code_objectif,objectif,action,fiche,porteur,etat,remarques,preconisations"
ROWS = [
    ("1.1", "Mobilité", '=HYPERLINK("http://evil")', "Piste", "+Porteur", "En cours",
     "-2 remarques", "@SUM(A1)"),
    ("1.1", "Mobilité", "+1", "Piste", "", "Réalisée", "\tx", ""),
    ("1.1", "Mobilité", "-2", "Piste", "", "Abandonnée", "\rx", ""),
    ("1.1", "Mobilité", "@SUM", "Piste", "", "En cours", "", ""),
]
TITLES = [r[2] for r in ROWS]


def csv_cell(s):
    return '"' + s.replace('"', '""') + '"'


def cells_of(text):
    """Every field of a CSV text (enough for these files: quoted fields hold no newline but a
    lone CR, which the split below keeps inside its record)."""
    out = []
    for rec in text.split("\r\n"):
        out.extend(re.findall(r'"(?:[^"]|"")*"|[^,]+|(?<=,)(?=,|$)', rec))
    return [c[1:-1].replace('""', '"') if c.startswith('"') else c for c in out]


def setUpModule():
    global DB, CID, S, RAW
    DB = new_db("formulas.db")
    r = run_cli("init", "--db", DB)
    if r.returncode != 0:
        raise RuntimeError("init failed: " + r.stderr)
    RAW = HEADER + "\r\n" + "".join(",".join(csv_cell(c) for c in row) + "\r\n" for row in ROWS)
    path = tmp_path("formulas-in.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(RAW)
    r = run_cli("import", "--db", DB, "--new-contract", "Formules", "--territory", "Ailleurs",
                "--year", "2024", "--yes", path)
    if r.returncode != 0:
        raise RuntimeError("import refused the table: " + r.stderr)
    CID = int(re.search(r"Contrat créé : (\d+)", r.stdout.decode()).group(1))
    S = Server("formulas", DB, command="serve").start()


def tearDownModule():
    S.stop()


def export(*extra):
    r = run_cli("export", "--db", DB, "--contract", str(CID), "--year", "2024", *extra)
    if r.returncode != 0:
        raise AssertionError("export failed: " + r.stderr)
    return r.stdout


class Formulas(unittest.TestCase):
    def assert_neutralised(self, cells):
        for title in TITLES:
            self.assertIn("'" + title, cells)
            self.assertNotIn(title, cells)
        for c in cells:
            self.assertFalse(c[:1] in ("=", "+", "-", "@", "\t", "\r"), repr(c))

    def test_public_actions_csv(self):
        for sep in ("", "?sep=semicolon"):
            r = S.get("/contracts/%d/actions.csv%s" % (CID, sep))
            self.assertEqual(r.status, 200)
            text = r.text.lstrip("\ufeff")
            if sep:
                text = text.replace(";", ",")  # no cell here holds a comma or semicolon
            self.assert_neutralised(cells_of(text))

    def test_cli_export_neutralised_and_raw(self):
        safe = export().decode("utf-8")
        self.assert_neutralised(cells_of(safe))
        self.assertIn("'+Porteur", safe)
        self.assertIn("'-2 remarques", safe)
        self.assertIn("'\tx", safe)
        self.assertIn("'\rx", safe)
        raw = cells_of(export("--raw").decode("utf-8"))
        self.assertEqual(raw, HEADER.split(",") + [c for row in ROWS for c in row])

    def test_round_trip_changes_nothing(self):
        def dump():
            return (export("--raw"), S.get("/api/v1/contracts/%d/actions?year=2024" % CID).body)

        before = dump()
        for extra in ((), ("--raw",)):
            path = tmp_path("formulas-out.csv")
            with open(path, "wb") as f:
                f.write(export(*extra))
            r = run_cli("import", "--db", DB, "--contract", str(CID), "--year", "2024", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout.decode(), r"lignes inchangées\s+4\n")
            self.assertEqual(dump(), before)

    def test_xlsx_has_no_formula(self):
        data = export("--format", "xlsx")
        z = zipfile.ZipFile(io.BytesIO(data))
        shared = z.read("xl/sharedStrings.xml").decode("utf-8")
        self.assertIn("=HYPERLINK(&quot;http://evil&quot;)", shared.replace('"', "&quot;"))
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                self.assertNotIn("<f>", z.read(name).decode("utf-8"), name)


if __name__ == "__main__":
    unittest.main()
