#pragma once
// Streams the cells of a slide's patches into one de-duplicated slide-level list.
//
// Mid cells (cell_status 0: bbox inside [64, 960] of the patch) cannot be seen by any other patch, so they go to
// the sink as soon as their patch is added. Only margin cells are held until finish(), where the overlap bands
// are resolved with one of two rules:
//  * Reference: v2 OverlapCellCleaner, index for index (overlap_cell_cleaner.h). Loses a few nuclei.
//  * Complete (default): every nucleus exactly once, none lost (complete_margin_merge.h).
// Memory is O(margin cells); the work is O(n log n) (R-tree queries).

#include "inference/merge/cell_embedding.h"
#include "inference/merge/complete_margin_merge.h"
#include "inference/merge/overlap_cell_cleaner.h"
#include "inference/merge/patch_grid.h"
#include "inference/merge/slide_cell.h"

#include <functional>
#include <unordered_set>
#include <vector>

namespace cellvit {

enum class MergeMode {
    Reference,
    Complete,
};

struct MergeStats {
    size_t cellsIn = 0; // non-background cells added
    size_t midCells = 0;
    size_t marginCells = 0;
    size_t cellsOut = 0;
    size_t peakHeldCells = 0;
    OverlapCleaningStats reference;
    CompleteMergeStats complete;
};

class SlideCellMerger {
public:
    using Sink = std::function<void(SlideCell&&)>;

    // Throws std::invalid_argument for an invalid grid.
    SlideCellMerger(PatchGrid grid, MergeMode mode, Sink sink);

    // Adds one segmented patch (also when it has no cells: that tells the merge the area was looked at).
    // Background cells (type 0) are skipped, as the reference does. With tokens, each cell gets its embedding.
    // Throws std::logic_error when called after finish() or twice for the same patch.
    void addPatch(PatchIndex patch, const std::vector<Cell>& cells, const TokenGridView* tokens = nullptr,
        int tokenPatchSize = 16);
    // Resolves the overlap bands and sends the surviving margin cells to the sink, in sequence order.
    void finish();

    const MergeStats& stats() const { return m_stats; }

private:
    PatchGrid m_grid;
    MergeMode m_mode;
    Sink m_sink;
    std::vector<SlideCell> m_margin;
    std::unordered_set<PatchIndex> m_patches;
    uint64_t m_nextSequence = 0;
    bool m_finished = false;
    MergeStats m_stats;
};

struct PatchCells {
    PatchIndex patch;
    std::vector<Cell> cells;
};

// All patches at once; the result is in sequence order (patch order, then cell order), i.e. the reference order.
std::vector<SlideCell> mergeSlideCells(const std::vector<PatchCells>& patches, const PatchGrid& grid = {},
    MergeMode mode = MergeMode::Complete, MergeStats* stats = nullptr);

} // namespace cellvit
