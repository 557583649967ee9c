#!/bin/sh
# bench/scale.sh BUILD_DIR — the server time of the main pages at N = 1, 100 and 1000 contracts
# (boussole demo --synthetic N), rendered and from the anonymous cache; writes bench/SCALE.md.
# The measuring is in bench/scale.py (Debian's python3, standard library only). Never a
# pass/fail: it exits non-zero only when it could not measure. SCALE_NS, SCALE_PORT (8170) and
# SCALE_DIR (keep and reuse the databases there) are read from the environment.
set -eu
BUILD=${1:?usage: bench/scale.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$BUILD/boussole" ] || { echo "scale: $BUILD/boussole is missing (make build)" >&2; exit 1; }
exec "$PYTHON" "$ROOT/bench/scale.py" "$BUILD"
