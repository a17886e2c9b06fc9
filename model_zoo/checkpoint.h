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

// BatchNorm running statistics (running_mean/var, num_batches_tracked): state, not trainable parameters.
bool isBatchNormBuffer(const std::string& name);

// Number of trainable values: floating-point entries except BatchNorm buffers. Matches the reference
// `sum(p.numel() for p in model.parameters())`.
int64_t parameterCount(const Checkpoint& checkpoint);

// Python-style dtype name: "float32", "float16", "bfloat16", "float64", "int64", "int32", "int16", "int8",
// "uint8", "bool".
std::string dtypeName(at::ScalarType type);

// The distinct dtypes of the state dict in order of first appearance, e.g. "float32, int64".
std::string stateDictDtypes(const Checkpoint& checkpoint);

} // namespace cellvit
