#include "inference/embeddings/umap_quality.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace cellvit {
namespace {

double squaredDistance(const float* a, const float* b, std::size_t dim)
{
    double acc = 0.0;
    for (std::size_t d = 0; d < dim; ++d) {
        const double t = double(a[d]) - b[d];
        acc += t * t;
    }
    return acc;
}

// All other rows of `data` sorted by distance from row i (ties by index).
std::vector<std::size_t> neighbourOrder(const float* data, std::size_t dim, std::size_t n, std::size_t i)
{
    std::vector<double> dist(n);
    for (std::size_t j = 0; j < n; ++j)
        dist[j] = squaredDistance(data + i * dim, data + j * dim, dim);
    std::vector<std::size_t> order;
    order.reserve(n - 1);
    for (std::size_t j = 0; j < n; ++j)
        if (j != i)
            order.push_back(j);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return dist[x] < dist[y]; });
    return order;
}

} // namespace

double trustworthiness(
    const float* high, std::size_t highDim, const float* low, std::size_t lowDim, std::size_t n, int k)
{
    if (k < 1 || double(k) >= double(n) / 2.0)
        throw std::invalid_argument(
            "trustworthiness: k must be in [1, n/2), got k=" + std::to_string(k) + " for n=" + std::to_string(n));
    double penalty = 0.0;
    std::vector<std::size_t> rank(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto highOrder = neighbourOrder(high, highDim, n, i);
        for (std::size_t r = 0; r < highOrder.size(); ++r)
            rank[highOrder[r]] = r + 1;
        const auto lowOrder = neighbourOrder(low, lowDim, n, i);
        for (int j = 0; j < k; ++j)
            penalty += std::max<double>(0.0, double(rank[lowOrder[std::size_t(j)]]) - k);
    }
    const double nk = double(n) * k;
    return 1.0 - penalty * 2.0 / (nk * (2.0 * n - 3.0 * k - 1.0));
}

double knnClassificationAccuracy(
    const float* data, std::size_t n, std::size_t dim, const std::vector<int>& labels, int k)
{
    if (labels.size() != n)
        throw std::invalid_argument("knnClassificationAccuracy: " + std::to_string(labels.size()) + " labels for "
            + std::to_string(n) + " rows");
    if (k < 1 || std::size_t(k) >= n)
        throw std::invalid_argument("knnClassificationAccuracy: k must be in [1, n), got " + std::to_string(k));
    std::size_t correct = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto order = neighbourOrder(data, dim, n, i);
        std::map<int, int> votes;
        int best = labels[order[0]], bestVotes = 0;
        for (int j = 0; j < k; ++j) {
            const int label = labels[order[std::size_t(j)]];
            const int v = ++votes[label];
            if (v > bestVotes)
                best = label, bestVotes = v;
        }
        correct += best == labels[i];
    }
    return double(correct) / double(n);
}

} // namespace cellvit
