#!/bin/sh
# tests/crash/run.sh BUILD_DIR [crash.py options] — crash safety (issue 5): concurrent API writers,
# the server killed with SIGKILL at random moments (30 rounds by default), every acknowledged write
# checked on the file and through the restarted server, PRAGMA integrity_check. Then, when
# PostgreSQL's server is installed (initdb), the same on a cluster started for the run
# (crash.py --pg; fewer rounds: CRASH_PG_ROUNDS, default 10). Last line: "crash: N passed,
# M failed" (rounds of both). `make crash` runs it on the ASan + UBSan build.
set -u
BUILD=${1:?usage: tests/crash/run.sh BUILD_DIR [--rounds N] [--writers W] [--port P] [--seed S]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
# Debian's Python: another python3 may come first on PATH.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
if [ ! -x "$BUILD/boussole" ]; then
    echo "crash: $BUILD/boussole is missing (not built?)"
    echo "crash: 0 passed, 1 failed"
    exit 1
fi
export BOUSSOLE_DATA="$ROOT/data"
# A server killed with SIGKILL never reaches LeakSanitizer; the demo and CLI runs do.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
out=$(mktemp)
"$PYTHON" "$HERE/crash.py" "$BUILD/boussole" "$@" >"$out" 2>&1
status=$?
cat "$out"
sqlite_counts=$(tail -n 1 "$out")
pg_counts=""
if "$PYTHON" -c "import sys; sys.path.insert(0, '$ROOT/tests/http'); import pg, psycopg2; \
        sys.exit(pg.bindir() is None)" 2>/dev/null; then
    echo "crash: on PostgreSQL"
    "$PYTHON" "$HERE/crash.py" "$BUILD/boussole" --pg --rounds "${CRASH_PG_ROUNDS:-10}" "$@" \
        >"$out" 2>&1 || status=1
    cat "$out"
    pg_counts=$(tail -n 1 "$out")
else
    echo "crash: PostgreSQL not run: no initdb or no psycopg2 (scripts/deps.sh installs them)"
fi
rm -f "$out"
# One summary line: the rounds of both runs added up.
passed=0
failed=0
for line in "$sqlite_counts" "$pg_counts"; do
    [ -n "$line" ] || continue
    counts=$(printf '%s\n' "$line" |
        sed -n 's/^crash: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
    if [ -z "$counts" ]; then
        failed=$((failed + 1))
        continue
    fi
    set -- $counts
    passed=$((passed + $1))
    failed=$((failed + $2))
done
echo "crash: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
