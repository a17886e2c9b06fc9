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

std::map<int, std::string> cellsJsonTypeNames(const json& root)
{
    std::map<int, std::string> names;
    if (!root.is_object())
        return names;
    if (root.contains("type_map") && root["type_map"].is_object()) {
        for (const auto& [id, name] : root["type_map"].items()) {
            if (name.is_string())
                names[std::atoi(id.c_str())] = name.get<std::string>();
        }
    } else if (root.contains("wsi_metadata") && root["wsi_metadata"].is_object()
        && root["wsi_metadata"].contains("label_map") && root["wsi_metadata"]["label_map"].is_object()
        && root["wsi_metadata"]["label_map"].size() > 1) {
        for (const auto& [name, id] : root["wsi_metadata"]["label_map"].items()) {
            if (id.is_number_integer())
                names[id.get<int>()] = name;
        }
    }
    return names;
}

PolygonAnnotation readCellsJson(const std::filesystem::path& file, ClassTable& classes)
{
    const json root = readJsonFile(file);
    const std::map<int, std::string> names = cellsJsonTypeNames(root);
    // Background (id 0) aside, one named class means "some nucleus": nothing to score classes on.
    const bool singleClass = !names.empty() && names.size() - names.count(0) <= 1;
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
            const auto name = names.find(inst.type);
            if (singleClass)
                inst.type = 0;
            else if (inst.type != 0 && name != names.end())
                inst.type = classes.idOf(name->second);
            out.hasTypes = !singleClass;
        }
        out.instances.push_back(std::move(inst));
    }
    return out;
}

} // namespace cellvit::metrics
