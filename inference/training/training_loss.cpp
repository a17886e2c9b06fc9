#include "inference/training/training_loss.h"

#include "inference/training/stardist_loss.h"

namespace cellvit::training {

std::vector<std::string> lossTermNames(DecoderKind decoder)
{
    return decoder == DecoderKind::HoverNet ? lossTermNames() : starDistLossTermNames(decoder);
}

LossResult trainingLoss(
    const model::NetworkOutputs& outputs, const TrainingBatch& batch, DecoderKind decoder, const LossWeights& weights)
{
    return decoder == DecoderKind::HoverNet ? cellVitLoss(outputs, batch, weights)
                                            : starDistLoss(outputs, batch, decoder, weights);
}

} // namespace cellvit::training
