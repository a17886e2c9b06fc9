#include "inference/metrics/cells_json_reader.h"

#include "inference/metrics/annotation_error.h"
#include "inference/metrics/json_file.h"

#include <algorithm>
#include <cstdlib>

namespace cellvit::metrics {
namespace {

using nlohmann::json;

// The cell objects in file order (ids numerically for the keyed form).
std::vector<const json*> cellList(const json& root, const std::filesystem::path& file)
{
    std::vector<const json*> cells;
    const json* list = nullptr;
    if (root.is_array())
        list = &root;
    else if (root.is_object() && root.contains("cells"))
        list = &root["cells"];
    if (list) {
        if (!list->is_array())
            throw AnnotationError(file, "\"cells\" is not a list");
        for (const json& c : *list)
            cells.push_back(&c);
        return cells;
    }
    if (!root.is_object())
        throw AnnotationError(file, "not a cells.json document (expected a list of cells or {\"cells\": [...]})");
    std::vector<std::pair<long long, const json*>> keyed;
    for (const auto& [key, value] : root.items()) {
        char* end = nullptr;
        const long long id = std::strtoll(key.c_str(), &end, 10);
        if (key.empty() || *end != '\0' || !value.is_object())
            throw AnnotationError(file, "not a cells.json document (no \"cells\" list, key '" + key + "')");
        keyed.emplace_back(id, &value);
    }
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& k : keyed)
        cells.push_back(k.second);
    return cells;
}

} // namespace

PolygonAnnotation readCellsJson(const std::filesystem::path& file)
{
    const json root = readJsonFile(file);
    PolygonAnnotation out;
    const std::vector<const json*> cells = cellList(root, file);
    for (size_t k = 0; k < cells.size(); ++k) {
        const json& cell = *cells[k];
        const std::string where = "cell " + std::to_string(k);
        if (!cell.is_object() || !cell.contains("contour") || !cell["contour"].is_array())
            throw AnnotationError(file, where + " has no \"contour\" list");
        PolygonInstance inst;
        inst.parts.emplace_back();
        for (const json& point : cell["contour"])
            inst.parts.front().outer.push_back(jsonPoint(point, file, where + " contour point"));
        if (cell.contains("centroid") && !cell["centroid"].is_null())
            inst.centroid = jsonPoint(cell["centroid"], file, where + " centroid");
        if (cell.contains("type") && !cell["type"].is_null()) {
            if (!cell["type"].is_number_integer())
                throw AnnotationError(file, where + " has a non-integer \"type\"");
            inst.type = cell["type"].get<int>();
            if (inst.type < 0)
                throw AnnotationError(file, where + " has a negative \"type\"");
            out.hasTypes = true;
        }
        out.instances.push_back(std::move(inst));
    }
    return out;
}

} // namespace cellvit::metrics
