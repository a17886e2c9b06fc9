#pragma once
// The reference de-duplication of margin cells (v2 overlap_cell_cleaner.py: OverlapCellCleaner, cellvit-facts
// §4.3), reproduced index for index:
//  1. border-touching cells survive only when the first of their edge_patches contributed no margin cell;
//  2. up to 20 rounds: walk the candidates in list order; every not-yet-visited candidate whose intersection
//     with the query exceeds 1 % of either area is visited and counted; if there were any, the largest of them
//     (first in the STRtree hit order on ties) is kept and the query itself is dropped.
// The R-tree makes a round O(n log n); the GEOS STRtree order only breaks area ties.

#include "inference/merge/slide_cell.h"

#include <vector>

namespace cellvit {

struct OverlapCleaningStats {
    int rounds = 0;
    size_t overlapsFirstRound = 0;
    size_t droppedAtBorder = 0; // step 1
};

// margin: the cells with cellStatus != 0, in list (sequence) order. Returns indices into `margin` of the kept
// cells, ascending. Border-touching cells without an edge_patches pattern (e.g. touching top and bottom) are
// skipped at step 1, as v2 does (v1 fails on them).
std::vector<size_t> cleanMarginCellsLikeReference(
    const std::vector<const SlideCell*>& margin, OverlapCleaningStats* stats = nullptr);

// Whole reference result on a complete cell list (mid cells + cleaned margin cells): kept indices, ascending.
std::vector<size_t> referenceKeepIndices(const std::vector<SlideCell>& cells, OverlapCleaningStats* stats = nullptr);

} // namespace cellvit
