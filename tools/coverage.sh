#!/bin/sh
# tools/coverage.sh BUILD_DIR — `make coverage`: runs the unit tests and the HTTP tests on a build
# made with -Db_coverage=true (no sanitizers), then prints, with gcovr, the share of the lines of
# src/ they run, per layer (tools/coverage_layers.py). Counts start from zero at each run. Not
# part of `make check`: it takes several minutes. Exits non-zero when a test failed; the figures
# are printed anyway, marked as coming from a failing run.
set -u

BUILD=${1:?usage: tools/coverage.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
export BOUSSOLE_DATA="$ROOT/data"
export BOUSSOLE_SOURCE="$ROOT"

find "$BUILD" -name '*.gcda' -delete
failed=0

# The unit tests meson.build lists, found as tests/run.sh finds them.
UNIT_TESTS=$(sed -n "/^unit_tests *= *\[/,/\]/p" "$ROOT/meson.build" |
    sed -n "s/^ *'\([A-Za-z0-9_]*\)',\{0,1\} *\]\{0,1\}$/\1/p")
echo "== unit tests"
for t in $UNIT_TESTS; do
    out=$("$BUILD/$t" 2>&1) || { failed=1; printf '%s\n' "$out"; }
    printf '%s\n' "$out" | tail -n 1 # "test_x: N passed, M failed"
done

# The HTTP tests' own lines, less the passing ones (several hundred).
echo "== HTTP tests"
"$PYTHON" "$ROOT/tests/http/run.py" "$BUILD/boussole" >"$BUILD/coverage-http.log" 2>&1 || failed=1
grep -v '^ok ' "$BUILD/coverage-http.log"

gcovr --root "$ROOT" --filter "$ROOT/src/" --json-summary "$BUILD/coverage.json" "$BUILD" ||
    exit 1
echo "== line coverage of src/ by the unit and HTTP tests"
"$PYTHON" "$ROOT/tools/coverage_layers.py" "$BUILD/coverage.json" || exit 1
if [ "$failed" -ne 0 ]; then
    echo "coverage: some tests failed: these figures are from a failing run"
    exit 1
fi
