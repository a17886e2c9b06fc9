#include "inference/postproc/polygons_to_label.h"

#include "inference/postproc/star_polygon.h"

#include <algorithm>
#include <cmath>

namespace cellvit {

namespace {

// skimage's point_in_polygon: even-odd crossings of a ray towards +x, in double.
bool pointInPolygon(const LabelPolygon& poly, double x, double y)
{
    bool inside = false;
    const size_t n = poly.cols.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const double xi = poly.cols[i], yi = poly.rows[i], xj = poly.cols[j], yj = poly.rows[j];
        if (((yi <= y && y < yj) || (yj <= y && y < yi)) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            inside = !inside;
    }
    return inside;
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
