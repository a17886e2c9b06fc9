#pragma once
// UNETR decoder building blocks with the reference module layout: the layers sit in a child
// Sequential named `block`, so state-dict keys read `<i>.block.<j>.weight` as in CellViT.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace cellvit::model {

struct BlockImpl : torch::nn::Module {
    explicit BlockImpl(torch::nn::Sequential layers);
    torch::Tensor forward(const torch::Tensor& x) { return block->forward(x); }
    torch::nn::Sequential block;
};
TORCH_MODULE(Block);

// Conv2DBlock: Conv3×3 (pad 1, bias) → BatchNorm2d → ReLU → Dropout.
Block makeConv2DBlock(int64_t in, int64_t out, double dropout = 0.0);
// Deconv2DBlock: ConvTranspose2d(k2, s2) → Conv3×3 → BatchNorm2d → ReLU → Dropout.
Block makeDeconv2DBlock(int64_t in, int64_t out, double dropout = 0.0);

} // namespace cellvit::model
