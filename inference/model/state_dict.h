#pragma once
// Ordered state dict of a torch::nn::Module (reference order: a module's own parameters, then its
// buffers, then its children) and strict loading with errors that name every offending key.

#include "model_zoo/checkpoint.h"

#include <torch/nn/module.h>

#include <unordered_map>

namespace cellvit::model {

NamedTensors orderedStateDict(const torch::nn::Module& module);

// Copies `weights` into `module`. Missing keys, unexpected keys and shape mismatches are all
// collected and thrown as one CheckpointError naming them (like PyTorch's strict load_state_dict).
void loadStateDictStrict(torch::nn::Module& module, const NamedTensors& weights, const std::string& source);

// Strict loading from a checkpoint stream (streamCheckpoint): the names and shapes are checked against the
// module from the header, before any weight is read, with the same error as loadStateDictStrict; then each
// tensor goes straight into its parameter or buffer. Peak memory: the module plus one tensor.
class StreamingStateDictLoader {
public:
    StreamingStateDictLoader(torch::nn::Module& module, const CheckpointHeader& header);
    void load(const std::string& name, const at::Tensor& value);
    // Throws if a tensor announced by the header never arrived (a truncated stream).
    void finish() const;

private:
    std::unordered_map<std::string, at::Tensor> m_targets;
    size_t m_loaded = 0;
    std::string m_source;
};

} // namespace cellvit::model
