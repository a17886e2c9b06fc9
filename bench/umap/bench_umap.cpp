// UMAP speed on synthetic clustered cell embeddings (default 100 000 × 384, 2 threads): wall time per stage,
// trustworthiness@10 on a subsample, and the ratio against the 60-s goal.
//   bench_umap [--n 100000] [--dim 384] [--clusters 20] [--threads 2] [--neighbors 15] [--epochs 0]
//              [--subsample 3000] [--init spectral|pca] [--save-data data.npy]
// --save-data writes the synthetic matrix for bench/umap/reference_umap.py (umap-learn on the same data).
#include "bench/common/bench_arguments.h"
#include "inference/embeddings/umap.h"
#include "inference/embeddings/umap_quality.h"
#include "inference/io/npy.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <random>
#include <string>

using namespace cellvit;

int main(int argc, char** argv)
{
    std::map<std::string, std::string> options { { "--n", "100000" }, { "--dim", "384" }, { "--clusters", "20" },
        { "--threads", "2" }, { "--neighbors", "15" }, { "--epochs", "0" }, { "--subsample", "3000" },
        { "--init", "spectral" }, { "--save-data", "" } };
    bench::parseArgumentsOrExit(argc, argv, "bench_umap",
        "bench_umap [--n 100000] [--dim 384] [--clusters 20] [--threads 2] [--neighbors 15] [--epochs 0] "
        "[--subsample 3000] [--init spectral|pca] [--save-data data.npy]",
        [&](const std::string& flag, bench::Arguments& arguments) {
            if (!options.count(flag))
                return false;
            options[flag] = arguments.value();
            return true;
        });
    const std::size_t n = std::stoul(options["--n"]), dim = std::stoul(options["--dim"]);
    const int clusters = std::stoi(options["--clusters"]);

    // Clusters of different sizes and spreads, as cell types are (centres ~ N(0, 1.5²), points ~ N(centre, s²)).
    std::mt19937_64 rng(2026);
    std::normal_distribution<float> normal;
    const std::size_t clusterCount = static_cast<std::size_t>(clusters);
    std::vector<float> centres(clusterCount * dim), spread(clusterCount);
    for (float& c : centres)
        c = 1.5f * normal(rng);
    for (int c = 0; c < clusters; ++c)
        spread[std::size_t(c)] = 0.5f + 0.05f * float(c);
    std::vector<float> data(n * dim);
    std::discrete_distribution<int> pick(clusters, 0.0, double(clusters), [](double x) { return 1.0 + x; });
    for (std::size_t i = 0; i < n; ++i) {
        const int c = pick(rng);
        for (std::size_t d = 0; d < dim; ++d)
            data[i * dim + d] = centres[std::size_t(c) * dim + d] + spread[std::size_t(c)] * normal(rng);
    }

    if (!options["--save-data"].empty())
        writeNpy(options["--save-data"], { std::int64_t(n), std::int64_t(dim) }, data.data());

    UmapParams params;
    params.threads = std::stoi(options["--threads"]);
    params.nNeighbors = std::stoi(options["--neighbors"]);
    params.epochs = std::stoi(options["--epochs"]);
    params.init = options["--init"] == "pca" ? UmapInit::Pca : UmapInit::Spectral;
    UmapCallbacks callbacks;
    const auto start = std::chrono::steady_clock::now();
    std::string stage;
    const std::clock_t cpuStart = std::clock();
    auto since = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    // Process CPU time next to wall time: on a shared machine the wall time alone says little.
    auto cpu = [&] { return double(std::clock() - cpuStart) / CLOCKS_PER_SEC; };
    callbacks.onProgress = [&](double, const std::string& s) {
        if (s != stage) {
            std::printf("  %7.2f s wall %7.2f s CPU  %s\n", since(), cpu(), s.c_str());
            std::fflush(stdout);
            stage = s;
        }
    };
    const std::vector<float> layout = computeUmap(data.data(), n, dim, params, callbacks);
    const double seconds = since(), cpuSeconds = cpu();

    const std::size_t m = std::min<std::size_t>(std::stoul(options["--subsample"]), n);
    const std::size_t step = n / m;
    std::vector<float> high, low;
    for (std::size_t i = 0, taken = 0; taken < m; i += step, ++taken) {
        high.insert(high.end(), data.begin() + std::ptrdiff_t(i * dim), data.begin() + std::ptrdiff_t((i + 1) * dim));
        low.insert(low.end(), layout.begin() + std::ptrdiff_t(i * 2), layout.begin() + std::ptrdiff_t(i * 2 + 2));
    }
    const double trust = trustworthiness(high.data(), dim, low.data(), 2, m, 10);
    std::printf("UMAP %zu x %zu, %d threads: %.2f s wall, %.2f s CPU (goal 60 s wall, ratio %.2f), "
                "trustworthiness@10 on %zu rows %.4f\n",
        n, dim, params.threads, seconds, cpuSeconds, seconds / 60.0, m, trust);
    return 0;
}
