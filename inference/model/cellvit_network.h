#pragma once
// The whole CellViT network with the reference module tree, so that its state dict has exactly
// the reference keys. HoVer-Net decoder: encoder.*, decoder0..3.*, <branch>.*, classifier_head.* for SAM.
// STARDIST / CPP-Net decoders (v1 cellvit_stardist.py, cellvit_stardist_shared.py, cellvit_cpp_net.py): the same
// encoder and skips with stardist_decoder / dist_decoder / nuclei_type_maps_decoder branches, or one shared `decoder`
// with 1×1 headers; these variants always hold a classifier_head (unused with the ViT encoder).

#include "inference/model/sam_encoder.h"
#include "inference/model/unetr_decoder.h"
#include "inference/model/vit_encoder.h"
#include "model_zoo/model_spec.h"

#include <torch/nn/modules/linear.h>

#include <vector>

namespace cellvit::model {

// Outputs of the decoder in use; the others stay undefined.
struct NetworkOutputs {
    torch::Tensor nucleiBinaryMap; // HoVer-Net: B×2×H×W logits
    torch::Tensor hvMap;           // HoVer-Net: B×2×H×W
    torch::Tensor distMap;         // STARDIST/CPP-Net: B×1×H×W object-probability logits
    torch::Tensor stardistMap;     // STARDIST/CPP-Net: B×nrays×H×W ray lengths (ReLU applied, except CPP-Net: raw)
    torch::Tensor stardistMapRefined; // CPP-Net: B×nrays×H×W refined rays (ReLU), what its NMS is fed
    torch::Tensor nucleiTypeMap;   // B×C×H×W logits
    torch::Tensor tissueTypes;     // B×T logits
    torch::Tensor tokens;          // B×D×h×w (z4)
    torch::Tensor regressionMap;   // B×2×H×W, only for regression_loss models

    // The rays a STARDIST-family model feeds to its NMS: refined for CPP-Net.
    const torch::Tensor& nmsRays() const { return stardistMapRefined.defined() ? stardistMapRefined : stardistMap; }
};

struct CellVitNetworkImpl : torch::nn::Module {
    explicit CellVitNetworkImpl(const ModelSpec& spec);
    // Checks `isCancelled` between encoder blocks and decoder layers; throws InferenceCancelled when it fires.
    NetworkOutputs forward(const torch::Tensor& image, const CancellationCheck& isCancelled = {});
    // CPP-Net ray refinement (cppnet_refine) of `rays` (B×nrays×H×W) with the stardist branch's 32 features.
    torch::Tensor cppNetRefine(const torch::Tensor& rays, const torch::Tensor& features);

    ModelSpec spec;
    bool channelsLast = false; // run the decoder on channels-last tensors (set by CellVitModel)
    VitEncoder vitEncoder { nullptr };
    SamEncoder samEncoder { nullptr };
    torch::nn::Sequential decoder0 { nullptr }, decoder1 { nullptr }, decoder2 { nullptr }, decoder3 { nullptr };
    DecoderBranch nucleiBinaryBranch { nullptr }, hvBranch { nullptr }, nucleiTypeBranch { nullptr };
    DecoderBranch stardistBranch { nullptr }, distBranch { nullptr };
    DecoderBranch sharedDecoder { nullptr }; // CellViTStarDistShared: skips + upsamplers in one module
    torch::nn::Sequential stardistHeader { nullptr };                           // shared: conv 1×1 + ReLU
    torch::nn::Conv2d distHeader { nullptr }, typeHeader { nullptr };           // shared: 1×1 heads
    torch::nn::Conv2d stardistHead { nullptr }, distHead { nullptr }, typeHead { nullptr }; // CPP-Net, no bias
    torch::nn::Conv2d conv0Confidence { nullptr }, conv1Confidence { nullptr };             // CPP-Net refinement
    std::vector<double> erosionFactors { 0.2, 0.4, 0.6, 0.8, 1.0 };
    torch::nn::Linear classifierHead { nullptr };

private:
    void forwardHoverNet(const std::array<torch::Tensor, 4>& skips, const torch::Tensor& z4, NetworkOutputs& out,
                         const CancellationCheck& isCancelled);
    void forwardStarDist(const std::array<torch::Tensor, 4>& skips, const torch::Tensor& z4, NetworkOutputs& out,
                         const CancellationCheck& isCancelled);
    void forwardCppNet(const std::array<torch::Tensor, 4>& skips, const torch::Tensor& z4, NetworkOutputs& out,
                       const CancellationCheck& isCancelled);
    SharedSkips m_sharedDecoderSkips; // the skip modules registered inside sharedDecoder
};
TORCH_MODULE(CellVitNetwork);

} // namespace cellvit::model
