#include "inference/export/nucleus_shape.h"

#include "inference/geometry/valid_polygons.h"

#include <cmath>
#include <limits>
#include <set>
#include <utility>

namespace cellvit {

namespace {

// GEOS's precision reducer with this grid rounds as snap() does: round(v · 100) / 100.
constexpr double kQuPathGrid = 0.01;

double snap(double v)
{
    return std::round(v * 100.0) / 100.0;
}

} // namespace

std::vector<cv::Point2d> exportRing(const std::vector<cv::Point2d>& contour)
{
    std::vector<cv::Point2d> ring;
    ring.reserve(contour.size());
    for (const cv::Point2d& p : contour) {
        const cv::Point2d s(snap(p.x), snap(p.y));
        if (ring.empty() || ring.back() != s)
            ring.push_back(s);
    }
    while (ring.size() > 1 && ring.back() == ring.front())
        ring.pop_back();
    std::set<std::pair<double, double>> distinct;
    for (const cv::Point2d& p : ring)
        distinct.emplace(p.x, p.y);
    if (distinct.size() < 3) {
        ring.clear();
        return ring;
    }
    // A contour that touches or crosses itself (a pinched nucleus, two lobes joined by a 1-px bridge) is no valid
    // polygon, and QuPath's and GEOS's area and overlap operations fail on it: keep the largest valid part.
    if (!geos::isValidRing(ring)) {
        std::vector<geos::Ring> parts = geos::validPolygons(ring, kQuPathGrid);
        ring = parts.empty() ? std::vector<cv::Point2d>() : std::move(parts.front());
    }
    return ring;
}

double ringArea(const std::vector<cv::Point2d>& ring)
{
    double twice = 0;
    for (size_t i = 0, n = ring.size(); i < n; ++i) {
        const cv::Point2d& a = ring[i];
        const cv::Point2d& b = ring[(i + 1) % n];
        twice += a.x * b.y - b.x * a.y;
    }
    return std::abs(twice) / 2.0;
}

double ringPerimeter(const std::vector<cv::Point2d>& ring)
{
    double length = 0;
    for (size_t i = 0, n = ring.size(); i < n && n > 1; ++i) {
        const cv::Point2d d = ring[(i + 1) % n] - ring[i];
        length += std::hypot(d.x, d.y);
    }
    return length;
}

NucleusMeasurements measureNucleus(
    const std::vector<cv::Point2d>& ring, cv::Point2d centroid, double typeProb, std::optional<double> micronsPerPixel)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double area = ringArea(ring);
    const double perimeter = ringPerimeter(ring);
    const bool scaled = micronsPerPixel && std::isfinite(*micronsPerPixel) && *micronsPerPixel > 0;
    const double mpp = scaled ? *micronsPerPixel : nan;
    NucleusMeasurements m;
    m.areaUm2 = area * mpp * mpp;
    m.perimeterUm = perimeter * mpp;
    m.circularity = perimeter > 0 ? 4.0 * M_PI * area / (perimeter * perimeter) : nan;
    m.typeProbability = typeProb;
    m.centroidXUm = centroid.x * mpp;
    m.centroidYUm = centroid.y * mpp;
    return m;
}

} // namespace cellvit
