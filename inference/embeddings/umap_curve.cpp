#include "inference/embeddings/umap_curve.h"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellvit {

UmapCurve fitUmapCurve(double minDist, double spread)
{
    if (!(spread > 0.0) || !(minDist >= 0.0) || !std::isfinite(spread) || !std::isfinite(minDist))
        throw std::invalid_argument("UMAP: min_dist must be >= 0 and spread > 0 (got min_dist "
            + std::to_string(minDist) + ", spread " + std::to_string(spread) + ")");
    constexpr int kPoints = 300;
    std::vector<double> x(kPoints), y(kPoints);
    for (int i = 0; i < kPoints; ++i) {
        x[i] = 3.0 * spread * i / (kPoints - 1);
        y[i] = x[i] < minDist ? 1.0 : std::exp(-(x[i] - minDist) / spread);
    }
    // Levenberg–Marquardt on (a, b), starting where scipy's curve_fit starts.
    auto residuals = [&](double a, double b, double& cost, std::array<double, 3>* normal, std::array<double, 2>* grad) {
        cost = 0.0;
        if (normal)
            *normal = { 0, 0, 0 }, *grad = { 0, 0 };
        for (int i = 0; i < kPoints; ++i) {
            const double p = x[i] > 0.0 ? std::pow(x[i], 2.0 * b) : 0.0;
            const double f = 1.0 / (1.0 + a * p);
            const double r = f - y[i];
            cost += r * r;
            if (normal) {
                const double dfda = -p * f * f;
                const double dfdb = x[i] > 0.0 ? -a * p * 2.0 * std::log(x[i]) * f * f : 0.0;
                (*normal)[0] += dfda * dfda, (*normal)[1] += dfda * dfdb, (*normal)[2] += dfdb * dfdb;
                (*grad)[0] += dfda * r, (*grad)[1] += dfdb * r;
            }
        }
    };
    double a = 1.0, b = 1.0, lambda = 1e-3, cost = 0.0;
    for (int iteration = 0; iteration < 500; ++iteration) {
        std::array<double, 3> jtj;
        std::array<double, 2> jtr;
        residuals(a, b, cost, &jtj, &jtr);
        bool improved = false;
        while (lambda < 1e12) {
            const double m00 = jtj[0] * (1 + lambda), m11 = jtj[2] * (1 + lambda), m01 = jtj[1];
            const double det = m00 * m11 - m01 * m01;
            const double da = -(m11 * jtr[0] - m01 * jtr[1]) / det, db = -(m00 * jtr[1] - m01 * jtr[0]) / det;
            double trial = 0.0;
            if (a + da > 0.0 && b + db > 0.0) {
                residuals(a + da, b + db, trial, nullptr, nullptr);
                if (trial < cost) {
                    const bool converged = std::abs(da) < 1e-12 * (1 + a) && std::abs(db) < 1e-12 * (1 + b);
                    a += da, b += db, lambda = std::max(lambda / 10.0, 1e-12), improved = true;
                    if (converged)
                        return { a, b };
                    break;
                }
            }
            lambda *= 10.0;
        }
        if (!improved)
            break;
    }
    return { a, b };
}

} // namespace cellvit
