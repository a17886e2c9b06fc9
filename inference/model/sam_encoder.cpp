#include "inference/model/sam_encoder.h"

#include <torch/nn.h>

#include <algorithm>
#include <cmath>

namespace cellvit::model {

namespace nn = torch::nn;
namespace {

// Relative-position table for q_size query and k_size key positions (SAM get_rel_pos): tables whose
// length differs from 2·max(q,k)−1 are resized by 1-D linear interpolation (align_corners False).
torch::Tensor relativePositions(int64_t qSize, int64_t kSize, const torch::Tensor& relPos)
{
    const int64_t maxRelDist = 2 * std::max(qSize, kSize) - 1;
    torch::Tensor table = relPos;
    if (relPos.size(0) != maxRelDist) {
        table = at::upsample_linear1d(relPos.reshape({ 1, relPos.size(0), -1 }).permute({ 0, 2, 1 }), { maxRelDist },
                                      /*align_corners=*/false);
        table = table.reshape({ -1, maxRelDist }).permute({ 1, 0 });
    }
    const double qScale = std::max(static_cast<double>(kSize) / qSize, 1.0);
    const double kScale = std::max(static_cast<double>(qSize) / kSize, 1.0);
    auto qCoords = torch::arange(qSize, torch::kFloat64).unsqueeze(1) * qScale;
    auto kCoords = torch::arange(kSize, torch::kFloat64).unsqueeze(0) * kScale;
    auto index = ((qCoords - kCoords) + static_cast<double>(kSize - 1) * kScale).to(torch::kLong);
    return table.index({ index.to(relPos.device()) });
}

// Zero-pads B×H×W×C at the bottom/right to multiples of `window` and splits it into windows.
torch::Tensor windowPartition(const torch::Tensor& x, int64_t window, int64_t& paddedH, int64_t& paddedW)
{
    const auto B = x.size(0), H = x.size(1), W = x.size(2), C = x.size(3);
    const int64_t padH = (window - H % window) % window, padW = (window - W % window) % window;
    auto padded = (padH > 0 || padW > 0) ? torch::constant_pad_nd(x, { 0, 0, 0, padW, 0, padH }, 0.0) : x;
    paddedH = H + padH;
    paddedW = W + padW;
    return padded.view({ B, paddedH / window, window, paddedW / window, window, C })
        .permute({ 0, 1, 3, 2, 4, 5 })
        .contiguous()
        .view({ -1, window, window, C });
}

torch::Tensor windowUnpartition(const torch::Tensor& windows, int64_t window, int64_t paddedH, int64_t paddedW,
                                int64_t H, int64_t W)
{
    const auto B = windows.size(0) / (paddedH * paddedW / window / window);
    auto x = windows.view({ B, paddedH / window, paddedW / window, window, window, -1 })
                 .permute({ 0, 1, 3, 2, 4, 5 })
                 .contiguous()
                 .view({ B, paddedH, paddedW, -1 });
    if (paddedH > H || paddedW > W)
        x = x.narrow(1, 0, H).narrow(2, 0, W).contiguous();
    return x;
}

} // namespace

SamAttentionImpl::SamAttentionImpl(int64_t dim, int64_t heads, bool qkvBias, bool relPos, int64_t inputTokens)
    : numHeads(heads)
    , scale(std::pow(static_cast<double>(dim / heads), -0.5))
    , useRelPos(relPos)
{
    if (useRelPos) {
        rel_pos_h = register_parameter("rel_pos_h", torch::zeros({ 2 * inputTokens - 1, dim / heads }));
        rel_pos_w = register_parameter("rel_pos_w", torch::zeros({ 2 * inputTokens - 1, dim / heads }));
    }
    qkv = register_module("qkv", nn::Linear(nn::LinearOptions(dim, dim * 3).bias(qkvBias)));
    proj = register_module("proj", nn::Linear(dim, dim));
}

torch::Tensor SamAttentionImpl::forward(const torch::Tensor& x, const CancellationCheck& isCancelled)
{
    const auto B = x.size(0), H = x.size(1), W = x.size(2);
    auto qkvOut = qkv->forward(x).reshape({ B, H * W, 3, numHeads, -1 }).permute({ 2, 0, 3, 1, 4 });
    auto parts = qkvOut.reshape({ 3, B * numHeads, H * W, -1 }).unbind(0);
    const auto& q = parts[0];
    const auto& k = parts[1];
    const auto& v = parts[2];
    auto attn = torch::matmul(q * scale, k.transpose(-2, -1));
    if (useRelPos) {
        // Decomposed relative positions from the *unscaled* q (SAM add_decomposed_rel_pos).
        const auto Rh = relativePositions(H, H, rel_pos_h);
        const auto Rw = relativePositions(W, W, rel_pos_w);
        const auto dim = q.size(2);
        auto rq = q.reshape({ B * numHeads, H, W, dim });
        auto relH = torch::einsum("bhwc,hkc->bhwk", { rq, Rh });
        auto relW = torch::einsum("bhwc,wkc->bhwk", { rq, Rw });
        attn = (attn.view({ B * numHeads, H, W, H, W }) + relH.unsqueeze(4) + relW.unsqueeze(3))
                   .view({ B * numHeads, H * W, H * W });
    }
    attn = attn.softmax(-1);
    throwIfCancelled(isCancelled);
    auto out = torch::matmul(attn, v).view({ B, numHeads, H, W, -1 }).permute({ 0, 2, 3, 1, 4 }).reshape({ B, H, W, -1 });
    return proj->forward(out);
}

SamMlpImpl::SamMlpImpl(int64_t dim, int64_t hidden)
    : lin1(register_module("lin1", nn::Linear(dim, hidden)))
    , lin2(register_module("lin2", nn::Linear(hidden, dim)))
{
}

torch::Tensor SamMlpImpl::forward(const torch::Tensor& x)
{
    return lin2->forward(torch::gelu(lin1->forward(x)));
}

SamBlockImpl::SamBlockImpl(const ModelSpec& spec, int64_t window, int64_t inputTokens)
    : windowSize(window)
{
    const int64_t dim = spec.embedDim;
    norm1 = register_module("norm1", nn::LayerNorm(nn::LayerNormOptions({ dim }).eps(1e-6)));
    attn = register_module("attn", SamAttention(dim, spec.numHeads, spec.qkvBias, spec.useRelPos,
                                                window > 0 ? window : inputTokens));
    norm2 = register_module("norm2", nn::LayerNorm(nn::LayerNormOptions({ dim }).eps(1e-6)));
    mlp = register_module("mlp", SamMlp(dim, static_cast<int64_t>(dim * spec.mlpRatio)));
}

torch::Tensor SamBlockImpl::forward(const torch::Tensor& x, const CancellationCheck& isCancelled)
{
    auto y = norm1->forward(x);
    if (windowSize > 0) {
        const auto H = y.size(1), W = y.size(2);
        int64_t paddedH = 0, paddedW = 0;
        y = windowPartition(y, windowSize, paddedH, paddedW);
        y = attn->forward(y, isCancelled);
        y = windowUnpartition(y, windowSize, paddedH, paddedW, H, W);
    } else {
        y = attn->forward(y, isCancelled);
    }
    auto out = x + y;
    throwIfCancelled(isCancelled);
    return out + mlp->forward(norm2->forward(out));
}

LayerNorm2dImpl::LayerNorm2dImpl(int64_t channels, double e)
    : weight(register_parameter("weight", torch::ones({ channels })))
    , bias(register_parameter("bias", torch::zeros({ channels })))
    , eps(e)
{
}

torch::Tensor LayerNorm2dImpl::forward(const torch::Tensor& x)
{
    auto u = x.mean(1, true);
    auto s = (x - u).pow(2).mean(1, true);
    auto y = (x - u) / torch::sqrt(s + eps);
    return weight.view({ -1, 1, 1 }) * y + bias.view({ -1, 1, 1 });
}

SamEncoderImpl::SamEncoderImpl(const ModelSpec& s)
    : spec(s)
{
    const int64_t dim = spec.embedDim;
    const int64_t grid = spec.imgSize / spec.patchSize;
    pos_embed = register_parameter("pos_embed", torch::zeros({ 1, grid, grid, dim }));
    patch_embed = register_module("patch_embed", PatchEmbed(spec.inputChannels, dim, spec.patchSize));
    blocks = register_module("blocks", nn::ModuleList());
    for (int i = 0; i < spec.depth; ++i) {
        const bool global = std::count(spec.globalAttnIndexes.begin(), spec.globalAttnIndexes.end(), i) > 0;
        blocks->push_back(SamBlock(spec, global ? 0 : spec.windowSize, grid));
    }
    neck = register_module("neck", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(dim, spec.outChans, 1).bias(false)),
                                                  LayerNorm2d(spec.outChans),
                                                  nn::Conv2d(nn::Conv2dOptions(spec.outChans, spec.outChans, 3)
                                                                 .padding(1)
                                                                 .bias(false)),
                                                  LayerNorm2d(spec.outChans)));
}

EncoderOutput SamEncoderImpl::forward(const torch::Tensor& image, const CancellationCheck& isCancelled)
{
    throwIfCancelled(isCancelled);
    auto x = patch_embed->forward(image).permute({ 0, 2, 3, 1 }); // B×h×w×D
    const auto tokens = x.size(1);
    if (tokens > pos_embed.size(1) || x.size(2) > pos_embed.size(2))
        throw std::invalid_argument("SAM encoder input is larger than its " + std::to_string(spec.imgSize)
                                    + " px position embedding");
    // The reference crops pos_embed[:, :h, :h] (top-left, no interpolation).
    x = x + pos_embed.narrow(1, 0, tokens).narrow(2, 0, tokens);

    EncoderOutput out;
    size_t next = 0;
    for (int i = 0; i < spec.depth; ++i) {
        throwIfCancelled(isCancelled);
        x = blocks[i]->as<SamBlockImpl>()->forward(x, isCancelled);
        if (next < 4 && std::count(spec.extractLayers.begin(), spec.extractLayers.end(), i + 1) > 0)
            out.skips[next++] = x.permute({ 0, 3, 1, 2 });
    }
    throwIfCancelled(isCancelled);
    out.tissueLogits = neck->forward(x.permute({ 0, 3, 1, 2 })).flatten(2).mean(-1);
    return out;
}

} // namespace cellvit::model
