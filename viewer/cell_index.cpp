#include "viewer/cell_index.h"

#include "inference/merge/slide_cell.h"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <iterator>

namespace cellvit {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using IndexPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using IndexBox = bg::model::box<IndexPoint>;
using IndexValue = std::pair<IndexBox, quint32>;

struct CellIndex::Tree {
    bgi::rtree<IndexValue, bgi::rstar<16>> rtree;
};

CellIndex::CellIndex() = default;
CellIndex::~CellIndex() = default;
CellIndex::CellIndex(CellIndex&&) noexcept = default;
CellIndex& CellIndex::operator=(CellIndex&&) noexcept = default;

void CellIndex::rebuild(const std::vector<SlideCell>& cells)
{
    std::vector<IndexValue> values;
    values.reserve(cells.size());
    for (size_t i = 0; i < cells.size(); ++i) {
        const SlideCell& c = cells[i];
        values.emplace_back(IndexBox(IndexPoint(c.cmin, c.rmin), IndexPoint(c.cmax, c.rmax)), quint32(i));
    }
    // The range constructor packs the tree (STR bulk loading): much faster than inserting one by one.
    m_tree = std::make_unique<Tree>(Tree { { values.begin(), values.end() } });
}

void CellIndex::clear()
{
    m_tree.reset();
}

size_t CellIndex::size() const
{
    return m_tree ? m_tree->rtree.size() : 0;
}

std::vector<quint32> CellIndex::query(const QRectF& level0) const
{
    std::vector<quint32> out;
    query(level0, out);
    return out;
}

void CellIndex::query(const QRectF& r, std::vector<quint32>& out) const
{
    if (!m_tree)
        return;
    const IndexBox box(IndexPoint(r.left(), r.top()), IndexPoint(r.right(), r.bottom()));
    struct IdOutput { // writes the ids straight into `out`, no temporary pairs
        std::vector<quint32>* ids;
        IdOutput& operator=(const IndexValue& v)
        {
            ids->push_back(v.second);
            return *this;
        }
        IdOutput& operator*() { return *this; }
        IdOutput& operator++() { return *this; }
        IdOutput& operator++(int) { return *this; }
    };
    m_tree->rtree.query(bgi::intersects(box), IdOutput { &out });
}

} // namespace cellvit
