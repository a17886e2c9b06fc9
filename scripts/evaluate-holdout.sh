#!/bin/sh
# Scores a model and the classical baseline on the default model's held-out images (never trained on):
#   MoNuSeg TCGA-21-5786 (40x, polygons), CPM-15 image03 (20x) and image11 (40x) (instance masks),
#   CRCHistoPhenotypes img81-img100 (20x, 0.55 um/px, classified centroids),
#   CoNSeP train_3, train_11, train_19 (all 16 patches of each, 256x256 at 40x = 0.25 um/px, classified
#   instance maps; held out from training stage 4 on; scored per patch like PanNuke).
# Every image goes through `cellvit-cli segment` at its native resolution (the pipeline resamples to the
# model's), then `cellvit-cli evaluate` compares both predictions on the same ground truth.
#
# usage: scripts/evaluate-holdout.sh MODEL OUTDIR [CLI]
#   MODEL  checkpoint (.pth / .safetensors); OUTDIR gets predictions, ground-truth links and *.json scores.
#   CELLVIT_SEGMENT_ARGS  extra `segment` options for the model's runs, e.g. "--postproc-magnification 20".
set -eu
MODEL=$1
OUT=$2
CLI=${3:-build/app/cli/cellvit-cli}
DATA=${CELLVIT_SHARED_DATA:-$(dirname "$0")/../../shared/data}
MON=$DATA/monuseg_train_subset
CPM=$DATA/cpm15_miccai2015_training
CRC=$DATA/crchistophenotypes_2016_04_28
CONSEP=$DATA/consep_train_patches
mkdir -p "$OUT"

segment() { # IMAGE MPP NAME: the model and the classical engine on one image
    for engine in model classic; do
        dest=$OUT/$engine/$3
        [ -f "$dest/cells.json" ] && continue
        if [ "$engine" = model ]; then how="--model $MODEL ${CELLVIT_SEGMENT_ARGS:-}"; else how="--engine classic"; fi
        # shellcheck disable=SC2086 # $how is two words on purpose
        "$CLI" segment "$1" --mpp "$2" --out "$dest" --no-overlay $how > "$dest.log" 2>&1 \
            || { echo "segment failed: $1 ($engine), see $dest.log" >&2; exit 1; }
    done
}

SETS="monuseg cpm15-20x cpm15-40x crc consep"
for t in model classic gt; do
    for set in $SETS; do mkdir -p "$OUT/$t/$set"; done
done

stem=TCGA-21-5786-01Z-00-DX1
segment "$MON/Tissue_Images/$stem.tif" 0.25 "monuseg/$stem"
ln -sfn "$(realpath "$MON/Annotations/$stem.xml")" "$OUT/gt/monuseg/$stem.xml"

segment "$CPM/image03.png" 0.5 cpm15-20x/image03
ln -sfn "$(realpath "$CPM/image03_mask.txt")" "$OUT/gt/cpm15-20x/image03_mask.txt"
segment "$CPM/image11.png" 0.25 cpm15-40x/image11
ln -sfn "$(realpath "$CPM/image11_mask.txt")" "$OUT/gt/cpm15-40x/image11_mask.txt"

i=81
while [ $i -le 100 ]; do
    segment "$CRC/img$i/img$i.bmp" 0.55 "crc/img$i"
    ln -sfn "$(realpath "$CRC/img$i")" "$OUT/gt/crc/img$i"
    i=$((i + 1))
done

# CoNSeP ground truth is the patch's type_mat/<patch>.mat; evaluate reads the instance map from inst/<patch>.npy
# beside the linked file's real folder.
for image in 3 11 19; do
    for jpg in "$CONSEP/images/train_${image}_"*.jpg; do
        patch=$(basename "$jpg" .jpg)
        segment "$jpg" 0.25 "consep/$patch"
        ln -sfn "$(realpath "$CONSEP/type_mat/$patch.mat")" "$OUT/gt/consep/$patch.mat"
    done
done

evaluate() { # SET MAGNIFICATION
    "$CLI" evaluate --pred "model=$OUT/model/$1" --pred "classic=$OUT/classic/$1" --gt "$OUT/gt/$1" \
        --magnification "$2" --json "$OUT/scores-$1.json" > "$OUT/scores-$1.txt"
    echo "== $1 (x$2)"; cat "$OUT/scores-$1.txt"
}
evaluate monuseg 40
evaluate cpm15-20x 20
evaluate cpm15-40x 40
evaluate crc 20
evaluate consep 40
