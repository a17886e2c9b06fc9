#pragma once
// Trainer checkpoints in the official CellViT layout (reference §2.2): one pickled dict with arch, epoch,
// model_state_dict, optimizer_state_dict (PyTorch's AdamW layout), scheduler_state_dict (ExponentialLR),
// best_metric, best_epoch, config (flattened), wandb_id, logdir, run_name, scaler_state_dict, plus `seed`.
// Written with torch::pickle_save, so `torch.load` in Python, model_zoo's loadCheckpoint and
// torch::pickle_load (for resuming) all read it.

#include "model_zoo/checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/optim/adamw.h>

#include <filesystem>
#include <optional>
#include <string>

namespace cellvit::training {

struct TrainingCheckpoint {
    std::string arch = "CellViT";
    nlohmann::json config = nlohmann::json::object(); // flattened ("model.embed_dim": 192, ...)
    NamedTensors modelState;
    int epoch = -1;                  // 0-based index of the last completed epoch; -1 = none yet
    std::optional<double> bestMetric; // lowest validation loss so far
    int bestEpoch = -1;
    uint64_t seed = 0;
    double baseLearningRate = 3e-4, learningRate = 3e-4, gamma = 0.85; // ExponentialLR state
    std::string logdir, runName;
};

// Writes `<path>.part` and renames it, so an interrupted write never leaves a truncated checkpoint.
// `optimizer` (may be null → empty optimizer_state_dict) must hold the model's parameters in state-dict order.
void saveTrainingCheckpoint(const std::filesystem::path& path, const TrainingCheckpoint& checkpoint,
                            const torch::optim::AdamW* optimizer);

// Reads a file written by saveTrainingCheckpoint; when `optimizer` is given and the file has optimizer state,
// restores the AdamW moments and step counts into it (same parameter order). Throws CheckpointError naming the file.
TrainingCheckpoint loadTrainingCheckpoint(const std::filesystem::path& path, torch::optim::AdamW* optimizer = nullptr);

// Flattened JSON config → pickled Python values (dicts, lists, str, int, float, bool, None) and back.
c10::IValue jsonToIValue(const nlohmann::json& value);
nlohmann::json ivalueToJson(const c10::IValue& value);

} // namespace cellvit::training
