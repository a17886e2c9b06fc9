#pragma once

#include <ATen/core/Tensor.h>

#include <array>

namespace cellvit::model {

// What the decoder and the tissue head need from an encoder.
struct EncoderOutput {
    std::array<at::Tensor, 4> skips; // z1..z4 as B×D×h×w (z4 deepest = the cell-embedding tokens)
    at::Tensor tissueLogits;         // B×num_tissue_classes
};

} // namespace cellvit::model
