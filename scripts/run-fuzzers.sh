#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang + ASan/UBSan) and runs each one briefly over its seed corpus.
# Fails on any crash, leak, sanitizer report, timeout or out-of-memory. docs/fuzzing.md has the long runs.
#
#   scripts/run-fuzzers.sh [seconds per target, default 30]
# Environment: BUILD_DIR (default build-fuzz), SHARED_DIR (default ../shared: its large PUMA GeoJSON and
# MoNuSeg XML files are added as read-only seeds when present), RUNS (default 20000: a target stops at
# whichever limit comes first).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
runs="${RUNS:-20000}"
build="${BUILD_DIR:-$root/build-fuzz}"
shared="${SHARED_DIR:-$root/../shared}"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCELLVIT_BUILD_GUI=OFF -DCELLVIT_BUILD_TESTS=OFF -DCELLVIT_BUILD_BENCH=OFF -DCELLVIT_BUILD_FUZZ=ON >/dev/null
ninja -C "$build" -j2 cellvit_fuzzers

# target  dictionary  extra seed folder (large shared files, referenced by path)
targets=(
    "pickle pickle.dict -"
    "checkpoint pickle.dict -"
    "safetensors json.dict -"
    "geojson_import json.dict $shared/data/puma_nuclei_geojson_samples"
    "metrics_geojson json.dict $shared/data/puma_nuclei_geojson_samples"
    "imagescope_xml xml.dict $shared/data/monuseg_train_subset/Annotations"
)

# One known leak inside LibTorch's zip reader is suppressed (fuzz/lsan.supp, docs/fuzzing.md).
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

logs="$build/logs/ci"
mkdir -p "$logs"
failed=()
for entry in "${targets[@]}"; do
    read -r name dict extra <<<"$entry"
    work="$build/ci-corpus/$name"
    mkdir -p "$work"
    seeds=("$root/fuzz/corpus/$name")
    [[ "$extra" != "-" && -d "$extra" ]] && seeds+=("$extra")
    echo "== fuzz_$name: ${seconds}s or $runs runs"
    # -max_len keeps mutations small (the golden-derived seeds are up to 75 kB; the extras are truncated).
    if "$build/fuzz/fuzz_$name" "$work" "${seeds[@]}" -dict="$root/fuzz/dict/$dict" -max_len=65536 \
        -max_total_time="$seconds" -runs="$runs" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$logs/$name-" >"$logs/$name.log" 2>&1; then
        grep -E "^#[0-9]+.*(DONE|pulse)" "$logs/$name.log" | tail -1 || true
    else
        echo "fuzz_$name FAILED (log: $logs/$name.log)"
        grep -E "ERROR|SUMMARY|Test unit written" "$logs/$name.log" | head -5 || true
        failed+=("$name")
    fi
done

if ((${#failed[@]})); then
    echo "fuzzers with findings: ${failed[*]}"
    exit 1
fi
echo "all fuzz targets ran clean"
