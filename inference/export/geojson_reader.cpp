#include "inference/export/geojson_reader.h"

#include "inference/export/export_error.h"
#include "inference/export/geojson_feature_parser.h"
#include "inference/export/gzip_input_buffer.h"

#include <algorithm>
#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace cellvit {

namespace {

using nlohmann::json;

constexpr int kMaxNesting = 64;
// JSON nesting the parser accepts at all. QuPath files are < 20 levels deep; without a bound a deeply nested value
// overflowed the stack in the recursive json::dump() of an error message (fuzz/fuzz_geojson_import).
constexpr std::size_t kMaxJsonNesting = 512;

class FeatureWalker {
public:
    FeatureWalker(GeoJsonImport& result, const GeoJsonRules& rules)
        : m_result(result)
        , m_rules(rules)
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
            GeoJsonFeature feature = parseGeoJsonFeature(node, m_rules);
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
    GeoJsonRules m_rules;
    std::size_t m_nextIndex = 0;
};

bool isGeometryType(const std::string& type)
{
    static const char* const kinds[]
        = { "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection" };
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

// Builds the JSON tree like nlohmann's DOM parser, except that a Feature completed directly inside a top-level
// array or a FeatureCollection's "features" is handed to the walker at once and dropped: a million-nucleus file
// is read with the memory of one feature. Features nested elsewhere (childObjects) stay with their parent.
class StreamingFeatureSax {
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    explicit StreamingFeatureSax(FeatureWalker& walker)
        : m_walker(walker)
    {
    }

    json& root() { return m_root; }
    // Parsing stopped because the input nests deeper than kMaxJsonNesting (no byte position is known then).
    bool nestedTooDeep() const { return m_nestedTooDeep; }
    std::size_t errorByte() const { return m_errorByte; }
    const std::string& errorMessage() const { return m_errorMessage; }

    bool null() { return add(nullptr); }
    bool boolean(bool v) { return add(v); }
    bool number_integer(number_integer_t v) { return add(v); }
    bool number_unsigned(number_unsigned_t v) { return add(v); }
    bool number_float(number_float_t v, const string_t&) { return add(v); }
    bool string(string_t& v) { return add(std::move(v)); }
    bool binary(binary_t& v) { return add(json::binary(std::move(v))); }

    bool start_object(std::size_t)
    {
        if (tooDeep())
            return false;
        const bool streamingContext = m_stack.empty() || (m_stack.back().value->is_array() && m_stack.back().streaming);
        json* value = place(json::object());
        m_stack.push_back({ value, streamingContext });
        return true;
    }

    bool key(string_t& name)
    {
        Frame& frame = m_stack.back();
        m_pendingFeaturesKey = frame.streaming && name == "features";
        m_objectSlot = &(*frame.value)[name];
        return true;
    }

    bool end_object()
    {
        json* done = m_stack.back().value;
        m_stack.pop_back();
        if (m_stack.empty() || !m_stack.back().value->is_array() || !m_stack.back().streaming)
            return true;
        const auto type = done->find("type");
        if (type != done->end() && type->is_string() && *type == "Feature") {
            m_walker.addFeature(*done, 1);
            m_stack.back().value->get_ref<json::array_t&>().pop_back();
        }
        return true;
    }

    bool start_array(std::size_t)
    {
        if (tooDeep())
            return false;
        bool streaming = false;
        if (m_stack.empty())
            streaming = true;
        else if (m_stack.back().value->is_array())
            streaming = m_stack.back().streaming;
        else
            streaming = m_pendingFeaturesKey;
        json* value = place(json::array());
        m_stack.push_back({ value, streaming });
        return true;
    }

    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e)
    {
        m_errorByte = position > 0 ? position - 1 : 0; // position counts the offending character
        m_errorMessage = e.what();
        return false;
    }

private:
    // For an array: "a Feature completing in me is streamed". For an object: "my features list streams".
    struct Frame {
        json* value;
        bool streaming;
    };

    bool tooDeep()
    {
        m_nestedTooDeep = m_stack.size() >= kMaxJsonNesting;
        return m_nestedTooDeep;
    }

    template <typename Value> bool add(Value&& v)
    {
        place(json(std::forward<Value>(v)));
        return true;
    }

    json* place(json&& v)
    {
        if (m_stack.empty()) {
            m_root = std::move(v);
            return &m_root;
        }
        json& container = *m_stack.back().value;
        if (container.is_array()) {
            container.get_ref<json::array_t&>().push_back(std::move(v));
            return &container.get_ref<json::array_t&>().back();
        }
        m_pendingFeaturesKey = false;
        *m_objectSlot = std::move(v);
        return m_objectSlot;
    }

    FeatureWalker& m_walker;
    json m_root;
    std::vector<Frame> m_stack;
    json* m_objectSlot = nullptr;
    bool m_pendingFeaturesKey = false;
    bool m_nestedTooDeep = false;
    std::size_t m_errorByte = 0;
    std::string m_errorMessage;
};

ExportError nestedTooDeepError(const std::string& sourceName)
{
    return ExportError(sourceName + ": JSON nested deeper than " + std::to_string(kMaxJsonNesting) + " levels");
}

// What remains after streaming: a single Feature, a bare geometry, or whatever is not GeoJSON.
void walkRemainder(const json& root, FeatureWalker& walker, const std::string& sourceName)
{
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
}

} // namespace

std::string readMaybeGzippedFile(const std::filesystem::path& file)
{
    GzipInputBuffer buffer(file);
    return std::string(std::istreambuf_iterator<char>(&buffer), std::istreambuf_iterator<char>());
}

GeoJsonImport parseGeoJsonText(std::string_view text, const std::string& sourceName, const GeoJsonRules& rules)
{
    GeoJsonImport result;
    FeatureWalker walker(result, rules);
    StreamingFeatureSax sax(walker);
    if (!json::sax_parse(text.begin(), text.end(), &sax)) {
        if (sax.nestedTooDeep())
            throw nestedTooDeepError(sourceName);
        throw ExportError(
            sourceName + ": malformed JSON at " + locate(text, sax.errorByte()) + ": " + sax.errorMessage());
    }
    walkRemainder(sax.root(), walker, sourceName);
    result.bareFeatureList = sax.root().is_array();
    return result;
}

GeoJsonImport readGeoJsonFile(const std::filesystem::path& file, const GeoJsonRules& rules)
{
    GzipInputBuffer buffer(file);
    std::istream stream(&buffer);
    GeoJsonImport result;
    FeatureWalker walker(result, rules);
    StreamingFeatureSax sax(walker);
    if (!json::sax_parse(stream, &sax)) {
        if (sax.nestedTooDeep())
            throw nestedTooDeepError(file.string());
        const auto [line, column] = buffer.lineAndColumn(sax.errorByte());
        throw ExportError(file.string() + ": malformed JSON at byte " + std::to_string(sax.errorByte()) + " (line "
            + std::to_string(line) + ", column " + std::to_string(column) + "): " + sax.errorMessage());
    }
    walkRemainder(sax.root(), walker, file.string());
    result.bareFeatureList = sax.root().is_array();
    return result;
}

std::string describeIssue(const GeoJsonIssue& issue)
{
    return "feature " + std::to_string(issue.featureIndex) + ": " + issue.reason;
}

} // namespace cellvit
