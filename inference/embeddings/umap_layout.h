#pragma once
// UMAP's SGD layout (umap-learn optimize_layout_euclidean): edges sampled every epochs_per_sample epochs,
// negative sampling, linearly decaying learning rate, gradients clipped to ±4.
//
// Determinism contract: each vertex is moved only by the thread that owns its row of the graph, and every other
// vertex is read from a snapshot taken at the start of the epoch; negative samples come from a counter-based
// generator keyed by (seed, epoch, edge). The layout therefore depends on the input, the parameters and the seed,
// and is bit-identical for any thread count.

#include "inference/embeddings/umap_curve.h"
#include "inference/embeddings/umap_fuzzy_graph.h"

#include <cstdint>
#include <vector>

namespace cellvit {

struct UmapLayoutSettings {
    int epochs = 200;
    int negativeSampleRate = 5;
    double learningRate = 1.0;
    UmapCurve curve;
    std::uint64_t seed = 42;
};

// layout: n × 2, optimised in place.
void optimizeLayout(std::vector<float>& layout, const FuzzyGraph& graph, const UmapLayoutSettings& settings,
    UmapWork& work, double progressFrom, double progressTo);

} // namespace cellvit
