#!/bin/sh
# tests/run.sh BUILD_DIR — runs every test tier against a build made with ASan + UBSan (`make
# check`): the unit test executables, the HTTP tests on the real binary, the house checks (their
# tests on planted violations, then on the real tree), the browser tests when
# tests/browser/run.sh exists, the crash-safety test, and a fuzz smoke run when FUZZ_BUILD names
# a build of the libFuzzer targets. Each tier's output stays visible; the counts are summed and the
# LAST line is exactly "N passed, M failed". Exits non-zero when a check failed or a tier could
# not run: a tier that silently stops running is a failure, never a pass.
set -u

BUILD=${1:?usage: tests/run.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac

# Debian's Python: another python3 may come first on PATH.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

# LeakSanitizer needs to stop the process with ptrace; it cannot when the tests already run under
# a tracer (gdb, strace, some sandboxes), and then reports a false failure. Leaks are checked
# everywhere else.
LEAKS=1
if [ "$(awk '/^TracerPid:/ {print $2}' /proc/self/status 2>/dev/null || echo 0)" != "0" ]; then
    LEAKS=0
    echo "tests: running under a tracer: LeakSanitizer off (detect_leaks=0)"
fi
ASAN_OPTIONS="detect_leaks=$LEAKS:halt_on_error=1:detect_stack_use_after_return=1"
export ASAN_OPTIONS
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
[ -f "$ROOT/tests/lsan.supp" ] || unset LSAN_OPTIONS
export BOUSSOLE_DATA="$ROOT/data"
export BOUSSOLE_SOURCE="$ROOT"

TOTAL_PASSED=0
TOTAL_FAILED=0
BROKEN="" # tiers or executables that could not run or gave no count

# add_counts LINE: adds "… N passed, M failed" to the totals; returns 1 if LINE has no counts.
add_counts() {
    counts=$(printf '%s\n' "$1" |
        sed -n 's/^\(.*[^0-9]\)\{0,1\}\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2 \3/p')
    [ -n "$counts" ] || return 1
    set -- $counts
    TOTAL_PASSED=$((TOTAL_PASSED + $1))
    TOTAL_FAILED=$((TOTAL_FAILED + $2))
    return 0
}

# run_tier NAME COMMAND…: runs a tier, shows its output and reads its summary, the last line that
# ends in "N passed, M failed" (a sanitizer report printed at exit may come after it).
run_tier() {
    name=$1
    shift
    out=$(mktemp)
    "$@" >"$out" 2>&1
    status=$?
    cat "$out"
    last=$(grep -E '[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
    rm -f "$out"
    if ! add_counts "$last"; then
        echo "tests: $name gave no 'N passed, M failed' line (exit status $status): broken"
        BROKEN="$BROKEN $name"
    elif [ "$status" -ne 0 ] && [ "${counts#* }" = "0" ]; then
        # Counts say all passed but the process failed: a sanitizer report after the summary
        # (leaks are found at exit), or a crash at exit.
        echo "tests: $name exited with status $status after reporting no failure: broken"
        BROKEN="$BROKEN $name"
    fi
}

# The unit tests are those meson.build lists (unit_tests = [ 'test_x', … ]): a new one runs here
# without editing this file.
UNIT_TESTS=$(sed -n "/^unit_tests *= *\[/,/\]/p" "$ROOT/meson.build" |
    sed -n "s/^ *'\([A-Za-z0-9_]*\)',\{0,1\} *\]\{0,1\}$/\1/p")
if [ -z "$UNIT_TESTS" ]; then
    echo "tests: no unit_tests list found in meson.build"
    BROKEN="$BROKEN unit-test-list"
fi

# PostgreSQL for the tests that need one (tests/http/pg.py starts a cluster in a temporary
# folder): its server's programs and psycopg2 must be installed (scripts/deps.sh).
PG_MISSING=$("$PYTHON" -c "import sys; sys.path.insert(0, '$ROOT/tests/http'); import pg
try:
    import psycopg2
except ImportError:
    sys.exit('no psycopg2 for $PYTHON (python3-psycopg2)')
if pg.bindir() is None:
    sys.exit('no initdb / pg_ctl (postgresql)')" 2>&1)

echo "== unit tests ($BUILD)"
for t in $UNIT_TESTS; do
    if [ ! -x "$BUILD/$t" ]; then
        echo "tests: $BUILD/$t is missing (not built?)"
        BROKEN="$BROKEN $t"
        continue
    fi
    if [ "$t" = test_pg ] && [ -z "$PG_MISSING" ]; then
        # The engine's tests run on a database of a cluster started for them.
        run_tier "$t" "$PYTHON" "$ROOT/tests/http/pg.py" run -- "$BUILD/$t"
    else
        run_tier "$t" "$BUILD/$t"
    fi
done

echo "== HTTP tests"
if [ -x "$BUILD/boussole" ]; then
    run_tier http "$PYTHON" "$ROOT/tests/http/run.py" "$BUILD/boussole"
else
    echo "tests: $BUILD/boussole is missing: HTTP tests cannot run"
    BROKEN="$BROKEN http"
fi

# The same HTTP tests on a PostgreSQL cluster that run.py starts in a temporary folder, when
# PostgreSQL's server and psycopg2 are installed (scripts/deps.sh installs them): the whole suite.
# In CI a missing PostgreSQL is a failure, not a skip: the backend must stay tested.
echo "== HTTP tests on PostgreSQL"
if [ -n "$PG_MISSING" ]; then
    echo "tests: http-postgresql not run: $PG_MISSING; scripts/deps.sh installs it"
    if [ -n "${CI:-}" ]; then
        BROKEN="$BROKEN http-postgresql"
    fi
elif [ -x "$BUILD/boussole" ]; then
    run_tier http-postgresql "$PYTHON" "$ROOT/tests/http/run.py" "$BUILD/boussole" --pg
    # Every SQL text of src/, even those no test reaches, must prepare on PostgreSQL.
    if [ -f "$BUILD/compile_commands.json" ]; then
        run_tier check-pg-sql "$PYTHON" "$ROOT/tests/http/pg.py" run -- "$PYTHON" \
            "$ROOT/tools/check_pg_sql.py" --init "$BUILD/boussole" "$BUILD"
    fi
fi

if [ -f "$ROOT/tests/browser/run.sh" ]; then
    echo "== browser tests"
    run_tier browser sh "$ROOT/tests/browser/run.sh" "$BUILD"
fi

# The house checks (tools/check_*; README.md, "House checks"): their own tests on planted
# violations, then each on the real tree. check_format checks the C lines changed since the commit
# recorded in tools/format_base; it needs a git checkout (a source tarball has no history to diff).
echo "== house checks"
run_tier tools "$PYTHON" "$ROOT/tests/tools/test_checks.py"
for check in check_printf check_layers check_format; do
    case $check in
        check_format)
            if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
                echo "check_format: not run: $ROOT is not a git checkout (no changed lines)"
                continue
            fi
            cmd="sh $ROOT/tools/check_format.sh" ;;
        *) cmd="$PYTHON $ROOT/tools/$check.py $ROOT" ;;
    esac
    # shellcheck disable=SC2086
    if (cd "$ROOT" && $cmd); then
        echo "$check: 1 passed, 0 failed"
        TOTAL_PASSED=$((TOTAL_PASSED + 1))
    else
        echo "$check: 0 passed, 1 failed"
        TOTAL_FAILED=$((TOTAL_FAILED + 1))
    fi
done

echo "== crash safety"
run_tier crash sh "$ROOT/tests/crash/run.sh" "$BUILD"

# Fuzz smoke: each libFuzzer target a few seconds (`make fuzz SECONDS=N` runs them longer).
if [ -n "${FUZZ_BUILD:-}" ]; then
    echo "== fuzz smoke (${FUZZ_SECONDS:-5} s per target)"
    run_tier fuzz sh "$ROOT/tests/fuzz/run.sh" "$FUZZ_BUILD" "${FUZZ_SECONDS:-5}"
fi

if [ -n "$BROKEN" ]; then
    echo "tests: could not run or count:$BROKEN"
    TOTAL_FAILED=$((TOTAL_FAILED + $(echo $BROKEN | wc -w)))
fi
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
