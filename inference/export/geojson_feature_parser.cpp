#include "inference/export/geojson_feature_parser.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace cellvit {

namespace {

using nlohmann::json;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string shortDump(const json& value)
{
    std::string text = value.dump();
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

std::string pointText(const cv::Point2d& p)
{
    json pair = json::array({ p.x, p.y });
    return pair.dump();
}

cv::Point2d parsePosition(const json& position, const std::string& where)
{
    if (!position.is_array() || position.size() < 2 || !position[0].is_number() || !position[1].is_number())
        throw GeoJsonFeatureError(where + " is not a position [x, y]: " + shortDump(position));
    const cv::Point2d p(position[0].get<double>(), position[1].get<double>());
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
        throw GeoJsonFeatureError(where + " has a non-finite coordinate");
    return p;
}

std::vector<cv::Point2d> parsePositions(const json& positions, const std::string& where)
{
    if (!positions.is_array())
        throw GeoJsonFeatureError(where + " is not a list of positions");
    std::vector<cv::Point2d> points;
    points.reserve(positions.size());
    for (size_t i = 0; i < positions.size(); ++i)
        points.push_back(parsePosition(positions[i], where + " position " + std::to_string(i)));
    return points;
}

// JTS LinearRing rules: closed and at least 4 positions.
std::vector<cv::Point2d> parseRing(const json& ring, const std::string& where)
{
    std::vector<cv::Point2d> points = parsePositions(ring, where);
    if (points.size() < 4)
        throw GeoJsonFeatureError(
            where + " has " + std::to_string(points.size()) + " positions; a polygon ring needs at least 4");
    if (points.front() != points.back())
        throw GeoJsonFeatureError(
            where + " is not closed (first " + pointText(points.front()) + ", last " + pointText(points.back()) + ")");
    return points;
}

GeoJsonPolygon parsePolygon(const json& rings, const std::string& where)
{
    if (!rings.is_array() || rings.empty())
        throw GeoJsonFeatureError(where + " has no rings");
    GeoJsonPolygon polygon;
    for (size_t i = 0; i < rings.size(); ++i)
        polygon.rings.push_back(parseRing(rings[i], where + " ring " + std::to_string(i)));
    return polygon;
}

void addGeometry(const json& geometry, GeoJsonGeometry& out, const std::string& where, int depth)
{
    if (!geometry.is_object())
        throw GeoJsonFeatureError(where + " is not an object");
    const auto type = geometry.find("type");
    if (type == geometry.end() || !type->is_string())
        throw GeoJsonFeatureError(where + " has no type");
    const std::string kind = type->get<std::string>();
    if (kind == "GeometryCollection") {
        const auto members = geometry.find("geometries");
        if (members == geometry.end() || !members->is_array())
            throw GeoJsonFeatureError(where + " (GeometryCollection) has no geometries list");
        if (depth > 16)
            throw GeoJsonFeatureError(where + " nests GeometryCollections too deeply");
        for (size_t i = 0; i < members->size(); ++i)
            addGeometry((*members)[i], out, where + " member " + std::to_string(i), depth + 1);
        return;
    }
    const auto coords = geometry.find("coordinates");
    if (coords == geometry.end() || coords->is_null())
        throw GeoJsonFeatureError(where + " (" + kind + ") has no coordinates");
    if (kind == "Polygon") {
        out.polygons.push_back(parsePolygon(*coords, where));
    } else if (kind == "MultiPolygon") {
        if (!coords->is_array())
            throw GeoJsonFeatureError(where + " (MultiPolygon) coordinates are not a list of polygons");
        for (size_t i = 0; i < coords->size(); ++i)
            out.polygons.push_back(parsePolygon((*coords)[i], where + " polygon " + std::to_string(i)));
    } else if (kind == "Point") {
        out.points.push_back(parsePosition(*coords, where));
    } else if (kind == "MultiPoint") {
        const auto points = parsePositions(*coords, where);
        out.points.insert(out.points.end(), points.begin(), points.end());
    } else if (kind == "LineString") {
        out.lines.push_back(parsePositions(*coords, where));
        if (out.lines.back().size() < 2)
            throw GeoJsonFeatureError(where + " (LineString) needs at least 2 positions");
    } else if (kind == "MultiLineString") {
        if (!coords->is_array())
            throw GeoJsonFeatureError(where + " (MultiLineString) coordinates are not a list of lines");
        for (size_t i = 0; i < coords->size(); ++i) {
            out.lines.push_back(parsePositions((*coords)[i], where + " line " + std::to_string(i)));
            if (out.lines.back().size() < 2)
                throw GeoJsonFeatureError(where + " line " + std::to_string(i) + " needs at least 2 positions");
        }
    } else {
        throw GeoJsonFeatureError(where + " has an unknown type \"" + kind + "\"");
    }
}

GeoJsonGeometry parseGeometryAt(const json& geometry, const std::string& where)
{
    GeoJsonGeometry out;
    addGeometry(geometry, out, where, 0);
    out.type = geometry.at("type").get<std::string>();
    const auto ellipse = geometry.find("isEllipse");
    out.isEllipse = ellipse != geometry.end() && ellipse->is_boolean() && ellipse->get<bool>();
    return out;
}

std::optional<GeoJsonObjectType> objectTypeFromName(const std::string& name)
{
    const std::string n = lower(name);
    if (n == "annotation" || n == "pathannotationobject")
        return GeoJsonObjectType::Annotation;
    if (n == "detection" || n == "pathdetectionobject")
        return GeoJsonObjectType::Detection;
    if (n == "cell" || n == "pathcellobject")
        return GeoJsonObjectType::Cell;
    if (n == "tile" || n == "pathtileobject")
        return GeoJsonObjectType::Tile;
    if (n == "tmacore" || n == "tmacoreobject")
        return GeoJsonObjectType::TmaCore;
    if (n == "root" || n == "pathrootobject")
        return GeoJsonObjectType::Root;
    return std::nullopt;
}

// [r, g, b], [r, g, b, a] or a packed (A)RGB integer.
Rgb parseColor(const json& color, const std::string& where)
{
    if (color.is_number_integer()) {
        const auto packed = static_cast<std::uint32_t>(color.get<std::int64_t>());
        return { static_cast<int>((packed >> 16) & 0xFF), static_cast<int>((packed >> 8) & 0xFF),
            static_cast<int>(packed & 0xFF) };
    }
    if (!color.is_array() || (color.size() != 3 && color.size() != 4))
        throw GeoJsonFeatureError(where + " is not [r, g, b]: " + shortDump(color));
    Rgb rgb {};
    for (int i = 0; i < 3; ++i) {
        if (!color[i].is_number())
            throw GeoJsonFeatureError(where + " has a non-numeric component: " + shortDump(color));
        const double v = color[i].get<double>();
        if (!(v >= 0 && v <= 255))
            throw GeoJsonFeatureError(where + " has a component outside 0..255: " + shortDump(color));
        rgb[i] = static_cast<int>(std::lround(v));
    }
    return rgb;
}

void parseClassification(const json& classification, GeoJsonFeature& feature, const GeoJsonRules& rules)
{
    if (classification.is_null())
        return;
    if (classification.is_string()) {
        feature.className = classification.get<std::string>();
        return;
    }
    if (!classification.is_object())
        throw GeoJsonFeatureError("classification is neither a name nor an object: " + shortDump(classification));
    std::string name;
    if (const auto names = classification.find("names"); names != classification.end() && names->is_array()) {
        for (const json& part : *names) {
            if (!part.is_string())
                throw GeoJsonFeatureError("classification names must be strings: " + shortDump(*names));
            name += (name.empty() ? "" : ": ") + part.get<std::string>();
        }
    } else if (const auto single = classification.find("name"); single != classification.end() && single->is_string()) {
        name = single->get<std::string>();
    } else {
        throw GeoJsonFeatureError("classification has no name: " + shortDump(classification));
    }
    const auto color = classification.find("color");
    if (color == classification.end() && rules.classNeedsColor)
        throw GeoJsonFeatureError("classification \"" + name + "\" has no color (QuPath rejects the file)");
    feature.className = name;
    if (color != classification.end())
        feature.classColor = parseColor(*color, "classification color");
}

double parseMeasurementValue(const json& value, const std::string& name)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_null())
        return std::numeric_limits<double>::quiet_NaN();
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        const std::string n = lower(text);
        if (n == "nan")
            return std::numeric_limits<double>::quiet_NaN();
        if (n == "inf" || n == "+inf" || n == "infinity" || n == "+infinity")
            return std::numeric_limits<double>::infinity();
        if (n == "-inf" || n == "-infinity")
            return -std::numeric_limits<double>::infinity();
        char* end = nullptr;
        const double parsed = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && !std::isspace(static_cast<unsigned char>(text[0])))
            return parsed;
    }
    throw GeoJsonFeatureError("measurement \"" + name + "\" is not numeric: " + shortDump(value));
}

void parseMeasurements(const json& measurements, GeoJsonFeature& feature)
{
    if (measurements.is_null())
        return;
    if (measurements.is_object()) {
        for (const auto& [name, value] : measurements.items())
            feature.measurements[name] = parseMeasurementValue(value, name);
        return;
    }
    if (!measurements.is_array())
        throw GeoJsonFeatureError("measurements are neither an object nor a list");
    for (size_t i = 0; i < measurements.size(); ++i) { // legacy form [{"name": ..., "value": ...}]
        const json& entry = measurements[i];
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() || !entry.contains("value"))
            throw GeoJsonFeatureError("measurement " + std::to_string(i) + " is not {name, value}");
        const std::string name = entry["name"].get<std::string>();
        feature.measurements[name] = parseMeasurementValue(entry["value"], name);
    }
}

void parseObjectType(const json& properties, const json& feature, GeoJsonFeature& out)
{
    for (const char* key : { "objectType", "object_type", "type" }) {
        const auto it = properties.find(key);
        if (it != properties.end() && it->is_string()) {
            // Unknown names fall back to annotation, as in QuPath.
            out.objectType = objectTypeFromName(it->get<std::string>()).value_or(GeoJsonObjectType::Annotation);
            return;
        }
    }
    // QuPath v0.2 wrote the object class as the Feature id.
    if (const auto id = feature.find("id"); id != feature.end() && id->is_string())
        if (const auto legacy = objectTypeFromName(id->get<std::string>()))
            out.objectType = *legacy;
}

} // namespace

GeoJsonGeometry parseGeoJsonGeometry(const json& geometry)
{
    return parseGeometryAt(geometry, "geometry");
}

GeoJsonFeature parseGeoJsonFeature(const json& feature, const GeoJsonRules& rules)
{
    if (!feature.is_object())
        throw GeoJsonFeatureError("feature is not an object");
    GeoJsonFeature out;
    const auto geometry = feature.find("geometry");
    if (geometry == feature.end() || geometry->is_null()) {
        if (rules.featureNeedsGeometry)
            throw GeoJsonFeatureError("feature has no geometry");
    } else {
        out.geometry = parseGeometryAt(*geometry, "geometry");
    }
    if (const auto id = feature.find("id"); id != feature.end()) {
        if (id->is_string())
            out.id = id->get<std::string>();
        else if (id->is_number())
            out.id = id->dump();
    }
    static const json emptyObject = json::object();
    const auto props = feature.find("properties");
    if (props != feature.end() && !props->is_null() && !props->is_object())
        throw GeoJsonFeatureError("properties is not an object");
    const json& properties = props != feature.end() && props->is_object() ? *props : emptyObject;
    parseObjectType(properties, feature, out);
    if (const auto nucleus = feature.find("nucleusGeometry"); nucleus != feature.end() && !nucleus->is_null())
        out.nucleusGeometry = parseGeometryAt(*nucleus, "nucleusGeometry");
    if (const auto name = properties.find("name"); name != properties.end() && name->is_string())
        out.name = name->get<std::string>();
    if (const auto color = properties.find("color"); color != properties.end() && !color->is_null())
        out.objectColor = parseColor(*color, "color");
    if (const auto cls = properties.find("classification"); cls != properties.end())
        parseClassification(*cls, out, rules);
    if (const auto m = properties.find("measurements"); m != properties.end())
        parseMeasurements(*m, out);
    return out;
}

} // namespace cellvit
