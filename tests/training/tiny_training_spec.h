#pragma once
// A tiny generic CellViT for training tests (seconds per step on a CPU), with the default nucleus taxonomy.

#include "inference/datasets/dataset_loader.h"
#include "model_zoo/model_spec.h"

#include <nlohmann/json.hpp>

namespace cellvit::test {

inline nlohmann::json tinyTrainingConfig()
{
    nlohmann::json c { { "model.embed_dim", 32 },     { "model.depth", 4 },
                       { "model.num_heads", 2 },      { "model.extract_layers", { 1, 2, 3, 4 } },
                       { "model.decoder_width_scale", 0.125 }, { "data.num_tissue_classes", 2 },
                       { "data.magnification", 20 } };
    const auto& names = defaultNucleusTypeNames();
    c["data.num_nuclei_classes"] = static_cast<int>(names.size());
    for (size_t i = 0; i < names.size(); ++i)
        c["dataset_config.nuclei_types." + names[i]] = static_cast<int>(i);
    return c;
}

inline ModelSpec tinyTrainingSpec() { return modelSpecFromConfig("CellViT", tinyTrainingConfig()); }

} // namespace cellvit::test
