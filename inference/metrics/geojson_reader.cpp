#include "inference/metrics/geojson_reader.h"

#include "inference/metrics/annotation_error.h"
#include "inference/metrics/json_file.h"

namespace cellvit::metrics {
namespace {

using nlohmann::json;

Ring readRing(const json& ring, const std::filesystem::path& file, const std::string& where)
{
    if (!ring.is_array())
        throw AnnotationError(file, where + ": a ring is not a list of positions");
    Ring out;
    out.reserve(ring.size());
    for (const json& p : ring)
        out.push_back(jsonPoint(p, file, where + " position"));
    return out;
}

PolygonPart readPolygon(const json& rings, const std::filesystem::path& file, const std::string& where)
{
    if (!rings.is_array() || rings.empty())
        throw AnnotationError(file, where + ": a Polygon needs at least one ring");
    PolygonPart part;
    part.outer = readRing(rings[0], file, where);
    for (size_t k = 1; k < rings.size(); ++k)
        part.holes.push_back(readRing(rings[k], file, where));
    return part;
}

// The "type" member, or "" when it is missing or not a string (json::value would throw a type_error for
// {"type": 5}; found by fuzz/fuzz_metrics_geojson).
std::string typeOf(const json& object)
{
    const auto type = object.find("type");
    return type != object.end() && type->is_string() ? type->get<std::string>() : std::string();
}

// 0 when the feature has no classification.
int classOf(const json& feature, ClassTable& classes, bool& named)
{
    if (!feature.contains("properties") || !feature["properties"].is_object())
        return 0;
    const json& props = feature["properties"];
    if (!props.contains("classification"))
        return 0;
    const json& c = props["classification"];
    std::string name;
    if (c.is_string())
        name = c.get<std::string>();
    else if (c.is_object() && c.contains("name") && c["name"].is_string())
        name = c["name"].get<std::string>();
    if (name.empty())
        return 0;
    named = true;
    return classes.idOf(name);
}

} // namespace

PolygonAnnotation readGeoJson(const std::filesystem::path& file, ClassTable& classes)
{
    const json root = readJsonFile(file);
    // Pointers, not a copy: copying json recurses, and a deeply nested value overflowed the stack.
    std::vector<const json*> features;
    // CellViT writes a bare list of per-class Features: there each polygon is a nucleus.
    const bool polygonPerNucleus = root.is_array();
    if (root.is_array()) {
        for (const json& feature : root)
            features.push_back(&feature);
    } else if (root.is_object() && typeOf(root) == "FeatureCollection") {
        if (!root.contains("features") || !root["features"].is_array())
            throw AnnotationError(file, "FeatureCollection without a \"features\" list");
        for (const json& feature : root["features"])
            features.push_back(&feature);
    } else if (root.is_object() && typeOf(root) == "Feature") {
        features.push_back(&root);
    } else {
        throw AnnotationError(file, "not GeoJSON (expected a FeatureCollection, a Feature or a list of Features)");
    }

    PolygonAnnotation out;
    bool named = false;
    for (size_t k = 0; k < features.size(); ++k) {
        const json& feature = *features[k];
        const std::string where = "feature " + std::to_string(k);
        if (!feature.is_object() || !feature.contains("geometry") || feature["geometry"].is_null())
            continue;
        const json& geometry = feature["geometry"];
        if (!geometry.is_object())
            throw AnnotationError(file, where + ": the geometry is not an object");
        const std::string type = typeOf(geometry);
        if (type != "Polygon" && type != "MultiPolygon")
            continue; // points (cell_detection.geojson), lines, ...: nothing to segment
        if (!geometry.contains("coordinates") || !geometry["coordinates"].is_array())
            throw AnnotationError(file, where + ": " + type + " without coordinates");
        const int cls = classOf(feature, classes, named);
        std::vector<PolygonPart> parts;
        if (type == "Polygon") {
            parts.push_back(readPolygon(geometry["coordinates"], file, where));
        } else {
            for (const json& polygon : geometry["coordinates"])
                parts.push_back(readPolygon(polygon, file, where));
        }
        if (polygonPerNucleus) {
            for (PolygonPart& part : parts)
                out.instances.push_back({ { std::move(part) }, cls, std::nullopt });
        } else {
            out.instances.push_back({ std::move(parts), cls, std::nullopt });
        }
    }
    if (out.instances.empty())
        throw AnnotationError(file, "no Polygon or MultiPolygon features");
    out.hasTypes = named;
    return out;
}

} // namespace cellvit::metrics
