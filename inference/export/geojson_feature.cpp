#include "inference/export/geojson_feature.h"

#include "inference/export/nucleus_shape.h"

#include <algorithm>
#include <set>

namespace cellvit {

const char* objectTypeName(GeoJsonObjectType type)
{
    switch (type) {
    case GeoJsonObjectType::Annotation:
        return "annotation";
    case GeoJsonObjectType::Detection:
        return "detection";
    case GeoJsonObjectType::Cell:
        return "cell";
    case GeoJsonObjectType::Tile:
        return "tile";
    case GeoJsonObjectType::TmaCore:
        return "tmaCore";
    case GeoJsonObjectType::Root:
        return "root";
    }
    return "annotation";
}

bool isAxisAlignedRectangle(const GeoJsonPolygon& polygon)
{
    if (polygon.rings.size() != 1)
        return false;
    std::vector<cv::Point2d> ring = polygon.rings.front();
    if (ring.size() > 1 && ring.front() == ring.back())
        ring.pop_back();
    if (ring.size() != 4)
        return false;
    std::set<double> xs, ys;
    for (size_t i = 0; i < 4; ++i) {
        const cv::Point2d& a = ring[i];
        const cv::Point2d& b = ring[(i + 1) % 4];
        if (a.x != b.x && a.y != b.y)
            return false; // a diagonal edge
        xs.insert(a.x);
        ys.insert(a.y);
    }
    return xs.size() == 2 && ys.size() == 2;
}

double polygonArea(const GeoJsonPolygon& polygon)
{
    double area = 0;
    for (size_t i = 0; i < polygon.rings.size(); ++i)
        area += (i == 0 ? 1.0 : -1.0) * ringArea(polygon.rings[i]);
    return std::max(area, 0.0);
}

} // namespace cellvit
