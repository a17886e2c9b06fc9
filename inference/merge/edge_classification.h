#pragma once
// Where a cell lies within its patch, exactly as the reference (v2 postprocessing_numpy.py:
// get_cell_position_marging, get_cell_position, get_edge_patch; cellvit-facts §4.3). All from the patch-local
// bounding box (row/col, max exclusive).

#include "inference/merge/patch_grid.h"
#include "inference/postproc/cell.h"

#include <array>
#include <optional>
#include <vector>

namespace cellvit {

// 0 = mid (bbox within [margin, patchSize - margin]); 1..8 clockwise from top-left: 1 TL, 2 T, 3 TR, 4 R, 5 BR,
// 6 B, 7 BL, 8 L.
int cellStatus(const Cell& cell, int patchSize = 1024, int margin = 64);

// Border flags [top, right, down, left]: rmin == 0, cmax == patchSize, rmax == patchSize, cmin == 0.
using BorderTouch = std::array<bool, 4>;
BorderTouch borderTouch(const Cell& cell, int patchSize = 1024);
// True when the bbox touches any patch border (the reference's `edge_position`).
bool touchesBorder(const BorderTouch& touch);

// Neighbour patches that also see a border-touching cell, for the 8 single-side/corner patterns; nullopt for
// any other pattern (e.g. top and down at once), as the reference's None.
std::optional<std::vector<PatchIndex>> edgePatches(const BorderTouch& touch, PatchIndex patch);

} // namespace cellvit
