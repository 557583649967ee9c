#!/bin/sh
# Installs the Debian packages Boussole needs to build, test and benchmark.
# Idempotent and silent when everything is present; works as root or through sudo.
set -eu

PACKAGES="build-essential pkg-config meson ninja-build clang
libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libcsv-dev libjansson-dev libsodium-dev
libcurl4-openssl-dev python3-aiosmtpd
libical-dev libcmark-dev python3-icalendar python3-jsonschema
libcairo2-dev libpango1.0-dev librsvg2-dev libzip-dev libxlsxwriter-dev libexpat1-dev
fonts-dejavu-core poppler-utils
python3 curl wrk nginx-light libclang-rt-14-dev chromium clang-format"
# For the tests only: LibreOffice converts the generated ODT and XLSX files (tests/http/
# test_report.py) — the real check that LibreOffice opens them, about 280 MB installed.
PACKAGES="$PACKAGES libreoffice-writer-nogui libreoffice-calc-nogui"
# For `make coverage` only: gcovr reads the gcov counts of the -Db_coverage=true build.
PACKAGES="$PACKAGES gcovr"
# zlib: the XLSX reader inflates with it (meson: dependency('zlib')). Node runs the browser
# tests (tests/browser, npm ci); Debian ships npm apart from nodejs, other builds of nodejs
# bring their own npm, which Debian's package would conflict with.
PACKAGES="$PACKAGES zlib1g-dev nodejs"
# PostgreSQL's tests (issue 14; libpq-dev above builds the backend): postgresql gives initdb and
# pg_ctl, with which tests/http/run.py --pg and tests/crash/crash.py --pg start a cluster of
# their own; python3-psycopg2 lets those tests set up and read its databases.
PACKAGES="$PACKAGES postgresql python3-psycopg2"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps.sh: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi

echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
