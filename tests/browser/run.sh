#!/bin/sh
# tests/browser/run.sh BUILD_DIR — the browser tier of `make check`: starts BUILD_DIR/boussole demo
# on a free loopback port with a temporary database, runs the journeys (*.test.mjs, node's test
# runner, playwright-core driving Debian's Chromium, axe-core on every page) and ends with
# "browser: N passed, M failed". Without /usr/bin/chromium the tier is SKIPPED with a message
# (a failure when CI=true). Never downloads a browser; only talks to the server it started.
set -u

BUILD=${1:?usage: tests/browser/run.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

# fail_tier MESSAGE: the tier could not run; counted as one failure.
fail_tier() {
    echo "browser: $1"
    echo "browser: 0 passed, 1 failed"
    exit 1
}

# skip_tier MESSAGE: outside CI a missing tool skips the tier, visibly; in CI it is a failure.
skip_tier() {
    if [ "${CI:-}" = "true" ]; then
        fail_tier "$1 (CI=true: the browser tests must run)"
    fi
    echo "browser tests SKIPPED: $1"
    # tests/run.sh reads the last line ending in "N passed, M failed"; the next line says why
    # this tier counts nothing.
    echo "browser tests SKIPPED, counted as 0 passed, 0 failed"
    echo "browser: 0 passed, 0 failed, 1 skipped"
    exit 0
}

[ -x "$CHROMIUM" ] || skip_tier "$CHROMIUM not found (install it with: sh scripts/deps.sh)"
command -v node >/dev/null 2>&1 || skip_tier "node not found"
[ -x "$BUILD/boussole" ] || fail_tier "$BUILD/boussole is missing (not built?)"

# playwright-core and axe-core at the versions of package-lock.json (never a browser download).
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ] ||
    [ ! -f "$HERE/node_modules/axe-core/axe.min.js" ]; then
    echo "browser: npm ci (playwright-core, axe-core)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) ||
        fail_tier "npm ci failed in tests/browser"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/boussole-browser-XXXXXX")
SERVER=""
cleanup() {
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
        kill "$SERVER" 2>/dev/null
        wait "$SERVER" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: the kernel picks one, we release it and the server binds it right after.
PORT=$(node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => {
    console.log(s.address().port); s.close(); });") || fail_tier "no free port"

"$BUILD/boussole" demo --db "$TMP/demo.db" --listen "127.0.0.1:$PORT" \
    >"$TMP/server.out" 2>"$TMP/server.err" &
SERVER=$!

# Up to 60 s for the demo to load and the server to answer (sanitizer builds are slow).
URL="http://127.0.0.1:$PORT"
ready=0
i=0
while [ $i -lt 600 ]; do
    if ! kill -0 "$SERVER" 2>/dev/null; then
        cat "$TMP/server.out" "$TMP/server.err"
        fail_tier "the server stopped before answering"
    fi
    if node -e "fetch('$URL/static/style.css').then(r => process.exit(r.ok ? 0 : 1),
        () => process.exit(1))" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.1
    i=$((i + 1))
done
[ $ready -eq 1 ] || { cat "$TMP/server.err"; fail_tier "the server did not answer on $URL"; }

# The demo accounts: lines "  ROLE  EMAIL  PASSWORD" under "Demo accounts".
awk 'NF == 3 && $2 ~ /@/ && /^  / { print $1, $2, $3 }' "$TMP/server.out" >"$TMP/accounts"
echo "browser: server $URL (demo, $(wc -l <"$TMP/accounts") accounts), Chromium:" \
    "$("$CHROMIUM" --version 2>/dev/null | head -n 1)"

rm -rf "$HERE/artifacts"
cd "$HERE" || fail_tier "cannot enter $HERE"
BOUSSOLE_URL=$URL BOUSSOLE_ACCOUNTS=$TMP/accounts BOUSSOLE_DB=$TMP/demo.db CHROMIUM=$CHROMIUM \
    BOUSSOLE_BIN=$BUILD/boussole BOUSSOLE_DATA=$(cd "$HERE/../.." && pwd)/data \
    node --test --test-concurrency=1 --test-timeout=180000 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$TMP/tap" \
    ./*.test.mjs
status=$?

# Counts from the TAP summary: every test and page check; a todo is pending, not passed.
count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$TMP/tap" | tail -n 1; }
pass=$(count pass)
fail=$(count fail)
cancelled=$(count cancelled)
todo=$(count todo)
if [ -z "$pass" ] || [ -z "$fail" ]; then
    tail -n 20 "$TMP/tap" 2>/dev/null
    fail_tier "node's test runner gave no summary (exit status $status)"
fi
fail=$((fail + ${cancelled:-0}))

# The server must have survived the journeys without a sanitizer report (ASan, UBSan, leaks).
if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "browser: the server died during the journeys:"
    tail -n 40 "$TMP/server.err"
    fail=$((fail + 1))
else
    kill "$SERVER" 2>/dev/null
    wait "$SERVER" 2>/dev/null
fi
SERVER=""
if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/server.err"; then
    echo "browser: the server reported a sanitizer error:"
    grep -E -A 30 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/server.err" | head -n 60
    fail=$((fail + 1))
fi
pending=${todo:-0}
pass=$((pass - pending))
if [ "$pending" -gt 0 ]; then
    echo "browser: $pending PENDING (written, not run: the feature is not served yet):"
    grep -E '^ *ok [0-9]+ - .* # TODO' "$TMP/tap" | sed 's/^ *ok [0-9]* - /browser:   /'
fi
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
    echo "browser: node exited with status $status"
    fail=1
fi
if [ "$fail" -gt 0 ] && [ -d "$HERE/artifacts" ]; then
    echo "browser: screenshots and HTML of the failures in tests/browser/artifacts/"
fi
echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
