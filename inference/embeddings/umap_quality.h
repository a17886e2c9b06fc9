#pragma once
// Quality measures for a low-dimensional layout, by exact brute force (O(n²·dim): use subsamples of a few
// thousand rows).

#include <cstddef>
#include <vector>

namespace cellvit {

// Trustworthiness (Venna & Kaski; as sklearn.manifold.trustworthiness, Euclidean): 1 when every k-neighbour in
// `low` is also a k-neighbour in `high`. Throws std::invalid_argument unless 1 ≤ k < n/2.
double trustworthiness(
    const float* high, std::size_t highDim, const float* low, std::size_t lowDim, std::size_t n, int k);

// Leave-one-out k-nearest-neighbour classification accuracy (Euclidean, majority vote, ties to the nearest).
double knnClassificationAccuracy(
    const float* data, std::size_t n, std::size_t dim, const std::vector<int>& labels, int k);

} // namespace cellvit
