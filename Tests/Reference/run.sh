#!/usr/bin/env bash
# An independent Python reading of SPEC.md §2–§7 (ref.py, standard library only,
# written without looking at the Swift sources) against `lianzheng yearend`:
# the five CSV files must be byte for byte the same. Not part of `swift test`.
#
# Usage: Tests/Reference/run.sh        (needs python3 and a release build)
# Work files go to .build-reference/; lines other than MATCH are findings.
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
export WORK=$REPO/.build-reference
BIN=$REPO/.build/release/lianzheng
[ -x "$BIN" ] || swift build -c release --product lianzheng
mkdir -p "$WORK/runs"
HERE=$REPO/Tests/Reference

one() {  # DATA YEAR SCHEME NAME
    local data=$1 year=$2 scheme=${3:-$REPO/Datasets/schemes/default.json} name=$4
    local dir=$WORK/runs/$name
    rm -rf "$dir" "$WORK"/tmp.sqlite*; mkdir -p "$dir"
    "$BIN" yearend --data "$data" --year "$year" --scheme "$scheme" --db "$WORK/tmp.sqlite" --out "$dir/prog" --quiet \
        > "$dir/prog.log" 2>&1 || echo "PROGRAM FAILED $name (see $dir/prog.log)"
    python3 "$HERE/ref.py" "$data" "$year" "$scheme" "$dir/ref" || echo "REFERENCE FAILED $name"
    python3 "$HERE/cmp.py" "$dir/ref" "$dir/prog" 8 | sed "s|^|$name: |"
}

python3 "$HERE/gen_edge.py"
S=$REPO/Datasets; R=$S/schemes/rule-based.json; E=$WORK/edge; XS=$WORK/schemes
for y in 2024 2025; do
    one "$S/sample" $y "" sample-$y
    one "$S/sample" $y "$R" sample-$y-rules
done
one "$S/sample-gbk" 2025 "" gbk-2025
one "$S/sample-gbk" 2025 "$R" gbk-2025-rules
for ds in edge1 edge1-gbk; do
    for sc in default edge2 edge3 edge4; do
        scheme=""; [ "$sc" = default ] || scheme=$XS/$sc.json
        for y in 2024 2025 2026; do one "$E/$ds" $y "$scheme" ${ds}-$sc-$y; done
    done
done
# The same data in GB18030 with Chinese headers, shuffled columns and CRLF gives the same files.
for f in posts assessments flags units risk_points; do
    cmp -s "$WORK/runs/sample-2025/prog/$f.csv" "$WORK/runs/gbk-2025/prog/$f.csv" || echo "GBK DIFFERS sample $f"
    for sc in default edge2 edge3 edge4; do for y in 2024 2025 2026; do
        cmp -s "$WORK/runs/edge1-$sc-$y/prog/$f.csv" "$WORK/runs/edge1-gbk-$sc-$y/prog/$f.csv" || echo "GBK DIFFERS edge1 $sc $y $f"
    done; done
done
