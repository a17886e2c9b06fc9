#include "inference/pipeline/token_pooling.h"

#include <algorithm>

namespace cellvit {

std::vector<float> poolCellTokens(const float* tokens, int dim, int rows, int cols, const std::vector<Cell>& cells)
{
    constexpr int kToken = 16;
    std::vector<float> out(cells.size() * static_cast<size_t>(dim), 0.0f);
    const size_t plane = static_cast<size_t>(rows) * cols;
    for (size_t i = 0; i < cells.size(); ++i) {
        const Cell& c = cells[i];
        const int r0 = std::clamp(c.rmin / kToken, 0, rows), r1 = std::clamp((c.rmax + kToken - 1) / kToken, 0, rows);
        const int c0 = std::clamp(c.cmin / kToken, 0, cols), c1 = std::clamp((c.cmax + kToken - 1) / kToken, 0, cols);
        const int count = (r1 - r0) * (c1 - c0);
        if (count <= 0)
            continue;
        float* dst = out.data() + i * static_cast<size_t>(dim);
        for (int d = 0; d < dim; ++d) {
            const float* channel = tokens + d * plane;
            float sum = 0.0f; // float32 accumulation in raster order, as torch.mean over the crop
            for (int r = r0; r < r1; ++r)
                for (int col = c0; col < c1; ++col)
                    sum += channel[static_cast<size_t>(r) * cols + col];
            dst[d] = sum / static_cast<float>(count);
        }
    }
    return out;
}

} // namespace cellvit
