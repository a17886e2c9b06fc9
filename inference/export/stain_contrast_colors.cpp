#include "inference/export/stain_contrast_colors.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace cellvit {
namespace {

// Bright hues, none blue or purple (haematoxylin) nor pink (eosin).
constexpr std::array<Rgb, 7> kSequence { { { 0, 230, 80 }, { 255, 215, 0 }, { 0, 210, 255 }, { 255, 140, 0 },
    { 255, 74, 61 }, { 255, 255, 255 }, { 180, 255, 0 } } };

} // namespace

Rgb stainContrastColor(const std::string& name, int typeId)
{
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const auto has = [&](const char* word) { return n.find(word) != std::string::npos; };
    if (has("neoplas") || has("tumo"))
        return { 255, 74, 61 }; // red-orange
    if (has("inflam") || has("lymph") || has("immune"))
        return { 0, 230, 80 }; // green
    if (has("connect") || has("fibro") || has("strom"))
        return { 255, 215, 0 }; // yellow
    if (has("dead") || has("necro"))
        return { 0, 210, 255 }; // cyan
    if (has("epithel"))
        return { 255, 140, 0 }; // orange
    if (has("other") || has("unknown"))
        return { 255, 255, 255 };
    return kSequence[size_t(std::max(0, typeId)) % kSequence.size()];
}

CellTaxonomy withExportColors(const CellTaxonomy& taxonomy)
{
    if (taxonomy.typeNames() == CellTaxonomy::panNuke().typeNames())
        return taxonomy;
    std::map<int, Rgb> colors = taxonomy.colors();
    for (const auto& [id, name] : taxonomy.typeNames())
        colors.emplace(id, stainContrastColor(name, id)); // a colour of its own stays
    return CellTaxonomy(taxonomy.typeNames(), std::move(colors));
}

} // namespace cellvit
