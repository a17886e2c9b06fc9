#pragma once
// Rings made valid for GEOS, shapely and QuPath (OGC rules: simple rings, no self-intersection, no zero area).

#include <opencv2/core/types.hpp>

#include <optional>
#include <vector>

namespace cellvit::geos {

using Ring = std::vector<cv::Point2d>; // open ring: the first point is not repeated at the end

// True when the ring, closed, is a valid polygon shell for GEOS (GEOSisValid).
bool isValidRing(const Ring& ring);

// The polygons a possibly self-intersecting ring encloses, each as its outer ring, largest first: the ring itself
// when it is valid; otherwise GEOSMakeValid's parts (a bow-tie becomes its two triangles, a figure-eight its two
// loops). Zero-area parts and collapsed lines are dropped. With gridSize > 0 the vertices are snapped to that
// grid by GEOS's precision reducer, which keeps the result valid (plain rounding can make a valid ring cross
// itself again). Holes are dropped: callers use outer rings only (nuclei, regions of interest).
std::vector<Ring> validPolygons(const Ring& ring, double gridSize = 0);

struct PolygonWithHoles {
    Ring outer;
    std::vector<Ring> holes;
};

// The repair of the reference's overlap cleaner (shapely 1.8): the polygon itself when valid, else its
// `buffer(0)`; of a MultiPolygon the largest part (the first of equal ones, in GEOS's order). nullopt when
// nothing with area is left (shapely's POLYGON EMPTY).
std::optional<PolygonWithHoles> bufferRepairedLargestPart(const Ring& contour);

} // namespace cellvit::geos
