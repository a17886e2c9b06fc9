#pragma once
// The loss of the STARDIST / CPP-Net decoders with the reference defaults: ExperimentCellViTStarDist.get_loss_fn
// (`cell_segmentation/experiments/experiment_stardist_pannuke.py`), ExperimentCellViTCPP.get_loss_fn
// (`experiment_cpp_net_pannuke.py`), applied by CellViTStarDistTrainer.calculate_loss (`trainer_stardist.py`) with
// the functions of `base_ml/base_loss.py`:
//   dist_map              BCEWithLogitsLoss ×1 against the soft object-probability target (instanceObjectProbability)
//   stardist_map          L1LossWeighted ×1: mean over rays of |prediction − target|, times the object-probability
//                         target per pixel (background pixels, weight 0, never pull the rays), mean over pixels
//   stardist_map_refined  (CPP-Net) the same L1LossWeighted ×1 of the refined rays against the same rays target
//   nuclei_type_map       xentropy_loss ×1 + dice_loss ×1 on the softmax (no focal Tversky, unlike HoVer-Net)
//   tissue_types          no loss ("skip default tissue loss!"): the tissue head is not trained
// Added to the reference, as in cellVitLoss: nt_nucleus (weight = nt_ce's) for nucleus pixels of unknown class.
// All terms only look at pixels whose outlines (dist/rays) or classes (NT) are known (segmentationMask, typeMask);
// with everything labelled they equal the reference's means over all pixels.

#include "inference/model/cellvit_network.h"
#include "inference/training/cellvit_loss.h"
#include "inference/training/training_batch.h"
#include "model_zoo/model_spec.h"

#include <string>
#include <vector>

namespace cellvit::training {

struct StarDistLossWeights {
    double distBce = 1.0, raysL1 = 1.0, raysRefinedL1 = 1.0;
    double ntCrossEntropy = 1.0, ntDice = 1.0;
    double ntNucleus = 1.0; // as ntCrossEntropy: it is the cross-entropy of "nucleus" vs "background"
};

// dist_bce, rays_l1, [rays_refined_l1 for CPP-Net], nt_ce, nt_dice, nt_nucleus.
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
    const StarDistLossWeights& weights = {});

} // namespace cellvit::training
