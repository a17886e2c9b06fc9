#pragma once
// Well-separated Gaussian clusters for the UMAP and classifier tests (deterministic for a seed).

#include <cstdint>
#include <random>
#include <vector>

namespace cellvit::test {

struct ClusteredData {
    std::size_t n = 0, dim = 0;
    std::vector<float> values; // n × dim
    std::vector<int> labels; // cluster per row
};

// Centres ~ N(0, centreSpread²) per coordinate, points ~ centre + N(0, 1); rows interleave the clusters.
inline ClusteredData gaussianClusters(
    int clusters, int perCluster, std::size_t dim, double centreSpread, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    std::vector<double> centres(std::size_t(clusters) * dim);
    for (double& c : centres)
        c = centreSpread * normal(rng);
    ClusteredData out;
    out.n = std::size_t(clusters) * std::size_t(perCluster);
    out.dim = dim;
    out.values.resize(out.n * dim);
    out.labels.resize(out.n);
    for (std::size_t i = 0; i < out.n; ++i) {
        const int c = int(i % std::size_t(clusters));
        out.labels[i] = c;
        for (std::size_t d = 0; d < dim; ++d)
            out.values[i * dim + d] = float(centres[std::size_t(c) * dim + d] + normal(rng));
    }
    return out;
}

// Every `step`-th row (a subsample for the O(n²) quality measures).
inline std::vector<float> everyNth(const std::vector<float>& values, std::size_t dim, std::size_t step)
{
    std::vector<float> out;
    for (std::size_t i = 0; i * dim < values.size(); i += step)
        out.insert(out.end(), values.begin() + std::ptrdiff_t(i * dim), values.begin() + std::ptrdiff_t((i + 1) * dim));
    return out;
}

} // namespace cellvit::test
