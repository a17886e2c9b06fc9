#pragma once
// Network shapes for `cellvit-train --arch-config`: named presets, a JSON file or inline JSON, all given as the
// flattened official config keys ("model.embed_dim", ...) plus an optional "arch" (default "CellViT").

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cellvit::training {

struct ArchConfig {
    std::string arch = "CellViT";
    nlohmann::json flatConfig = nlohmann::json::object();
};

// "cpu-small": the bundled default model (generic ViT, slim decoder, fast enough for 1024² tiles on a laptop CPU).
// "vit256": CellViT-256's shape (ViT-S/16, reference decoder) as a generic CellViT.
// "cpu-small-stardist" / "cpu-small-cpp": cpu-small's encoder and decoder widths with the STARDIST (CellViTStarDist)
// or CPP-Net (CellViTCPP) decoder, 32 rays. Any JSON may also name these archs ("arch": "CellViTStarDist", ...).
std::vector<std::string> archPresetNames();

// `text` is a preset name, a path to a JSON file, or a JSON object. Throws std::invalid_argument naming it.
ArchConfig parseArchConfig(const std::string& text);

} // namespace cellvit::training
