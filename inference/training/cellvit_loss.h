#pragma once
// The weighted sum of all CellViT loss terms (reference §6): NP FocalTversky + Dice, HV MSE + MSGE,
// NT CE + Dice + multi-class FocalTversky, tissue CE. binaryMask gates NP, segmentationMask HV, typeMask NT.
// Added to the reference: nt_nucleus, -log P(any nucleus class) on nucleus pixels of unknown class
// (TrainingBatch::untypedNucleusMask), so that segmentation-only data also teaches the type branch nuclei.

#include "inference/model/cellvit_network.h"
#include "inference/training/training_batch.h"

#include <string>
#include <utility>
#include <vector>

namespace cellvit::training {

// HoVer-Net decoders; STARDIST / CPP-Net have their own defaults (StarDistLossWeights).
struct LossWeights {
    double npFocalTversky = 1.0, npDice = 1.0;
    double hvMse = 2.5, hvMsge = 8.0;
    double ntCrossEntropy = 0.5, ntDice = 0.2, ntFocalTversky = 0.5;
    double tissueCrossEntropy = 0.1;
    double ntNucleus = 0.5; // as ntCrossEntropy: it is the cross-entropy of "nucleus" vs "background"
};

// Term names in a fixed order (CSV columns): np_ft, np_dice, hv_mse, hv_msge, nt_ce, nt_dice, nt_ft, tissue_ce,
// nt_nucleus.
const std::vector<std::string>& lossTermNames();

struct LossResult {
    torch::Tensor total; // weighted sum, differentiable
    std::vector<double> terms; // unweighted values in lossTermNames() order
};

// Σ weight · value over the terms, and each term's unweighted value in order (every decoder's loss ends so).
LossResult weightedLossSum(const std::vector<std::pair<torch::Tensor, double>>& terms);

LossResult cellVitLoss(
    const model::NetworkOutputs& outputs, const TrainingBatch& batch, const LossWeights& weights = {});

} // namespace cellvit::training
