#pragma once
// The whole CellViT network with the reference module tree, so that its state dict has exactly
// the reference keys (encoder.*, decoder0..3.*, <branch>.*, classifier_head.* for SAM).

#include "inference/model/sam_encoder.h"
#include "inference/model/unetr_decoder.h"
#include "inference/model/vit_encoder.h"
#include "model_zoo/model_spec.h"

#include <torch/nn/modules/linear.h>

namespace cellvit::model {

struct NetworkOutputs {
    torch::Tensor nucleiBinaryMap; // B×2×H×W logits
    torch::Tensor hvMap;           // B×2×H×W
    torch::Tensor nucleiTypeMap;   // B×C×H×W logits
    torch::Tensor tissueTypes;     // B×T logits
    torch::Tensor tokens;          // B×D×h×w (z4)
    torch::Tensor regressionMap;   // B×2×H×W, only for regression_loss models
};

struct CellVitNetworkImpl : torch::nn::Module {
    explicit CellVitNetworkImpl(const ModelSpec& spec);
    // Checks `isCancelled` between encoder blocks and decoder layers; throws InferenceCancelled when it fires.
    NetworkOutputs forward(const torch::Tensor& image, const CancellationCheck& isCancelled = {});

    ModelSpec spec;
    bool channelsLast = false; // run the decoder on channels-last tensors (set by CellVitModel)
    VitEncoder vitEncoder { nullptr };
    SamEncoder samEncoder { nullptr };
    torch::nn::Sequential decoder0 { nullptr }, decoder1 { nullptr }, decoder2 { nullptr }, decoder3 { nullptr };
    DecoderBranch nucleiBinaryBranch { nullptr }, hvBranch { nullptr }, nucleiTypeBranch { nullptr };
    torch::nn::Linear classifierHead { nullptr };
};
TORCH_MODULE(CellVitNetwork);

} // namespace cellvit::model
