#include "inference/postproc/polygon_overlap.h"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include <algorithm>
#include <cmath>

namespace cellvit {

namespace bg = boost::geometry;
using BgPoint = bg::model::d2::point_xy<double>;
using BgPolygon = bg::model::polygon<BgPoint>;
using BgMultiPolygon = bg::model::multi_polygon<BgPolygon>;

struct OverlapShape::Boost {
    BgPolygon polygon;
};

namespace {

// Clipper's Round: half away from zero.
int64_t clipperRound(double v)
{
    return v < 0 ? static_cast<int64_t>(v - 0.5) : static_cast<int64_t>(v + 0.5);
}

// A Clipper TEdge: Bot is the end with the larger y (Clipper's y axis points down the rows), Dx = dx/dy.
struct ClipperEdge {
    GridPoint bot, top;
    double dx = 0;
    bool horizontal = false;

    ClipperEdge(const GridPoint& p, const GridPoint& q)
    {
        bot = p.y >= q.y ? p : q;
        top = p.y >= q.y ? q : p;
        horizontal = bot.y == top.y;
        if (!horizontal)
            dx = static_cast<double>(top.x - bot.x) / static_cast<double>(top.y - bot.y);
    }
    int64_t topX(int64_t y) const
    {
        return y == top.y ? top.x : bot.x + clipperRound(dx * static_cast<double>(y - bot.y));
    }
};

// Clipper's IntersectPoint (horizontal edges as its horizontal processing places them: at their y, x from TopX).
GridPoint clipperIntersection(const ClipperEdge& e1, const ClipperEdge& e2, double exactX, double exactY)
{
    GridPoint ip;
    if (e1.horizontal || e2.horizontal) {
        if (e1.horizontal && e2.horizontal)
            return { clipperRound(exactX), clipperRound(exactY) };
        const ClipperEdge& h = e1.horizontal ? e1 : e2;
        const ClipperEdge& e = e1.horizontal ? e2 : e1;
        ip.y = h.bot.y;
        ip.x = e.topX(ip.y);
        return ip;
    }
    if (e1.dx == e2.dx)
        return { clipperRound(exactX), clipperRound(exactY) };
    if (e1.dx == 0) {
        ip.x = e1.bot.x;
        const double b2 = static_cast<double>(e2.bot.y) - static_cast<double>(e2.bot.x) / e2.dx;
        ip.y = clipperRound(static_cast<double>(ip.x) / e2.dx + b2);
    } else if (e2.dx == 0) {
        ip.x = e2.bot.x;
        const double b1 = static_cast<double>(e1.bot.y) - static_cast<double>(e1.bot.x) / e1.dx;
        ip.y = clipperRound(static_cast<double>(ip.x) / e1.dx + b1);
    } else {
        const double b1 = static_cast<double>(e1.bot.x) - static_cast<double>(e1.bot.y) * e1.dx;
        const double b2 = static_cast<double>(e2.bot.x) - static_cast<double>(e2.bot.y) * e2.dx;
        const double q = (b2 - b1) / (e1.dx - e2.dx);
        ip.y = clipperRound(q);
        ip.x = std::fabs(e1.dx) < std::fabs(e2.dx) ? clipperRound(e1.dx * q + b1) : clipperRound(e2.dx * q + b2);
    }
    // Clipper keeps the point inside the scanbeam of both edges.
    if (ip.y < e1.top.y || ip.y < e2.top.y) {
        ip.y = std::max(e1.top.y, e2.top.y);
        ip.x = std::fabs(e1.dx) < std::fabs(e2.dx) ? e1.topX(ip.y) : e2.topX(ip.y);
    }
    const int64_t beamBottom = std::min(e1.bot.y, e2.bot.y);
    if (ip.y > beamBottom) {
        ip.y = beamBottom;
        ip.x = std::fabs(e1.dx) > std::fabs(e2.dx) ? e2.topX(ip.y) : e1.topX(ip.y);
    }
    return ip;
}

bool isIntegral(double v)
{
    return std::fabs(v - std::round(v)) < 1e-9;
}

double segmentDistance(const GridPoint& p, const GridPoint& q, double x, double y)
{
    const double dx = static_cast<double>(q.x - p.x), dy = static_cast<double>(q.y - p.y);
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((x - p.x) * dx + (y - p.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x + t * dx - x, p.y + t * dy - y);
}

// The edge of `ring` through (x, y), closest first.
ClipperEdge edgeThrough(const std::vector<GridPoint>& ring, double x, double y, bool& found)
{
    size_t best = 0;
    double bestDistance = 1e300;
    for (size_t i = 0; i < ring.size(); ++i) {
        const GridPoint& p = ring[i];
        const GridPoint& q = ring[(i + 1) % ring.size()];
        if (p == q)
            continue;
        const double d = segmentDistance(p, q, x, y);
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    found = bestDistance < 1e-6;
    return ClipperEdge(ring[best], ring[(best + 1) % ring.size()]);
}

GridPoint onGrid(const BgPoint& v, const std::vector<GridPoint>& a, const std::vector<GridPoint>& b)
{
    const double x = v.x(), y = v.y();
    if (isIntegral(x) && isIntegral(y))
        return { static_cast<int64_t>(std::llround(x)), static_cast<int64_t>(std::llround(y)) };
    bool foundA = false, foundB = false;
    const ClipperEdge ea = edgeThrough(a, x, y, foundA);
    const ClipperEdge eb = edgeThrough(b, x, y, foundB);
    if (!foundA || !foundB)
        return { clipperRound(x), clipperRound(y) };
    return clipperIntersection(ea, eb, x, y);
}

float ringArea(const BgPolygon::ring_type& ring, const std::vector<GridPoint>& a, const std::vector<GridPoint>& b)
{
    std::vector<GridPoint> snapped;
    snapped.reserve(ring.size());
    for (size_t i = 0; i + 1 < ring.size(); ++i) // closed ring: the last point repeats the first
        snapped.push_back(onGrid(ring[i], a, b));
    return shoelaceArea(snapped);
}

int64_t cross(const GridPoint& o, const GridPoint& a, const GridPoint& b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int sign(int64_t v)
{
    return (v > 0) - (v < 0);
}

// Every proper crossing of an edge of `rings[ra]` with an edge of `rings[rb]` (ra may equal rb: self-crossings)
// put on the grid as Clipper does and inserted into both edges, so that an exact area of the result sees the
// vertices Clipper's output has.
void insertSnappedCrossings(const std::vector<GridPoint>& a, const std::vector<GridPoint>& b,
                            std::vector<std::vector<std::pair<double, GridPoint>>>& insertsA,
                            std::vector<std::vector<std::pair<double, GridPoint>>>& insertsB)
{
    const bool self = &a == &b;
    for (size_t i = 0; i < a.size(); ++i) {
        const GridPoint& p0 = a[i];
        const GridPoint& p1 = a[(i + 1) % a.size()];
        if (p0 == p1)
            continue;
        for (size_t j = self ? i + 2 : 0; j < b.size(); ++j) {
            if (self && (j + 1) % b.size() == i)
                continue; // adjacent edges share a vertex
            const GridPoint& q0 = b[j];
            const GridPoint& q1 = b[(j + 1) % b.size()];
            if (q0 == q1)
                continue;
            const int64_t d1 = cross(p0, p1, q0), d2 = cross(p0, p1, q1);
            const int64_t d3 = cross(q0, q1, p0), d4 = cross(q0, q1, p1);
            if (sign(d1) * sign(d2) >= 0 || sign(d3) * sign(d4) >= 0)
                continue; // no proper crossing (touching points are vertices already)
            const double t = static_cast<double>(d3) / static_cast<double>(d3 - d4);
            const double u = static_cast<double>(d1) / static_cast<double>(d1 - d2);
            const double x = p0.x + t * static_cast<double>(p1.x - p0.x);
            const double y = p0.y + t * static_cast<double>(p1.y - p0.y);
            const GridPoint snapped = clipperIntersection(ClipperEdge(p0, p1), ClipperEdge(q0, q1), x, y);
            insertsA[i].emplace_back(t, snapped);
            insertsB[j].emplace_back(u, snapped);
        }
    }
}

std::vector<GridPoint> withInserts(const std::vector<GridPoint>& ring,
                                   std::vector<std::vector<std::pair<double, GridPoint>>>& inserts)
{
    std::vector<GridPoint> out;
    for (size_t i = 0; i < ring.size(); ++i) {
        out.push_back(ring[i]);
        auto& extra = inserts[i];
        std::sort(extra.begin(), extra.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
        for (const auto& [t, p] : extra)
            out.push_back(p);
    }
    return out;
}

} // namespace

OverlapShape::OverlapShape(const std::vector<GridPoint>& vertices)
    : m_vertices(vertices)
{
    auto boost = std::make_unique<Boost>();
    for (const GridPoint& p : vertices)
        bg::append(boost->polygon.outer(), BgPoint(static_cast<double>(p.x), static_cast<double>(p.y)));
    bg::correct(boost->polygon);
    if (bg::is_valid(boost->polygon))
        m_boost = std::move(boost);
}

OverlapShape::~OverlapShape() = default;
OverlapShape::OverlapShape(OverlapShape&&) noexcept = default;
OverlapShape& OverlapShape::operator=(OverlapShape&&) noexcept = default;

float intersectionArea(const OverlapShape& a, const OverlapShape& b)
{
    if (a.m_boost && b.m_boost) {
        BgMultiPolygon result;
        bg::intersection(a.m_boost->polygon, b.m_boost->polygon, result);
        // Clipper returns holes as paths of their own, and stardist adds every path's |area|.
        float area = 0;
        for (const BgPolygon& part : result) {
            area += ringArea(part.outer(), a.vertices(), b.vertices());
            for (const auto& hole : part.inners())
                area += ringArea(hole, a.vertices(), b.vertices());
        }
        return area;
    }
    return static_cast<float>(snappedIntersectionArea(a.vertices(), b.vertices()));
}

double snappedIntersectionArea(const std::vector<GridPoint>& a, const std::vector<GridPoint>& b)
{
    std::vector<std::vector<std::pair<double, GridPoint>>> insertsA(a.size()), insertsB(b.size());
    insertSnappedCrossings(a, b, insertsA, insertsB);
    insertSnappedCrossings(a, a, insertsA, insertsA);
    insertSnappedCrossings(b, b, insertsB, insertsB);
    return nonZeroIntersectionArea(withInserts(a, insertsA), withInserts(b, insertsB));
}

double nonZeroIntersectionArea(const std::vector<GridPoint>& a, const std::vector<GridPoint>& b)
{
    struct Edge {
        double x0, y0, x1, y1;
        int winding, polygon;
        double yAt(double x) const { return y0 + (y1 - y0) * (x - x0) / (x1 - x0); }
    };
    std::vector<Edge> edges;
    std::vector<double> xs;
    const auto addRing = [&](const std::vector<GridPoint>& ring, int polygon) {
        for (size_t i = 0; i < ring.size(); ++i) {
            const GridPoint& p = ring[i];
            const GridPoint& q = ring[(i + 1) % ring.size()];
            xs.push_back(static_cast<double>(p.x));
            if (p.x == q.x)
                continue; // vertical edges bound no slab
            const bool forward = p.x < q.x;
            const GridPoint& l = forward ? p : q;
            const GridPoint& r = forward ? q : p;
            edges.push_back({ double(l.x), double(l.y), double(r.x), double(r.y), forward ? 1 : -1, polygon });
        }
    };
    addRing(a, 0);
    addRing(b, 1);
    // Crossings split the slabs so that the edges keep their order inside each.
    for (size_t i = 0; i < edges.size(); ++i) {
        for (size_t j = i + 1; j < edges.size(); ++j) {
            const Edge& e = edges[i];
            const Edge& f = edges[j];
            const double lo = std::max(e.x0, f.x0), hi = std::min(e.x1, f.x1);
            if (lo >= hi)
                continue;
            const double d0 = e.yAt(lo) - f.yAt(lo), d1 = e.yAt(hi) - f.yAt(hi);
            if ((d0 < 0 && d1 > 0) || (d0 > 0 && d1 < 0))
                xs.push_back(lo + (hi - lo) * d0 / (d0 - d1));
        }
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

    double area = 0;
    std::vector<std::pair<double, const Edge*>> active;
    for (size_t s = 0; s + 1 < xs.size(); ++s) {
        const double xa = xs[s], xb = xs[s + 1], xm = 0.5 * (xa + xb);
        active.clear();
        for (const Edge& e : edges) {
            if (e.x0 <= xa && e.x1 >= xb)
                active.emplace_back(e.yAt(xm), &e);
        }
        std::sort(active.begin(), active.end(),
                  [](const auto& l, const auto& r) { return l.first < r.first; });
        int winding[2] = { 0, 0 };
        for (size_t k = 0; k + 1 < active.size(); ++k) {
            winding[active[k].second->polygon] += active[k].second->winding;
            if (winding[0] != 0 && winding[1] != 0) {
                const Edge& lower = *active[k].second;
                const Edge& upper = *active[k + 1].second;
                area += 0.5 * ((upper.yAt(xa) - lower.yAt(xa)) + (upper.yAt(xb) - lower.yAt(xb))) * (xb - xa);
            }
        }
    }
    return area;
}

} // namespace cellvit
