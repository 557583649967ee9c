#!/bin/sh
# tests/fuzz/run.sh BUILD_DIR SECONDS — runs every libFuzzer target of BUILD_DIR (built with
# `-Dfuzz=true`, clang, ASan + UBSan) for SECONDS each, starting from the committed seed corpus.
# New inputs go to a temporary folder, crashes to tests/fuzz/artifacts/. Last line:
# "fuzz: N passed, M failed" (a target passes when it ran its time without a crash).
set -u
BUILD=${1:?usage: tests/fuzz/run.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
ARTIFACTS="$HERE/artifacts"
mkdir -p "$ARTIFACTS"
passed=0
failed=0
for target in fuzz_urlencoded fuzz_router fuzz_csv fuzz_text fuzz_json fuzz_xlsx fuzz_multipart \
    fuzz_xlsx_xml fuzz_sniff fuzz_funding_calls fuzz_data_inclusion; do
    exe="$BUILD/$target"
    if [ ! -x "$exe" ]; then
        echo "fuzz: $target not built in $BUILD"
        failed=$((failed + 1))
        continue
    fi
    work=$(mktemp -d)
    seeds="$HERE/corpus/${target#fuzz_}"
    if "$exe" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$ARTIFACTS/$target-" -print_final_stats=1 "$work" "$seeds" \
        >"$work.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
        echo "fuzz: $target ok (${runs:-?} inputs in ${SECONDS_EACH}s)"
        passed=$((passed + 1))
    else
        echo "fuzz: $target FAILED; the crashing input is in $ARTIFACTS/:"
        tail -n 30 "$work.log"
        failed=$((failed + 1))
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
