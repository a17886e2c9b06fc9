#include "inference/training/arch_presets.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cellvit::training {

using Json = nlohmann::json;

std::vector<std::string> archPresetNames() { return { "cpu-small", "vit256", "cpu-small-stardist", "cpu-small-cpp" }; }

namespace {

Json preset(const std::string& name)
{
    if (name == "cpu-small")
        return { { "model.embed_dim", 192 },     { "model.depth", 6 },
                 { "model.num_heads", 6 },       { "model.extract_layers", { 2, 3, 5, 6 } },
                 { "model.mlp_ratio", 4.0 },     { "model.decoder_width_scale", 0.25 } };
    if (name == "cpu-small-stardist" || name == "cpu-small-cpp") {
        Json json = preset("cpu-small");
        json["arch"] = name == "cpu-small-cpp" ? "CellViTCPP" : "CellViTStarDist";
        json["model.nrays"] = 32;
        return json;
    }
    if (name == "vit256")
        return { { "model.embed_dim", 384 }, { "model.depth", 12 }, { "model.num_heads", 6 },
                 { "model.extract_layers", { 3, 6, 9, 12 } } };
    return nullptr;
}

} // namespace

ArchConfig parseArchConfig(const std::string& text)
{
    Json json = preset(text);
    if (json.is_null()) {
        try {
            if (!text.empty() && text.front() == '{') {
                json = Json::parse(text);
            } else if (std::filesystem::is_regular_file(text)) {
                std::ifstream in(text);
                json = Json::parse(in);
            } else {
                std::string names;
                for (const auto& n : archPresetNames())
                    names += (names.empty() ? "" : ", ") + n;
                throw std::invalid_argument("--arch-config '" + text + "' is neither a preset (" + names
                                            + "), a JSON file nor a JSON object");
            }
        } catch (const Json::exception& e) {
            throw std::invalid_argument("--arch-config '" + text + "': invalid JSON (" + e.what() + ")");
        }
    }
    if (!json.is_object())
        throw std::invalid_argument("--arch-config '" + text + "' must be a JSON object of flattened config keys");
    ArchConfig config;
    if (json.contains("arch")) {
        config.arch = json.at("arch").get<std::string>();
        json.erase("arch");
    }
    config.flatConfig = json;
    return config;
}

} // namespace cellvit::training
