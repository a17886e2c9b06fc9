#pragma once
// Official trainer checkpoints: a PyTorch zip (`<archive>/data.pkl` + raw storages `<archive>/data/<key>`)
// read with LibTorch's zip reader and the weights-only unpickler.

#include "model_zoo/checkpoint.h"

namespace cellvit {

// Reads arch, config and model_state_dict; other entries (optimizer, scheduler, scaler) are parsed as
// pickle structure only and their storages are never read. Throws CheckpointError naming the file.
// streamCheckpoint for `.pth`: each storage record is read once and dropped after its last tensor.
void streamPth(const std::filesystem::path& path, const CheckpointHeaderVisitor& onHeader,
    const CheckpointTensorVisitor& onTensor);
Checkpoint loadPth(const std::filesystem::path& path); // streamPth collected

} // namespace cellvit
