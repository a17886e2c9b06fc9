#include "inference/postproc/cells_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace cellvit {

nlohmann::json cellsToJson(const std::vector<Cell>& cells, const std::vector<int>& rawIds)
{
    nlohmann::json out = nlohmann::json::array();
    for (const Cell& c : cells) {
        nlohmann::json contour = nlohmann::json::array();
        for (const cv::Point& p : c.contour)
            contour.push_back({ p.x, p.y });
        nlohmann::json j = {
            { "id", c.id },
            { "bbox", { { c.rmin, c.cmin }, { c.rmax, c.cmax } } },
            { "centroid", { c.centroid.x, c.centroid.y } },
            { "contour", std::move(contour) },
            { "type", c.type },
            { "type_prob", c.typeProb },
        };
        if (c.id >= 1 && static_cast<size_t>(c.id) <= rawIds.size())
            j["raw_id"] = rawIds[c.id - 1];
        out.push_back(std::move(j));
    }
    return out;
}

std::vector<Cell> cellsFromJson(const nlohmann::json& json)
{
    if (!json.is_array())
        throw CellsJsonError("cells JSON: expected a list of cells");
    std::vector<Cell> cells;
    cells.reserve(json.size());
    for (size_t i = 0; i < json.size(); ++i) {
        const nlohmann::json& j = json[i];
        try {
            Cell c;
            c.id = j.at("id").get<int>();
            const auto& bbox = j.at("bbox");
            c.rmin = bbox.at(0).at(0).get<int>();
            c.cmin = bbox.at(0).at(1).get<int>();
            c.rmax = bbox.at(1).at(0).get<int>();
            c.cmax = bbox.at(1).at(1).get<int>();
            c.centroid = { j.at("centroid").at(0).get<double>(), j.at("centroid").at(1).get<double>() };
            for (const auto& p : j.at("contour"))
                c.contour.emplace_back(p.at(0).get<int>(), p.at(1).get<int>());
            c.type = j.at("type").get<int>();
            c.typeProb = j.at("type_prob").get<double>();
            cells.push_back(std::move(c));
        } catch (const nlohmann::json::exception& e) {
            throw CellsJsonError("cells JSON: entry " + std::to_string(i) + ": " + e.what());
        }
    }
    return cells;
}

void writeCellsJson(const std::filesystem::path& path, const std::vector<Cell>& cells, const std::vector<int>& rawIds)
{
    std::ofstream out(path);
    if (!out)
        throw CellsJsonError(path.string() + ": cannot open for writing");
    // nlohmann writes the shortest representation that parses back to the same double.
    out << cellsToJson(cells, rawIds).dump();
    if (!out)
        throw CellsJsonError(path.string() + ": write failed");
}

std::vector<Cell> readCellsJson(const std::filesystem::path& path)
{
    std::ifstream in(path);
    if (!in)
        throw CellsJsonError(path.string() + ": cannot open for reading");
    try {
        return cellsFromJson(nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& e) {
        throw CellsJsonError(path.string() + ": " + e.what());
    } catch (const CellsJsonError& e) {
        throw CellsJsonError(path.string() + ": " + e.what());
    }
}

} // namespace cellvit
