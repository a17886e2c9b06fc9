#pragma once
// Unique pairing of two point sets (v1 utils/tools.py: pair_coordinates): Hungarian assignment
// on Euclidean distances, keeping the assigned pairs no farther apart than the radius.

#include <opencv2/core/types.hpp>
#include <utility>
#include <vector>

namespace cellvit::metrics {

struct CoordinatePairing {
    std::vector<std::pair<int, int>> paired; // (index in A, index in B), ascending in A
    std::vector<int> unpairedA; // ascending
    std::vector<int> unpairedB; // ascending
};

CoordinatePairing pairCoordinates(
    const std::vector<cv::Point2d>& setA, const std::vector<cv::Point2d>& setB, double radius);

// Pairing radius of the reference's evaluation: 12 px at x40, 6 px at x20.
double pairingRadiusForMagnification(int magnification);

} // namespace cellvit::metrics
