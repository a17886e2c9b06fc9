#pragma once
// Generic ViT encoder with class token (CellViT / CellViT256, reference §1.3 "ViT256").

#include "inference/model/encoder_output.h"
#include "inference/model/inference_cancelled.h"
#include "model_zoo/model_spec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace cellvit::model {

struct VitAttentionImpl : torch::nn::Module {
    VitAttentionImpl(int64_t dim, int64_t heads, bool qkvBias);
    // Checks `isCancelled` between the two attention products (each ~13 GFLOP for CellViT-256 at 1024²).
    torch::Tensor forward(const torch::Tensor& x, const CancellationCheck& isCancelled = {});
    int64_t numHeads;
    double scale;
    torch::nn::Linear qkv { nullptr }, proj { nullptr };
};
TORCH_MODULE(VitAttention);

struct VitMlpImpl : torch::nn::Module {
    VitMlpImpl(int64_t dim, int64_t hidden);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear fc1 { nullptr }, fc2 { nullptr };
};
TORCH_MODULE(VitMlp);

struct VitBlockImpl : torch::nn::Module {
    VitBlockImpl(int64_t dim, int64_t heads, double mlpRatio, bool qkvBias);
    // Checks `isCancelled` between attention and MLP (a CellViT-256 block at 1024² is ~40 GFLOP).
    torch::Tensor forward(torch::Tensor x, const CancellationCheck& isCancelled = {});
    torch::nn::LayerNorm norm1 { nullptr };
    VitAttention attn { nullptr };
    torch::nn::LayerNorm norm2 { nullptr };
    VitMlp mlp { nullptr };
};
TORCH_MODULE(VitBlock);

struct PatchEmbedImpl : torch::nn::Module {
    PatchEmbedImpl(int64_t inChannels, int64_t dim, int64_t patch);
    torch::Tensor forward(const torch::Tensor& x) { return proj->forward(x); } // B×D×h×w
    torch::nn::Conv2d proj { nullptr };
};
TORCH_MODULE(PatchEmbed);

struct VitEncoderImpl : torch::nn::Module {
    explicit VitEncoderImpl(const ModelSpec& spec);
    // Checks `isCancelled` before and inside every block (throws InferenceCancelled).
    EncoderOutput forward(const torch::Tensor& image, const CancellationCheck& isCancelled = {});
    // DINO's pos-embed resize: bicubic with scale factors ((n + 0.1)/14, ...), reference §1.5.
    torch::Tensor interpolatePosEncoding(int64_t tokenRows, int64_t tokenCols, int64_t imageH, int64_t imageW);

    ModelSpec spec;
    torch::Tensor cls_token, pos_embed;
    PatchEmbed patch_embed { nullptr };
    torch::nn::ModuleList blocks { nullptr };
    torch::nn::LayerNorm norm { nullptr };
    torch::nn::Linear head { nullptr };
};
TORCH_MODULE(VitEncoder);

} // namespace cellvit::model
