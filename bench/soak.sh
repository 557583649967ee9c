#!/bin/sh
# bench/soak.sh BUILD_DIR — `make soak`: wrk at 256 connections for SOAK_SECONDS (300) on the
# main pages of the demo, the server's RSS sampled every 10 s; writes bench/SOAK.md and exits
# non-zero on any non-2xx answer, socket error or growing RSS. The work is in bench/soak.py
# (Debian's python3, standard library only) and bench/soak.lua (the wrk script).
set -eu
BUILD=${1:?usage: bench/soak.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$BUILD/boussole" ] || { echo "soak: $BUILD/boussole is missing (make build)" >&2; exit 1; }
exec "$PYTHON" "$ROOT/bench/soak.py" "$BUILD"
