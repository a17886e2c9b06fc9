#include "inference/merge/cell_embedding.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cellvit {

namespace {
int floorDiv(int v, int d)
{
    return static_cast<int>(std::floor(static_cast<double>(v) / d));
}
int ceilDiv(int v, int d)
{
    return static_cast<int>(std::ceil(static_cast<double>(v) / d));
}
} // namespace

TokenRange tokenRange(const Cell& c, int gridHeight, int gridWidth, int tokenPatchSize)
{
    if (tokenPatchSize <= 0)
        throw std::invalid_argument("token range: token patch size must be positive");
    TokenRange r { floorDiv(c.rmin, tokenPatchSize), ceilDiv(c.rmax, tokenPatchSize), floorDiv(c.cmin, tokenPatchSize),
        ceilDiv(c.cmax, tokenPatchSize) };
    r.r0 = std::clamp(r.r0, 0, gridHeight);
    r.r1 = std::clamp(r.r1, r.r0, gridHeight);
    r.c0 = std::clamp(r.c0, 0, gridWidth);
    r.c1 = std::clamp(r.c1, r.c0, gridWidth);
    return r;
}

std::vector<float> meanToken(const TokenGridView& t, const TokenRange& r)
{
    if (!t.data || t.dim <= 0 || t.height <= 0 || t.width <= 0)
        throw std::invalid_argument("cell embedding: empty token grid");
    if (r.r0 < 0 || r.c0 < 0 || r.r1 > t.height || r.c1 > t.width || r.r0 > r.r1 || r.c0 > r.c1)
        throw std::invalid_argument("cell embedding: token range [" + std::to_string(r.r0) + ", " + std::to_string(r.r1)
            + ") x [" + std::to_string(r.c0) + ", " + std::to_string(r.c1) + ") outside the " + std::to_string(t.height)
            + "x" + std::to_string(t.width) + " grid");
    const long count = static_cast<long>(r.r1 - r.r0) * (r.c1 - r.c0);
    std::vector<float> out(static_cast<size_t>(t.dim), std::numeric_limits<float>::quiet_NaN());
    if (count == 0)
        return out;
    const size_t plane = static_cast<size_t>(t.height) * t.width;
    for (int d = 0; d < t.dim; ++d) {
        const float* channel = t.data + d * plane;
        double sum = 0.0;
        for (int y = r.r0; y < r.r1; ++y)
            for (int x = r.c0; x < r.c1; ++x)
                sum += channel[static_cast<size_t>(y) * t.width + x];
        out[static_cast<size_t>(d)] = static_cast<float>(sum / static_cast<double>(count));
    }
    return out;
}

} // namespace cellvit
