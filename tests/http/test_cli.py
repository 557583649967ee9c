"""test_cli.py — the command line of the real binary: every sub-command's --help, bad arguments
(non-zero exit, one line saying why), init, export, and import: malformed tables (missing
column, unknown status, unknown objective code, invalid UTF-8) are refused with line and column
and leave the database unchanged in content; a valid table round-trips. No server needed."""

import csv
import io
import os
import re
import unittest

from common import PG, connect, copy_db, dump_db, new_db, run_cli, tmp_path

COMMANDS = ("serve", "demo", "init", "import", "export", "report", "user", "backup", "routes",
            "funding-calls", "funding-export", "directory")


def dump(db):
    """The database's whole content as text (on SQLite: tables, rows, indexes as SQL), for
    comparisons."""
    return dump_db(db)


_demo_db = None


def demo_db():
    """A database with the demo loaded (made once), copied for each test that writes."""
    global _demo_db
    if _demo_db is None:
        path = new_db("cli-demo.db")
        r = run_cli("demo", "--db", path, "--no-serve")
        if r.returncode != 0:
            raise RuntimeError("boussole demo --no-serve failed: %s" % r.stderr)
        _demo_db = path
    return _demo_db


def fresh_copy(name):
    """A copy of the demo database (sqlite's backup, so the WAL is included; or a PostgreSQL
    template copy)."""
    return copy_db(demo_db(), name)


def one_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return len(lines) == 1


class Help(unittest.TestCase):
    def test_top_level_help(self):
        r = run_cli("--help")
        self.assertEqual(r.returncode, 0)
        for c in COMMANDS:
            self.assertIn(c.encode(), r.stdout)

    def test_each_command_has_help(self):
        for c in COMMANDS:
            with self.subTest(command=c):
                r = run_cli(c, "--help")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn(b"usage: boussole %s" % c.encode(), r.stdout)
                self.assertEqual(r.stderr, "")

    def test_bad_arguments_fail_with_one_line(self):
        db = new_db("bad-args.db")
        cases = [
            ("nosuchcommand",),
            ("serve", "--bogus"),
            ("serve", "--db"),
            ("serve", "--db", db, "--listen", "nonsense"),
            ("serve", "--db", db, "--listen", "127.0.0.1:99999"),
            ("serve", "--db", db, "--threads", "0"),
            ("serve", "extra-argument"),
            ("demo", "--db", db, "--no-serve=yes"),
            ("demo", "--db", db, "--data", "/nonexistent/folder", "--no-serve"),
            ("init",),
            ("init", "--db", "/nonexistent/folder/x.db"),
            ("import", "--db", db),
            ("import", "--db", db, "--contract", "1", "--year", "2023"),
            ("import", "--db", db, "--contract", "abc", "--year", "2023", "x.csv"),
            ("import", "--db", db, "--contract", "1", "--year", "deux-mille", "x.csv"),
            ("import", "--db", db, "--contract", "1", "--year", "2023", "/nonexistent.csv"),
            ("export",),
            ("export", "--db", db, "--contract", "1", "--format", "pdf"),
            ("export", "--db", db, "--contract", "x"),
            ("funding-calls",),
            ("funding-calls", "fetch", "--db", db, "--contract", "1"),
            ("funding-calls", "import", "--db", db, "--contract", "1"),
            ("funding-calls", "import", "--db", db, "--contract", "1", "/nonexistent.json"),
            ("funding-export", "--db", db, "--contract", "x"),
            ("directory",),
            ("directory", "purge", "--db", db),
            ("directory", "purge", "--db", db, "--dry-run", "--yes"),
            ("directory", "purge", "--db", "/nonexistent.db", "--yes"),
        ]
        for args in cases:
            with self.subTest(args=" ".join(args)):
                r = run_cli(*args, timeout=60)
                self.assertNotEqual(r.returncode, 0)
                self.assertTrue(one_line(r.stderr), "stderr is not one line:\n" + r.stderr)
                self.assertNotIn("Sanitizer", r.stderr)

    def test_init_refuses_an_existing_file(self):
        db = new_db("init.db")
        r = run_cli("init", "--db", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        if not PG:
            self.assertTrue(os.path.exists(db))
        before = dump(db)
        r = run_cli("init", "--db", db)
        self.assertNotEqual(r.returncode, 0)
        self.assertTrue(one_line(r.stderr), r.stderr)
        self.assertEqual(dump(db), before)

    def test_backup_is_a_consistent_copy_and_never_overwrites(self):
        db = fresh_copy("backup-src.db")
        if PG:
            # `boussole backup` copies the SQLite file; a PostgreSQL database is pg_dump's
            # (docs/DEPLOY.md): the command says so in one line and writes nothing.
            out = tmp_path("backup-out-pg.db")
            r = run_cli("backup", "--db", db, out)
            self.assertNotEqual(r.returncode, 0)
            self.assertTrue(one_line(r.stderr), r.stderr)
            self.assertIn("pg_dump", r.stderr)
            self.assertFalse(os.path.exists(out))
            return
        out = tmp_path("backup-out.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(out + suffix):
                os.remove(out + suffix)
        r = run_cli("backup", "--db", db, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(dump(out), dump(db))
        con = connect(out)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.close()
        before = dump(out)
        r = run_cli("backup", "--db", db, out)
        self.assertNotEqual(r.returncode, 0)
        self.assertTrue(one_line(r.stderr), r.stderr)
        self.assertEqual(dump(out), before)
        r = run_cli("backup", "--db", tmp_path("does-not-exist.db"), tmp_path("x.db"))
        self.assertNotEqual(r.returncode, 0)
        self.assertTrue(one_line(r.stderr), r.stderr)

    def test_demo_twice_loads_once(self):
        db = fresh_copy("demo-twice.db")
        before = dump(db)
        r = run_cli("demo", "--db", db, "--no-serve")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(dump(db), before)


HEADERS = ["code_objectif", "objectif", "action", "fiche", "porteur", "etat", "remarques",
           "preconisations"]


def letter(i):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


class Import(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = fresh_copy("import.db")
        r = run_cli("export", "--db", cls.db, "--contract", "1", "--format", "csv",
                    "--year", "2023")
        if r.returncode != 0:
            raise RuntimeError("export failed: %s" % r.stderr)
        cls.exported = r.stdout
        cls.lines = cls.exported.split(b"\r\n")
        header = cls.lines[0].decode("utf-8").lstrip("\ufeff").split(",")
        cls.col = {name: header.index(name) for name in HEADERS if name in header}

    def write(self, name, data):
        path = tmp_path(name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_export_has_the_layout(self):
        self.assertEqual(sorted(self.col), sorted(HEADERS))
        records = [l for l in self.lines[1:] if l.strip()]
        self.assertGreaterEqual(len(records), 76)  # cells may hold line breaks

    def refused(self, name, data, line, column_name=None, extra=(), db=None):
        """Imports data; checks it fails naming the line (and column), DB unchanged."""
        db = db or self.db
        before = dump(db)
        path = self.write(name, data)
        r = run_cli("import", "--db", db, "--contract", "1", "--year", "2023", path, *extra)
        self.assertNotEqual(r.returncode, 0, "the import was accepted:\n%s" % r.stdout)
        self.assertRegex(r.stderr, r"\bline %d\b" % line, r.stderr)
        if column_name is not None:
            i = self.col[column_name]
            self.assertRegex(r.stderr, r"\bline %d, column (%s|%d)\b" % (line, letter(i), i + 1),
                             r.stderr)
        self.assertNotIn("Sanitizer", r.stderr)
        self.assertEqual(dump(db), before, "the database changed")
        return r

    def replace_cell(self, line_no, column, value, lines=None):
        """The exported table (or lines) with one cell of record line_no (1 = header) replaced.
        Records end with CRLF; line feeds inside quoted cells do not split them."""
        out = []
        for i, raw in enumerate(lines or self.lines, start=1):
            if i == line_no:
                cells = self.split(raw)
                cells[self.col[column]] = value
                raw = b",".join(self.quote(c) for c in cells)
            out.append(raw)
        return b"\r\n".join(out)

    @staticmethod
    def split(raw):
        return [c.encode("utf-8")
                for c in next(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))]

    @staticmethod
    def quote(cell):
        if any(ch in cell for ch in (b",", b'"', b"\n", b"\r")):
            return b'"' + cell.replace(b'"', b'""') + b'"'
        return cell

    def test_missing_column(self):
        without = []
        for raw in self.lines:
            if raw:
                cells = self.split(raw)
                del cells[self.col["etat"]]
                raw = b",".join(self.quote(c) for c in cells)
            without.append(raw)
        r = self.refused("missing-column.csv", b"\r\n".join(without), 1)
        self.assertRegex(r.stderr, r"(?i)etat|état")

    def test_unknown_status(self):
        r = self.refused("bad-status.csv", self.replace_cell(5, "etat", "Peut-être".encode()),
                         5, "etat")
        self.assertIn("Peut-être", r.stderr)

    def test_unknown_objective_code(self):
        self.refused("bad-objective.csv", self.replace_cell(7, "code_objectif", b"9.9"), 7,
                     "code_objectif")

    def test_invalid_utf8(self):
        self.refused("bad-utf8.csv", self.replace_cell(4, "action", b"Caf\xe9 sant\xe9"), 4,
                     "action")

    def test_overlong_utf8(self):
        self.refused("overlong.csv", self.replace_cell(3, "remarques", b"x\xc0\xafy"), 3,
                     "remarques")

    def test_every_bad_row_is_reported(self):
        data = self.replace_cell(5, "etat", b"Bof")
        data = self.replace_cell(8, "code_objectif", b"42.42", data.split(b"\r\n"))
        r = self.refused("two-errors.csv", data, 5, "etat")
        self.assertRegex(r.stderr, r"\bline 8\b")

    def test_refused_new_contract_leaves_nothing(self):
        before = dump(self.db)
        path = self.write("new-bad.csv", self.replace_cell(6, "etat", b"Fini ?"))
        r = run_cli("import", "--db", self.db, "--new-contract", "Contrat raté",
                    "--territory", "Nulle part", "--year", "2023", path)
        self.assertNotEqual(r.returncode, 0)
        self.assertRegex(r.stderr, r"\bline 6\b")
        self.assertEqual(dump(self.db), before)

    def test_not_a_table(self):
        self.refused("empty.csv", b"", 1)
        self.refused("binary.csv", b"\x00\x01\x02\xff\xfe", 1)

    def test_reimporting_the_export_changes_nothing(self):
        before = dump(self.db)
        path = self.write("same.csv", self.exported)
        r = run_cli("import", "--db", self.db, "--contract", "1", "--year", "2023", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(dump(self.db), before)

    def test_semicolon_bom_variant_is_read(self):
        r = run_cli("export", "--db", self.db, "--contract", "1", "--year", "2023",
                    "--sep", "semicolon")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b"\xef\xbb\xbf"), "no BOM")
        self.assertIn(b";", r.stdout.split(b"\r\n")[0])
        before = dump(self.db)
        path = self.write("semicolon.csv", r.stdout)
        r = run_cli("import", "--db", self.db, "--contract", "1", "--year", "2023", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(dump(self.db), before)

    def test_export_import_new_contract_gives_the_same_table(self):
        db = fresh_copy("roundtrip.db")
        for year in ("2020", "2023"):
            with self.subTest(year=year):
                r = run_cli("export", "--db", db, "--contract", "1", "--year", year)
                self.assertEqual(r.returncode, 0, r.stderr)
                original = r.stdout
                path = self.write("roundtrip-%s.csv" % year, original)
                r = run_cli("import", "--db", db, "--new-contract", "Copie " + year,
                            "--territory", "Territoire " + year, "--year", year, "--yes",
                            path)
                self.assertEqual(r.returncode, 0, r.stderr)
                m = re.search(r"Contrat créé : (\d+)", r.stdout.decode("utf-8"))
                self.assertTrue(m, r.stdout)
                r = run_cli("export", "--db", db, "--contract", m.group(1), "--year", year)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, original)


if __name__ == "__main__":
    unittest.main()
