#include "inference/embeddings/umap_layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cellvit {
namespace {

constexpr float kClip = 4.0f;

float clip(float v)
{
    return std::clamp(v, -kClip, kClip);
}

// x^p for x > 0 via 2^(p·log2 x) with short polynomials (relative error < 1e-4): std::pow dominated the SGD, and
// the gradient does not need more precision than that.
float fastPow(float x, float p)
{
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    const int exponent = int((bits >> 23) & 0xff) - 127;
    bits = (bits & 0x007fffffu) | 0x3f800000u; // mantissa in [1, 2)
    float m;
    std::memcpy(&m, &bits, sizeof m);
    const float t = m - 1.0f;
    const float log2m = t
        * (1.44251687f
            + t * (-0.717895897f + t * (0.456881758f + t * (-0.277337742f + t * (0.121886838f - t * 0.026056163f)))));
    float y = p * (float(exponent) + log2m);
    y = std::clamp(y, -126.0f, 126.0f);
    int wholeInt = int(y); // floor without a libm call (no SSE4.1 in the portable build)
    if (float(wholeInt) > y)
        --wholeInt;
    const float whole = float(wholeInt), f = y - whole;
    const float pow2f
        = 1.0f + f * (0.6931472f + f * (0.2402265f + f * (0.05550411f + f * (0.009618129f + f * 0.001333355f))));
    std::uint32_t scale = std::uint32_t(wholeInt + 127) << 23;
    float s;
    std::memcpy(&s, &scale, sizeof s);
    return pow2f * s;
}

std::uint64_t splitMix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

void optimizeLayout(std::vector<float>& layout, const FuzzyGraph& graph, const UmapLayoutSettings& settings,
    UmapWork& work, double progressFrom, double progressTo)
{
    const std::size_t n = graph.n, edges = graph.columns.size();
    const int epochs = settings.epochs;
    if (edges == 0 || epochs <= 0)
        return;
    // Edges much weaker than the strongest would be sampled less than once: umap-learn drops them.
    const float maxWeight = *std::max_element(graph.weights.begin(), graph.weights.end());
    std::vector<double> epochsPerSample(edges, -1.0), nextSample(edges), epochsPerNegative(edges), nextNegative(edges);
    for (std::size_t e = 0; e < edges; ++e) {
        const double samples = double(epochs) * graph.weights[e] / maxWeight;
        if (graph.weights[e] >= maxWeight / float(epochs) && samples > 0.0)
            epochsPerSample[e] = double(epochs) / samples;
        nextSample[e] = epochsPerSample[e];
        epochsPerNegative[e] = epochsPerSample[e] / std::max(1, settings.negativeSampleRate);
        nextNegative[e] = epochsPerNegative[e];
    }

    const float a = float(settings.curve.a), b = float(settings.curve.b);
    std::vector<float> snapshot(layout.size());
    for (int epoch = 0; epoch < epochs; ++epoch) {
        snapshot = layout;
        const float alpha = float(settings.learningRate * (1.0 - double(epoch) / epochs));
        const std::uint64_t epochKey = splitMix(settings.seed ^ splitMix(std::uint64_t(epoch) + 1));
        work.forEach(
            n, 1024,
            [&](std::size_t begin, std::size_t end) {
                for (std::size_t i = begin; i < end; ++i) {
                    float* current = layout.data() + i * 2;
                    for (std::size_t e = graph.rowStart[i]; e < graph.rowStart[i + 1]; ++e) {
                        if (epochsPerSample[e] <= 0.0 || nextSample[e] > epoch)
                            continue;
                        const float* other = snapshot.data() + std::size_t(graph.columns[e]) * 2;
                        float dx = current[0] - other[0], dy = current[1] - other[1];
                        float d2 = dx * dx + dy * dy;
                        if (d2 > 0.0f) {
                            const float powB = fastPow(d2, b); // d2^(b-1) = powB / d2
                            const float coeff = -2.0f * a * b * (powB / d2) / (a * powB + 1.0f);
                            // umap-learn moves both ends per sample and samples each pair in both directions;
                            // here only the owner moves, so it takes both steps.
                            current[0] += 2.0f * clip(coeff * dx) * alpha;
                            current[1] += 2.0f * clip(coeff * dy) * alpha;
                        }
                        nextSample[e] += epochsPerSample[e];

                        const int negatives = int((epoch - nextNegative[e]) / epochsPerNegative[e]);
                        std::uint64_t state = splitMix(epochKey ^ (std::uint64_t(e) * 0xd1342543de82ef95ULL));
                        for (int p = 0; p < negatives; ++p) {
                            state = splitMix(state);
                            const std::size_t k = std::size_t(state % n);
                            if (k == i)
                                continue;
                            const float* far = snapshot.data() + k * 2;
                            dx = current[0] - far[0], dy = current[1] - far[1];
                            d2 = dx * dx + dy * dy;
                            float gx = kClip, gy = kClip;
                            if (d2 > 0.0f) {
                                const float coeff = 2.0f * b / ((0.001f + d2) * (a * fastPow(d2, b) + 1.0f));
                                gx = clip(coeff * dx), gy = clip(coeff * dy);
                            }
                            current[0] += gx * alpha;
                            current[1] += gy * alpha;
                        }
                        nextNegative[e] += negatives * epochsPerNegative[e];
                    }
                }
            },
            "layout", progressFrom + (progressTo - progressFrom) * epoch / epochs,
            progressFrom + (progressTo - progressFrom) * (epoch + 1) / epochs);
    }
}

} // namespace cellvit
