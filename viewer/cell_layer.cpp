#include "viewer/cell_layer.h"

#include "viewer/class_palette.h"

#include <algorithm>
#include <stdexcept>
#include <string>
// GCC 12 reports a false -Wmaybe-uninitialized inside Boost.Geometry's union (rescale policy).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry.hpp>
#pragma GCC diagnostic pop
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

namespace cellvit {

namespace {

namespace bg = boost::geometry;
using GeoPoint = bg::model::d2::point_xy<double>;
using GeoPolygon = bg::model::polygon<GeoPoint>;
using GeoMulti = bg::model::multi_polygon<GeoPolygon>;

bool contourContains(const SlideCell& cell, const QPointF& p)
{
    // Even-odd crossing test straight on the cv points: no QPolygonF copy per query.
    bool inside = false;
    const auto& ring = cell.contour;
    for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const cv::Point2d& a = ring[i];
        const cv::Point2d& b = ring[j];
        if ((a.y > p.y()) != (b.y > p.y()) && p.x() < (b.x - a.x) * (p.y() - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

// Dimension of the cells' embeddings: the first non-empty one (cells of another size count as without).
int embeddingDimOf(const std::vector<SlideCell>& cells)
{
    for (const SlideCell& c : cells)
        if (!c.embedding.empty())
            return int(c.embedding.size());
    return 0;
}

// One contiguous matrix instead of a vector per cell: the plot and the classifier read it as is. Appends a row per
// cell (zeros where a cell has no embedding of `dim` values) and empties the cells' own vectors.
void takeEmbeddingsOf(
    std::vector<SlideCell>& cells, int embeddingDim, std::vector<float>& matrix, std::vector<char>& present)
{
    const size_t dim = size_t(embeddingDim);
    matrix.reserve(matrix.size() + cells.size() * dim);
    present.reserve(present.size() + cells.size());
    for (SlideCell& c : cells) {
        const bool has = dim > 0 && c.embedding.size() == dim;
        if (has)
            matrix.insert(matrix.end(), c.embedding.begin(), c.embedding.end());
        else
            matrix.resize(matrix.size() + dim, 0.0f);
        present.push_back(has ? 1 : 0);
        std::vector<float>().swap(c.embedding);
    }
}

} // namespace

CellLayer::CellLayer(QObject* parent)
    : QObject(parent)
    , m_palette(displayPalette(m_taxonomy))
{
}

PreparedCells CellLayer::prepare(std::vector<SlideCell> cells)
{
    PreparedCells prepared;
    prepared.embeddingDim = embeddingDimOf(cells);
    takeEmbeddingsOf(cells, prepared.embeddingDim, prepared.embeddings, prepared.hasEmbedding);
    prepared.index.rebuild(cells);
    prepared.cells = std::move(cells);
    return prepared;
}

void CellLayer::setCells(std::vector<SlideCell> cells, std::vector<QPolygonF> analysed)
{
    setCells(prepare(std::move(cells)), std::move(analysed));
}

void CellLayer::setCells(PreparedCells prepared, std::vector<QPolygonF> analysed)
{
    m_embeddingDim = prepared.embeddingDim;
    m_embeddings = std::move(prepared.embeddings);
    m_hasEmbedding = std::move(prepared.hasEmbedding);
    m_index = std::move(prepared.index);
    m_cells = std::move(prepared.cells);
    m_analysed = std::move(analysed);
    contentReplaced();
}

void CellLayer::setEmbeddings(std::vector<float> values, int dim)
{
    if (dim <= 0 || values.size() != m_cells.size() * size_t(dim))
        throw std::invalid_argument("embeddings: " + std::to_string(values.size()) + " values for "
            + std::to_string(m_cells.size()) + " cells of dimension " + std::to_string(dim));
    m_embeddings = std::move(values);
    m_embeddingDim = dim;
    m_hasEmbedding.assign(m_cells.size(), 1);
    ++m_contentRevision;
    Q_EMIT embeddingsChanged();
}

void CellLayer::setCellTypes(const std::vector<int>& types, const std::vector<double>& probabilities)
{
    if (types.size() != m_cells.size() || probabilities.size() != m_cells.size())
        throw std::invalid_argument("cell types: " + std::to_string(types.size()) + " types and "
            + std::to_string(probabilities.size()) + " probabilities for " + std::to_string(m_cells.size())
            + " cells");
    for (size_t i = 0; i < m_cells.size(); ++i) {
        m_cells[i].type = types[i];
        m_cells[i].typeProb = probabilities[i];
    }
    ++m_revision; // the overlay's cached rasters carry the class colours
    Q_EMIT cellsChanged();
    Q_EMIT appearanceChanged();
}

void CellLayer::setClassColors(std::map<int, QColor> colors)
{
    m_classColors = std::move(colors);
    touchAppearance();
}

bool CellLayer::isHighlighted(quint32 id) const
{
    return std::binary_search(m_highlighted.begin(), m_highlighted.end(), id);
}

void CellLayer::setHighlightedCells(std::vector<quint32> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    ids.erase(std::lower_bound(ids.begin(), ids.end(), quint32(m_cells.size())), ids.end());
    if (ids == m_highlighted)
        return;
    m_highlighted = std::move(ids);
    Q_EMIT highlightedCellsChanged();
}

void CellLayer::replaceCellsIn(const std::vector<QPolygonF>& regions, std::vector<SlideCell> cells)
{
    const int newDim = embeddingDimOf(cells);
    if (newDim > 0 && newDim != m_embeddingDim) { // another model: the earlier rows no longer compare
        m_embeddingDim = newDim;
        m_embeddings.clear();
        m_hasEmbedding.clear();
    }
    auto insideAny = [&](const SlideCell& c) {
        const QPointF p(c.centroid.x, c.centroid.y);
        return std::any_of(
            regions.begin(), regions.end(), [&](const QPolygonF& r) { return r.containsPoint(p, Qt::OddEvenFill); });
    };
    const size_t dim = size_t(m_embeddingDim);
    const bool oldRows = m_hasEmbedding.size() == m_cells.size();
    std::vector<SlideCell> kept;
    std::vector<float> keptEmbeddings;
    std::vector<char> keptPresent;
    kept.reserve(m_cells.size() + cells.size());
    for (size_t i = 0; i < m_cells.size(); ++i) {
        if (insideAny(m_cells[i]))
            continue;
        kept.push_back(std::move(m_cells[i]));
        const bool has = oldRows && m_hasEmbedding[i];
        if (has)
            keptEmbeddings.insert(keptEmbeddings.end(), m_embeddings.begin() + std::ptrdiff_t(i * dim),
                m_embeddings.begin() + std::ptrdiff_t((i + 1) * dim));
        else
            keptEmbeddings.resize(keptEmbeddings.size() + dim, 0.0f);
        keptPresent.push_back(has ? 1 : 0);
    }
    takeEmbeddingsOf(cells, m_embeddingDim, keptEmbeddings, keptPresent);
    for (SlideCell& c : cells)
        kept.push_back(std::move(c));
    m_cells = std::move(kept);
    m_embeddings = std::move(keptEmbeddings);
    m_hasEmbedding = std::move(keptPresent);
    m_analysed.insert(m_analysed.end(), regions.begin(), regions.end());
    contentChanged();
}

void CellLayer::clear()
{
    m_cells.clear();
    m_embeddings.clear();
    m_hasEmbedding.clear();
    m_embeddingDim = 0;
    m_analysed.clear();
    contentChanged();
}

void CellLayer::contentChanged()
{
    m_index.rebuild(m_cells);
    contentReplaced();
}

void CellLayer::contentReplaced()
{
    ++m_contentRevision;
    const bool hadHighlight = !m_highlighted.empty();
    m_highlighted.clear();
    const bool hadSelection = m_selected || m_hovered;
    m_hovered.reset();
    m_selected.reset();
    ++m_revision;
    Q_EMIT embeddingsChanged();
    Q_EMIT cellsChanged();
    if (hadHighlight)
        Q_EMIT highlightedCellsChanged();
    if (hadSelection) {
        Q_EMIT hoveredCellChanged(std::nullopt);
        Q_EMIT selectedCellChanged(std::nullopt);
    }
}

std::optional<double> CellLayer::analysedAreaPx() const
{
    if (m_analysed.empty())
        return std::nullopt;
    GeoMulti united;
    for (const QPolygonF& outline : m_analysed) {
        GeoPolygon polygon;
        for (const QPointF& p : outline)
            bg::append(polygon.outer(), GeoPoint(p.x(), p.y()));
        bg::correct(polygon);
        GeoMulti next;
        bg::union_(united, polygon, next);
        united = std::move(next);
    }
    return bg::area(united);
}

std::optional<quint32> CellLayer::cellAt(const QPointF& level0) const
{
    std::optional<quint32> best;
    double bestDistance = 0;
    for (quint32 id : m_index.query(QRectF(level0, QSizeF(0, 0)))) {
        const SlideCell& c = m_cells[id];
        if (!contourContains(c, level0))
            continue;
        const double d = std::hypot(c.centroid.x - level0.x(), c.centroid.y - level0.y());
        if (!best || d < bestDistance) { // overlapping nuclei: the one centred nearest wins
            best = id;
            bestDistance = d;
        }
    }
    return best;
}

std::vector<quint32> CellLayer::cellsWithCentroidIn(const QPolygonF& outline) const
{
    std::vector<quint32> ids;
    if (outline.isEmpty()) {
        ids.resize(m_cells.size());
        for (size_t i = 0; i < ids.size(); ++i)
            ids[i] = quint32(i);
        return ids;
    }
    for (quint32 id : m_index.query(outline.boundingRect())) {
        const SlideCell& c = m_cells[id];
        if (outline.containsPoint(QPointF(c.centroid.x, c.centroid.y), Qt::OddEvenFill))
            ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

void CellLayer::setTaxonomy(const CellTaxonomy& taxonomy)
{
    m_taxonomy = taxonomy;
    m_palette = displayPalette(m_taxonomy);
    touchAppearance();
    Q_EMIT taxonomyChanged();
}

void CellLayer::setClassColor(int typeId, const QColor& color)
{
    if (!color.isValid())
        return;
    m_palette[typeId] = color;
    rememberClassColor(m_taxonomy, typeId, color);
    touchAppearance();
}

CellTaxonomy CellLayer::displayTaxonomy() const
{
    std::map<int, Rgb> colors;
    for (const auto& [id, name] : m_taxonomy.typeNames()) {
        const QColor c = classColor(id);
        colors[id] = Rgb { c.red(), c.green(), c.blue() };
    }
    return CellTaxonomy(m_taxonomy.typeNames(), colors);
}

QString CellLayer::className(int typeId) const
{
    return QString::fromStdString(m_taxonomy.classOf(typeId).name);
}

QColor CellLayer::classColor(int typeId) const
{
    if (const auto found = m_classColors.find(typeId); found != m_classColors.end())
        return found->second;
    if (const auto found = m_palette.find(typeId); found != m_palette.end())
        return found->second;
    return defaultClassColor(m_taxonomy.classOf(typeId).name, typeId);
}

std::vector<int> CellLayer::classIds() const
{
    std::set<int> ids;
    for (const auto& [id, name] : m_taxonomy.typeNames())
        if (id != 0)
            ids.insert(id);
    for (const SlideCell& c : m_cells)
        ids.insert(c.type);
    return { ids.begin(), ids.end() };
}

void CellLayer::setClassVisible(int typeId, bool visible)
{
    if (visible == isClassVisible(typeId))
        return;
    if (visible)
        m_hiddenClasses.erase(typeId);
    else
        m_hiddenClasses.insert(typeId);
    touchAppearance();
}

void CellLayer::setOverlaysVisible(bool visible)
{
    if (visible == m_visible)
        return;
    m_visible = visible;
    Q_EMIT appearanceChanged(); // drawn with the painter's opacity/visibility: cached rasters stay valid
}

void CellLayer::setOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == m_opacity)
        return;
    m_opacity = opacity;
    Q_EMIT appearanceChanged();
}

void CellLayer::setFilled(bool filled)
{
    if (filled == m_filled)
        return;
    m_filled = filled;
    touchAppearance();
}

void CellLayer::setHoveredCell(std::optional<quint32> id)
{
    if (id == m_hovered)
        return;
    m_hovered = id;
    Q_EMIT hoveredCellChanged(id);
}

void CellLayer::setSelectedCell(std::optional<quint32> id)
{
    if (id == m_selected)
        return;
    m_selected = id;
    Q_EMIT selectedCellChanged(id);
}

void CellLayer::touchAppearance()
{
    ++m_revision;
    Q_EMIT appearanceChanged();
}

} // namespace cellvit
