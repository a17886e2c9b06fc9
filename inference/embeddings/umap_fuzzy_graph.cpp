#include "inference/embeddings/umap_fuzzy_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

namespace cellvit {
namespace {

constexpr double kSmoothKTolerance = 1e-5;
constexpr double kMinKDistScale = 1e-3;

} // namespace

SmoothKnn smoothKnnDistances(const KnnGraph& knn, double target)
{
    SmoothKnn out;
    out.sigmas.resize(knn.n);
    out.rhos.resize(knn.n);
    double meanAll = 0.0;
    for (float d : knn.distances)
        meanAll += d;
    meanAll /= std::max<std::size_t>(knn.distances.size(), 1);

    for (std::size_t i = 0; i < knn.n; ++i) {
        const float* dist = knn.distances.data() + i * knn.k;
        double rho = 0.0;
        for (int j = 0; j < knn.k; ++j)
            if (dist[j] > 0.0f) {
                rho = dist[j];
                break;
            }
        double lo = 0.0, hi = std::numeric_limits<double>::infinity(), mid = 1.0;
        for (int iteration = 0; iteration < 64; ++iteration) {
            double psum = 0.0;
            for (int j = 0; j < knn.k; ++j) {
                const double d = dist[j] - rho;
                psum += d > 0.0 ? std::exp(-d / mid) : 1.0;
            }
            if (std::abs(psum - target) < kSmoothKTolerance)
                break;
            if (psum > target) {
                hi = mid;
                mid = (lo + hi) / 2.0;
            } else {
                lo = mid;
                mid = std::isinf(hi) ? mid * 2.0 : (lo + hi) / 2.0;
            }
        }
        // Keep sigma away from zero for points in very dense neighbourhoods (as umap-learn).
        double meanRow = 0.0;
        for (int j = 0; j < knn.k; ++j)
            meanRow += dist[j];
        meanRow /= knn.k;
        mid = std::max(mid, kMinKDistScale * (rho > 0.0 ? meanRow : meanAll));
        out.sigmas[i] = float(mid);
        out.rhos[i] = float(rho);
    }
    return out;
}

FuzzyGraph fuzzySimplicialSet(const KnnGraph& knn, UmapWork& work)
{
    work.checkpoint("fuzzy graph", 0.36);
    const SmoothKnn smooth = smoothKnnDistances(knn, std::log2(double(knn.k + 1)));
    // Directed memberships, each stored in both orientations so that one sort gathers P(i,j) and P(j,i).
    struct Entry {
        std::int32_t row, column;
        float weight;
        bool forward;
    };
    std::vector<Entry> entries;
    entries.reserve(2 * knn.n * knn.k);
    for (std::size_t i = 0; i < knn.n; ++i)
        for (int j = 0; j < knn.k; ++j) {
            const std::int32_t other = knn.indices[i * knn.k + j];
            if (std::size_t(other) == i)
                continue;
            const double d = knn.distances[i * knn.k + j] - smooth.rhos[i];
            const float w = d <= 0.0 ? 1.0f : float(std::exp(-d / smooth.sigmas[i]));
            entries.push_back({ std::int32_t(i), other, w, true });
            entries.push_back({ other, std::int32_t(i), w, false });
        }
    work.checkpoint("fuzzy graph", 0.37);
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.row, a.column, a.forward) < std::tie(b.row, b.column, b.forward);
    });
    work.checkpoint("fuzzy graph", 0.39);

    FuzzyGraph g;
    g.n = knn.n;
    g.rowStart.assign(knn.n + 1, 0);
    for (std::size_t e = 0; e < entries.size();) {
        const Entry& first = entries[e];
        float forward = 0.0f, backward = 0.0f; // P(row, column) and P(column, row); duplicates keep the largest
        std::size_t f = e;
        for (; f < entries.size() && entries[f].row == first.row && entries[f].column == first.column; ++f)
            (entries[f].forward ? forward : backward)
                = std::max(entries[f].forward ? forward : backward, entries[f].weight);
        const float w = forward + backward - forward * backward;
        if (w > 0.0f) {
            g.columns.push_back(first.column);
            g.weights.push_back(w);
            ++g.rowStart[std::size_t(first.row) + 1];
        }
        e = f;
    }
    std::partial_sum(g.rowStart.begin(), g.rowStart.end(), g.rowStart.begin());
    return g;
}

std::size_t connectedComponents(const FuzzyGraph& graph)
{
    std::vector<std::size_t> parent(graph.n);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::size_t x) {
        while (parent[x] != x)
            x = parent[x] = parent[parent[x]];
        return x;
    };
    std::size_t components = graph.n;
    for (std::size_t i = 0; i < graph.n; ++i)
        for (std::size_t e = graph.rowStart[i]; e < graph.rowStart[i + 1]; ++e) {
            const std::size_t a = find(i), b = find(std::size_t(graph.columns[e]));
            if (a != b) {
                parent[a] = b;
                --components;
            }
        }
    return components;
}

} // namespace cellvit
