#include "inference/geometry/box_tree.h"

#include "inference/geometry/geos_context.h"

#include <geos_c.h>

#include <deque>
#include <stdexcept>

namespace cellvit::geos {

struct BoxTree::Impl {
    GEOSSTRtree* tree = nullptr;
    std::deque<size_t> items; // stable addresses: GEOS keeps void* to them
    std::vector<Geometry> boxes; // kept alive as long as the tree
};

namespace {

Geometry rectangle(const Box& box)
{
    Geometry g(GEOSGeom_createRectangle_r(threadContext(), box.minX, box.minY, box.maxX, box.maxY));
    if (!g)
        throw std::runtime_error("GEOS could not make a box: " + lastError());
    return g;
}

void collectHit(void* item, void* userdata)
{
    static_cast<std::vector<size_t>*>(userdata)->push_back(*static_cast<const size_t*>(item));
}

} // namespace

BoxTree::BoxTree(size_t nodeCapacity)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->tree = GEOSSTRtree_create_r(threadContext(), nodeCapacity);
    if (!m_impl->tree)
        throw std::runtime_error("GEOS could not make an STR tree: " + lastError());
}

BoxTree::~BoxTree()
{
    GEOSSTRtree_destroy_r(threadContext(), m_impl->tree);
}

void BoxTree::insert(size_t item, const Box& box)
{
    m_impl->boxes.push_back(rectangle(box));
    m_impl->items.push_back(item);
    GEOSSTRtree_insert_r(threadContext(), m_impl->tree, m_impl->boxes.back().get(), &m_impl->items.back());
}

void BoxTree::query(const Box& box, std::vector<size_t>& hits) const
{
    const Geometry probe = rectangle(box);
    GEOSSTRtree_query_r(threadContext(), m_impl->tree, probe.get(), collectHit, &hits);
}

} // namespace cellvit::geos
