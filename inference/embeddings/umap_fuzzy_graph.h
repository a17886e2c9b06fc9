#pragma once
// UMAP's fuzzy simplicial set: per point, smooth-kNN calibration (rho = distance to the nearest neighbour, sigma by
// binary search so that the memberships sum to log2(nNeighbors)), then the fuzzy union P + Pᵀ − P∘Pᵀ.

#include "inference/embeddings/umap_knn.h"

#include <cstdint>
#include <vector>

namespace cellvit {

// Symmetric graph in CSR form, columns ascending within a row, no self loops.
struct FuzzyGraph {
    std::size_t n = 0;
    std::vector<std::size_t> rowStart; // n + 1
    std::vector<std::int32_t> columns;
    std::vector<float> weights; // in (0, 1]
};

struct SmoothKnn {
    std::vector<float> sigmas, rhos;
};

// As umap-learn's smooth_knn_dist with local_connectivity 1 and bandwidth 1 (knn.k = nNeighbors − 1 because the
// point itself is not stored).
SmoothKnn smoothKnnDistances(const KnnGraph& knn, double target);

FuzzyGraph fuzzySimplicialSet(const KnnGraph& knn, UmapWork& work);

// Number of connected components (union-find).
std::size_t connectedComponents(const FuzzyGraph& graph);

} // namespace cellvit
