#pragma once
// What one finished patch contributes: its cells in patch pixels and one embedding per cell.

#include "inference/pipeline/tile_plan.h"
#include "inference/postproc/cell.h"

#include <vector>

namespace cellvit {

struct PatchResult {
    PatchSpec patch;
    std::vector<Cell> cells;       // patch-local; Background-typed cells already dropped
    int embeddingDim = 0;
    std::vector<float> embeddings; // cells.size() × embeddingDim, row-major, same order as cells
};

} // namespace cellvit
