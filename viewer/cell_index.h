#pragma once
// A spatial index of nucleus bounding boxes (Boost.Geometry R-tree, bulk-loaded) so the overlay only
// touches the cells in view and a click finds its nucleus without scanning the whole result.

#include <QRectF>
#include <memory>
#include <vector>

namespace cellvit {

struct SlideCell;

class CellIndex {
public:
    CellIndex();
    ~CellIndex();
    CellIndex(CellIndex&&) noexcept;
    CellIndex& operator=(CellIndex&&) noexcept;

    // Indexes cells[i] under id i (bbox from the cell's rmin/cmin/rmax/cmax, level-0 px).
    void rebuild(const std::vector<SlideCell>& cells);
    void clear();
    size_t size() const;

    // Ids of the cells whose bbox intersects `level0` (unordered).
    std::vector<quint32> query(const QRectF& level0) const;
    void query(const QRectF& level0, std::vector<quint32>& out) const; // appends, reuses the caller's buffer

private:
    struct Tree;
    std::unique_ptr<Tree> m_tree;
};

} // namespace cellvit
