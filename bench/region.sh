#!/bin/sh
# bench/region.sh BUILD_DIR — the server time of the regional view (/regions/44, its API, one
# department, one contract's detail) at N = 1, 100 and 1000 synthetic contracts, all in Grand Est;
# writes its table into bench/SCALE.md. The measuring is in bench/region.py (Debian's python3,
# standard library only). Never a pass/fail. REGION_NS, REGION_SAMPLES (30), SCALE_PORT (8171)
# and SCALE_DIR (keep and reuse the databases there) are read from the environment.
set -eu
BUILD=${1:?usage: bench/region.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$BUILD/boussole" ] || { echo "region: $BUILD/boussole is missing (make build)" >&2; exit 1; }
exec "$PYTHON" "$ROOT/bench/region.py" "$BUILD"
