#!/bin/sh
# tools/check_format.sh [BASE] — checks with clang-format (the committed .clang-format) the C lines
# changed since BASE: lines added or modified in *.c / *.h between BASE and the working tree
# (committed or not; new files once `git add`ed). Untouched lines of old files are left alone, so
# touching a file does not force reformatting all of it. Prints the diff clang-format wants and
# exits 1 when a changed line is not formatted; fix it with `python3 tools/format_lines.py --fix
# BASE`. Renames are followed (tools/format_lines.py): moving a file checks only its changed lines.
# BASE defaults to the commit recorded in tools/format_base, the one from which the format is
# enforced: the same lines are checked on a branch, on main and in a clean clone of main, and no
# line slips through between two runs (unlike "the last commit"). The clone needs the history
# down to that commit (not a shallow clone of depth 1).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)

ROOT=$(git rev-parse --show-toplevel 2>/dev/null) || {
    echo "check_format: not in a git checkout: no changed lines to check against a base" >&2
    exit 2
}
cd "$ROOT"

if ! command -v clang-format >/dev/null 2>&1; then
    echo "check_format: clang-format missing (Debian package clang-format; sh scripts/deps.sh)" >&2
    exit 2
fi

BASE=${1:-$(sed -n '/^[0-9a-f]\{7,40\}$/p' tools/format_base | head -n 1)}
if ! git rev-parse -q --verify "$BASE^{commit}" >/dev/null; then
    echo "check_format: base commit '$BASE' (tools/format_base) is not in this clone's history;" \
         "fetch it (git fetch --unshallow) or pass a BASE" >&2
    exit 2
fi

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
if out=$("$PYTHON" "$HERE/format_lines.py" "$BASE" 2>&1); then
    echo "check_format: changed lines since $(git rev-parse --short "$BASE" 2>/dev/null || echo "$BASE") are formatted"
    exit 0
fi
printf '%s\n' "$out"
echo "check_format: lines changed since $BASE are not formatted as .clang-format says;" \
     "run: python3 tools/format_lines.py --fix $BASE" >&2
exit 1
