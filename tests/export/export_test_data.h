#pragma once
// Shared by the export tests: real slide cells from the golden merge vectors and a checker for the rules QuPath
// enforces on import (anchors §1.1).

#include "inference/export/uuid_v4.h"
#include "inference/merge/slide_cell.h"
#include "test_json.h"
#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellvit::test {

inline std::filesystem::path goldenGlobalCellsPath()
{
    return goldenDir() / "merge" / "global_cells.json";
}

// The reference's global cells (v2 convert_patch_to_graph_nodes output) as slide cells, field by field.
inline std::vector<SlideCell> slideCellsFromReferenceCells(const nlohmann::json& cells)
{
    std::vector<SlideCell> slideCells;
    for (const auto& c : cells) {
        SlideCell s;
        for (const auto& p : c.at("contour"))
            s.contour.emplace_back(p.at(0).get<double>(), p.at(1).get<double>());
        s.centroid = { c.at("centroid").at(0).get<double>(), c.at("centroid").at(1).get<double>() };
        s.rmin = c["bbox"][0][0].get<double>();
        s.cmin = c["bbox"][0][1].get<double>();
        s.rmax = c["bbox"][1][0].get<double>();
        s.cmax = c["bbox"][1][1].get<double>();
        s.type = c.at("type").get<int>();
        s.typeProb = c.at("type_prob").get<double>();
        s.patch = { c["patch_coordinates"][0].get<int>(), c["patch_coordinates"][1].get<int>() };
        s.cellStatus = c.at("cell_status").get<int>();
        s.patchOrigin = { c["offset_global"][1].get<double>(), c["offset_global"][0].get<double>() }; // [row, col]
        if (c.at("edge_position").get<bool>()) {
            const auto& info = c.at("edge_information");
            for (size_t i = 0; i < s.border.size(); ++i)
                s.border[i] = info["position"][i].get<int>() != 0;
            if (!info["edge_patches"].is_null()) {
                s.edgePatches.emplace();
                for (const auto& p : info["edge_patches"])
                    s.edgePatches->push_back({ p[0].get<int>(), p[1].get<int>() });
            }
        }
        // edge_position is derived from the border flags; a reference cell where they disagree is bad test data.
        if (s.edgePosition() != c.at("edge_position").get<bool>())
            throw std::runtime_error(
                "golden cell " + std::to_string(slideCells.size()) + ": edge_position disagrees with its edges");
        s.sequence = slideCells.size();
        slideCells.push_back(std::move(s));
    }
    return slideCells;
}

inline bool hasAtMostTwoDecimals(double v)
{
    return std::abs(std::round(v * 100.0) - v * 100.0) < 1e-6;
}

// Empty when the feature would import into QuPath; otherwise the first broken rule.
inline std::string quPathRuleViolation(const nlohmann::json& f)
{
    if (!f.is_object() || f.value("type", "") != "Feature")
        return "not a Feature";
    if (!f.contains("id") || !f["id"].is_string() || !isUuidV4Text(f["id"].get<std::string>()))
        return "id is not a UUID v4";
    if (!f.contains("geometry") || !f["geometry"].is_object())
        return "no geometry";
    const auto& g = f["geometry"];
    if (!g.contains("type") || !g.contains("coordinates"))
        return "geometry without type or coordinates";
    std::vector<nlohmann::json> polygons;
    if (g["type"] == "Polygon")
        polygons.push_back(g["coordinates"]);
    else if (g["type"] == "MultiPolygon")
        polygons.assign(g["coordinates"].begin(), g["coordinates"].end());
    else
        return "geometry is not a polygon";
    for (const auto& polygon : polygons) {
        if (!polygon.is_array() || polygon.empty())
            return "polygon without rings";
        for (const auto& ring : polygon) {
            if (!ring.is_array() || ring.size() < 4)
                return "ring with fewer than 4 positions";
            for (const auto& p : ring)
                if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
                    return "bad position";
            if (ring.front() != ring.back())
                return "ring not closed";
            for (const auto& p : ring)
                if (!hasAtMostTwoDecimals(p[0].get<double>()) || !hasAtMostTwoDecimals(p[1].get<double>()))
                    return "coordinate with more than 2 decimals";
        }
    }
    if (!f.contains("properties") || !f["properties"].is_object())
        return "no properties";
    const auto& props = f["properties"];
    static const std::vector<std::string> objectTypes { "annotation", "detection", "cell", "tile", "tmaCore", "root" };
    if (!props.contains("objectType") || !props["objectType"].is_string()
        || std::find(objectTypes.begin(), objectTypes.end(), props["objectType"].get<std::string>())
            == objectTypes.end())
        return "objectType missing or unknown";
    if (props.contains("classification") && !props["classification"].is_null()) {
        const auto& cls = props["classification"];
        if (cls.is_object()) {
            if (!(cls.contains("name") && cls["name"].is_string())
                && !(cls.contains("names") && cls["names"].is_array()))
                return "classification without name";
            if (!cls.contains("color") || !cls["color"].is_array() || cls["color"].size() < 3)
                return "classification without color";
            for (const auto& v : cls["color"])
                if (!v.is_number_integer() || v.get<int>() < 0 || v.get<int>() > 255)
                    return "classification colour component outside 0..255";
        } else if (!cls.is_string()) {
            return "classification neither string nor object";
        }
    }
    if (props.contains("measurements")) {
        const auto& m = props["measurements"];
        if (!m.is_object())
            return "measurements not an object";
        for (const auto& [key, value] : m.items()) {
            if (value.is_number())
                continue;
            if (value.is_string()) {
                const std::string s = value.get<std::string>();
                if (s == "NaN" || s == "Infinity" || s == "-Infinity")
                    continue;
            }
            return "measurement \"" + key + "\" is not numeric";
        }
    }
    return {};
}

} // namespace cellvit::test
