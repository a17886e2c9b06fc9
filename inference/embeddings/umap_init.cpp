#include "inference/embeddings/umap_init.h"

#include <ATen/ATen.h>
#include <algorithm>
#include <cmath>
#include <random>

namespace cellvit {
namespace {

// Block size of the subspace iteration: 2 wanted vectors + guards that speed up convergence.
constexpr int kBlock = 6;
constexpr int kMaxIterations = 400;
constexpr double kResidualTolerance = 1e-3;

// Orthonormalises the columns of V (n × kBlock, column-major) against u0 and each other (modified Gram–Schmidt).
bool orthonormalise(std::vector<double>& v, const std::vector<double>& u0, std::size_t n)
{
    auto column = [&](int c) { return v.data() + std::size_t(c) * n; };
    for (int c = 0; c < kBlock; ++c) {
        double* x = column(c);
        for (int pass = 0; pass < 2; ++pass) {
            double dot = 0.0;
            for (std::size_t i = 0; i < n; ++i)
                dot += x[i] * u0[i];
            for (std::size_t i = 0; i < n; ++i)
                x[i] -= dot * u0[i];
            for (int p = 0; p < c; ++p) {
                const double* y = column(p);
                double d = 0.0;
                for (std::size_t i = 0; i < n; ++i)
                    d += x[i] * y[i];
                for (std::size_t i = 0; i < n; ++i)
                    x[i] -= d * y[i];
            }
        }
        double norm = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            norm += x[i] * x[i];
        norm = std::sqrt(norm);
        if (!(norm > 1e-300) || !std::isfinite(norm))
            return false;
        for (std::size_t i = 0; i < n; ++i)
            x[i] /= norm;
    }
    return true;
}

} // namespace

std::vector<float> spectralLayout(
    const FuzzyGraph& graph, std::uint64_t seed, UmapWork& work, double progressFrom, double progressTo)
{
    const std::size_t n = graph.n;
    if (n < std::size_t(kBlock) + 2 || connectedComponents(graph) != 1)
        return {};
    // Largest eigenvectors of B = (I + D^-1/2 W D^-1/2) / 2 (spectrum in [0, 1]) = smallest of the Laplacian.
    std::vector<double> invSqrtDegree(n), u0(n);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double degree = 0.0;
        for (std::size_t e = graph.rowStart[i]; e < graph.rowStart[i + 1]; ++e)
            degree += graph.weights[e];
        invSqrtDegree[i] = 1.0 / std::sqrt(degree);
        u0[i] = std::sqrt(degree); // the trivial eigenvector (eigenvalue 1)
        total += degree;
    }
    for (double& u : u0)
        u /= std::sqrt(total);

    std::vector<double> v(n * kBlock), bv(n * kBlock);
    std::mt19937_64 rng(seed ^ 0x5bd1e995u);
    std::normal_distribution<double> normal;
    for (double& x : v)
        x = normal(rng);
    if (!orthonormalise(v, u0, n))
        return {};

    auto multiply = [&] {
        work.forEach(
            n, 2048,
            [&](std::size_t begin, std::size_t end) {
                for (std::size_t i = begin; i < end; ++i)
                    for (int c = 0; c < kBlock; ++c) {
                        const double* x = v.data() + std::size_t(c) * n;
                        double acc = 0.0;
                        for (std::size_t e = graph.rowStart[i]; e < graph.rowStart[i + 1]; ++e)
                            acc += graph.weights[e] * invSqrtDegree[std::size_t(graph.columns[e])]
                                * x[graph.columns[e]];
                        bv[std::size_t(c) * n + i] = 0.5 * (x[i] + invSqrtDegree[i] * acc);
                    }
            },
            "spectral initialisation", progressFrom, progressFrom);
    };

    for (int iteration = 1; iteration <= kMaxIterations; ++iteration) {
        multiply();
        work.checkpoint(
            "spectral initialisation", progressFrom + (progressTo - progressFrom) * double(iteration) / kMaxIterations);
        if (iteration % 10 != 0 && iteration != kMaxIterations) {
            v.swap(bv);
            if (!orthonormalise(v, u0, n))
                return {};
            continue;
        }
        // Rayleigh–Ritz: rotate the block onto the eigenvectors of Vᵀ B V, sorted by decreasing eigenvalue.
        const auto V = at::from_blob(v.data(), { kBlock, std::int64_t(n) }, at::kDouble);
        const auto BV = at::from_blob(bv.data(), { kBlock, std::int64_t(n) }, at::kDouble);
        const auto small = at::mm(V, BV.t());
        const auto [values, vectors] = at::linalg_eigh((small + small.t()) / 2);
        const auto order = at::argsort(values, 0, /*descending=*/true);
        const auto rotation = vectors.index_select(1, order).t().contiguous();
        const auto ritz = at::mm(rotation, V);
        const auto bRitz = at::mm(rotation, BV);
        const auto theta = values.index_select(0, order);
        const auto residual = (bRitz.slice(0, 0, 2) - theta.slice(0, 0, 2).unsqueeze(1) * ritz.slice(0, 0, 2))
                                  .norm(2, { 1 })
                                  .max()
                                  .item<double>();
        std::copy(bRitz.data_ptr<double>(), bRitz.data_ptr<double>() + n * kBlock, v.begin());
        if (!std::isfinite(residual))
            return {};
        if (residual < kResidualTolerance) {
            std::copy(ritz.data_ptr<double>(), ritz.data_ptr<double>() + n * kBlock, v.begin());
            std::vector<float> layout(n * 2);
            for (std::size_t i = 0; i < n; ++i)
                for (int c = 0; c < 2; ++c)
                    layout[i * 2 + c] = float(v[std::size_t(c) * n + i]);
            return layout;
        }
        if (!orthonormalise(v, u0, n))
            return {};
    }
    return {};
}

std::vector<float> pcaLayout(const float* data, std::size_t n, std::size_t dim)
{
    const auto x
        = at::from_blob(const_cast<float*>(data), { std::int64_t(n), std::int64_t(dim) }, at::kFloat).to(at::kDouble);
    const auto centred = x - x.mean(0, true);
    const auto covariance = at::mm(centred.t(), centred);
    const auto [values, vectors] = at::linalg_eigh(covariance);
    const std::int64_t components = std::min<std::int64_t>(2, std::int64_t(dim));
    auto axes = vectors.slice(1, std::int64_t(dim) - components, std::int64_t(dim)).flip({ 1 }).contiguous();
    for (std::int64_t c = 0; c < components; ++c) {
        auto axis = axes.select(1, c);
        const auto largest = axis.abs().argmax().item<std::int64_t>();
        if (axis[largest].item<double>() < 0)
            axis.mul_(-1);
    }
    const auto scores = at::mm(centred, axes).to(at::kFloat).contiguous();
    const auto values2 = scores.accessor<float, 2>();
    std::vector<float> layout(n * 2, 0.0f);
    for (std::size_t i = 0; i < n; ++i)
        for (std::int64_t c = 0; c < components; ++c)
            layout[i * 2 + std::size_t(c)] = values2[std::int64_t(i)][c];
    return layout;
}

void normaliseInitialLayout(std::vector<float>& layout, std::uint64_t seed)
{
    float largest = 0.0f;
    for (float v : layout)
        largest = std::max(largest, std::abs(v));
    const float expansion = largest > 0.0f ? 10.0f / largest : 1.0f;
    std::mt19937_64 rng(seed ^ 0x2545f4914f6cdd1dULL);
    std::normal_distribution<float> noise(0.0f, 1e-4f);
    for (float& v : layout)
        v = v * expansion + noise(rng);
    for (int c = 0; c < 2; ++c) {
        float lo = layout[c], hi = layout[c];
        for (std::size_t i = c; i < layout.size(); i += 2)
            lo = std::min(lo, layout[i]), hi = std::max(hi, layout[i]);
        const float range = hi > lo ? hi - lo : 1.0f;
        for (std::size_t i = c; i < layout.size(); i += 2)
            layout[i] = 10.0f * (layout[i] - lo) / range;
    }
}

} // namespace cellvit
