"""bench/xlsx_bombs.py BOUSSOLE [OUT.md] — time and peak memory of `boussole import` refusing
hostile workbooks of about 1 MB (each a new process; baseline: a refused 4-byte file), written
to bench/XLSX_BOMBS.md. Measures only: the limits themselves are tested in tests/unit/test_xlsx.c
and tests/http/test_xlsx_bombs.py."""

import os
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "http"))
from test_xlsx_bombs import HEAD, workbook, zip_bomb  # noqa: E402


def kinds():
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i + 1) for i in range(1, 230001))
    same = b'<mergeCell ref="A1:B2"/>' * 1000000
    strings = b"".join(b"<si><t>%d</t></si>" % i if i % 3 == 0 else b"<si/>"
                       for i in range(1000001))
    cells = b"".join(b'<c r="A%d"/>' % i if i % 10 == 0 else b"<c/>" for i in range(1, 1000002))
    wide = b"".join(b'<row r="%d"><c r="SR%d"><v>1</v></c></row>' % (i, i)
                    for i in range(1, 200000))
    big = bytes(97 + (i * 7919) % 26 for i in range(20000))
    many = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i)
                    for i in range(1, 30001))
    attr = b'<worksheet><sheetData><row><c r="A1" x="' + b"0123456789abcdef" * (4 << 20)
    end = b"</sheetData></worksheet>"
    return (
        ("230,000 merged ranges", workbook(HEAD + b"</sheetData><mergeCells>" + merges +
                                           b"</mergeCells></worksheet>")),
        ("1,000,000 identical merged ranges", workbook(HEAD + b"</sheetData><mergeCells>" + same +
                                                       b"</mergeCells></worksheet>")),
        ("zip bomb: 1 GB sheet, size declared", zip_bomb(1000)),
        ("1,000,000 shared strings", workbook(HEAD + end, b"<sst>" + strings + b"</sst>")),
        ("1,000,000 cells", workbook(b"<worksheet><sheetData><row>" + cells + b"</row>" + end)),
        ("200,000 rows 512 columns wide", workbook(b"<worksheet><sheetData>" + wide + end)),
        ("20 KB shared string in 30,000 cells", workbook(b"<worksheet><sheetData>" + many + end,
                                                         b"<sst><si><t>" + big +
                                                         b"</t></si></sst>")),
        ("64 MB attribute", workbook(attr + b'"/></row>' + end)),
        ("row r=99999999999", workbook(b'<worksheet><sheetData><row r="99999999999"/>' + end)),
    )


def run(binary, db, path):
    start = time.perf_counter()
    p = subprocess.Popen([binary, "import", "--db", db, "--contract", "1", "--year", "2023",
                          path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, err.strip().splitlines()[0]


def write(folder):
    names = []
    for i, (name, data) in enumerate(kinds()):
        names.append(name)
        with open(os.path.join(folder, "bomb%d.xlsx" % i), "wb") as f:
            f.write(data)
    with open(os.path.join(folder, "names"), "w") as f:
        f.write("\n".join(names) + "\n")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        write(sys.argv[2])
        return
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/boussole"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "XLSX_BOMBS.md")
    tmp = tempfile.mkdtemp(prefix="boussole-bombs-")
    db = os.path.join(tmp, "bench.db")
    subprocess.run([binary, "demo", "--db", db, "--no-serve"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tiny = os.path.join(tmp, "tiny.xlsx")
    with open(tiny, "wb") as f:
        f.write(b"PK\x03\x04")
    # The files are written by another process: a child's ru_maxrss counts the pages it shares
    # with its parent between fork and exec, and building them takes this one to 300 MB.
    subprocess.run([sys.executable, os.path.abspath(__file__), "--write", tmp], check=True)
    with open(os.path.join(tmp, "names")) as f:
        files = [(name, os.path.join(tmp, "bomb%d.xlsx" % i),
                  os.path.getsize(os.path.join(tmp, "bomb%d.xlsx" % i)))
                 for i, name in enumerate(f.read().splitlines())]
    base = min(run(binary, db, tiny)[1] for _ in range(3))
    rows = []
    for name, path, size in files:
        runs = [run(binary, db, path) for _ in range(3)]
        secs = min(r[0] for r in runs)
        mem = max(r[1] for r in runs)
        msg = runs[0][2].replace("|", "/")
        rows.append("| %s | %d kB | %.2f s | %.0f MiB (+%.0f) | %s |" % (
            name, size // 1000, secs, mem, mem - base, msg[:150]))
        print(rows[-1], flush=True)
    with open(out, "w") as f:
        f.write("# Hostile XLSX files: time and memory of their refusal\n\n")
        f.write("Written by `/usr/bin/python3 bench/xlsx_bombs.py %s` on %s, %s. Each line: "
                "`boussole import` of the file into the demo (a new process), fastest of 3 "
                "runs, largest peak resident memory (`ru_maxrss`) and its excess over the "
                "refusal of a 4-byte file (%.0f MiB: start-up and database).\n\n" % (
                    binary, time.strftime("%Y-%m-%d %H:%M"), os.uname().machine, base))
        f.write("| file | size | time | peak memory (extra) | message |\n|---|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n")
    print("written to", out)


if __name__ == "__main__":
    main()
