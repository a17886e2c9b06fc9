#pragma once
// UNETR decoder building blocks with the reference module layout: the layers sit in a child
// Sequential named `block`, so state-dict keys read `<i>.block.<j>.weight` as in CellViT.

#include "inference/model/inference_cancelled.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace cellvit::model {

struct BlockImpl : torch::nn::Module {
    BlockImpl(torch::nn::Sequential layers, bool startsWithTranspose);
    torch::Tensor forward(const torch::Tensor& x);
    // The same result as forward(x), with cancellation checks between its layers; when fused, a large
    // convolution runs in row bands with a check between them (one whole 1024² convolution takes about a
    // second on two CPU cores). Not an overload of forward: Sequential needs a single forward.
    torch::Tensor forwardCancellable(const torch::Tensor& x, const CancellationCheck& isCancelled);

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

// up->forward(x) for a 2×2 stride-2 transposed convolution, with a cancellation check between bands of input
// rows (LibTorch runs these on the CPU far below the convolutions' speed: 17 GFLOP take about a second).
// Output rows 2r, 2r+1 depend on input row r only, so the bands are exact. Other kernels run in one piece.
torch::Tensor upsampleCancellable(torch::nn::ConvTranspose2dImpl& up, const torch::Tensor& x,
                                  const CancellationCheck& isCancelled);

// stage->forward(x), layer by layer with a cancellation check before each layer (Blocks check inside too).
// Without a check this is exactly stage->forward(x).
torch::Tensor forwardCancellable(torch::nn::Sequential& stage, torch::Tensor x, const CancellationCheck& isCancelled);

// Calls fuseForInference() on every Block below `root`.
void fuseBlocksForInference(torch::nn::Module& root);

} // namespace cellvit::model
