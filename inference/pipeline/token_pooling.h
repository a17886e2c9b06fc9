#pragma once
// Per-cell embeddings from the encoder token grid, computed in the same forward pass (reference §1.7).

#include "inference/postproc/cell.h"

#include <vector>

namespace cellvit {

// tokens: D×h×w float32 (16-px tokens). Returns cells.size()×D floats: for each cell the mean of the tokens
// over rows [⌊rmin/16⌋, ⌈rmax/16⌉) and cols [⌊cmin/16⌋, ⌈cmax/16⌉) (bbox with exclusive max).
std::vector<float> poolCellTokens(const float* tokens, int dim, int rows, int cols, const std::vector<Cell>& cells);

} // namespace cellvit
