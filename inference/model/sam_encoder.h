#pragma once
// SAM image encoder as used by CellViTSAM (reference §1.3 "SAM-H"): windowed attention with
// decomposed relative positions, global attention blocks, and the neck used only for the tissue head.

#include "inference/model/encoder_output.h"
#include "inference/model/vit_encoder.h"
#include "model_zoo/model_spec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace cellvit::model {

struct SamAttentionImpl : torch::nn::Module {
    SamAttentionImpl(int64_t dim, int64_t heads, bool qkvBias, bool useRelPos, int64_t inputTokens);
    // B×H×W×D; checks `isCancelled` between the attention products.
    torch::Tensor forward(const torch::Tensor& x, const CancellationCheck& isCancelled = {});
    int64_t numHeads;
    double scale;
    bool useRelPos;
    torch::Tensor rel_pos_h, rel_pos_w;
    torch::nn::Linear qkv { nullptr }, proj { nullptr };
};
TORCH_MODULE(SamAttention);

struct SamMlpImpl : torch::nn::Module {
    SamMlpImpl(int64_t dim, int64_t hidden);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear lin1 { nullptr }, lin2 { nullptr };
};
TORCH_MODULE(SamMlp);

struct SamBlockImpl : torch::nn::Module {
    SamBlockImpl(const ModelSpec& spec, int64_t windowSize, int64_t inputTokens);
    // Checks `isCancelled` between attention and MLP (a SAM-H global block at 1024² is ~200 GFLOP).
    torch::Tensor forward(const torch::Tensor& x, const CancellationCheck& isCancelled = {});
    int64_t windowSize; // 0 = global attention
    torch::nn::LayerNorm norm1 { nullptr };
    SamAttention attn { nullptr };
    torch::nn::LayerNorm norm2 { nullptr };
    SamMlp mlp { nullptr };
};
TORCH_MODULE(SamBlock);

// Channel-wise LayerNorm over B×C×H×W (SAM's LayerNorm2d, eps 1e-6).
struct LayerNorm2dImpl : torch::nn::Module {
    explicit LayerNorm2dImpl(int64_t channels, double eps = 1e-6);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight, bias;
    double eps;
};
TORCH_MODULE(LayerNorm2d);

struct SamEncoderImpl : torch::nn::Module {
    explicit SamEncoderImpl(const ModelSpec& spec);
    // Returns the skips; tissueLogits holds the pooled neck features (B×out_chans) for the classifier head.
    // Checks `isCancelled` before and inside every block (throws InferenceCancelled).
    EncoderOutput forward(const torch::Tensor& image, const CancellationCheck& isCancelled = {});

    ModelSpec spec;
    torch::Tensor pos_embed; // 1×(img/16)×(img/16)×D
    PatchEmbed patch_embed { nullptr };
    torch::nn::ModuleList blocks { nullptr };
    torch::nn::Sequential neck { nullptr };
};
TORCH_MODULE(SamEncoder);

} // namespace cellvit::model
