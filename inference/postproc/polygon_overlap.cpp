#include "inference/postproc/polygon_overlap.h"

#include <clipper.hpp>

#include <cmath>

namespace cellvit {

struct OverlapShape::Path {
    ClipperLib::Path points;
};

OverlapShape::OverlapShape(const std::vector<GridPoint>& vertices)
    : m_path(std::make_unique<Path>())
{
    m_path->points.reserve(vertices.size());
    for (const GridPoint& v : vertices)
        m_path->points.emplace_back(static_cast<ClipperLib::cInt>(v.x), static_cast<ClipperLib::cInt>(v.y));
}

OverlapShape::~OverlapShape() = default;
OverlapShape::OverlapShape(OverlapShape&&) noexcept = default;
OverlapShape& OverlapShape::operator=(OverlapShape&&) noexcept = default;

float intersectionArea(const OverlapShape& a, const OverlapShape& b)
{
    ClipperLib::Clipper clipper;
    clipper.AddPath(a.m_path->points, ClipperLib::ptClip, true);
    clipper.AddPath(b.m_path->points, ClipperLib::ptSubject, true);
    ClipperLib::Paths result;
    clipper.Execute(ClipperLib::ctIntersection, result, ClipperLib::pftNonZero, ClipperLib::pftNonZero);
    float area = 0; // a float accumulator of double terms, as the reference's `area_inter += fabs(Area(ring))`
    for (const ClipperLib::Path& ring : result)
        area = static_cast<float>(static_cast<double>(area) + std::fabs(ClipperLib::Area(ring)));
    return area;
}

} // namespace cellvit
