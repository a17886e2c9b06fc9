#pragma once
// Intersection area of two grid polygons as stardist's NMS measures it: Clipper 6.4.2 (Debian's libpolyclipping,
// the version stardist bundles), intersection with the non-zero fill rule on both, each result ring's |area| summed
// in float. Using the same library gives the reference's rounding of crossing points to the grid for free.

#include "inference/postproc/star_polygon.h"

#include <memory>

namespace cellvit {

// A polygon prepared once for many intersections (its Clipper path).
class OverlapShape {
public:
    explicit OverlapShape(const std::vector<GridPoint>& vertices);
    ~OverlapShape();
    OverlapShape(OverlapShape&&) noexcept;
    OverlapShape& operator=(OverlapShape&&) noexcept;

    struct Path; // ClipperLib::Path, kept out of this header

private:
    friend float intersectionArea(const OverlapShape& a, const OverlapShape& b);
    std::unique_ptr<Path> m_path;
};

// As stardist's poly_intersection_area(a, b): a is Clipper's clip polygon, b its subject.
float intersectionArea(const OverlapShape& a, const OverlapShape& b);

} // namespace cellvit
