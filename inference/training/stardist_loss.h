#pragma once
// The loss of the STARDIST / CPP-Net decoders (reference ExperimentCellViTStarDist / ExperimentCellViTCPP defaults,
// v1 `base_ml/base_loss.py`): BCE-with-logits of the object probability against its soft target
// (instanceObjectProbability), L1 of the rays averaged over the rays and weighted per pixel by that target
// (L1LossWeighted: background pixels, weight 0, never pull the rays), for CPP-Net the same L1 on the refined rays;
// the NT and tissue terms as in cellVitLoss. All terms only look at pixels whose outlines are known
// (segmentationMask); with everything labelled they equal the reference's means.

#include "inference/model/cellvit_network.h"
#include "inference/training/cellvit_loss.h"
#include "inference/training/training_batch.h"
#include "model_zoo/model_spec.h"

#include <string>
#include <vector>

namespace cellvit::training {

// dist_bce, rays_l1, [rays_refined_l1 for CPP-Net], nt_ce, nt_dice, nt_ft, tissue_ce, nt_nucleus.
std::vector<std::string> starDistLossTermNames(DecoderKind decoder);

// Mean over labelled pixels of −[t·log σ(x) + (1 − t)·log(1 − σ(x))]; logits, target, mask B×1×H×W.
torch::Tensor maskedBceWithLogitsLoss(
    const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& mask = {});

// Mean over labelled pixels of weight · mean over rays |prediction − target|; prediction/target B×R×H×W,
// weight/mask B×1×H×W.
torch::Tensor weightedRayL1Loss(const torch::Tensor& prediction, const torch::Tensor& target,
    const torch::Tensor& weight, const torch::Tensor& mask = {});

// Needs batch.objectProbability and batch.rays (makeTrainingBatch fills them for STARDIST-family specs).
LossResult starDistLoss(const model::NetworkOutputs& outputs, const TrainingBatch& batch, DecoderKind decoder,
    const LossWeights& weights = {});

} // namespace cellvit::training
