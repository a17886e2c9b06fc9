#include "inference/model/conv_blocks.h"

#include <torch/nn.h>

namespace cellvit::model {

BlockImpl::BlockImpl(torch::nn::Sequential layers)
    : block(register_module("block", std::move(layers)))
{
}

Block makeConv2DBlock(int64_t in, int64_t out, double dropout)
{
    namespace nn = torch::nn;
    return Block(nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)), nn::BatchNorm2d(out),
                                nn::ReLU(), nn::Dropout(dropout)));
}

Block makeDeconv2DBlock(int64_t in, int64_t out, double dropout)
{
    namespace nn = torch::nn;
    return Block(nn::Sequential(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 2).stride(2)),
                                nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1)), nn::BatchNorm2d(out),
                                nn::ReLU(), nn::Dropout(dropout)));
}

} // namespace cellvit::model
