#pragma once
// Official trainer checkpoints: a PyTorch zip (`<archive>/data.pkl` + raw storages `<archive>/data/<key>`)
// read with LibTorch's zip reader and the weights-only unpickler.

#include "model_zoo/checkpoint.h"

namespace cellvit {

// Reads arch, config and model_state_dict; other entries (optimizer, scheduler, scaler) are parsed as
// pickle structure only and their storages are never read. Throws CheckpointError naming the file.
Checkpoint loadPth(const std::filesystem::path& path);

} // namespace cellvit
