#include "inference/model/unetr_decoder.h"

#include <torch/nn.h>

namespace cellvit::model {

namespace nn = torch::nn;
namespace {

nn::ConvTranspose2d upsample2x(int64_t in, int64_t out)
{
    return nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 2).stride(2));
}

} // namespace

DecoderBranchImpl::DecoderBranchImpl(const DecoderWidths& w, int64_t outChannels, const SharedSkips* ownSkips)
{
    if (ownSkips) {
        register_module("decoder0_skip", ownSkips->decoder0);
        register_module("decoder1_skip", ownSkips->decoder1);
        register_module("decoder2_skip", ownSkips->decoder2);
        register_module("decoder3_skip", ownSkips->decoder3);
    }
    const int64_t bn = w.bottleneckDim;
    bottleneck_upsampler = register_module("bottleneck_upsampler", upsample2x(w.embedDim, bn));
    decoder3_upsampler = register_module(
        "decoder3_upsampler", nn::Sequential(makeConv2DBlock(bn * 2, bn), makeConv2DBlock(bn, bn),
                                             makeConv2DBlock(bn, bn), upsample2x(bn, w.stage3)));
    decoder2_upsampler = register_module(
        "decoder2_upsampler", nn::Sequential(makeConv2DBlock(w.stage3 * 2, w.stage3), makeConv2DBlock(w.stage3, w.stage3),
                                             upsample2x(w.stage3, w.stage2)));
    decoder1_upsampler = register_module(
        "decoder1_upsampler", nn::Sequential(makeConv2DBlock(w.stage2 * 2, w.stage2), makeConv2DBlock(w.stage2, w.stage2),
                                             upsample2x(w.stage2, w.stage1)));
    nn::Sequential header(makeConv2DBlock(w.stage1 * 2, w.stage1), makeConv2DBlock(w.stage1, w.stage1));
    if (outChannels > 0)
        header->push_back(nn::Conv2d(nn::Conv2dOptions(w.stage1, outChannels, 1)));
    decoder0_header = register_module("decoder0_header", header);
}

torch::Tensor DecoderBranchImpl::forward(const std::array<torch::Tensor, 4>& skip, const torch::Tensor& z4,
                                         const CancellationCheck& isCancelled)
{
    // Concatenation order is always [skip, upsampled].
    auto b = upsampleCancellable(*bottleneck_upsampler, z4, isCancelled);
    b = forwardCancellable(decoder3_upsampler, torch::cat({ skip[3], b }, 1), isCancelled);
    b = forwardCancellable(decoder2_upsampler, torch::cat({ skip[2], b }, 1), isCancelled);
    b = forwardCancellable(decoder1_upsampler, torch::cat({ skip[1], b }, 1), isCancelled);
    return forwardCancellable(decoder0_header, torch::cat({ skip[0], b }, 1), isCancelled);
}

SharedSkips SharedSkips::create(const DecoderWidths& w)
{
    return { nn::Sequential(makeConv2DBlock(3, w.stage0), makeConv2DBlock(w.stage0, w.stage1)),
             nn::Sequential(makeDeconv2DBlock(w.embedDim, w.skipDim11), makeDeconv2DBlock(w.skipDim11, w.skipDim12),
                            makeDeconv2DBlock(w.skipDim12, w.stage2)),
             nn::Sequential(makeDeconv2DBlock(w.embedDim, w.skipDim11), makeDeconv2DBlock(w.skipDim11, w.stage3)),
             nn::Sequential(makeDeconv2DBlock(w.embedDim, w.bottleneckDim)) };
}

DecoderWidths decoderWidthsFor(const ModelSpec& spec)
{
    DecoderWidths widths { spec.embedDim, spec.skipDim11(), spec.skipDim12(), spec.bottleneckDim() };
    widths.stage3 = spec.scaledWidth(256);
    widths.stage2 = spec.scaledWidth(128);
    widths.stage1 = spec.scaledWidth(64);
    widths.stage0 = spec.scaledWidth(32);
    return widths;
}

} // namespace cellvit::model
