#include "inference/pipeline/region.h"

#include "inference/geometry/valid_polygons.h"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cellvit {
namespace {

namespace bg = boost::geometry;
using BgPoint = bg::model::d2::point_xy<double>;
using BgPolygon = bg::model::polygon<BgPoint>;
using BgBox = bg::model::box<BgPoint>;

std::vector<cv::Point2f> asFloat(const std::vector<cv::Point2d>& ring)
{
    return { ring.begin(), ring.end() };
}

BgPolygon toBoost(const std::vector<cv::Point2d>& ring)
{
    BgPolygon polygon;
    for (const auto& p : ring)
        bg::append(polygon.outer(), BgPoint(p.x, p.y));
    bg::correct(polygon); // closes the ring and fixes the orientation
    return polygon;
}

} // namespace

RegionOfInterest RegionOfInterest::rectangle(double x, double y, double width, double height)
{
    return { { { { x, y }, { x + width, y }, { x + width, y + height }, { x, y + height } } } };
}

cv::Rect2d RegionOfInterest::boundingBox() const
{
    double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
    for (const auto& ring : polygons)
        for (const auto& p : ring) {
            x0 = std::min(x0, p.x);
            y0 = std::min(y0, p.y);
            x1 = std::max(x1, p.x);
            y1 = std::max(y1, p.y);
        }
    return x1 < x0 ? cv::Rect2d() : cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
}

bool RegionOfInterest::contains(const cv::Point2d& point) const
{
    for (const auto& ring : polygons) {
        if (ring.size() >= 3 && cv::pointPolygonTest(asFloat(ring), cv::Point2f(point), false) >= 0)
            return true;
    }
    return false;
}

bool RegionOfInterest::intersects(const cv::Rect2d& rect) const
{
    const BgBox box(BgPoint(rect.x, rect.y), BgPoint(rect.x + rect.width, rect.y + rect.height));
    return std::any_of(polygons.begin(), polygons.end(), [&](const auto& ring) {
        return ring.size() >= 3 && bg::intersects(box, toBoost(ring));
    });
}

double RegionOfInterest::area() const
{
    double total = 0;
    for (const auto& ring : polygons)
        if (ring.size() >= 3)
            total += std::abs(cv::contourArea(asFloat(ring)));
    return total;
}

RegionOfInterest RegionOfInterest::repaired() const
{
    RegionOfInterest result;
    for (const auto& ring : polygons)
        for (auto& part : geos::validPolygons(ring))
            result.polygons.push_back(std::move(part));
    return result;
}

} // namespace cellvit
