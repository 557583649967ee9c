"""documents.py BUILD_DIR — the document measurements of `make bench` (called by bench/run.sh):
time and peak memory (maximum resident set size of the process) of the yearly report of each
demo year as PDF and ODT, of the XLSX export of the demo, and of the import of a 10,000-row XLSX
workbook into a new contract. Writes bench/DOCUMENTS.md. Never a pass/fail: numbers to read.
Standard library only (Debian's python3)."""

import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YEARS = (2020, 2021, 2022, 2023)
ROWS = 10000


def measure(cmd):
    """Runs cmd; returns (seconds, stdout) — fails loudly on a non-zero exit."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), proc.returncode,
                                                    err.decode("utf-8", "replace")[-500:]))
    return elapsed, out


def measure_rss(cmd):
    """Like measure, with the child's own maximum RSS from wait4."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s failed with status %d" % (" ".join(cmd),
                                                        os.waitstatus_to_exitcode(status)))
    return elapsed, usage.ru_maxrss / 1024.0


def best(cmd, runs=3):
    """The fastest of runs (time) and the largest peak memory seen."""
    times, rss = [], []
    for _ in range(runs):
        t, m = measure_rss(cmd)
        times.append(t)
        rss.append(m)
    return min(times), max(rss)


def cell(ref, value):
    v = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v)


def write_big(path, n):
    """A tracking table of n rows in the export's layout: 7 specific, 23 operational objectives,
    40 carriers, statuses and remarks."""
    heads = ["code_objectif", "objectif", "action", "fiche", "porteur", "etat", "remarques",
             "preconisations"]
    letters = "ABCDEFGH"
    rows = ['<row r="1">%s</row>' % "".join(cell("%s1" % letters[i], h)
                                            for i, h in enumerate(heads))]
    states = ["En cours", "Réalisée", "Non commencée", "Abandonnée", "Réflexion engagée"]
    for i in range(n):
        r = i + 2
        spec, op = i % 7 + 1, i % 23 + 1
        vals = ["%d.%d" % (spec, op), "Objectif opérationnel %d.%d" % (spec, op),
                "Action de prévention n° %d sur le territoire" % i, "%d.%d.%d" % (spec, op, i),
                "Porteur %d" % (i % 40), states[i % 5],
                "(+) avancée notée lors du comité ; (-) difficulté de mobilisation %d" % i, ""]
        rows.append('<row r="%d">%s</row>' % (r, "".join(
            cell("%s%d" % (letters[k], r), v) for k, v in enumerate(vals) if v)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="%s"><sheets><sheet name="2024" '
                   'sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="%s/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>' % rel)
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>%s</sheetData>'
                   '</worksheet>' % (ns, "".join(rows)))


def pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
    binary = os.path.join(build, "boussole")
    tmp = tempfile.mkdtemp(prefix="boussole-bench-docs-")
    try:
        db = os.path.join(tmp, "demo.db")
        measure([binary, "demo", "--db", db, "--no-serve"])
        reports = []
        for year in YEARS:
            for fmt in ("pdf", "odt"):
                out = os.path.join(tmp, "bilan-%d.%s" % (year, fmt))
                t, m = best([binary, "report", "--db", db, "--contract", "1", "--year",
                             str(year), "--format", fmt, "--out", out])
                reports.append((year, fmt, t, m, os.path.getsize(out),
                                pages(out) if fmt == "pdf" else None))
        xlsx = os.path.join(tmp, "suivi.xlsx")
        t_export, m_export = best([binary, "export", "--db", db, "--contract", "1", "--format",
                                   "xlsx", "--out", xlsx])
        big = os.path.join(tmp, "big.xlsx")
        write_big(big, ROWS)
        imports = []
        for k in range(3):
            t, m = measure_rss([binary, "import", "--db", db, "--new-contract",
                                "Contrat de %d lignes n° %d" % (ROWS, k), "--territory",
                                "Territoire de mesure", "--year", "2024", "--yes", big])
            imports.append((t, m))
        t_import = min(t for t, _ in imports)
        m_import = max(m for _, m in imports)
        write(build, reports, (t_export, m_export, os.path.getsize(xlsx)),
              (t_import, m_import, os.path.getsize(big)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write(build, reports, export, imp):
    largest = max((r for r in reports if r[1] == "pdf"), key=lambda r: r[5])
    lines = ["# Documents: time and peak memory", "",
             "Written by `make bench` (bench/documents.py) on %s, %s, build `%s`. Each figure "
             "is the fastest of 3 runs of the command line (a new process each time: start-up, "
             "database open, layout and writing included) and the largest peak resident memory "
             "(`ru_maxrss` of the process)." % (
                 datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), platform.machine(),
                 os.path.relpath(build, ROOT)), "",
             "## Yearly execution report of the demo (CLS 2 Cœur de Lorraine)", "",
             "| year | format | time | peak memory | size | pages |", "|---|---|---|---|---|---|"]
    for year, fmt, t, m, size, n in reports:
        lines.append("| %d | %s | %.2f s | %.0f MiB | %d kB | %s |" % (
            year, fmt.upper(), t, m, size // 1024, n if n is not None else "—"))
    lines += ["", "The largest year is %d (%d pages, its 2020-style table has a recommendations "
              "column): %.2f s and %.0f MiB for its PDF." % (largest[0], largest[5], largest[2],
                                                             largest[3]),
              "", "## Spreadsheets", "",
              "| what | time | peak memory | file |", "|---|---|---|---|",
              "| XLSX export of the demo (summary, 4 years, strategy) | %.2f s | %.0f MiB | %d kB |"
              % (export[0], export[1], export[2] // 1024),
              "| import of a %d-row XLSX into a new contract | %.2f s | %.0f MiB | %d kB |"
              % (ROWS, imp[0], imp[1], imp[2] // 1024), ""]
    path = os.path.join(ROOT, "bench", "DOCUMENTS.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    print("bench: wrote %s" % path)


if __name__ == "__main__":
    main()
