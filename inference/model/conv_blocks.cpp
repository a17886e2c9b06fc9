#include "inference/model/conv_blocks.h"

#include <torch/nn.h>

#include <algorithm>

namespace cellvit::model {

namespace nn = torch::nn;
namespace {

// Work between two cancellation checks inside one convolution: about 0.1 s on two idle CPU cores, so a
// check still comes well within a second on a busy machine. Smaller bands cost more in per-call overhead.
constexpr double kFlopsPerBand = 16e9;
// The same for the 2×2 stride-2 transposed convolutions, which LibTorch runs about eight times slower per FLOP.
constexpr double kTransposeFlopsPerBand = 2e9;

// conv3x3 (stride 1, padding 1) + in-place ReLU, computed in bands of output rows with a cancellation check
// before each. A band convolves its rows plus one halo row above and below and keeps the rows whose 3×3
// window lies inside the slice, so each output value sees the same inputs in the same order as in one
// convolution: the result is bit-identical (tst_model_cancellation compares them). The result takes the
// memory format the convolution gives a band (channels-last with the fused channels-last weights), which is
// the one it gives the whole input.
torch::Tensor conv3x3ReluInBands(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                 const CancellationCheck& isCancelled)
{
    const int64_t rows = x.size(2), cols = x.size(3);
    const double flopsPerRow = 2.0 * 9 * static_cast<double>(x.size(0) * x.size(1) * weight.size(0) * cols);
    const auto rowsPerBand = std::max<int64_t>(1, static_cast<int64_t>(kFlopsPerBand / flopsPerRow));
    throwIfCancelled(isCancelled);
    if (rowsPerBand >= rows)
        return torch::conv2d(x, weight, bias, 1, 1).relu_();
    torch::Tensor out;
    for (int64_t r0 = 0; r0 < rows; r0 += rowsPerBand) {
        if (r0 > 0)
            throwIfCancelled(isCancelled);
        const int64_t r1 = std::min(rows, r0 + rowsPerBand);
        const int64_t in0 = std::max<int64_t>(0, r0 - 1), in1 = std::min(rows, r1 + 1);
        auto band = torch::conv2d(x.narrow(2, in0, in1 - in0), weight, bias, 1, 1);
        if (!out.defined()) {
            out = torch::empty({ x.size(0), weight.size(0), rows, cols },
                               band.options().memory_format(band.suggest_memory_format()));
        }
        out.narrow(2, r0, r1 - r0).copy_(band.narrow(2, r0 - in0, r1 - r0).relu_());
    }
    return out;
}

} // namespace

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

torch::Tensor upsampleCancellable(nn::ConvTranspose2dImpl& up, const torch::Tensor& x, const CancellationCheck& isCancelled)
{
    throwIfCancelled(isCancelled);
    const auto& o = up.options;
    const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    const bool exactBands = o.kernel_size()->at(0) == 2 && o.kernel_size()->at(1) == 2 && o.stride()->at(0) == 2
        && o.stride()->at(1) == 2 && padding && (*padding)->at(0) == 0 && (*padding)->at(1) == 0
        && o.output_padding()->at(0) == 0 && o.dilation()->at(0) == 1 && o.groups() == 1;
    const int64_t rows = x.size(2);
    const double flopsPerRow = 2.0 * 4 * static_cast<double>(x.size(0) * x.size(1) * up.weight.size(1) * x.size(3));
    const auto rowsPerBand = std::max<int64_t>(1, static_cast<int64_t>(kTransposeFlopsPerBand / flopsPerRow));
    if (!isCancelled || !exactBands || rowsPerBand >= rows)
        return up.forward(x);
    torch::Tensor out;
    for (int64_t r0 = 0; r0 < rows; r0 += rowsPerBand) {
        if (r0 > 0)
            throwIfCancelled(isCancelled);
        const int64_t n = std::min(rows - r0, rowsPerBand);
        auto band = up.forward(x.narrow(2, r0, n));
        if (!out.defined()) {
            out = torch::empty({ x.size(0), band.size(1), 2 * rows, band.size(3) },
                               band.options().memory_format(band.suggest_memory_format()));
        }
        out.narrow(2, 2 * r0, 2 * n).copy_(band);
    }
    return out;
}

torch::Tensor BlockImpl::forwardCancellable(const torch::Tensor& x, const CancellationCheck& isCancelled)
{
    if (!isCancelled)
        return forward(x);
    if (!fusedWeight.defined() || is_training())
        return model::forwardCancellable(block, x, isCancelled);
    torch::Tensor y = x;
    if (startsWithTranspose)
        y = upsampleCancellable(*block[0]->as<nn::ConvTranspose2dImpl>(), x, isCancelled);
    return conv3x3ReluInBands(y, fusedWeight, fusedBias, isCancelled);
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

torch::Tensor forwardCancellable(nn::Sequential& stage, torch::Tensor x, const CancellationCheck& isCancelled)
{
    if (!isCancelled)
        return stage->forward(x);
    for (auto& layer : *stage) {
        if (auto* b = layer.ptr()->as<BlockImpl>()) {
            x = b->forwardCancellable(x, isCancelled);
        } else if (auto* up = layer.ptr()->as<nn::ConvTranspose2dImpl>()) {
            x = upsampleCancellable(*up, x, isCancelled);
        } else {
            throwIfCancelled(isCancelled);
            x = layer.forward(x);
        }
    }
    return x;
}

void fuseBlocksForInference(torch::nn::Module& root)
{
    for (const auto& module : root.modules(/*include_self=*/true)) {
        if (auto* b = module->as<BlockImpl>())
            b->fuseForInference();
    }
}

} // namespace cellvit::model
