#include "inference/export/geojson_reader.h"

#include "inference/export/export_error.h"
#include "inference/export/geojson_feature_parser.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <memory>

namespace cellvit {

namespace {

using nlohmann::json;

constexpr int kMaxNesting = 64;

class FeatureWalker {
public:
    explicit FeatureWalker(GeoJsonImport& result)
        : m_result(result)
    {
    }

    // Elements without a recognised type are skipped silently, as QuPath does.
    void walk(const json& node, int depth)
    {
        if (depth > kMaxNesting)
            return;
        if (node.is_array()) {
            for (const json& element : node)
                walk(element, depth + 1);
            return;
        }
        if (!node.is_object())
            return;
        const auto type = node.find("type");
        if (type == node.end() || !type->is_string())
            return;
        const std::string kind = type->get<std::string>();
        if (kind == "FeatureCollection") {
            if (const auto features = node.find("features"); features != node.end())
                walk(*features, depth + 1);
        } else if (kind == "Feature") {
            addFeature(node, depth);
        }
    }

    void addFeature(const json& node, int depth)
    {
        const std::size_t index = m_nextIndex++;
        try {
            GeoJsonFeature feature = parseGeoJsonFeature(node);
            feature.index = index;
            m_result.features.push_back(std::move(feature));
        } catch (const GeoJsonFeatureError& e) {
            m_result.issues.push_back({ index, e.what() });
        } catch (const json::exception& e) {
            m_result.issues.push_back({ index, std::string("unexpected value: ") + e.what() });
        }
        // QuPath attaches children to their parent; we have no hierarchy, so they follow it in the list.
        for (const char* key : { "childObjects", "children" })
            if (const auto children = node.find(key); children != node.end() && children->is_array())
                walk(*children, depth + 1);
    }

    // A bare geometry becomes one annotation (QuPath warns and does the same).
    void addBareGeometry(const json& node)
    {
        const std::size_t index = m_nextIndex++;
        try {
            GeoJsonFeature feature;
            feature.index = index;
            feature.geometry = parseGeoJsonGeometry(node);
            m_result.features.push_back(std::move(feature));
        } catch (const GeoJsonFeatureError& e) {
            m_result.issues.push_back({ index, e.what() });
        }
    }

private:
    GeoJsonImport& m_result;
    std::size_t m_nextIndex = 0;
};

bool isGeometryType(const std::string& type)
{
    static const char* const kinds[] = { "Point",           "MultiPoint",   "LineString",        "MultiLineString",
                                         "Polygon",         "MultiPolygon", "GeometryCollection" };
    return std::any_of(std::begin(kinds), std::end(kinds), [&](const char* k) { return type == k; });
}

std::string locate(std::string_view text, std::size_t byte)
{
    byte = std::min(byte, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + byte, '\n'));
    const std::size_t lineStart = text.rfind('\n', byte == 0 ? 0 : byte - 1);
    const std::size_t column = lineStart == std::string_view::npos ? byte + 1 : byte - lineStart;
    return "byte " + std::to_string(byte) + " (line " + std::to_string(line) + ", column " + std::to_string(column)
        + ")";
}

} // namespace

std::string readMaybeGzippedFile(const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw ExportError(file.string() + ": no such file");
    // gzread passes plain files through unchanged.
    std::unique_ptr<gzFile_s, int (*)(gzFile)> gz(gzopen(file.c_str(), "rb"), gzclose);
    if (!gz)
        throw ExportError(file.string() + ": cannot open for reading");
    std::string text;
    char chunk[1 << 16];
    while (true) {
        const int n = gzread(gz.get(), chunk, sizeof(chunk));
        if (n < 0) {
            int code = 0;
            throw ExportError(file.string() + ": cannot read (" + gzerror(gz.get(), &code) + ")");
        }
        if (n == 0)
            break;
        text.append(chunk, static_cast<size_t>(n));
    }
    return text;
}

GeoJsonImport parseGeoJsonText(std::string_view text, const std::string& sourceName)
{
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        // e.byte is 1-based: the character that could not be consumed.
        const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
        throw ExportError(sourceName + ": malformed JSON at " + locate(text, byte) + ": " + e.what());
    }
    GeoJsonImport result;
    FeatureWalker walker(result);
    if (root.is_object()) {
        const auto type = root.find("type");
        const std::string kind = type != root.end() && type->is_string() ? type->get<std::string>() : "";
        if (kind == "FeatureCollection" || kind == "Feature")
            walker.walk(root, 0);
        else if (isGeometryType(kind))
            walker.addBareGeometry(root);
        else
            throw ExportError(sourceName + ": not GeoJSON (top-level object has "
                              + (kind.empty() ? std::string("no type") : "type \"" + kind + "\"") + ")");
    } else if (root.is_array()) {
        walker.walk(root, 0);
    } else {
        throw ExportError(sourceName + ": not GeoJSON (top level is neither an object nor an array)");
    }
    return result;
}

GeoJsonImport readGeoJsonFile(const std::filesystem::path& file)
{
    const std::string text = readMaybeGzippedFile(file);
    return parseGeoJsonText(text, file.string());
}

std::string describeIssue(const GeoJsonIssue& issue)
{
    return "feature " + std::to_string(issue.featureIndex) + ": " + issue.reason;
}

} // namespace cellvit
