"""Hostile workbooks under 1 MB (merged ranges by the hundred thousand, a zip bomb inflating to
half a gigabyte, cells past XFD1048576, a million shared strings) sent through the browser
import and `boussole import`: each is refused with a French message naming the limit, nothing
is written, and the server answers a public page right after. Timings are in bench/."""

import struct
import unittest
import zlib

import common
from common import connect, run_cli, tmp_path
from test_report import PASSWORD, Browser, add_account, demo_db

WB = (b'<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      b'<sheets><sheet name="2023" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = (b'<Relationships><Relationship Id="rId1" Type="x/worksheet" '
        b'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" '
        b'Target="sharedStrings.xml"/></Relationships>')
HEAD = (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>action</t></is></c>'
        b'</row>')


def raw_deflate(data):
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush()


def zip_bytes(members):
    """A zip of (name, deflated bytes, crc, declared size) members, written by hand so that a
    member can be a deflate stream made here (a bomb)."""
    out, central = bytearray(), bytearray()
    for name, raw, crc, size in members:
        n = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0x21, crc,
                               len(raw), size, len(n), 0, 0, 0, 0, 0, len(out)) + n
        out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0x21, crc, len(raw), size,
                           len(n), 0) + n + raw
    cd = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(members), len(members),
                                 len(central), cd, 0)
    return bytes(out)


def workbook(sheet, shared=None):
    parts = [("xl/workbook.xml", WB), ("xl/_rels/workbook.xml.rels", RELS),
             ("xl/worksheets/sheet1.xml", sheet)]
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", shared))
    return zip_bytes([(n, raw_deflate(d), zlib.crc32(d), len(d)) for n, d in parts])


def zip_bomb(megabytes):
    """A sheet inflating to `megabytes` MB of spaces: one flushed deflate block, repeated."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = z.compress(b"<worksheet><sheetData>") + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(b" " * (1 << 20)) + z.flush(zlib.Z_FULL_FLUSH)
    raw = head + block * megabytes + z.flush(zlib.Z_FINISH)
    members = [(n, raw_deflate(d), zlib.crc32(d), len(d))
               for n, d in (("xl/workbook.xml", WB), ("xl/_rels/workbook.xml.rels", RELS))]
    return zip_bytes(members + [("xl/worksheets/sheet1.xml", raw, 0, 1000)])


def bombs():
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i + 1) for i in range(1, 150001))
    strings = b"".join(b"<si><t>%d</t></si>" % i if i % 10 == 0 else b"<si/>"
                       for i in range(1000001))
    return [
        ("merges", workbook(HEAD + b"</sheetData><mergeCells>" + merges +
                            b"</mergeCells></worksheet>"),
         "trop de cellules fusionnées (plus de 10 000"),
        ("zip bomb", zip_bomb(500), "une fois décompressé"),
        ("row number", workbook(b'<worksheet><sheetData><row r="99999999999"><c><v>1</v></c>'
                                b"</row></sheetData></worksheet>"), "hors des limites"),
        ("column", workbook(b'<worksheet><sheetData><row><c r="ZZZZZZZZ1"><v>1</v></c></row>'
                            b"</sheetData></worksheet>"), "hors des limites"),
        ("shared strings", workbook(HEAD + b"</sheetData></worksheet>",
                                    b"<sst>" + strings + b"</sst>"),
         "trop de textes partagés (plus de 1 000 000)"),
    ]


def snapshot(db):
    with connect(db) as c:
        return [c.execute("SELECT count(*), coalesce(max(id), 0) FROM %s" % t).fetchone()
                for t in ("action_status", "action", "organisation", "import_upload")]


class XlsxBombs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = demo_db("xlsx-bombs.db")
        add_account(cls.db, "coordination@bombs.test", "coordinator")
        cls.files = bombs()
        for name, data, _ in cls.files:
            assert len(data) < 1000 * 1000, (name, len(data))

    def test_cli_import_refuses(self):
        for name, data, words in self.files:
            with self.subTest(name):
                path = tmp_path("bomb.xlsx")
                with open(path, "wb") as f:
                    f.write(data)
                before = snapshot(self.db)
                r = run_cli("import", "--db", self.db, "--contract", "1", "--year", "2023", path)
                self.assertNotEqual(r.returncode, 0, r.stdout)
                self.assertIn(words, r.stderr)
                self.assertIn("rien n'a été importé", r.stderr)
                self.assertNotIn("Sanitizer", r.stderr)
                self.assertEqual(snapshot(self.db), before)

    def test_web_import_refuses_and_the_server_still_answers(self):
        server = common.Server("xlsx-bombs", self.db, command="serve").start()
        try:
            b = Browser(server)
            b.login("coordination@bombs.test", PASSWORD)
            b.get("/contracts/1/import")
            for name, data, words in self.files:
                with self.subTest(name):
                    before = snapshot(self.db)
                    r = b.upload("/contracts/1/import", {"year": "2023"}, "suivi.xlsx", data)
                    self.assertEqual(r.status, 422, r.text[:300])
                    self.assertIn(words, common.visible_text(r.text))
                    self.assertEqual(snapshot(self.db), before)
                    page = server.get("/contracts/1")
                    self.assertEqual(page.status, 200)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
