#pragma once
// Per-cell token embedding (cellvit-facts §1.7; v2 convert_patch_to_graph_nodes): the mean of the encoder tokens
// D x h x w over the token rows [floor(rmin/16), ceil(rmax/16)) and cols [floor(cmin/16), ceil(cmax/16)) that the
// cell's patch-local bbox covers. Plain float buffers, no torch: the caller hands over the patch's tokens.

#include "inference/postproc/cell.h"

#include <vector>

namespace cellvit {

// A contiguous float32 D x h x w token tensor (channel-major, as tokens[b] of the model).
struct TokenGridView {
    const float* data = nullptr;
    int dim = 0;
    int height = 0;
    int width = 0;
};

struct TokenRange {
    int r0 = 0, r1 = 0, c0 = 0, c1 = 0; // [r0, r1) x [c0, c1)
    friend bool operator==(const TokenRange& a, const TokenRange& b)
    {
        return a.r0 == b.r0 && a.r1 == b.r1 && a.c0 == b.c0 && a.c1 == b.c1;
    }
};

// The reference casts the indices to uint8; for patches up to 4096 px (256 tokens) that is the plain value, so
// we clamp to the grid instead of wrapping around.
TokenRange tokenRange(const Cell& cell, int gridHeight, int gridWidth, int tokenPatchSize = 16);

// Mean token over the range (accumulated in double). Throws std::invalid_argument for a view without data or a
// range outside the grid; an empty range gives NaNs, as torch.mean of an empty tensor.
std::vector<float> meanToken(const TokenGridView& tokens, const TokenRange& range);

inline std::vector<float> cellEmbedding(const Cell& cell, const TokenGridView& tokens, int tokenPatchSize = 16)
{
    return meanToken(tokens, tokenRange(cell, tokens.height, tokens.width, tokenPatchSize));
}

} // namespace cellvit
