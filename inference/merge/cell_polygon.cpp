#include "inference/merge/cell_polygon.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <cmath>
#include <map>

namespace bg = boost::geometry;

namespace cellvit {

namespace {

using Loop = std::vector<cv::Point2d>;

void removeConsecutiveDuplicates(Loop& ring)
{
    ring.erase(std::unique(ring.begin(), ring.end()), ring.end());
    while (ring.size() > 1 && ring.front() == ring.back())
        ring.pop_back();
}

double cross(cv::Point2d o, cv::Point2d a, cv::Point2d b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

// A vertex where the ring runs back along the edge it came from (collinear, direction reversed).
bool isSpike(cv::Point2d prev, cv::Point2d cur, cv::Point2d next)
{
    const cv::Point2d in = cur - prev, out = next - cur;
    return cross(prev, cur, next) == 0.0 && in.dot(out) < 0.0;
}

void removeSpikes(Loop& ring)
{
    bool changed = true;
    while (changed && ring.size() >= 3) {
        changed = false;
        for (size_t i = 0; i < ring.size() && ring.size() >= 3;) {
            const size_t n = ring.size();
            if (isSpike(ring[(i + n - 1) % n], ring[i], ring[(i + 1) % n])) {
                ring.erase(ring.begin() + static_cast<long>(i));
                removeConsecutiveDuplicates(ring);
                changed = true;
            } else {
                ++i;
            }
        }
    }
}

// Splits a closed walk into simple loops wherever it revisits a vertex.
std::vector<Loop> splitAtRepeatedVertices(const Loop& ring)
{
    std::vector<Loop> loops;
    Loop stack;
    std::map<std::pair<double, double>, size_t> onStack;
    for (const cv::Point2d& p : ring) {
        const auto key = std::make_pair(p.x, p.y);
        const auto it = onStack.find(key);
        if (it != onStack.end()) {
            const size_t start = it->second;
            loops.emplace_back(stack.begin() + static_cast<long>(start), stack.end());
            for (size_t k = start + 1; k < stack.size(); ++k)
                onStack.erase({ stack[k].x, stack[k].y });
            stack.resize(start + 1);
        } else {
            onStack.emplace(key, stack.size());
            stack.push_back(p);
        }
    }
    loops.push_back(std::move(stack));
    return loops;
}

double signedArea(const Loop& ring)
{
    double twice = 0.0;
    for (size_t i = 0, n = ring.size(); i < n; ++i) {
        const cv::Point2d& a = ring[i];
        const cv::Point2d& b = ring[(i + 1) % n];
        twice += a.x * b.y - b.x * a.y;
    }
    return twice / 2.0;
}

GeoPolygon::ring_type toRing(const Loop& loop)
{
    GeoPolygon::ring_type ring;
    for (const cv::Point2d& p : loop)
        ring.push_back({ p.x, p.y });
    return ring;
}

} // namespace

GeoPolygon repairedPolygon(const std::vector<cv::Point2d>& contour)
{
    Loop ring = contour;
    removeConsecutiveDuplicates(ring);
    removeSpikes(ring);

    std::vector<std::pair<Loop, double>> loops; // loop, signed area
    for (Loop& loop : splitAtRepeatedVertices(ring)) {
        removeSpikes(loop);
        const double a = loop.size() >= 3 ? signedArea(loop) : 0.0;
        if (a != 0.0)
            loops.emplace_back(std::move(loop), a);
    }
    if (loops.empty())
        return {};
    const auto dominant = std::max_element(loops.begin(), loops.end(),
        [](const auto& x, const auto& y) { return std::abs(x.second) < std::abs(y.second); });
    const bool positive = dominant->second > 0;

    std::vector<GeoPolygon> parts;
    for (const auto& [loop, area] : loops) {
        if ((area > 0) == positive) {
            GeoPolygon part;
            part.outer() = toRing(loop);
            bg::correct(part);
            parts.push_back(std::move(part));
        }
    }
    for (const auto& [loop, area] : loops) {
        if ((area > 0) == positive)
            continue;
        GeoPolygon hole;
        hole.outer() = toRing(loop);
        bg::correct(hole);
        for (GeoPolygon& part : parts) {
            if (bg::covered_by(hole, part)) {
                part.inners().push_back(hole.outer());
                bg::correct(part);
                break;
            }
        }
    }
    return *std::max_element(
        parts.begin(), parts.end(), [](const GeoPolygon& x, const GeoPolygon& y) { return bg::area(x) < bg::area(y); });
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
