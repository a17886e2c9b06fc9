#pragma once
// Imports QuPath GeoJSON: annotations (regions, rectangles, polygons with holes) and detections / cells.
// Accepted containers as in QuPath: a FeatureCollection, a single Feature, a bare array of Features (nested
// arrays walked), or a bare geometry (one annotation); .geojson / .json, optionally gzip-compressed (.gz).
// Unlike QuPath, one bad feature does not abort the import: it is reported with its index and reason, and all
// valid features are kept.

#include "inference/export/geojson_feature.h"
#include "inference/export/geojson_feature_parser.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cellvit {

struct GeoJsonIssue {
    std::size_t featureIndex = 0; // GeoJsonFeature::index the bad feature would have had
    std::string reason;
};

struct GeoJsonImport {
    std::vector<GeoJsonFeature> features;
    std::vector<GeoJsonIssue> issues;
    // The file's top level is a bare list of Features (CellViT's own export: one MultiPolygon per class, whose
    // polygons are the nuclei), not a FeatureCollection or a single Feature.
    bool bareFeatureList = false;
};

// Throws ExportError naming the file when it cannot be read, is not valid JSON (with byte offset, line and
// column) or is not GeoJSON at all.
GeoJsonImport readGeoJsonFile(const std::filesystem::path& file, const GeoJsonRules& rules = kQuPathRules);
// sourceName is used in error messages.
GeoJsonImport parseGeoJsonText(
    std::string_view text, const std::string& sourceName, const GeoJsonRules& rules = kQuPathRules);

// "feature 12: geometry ring 0 is not closed (...)"
std::string describeIssue(const GeoJsonIssue& issue);

// Whole file content; gzip is recognised by its magic bytes, so a misnamed file still reads.
std::string readMaybeGzippedFile(const std::filesystem::path& file);

} // namespace cellvit
