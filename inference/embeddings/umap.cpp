#include "inference/embeddings/umap.h"

#include "inference/embeddings/umap_curve.h"
#include "inference/embeddings/umap_fuzzy_graph.h"
#include "inference/embeddings/umap_init.h"
#include "inference/embeddings/umap_knn.h"
#include "inference/embeddings/umap_layout.h"
#include "inference/embeddings/umap_work.h"

#include <cmath>

namespace cellvit {
namespace {

void validate(const float* data, std::size_t n, std::size_t dim, const UmapParams& params)
{
    if (n < 2)
        throw std::invalid_argument("UMAP needs at least 2 rows, got " + std::to_string(n));
    if (dim == 0)
        throw std::invalid_argument("UMAP: the embeddings have 0 columns");
    if (!data)
        throw std::invalid_argument("UMAP: no data");
    if (params.nNeighbors < 2)
        throw std::invalid_argument("UMAP: n_neighbors must be at least 2, got " + std::to_string(params.nNeighbors));
    if (params.epochs < 0)
        throw std::invalid_argument("UMAP: epochs must be >= 0, got " + std::to_string(params.epochs));
    if (params.negativeSampleRate < 0)
        throw std::invalid_argument(
            "UMAP: negative_sample_rate must be >= 0, got " + std::to_string(params.negativeSampleRate));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t d = 0; d < dim; ++d)
            if (!std::isfinite(data[i * dim + d]))
                throw std::invalid_argument(
                    "UMAP: row " + std::to_string(i) + " has a non-finite value in column " + std::to_string(d));
}

} // namespace

std::vector<float> computeUmap(
    const float* data, std::size_t n, std::size_t dim, const UmapParams& params, const UmapCallbacks& callbacks)
{
    validate(data, n, dim, params);
    const UmapCurve curve = fitUmapCurve(params.minDist, params.spread);
    UmapWork work(callbacks, params.threads);
    // With fewer points than neighbours every point is everyone's neighbour.
    const int k = static_cast<int>(std::min<std::size_t>(std::size_t(params.nNeighbors), n) - 1);

    const KnnGraph knn = computeKnn(data, n, dim, k, params.metric, params.seed, work, 0.0, 0.35);
    const FuzzyGraph graph = fuzzySimplicialSet(knn, work);

    std::vector<float> layout;
    if (params.init == UmapInit::Spectral)
        layout = spectralLayout(graph, params.seed, work, 0.4, 0.5);
    work.checkpoint("initialisation", 0.5);
    if (layout.empty())
        layout = pcaLayout(data, n, dim);
    normaliseInitialLayout(layout, params.seed);

    UmapLayoutSettings settings;
    settings.epochs = params.epochs > 0 ? params.epochs : (n <= 10000 ? 500 : 200);
    settings.negativeSampleRate = params.negativeSampleRate;
    settings.curve = curve;
    settings.seed = params.seed;
    optimizeLayout(layout, graph, settings, work, 0.5, 1.0);
    work.checkpoint("done", 1.0);
    return layout;
}

} // namespace cellvit
