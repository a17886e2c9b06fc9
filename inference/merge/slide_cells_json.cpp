#include "inference/merge/slide_cells_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace cellvit {

namespace {
    // Integral coordinates are written as integers, like the reference's int arrays.
    nlohmann::json number(double v)
    {
        if (std::floor(v) == v && std::abs(v) < 9e15)
            return static_cast<long long>(v);
        return v;
    }
}

nlohmann::json slideCellToJson(const SlideCell& c)
{
    nlohmann::json contour = nlohmann::json::array();
    for (const cv::Point2d& p : c.contour)
        contour.push_back({ number(p.x), number(p.y) });
    nlohmann::json j = {
        { "bbox", { { number(c.rmin), number(c.cmin) }, { number(c.rmax), number(c.cmax) } } },
        { "centroid", { c.centroid.x, c.centroid.y } },
        { "contour", std::move(contour) },
        { "type_prob", c.typeProb },
        { "type", c.type },
        { "patch_coordinates", { c.patch.row, c.patch.col } },
        { "cell_status", c.cellStatus },
        { "offset_global", { number(c.patchOrigin.y), number(c.patchOrigin.x) } },
        { "edge_position", c.edgePosition() },
    };
    if (c.edgePosition()) {
        nlohmann::json patches = nullptr;
        if (c.edgePatches) {
            patches = nlohmann::json::array();
            for (const PatchIndex& p : *c.edgePatches)
                patches.push_back({ p.row, p.col });
        }
        nlohmann::json position = nlohmann::json::array();
        for (bool b : c.border)
            position.push_back(b ? 1 : 0);
        j["edge_information"] = { { "position", std::move(position) }, { "edge_patches", std::move(patches) } };
    }
    return j;
}

} // namespace cellvit
