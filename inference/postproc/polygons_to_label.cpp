#include "inference/postproc/polygons_to_label.h"

#include "inference/postproc/star_polygon.h"

#include <algorithm>
#include <cmath>

namespace cellvit {

namespace {

// skimage's point_in_polygon (O'Rourke's crossing test, in double): inside, on a vertex (within 1e-12) or on an edge
// (left and right crossings of different parity) all count, which is what paints thin polygons as lines.
bool pointInPolygon(const LabelPolygon& poly, double x, double y)
{
    constexpr double eps = 1e-12;
    const size_t n = poly.cols.size();
    unsigned rightCrossings = 0, leftCrossings = 0;
    double x1 = poly.cols[n - 1] - x, y1 = poly.rows[n - 1] - y;
    for (size_t i = 0; i < n; ++i) {
        const double x0 = poly.cols[i] - x, y0 = poly.rows[i] - y;
        if (-eps < x0 && x0 < eps && -eps < y0 && y0 < eps)
            return true; // vertex
        if ((y0 > 0) != (y1 > 0) && (x0 * y1 - x1 * y0) / (y1 - y0) > 0)
            ++rightCrossings;
        if ((y0 < 0) != (y1 < 0) && (x0 * y1 - x1 * y0) / (y1 - y0) < 0)
            ++leftCrossings;
        x1 = x0;
        y1 = y0;
    }
    return (rightCrossings & 1u) != (leftCrossings & 1u) || (rightCrossings & 1u);
}

// skimage.draw.polygon's scan window: int(max(0, min)) .. min(size − 1, ceil(max)).
void window(const std::vector<double>& v, int size, long& lo, long& hi)
{
    const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    lo = static_cast<long>(std::max(0.0, *mn));
    hi = std::min(static_cast<long>(size) - 1, static_cast<long>(std::ceil(*mx)));
}

} // namespace

cv::Mat polygonsToLabel(const StarDistDetections& detections, int rows, int cols)
{
    cv::Mat labels(rows, cols, CV_32S, cv::Scalar(0));
    for (size_t k = 0; k < detections.points.size(); ++k) {
        const cv::Point& p = detections.points[k];
        const LabelPolygon poly = labelPolygon(p.y, p.x, &detections.dists[k * detections.nrays], detections.nrays);
        long rmin, rmax, cmin, cmax;
        window(poly.rows, rows, rmin, rmax);
        window(poly.cols, cols, cmin, cmax);
        const int label = static_cast<int>(k) + 1;
        for (long r = rmin; r <= rmax; ++r) {
            int* out = labels.ptr<int>(static_cast<int>(r));
            for (long c = cmin; c <= cmax; ++c) {
                if (pointInPolygon(poly, static_cast<double>(c), static_cast<double>(r)))
                    out[c] = label;
            }
        }
    }
    return labels;
}

} // namespace cellvit
