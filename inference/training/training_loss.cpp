#include "inference/training/training_loss.h"

namespace cellvit::training {

std::vector<std::string> lossTermNames(DecoderKind decoder)
{
    return decoder == DecoderKind::HoverNet ? lossTermNames() : starDistLossTermNames(decoder);
}

LossResult trainingLoss(const model::NetworkOutputs& outputs, const TrainingBatch& batch, DecoderKind decoder,
    const LossWeights& hoverNet, const StarDistLossWeights& starDist)
{
    return decoder == DecoderKind::HoverNet ? cellVitLoss(outputs, batch, hoverNet)
                                            : starDistLoss(outputs, batch, decoder, starDist);
}

} // namespace cellvit::training
