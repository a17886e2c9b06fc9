#pragma once
// One nucleus in slide (level-0) coordinates, with the patch bookkeeping that the merge needs. Mirrors a cell of
// the reference cells.json (v2 convert_patch_to_graph_nodes, cellvit-facts §4.2/§4.4).

#include "inference/merge/edge_classification.h"
#include "inference/merge/patch_grid.h"
#include "inference/postproc/cell.h"

#include <cstdint>
#include <opencv2/core/types.hpp>
#include <optional>
#include <vector>

namespace cellvit {

struct SlideCell {
    cv::Point2d centroid; // x, y, rounded to integers as the reference (np.rint)
    std::vector<cv::Point2d> contour; // x, y, not closed
    double rmin = 0, cmin = 0, rmax = 0, cmax = 0; // bbox, row/col, max exclusive
    int type = 0;
    double typeProb = 0.0;

    PatchIndex patch;
    int patchCellId = 0; // Cell::id within the patch
    cv::Point2d patchOrigin; // level-0 (x, y) of patch pixel (0, 0): the reference's offset_global, flipped
    int cellStatus = 0; // 0 mid, 1..8 margin (see edge_classification.h)
    BorderTouch border {}; // [top, right, down, left] of the patch-local bbox
    std::optional<std::vector<PatchIndex>> edgePatches; // set when border-touching and a known pattern

    uint64_t sequence = 0; // arrival order over the whole slide: the reference's list index
    std::vector<float> embedding; // mean token (cell_embedding.h); empty when no tokens were given

    bool edgePosition() const { return touchesBorder(border); }
};

// Patch-local cell -> slide cell (scale and origin from the grid), with status and edge information.
SlideCell toSlideCell(const Cell& cell, PatchIndex patch, const PatchGrid& grid);

} // namespace cellvit
