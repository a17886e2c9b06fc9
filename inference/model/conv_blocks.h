#pragma once
// UNETR decoder building blocks with the reference module layout: the layers sit in a child
// Sequential named `block`, so state-dict keys read `<i>.block.<j>.weight` as in CellViT.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace cellvit::model {

struct BlockImpl : torch::nn::Module {
    BlockImpl(torch::nn::Sequential layers, bool startsWithTranspose);
    torch::Tensor forward(const torch::Tensor& x);

    // Inference only: folds BatchNorm into the preceding 3×3 convolution and runs ReLU in place,
    // saving two full passes over every decoder activation. The registered (state-dict) tensors are
    // left untouched; the folded copy lives beside them.
    void fuseForInference();

    torch::nn::Sequential block;
    bool startsWithTranspose;
    torch::Tensor fusedWeight, fusedBias; // defined once fused
};
TORCH_MODULE(Block);

// Conv2DBlock: Conv3×3 (pad 1, bias) → BatchNorm2d → ReLU → Dropout.
Block makeConv2DBlock(int64_t in, int64_t out, double dropout = 0.0);
// Deconv2DBlock: ConvTranspose2d(k2, s2) → Conv3×3 → BatchNorm2d → ReLU → Dropout.
Block makeDeconv2DBlock(int64_t in, int64_t out, double dropout = 0.0);

// Calls fuseForInference() on every Block below `root`.
void fuseBlocksForInference(torch::nn::Module& root);

} // namespace cellvit::model
