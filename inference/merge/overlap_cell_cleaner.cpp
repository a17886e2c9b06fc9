#include "inference/merge/overlap_cell_cleaner.h"

#include "inference/merge/cell_polygon.h"
#include "inference/geometry/box_tree.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <unordered_set>

namespace cellvit {

namespace {

constexpr int kMaxRounds = 20; // reference constant
constexpr double kOverlapFraction = 0.01; // reference constant

struct Shape {
    GeoPolygon polygon;
    GeoBox box;
    double area = 0.0;
    bool empty = true; // shapely drops empty geometries from the STRtree; their queries find nothing
};

Shape shapeOf(const SlideCell& cell)
{
    Shape s;
    s.polygon = repairedPolygon(cell.contour);
    s.empty = s.polygon.outer().empty();
    if (!s.empty) {
        s.box = envelopeOf(s.polygon);
        s.area = boost::geometry::area(s.polygon);
    }
    return s;
}

// One round over `current` (indices into shapes, ascending). Returns the kept indices (unsorted) and the
// number of overlaps found.
std::vector<size_t> cleaningRound(
    const std::vector<Shape>& shapes, const std::vector<size_t>& current, size_t& overlaps)
{
    // shapely 1.8's STRtree is GEOS's: its query order decides which of equally large partners is kept.
    const auto boxOf = [](const GeoBox& b) {
        return geos::Box { b.min_corner().x(), b.min_corner().y(), b.max_corner().x(), b.max_corner().y() };
    };
    geos::BoxTree tree;
    for (size_t k = 0; k < current.size(); ++k) {
        const Shape& s = shapes[current[k]];
        if (!s.empty) // shapely leaves empty geometries out of the tree
            tree.insert(k, boxOf(s.box));
    }

    std::vector<char> visited(current.size(), 0);
    std::vector<size_t> kept;
    std::vector<size_t> hits, overlapping;
    overlaps = 0;
    for (size_t q = 0; q < current.size(); ++q) {
        if (visited[q])
            continue;
        const Shape& query = shapes[current[q]];
        hits.clear();
        if (!query.empty)
            tree.query(boxOf(query.box), hits);
        if (hits.size() > 1) {
            overlapping.clear();
            for (size_t h : hits) {
                if (h == q || visited[h])
                    continue;
                const Shape& other = shapes[current[h]];
                const double a = intersectionArea(query.polygon, other.polygon);
                if (a / query.area > kOverlapFraction || a / other.area > kOverlapFraction) {
                    ++overlaps;
                    overlapping.push_back(h);
                    visited[h] = 1;
                }
            }
            if (overlapping.empty()) {
                kept.push_back(q);
            } else {
                // np.argmax: the first of equally large areas, in STRtree hit order.
                size_t best = overlapping.front();
                for (size_t h : overlapping)
                    if (shapes[current[h]].area > shapes[current[best]].area)
                        best = h;
                kept.push_back(best);
            }
        } else {
            kept.push_back(q);
        }
        visited[q] = 1;
    }
    for (size_t& k : kept)
        k = current[k];
    return kept;
}

} // namespace

std::vector<size_t> cleanMarginCellsLikeReference(
    const std::vector<const SlideCell*>& margin, OverlapCleaningStats* stats)
{
    OverlapCleaningStats local;
    std::unordered_set<PatchIndex> patchesWithMarginCells;
    for (const SlideCell* c : margin)
        patchesWithMarginCells.insert(c->patch);

    std::vector<size_t> current;
    for (size_t i = 0; i < margin.size(); ++i) {
        const SlideCell& c = *margin[i];
        const bool candidate
            = !c.edgePosition() || (c.edgePatches && !patchesWithMarginCells.count(c.edgePatches->front()));
        if (candidate)
            current.push_back(i);
        else
            ++local.droppedAtBorder;
    }

    std::vector<Shape> shapes(margin.size());
    for (size_t i : current)
        shapes[i] = shapeOf(*margin[i]);

    for (int round = 0; round < kMaxRounds; ++round) {
        size_t overlaps = 0;
        std::vector<size_t> kept = cleaningRound(shapes, current, overlaps);
        local.rounds = round + 1;
        if (round == 0)
            local.overlapsFirstRound = overlaps;
        if (overlaps == 0)
            break;
        std::sort(kept.begin(), kept.end());
        kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
        current = std::move(kept);
    }
    if (stats)
        *stats = local;
    return current;
}

std::vector<size_t> referenceKeepIndices(const std::vector<SlideCell>& cells, OverlapCleaningStats* stats)
{
    std::vector<const SlideCell*> margin;
    std::vector<size_t> marginIndex;
    std::vector<size_t> keep;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].cellStatus == 0) {
            keep.push_back(i);
        } else {
            margin.push_back(&cells[i]);
            marginIndex.push_back(i);
        }
    }
    for (size_t k : cleanMarginCellsLikeReference(margin, stats))
        keep.push_back(marginIndex[k]);
    std::sort(keep.begin(), keep.end());
    return keep;
}

} // namespace cellvit
