#include "inference/merge/cell_polygon.h"

#include "inference/geometry/valid_polygons.h"

#include <boost/geometry.hpp>

#include <algorithm>

namespace bg = boost::geometry;

namespace cellvit {

namespace {

GeoPolygon::ring_type toRing(const geos::Ring& ring)
{
    GeoPolygon::ring_type out;
    for (const cv::Point2d& p : ring)
        out.emplace_back(p.x, p.y);
    return out;
}

} // namespace

GeoPolygon repairedPolygon(const std::vector<cv::Point2d>& contour)
{
    GeoPolygon polygon;
    std::optional<geos::PolygonWithHoles> repaired = geos::bufferRepairedLargestPart(contour);
    if (!repaired)
        return polygon;
    // GEOS starts a repaired ring anywhere; starting it at the contour's first point when that is on it keeps the
    // vertex order of merged (united) nuclei as before, so unchanged inputs give byte-identical cells.json.
    geos::Ring& outer = repaired->outer;
    if (!contour.empty()) {
        const auto first = std::find(outer.begin(), outer.end(), contour.front());
        std::rotate(outer.begin(), first == outer.end() ? outer.begin() : first, outer.end());
    }
    polygon.outer() = toRing(outer);
    for (const geos::Ring& hole : repaired->holes)
        polygon.inners().push_back(toRing(hole));
    bg::correct(polygon); // Boost's orientation (clockwise) and closed rings
    return polygon;
}

double intersectionArea(const GeoPolygon& a, const GeoPolygon& b)
{
    bg::model::multi_polygon<GeoPolygon> out;
    bg::intersection(a, b, out);
    return bg::area(out);
}

GeoBox envelopeOf(const GeoPolygon& polygon)
{
    return bg::return_envelope<GeoBox>(polygon);
}

} // namespace cellvit
