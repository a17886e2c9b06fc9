#include "inference/embeddings/umap_distance_kernels.h"

#include <cstddef>

namespace cellvit {
namespace {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CELLVIT_DISTANCE_CLONES __attribute__((target_clones("arch=haswell", "default")))
#else
#define CELLVIT_DISTANCE_CLONES
#endif

// Eight independent partial sums let the compiler vectorise without -ffast-math.
CELLVIT_DISTANCE_CLONES float squaredL2(const void* a, const void* b, const void* param)
{
    const auto* x = static_cast<const float*>(a);
    const auto* y = static_cast<const float*>(b);
    const std::size_t dim = *static_cast<const std::size_t*>(param);
    float acc[8] = {};
    std::size_t d = 0;
    for (; d + 8 <= dim; d += 8)
        for (int j = 0; j < 8; ++j) {
            const float t = x[d + j] - y[d + j];
            acc[j] += t * t;
        }
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; d < dim; ++d)
        sum += (x[d] - y[d]) * (x[d] - y[d]);
    return sum;
}

CELLVIT_DISTANCE_CLONES float oneMinusDot(const void* a, const void* b, const void* param)
{
    const auto* x = static_cast<const float*>(a);
    const auto* y = static_cast<const float*>(b);
    const std::size_t dim = *static_cast<const std::size_t*>(param);
    float acc[8] = {};
    std::size_t d = 0;
    for (; d + 8 <= dim; d += 8)
        for (int j = 0; j < 8; ++j)
            acc[j] += x[d + j] * y[d + j];
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; d < dim; ++d)
        sum += x[d] * y[d];
    return 1.0f - sum;
}

} // namespace

float umapSquaredL2(const void* a, const void* b, const void* dimension)
{
    return squaredL2(a, b, dimension);
}
float umapOneMinusDot(const void* a, const void* b, const void* dimension)
{
    return oneMinusDot(a, b, dimension);
}

} // namespace cellvit
