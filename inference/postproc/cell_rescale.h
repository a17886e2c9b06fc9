#pragma once
// Cells found on maps upsampled by an integer factor, brought back to the network's pixel grid.

#include "inference/postproc/cell.h"

#include <vector>

namespace cellvit {

// Pixel centres map as x -> (x + 0.5) / factor - 0.5; the bbox (pixel edges, max exclusive) is widened to whole
// pixels; contour vertices are rounded to the nearest pixel and repeated vertices dropped. A cell whose contour
// keeps fewer than 3 vertices is dropped, as post-processing drops degenerate contours. Ids, types and type
// probabilities are kept. factor 1 returns the cells unchanged.
std::vector<Cell> downscaledCells(std::vector<Cell> cells, int factor);

} // namespace cellvit
