#include "inference/embeddings/umap_knn.h"

#include "inference/embeddings/umap_distance_kernels.h"

#include <algorithm>
#include <cmath>
#include <hnswlib/hnswlib.h>
#include <memory>
#include <utility>

namespace cellvit {
namespace {

// An hnswlib space with our run-time dispatched kernels (squared L2, or 1 − inner product).
class DispatchedSpace : public hnswlib::SpaceInterface<float> {
public:
    DispatchedSpace(std::size_t dim, bool innerProduct)
        : m_dim(dim)
        , m_function(innerProduct ? umapOneMinusDot : umapSquaredL2)
    {
    }
    size_t get_data_size() override { return m_dim * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return m_function; }
    void* get_dist_func_param() override { return &m_dim; }

private:
    std::size_t m_dim;
    hnswlib::DISTFUNC<float> m_function;
};

using Neighbour = std::pair<float, std::int32_t>; // distance, index: ties broken by index for determinism

std::vector<float> normalisedRows(const float* data, std::size_t n, std::size_t dim)
{
    std::vector<float> out(data, data + n * dim);
    for (std::size_t i = 0; i < n; ++i) {
        float* row = out.data() + i * dim;
        double norm = 0.0;
        for (std::size_t d = 0; d < dim; ++d)
            norm += double(row[d]) * row[d];
        if (norm > 0.0) {
            const float inv = float(1.0 / std::sqrt(norm));
            for (std::size_t d = 0; d < dim; ++d)
                row[d] *= inv;
        }
    }
    return out;
}

float distance(const float* a, const float* b, std::size_t dim, UmapMetric metric)
{
    float acc = 0.0f;
    if (metric == UmapMetric::Cosine) {
        for (std::size_t d = 0; d < dim; ++d)
            acc += a[d] * b[d];
        return std::max(0.0f, 1.0f - acc);
    }
    for (std::size_t d = 0; d < dim; ++d) {
        const float t = a[d] - b[d];
        acc += t * t;
    }
    return std::sqrt(acc);
}

// Keeps the k best of `candidates` that are not `self`, sorted.
void storeRow(KnnGraph& g, std::size_t row, std::vector<Neighbour>& candidates)
{
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                         [&](const Neighbour& c) { return std::size_t(c.second) == row; }),
        candidates.end());
    const std::size_t keep = std::min<std::size_t>(g.k, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end());
    for (std::size_t j = 0; j < std::size_t(g.k); ++j) {
        // Fewer candidates than k (tiny shards): repeat the farthest one found.
        const Neighbour& c = candidates[std::min(j, keep - 1)];
        g.indices[row * g.k + j] = c.second;
        g.distances[row * g.k + j] = c.first;
    }
}

} // namespace

KnnGraph computeKnn(const float* data, std::size_t n, std::size_t dim, int k, UmapMetric metric, std::uint64_t seed,
    UmapWork& work, double progressFrom, double progressTo)
{
    KnnGraph g;
    g.n = n;
    g.k = k;
    g.indices.resize(n * k);
    g.distances.resize(n * k);
    std::vector<float> normalised;
    if (metric == UmapMetric::Cosine) {
        normalised = normalisedRows(data, n, dim);
        data = normalised.data();
    }

    if (n <= kExactKnnMaxRows) {
        work.forEach(
            n, 16,
            [&](std::size_t begin, std::size_t end) {
                std::vector<Neighbour> candidates(n);
                for (std::size_t i = begin; i < end; ++i) {
                    candidates.resize(n);
                    for (std::size_t j = 0; j < n; ++j)
                        candidates[j] = { distance(data + i * dim, data + j * dim, dim, metric), std::int32_t(j) };
                    storeRow(g, i, candidates);
                }
            },
            "nearest neighbours", progressFrom, progressTo);
        return g;
    }

    auto space = std::make_unique<DispatchedSpace>(dim, metric == UmapMetric::Cosine);
    const std::size_t shardCount = std::max<std::size_t>(1, (n + kHnswShardRows / 2) / kHnswShardRows);
    const std::size_t shardRows = (n + shardCount - 1) / shardCount;
    std::vector<std::unique_ptr<hnswlib::HierarchicalNSW<float>>> shards(shardCount);
    const double middle = progressFrom + 0.6 * (progressTo - progressFrom);

    // Each shard is inserted sequentially by one thread, so its graph is reproducible.
    work.forEach(
        shardCount, 1,
        [&](std::size_t begin, std::size_t end) {
            for (std::size_t s = begin; s < end; ++s) {
                const std::size_t first = s * shardRows, last = std::min(n, first + shardRows);
                auto index = std::make_unique<hnswlib::HierarchicalNSW<float>>(
                    space.get(), last - first, kHnswM, kHnswEfConstruction, std::size_t(seed + s));
                for (std::size_t i = first; i < last; ++i) {
                    if ((i & 255) == 0 && work.cancelRequested())
                        return;
                    index->addPoint(data + i * dim, hnswlib::labeltype(i));
                }
                index->setEf(std::max<std::size_t>(k + 1, kHnswEfSearch));
                shards[s] = std::move(index);
            }
        },
        "nearest neighbours (index)", progressFrom, middle);

    work.forEach(
        n, 64,
        [&](std::size_t begin, std::size_t end) {
            std::vector<Neighbour> candidates;
            for (std::size_t i = begin; i < end; ++i) {
                candidates.clear();
                for (const auto& shard : shards) {
                    auto found = shard->searchKnn(data + i * dim, std::size_t(k + 1));
                    for (; !found.empty(); found.pop()) {
                        const float d = found.top().first;
                        // hnswlib gives squared L2 and 1 − inner product.
                        candidates.emplace_back(
                            metric == UmapMetric::Cosine ? std::max(0.0f, d) : std::sqrt(std::max(0.0f, d)),
                            std::int32_t(found.top().second));
                    }
                }
                storeRow(g, i, candidates);
            }
        },
        "nearest neighbours (search)", middle, progressTo);
    return g;
}

} // namespace cellvit
