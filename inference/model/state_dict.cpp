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

namespace {

using NamedShapes = std::vector<std::pair<std::string, std::vector<int64_t>>>;

std::string shapeText(c10::IntArrayRef sizes)
{
    std::ostringstream s;
    s << sizes;
    return s.str();
}

// One error naming every missing, unexpected and mis-shaped key, like PyTorch's strict load_state_dict.
void checkStateDictFits(const NamedTensors& own, const NamedShapes& weights, const std::string& source)
{
    std::unordered_map<std::string, const std::vector<int64_t>*> given;
    for (const auto& [name, shape] : weights)
        given.emplace(name, &shape);

    std::vector<std::string> missing, unexpected, mismatched;
    std::unordered_map<std::string, bool> known;
    for (const auto& [name, target] : own) {
        known.emplace(name, true);
        const auto it = given.find(name);
        if (it == given.end())
            missing.push_back(name);
        else if (c10::IntArrayRef(*it->second) != target.sizes())
            mismatched.push_back(
                name + ": checkpoint " + shapeText(*it->second) + ", model " + shapeText(target.sizes()));
    }
    for (const auto& [name, shape] : weights) {
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
}

void copyInto(const at::Tensor& target, const at::Tensor& value)
{
    torch::NoGradGuard noGrad;
    auto mutableTarget = target; // shares storage with the module's tensor
    mutableTarget.copy_(value.to(target.device(), target.scalar_type()));
}

} // namespace

void loadStateDictStrict(torch::nn::Module& module, const NamedTensors& weights, const std::string& source)
{
    const NamedTensors own = orderedStateDict(module);
    NamedShapes shapes;
    std::unordered_map<std::string, const at::Tensor*> given;
    for (const auto& [name, tensor] : weights) {
        shapes.emplace_back(name, tensor.sizes().vec());
        given.emplace(name, &tensor);
    }
    checkStateDictFits(own, shapes, source);
    for (const auto& [name, target] : own)
        copyInto(target, *given.at(name));
}

StreamingStateDictLoader::StreamingStateDictLoader(torch::nn::Module& module, const CheckpointHeader& header)
    : m_source(header.source.string())
{
    NamedTensors own = orderedStateDict(module);
    checkStateDictFits(own, header.tensorShapes, m_source);
    for (auto& [name, target] : own)
        m_targets.emplace(name, target);
}

void StreamingStateDictLoader::load(const std::string& name, const at::Tensor& value)
{
    const auto it = m_targets.find(name);
    // The header listed the same names and shapes; a reader that disagrees with its own header is a bug.
    if (it == m_targets.end() || it->second.sizes() != value.sizes())
        throw CheckpointError(m_source + ": tensor '" + name + "' differs from the checkpoint's header");
    copyInto(it->second, value);
    ++m_loaded;
}

void StreamingStateDictLoader::finish() const
{
    if (m_loaded != m_targets.size())
        throw CheckpointError(m_source + ": only " + std::to_string(m_loaded) + " of " + std::to_string(m_targets.size())
            + " tensors were read");
}

} // namespace cellvit::model
