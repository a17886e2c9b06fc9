#pragma once
// UMAP (McInnes et al.) for cell embeddings: hnswlib approximate kNN, fuzzy simplicial set with smooth-kNN
// calibration, spectral (or PCA) initialisation, SGD layout with negative sampling. Deterministic for a fixed
// seed and thread count.

#include "model_zoo/cellvit_error.h"
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellvit {

enum class UmapMetric { Euclidean, Cosine };
enum class UmapInit { Spectral, Pca };

struct UmapParams {
    int nNeighbors = 15;
    double minDist = 0.1;
    double spread = 1.0;
    UmapMetric metric = UmapMetric::Euclidean;
    UmapInit init = UmapInit::Spectral;
    int epochs = 0; // 0 = automatic (500 below 10 000 points, 200 above), as umap-learn
    int negativeSampleRate = 5;
    std::uint64_t seed = 42;
    int threads = 0; // 0 = hardware concurrency
};

struct UmapCallbacks {
    std::function<void(double fraction, const std::string& stage)> onProgress; // fraction in [0, 1]
    std::function<bool()> isCancelled;                                          // polled often
};

// Thrown when isCancelled() returned true; nothing is returned then.
struct UmapCancelled : Cancelled {
    const char* what() const noexcept override { return "UMAP cancelled"; }
};

// data: n × dim row-major float32. Returns n × 2 row-major float32 coordinates.
// Throws std::invalid_argument for n < 2, dim == 0, nNeighbors < 2 or non-finite values (naming the row).
std::vector<float> computeUmap(const float* data, std::size_t n, std::size_t dim, const UmapParams& params,
    const UmapCallbacks& callbacks = {});

} // namespace cellvit
