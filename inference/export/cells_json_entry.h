#pragma once
// One SlideCell as an entry of the reference v2 "cells" lists (cellvit-facts §4.4), in the reference's key order.
// cells.json: bbox [[r0, c0], [r1, c1]] (row/col, max exclusive), centroid [x, y], contour [[x, y], ...] (not
// closed), type_prob, type, patch_coordinates [row, col], cell_status, offset_global [row_off, col_off],
// edge_position and, for border cells, edge_information {position [top, right, down, left] as 0/1,
// edge_patches [[row, col], ...] or null}. cell_detection.json: bbox, centroid, type.
// The only serialisation of a slide cell: the streaming writers append the text, everyone else parses it.

#include "inference/merge/slide_cell.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace cellvit {

void appendCellsJsonEntry(std::string& out, const SlideCell& cell);
void appendCellDetectionEntry(std::string& out, const SlideCell& cell);

// The cells.json entry as a JSON value (parsed from appendCellsJsonEntry's text).
nlohmann::json cellsJsonEntry(const SlideCell& cell);

} // namespace cellvit
