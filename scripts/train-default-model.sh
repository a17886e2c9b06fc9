#!/bin/sh
# Trains the bundled models (resources/models/cellvit-studio-x40.* and -x20.*) from the shared annotated data, in
# stages, on the CPU (2 threads; 2-3.5 min per epoch of 100 steps on 2 cores):
#   1. 17 epochs from random weights (the bundled run was planned for 30 and stopped by Ctrl-C 2 steps before
#      the end of epoch 17; the learning rate decays per epoch, so --epochs 17 is the same schedule);
#   2. 10 epochs from stage 1 with the nt_nucleus loss term (nuclei of segmentation-only data are "some class");
#   3. 20 epochs from stage 2's fp16 weights (the model bundled until then) with NP also learning from the point
#      labels (class disks = nucleus, far from every point = background) and HED stain jitter on half the crops
#      (strength 0.12); stages 1 and 2 predate both and run with --no-np-from-points and without it.
#   4. (issue #17, candidate for the next bundled model) from stage 3's fp16 weights, the same data plus the
#      CoNSeP training patches (instance masks + classes, PROVENANCE §6), in the four-class taxonomy Epithelial,
#      Inflammatory, Connective, Other; cell+tissue oversampling inside each folder (per-source-cell-tissue),
#      HED stain jitter and the reference's Superpixels augmentation (p 0.1). Resumes from OUT/stage4/last.pth when it exists (it runs for hours: continue it by
#      running this script again).
#   5. (issue #17, the bundled default model resources/models/cellvit-studio-x40.*) from stage 4's best fp16
#      weights, the same data and recipe at 40x (0.25 um/px: the network sees nuclei twice as large, so crowded
#      nuclei get HV maps fine enough to separate them), lr 1.5e-4 decaying by 0.95 per epoch, 11 epochs: a
#      40-epoch run lowered the held-out scores after epoch 11 while the validation loss kept falling (model
#      card), so the schedule is cut there. Resumes from OUT/stage5/last.pth when it exists.
# Held out for validation: MoNuSeg TCGA-21-5786, CPM-15 image03 and image11, CRCHistoPhenotypes img81-img100
# (scored by scripts/evaluate-holdout.sh) and, in stage 4, every patch of CoNSeP train_3, train_11 and train_19.
# The bundled models are stage 5 (default) and stage 3:
#   cellvit-cli convert --half OUT/stage5/best.pth resources/models/cellvit-studio-x40.safetensors
#   cellvit-cli convert --half OUT/stage3/best.pth resources/models/cellvit-studio-x20.safetensors
# (the bundled run's stage 3 took 48 min; its best validation loss was its last epoch).
#
# usage: scripts/train-default-model.sh OUT [TRAIN]   (TRAIN: the cellvit-train binary)
#   CELLVIT_STAGE3_WEIGHTS=FILE  skip stages 1-3 and start stage 4 from FILE (the bundled
#                                resources/models/cellvit-studio-x20.safetensors is stage 3's fp16 output)
#   CELLVIT_STAGE4_SNAPSHOT=FILE:EPOCH  on a machine without OUT/stage4/last.pth, continue stage 4 from a committed
#                                fp16 snapshot (training/stage4-snapshot/, best after EPOCH epochs): the remaining
#                                epochs at the learning rate the schedule had reached, a new seed (the optimiser's
#                                moments are not in the snapshot, so this is close to, not the same as, a resume)
#   CELLVIT_STAGE5_INIT=FILE     skip stages 1-4 and start stage 5 from FILE (the bundled x40 started from the
#                                committed stage-4 snapshot, training/stage4-snapshot/model.safetensors)
#   CELLVIT_STAGE5_SNAPSHOT=FILE:EPOCH  as CELLVIT_STAGE4_SNAPSHOT, for stage 5 (for an interrupted stage 5 on a
#                                new machine; no stage-5 snapshot is committed: its result is the bundled x40)
set -eu
OUT=$1
TRAIN=${2:-build/app/train/cellvit-train}
D=${CELLVIT_SHARED_DATA:-$(dirname "$0")/../../shared/data}
HOLDOUT=TCGA-21-5786-01Z-00-DX1,image03,image11
i=81
while [ $i -le 100 ]; do HOLDOUT=$HOLDOUT,img$i; i=$((i + 1)); done
common() {
    "$TRAIN" --data "monuseg:$D/monuseg_train_subset" --data "cpm15:$D/cpm15_miccai2015_training" \
        --data "crchistophenotypes:$D/crchistophenotypes_2016_04_28" --holdout "$HOLDOUT" \
        --arch-config cpu-small --magnification 20 --crop 256 --batch 4 --steps-per-epoch 100 \
        --freeze-encoder-epochs 0 --validation-crops 1 --sampling per-source --threads 2 "$@"
}
STAGE3=${CELLVIT_STAGE3_WEIGHTS:-}
if [ -z "$STAGE3" ] && [ -z "${CELLVIT_STAGE5_INIT:-}" ]; then
    [ -f "$OUT/stage1/last.pth" ] || common --epochs 17 --lr 5e-4 --lr-gamma 0.92 --seed 19 --no-np-from-points \
        --out "$OUT/stage1"
    [ -f "$OUT/stage2/best.pth" ] || common --epochs 10 --lr 2e-4 --lr-gamma 0.85 --seed 20 --no-np-from-points \
        --init "$OUT/stage1/last.pth" --out "$OUT/stage2"
    [ -f "$OUT/stage3/done" ] || { common --epochs 20 --lr 2e-4 --lr-gamma 0.9 --seed 21 --hed-stain 0.5:0.12 \
        --init "$OUT/stage2/model.safetensors" --out "$OUT/stage3" && touch "$OUT/stage3/done"; }
    STAGE3=$OUT/stage3/model.safetensors
fi

# Stages 4 and 5 train on all four sources with CoNSeP's classes. Each runs from OUT/stageN/last.pth when it exists
# (an exact resume), else from a committed fp16 snapshot FILE:EPOCH (the remaining epochs at the learning rate the
# schedule had reached, a new seed), else from the given weights.
# usage: classed_stage N MAGNIFICATION EPOCHS LR GAMMA SEED SNAPSHOT INIT
classed_stage() {
    dir=$OUT/stage$1 epochs=$3 lr=$4 seed=$6
    if [ -f "$dir/last.pth" ]; then
        from="--resume $dir/last.pth"
    elif [ -n "$7" ]; then
        done_epochs=${7##*:}
        from="--init ${7%:*}" epochs=$(($3 - done_epochs)) seed=$(($6 + done_epochs))
        lr=$(awk -v lr="$4" -v g="$5" -v n="$done_epochs" 'BEGIN { printf "%.6g", lr * g ^ n }')
    else
        from="--init $8"
    fi
    # shellcheck disable=SC2086 # $from is an option and its path (no spaces in OUT or the snapshot paths)
    "$TRAIN" --data "monuseg:$D/monuseg_train_subset" --data "cpm15:$D/cpm15_miccai2015_training" \
        --data "crchistophenotypes:$D/crchistophenotypes_2016_04_28" --data "consep:$D/consep_train_patches" \
        --holdout "$HOLDOUT,train_3,train_11,train_19" --magnification "$2" --crop 256 --batch 4 \
        --steps-per-epoch 100 --validation-crops 1 --sampling per-source-cell-tissue --hed-stain 0.5:0.12 \
        --superpixels 0.1 --threads 2 --epochs "$epochs" --lr "$lr" --lr-gamma "$5" --seed "$seed" \
        --out "$dir" $from
}
STAGE5_INIT=${CELLVIT_STAGE5_INIT:-}
if [ -z "$STAGE5_INIT" ]; then
    # Stage 4: 20x, 60 epochs of 100 steps; lr 2e-4 decaying by 0.96 per epoch (0.17x at the end).
    classed_stage 4 20 60 2e-4 0.96 22 "${CELLVIT_STAGE4_SNAPSHOT:-}" "$STAGE3"
    STAGE5_INIT=$OUT/stage4/model.safetensors
fi
# Stage 5: the 40x model, 11 epochs of 100 steps; lr 1.5e-4 decaying by 0.95 per epoch.
classed_stage 5 40 11 1.5e-4 0.95 40 "${CELLVIT_STAGE5_SNAPSHOT:-}" "$STAGE5_INIT"
