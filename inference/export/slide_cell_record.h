#pragma once
// One nucleus in slide coordinates: what the exporters take. The whole-slide pipeline fills it from the merged
// patch cells; all coordinates are level-0 pixels (x right, y down, origin at the top-left of the slide).

#include "inference/postproc/cell.h"

#include <opencv2/core/types.hpp>

#include <array>
#include <optional>
#include <vector>

namespace cellvit {

// Where a cell came from in the reference patch grid (cells.json fields, cellvit-facts §4.3/§4.4).
struct CellPatchOrigin {
    int row = 0, col = 0;               // patch_coordinates
    int cellStatus = 0;                 // 0 = mid, 1..8 clockwise from top-left
    double rowOffset = 0, colOffset = 0; // offset_global [row_off, col_off]
    bool edgePosition = false;          // bbox touches the patch border
    std::array<bool, 4> edgeSides {};   // [top, right, down, left], meaningful when edgePosition
    std::optional<std::vector<std::array<int, 2>>> edgePatches; // neighbour [row, col]s; nullopt = null
};

struct SlideCellRecord {
    std::vector<cv::Point2d> contour; // x, y; not closed
    cv::Point2d centroid;             // x, y
    double rmin = 0, cmin = 0, rmax = 0, cmax = 0; // bbox row/col, max exclusive
    int type = 0;
    double typeProb = 0.0;
    std::optional<CellPatchOrigin> origin;
};

// A patch cell moved to the slide: (patch point + offset) * scale, as the reference does (offset in x, y).
SlideCellRecord slideCellFromPatchCell(const Cell& cell, cv::Point2d offset, double scale = 1.0);

} // namespace cellvit
