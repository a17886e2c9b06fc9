#pragma once
// SlideCell -> one entry of the reference v2 cells.json "cells" list (cellvit-facts §4.4): bbox [[r0, c0], [r1, c1]]
// (row/col), centroid [x, y], contour [[x, y], ...], type_prob, type, patch_coordinates [row, col], cell_status,
// offset_global [row_off, col_off], edge_position and, for border cells, edge_information.

#include "inference/merge/slide_cell.h"

#include <nlohmann/json_fwd.hpp>

namespace cellvit {

nlohmann::json slideCellToJson(const SlideCell& cell);

} // namespace cellvit
