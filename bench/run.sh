#!/bin/sh
# bench/run.sh BUILD_DIR — `make bench`: boussole against nginx serving the same bytes, with wrk,
# in one run; writes bench/RESULTS.md. The measuring is in bench/bench.py (Debian's python3,
# standard library only; the documents in bench/documents.py). Never a pass/fail: it exits
# non-zero only when it could not measure.
set -eu
BUILD=${1:?usage: bench/run.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$BUILD/boussole" ] || { echo "bench: $BUILD/boussole is missing (make build)" >&2; exit 1; }
# Documents first (bench/DOCUMENTS.md): the report's PDF and ODT, the XLSX export and a
# 10,000-row XLSX import, timed with their peak memory.
"$PYTHON" "$ROOT/bench/documents.py" "$BUILD"
exec "$PYTHON" "$ROOT/bench/bench.py" "$BUILD"
