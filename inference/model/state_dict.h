#pragma once
// Ordered state dict of a torch::nn::Module (reference order: a module's own parameters, then its
// buffers, then its children) and strict loading with errors that name every offending key.

#include "model_zoo/checkpoint.h"

#include <torch/nn/module.h>

namespace cellvit::model {

NamedTensors orderedStateDict(const torch::nn::Module& module);

// Copies `weights` into `module`. Missing keys, unexpected keys and shape mismatches are all
// collected and thrown as one CheckpointError naming them (like PyTorch's strict load_state_dict).
void loadStateDictStrict(torch::nn::Module& module, const NamedTensors& weights, const std::string& source);

} // namespace cellvit::model
