#!/usr/bin/env bash
# Fuzzes the CSV reader + dataset validation (CSVFuzz) and the scheme parser
# (SchemeFuzz) with libFuzzer. Not part of CI: `swift build` and `swift test`
# build the same targets as plain executables that replay files.
#
# Usage: Tests/Fuzz/run.sh [csv|scheme|all] [SECONDS]      (defaults: all, 600)
#
# Everything goes under .build-fuzz/: the instrumented build, the seed corpora
# (made fresh from Datasets/ and Tests/Fixtures/ on every run), the growing
# corpora (kept between runs), crashing inputs (crashes/<target>-…) and logs.
# A crashing input belongs in Tests/Fixtures/fuzz/<target>/ with a regression
# test; FuzzRegressionTests replays that folder on every `swift test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:-all}
seconds=${2:-600}
work=.build-fuzz
mkdir -p "$work/crashes" "$work/logs"

build() {
    # The recipe of SWIFT-ON-LINUX.md; -DLIANZHENG_LIBFUZZER drops the
    # replaying @main so that libFuzzer's main runs.
    swift build -c debug --product "$1" --scratch-path "$work" \
        --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        -Xswiftc -DLIANZHENG_LIBFUZZER 2>&1 | grep -v "Cannot export local symbol" || true
    test -x "$work/debug/$1"
}

# Seeds for CSVFuzz: byte 0 picks the file (0 units … 6 risk_points, 7 = all
# files separated by 0x1E) and the encoding (bits 3-4: 0 auto, 8 utf8,
# 16 gb18030); the first lines of every sample and fixture file.
csv_seeds() {
    local seeds=$work/seeds/csv
    rm -rf "$seeds" && mkdir -p "$seeds"
    local tables=(units posts powers incidents assessments adjustments risk_points)
    local dir k name mode
    for dir in Datasets/sample Datasets/sample-gbk Tests/Fixtures/*/; do
        dir=${dir%/}
        name=$(basename "$dir")
        for k in 0 1 2 3 4 5 6; do
            [ -f "$dir/${tables[$k]}.csv" ] || continue
            mode=$k
            if [ "$name" = sample-gbk ]; then mode=$((k + 16)); fi
            { printf "\\$(printf '%03o' "$mode")"; head -n 12 "$dir/${tables[$k]}.csv"; } > "$seeds/$name-${tables[$k]}"
        done
        mode=7
        if [ "$name" = sample-gbk ]; then mode=23; fi
        {
            printf "\\$(printf '%03o' "$mode")"
            for k in 0 1 2 3 4 5 6; do
                if [ "$k" -gt 0 ]; then printf '\036'; fi
                if [ -f "$dir/${tables[$k]}.csv" ]; then head -n 6 "$dir/${tables[$k]}.csv"; fi
            done
        } > "$seeds/$name-all"
    done
}

scheme_seeds() {
    local seeds=$work/seeds/scheme
    rm -rf "$seeds" && mkdir -p "$seeds"
    cp Datasets/schemes/*.json "$seeds/"
}

fuzz() {
    local product=$1 name=$2
    shift 2
    mkdir -p "$work/corpus/$name" "$work/run"
    # A copy, so that rebuilding during a long run does not touch the binary.
    cp "$work/debug/$product" "$work/run/$product"
    echo "== $product for $seconds s (log: $work/logs/$name.log)"
    SWIFT_BACKTRACE=enable=no "$work/run/$product" "$work/corpus/$name" "$work/seeds/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -artifact_prefix="$work/crashes/$name-" -print_final_stats=1 "$@" 2>&1 | tee "$work/logs/$name.log" | grep -E "^#[0-9]+ +(pulse|DONE)|stat::|ERROR|Done" || true
    if ls "$work/crashes/$name-"* >/dev/null 2>&1; then
        echo "!! findings in $work/crashes/:" && ls "$work/crashes/$name-"*
        return 1
    fi
}

status=0
if [ "$target" = csv ] || [ "$target" = all ]; then
    build CSVFuzz && csv_seeds
    fuzz CSVFuzz csv -dict=Tests/Fuzz/csv.dict || status=1
fi
if [ "$target" = scheme ] || [ "$target" = all ]; then
    build SchemeFuzz && scheme_seeds
    fuzz SchemeFuzz scheme -dict=Tests/Fuzz/scheme.dict || status=1
fi
exit $status
