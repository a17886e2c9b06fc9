#pragma once
// `.safetensors` checkpoints: u64 little-endian header length, a JSON header, then raw little-endian tensor data.
// `__metadata__` carries "arch", "config" (JSON text of the flattened config) and "format": "cellvit-studio".

#include "model_zoo/checkpoint.h"

namespace cellvit {

// Every offset, shape and dtype is checked against the file before any data is read.
// streamCheckpoint for `.safetensors`.
void streamSafetensors(const std::filesystem::path& path, const CheckpointHeaderVisitor& onHeader,
    const CheckpointTensorVisitor& onTensor);
Checkpoint loadSafetensors(const std::filesystem::path& path); // streamSafetensors collected

// Writes the state dict in its order. With `half`, floating-point tensors are stored as F16 (integer
// buffers such as num_batches_tracked keep their type); a finite
// value that would overflow float16 is an error. Writes `<path>.part` and renames it on success.
void saveSafetensors(const std::filesystem::path& path, const Checkpoint& checkpoint, bool half = false);

} // namespace cellvit
