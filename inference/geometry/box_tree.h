#pragma once
// GEOS's STR-packed R-tree over axis-aligned boxes. shapely 1.8's STRtree is this tree (node capacity 10), and the
// reference overlap cleaner keeps the first of equally large partners in its query order, so reproducing the
// reference's choices needs GEOS's own tree, not another R-tree sorted afterwards.

#include <cstddef>
#include <memory>
#include <vector>

namespace cellvit::geos {

struct Box {
    double minX = 0, minY = 0, maxX = 0, maxY = 0;
};

class BoxTree {
public:
    explicit BoxTree(size_t nodeCapacity = 10);
    ~BoxTree();
    BoxTree(const BoxTree&) = delete;
    BoxTree& operator=(const BoxTree&) = delete;

    // Before the first query only (GEOS packs the tree then).
    void insert(size_t item, const Box& box);
    // Items whose box intersects `box`, in GEOS's query order (depth-first over the packed tree).
    void query(const Box& box, std::vector<size_t>& hits) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace cellvit::geos
