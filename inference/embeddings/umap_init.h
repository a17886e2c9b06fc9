#pragma once
// Starting layouts for the SGD: the spectral embedding of the fuzzy graph (two smallest non-trivial eigenvectors
// of the normalised Laplacian, by block power iteration) or the first two principal components of the data.

#include "inference/embeddings/umap_fuzzy_graph.h"

#include <cstdint>
#include <vector>

namespace cellvit {

// n × 2; empty when the graph is disconnected or the iteration does not converge (the caller then uses PCA).
std::vector<float> spectralLayout(
    const FuzzyGraph& graph, std::uint64_t seed, UmapWork& work, double progressFrom, double progressTo);

// n × 2 principal-component scores (deterministic sign: largest |loading| positive).
std::vector<float> pcaLayout(const float* data, std::size_t n, std::size_t dim);

// As umap-learn: scale to a max |coordinate| of 10, add N(0, 1e-4) noise, then map each axis to [0, 10].
void normaliseInitialLayout(std::vector<float>& layout, std::uint64_t seed);

} // namespace cellvit
