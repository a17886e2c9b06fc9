#include "inference/model/conv_blocks.h"

#include <torch/nn.h>

namespace cellvit::model {

namespace nn = torch::nn;

BlockImpl::BlockImpl(nn::Sequential layers, bool transposeFirst)
    : block(register_module("block", std::move(layers)))
    , startsWithTranspose(transposeFirst)
{
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x)
{
    if (!fusedWeight.defined() || is_training())
        return block->forward(x);
    torch::Tensor y = startsWithTranspose ? block[0]->as<nn::ConvTranspose2dImpl>()->forward(x) : x;
    return torch::conv2d(y, fusedWeight, fusedBias, 1, 1).relu_();
}

void BlockImpl::fuseForInference()
{
    const size_t convIndex = startsWithTranspose ? 1 : 0;
    auto* conv = block[convIndex]->as<nn::Conv2dImpl>();
    auto* bn = block[convIndex + 1]->as<nn::BatchNorm2dImpl>();
    torch::NoGradGuard noGrad;
    const auto scale = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
    fusedWeight = (conv->weight * scale.view({ -1, 1, 1, 1 })).contiguous(conv->weight.suggest_memory_format());
    fusedBias = (conv->bias - bn->running_mean) * scale + bn->bias;
}

Block makeConv2DBlock(int64_t in, int64_t out, double dropout)
{
    return Block(nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)), nn::BatchNorm2d(out),
                                nn::ReLU(), nn::Dropout(dropout)),
                 false);
}

Block makeDeconv2DBlock(int64_t in, int64_t out, double dropout)
{
    return Block(nn::Sequential(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 2).stride(2)),
                                nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1)), nn::BatchNorm2d(out),
                                nn::ReLU(), nn::Dropout(dropout)),
                 true);
}

void fuseBlocksForInference(torch::nn::Module& root)
{
    for (const auto& module : root.modules(/*include_self=*/true)) {
        if (auto* b = module->as<BlockImpl>())
            b->fuseForInference();
    }
}

} // namespace cellvit::model
