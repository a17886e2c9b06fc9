#pragma once
// Cell contours as Boost.Geometry polygons, repaired as the reference repairs them with shapely 1.8 — by GEOS
// itself (`buffer(0)`, and the largest part of a MultiPolygon). Contours traced from pixel masks are often
// invalid: zero-width spikes, rings that touch themselves at a vertex, one-pixel bridges walked twice.

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <opencv2/core/types.hpp>
#include <vector>

namespace cellvit {

using GeoPoint = boost::geometry::model::d2::point_xy<double>;
using GeoPolygon = boost::geometry::model::polygon<GeoPoint>; // clockwise, closed (Boost defaults)
using GeoBox = boost::geometry::model::box<GeoPoint>;

// geos::bufferRepairedLargestPart as a Boost polygon; an empty polygon when nothing with area is left (shapely:
// POLYGON EMPTY).
GeoPolygon repairedPolygon(const std::vector<cv::Point2d>& contour);

// Area of the intersection of two valid polygons; 0 when they only touch.
double intersectionArea(const GeoPolygon& a, const GeoPolygon& b);

GeoBox envelopeOf(const GeoPolygon& polygon);

} // namespace cellvit
