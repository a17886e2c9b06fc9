#include "inference/metrics/polygon_annotation.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace cellvit::metrics {
namespace {

// skimage 0.19 point_in_polygon (O'Rourke, "Computational Geometry in C", ch. 7), operation for
// operation, over the given edges (k-1, k) only: vertices (within 1e-12) and edges count as inside,
// which a plain crossing test misses.
bool pointInPolygon(const Ring& ring, const std::vector<size_t>& edgeEnds, double x, double y)
{
    constexpr double eps = 1e-12;
    const size_t n = ring.size();
    int rightCrossings = 0;
    int leftCrossings = 0;
    for (size_t i : edgeEnds) {
        const size_t previous = i == 0 ? n - 1 : i - 1;
        const double x1 = ring[previous].x - x;
        const double y1 = ring[previous].y - y;
        const double x0 = ring[i].x - x;
        const double y0 = ring[i].y - y;
        if (-eps < x0 && x0 < eps && -eps < y0 && y0 < eps)
            return true; // on a vertex
        if ((y0 > 0) != (y1 > 0) && (x0 * y1 - x1 * y0) / (y1 - y0) > 0)
            ++rightCrossings;
        if ((y0 < 0) != (y1 < 0) && (x0 * y1 - x1 * y0) / (y1 - y0) < 0)
            ++leftCrossings;
    }
    // Different parities: on an edge. Odd: inside.
    return (rightCrossings & 1) != (leftCrossings & 1) || (rightCrossings & 1) == 1;
}

// Calls visit(row, col) for every pixel skimage.draw.polygon would return for this ring.
template <typename Visit> void forEachPixelCentreInside(const Ring& ring, cv::Size size, Visit visit)
{
    if (ring.empty())
        return;
    double minX = ring[0].x, maxX = ring[0].x, minY = ring[0].y, maxY = ring[0].y;
    for (const cv::Point2d& p : ring) {
        minX = std::min(minX, p.x);
        maxX = std::max(maxX, p.x);
        minY = std::min(minY, p.y);
        maxY = std::max(maxY, p.y);
    }
    // skimage: int(max(0, min)), int(ceil(max)) clipped to the shape.
    const long minR = static_cast<long>(std::max(0.0, minY));
    const long minC = static_cast<long>(std::max(0.0, minX));
    const long maxR = std::min<long>(size.height - 1, static_cast<long>(std::ceil(maxY)));
    const long maxC = std::min<long>(size.width - 1, static_cast<long>(std::ceil(maxX)));
    if (maxR < minR || maxC < minC)
        return;
    // Only edges whose y-range (with a margin for the vertex tolerance) covers a row can cross
    // it or touch it; the others never change the test's outcome, so each row keeps its own few.
    std::vector<std::vector<size_t>> edgesOfRow(static_cast<size_t>(maxR - minR + 1));
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i) {
        const cv::Point2d& a = ring[i == 0 ? n - 1 : i - 1];
        const cv::Point2d& b = ring[i];
        const long from = std::max(minR, static_cast<long>(std::floor(std::min(a.y, b.y) - 1e-9)));
        const long to = std::min(maxR, static_cast<long>(std::ceil(std::max(a.y, b.y) + 1e-9)));
        for (long r = from; r <= to; ++r)
            edgesOfRow[static_cast<size_t>(r - minR)].push_back(i);
    }
    for (long r = minR; r <= maxR; ++r) {
        const std::vector<size_t>& edges = edgesOfRow[static_cast<size_t>(r - minR)];
        if (edges.empty())
            continue;
        for (long c = minC; c <= maxC; ++c) {
            if (pointInPolygon(ring, edges, static_cast<double>(c), static_cast<double>(r)))
                visit(static_cast<int>(r), static_cast<int>(c));
        }
    }
}

std::vector<cv::Point> roundedRing(const Ring& ring)
{
    std::vector<cv::Point> points;
    points.reserve(ring.size());
    for (const cv::Point2d& p : ring)
        points.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
    return points;
}

void drawPart(cv::Mat& labels, const PolygonPart& part, int value, PolygonFill fill)
{
    if (fill == PolygonFill::PixelCentres) {
        forEachPixelCentreInside(part.outer, labels.size(), [&](int r, int c) { labels.at<int>(r, c) = value; });
        for (const Ring& hole : part.holes) {
            forEachPixelCentreInside(hole, labels.size(), [&](int r, int c) {
                if (labels.at<int>(r, c) == value)
                    labels.at<int>(r, c) = 0;
            });
        }
        return;
    }
    if (part.outer.empty())
        return;
    cv::fillPoly(labels, std::vector<std::vector<cv::Point>> { roundedRing(part.outer) }, cv::Scalar(value));
    if (part.holes.empty())
        return;
    // Holes clear only this instance's pixels; their boundary stays with the instance.
    cv::Mat holeMask(labels.size(), CV_8UC1, cv::Scalar(0));
    for (const Ring& hole : part.holes)
        cv::fillPoly(holeMask, std::vector<std::vector<cv::Point>> { roundedRing(hole) }, cv::Scalar(1));
    for (const Ring& hole : part.holes)
        cv::polylines(holeMask, std::vector<std::vector<cv::Point>> { roundedRing(hole) }, true, cv::Scalar(0));
    labels.setTo(0, (labels == value) & (holeMask != 0));
}

} // namespace

cv::Mat rasterise(const PolygonAnnotation& annotation, cv::Size size, PolygonFill fill)
{
    cv::Mat labels(size, CV_32SC1, cv::Scalar(0));
    for (size_t k = 0; k < annotation.instances.size(); ++k) {
        for (const PolygonPart& part : annotation.instances[k].parts)
            drawPart(labels, part, static_cast<int>(k) + 1, fill);
    }
    return labels;
}

cv::Size polygonExtent(const PolygonAnnotation& annotation)
{
    double maxX = 0.0, maxY = 0.0;
    for (const PolygonInstance& inst : annotation.instances) {
        for (const PolygonPart& part : inst.parts) {
            for (const cv::Point2d& p : part.outer) {
                maxX = std::max(maxX, p.x);
                maxY = std::max(maxY, p.y);
            }
        }
    }
    return { static_cast<int>(std::ceil(maxX)) + 1, static_cast<int>(std::ceil(maxY)) + 1 };
}

} // namespace cellvit::metrics
