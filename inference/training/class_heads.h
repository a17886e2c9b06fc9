#pragma once
// The layers of a CellViT network whose outputs are one value per class: the last layer of the nucleus-type head
// and of the tissue head. Fine-tuning (cellvit-train --init) on another taxonomy re-initialises exactly these.

#include "inference/model/cellvit_network.h"

#include <string>
#include <vector>

namespace cellvit::training {

struct ClassHeadLayers {
    // State-dict names (weight, and bias where the layer has one) of the layer that makes the nucleus-type logits:
    // HoVer-Net / STARDIST nuclei_type_maps_decoder's final 1×1 conv, the shared STARDIST decoder's
    // nuclei_type_maps_header, CPP-Net's type_head.
    std::vector<std::string> nucleusType;
    // The layers sized by the tissue classes: the ViT encoder's head (the tissue logits of ViT models) and
    // classifier_head (the tissue logits of SAM models; held but unused by ViT STARDIST / CPP-Net models).
    std::vector<std::string> tissue;
};

// Found from the network's modules (by tensor identity), not from name patterns.
ClassHeadLayers classHeadLayers(const model::CellVitNetworkImpl& net);

} // namespace cellvit::training
