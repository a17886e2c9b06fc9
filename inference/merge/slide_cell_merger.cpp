#include "inference/merge/slide_cell_merger.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cellvit {

SlideCellMerger::SlideCellMerger(PatchGrid grid, MergeMode mode, Sink sink)
    : m_grid(grid)
    , m_mode(mode)
    , m_sink(std::move(sink))
{
    m_grid.validate();
    if (!m_sink)
        throw std::invalid_argument("slide cell merger: no sink given");
}

void SlideCellMerger::addPatch(
    PatchIndex patch, const std::vector<Cell>& cells, const TokenGridView* tokens, int tokenPatchSize)
{
    if (m_finished)
        throw std::logic_error("slide cell merger: addPatch after finish");
    if (!m_patches.insert(patch).second)
        throw std::logic_error("slide cell merger: patch (" + std::to_string(patch.row) + ", "
            + std::to_string(patch.col) + ") added twice");
    for (const Cell& cell : cells) {
        if (cell.type == 0)
            continue;
        SlideCell s = toSlideCell(cell, patch, m_grid);
        s.sequence = m_nextSequence++;
        if (tokens)
            s.embedding = cellEmbedding(cell, *tokens, tokenPatchSize);
        ++m_stats.cellsIn;
        if (s.cellStatus == 0) {
            ++m_stats.midCells;
            ++m_stats.cellsOut;
            m_sink(std::move(s));
        } else {
            ++m_stats.marginCells;
            m_margin.push_back(std::move(s));
        }
    }
    m_stats.peakHeldCells = std::max(m_stats.peakHeldCells, m_margin.size());
}

void SlideCellMerger::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    std::vector<SlideCell> survivors;
    if (m_mode == MergeMode::Reference) {
        std::vector<const SlideCell*> margin;
        margin.reserve(m_margin.size());
        for (const SlideCell& c : m_margin)
            margin.push_back(&c);
        for (size_t k : cleanMarginCellsLikeReference(margin, &m_stats.reference))
            survivors.push_back(std::move(m_margin[k]));
    } else {
        survivors = mergeMarginCellsCompletely(std::move(m_margin), m_grid, m_patches, &m_stats.complete);
    }
    m_margin = {};
    m_stats.cellsOut += survivors.size();
    for (SlideCell& c : survivors)
        m_sink(std::move(c));
}

std::vector<SlideCell> mergeSlideCells(
    const std::vector<PatchCells>& patches, const PatchGrid& grid, MergeMode mode, MergeStats* stats)
{
    std::vector<SlideCell> out;
    SlideCellMerger merger(grid, mode, [&out](SlideCell&& c) { out.push_back(std::move(c)); });
    for (const PatchCells& p : patches)
        merger.addPatch(p.patch, p.cells);
    merger.finish();
    std::sort(out.begin(), out.end(), [](const SlideCell& a, const SlideCell& b) { return a.sequence < b.sequence; });
    if (stats)
        *stats = merger.stats();
    return out;
}

} // namespace cellvit
