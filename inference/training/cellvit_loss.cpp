#include "inference/training/cellvit_loss.h"

#include "inference/training/segmentation_losses.h"

#include <torch/torch.h>

namespace cellvit::training {

const std::vector<std::string>& lossTermNames()
{
    static const std::vector<std::string> names { "np_ft", "np_dice", "hv_mse", "hv_msge", "nt_ce", "nt_dice", "nt_ft",
        "tissue_ce", "nt_nucleus" };
    return names;
}

LossResult weightedLossSum(const std::vector<std::pair<torch::Tensor, double>>& terms)
{
    LossResult result;
    result.total = torch::zeros({}, terms.front().first.options());
    for (const auto& [value, weight] : terms) {
        result.total = result.total + weight * value;
        result.terms.push_back(value.item<double>());
    }
    return result;
}

LossResult cellVitLoss(const model::NetworkOutputs& out, const TrainingBatch& batch, const LossWeights& w)
{
    const auto npProbabilities = torch::softmax(out.nucleiBinaryMap, 1);
    const auto npOneHot = torch::one_hot(batch.nucleusLabels, 2).permute({ 0, 3, 1, 2 }).to(torch::kFloat32);
    const auto ntClasses = out.nucleiTypeMap.size(1);
    const auto ntProbabilities = torch::softmax(out.nucleiTypeMap, 1);
    const auto ntOneHot = torch::one_hot(batch.typeLabels, ntClasses).permute({ 0, 3, 1, 2 }).to(torch::kFloat32);
    const auto& seg = batch.segmentationMask;
    const auto& binary = batch.binaryMask.defined() ? batch.binaryMask : seg;
    const auto& typeMask = batch.typeMask;
    // MSGE looks at labelled nuclei only (HoVer-Net's "focus" = the NP target).
    const auto focus = npOneHot.narrow(1, 1, 1) * seg;

    const std::vector<std::pair<torch::Tensor, double>> terms {
        { focalTverskyLoss(npProbabilities, npOneHot, binary), w.npFocalTversky },
        { diceLoss(npProbabilities, npOneHot, binary), w.npDice },
        { maskedMseLoss(out.hvMap, batch.hv, seg), w.hvMse },
        { msgeLoss(out.hvMap, batch.hv, focus), w.hvMsge },
        { pixelCrossEntropyLoss(out.nucleiTypeMap, batch.typeLabels, typeMask), w.ntCrossEntropy },
        { diceLoss(ntProbabilities, ntOneHot, typeMask), w.ntDice },
        { multiClassFocalTverskyLoss(ntProbabilities, ntOneHot, typeMask), w.ntFocalTversky },
        { torch::nn::functional::cross_entropy(out.tissueTypes, batch.tissueLabels), w.tissueCrossEntropy },
        { untypedNucleusLoss(out.nucleiTypeMap, batch.untypedNucleusMask), w.ntNucleus },
    };
    return weightedLossSum(terms);
}

} // namespace cellvit::training
