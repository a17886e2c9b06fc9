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

DecoderBranchImpl::DecoderBranchImpl(const DecoderWidths& w, int64_t outChannels)
{
    const int64_t bn = w.bottleneckDim;
    bottleneck_upsampler = register_module("bottleneck_upsampler", upsample2x(w.embedDim, bn));
    decoder3_upsampler = register_module(
        "decoder3_upsampler", nn::Sequential(makeConv2DBlock(bn * 2, bn), makeConv2DBlock(bn, bn),
                                             makeConv2DBlock(bn, bn), upsample2x(bn, 256)));
    decoder2_upsampler = register_module(
        "decoder2_upsampler", nn::Sequential(makeConv2DBlock(512, 256), makeConv2DBlock(256, 256), upsample2x(256, 128)));
    decoder1_upsampler = register_module(
        "decoder1_upsampler", nn::Sequential(makeConv2DBlock(256, 128), makeConv2DBlock(128, 128), upsample2x(128, 64)));
    decoder0_header = register_module(
        "decoder0_header", nn::Sequential(makeConv2DBlock(128, 64), makeConv2DBlock(64, 64),
                                          nn::Conv2d(nn::Conv2dOptions(64, outChannels, 1))));
}

torch::Tensor DecoderBranchImpl::forward(const std::array<torch::Tensor, 4>& skip, const torch::Tensor& z4)
{
    // Concatenation order is always [skip, upsampled].
    auto b = bottleneck_upsampler->forward(z4);
    b = decoder3_upsampler->forward(torch::cat({ skip[3], b }, 1));
    b = decoder2_upsampler->forward(torch::cat({ skip[2], b }, 1));
    b = decoder1_upsampler->forward(torch::cat({ skip[1], b }, 1));
    return decoder0_header->forward(torch::cat({ skip[0], b }, 1));
}

SharedSkips SharedSkips::create(const DecoderWidths& w)
{
    return { nn::Sequential(makeConv2DBlock(3, 32), makeConv2DBlock(32, 64)),
             nn::Sequential(makeDeconv2DBlock(w.embedDim, w.skipDim11), makeDeconv2DBlock(w.skipDim11, w.skipDim12),
                            makeDeconv2DBlock(w.skipDim12, 128)),
             nn::Sequential(makeDeconv2DBlock(w.embedDim, w.skipDim11), makeDeconv2DBlock(w.skipDim11, 256)),
             nn::Sequential(makeDeconv2DBlock(w.embedDim, w.bottleneckDim)) };
}

} // namespace cellvit::model
