#include "inference/model/vit_encoder.h"

#include <torch/nn.h>

#include <algorithm>
#include <cmath>

namespace cellvit::model {

namespace nn = torch::nn;

VitAttentionImpl::VitAttentionImpl(int64_t dim, int64_t heads, bool qkvBias)
    : numHeads(heads)
    , scale(std::pow(static_cast<double>(dim / heads), -0.5))
    , qkv(register_module("qkv", nn::Linear(nn::LinearOptions(dim, dim * 3).bias(qkvBias))))
    , proj(register_module("proj", nn::Linear(dim, dim)))
{
}

torch::Tensor VitAttentionImpl::forward(const torch::Tensor& x, const CancellationCheck& isCancelled)
{
    const auto B = x.size(0), N = x.size(1), C = x.size(2);
    // Fused qkv features are [q | k | v], each head-major (reference §1.6).
    auto qkvOut = qkv->forward(x).reshape({ B, N, 3, numHeads, C / numHeads }).permute({ 2, 0, 3, 1, 4 });
    auto q = qkvOut[0], k = qkvOut[1], v = qkvOut[2];
    // DINO order: (q @ kᵀ) * scale — not (q * scale) @ kᵀ as in SAM; the rounding differs.
    auto attn = torch::matmul(q, k.transpose(-2, -1)).mul(scale).softmax(-1);
    throwIfCancelled(isCancelled);
    return proj->forward(torch::matmul(attn, v).transpose(1, 2).reshape({ B, N, C }));
}

VitMlpImpl::VitMlpImpl(int64_t dim, int64_t hidden)
    : fc1(register_module("fc1", nn::Linear(dim, hidden)))
    , fc2(register_module("fc2", nn::Linear(hidden, dim)))
{
}

torch::Tensor VitMlpImpl::forward(const torch::Tensor& x)
{
    return fc2->forward(torch::gelu(fc1->forward(x))); // exact (erf) GELU
}

VitBlockImpl::VitBlockImpl(int64_t dim, int64_t heads, double mlpRatio, bool qkvBias)
    : norm1(register_module("norm1", nn::LayerNorm(nn::LayerNormOptions({ dim }).eps(1e-6))))
    , attn(register_module("attn", VitAttention(dim, heads, qkvBias)))
    , norm2(register_module("norm2", nn::LayerNorm(nn::LayerNormOptions({ dim }).eps(1e-6))))
    , mlp(register_module("mlp", VitMlp(dim, static_cast<int64_t>(dim * mlpRatio))))
{
}

torch::Tensor VitBlockImpl::forward(torch::Tensor x, const CancellationCheck& isCancelled)
{
    x = x + attn->forward(norm1->forward(x), isCancelled);
    throwIfCancelled(isCancelled);
    return x + mlp->forward(norm2->forward(x));
}

PatchEmbedImpl::PatchEmbedImpl(int64_t inChannels, int64_t dim, int64_t patch)
    : proj(register_module("proj", nn::Conv2d(nn::Conv2dOptions(inChannels, dim, patch).stride(patch))))
{
}

VitEncoderImpl::VitEncoderImpl(const ModelSpec& s)
    : spec(s)
{
    const int64_t dim = spec.embedDim;
    // The reference ViT is built for 224 px inputs: CLS + 14×14 position embeddings.
    constexpr int64_t kTrainGrid = 224 / 16;
    cls_token = register_parameter("cls_token", torch::zeros({ 1, 1, dim }));
    pos_embed = register_parameter("pos_embed", torch::zeros({ 1, kTrainGrid * kTrainGrid + 1, dim }));
    patch_embed = register_module("patch_embed", PatchEmbed(spec.inputChannels, dim, spec.patchSize));
    blocks = register_module("blocks", nn::ModuleList());
    for (int i = 0; i < spec.depth; ++i)
        blocks->push_back(VitBlock(dim, spec.numHeads, spec.mlpRatio, spec.qkvBias));
    norm = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({ dim }).eps(1e-6)));
    head = register_module("head", nn::Linear(dim, spec.numTissueClasses));
}

torch::Tensor VitEncoderImpl::interpolatePosEncoding(int64_t tokenRows, int64_t tokenCols, int64_t imageH,
                                                     int64_t imageW)
{
    const int64_t stored = pos_embed.size(1) - 1;
    if (tokenRows * tokenCols == stored && imageH == imageW)
        return pos_embed;
    const int64_t dim = pos_embed.size(2);
    const auto grid = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(stored))));
    auto classPos = pos_embed.narrow(1, 0, 1);
    auto patchPos = pos_embed.narrow(1, 1, stored).reshape({ 1, grid, grid, dim }).permute({ 0, 3, 1, 2 });
    // DINO: w0 = W/16 + 0.1 scales dim -2 and h0 = H/16 + 0.1 scales dim -1 (as written there).
    const double w0 = static_cast<double>(imageW / spec.patchSize) + 0.1;
    const double h0 = static_cast<double>(imageH / spec.patchSize) + 0.1;
    const std::vector<double> scales { w0 / static_cast<double>(grid), h0 / static_cast<double>(grid) };
    // Passing scale factors (not a size) reproduces F.interpolate(scale_factor=..., mode="bicubic").
    patchPos = at::upsample_bicubic2d(patchPos, c10::nullopt, /*align_corners=*/false, at::ArrayRef<double>(scales));
    patchPos = patchPos.permute({ 0, 2, 3, 1 }).reshape({ 1, -1, dim });
    return torch::cat({ classPos, patchPos }, 1);
}

EncoderOutput VitEncoderImpl::forward(const torch::Tensor& image, const CancellationCheck& isCancelled)
{
    throwIfCancelled(isCancelled);
    const auto B = image.size(0), H = image.size(2), W = image.size(3);
    auto x = patch_embed->forward(image);
    const auto h = x.size(2), w = x.size(3);
    x = x.flatten(2).transpose(1, 2);
    x = torch::cat({ cls_token.expand({ B, -1, -1 }), x }, 1);
    x = x + interpolatePosEncoding(h, w, H, W);

    EncoderOutput out;
    size_t next = 0;
    for (int i = 0; i < spec.depth; ++i) {
        throwIfCancelled(isCancelled);
        x = blocks[i]->as<VitBlockImpl>()->forward(x, isCancelled);
        if (next < 4 && std::count(spec.extractLayers.begin(), spec.extractLayers.end(), i + 1) > 0) {
            // Skips are taken before the final norm, CLS dropped, tokens row-major to B×D×h×w. The
            // view keeps the tokens' memory as is, which is the channels-last layout the convolutions prefer.
            out.skips[next++] = x.narrow(1, 1, h * w).view({ B, h, w, -1 }).permute({ 0, 3, 1, 2 });
        }
    }
    throwIfCancelled(isCancelled);
    out.tissueLogits = head->forward(norm->forward(x).select(1, 0));
    return out;
}

} // namespace cellvit::model
