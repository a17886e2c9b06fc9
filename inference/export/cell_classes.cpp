#include "inference/export/cell_classes.h"

#include <cmath>
#include <utility>

namespace cellvit {

namespace {

// HSV (s = 0.65, v = 0.9) to RGB for the generated colours.
Rgb hueToRgb(double hue)
{
    const double s = 0.65, v = 0.9;
    const double h = hue * 6.0;
    const int sector = static_cast<int>(std::floor(h)) % 6;
    const double f = h - std::floor(h);
    const double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double r = v, g = t, b = p;
    switch (sector) {
    case 1:
        r = q, g = v, b = p;
        break;
    case 2:
        r = p, g = v, b = t;
        break;
    case 3:
        r = p, g = q, b = v;
        break;
    case 4:
        r = t, g = p, b = v;
        break;
    case 5:
        r = v, g = p, b = q;
        break;
    default:
        break;
    }
    return { static_cast<int>(std::lround(r * 255)), static_cast<int>(std::lround(g * 255)),
        static_cast<int>(std::lround(b * 255)) };
}

} // namespace

Rgb referenceTypeColor(int typeId)
{
    static const Rgb table[] = {
        { 92, 20, 186 },
        { 255, 0, 0 },
        { 34, 221, 77 },
        { 35, 92, 236 },
        { 254, 255, 0 },
        { 255, 159, 68 },
        { 80, 56, 112 },
        { 87, 112, 56 },
        { 110, 0, 0 },
        { 255, 196, 196 },
        { 214, 255, 196 },
    };
    constexpr int tableSize = static_cast<int>(sizeof(table) / sizeof(table[0]));
    if (typeId >= 0 && typeId < tableSize)
        return table[typeId];
    const double goldenRatioConjugate = 0.6180339887498949;
    const double hue = std::fmod(std::abs(static_cast<double>(typeId)) * goldenRatioConjugate, 1.0);
    return hueToRgb(hue);
}

CellTaxonomy::CellTaxonomy(std::map<int, std::string> typeNames, std::map<int, Rgb> colors)
    : m_typeNames(std::move(typeNames))
    , m_colors(std::move(colors))
{
}

CellTaxonomy CellTaxonomy::panNuke()
{
    return CellTaxonomy({ { 0, "Background" }, { 1, "Neoplastic" }, { 2, "Inflammatory" }, { 3, "Connective" },
        { 4, "Dead" }, { 5, "Epithelial" } });
}

CellClass CellTaxonomy::classOf(int typeId) const
{
    const auto it = m_typeNames.find(typeId);
    const auto color = m_colors.find(typeId);
    return { it != m_typeNames.end() ? it->second : "Type " + std::to_string(typeId),
        color != m_colors.end() ? color->second : referenceTypeColor(typeId) };
}

} // namespace cellvit
