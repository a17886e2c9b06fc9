#pragma once
// A CellViT checkpoint in memory: architecture name, flattened config and the model weights.
// Readers: official trainer `.pth` (zip + weights-only unpickler) and `.safetensors`.

#include "model_zoo/cellvit_error.h"
#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cellvit {

// Any problem with a checkpoint file; the message names the file and the reason.
class CheckpointError : public Error {
public:
    using Error::Error;
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

// What a checkpoint holds before any weight is read: arch, config and the name and shape of every state-dict
// tensor (in file order).
struct CheckpointHeader {
    std::string arch;
    nlohmann::json config = nlohmann::json::object();
    std::vector<std::pair<std::string, std::vector<int64_t>>> tensorShapes;
    std::filesystem::path source;
};

// Streams a checkpoint: `onHeader` once, before any tensor data is read (it may throw to refuse the file), then
// `onTensor` for each state-dict tensor in file order. Each tensor is dropped after its call, so the reader
// holds one storage record at a time: a caller that copies the weights into an already-built network peaks at
// about one copy of the weights, not two (issue #15).
using CheckpointHeaderVisitor = std::function<void(const CheckpointHeader&)>;
using CheckpointTensorVisitor = std::function<void(const std::string& name, const at::Tensor& tensor)>;
void streamCheckpoint(const std::filesystem::path& path, const CheckpointHeaderVisitor& onHeader,
    const CheckpointTensorVisitor& onTensor);

// Reads `.pth` (PyTorch zip) or `.safetensors`, chosen by the file's magic bytes, not its name. The whole state
// dict is held in memory (streamCheckpoint collected).
Checkpoint loadCheckpoint(const std::filesystem::path& path);

// Collects what `stream` visits into a Checkpoint (one implementation for both readers' load functions).
using CheckpointStream = std::function<void(const CheckpointHeaderVisitor&, const CheckpointTensorVisitor&)>;
Checkpoint collectCheckpoint(const CheckpointStream& stream);

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
