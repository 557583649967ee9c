#!/bin/sh
# tests/crash/run.sh BUILD_DIR [crash.py options] — crash safety (issue 5): concurrent API writers,
# the server killed with SIGKILL at random moments (30 rounds by default), every acknowledged write
# checked on the file and through the restarted server, PRAGMA integrity_check. Last line:
# "crash: N passed, M failed" (rounds). `make crash` runs it on the ASan + UBSan build.
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
exec "$PYTHON" "$HERE/crash.py" "$BUILD/boussole" "$@"
