#pragma once
// The bundled models: checkpoints found, in order, in $CELLVIT_MODEL_DIR, <program dir>/../share/cellvit-studio/
// models (an unpacked or relocated package; in the build tree a link to resources/models) and the install data
// folder (<datadir>/cellvit-studio/models). No source-tree path is compiled in. The first folder holding a
// name wins, so a user folder can shadow a bundled model. No Qt, no torch: the CLI and GUI both list it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cellvit {

// Name (file stem) of the model that runs when none is given.
inline constexpr const char* kDefaultModelName = "cellvit-studio-x40";

struct BundledModel {
    std::string name; // file stem, e.g. "cellvit-studio-x40"
    std::filesystem::path file; // .safetensors or .pth
    std::filesystem::path card; // <name>.md next to it; empty when there is none
    std::string summary; // first heading or line of the card; empty without a card
    bool isDefault = false;
};

// <directory of the running program>/../share/cellvit-studio/models; nullopt when the program's path is unknown.
std::optional<std::filesystem::path> executableModelFolder();

// The folders searched, in order, whether they exist or not (duplicates removed).
std::vector<std::filesystem::path> modelSearchFolders();

// Every *.safetensors / *.pth in the search folders, one per name (first folder wins), sorted by name.
std::vector<BundledModel> findBundledModels();
std::vector<BundledModel> findBundledModels(const std::vector<std::filesystem::path>& folders);

// The default model, if one of the folders holds it.
std::optional<BundledModel> defaultBundledModel();

} // namespace cellvit
