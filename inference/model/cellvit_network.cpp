#include "inference/model/cellvit_network.h"

#include "inference/model/cppnet_refinement.h"

#include <torch/nn.h>

namespace cellvit::model {

namespace nn = torch::nn;

namespace {

nn::Conv2d conv1x1(int64_t in, int64_t out, bool bias)
{
    return nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(bias));
}

} // namespace

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
    if (spec.decoder == DecoderKind::StarDistShared) {
        m_sharedDecoderSkips = skips;
        sharedDecoder = register_module("decoder", DecoderBranch(widths, 0, &m_sharedDecoderSkips));
        stardistHeader = register_module("stardist_header", nn::Sequential(conv1x1(widths.stage1, spec.nrays, true),
                                                                           nn::ReLU()));
        distHeader = register_module("dist_header", conv1x1(widths.stage1, 1, true));
        typeHeader = register_module("nuclei_type_maps_header", conv1x1(widths.stage1, spec.numNucleiClasses, true));
    } else {
        decoder0 = register_module("decoder0", skips.decoder0);
        decoder1 = register_module("decoder1", skips.decoder1);
        decoder2 = register_module("decoder2", skips.decoder2);
        decoder3 = register_module("decoder3", skips.decoder3);
    }

    switch (spec.decoder) {
    case DecoderKind::HoverNet:
        nucleiBinaryBranch = register_module("nuclei_binary_map_decoder",
                                             DecoderBranch(widths, spec.regressionLoss ? 4 : 2));
        hvBranch = register_module("hv_map_decoder", DecoderBranch(widths, 2));
        nucleiTypeBranch = register_module("nuclei_type_maps_decoder", DecoderBranch(widths, spec.numNucleiClasses));
        break;
    case DecoderKind::StarDist:
        stardistBranch = register_module("stardist_decoder", DecoderBranch(widths, spec.nrays));
        distBranch = register_module("dist_decoder", DecoderBranch(widths, 1));
        nucleiTypeBranch = register_module("nuclei_type_maps_decoder", DecoderBranch(widths, spec.numNucleiClasses));
        break;
    case DecoderKind::CppNet: {
        // Every branch ends in 32 features; 1×1 heads without bias make the maps.
        constexpr int64_t kFeatures = 32;
        stardistBranch = register_module("stardist_decoder", DecoderBranch(widths, kFeatures));
        distBranch = register_module("dist_decoder", DecoderBranch(widths, kFeatures));
        nucleiTypeBranch = register_module("nuclei_type_maps_decoder", DecoderBranch(widths, kFeatures));
        stardistHead = register_module("stardist_head", conv1x1(kFeatures, spec.nrays, false));
        distHead = register_module("dist_head", conv1x1(kFeatures, 1, false));
        typeHead = register_module("type_head", conv1x1(kFeatures, spec.numNucleiClasses, false));
        break;
    }
    case DecoderKind::StarDistShared:
        break;
    }

    if (spec.encoder == EncoderKind::Sam || spec.isStarDistFamily())
        classifierHead = register_module("classifier_head", torch::nn::Linear(spec.outChans, spec.numTissueClasses));
    if (spec.decoder == DecoderKind::CppNet) {
        const auto candidates = static_cast<int64_t>(erosionFactors.size()) + 1;
        conv0Confidence = register_module("conv_0_confidence", conv1x1(32, spec.nrays, false));
        conv1Confidence = register_module("conv_1_confidence", conv1x1(candidates, candidates, true));
    }
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

    // The skip paths are identical for all branches in eval mode: compute them once
    // (the reference recomputes them per branch, 16 % of CellViT-256's FLOPs at 1024²).
    const SharedSkips& skipModules = sharedDecoder
        ? m_sharedDecoderSkips
        : SharedSkips { decoder0, decoder1, decoder2, decoder3 };
    auto skip0 = skipModules.decoder0, skip1 = skipModules.decoder1, skip2 = skipModules.decoder2,
         skip3 = skipModules.decoder3;
    const std::array<torch::Tensor, 4> shared { forwardCancellable(skip0, image, isCancelled),
                                                forwardCancellable(skip1, encoded.skips[0], isCancelled),
                                                forwardCancellable(skip2, encoded.skips[1], isCancelled),
                                                forwardCancellable(skip3, encoded.skips[2], isCancelled) };
    switch (spec.decoder) {
    case DecoderKind::HoverNet:
        forwardHoverNet(shared, encoded.skips[3], out, isCancelled);
        break;
    case DecoderKind::StarDist:
    case DecoderKind::StarDistShared:
        forwardStarDist(shared, encoded.skips[3], out, isCancelled);
        break;
    case DecoderKind::CppNet:
        forwardCppNet(shared, encoded.skips[3], out, isCancelled);
        break;
    }
    return out;
}

void CellVitNetworkImpl::forwardHoverNet(const std::array<torch::Tensor, 4>& shared, const torch::Tensor& z4,
                                         NetworkOutputs& out, const CancellationCheck& isCancelled)
{
    auto binary = nucleiBinaryBranch->forward(shared, z4, isCancelled);
    if (spec.regressionLoss) {
        out.regressionMap = binary.narrow(1, 2, 2);
        binary = binary.narrow(1, 0, 2);
    }
    out.nucleiBinaryMap = binary;
    out.hvMap = hvBranch->forward(shared, z4, isCancelled);
    out.nucleiTypeMap = nucleiTypeBranch->forward(shared, z4, isCancelled);
}

void CellVitNetworkImpl::forwardStarDist(const std::array<torch::Tensor, 4>& shared, const torch::Tensor& z4,
                                         NetworkOutputs& out, const CancellationCheck& isCancelled)
{
    if (sharedDecoder) {
        const torch::Tensor features = sharedDecoder->forward(shared, z4, isCancelled);
        out.stardistMap = stardistHeader->forward(features);
        out.distMap = distHeader->forward(features);
        out.nucleiTypeMap = typeHeader->forward(features);
        return;
    }
    out.stardistMap = torch::relu(stardistBranch->forward(shared, z4, isCancelled));
    out.distMap = distBranch->forward(shared, z4, isCancelled);
    out.nucleiTypeMap = nucleiTypeBranch->forward(shared, z4, isCancelled);
}

void CellVitNetworkImpl::forwardCppNet(const std::array<torch::Tensor, 4>& shared, const torch::Tensor& z4,
                                       NetworkOutputs& out, const CancellationCheck& isCancelled)
{
    const torch::Tensor stardistFeatures = stardistBranch->forward(shared, z4, isCancelled);
    const torch::Tensor distFeatures = distBranch->forward(shared, z4, isCancelled);
    // v1 @05097e1 (the golden vectors) takes the type features from nuclei_type_maps_decoder; some later revisions
    // of cellvit_cpp_net.py pass dist_decoder there instead.
    const torch::Tensor typeFeatures = nucleiTypeBranch->forward(shared, z4, isCancelled);
    out.stardistMap = stardistHead->forward(stardistFeatures);
    out.distMap = distHead->forward(distFeatures);
    out.nucleiTypeMap = typeHead->forward(typeFeatures);
    throwIfCancelled(isCancelled);
    out.stardistMapRefined = cppNetRefine(out.stardistMap, stardistFeatures);
}

torch::Tensor CellVitNetworkImpl::cppNetRefine(const torch::Tensor& rays, const torch::Tensor& features)
{
    if (!conv0Confidence)
        throw std::logic_error("cppNetRefine: not a CPP-Net model");
    return refineRays(rays, features, *conv0Confidence, *conv1Confidence, erosionFactors);
}

} // namespace cellvit::model
