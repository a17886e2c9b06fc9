#pragma once
// One object read from a (QuPath) GeoJSON file: geometry in level-0 pixels plus the QuPath properties.

#include "inference/export/cell_classes.h"

#include <cstddef>
#include <map>
#include <opencv2/core/types.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellvit {

enum class GeoJsonObjectType { Annotation, Detection, Cell, Tile, TmaCore, Root };

// QuPath's spelling: "annotation", "detection", "cell", "tile", "tmaCore", "root".
const char* objectTypeName(GeoJsonObjectType type);

// rings[0] is the outer ring, the others are holes. Rings are closed as in the file (last point == first).
struct GeoJsonPolygon {
    std::vector<std::vector<cv::Point2d>> rings;
};

// Polygons of Polygon / MultiPolygon, lines of LineString / MultiLineString, points of Point / MultiPoint;
// the members of a GeometryCollection are sorted into the same lists.
struct GeoJsonGeometry {
    std::string type;
    std::vector<GeoJsonPolygon> polygons;
    std::vector<std::vector<cv::Point2d>> lines;
    std::vector<cv::Point2d> points;
    bool isEllipse = false; // QuPath's foreign member: an ellipse fitted to the bounding box
};

struct GeoJsonFeature {
    std::size_t index = 0; // position among the file's Features, in reading order (0-based)
    std::string id; // as written; QuPath ids are UUIDs
    GeoJsonObjectType objectType = GeoJsonObjectType::Annotation;
    GeoJsonGeometry geometry;
    std::optional<GeoJsonGeometry> nucleusGeometry; // cells only
    std::string name;
    std::string className; // empty = unclassified; derived classes joined with ": "
    std::optional<Rgb> classColor;
    std::optional<Rgb> objectColor;
    std::map<std::string, double> measurements; // "NaN" / "Infinity" strings become NaN / inf
};

// True for a polygon without holes whose outer ring is an axis-aligned rectangle (QuPath's rectangle ROI).
bool isAxisAlignedRectangle(const GeoJsonPolygon& polygon);
// Area of the polygon (outer minus holes) in px^2.
double polygonArea(const GeoJsonPolygon& polygon);

} // namespace cellvit
