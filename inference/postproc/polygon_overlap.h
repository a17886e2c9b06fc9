#pragma once
// Intersection area of two grid polygons as stardist's NMS measures it (Clipper, non-zero fill rule, intersection
// vertices rounded to the integer grid, each result ring's area taken as |shoelace| in float).
//
// Boost.Geometry computes the exact intersection; its crossing vertices are then put on the grid with Clipper's own
// IntersectPoint arithmetic (the edge equations in double, rounded half away from zero), because the exact area
// differs from the reference's by up to a few px² for small polygons, enough to flip overlap decisions at the
// threshold. Polygons Boost.Geometry rejects (self-intersecting after the truncation to the grid, spikes: common for
// the tiny polygons of noise) take snappedIntersectionArea instead.

#include "inference/postproc/star_polygon.h"

#include <memory>

namespace cellvit {

// A polygon prepared once for many intersections.
class OverlapShape {
public:
    explicit OverlapShape(const std::vector<GridPoint>& vertices);
    ~OverlapShape();
    OverlapShape(OverlapShape&&) noexcept;
    OverlapShape& operator=(OverlapShape&&) noexcept;

    const std::vector<GridPoint>& vertices() const { return m_vertices; }

    struct Boost; // Boost.Geometry polygon, kept out of this header

private:
    friend float intersectionArea(const OverlapShape& a, const OverlapShape& b);
    std::vector<GridPoint> m_vertices;
    std::unique_ptr<Boost> m_boost; // null when Boost.Geometry cannot take the polygon
};

float intersectionArea(const OverlapShape& a, const OverlapShape& b);

// The fallback for polygons Boost.Geometry rejects: every crossing of edges (of a with b, and of each with itself)
// put on the grid as Clipper does and inserted into both edges, then nonZeroIntersectionArea of the result.
double snappedIntersectionArea(const std::vector<GridPoint>& a, const std::vector<GridPoint>& b);

// Area of {p : winding(a, p) ≠ 0 and winding(b, p) ≠ 0}, exact up to double rounding, for any rings.
double nonZeroIntersectionArea(const std::vector<GridPoint>& a, const std::vector<GridPoint>& b);

} // namespace cellvit
