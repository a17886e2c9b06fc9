#include "inference/metrics/coordinate_pairing.h"

#include "inference/metrics/linear_assignment.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace cellvit::metrics {

CoordinatePairing pairCoordinates(
    const std::vector<cv::Point2d>& setA, const std::vector<cv::Point2d>& setB, double radius)
{
    const int na = static_cast<int>(setA.size());
    const int nb = static_cast<int>(setB.size());
    std::vector<double> distance(static_cast<size_t>(na) * nb);
    for (int i = 0; i < na; ++i) {
        for (int j = 0; j < nb; ++j) {
            // Same operation order as scipy's cdist 'euclidean' (not hypot), for identical rounding.
            const double dx = setA[i].x - setB[j].x;
            const double dy = setA[i].y - setB[j].y;
            distance[static_cast<size_t>(i) * nb + j] = std::sqrt(dx * dx + dy * dy);
        }
    }
    const Assignment assignment = solveLinearSumAssignment(distance, na, nb);

    CoordinatePairing out;
    std::vector<bool> pairedA(na, false);
    std::vector<bool> pairedB(nb, false);
    for (size_t k = 0; k < assignment.rows.size(); ++k) {
        const int i = assignment.rows[k];
        const int j = assignment.cols[k];
        if (distance[static_cast<size_t>(i) * nb + j] <= radius) {
            out.paired.emplace_back(i, j);
            pairedA[i] = true;
            pairedB[j] = true;
        }
    }
    for (int i = 0; i < na; ++i) {
        if (!pairedA[i])
            out.unpairedA.push_back(i);
    }
    for (int j = 0; j < nb; ++j) {
        if (!pairedB[j])
            out.unpairedB.push_back(j);
    }
    return out;
}

double pairingRadiusForMagnification(int magnification)
{
    if (magnification == 40)
        return 12.0;
    if (magnification == 20)
        return 6.0;
    throw std::invalid_argument("pairing radius: magnification must be 40 or 20, got " + std::to_string(magnification));
}

} // namespace cellvit::metrics
