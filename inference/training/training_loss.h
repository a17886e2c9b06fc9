#pragma once
// The trainer's loss for any decoder: cellVitLoss for HoVer-Net decoders, starDistLoss for STARDIST / CPP-Net.

#include "inference/training/cellvit_loss.h"
#include "inference/training/stardist_loss.h"
#include "model_zoo/model_spec.h"

#include <string>
#include <vector>

namespace cellvit::training {

// Term names (CSV columns, progress lines) in LossResult::terms order for this decoder.
std::vector<std::string> lossTermNames(DecoderKind decoder);

// `hoverNet` weighs HoVer-Net decoders' terms, `starDist` those of STARDIST / CPP-Net.
LossResult trainingLoss(const model::NetworkOutputs& outputs, const TrainingBatch& batch, DecoderKind decoder,
    const LossWeights& hoverNet = {}, const StarDistLossWeights& starDist = {});

} // namespace cellvit::training
