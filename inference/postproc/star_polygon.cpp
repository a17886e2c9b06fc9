#include "inference/postproc/star_polygon.h"

#include <cmath>

namespace cellvit {

NmsPolygon nmsPolygon(int row, int col, const float* dists, int nrays)
{
    // All in float32 like the reference (compiled without FP contraction, see CMakeLists.txt): the truncation
    // to the grid makes the last bit matter.
    const float anglePi = static_cast<float>(2.0 * M_PI / nrays);
    const float py = static_cast<float>(row), px = static_cast<float>(col);
    NmsPolygon poly;
    poly.vertices.reserve(static_cast<size_t>(nrays));
    for (int k = 0; k < nrays; ++k) {
        const float d = dists[k];
        const float phi = anglePi * static_cast<float>(k);
        const float y = py + d * std::sin(phi);
        const float x = px + d * std::cos(phi);
        if (k == 0) {
            poly.xMin = poly.xMax = x;
            poly.yMin = poly.yMax = y;
        } else {
            poly.xMin = x < poly.xMin ? x : poly.xMin;
            poly.xMax = x > poly.xMax ? x : poly.xMax;
            poly.yMin = y < poly.yMin ? y : poly.yMin;
            poly.yMax = y > poly.yMax ? y : poly.yMax;
        }
        poly.vertices.push_back({ static_cast<int64_t>(x), static_cast<int64_t>(y) });
        poly.radius = std::fmax(d, poly.radius);
    }
    poly.area = shoelaceArea(poly.vertices);
    return poly;
}

float shoelaceArea(const std::vector<GridPoint>& ring)
{
    float area = 0;
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i) {
        const GridPoint& a = ring[i];
        const GridPoint& b = ring[(i + 1) % n];
        area += static_cast<float>(a.x * b.y - a.y * b.x);
    }
    return 0.5f * std::fabs(area);
}

LabelPolygon labelPolygon(int row, int col, const float* dists, int nrays)
{
    // np.linspace(0, 2π, n, endpoint=False): step = 2π/n, φ_k = k·step.
    const double step = 2.0 * M_PI / nrays;
    LabelPolygon poly;
    poly.rows.resize(static_cast<size_t>(nrays));
    poly.cols.resize(static_cast<size_t>(nrays));
    for (int k = 0; k < nrays; ++k) {
        const double phi = k * step;
        const float dy = static_cast<float>(static_cast<double>(dists[k]) * std::sin(phi));
        const float dx = static_cast<float>(static_cast<double>(dists[k]) * std::cos(phi));
        poly.rows[static_cast<size_t>(k)] = static_cast<float>(row + static_cast<double>(dy));
        poly.cols[static_cast<size_t>(k)] = static_cast<float>(col + static_cast<double>(dx));
    }
    return poly;
}

} // namespace cellvit
