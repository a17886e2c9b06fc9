#include "inference/training/stardist_loss.h"

#include "inference/training/segmentation_losses.h"

#include <torch/torch.h>

namespace cellvit::training {
namespace {

// Mean of `perPixel` (B×1×H×W) over the mask's pixels; 0 when none is labelled.
torch::Tensor maskedMean(const torch::Tensor& perPixel, const torch::Tensor& mask)
{
    if (!mask.defined())
        return perPixel.mean();
    return (perPixel * mask).sum() / mask.sum().clamp_min(1.0);
}

} // namespace

std::vector<std::string> starDistLossTermNames(DecoderKind decoder)
{
    std::vector<std::string> names { "dist_bce", "rays_l1" };
    if (decoder == DecoderKind::CppNet)
        names.push_back("rays_refined_l1");
    for (const char* n : { "nt_ce", "nt_dice", "nt_nucleus" })
        names.emplace_back(n);
    return names;
}

torch::Tensor maskedBceWithLogitsLoss(
    const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& mask)
{
    namespace F = torch::nn::functional;
    const auto perPixel = F::binary_cross_entropy_with_logits(
        logits, target, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
    return maskedMean(perPixel, mask);
}

torch::Tensor weightedRayL1Loss(const torch::Tensor& prediction, const torch::Tensor& target,
    const torch::Tensor& weight, const torch::Tensor& mask)
{
    const auto perPixel = (prediction - target).abs().mean(1, /*keepdim=*/true) * weight;
    return maskedMean(perPixel, mask);
}

LossResult starDistLoss(
    const model::NetworkOutputs& out, const TrainingBatch& batch, DecoderKind decoder, const StarDistLossWeights& w)
{
    if (!batch.objectProbability.defined() || !batch.rays.defined())
        throw std::invalid_argument("STARDIST loss: the batch has no object-probability / ray targets");
    if (decoder == DecoderKind::CppNet && !out.stardistMapRefined.defined())
        throw std::invalid_argument("CPP-Net loss: the network gave no refined rays");
    const auto& seg = batch.segmentationMask;
    const auto& prob = batch.objectProbability;
    const auto ntClasses = out.nucleiTypeMap.size(1);
    const auto ntProbabilities = torch::softmax(out.nucleiTypeMap, 1);
    const auto ntOneHot = torch::one_hot(batch.typeLabels, ntClasses).permute({ 0, 3, 1, 2 }).to(torch::kFloat32);
    const auto& typeMask = batch.typeMask;

    std::vector<std::pair<torch::Tensor, double>> terms {
        { maskedBceWithLogitsLoss(out.distMap, prob, seg), w.distBce },
        { weightedRayL1Loss(out.stardistMap, batch.rays, prob, seg), w.raysL1 },
    };
    if (decoder == DecoderKind::CppNet)
        terms.emplace_back(weightedRayL1Loss(out.stardistMapRefined, batch.rays, prob, seg), w.raysRefinedL1);
    terms.emplace_back(pixelCrossEntropyLoss(out.nucleiTypeMap, batch.typeLabels, typeMask), w.ntCrossEntropy);
    terms.emplace_back(diceLoss(ntProbabilities, ntOneHot, typeMask), w.ntDice);
    terms.emplace_back(untypedNucleusLoss(out.nucleiTypeMap, batch.untypedNucleusMask), w.ntNucleus);

    return weightedLossSum(terms);
}

} // namespace cellvit::training
