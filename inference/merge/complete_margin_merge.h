#pragma once
// Our de-duplication of margin cells, which keeps every nucleus exactly once (the reference loses some, see
// README.md). Two margin cells of different patches are "the same nucleus" when
//  (a) their polygons overlap by more than 1 % of either area (the reference's criterion), or
//  (b) one is cut by its patch border towards an existing neighbour patch ("truncated") and one of its contour
//      pixels inside the other's patch lies in the other's polygon: that neighbour saw those very pixels.
// Cells are then taken greedily in order of preference (complete before truncated, centroid inside the patch's
// own stride tile, larger area, earlier) and a cell is kept unless it is linked to a kept one; a kept truncated
// cell absorbs the truncated pieces linked to it (polygon union), so nuclei larger than the overlap are whole.
// Every margin cell is therefore kept or represented by a linked kept cell, and no two kept cells are linked.

#include "inference/merge/patch_grid.h"
#include "inference/merge/slide_cell.h"

#include <unordered_set>
#include <vector>

namespace cellvit {

struct CompleteMergeStats {
    size_t links = 0;
    size_t truncated = 0;
    size_t unions = 0; // kept truncated cells that absorbed other pieces
};

// margin: cells with cellStatus != 0; processedPatches: every patch that was segmented (with or without cells).
// Returns the kept cells (merged pieces replaced by their union), in sequence order.
std::vector<SlideCell> mergeMarginCellsCompletely(std::vector<SlideCell> margin, const PatchGrid& grid,
    const std::unordered_set<PatchIndex>& processedPatches, CompleteMergeStats* stats = nullptr);

} // namespace cellvit
