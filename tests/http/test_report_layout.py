"""test_report_layout.py — the report PDF's page layout read back with pdftotext: a status label
is never cut inside a word in the narrow "État" column ("Non commencé / e"), and no page (the
last one above all) is left holding a line or two. Runs the CLI on a demo database."""

import html
import re
import subprocess
import unittest
import zipfile

from common import new_db, run_cli, tmp_path

YEARS = (2020, 2021, 2022, 2023)
# Every word a status cell may hold (the labels of UI.md, and the header itself).
STATUS_WORDS = {"Réalisée", "Réalisée,", "et", "close", "récurrente", "En", "cours",
                "Réflexion", "engagée", "Non", "commencée", "Abandonnée", "Sans", "état", "État"}
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r'([^<]*)</word>')
FOOTER_Y = 780  # the footer sits under the bottom margin (pdf_layout.h: PDF_BOTTOM + 18)


def pdf_words(path):
    """Pages of words: (x0, y0, x1, y1, text) from pdftotext -bbox."""
    r = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", path, "-"],
                       capture_output=True, check=True)
    pages = []
    for page in r.stdout.decode("utf-8").split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d),
                       html.unescape(t))
                      for a, b, c, d, t in WORD.findall(page)])
    return pages


def status_column_words(page):
    """Words of the action table's status cells on a page: between the "État" and "Remarques"
    headers, below them, in the cells' 7.5 pt font (group rows spanning the table are bigger:
    their words are more than 12 pt high), on lines that start at the column's edge."""
    heads = {w[4]: w for w in page if w[4] in ("Porteur", "État", "Remarques")}
    if len(heads) < 3 or abs(heads["État"][1] - heads["Porteur"][1]) > 1:
        return []
    x0 = heads["État"][0]
    left, right, top = x0 - 1, heads["Remarques"][0] - 1, heads["État"][3]
    # The table ends at the next section title (over 16 pt high; group rows are about 13): a
    # table further down, such as the meetings', may have a word at the column's edge by chance.
    bottom = min([w[1] for w in page if w[1] > top and w[3] - w[1] > 16] + [FOOTER_Y])
    inside = [w for w in page if left <= w[0] < right and w[1] > top and w[3] - w[1] < 12
              and w[1] < bottom]
    # A cell's lines start at the column's left edge, like its header; a line starting further
    # right belongs to another table lower on the page.
    starts = {round(w[1]) for w in inside if abs(w[0] - x0) < 0.5}
    return [w for w in inside if round(w[1]) in starts]


def table_words(page):
    """Words of the action table on a page, its header and group rows included (but not the
    "(suite)" a repeated group row gets): from the "Porteur"/"État"/"Remarques" header down to
    the next section title."""
    heads = {w[4]: w for w in page if w[4] in ("Porteur", "État", "Remarques")}
    if len(heads) < 3 or abs(heads["État"][1] - heads["Porteur"][1]) > 1:
        return []
    top = heads["État"][1] - 1
    bottom = min([w[1] for w in page if w[1] > top and w[3] - w[1] > 16] + [FOOTER_Y])
    return [w for w in page if top < w[1] < bottom and w[4] != "(suite)"]


def odt_words(path):
    """The words of an ODT document's text, as written (nothing is ever cut there)."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("content.xml").decode("utf-8")
    return set(html.unescape(re.sub(r"<[^>]+>", " ", xml)).split())


def whole(word, words):
    """True when word is one of words, or a piece of one that a line may end or start at: after
    a hyphen or a slash ("Hannonville-sous-" / "les-Côtes")."""
    if word in words:
        return True
    for t in words:
        i = t.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or t[i - 1] in "-/") and (end == len(t) or word[-1] in "-/"):
                return True
            i = t.find(word, i + 1)
    return False


def text_lines(page):
    """Distinct text lines of a page above its footer."""
    return sorted({round(w[1]) for w in page if w[1] < FOOTER_Y})


class ReportLayout(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.db = new_db("report-layout.db")
        r = run_cli("demo", "--db", cls.db, "--no-serve", timeout=300)
        assert r.returncode == 0, r.stderr
        cls.pages, cls.words = {}, {}
        for year in YEARS:
            out = tmp_path("layout-%d.pdf" % year)
            r = run_cli("report", "--db", cls.db, "--contract", "1", "--year", str(year),
                        "--format", "pdf", "--out", out, timeout=300)
            assert r.returncode == 0, r.stderr
            cls.pages[year] = pdf_words(out)
            odt = tmp_path("layout-%d.odt" % year)
            r = run_cli("report", "--db", cls.db, "--contract", "1", "--year", str(year),
                        "--format", "odt", "--out", odt, timeout=300)
            assert r.returncode == 0, r.stderr
            cls.words[year] = odt_words(odt)

    def test_table_words_are_never_cut(self):
        """Six columns of long French words ("neurodégénératives", "intercommunalités",
        "Préconisations"): every word of the action table is whole, as in the ODT."""
        for year in YEARS:
            seen = 0
            for n, page in enumerate(self.pages[year], 1):
                words = table_words(page)
                seen += len(words)
                cut = [w[4] for w in words if not whole(w[4], self.words[year])]
                self.assertEqual(cut, [], "%d, page %d: words cut inside" % (year, n))
            self.assertGreater(seen, 1000, "%d: the action table was not found" % year)

    def test_status_labels_wrap_between_words(self):
        for year in YEARS:
            seen = 0
            for n, page in enumerate(self.pages[year], 1):
                words = status_column_words(page)
                seen += len(words)
                cut = [w[4] for w in words if w[4] not in STATUS_WORDS]
                self.assertEqual(cut, [], "%d, page %d: a status cut inside a word" % (year, n))
            self.assertGreater(seen, 50, "%d: the status column was not found" % year)

    def test_no_page_holds_only_a_line_or_two(self):
        for year in YEARS:
            for n, page in enumerate(self.pages[year], 1):
                lines = text_lines(page)
                self.assertGreaterEqual(len(lines), 3, "%d, page %d of %d holds only %r" % (
                    year, n, len(self.pages[year]),
                    [" ".join(w[4] for w in page if round(w[1]) == y) for y in lines]))


if __name__ == "__main__":
    unittest.main()
