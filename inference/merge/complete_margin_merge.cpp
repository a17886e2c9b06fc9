#include "inference/merge/complete_margin_merge.h"

#include "inference/merge/cell_polygon.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>
#include <cmath>
#include <numeric>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace cellvit {

namespace {

constexpr double kOverlapFraction = 0.01;

struct Piece {
    GeoPolygon polygon;
    double area = 0.0;
    bool truncated = false;
    bool owned = false;
};

// Cut by a patch border behind which another segmented patch continues the nucleus.
bool isTruncated(const SlideCell& c, const std::unordered_set<PatchIndex>& processed)
{
    const auto& [top, right, down, left] = c.border;
    const int dr0 = top ? -1 : 0, dr1 = down ? 1 : 0, dc0 = left ? -1 : 0, dc1 = right ? 1 : 0;
    for (int dr = dr0; dr <= dr1; ++dr)
        for (int dc = dc0; dc <= dc1; ++dc)
            if ((dr != 0 || dc != 0) && processed.count({ c.patch.row + dr, c.patch.col + dc }))
                return true;
    return false;
}

// Some contour pixel of `cut` inside the patch of `other` belongs to `other`'s polygon (boundary included).
bool neighbourSawPixels(const SlideCell& cut, const SlideCell& other, const Piece& otherPiece, double patchExtent)
{
    const cv::Point2d o = other.patchOrigin;
    bg::model::linestring<GeoPoint> otherLine;
    if (otherPiece.polygon.outer().empty())
        for (const cv::Point2d& p : other.contour)
            otherLine.push_back({ p.x, p.y });
    for (const cv::Point2d& p : cut.contour) {
        if (p.x < o.x || p.y < o.y || p.x >= o.x + patchExtent || p.y >= o.y + patchExtent)
            continue;
        const GeoPoint g { p.x, p.y };
        if (otherLine.empty() ? bg::covered_by(g, otherPiece.polygon) : bg::distance(g, otherLine) == 0.0)
            return true;
    }
    return false;
}

void absorb(SlideCell& kept, GeoPolygon& keptPolygon, const SlideCell& piece, const GeoPolygon& piecePolygon)
{
    bg::model::multi_polygon<GeoPolygon> united;
    bg::union_(keptPolygon, piecePolygon, united);
    if (united.empty())
        return;
    keptPolygon = *std::max_element(united.begin(), united.end(),
        [](const GeoPolygon& a, const GeoPolygon& b) { return bg::area(a) < bg::area(b); });
    kept.contour.clear();
    const auto& ring = keptPolygon.outer();
    for (size_t k = 0; k + 1 < ring.size(); ++k) // Boost rings are closed; cells.json contours are not
        kept.contour.emplace_back(ring[k].x(), ring[k].y());
    kept.rmin = std::min(kept.rmin, piece.rmin);
    kept.cmin = std::min(kept.cmin, piece.cmin);
    kept.rmax = std::max(kept.rmax, piece.rmax);
    kept.cmax = std::max(kept.cmax, piece.cmax);
    GeoPoint centre;
    bg::centroid(keptPolygon, centre);
    kept.centroid = { std::nearbyint(centre.x()), std::nearbyint(centre.y()) };
}

} // namespace

std::vector<SlideCell> mergeMarginCellsCompletely(std::vector<SlideCell> margin, const PatchGrid& grid,
    const std::unordered_set<PatchIndex>& processed, CompleteMergeStats* stats)
{
    CompleteMergeStats local;
    const size_t n = margin.size();
    std::vector<Piece> pieces(n);
    using Entry = std::pair<GeoBox, size_t>;
    std::vector<Entry> entries;
    entries.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const SlideCell& c = margin[i];
        Piece& p = pieces[i];
        p.polygon = repairedPolygon(c.contour);
        p.area = p.polygon.outer().empty() ? 0.0 : bg::area(p.polygon);
        p.truncated = c.edgePosition() && isTruncated(c, processed);
        p.owned = grid.ownedRectLevel0(c.patch).contains(c.centroid);
        local.truncated += p.truncated;
        entries.emplace_back(GeoBox { { c.cmin, c.rmin }, { c.cmax, c.rmax } }, i);
    }
    const bgi::rtree<Entry, bgi::quadratic<16>> tree(entries.begin(), entries.end());

    const double patchExtent = grid.scale * grid.patchSize;
    std::vector<std::vector<size_t>> links(n);
    std::vector<size_t> hits;
    for (size_t i = 0; i < n; ++i) {
        hits.clear();
        tree.query(bgi::intersects(entries[i].first),
            boost::make_function_output_iterator([&hits](const Entry& e) { hits.push_back(e.second); }));
        for (size_t j : hits) {
            if (j <= i || margin[j].patch == margin[i].patch)
                continue;
            bool same = false;
            if (pieces[i].area > 0 && pieces[j].area > 0) {
                const double a = intersectionArea(pieces[i].polygon, pieces[j].polygon);
                same = a / pieces[i].area > kOverlapFraction || a / pieces[j].area > kOverlapFraction;
            }
            same = same || (pieces[i].truncated && neighbourSawPixels(margin[i], margin[j], pieces[j], patchExtent))
                || (pieces[j].truncated && neighbourSawPixels(margin[j], margin[i], pieces[i], patchExtent));
            if (same) {
                links[i].push_back(j);
                links[j].push_back(i);
                ++local.links;
            }
        }
    }

    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const Piece &pa = pieces[a], &pb = pieces[b];
        if (pa.truncated != pb.truncated)
            return !pa.truncated;
        if (pa.owned != pb.owned)
            return pa.owned;
        if (pa.area != pb.area)
            return pa.area > pb.area;
        return margin[a].sequence < margin[b].sequence;
    });

    std::vector<char> represented(n, 0), kept(n, 0);
    for (size_t i : order) {
        if (represented[i])
            continue;
        kept[i] = 1;
        represented[i] = 1;
        bool absorbed = false;
        for (size_t j : links[i]) {
            represented[j] = 1;
            if (pieces[i].truncated && pieces[j].truncated && !kept[j] && pieces[j].area > 0 && pieces[i].area > 0) {
                absorb(margin[i], pieces[i].polygon, margin[j], pieces[j].polygon);
                absorbed = true;
            }
        }
        local.unions += absorbed;
    }

    std::vector<SlideCell> out;
    for (size_t i = 0; i < n; ++i)
        if (kept[i])
            out.push_back(std::move(margin[i]));
    if (stats)
        *stats = local;
    return out;
}

} // namespace cellvit
