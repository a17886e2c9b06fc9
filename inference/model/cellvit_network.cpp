#include "inference/model/cellvit_network.h"

#include <torch/nn.h>

namespace cellvit::model {

CellVitNetworkImpl::CellVitNetworkImpl(const ModelSpec& s)
    : spec(s)
{
    // Registration order defines the state-dict order, which follows the reference.
    if (spec.encoder == EncoderKind::Sam)
        samEncoder = register_module("encoder", SamEncoder(spec));
    else
        vitEncoder = register_module("encoder", VitEncoder(spec));

    const DecoderWidths widths = decoderWidthsFor(spec);
    auto skips = SharedSkips::create(widths);
    decoder0 = register_module("decoder0", skips.decoder0);
    decoder1 = register_module("decoder1", skips.decoder1);
    decoder2 = register_module("decoder2", skips.decoder2);
    decoder3 = register_module("decoder3", skips.decoder3);
    nucleiBinaryBranch = register_module("nuclei_binary_map_decoder",
                                         DecoderBranch(widths, spec.regressionLoss ? 4 : 2));
    hvBranch = register_module("hv_map_decoder", DecoderBranch(widths, 2));
    nucleiTypeBranch = register_module("nuclei_type_maps_decoder", DecoderBranch(widths, spec.numNucleiClasses));
    if (spec.encoder == EncoderKind::Sam)
        classifierHead = register_module("classifier_head", torch::nn::Linear(spec.outChans, spec.numTissueClasses));
}

NetworkOutputs CellVitNetworkImpl::forward(const torch::Tensor& image, const CancellationCheck& isCancelled)
{
    if (image.dim() != 4 || image.size(1) != spec.inputChannels || image.size(2) % 16 != 0 || image.size(3) % 16 != 0)
        throw std::invalid_argument("CellViT input must be B×" + std::to_string(spec.inputChannels)
                                    + "×H×W with H and W multiples of 16");
    EncoderOutput encoded = samEncoder ? samEncoder->forward(image, isCancelled) : vitEncoder->forward(image, isCancelled);
    if (!channelsLast) {
        for (auto& skip : encoded.skips)
            skip = skip.contiguous();
    }

    NetworkOutputs out;
    out.tissueTypes = samEncoder ? classifierHead->forward(encoded.tissueLogits) : encoded.tissueLogits;
    out.tokens = encoded.skips[3];

    // The skip paths are identical for all three branches in eval mode: compute them once
    // (the reference recomputes them per branch, 16 % of CellViT-256's FLOPs at 1024²).
    const std::array<torch::Tensor, 4> shared { forwardCancellable(decoder0, image, isCancelled),
                                                forwardCancellable(decoder1, encoded.skips[0], isCancelled),
                                                forwardCancellable(decoder2, encoded.skips[1], isCancelled),
                                                forwardCancellable(decoder3, encoded.skips[2], isCancelled) };
    auto binary = nucleiBinaryBranch->forward(shared, encoded.skips[3], isCancelled);
    if (spec.regressionLoss) {
        out.regressionMap = binary.narrow(1, 2, 2);
        binary = binary.narrow(1, 0, 2);
    }
    out.nucleiBinaryMap = binary;
    out.hvMap = hvBranch->forward(shared, encoded.skips[3], isCancelled);
    out.nucleiTypeMap = nucleiTypeBranch->forward(shared, encoded.skips[3], isCancelled);
    return out;
}

} // namespace cellvit::model
