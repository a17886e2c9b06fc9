#!/usr/bin/env bash
# Runs the cohort workflow on the two shared slides with 2 cores, then checks the aggregated table against
# each slide's cells.json, and that a second run skips the finished slides.
set -euo pipefail
cli=$1 shared=$2 workdir=$3
snakefile="$(cd "$(dirname "$0")/../.." && pwd)/packaging/workflow/Snakefile"
slides="$shared/data/wsi_openslide_samples"
for f in "$slides/cmu-1-small-region.svs" "$slides/tcga-cr-7395-01a-01-ts1.svs"; do
  [[ -f $f ]] || { echo "FAIL: missing $f"; exit 1; }
done
command -v snakemake > /dev/null || { echo "FAIL: snakemake is not installed (scripts/install-deps.sh)"; exit 1; }

rm -rf "$workdir" && mkdir -p "$workdir"
# The TCGA frozen section carries no resolution: the sample sheet declares it.
# The classical engine (no weights) on one patch of tissue per slide keeps the run short; the model path of
# segment is tested in tests/cli.
printf 'slide\tpath\tmpp\tregion\ncmu\t%s\t\t500,500,400,400\ntcga\t%s\t0.5\t1940,1460,400,400\n' "$slides/cmu-1-small-region.svs" \
  "$slides/tcga-cr-7395-01a-01-ts1.svs" > "$workdir/cohort.tsv"
run() {
  snakemake -s "$snakefile" --cores 2 --directory "$workdir" \
    --config slides="$workdir/cohort.tsv" out="$workdir/results" cli="$cli" segment_args="--engine classic" \
    threads_per_slide=1 "$@"
}
run > "$workdir/first.log" 2>&1 || { cat "$workdir/first.log"; cat "$workdir"/results/logs/*.log || true; exit 1; }

/usr/bin/python3 - "$workdir/results" << 'PY'
import csv, json, sys
from collections import Counter
from pathlib import Path
out = Path(sys.argv[1])
rows = {row["slide"]: row for row in csv.DictReader(open(out / "cohort_class_counts.csv"))}
assert sorted(rows) == ["cmu", "tcga"], rows
for slide, row in rows.items():
    doc = json.load(open(out / "slides" / slide / "cells.json"))
    names = {int(k): v for k, v in doc["type_map"].items()}
    counts = Counter(names[int(c["type"])] for c in doc["cells"])
    assert int(row["cells"]) == len(doc["cells"]), (slide, row["cells"], len(doc["cells"]))
    for name, n in counts.items():
        assert int(row[name]) == n, (slide, name, row[name], n)
    print(f"{slide}: {len(doc['cells'])} cells, table agrees")
assert (out / "cohort_class_counts.png").stat().st_size > 1000
PY

# Finished slides are not run again.
run --dry-run > "$workdir/second.log" 2>&1
grep -q "Nothing to be done" "$workdir/second.log" || { echo "FAIL: a rerun wanted to redo work:"; cat "$workdir/second.log"; exit 1; }
echo "workflow: 2 slides segmented, table verified, rerun skips them"
