#pragma once
// The order in which shapely 1.8's STRtree (GEOS >= 3.10 TemplateSTRtree, node capacity 10) reports query hits.
// A query walks the packed tree depth-first, so every query returns its hits in one fixed order over all
// items: the depth-first order of the leaves. The reference cleaner keeps the *first* of several equally large
// overlapping cells in that order, so reproducing its choices needs this order (golden merge data has such ties).

#include "inference/merge/cell_polygon.h"

#include <cstddef>
#include <vector>

namespace cellvit {

// rank[i] = position of item i among the leaves, for items inserted in the given order. Empty envelopes are not
// inserted (as shapely skips empty geometries) and get rank SIZE_MAX. Rebuilds the tree the way GEOS does:
// std::sort by the doubled x centre into ceil(sqrt(ceil(n/10))) vertical slices, then by y within each slice.
std::vector<size_t> geosStrTreeLeafRanks(
    const std::vector<GeoBox>& envelopes, const std::vector<bool>& present, size_t nodeCapacity = 10);

} // namespace cellvit
