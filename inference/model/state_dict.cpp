#include "inference/model/state_dict.h"

#include <torch/nn.h>

#include <sstream>
#include <unordered_map>

namespace cellvit::model {
namespace {

void collect(const torch::nn::Module& module, const std::string& prefix, NamedTensors& out)
{
    for (const auto& p : module.named_parameters(/*recurse=*/false))
        out.emplace_back(prefix + p.key(), p.value());
    for (const auto& b : module.named_buffers(/*recurse=*/false))
        out.emplace_back(prefix + b.key(), b.value());
    for (const auto& child : module.named_children())
        collect(*child.value(), prefix + child.key() + ".", out);
}

std::string shapeText(const at::Tensor& t)
{
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

void appendList(std::ostringstream& msg, const char* title, const std::vector<std::string>& items)
{
    if (items.empty())
        return;
    constexpr size_t kShown = 12;
    msg << "\n  " << title << " (" << items.size() << "):";
    for (size_t i = 0; i < items.size() && i < kShown; ++i)
        msg << "\n    " << items[i];
    if (items.size() > kShown)
        msg << "\n    ... and " << items.size() - kShown << " more";
}

} // namespace

NamedTensors orderedStateDict(const torch::nn::Module& module)
{
    NamedTensors out;
    collect(module, "", out);
    return out;
}

void loadStateDictStrict(torch::nn::Module& module, const NamedTensors& weights, const std::string& source)
{
    const NamedTensors own = orderedStateDict(module);
    std::unordered_map<std::string, const at::Tensor*> given;
    for (const auto& [name, tensor] : weights)
        given.emplace(name, &tensor);

    std::vector<std::string> missing, unexpected, mismatched;
    std::unordered_map<std::string, bool> known;
    for (const auto& [name, target] : own) {
        known.emplace(name, true);
        const auto it = given.find(name);
        if (it == given.end())
            missing.push_back(name);
        else if (it->second->sizes() != target.sizes())
            mismatched.push_back(name + ": checkpoint " + shapeText(*it->second) + ", model " + shapeText(target));
    }
    for (const auto& [name, tensor] : weights) {
        if (!known.count(name))
            unexpected.push_back(name);
    }
    if (!missing.empty() || !unexpected.empty() || !mismatched.empty()) {
        std::ostringstream msg;
        msg << source << ": the weights do not fit the network built from its config";
        appendList(msg, "missing keys", missing);
        appendList(msg, "unexpected keys", unexpected);
        appendList(msg, "shape mismatches", mismatched);
        throw CheckpointError(msg.str());
    }

    torch::NoGradGuard noGrad;
    for (auto& [name, target] : own) {
        const at::Tensor& value = *given.at(name);
        auto mutableTarget = target; // shares storage with the module's tensor
        mutableTarget.copy_(value.to(target.device(), target.scalar_type()));
    }
}

} // namespace cellvit::model
