#!/usr/bin/python3
"""check_pg_sql.py [--init BOUSSOLE] BUILD_DIR [URI] — every SQL text in src/ prepares on
PostgreSQL. URI defaults to $BOUSSOLE_TEST_PG_URI (tests/http/pg.py run sets it); --init first
creates the schema there with `BOUSSOLE init --db URI`.

The model's SQL is written once for SQLite and PostgreSQL; a statement PostgreSQL refuses would
only show when a page runs it (the server stops on a bad prepare, as on SQLite). This check
finds them all at once: it preprocesses each source file with the build's own flags (so SQL
assembled from macros is whole), takes every string literal run that is a statement, rewrites
it as store/pg_sql.c does, and asks PostgreSQL to PREPARE it in the migrated database URI.
Parameters whose type only the bound value tells (store/db_pg.c types them at run time) are
not errors here. Texts built at run time with %s are skipped. Prints each refusal with file and
line, then "check_pg_sql: N passed, M failed" (statements prepared, refused); exit status 1
when M > 0.
Needs python3-psycopg2."""
import json
import os
import re
import shlex
import subprocess
import sys

import psycopg2

LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
RUN = re.compile(r'(?:"(?:[^"\\\n]|\\.)*"\s*)+')
STATEMENT = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b")
# Types only the bound value can tell: store/db_pg.c retries with them.
TYPED_AT_RUN_TIME = ("42P18", "42P08")


def preprocessed(build):
    """(source path, preprocessed text) of every file under src/ the build compiles."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        commands = json.load(f)
    for e in commands:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(path, root)
        if not rel.startswith("src" + os.sep):
            continue
        args, skip = [], False
        for a in shlex.split(e["command"]):
            if skip:
                skip = False
            elif a in ("-o", "-MF", "-MQ"):
                skip = True
            elif a not in ("-c", "-MD"):
                args.append(a)
        r = subprocess.run(args[:1] + ["-E", "-P"] + args[1:], cwd=e["directory"],
                           capture_output=True, text=True)
        yield rel, r.stdout


def statements(text):
    for m in RUN.finditer(text):
        raw = "".join(LITERAL.findall(m.group(0)))
        sql = raw.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8",
                                                                                     "replace")
        if "%s" in sql or not STATEMENT.match(sql):
            continue
        if not any(k in sql for k in ("FROM", "INTO", "SET")):
            continue
        yield text.count("\n", 0, m.start()) + 1, sql


def translate(sql):
    """What store/pg_sql.c makes of sql (same rules; tests/unit/test_pg.c checks those)."""
    out, i, highest, or_ignore, returning = [], 0, 0, False, None

    def word_start(i):
        return i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")
    while i < len(sql):
        c = sql[i]
        if c in "'\"":
            j = i + 1
            while j < len(sql):
                if sql[j] == c and j + 1 < len(sql) and sql[j + 1] == c:
                    j += 2
                    continue
                if sql[j] == c:
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif c == "?":
            j = i + 1
            while j < len(sql) and sql[j].isdigit():
                j += 1
            n = int(sql[i + 1:j]) if j > i + 1 else highest + 1
            highest = max(highest, n)
            out.append("$%d" % n)
            i = j
        elif word_start(i) and re.match(r"(?i)INSERT OR IGNORE\b", sql[i:]):
            out.append("INSERT")
            or_ignore = True
            i += 16
        elif word_start(i) and re.match(r"(?i)date\(", sql[i:]):
            out.append("sqlite_date")
            i += 4
        else:
            if word_start(i) and re.match(r"(?i)RETURNING\b", sql[i:]):
                returning = len("".join(out))
            out.append(c)
            i += 1
    text = "".join(out)
    if or_ignore:
        if returning is None:
            text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
        else:
            text = text[:returning] + " ON CONFLICT DO NOTHING " + text[returning:]
    return text


def main():
    args = sys.argv[1:]
    boussole = None
    if args[:1] == ["--init"] and len(args) >= 2:
        boussole, args = args[1], args[2:]
    uri = args[1] if len(args) == 2 else os.environ.get("BOUSSOLE_TEST_PG_URI", "")
    if len(args) not in (1, 2) or not uri:
        sys.exit(__doc__)
    if boussole:
        r = subprocess.run([boussole, "init", "--db", uri], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("check_pg_sql: boussole init failed: " + r.stderr.strip())
    con = psycopg2.connect(uri)
    con.autocommit = True
    cur = con.cursor()
    seen, refused = set(), 0
    for path, text in preprocessed(args[0]):
        for line, sql in statements(text):
            if sql in seen:
                continue
            seen.add(sql)
            try:
                cur.execute("PREPARE boussole_check AS " + translate(sql).replace("%", "%%"))
                cur.execute("DEALLOCATE boussole_check")
            except psycopg2.Error as e:
                if e.pgcode in TYPED_AT_RUN_TIME:
                    continue
                refused += 1
                first = (e.pgerror or str(e)).strip().splitlines()[0]
                print("%s (preprocessed line %d): %s\n    %s" % (path, line, first, sql[:400]))
    print("check_pg_sql: %d passed, %d failed" % (len(seen) - refused, refused))
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()
