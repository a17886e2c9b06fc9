#include "inference/training/class_heads.h"

#include "inference/model/state_dict.h"

#include <stdexcept>
#include <torch/nn.h>

namespace cellvit::training {
namespace {

// The state-dict names of `layer`'s own parameters, in state-dict order.
void appendNamesOf(const model::CellVitNetworkImpl& net, const NamedTensors& stateDict,
    const std::shared_ptr<torch::nn::Module>& layer, std::vector<std::string>& names)
{
    if (!layer)
        return;
    const auto own = layer->parameters(/*recurse=*/false);
    size_t found = 0;
    for (const auto& [name, tensor] : stateDict)
        for (const auto& p : own)
            if (tensor.is_same(p)) {
                names.push_back(name);
                ++found;
            }
    if (found != own.size())
        throw std::logic_error("classHeadLayers: a head layer of " + net.spec.arch + " is not in its state dict");
}

} // namespace

ClassHeadLayers classHeadLayers(const model::CellVitNetworkImpl& net)
{
    const NamedTensors stateDict = model::orderedStateDict(net);
    ClassHeadLayers heads;

    std::shared_ptr<torch::nn::Module> typeLayer;
    if (net.typeHead) // CPP-Net: the branch ends in 32 features, a 1×1 conv makes the classes
        typeLayer = net.typeHead.ptr();
    else if (net.typeHeader) // shared STARDIST decoder: 64 features, then a 1×1 conv per output
        typeLayer = net.typeHeader.ptr();
    else if (net.nucleiTypeBranch) { // HoVer-Net / STARDIST: the branch's decoder0_header ends in the class conv
        const auto& header = net.nucleiTypeBranch->decoder0_header;
        if (header->size() == 0)
            throw std::logic_error("classHeadLayers: empty nuclei_type_maps_decoder header");
        typeLayer = header->ptr(header->size() - 1);
    }
    if (!typeLayer || !typeLayer->as<torch::nn::Conv2d>())
        throw std::logic_error("classHeadLayers: no nucleus-type conv in " + net.spec.arch);
    appendNamesOf(net, stateDict, typeLayer, heads.nucleusType);

    if (net.vitEncoder)
        appendNamesOf(net, stateDict, net.vitEncoder->head.ptr(), heads.tissue);
    if (net.classifierHead)
        appendNamesOf(net, stateDict, net.classifierHead.ptr(), heads.tissue);
    return heads;
}

} // namespace cellvit::training
