#pragma once
// UNETR-style decoder (reference §1.3 table): skip modules decoder0..3 shared by the three
// branches, and one upsampling branch per output map.

#include "inference/model/conv_blocks.h"
#include "model_zoo/model_spec.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include <array>

namespace cellvit::model {

struct DecoderWidths {
    int64_t embedDim, skipDim11, skipDim12, bottleneckDim;
    // Stage widths fixed in the reference (decoder3/2/1 upsampler outputs, decoder0's first block).
    int64_t stage3 = 256, stage2 = 128, stage1 = 64, stage0 = 32;
};

// The widths of `spec`, including its decoder_width_scale (1.0 = the reference widths).
DecoderWidths decoderWidthsFor(const ModelSpec& spec);

struct SharedSkips;

// One branch (nuclei_binary_map_decoder, hv_map_decoder, nuclei_type_maps_decoder, stardist_decoder, ...).
// outChannels 0: decoder0_header ends after its two Conv2DBlocks (64 features, the shared STARDIST decoder).
// ownSkips: the skip paths registered inside the branch as decoder0_skip..decoder3_skip, before the upsamplers
// (the one `decoder` of CellViTStarDistShared); the caller still passes their outputs to forward().
struct DecoderBranchImpl : torch::nn::Module {
    DecoderBranchImpl(const DecoderWidths& widths, int64_t outChannels, const SharedSkips* ownSkips = nullptr);
    // skips = outputs of the shared decoder0..3 (b0..b3), z4 = deepest encoder output. Checks
    // `isCancelled` between its layers (throws InferenceCancelled).
    torch::Tensor forward(const std::array<torch::Tensor, 4>& sharedSkips, const torch::Tensor& z4,
                          const CancellationCheck& isCancelled = {});

    torch::nn::ConvTranspose2d bottleneck_upsampler { nullptr };
    torch::nn::Sequential decoder3_upsampler { nullptr }, decoder2_upsampler { nullptr },
        decoder1_upsampler { nullptr }, decoder0_header { nullptr };
};
TORCH_MODULE(DecoderBranch);

// The shared skip paths: decoder0 on the image, decoder1..3 on z1..z3.
struct SharedSkips {
    torch::nn::Sequential decoder0, decoder1, decoder2, decoder3;
    static SharedSkips create(const DecoderWidths& widths);
};

} // namespace cellvit::model
