#pragma once
// The k nearest neighbours of every row (itself excluded), ascending by distance: exact brute force for small
// inputs, hnswlib otherwise. Cosine distance = 1 − inner product of the L2-normalised rows.

#include "inference/embeddings/umap.h"
#include "inference/embeddings/umap_work.h"

#include <cstdint>
#include <vector>

namespace cellvit {

struct KnnGraph {
    std::size_t n = 0;
    int k = 0;
    std::vector<std::int32_t> indices; // n × k
    std::vector<float> distances; // n × k, ascending per row
};

// Brute force up to this many rows (cost n² · dim); hnswlib above.
constexpr std::size_t kExactKnnMaxRows = 4096;

// hnswlib shards of about this many rows are built independently (in parallel, each by one thread) and all
// queried: the graph then depends on the data and seed only, never on the thread count (a parallel insertion into
// one index would not be reproducible).
constexpr std::size_t kHnswShardRows = 50000;
// Graph degree, construction and search beam: tuned on 100 k × 384 clustered embeddings (bench/umap) for
// trustworthiness ≥ 0.95 within the 60-s budget.
constexpr std::size_t kHnswM = 12;
constexpr std::size_t kHnswEfConstruction = 48;
constexpr std::size_t kHnswEfSearch = 24;

KnnGraph computeKnn(const float* data, std::size_t n, std::size_t dim, int k, UmapMetric metric, std::uint64_t seed,
    UmapWork& work, double progressFrom, double progressTo);

} // namespace cellvit
