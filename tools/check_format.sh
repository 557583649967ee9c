#!/bin/sh
# tools/check_format.sh [BASE] — checks with clang-format (the committed .clang-format) the C lines
# changed since BASE: lines added or modified in *.c / *.h between BASE and the working tree
# (committed or not; new files once `git add`ed). Untouched lines of old files are left alone, so
# touching a file does not force reformatting all of it. Prints the diff clang-format wants and
# exits 1 when a changed line is not formatted; fix it with `git clang-format BASE`.
# BASE defaults to the merge-base of HEAD with origin/main, else with main (the branch's own
# work); on main itself (merge-base = HEAD) with a clean tree, to HEAD~1 (the last commit).
set -eu

ROOT=$(git rev-parse --show-toplevel 2>/dev/null) || {
    echo "check_format: not in a git checkout: no changed lines to check against a base" >&2
    exit 2
}
cd "$ROOT"

if ! command -v git-clang-format >/dev/null 2>&1; then
    echo "check_format: git-clang-format missing (Debian package clang-format; sh scripts/deps.sh)" >&2
    exit 2
fi

BASE=${1:-}
if [ -z "$BASE" ]; then
    for ref in origin/main main; do
        if git rev-parse --verify -q "$ref^{commit}" >/dev/null; then
            BASE=$(git merge-base HEAD "$ref")
            break
        fi
    done
    HEAD=$(git rev-parse HEAD)
    if [ -z "$BASE" ] || { [ "$BASE" = "$HEAD" ] && git diff --quiet HEAD; }; then
        BASE=$(git rev-parse -q --verify HEAD~1 || git hash-object -t tree /dev/null)
    fi
fi

out=$(git clang-format --diff --extensions c,h "$BASE" -- 2>&1) || true
case $out in
    "" | *"no modified files to format"* | *"clang-format did not modify any files"*)
        echo "check_format: changed lines since $(git rev-parse --short "$BASE" 2>/dev/null || echo "$BASE") are formatted"
        exit 0 ;;
esac
printf '%s\n' "$out"
echo "check_format: lines changed since $BASE are not formatted as .clang-format says;" \
     "run: git clang-format $BASE" >&2
exit 1
