#pragma once
// A CellViT checkpoint in memory: architecture name, flattened config and the model weights.
// Readers: official trainer `.pth` (zip + weights-only unpickler) and `.safetensors`.

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cellvit {

// Any problem with a checkpoint file; the message names the file and the reason.
class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

struct Checkpoint {
    std::string arch; // "CellViT", "CellViT256", "CellViTSAM"
    // Flattened config exactly as stored ("model.embed_dim": 384, ...). Python values map to JSON:
    // None -> null, tuples/lists -> arrays, numpy scalars -> numbers.
    nlohmann::json config = nlohmann::json::object();
    NamedTensors stateDict; // in file order, CPU tensors
    std::filesystem::path source;
};

// Reads `.pth` (PyTorch zip) or `.safetensors`, chosen by the file's magic bytes, not its name.
Checkpoint loadCheckpoint(const std::filesystem::path& path);

} // namespace cellvit
