#include "viewer/cell_overlay_painter.h"

#include "viewer/cell_layer.h"
#include "viewer/class_palette.h"
#include "viewer/view_transform.h"

#include <QElapsedTimer>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>

namespace cellvit {

namespace {

constexpr double kDotSize = 3.0; // screen px of a centroid dot
constexpr int kRasterDot = 3; // px of a dot in a raster tile

// Level-0 -> widget as scale and offset: cheaper than ViewTransform::toWidget per vertex.
struct Affine {
    double scale;
    QPointF offset;
    explicit Affine(const ViewTransform& t)
        : scale(1.0 / t.downsample())
        , offset(t.toWidget(QPointF(0, 0)))
    {
    }
    QPointF operator()(double x, double y) const { return { offset.x() + x * scale, offset.y() + y * scale }; }
};

// Cells grouped by class so the pen and brush change once per class, not per cell.
std::map<int, std::vector<quint32>> byVisibleClass(const CellLayer& layer, const std::vector<quint32>& ids)
{
    std::map<int, std::vector<quint32>> groups;
    for (quint32 id : ids) {
        const int type = layer.cells()[id].type;
        if (layer.isClassVisible(type))
            groups[type].push_back(id);
    }
    return groups;
}

} // namespace

OverlayDetail CellOverlayPainter::detailFor(double downsample)
{
    if (downsample <= kOutlineMaxDownsample)
        return OverlayDetail::Outlines;
    if (downsample <= kCentroidMaxDownsample)
        return OverlayDetail::Centroids;
    return OverlayDetail::Raster;
}

void CellOverlayPainter::clearCache()
{
    m_tiles.clear();
    m_tilesLayer = nullptr;
}

OverlayPaintStats CellOverlayPainter::paint(QPainter& painter, const CellLayer& layer, const ViewTransform& transform)
{
    OverlayPaintStats stats;
    stats.detail = detailFor(transform.downsample());
    if (!layer.overlaysVisible() || layer.size() == 0)
        return stats;
    painter.save();
    painter.setOpacity(layer.opacity());
    if (stats.detail == OverlayDetail::Raster) {
        stats = paintRaster(painter, layer, transform);
    } else {
        m_ids.clear();
        layer.index().query(transform.visibleLevel0Rect(), m_ids);
        if (stats.detail == OverlayDetail::Outlines && m_ids.size() > kOutlineMaxCells)
            stats.detail = OverlayDetail::Centroids;
        stats.cellsDrawn = stats.detail == OverlayDetail::Outlines ? paintOutlines(painter, layer, transform)
                                                                   : paintCentroids(painter, layer, transform);
    }
    painter.setOpacity(1.0); // hover and selection stay visible at any opacity
    paintHighlights(painter, layer, transform);
    painter.restore();
    return stats;
}

size_t CellOverlayPainter::paintOutlines(QPainter& painter, const CellLayer& layer, const ViewTransform& transform)
{
    const Affine toWidget(transform);
    size_t drawn = 0;
    painter.setRenderHint(QPainter::Antialiasing, true);
    auto polygonOf = [&](quint32 id) -> const QPolygonF& {
        const auto& contour = layer.cells()[id].contour;
        m_polygon.resize(int(contour.size()));
        for (size_t i = 0; i < contour.size(); ++i)
            m_polygon[int(i)] = toWidget(contour[i].x, contour[i].y);
        return m_polygon;
    };
    for (const auto& [type, ids] : byVisibleClass(layer, m_ids)) {
        const QColor color = layer.classColor(type);
        // A contrasting halo under a 2-px line (QuPath-like): the outline reads on pale eosin and on dark
        // haematoxylin alike. Cosmetic pens: widths in device pixels at any zoom.
        QPen halo(haloColor(color), kOutlineWidth + 2 * kHaloWidth);
        halo.setCosmetic(true);
        halo.setJoinStyle(Qt::RoundJoin);
        QColor fill = color;
        fill.setAlphaF(0.35);
        painter.setPen(halo);
        painter.setBrush(layer.filled() ? QBrush(fill) : QBrush(Qt::NoBrush));
        for (quint32 id : ids)
            painter.drawPolygon(polygonOf(id));
        QPen pen(color, kOutlineWidth);
        pen.setCosmetic(true);
        pen.setJoinStyle(Qt::RoundJoin);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        for (quint32 id : ids) {
            painter.drawPolygon(polygonOf(id));
            ++drawn;
        }
    }
    return drawn;
}

size_t CellOverlayPainter::paintCentroids(QPainter& painter, const CellLayer& layer, const ViewTransform& transform)
{
    const Affine toWidget(transform);
    size_t drawn = 0;
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    std::vector<QRectF> dots;
    for (const auto& [type, ids] : byVisibleClass(layer, m_ids)) {
        dots.clear();
        dots.reserve(ids.size());
        for (quint32 id : ids) {
            const auto& c = layer.cells()[id].centroid;
            const QPointF p = toWidget(c.x, c.y);
            dots.emplace_back(p.x() - kDotSize / 2, p.y() - kDotSize / 2, kDotSize, kDotSize);
        }
        painter.setBrush(layer.classColor(type));
        painter.drawRects(dots.data(), int(dots.size()));
        drawn += dots.size();
    }
    return drawn;
}

OverlayPaintStats CellOverlayPainter::paintRaster(
    QPainter& painter, const CellLayer& layer, const ViewTransform& transform)
{
    OverlayPaintStats stats;
    stats.detail = OverlayDetail::Raster;
    if (m_tilesLayer != &layer || m_tilesRevision != layer.revision()) {
        m_tiles.clear();
        m_tilesLayer = &layer;
        m_tilesRevision = layer.revision();
    }
    // Tiles are rendered at the power-of-two downsample just below the view's, so they are only shrunk.
    const int level = std::max(0, int(std::floor(std::log2(transform.downsample()))));
    const double tileDownsample = std::ldexp(1.0, level);
    const double span = kRasterTileSize * tileDownsample; // level-0 px per tile side
    const QRectF visible = transform.visibleLevel0Rect();
    const qint64 c0 = qint64(std::floor(visible.left() / span)), c1 = qint64(std::floor(visible.right() / span));
    const qint64 r0 = qint64(std::floor(visible.top() / span)), r1 = qint64(std::floor(visible.bottom() / span));
    const size_t tileBytes = size_t(kRasterTileSize) * kRasterTileSize * 4;
    QElapsedTimer budget; // tiles not built within the frame budget come in the next frames
    budget.start();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (qint64 r = r0; r <= r1; ++r) {
        for (qint64 c = c0; c <= c1; ++c) {
            const QRectF tileRect(double(c) * span, double(r) * span, span, span);
            auto it = m_tiles.find({ level, c, r });
            if (it == m_tiles.end()) {
                if (stats.rasterTilesBuilt > 0 && budget.elapsed() >= kRasterBuildBudgetMs) {
                    ++stats.rasterTilesPending;
                    continue;
                }
                if (m_tiles.size() * tileBytes > kRasterCacheBytes)
                    m_tiles.clear(); // simple budget: start over rather than track recency
                QImage image(kRasterTileSize, kRasterTileSize, QImage::Format_ARGB32_Premultiplied);
                stats.cellsDrawn += renderTile(image, layer, tileRect, tileDownsample);
                ++stats.rasterTilesBuilt;
                it = m_tiles.emplace(TileKey { level, c, r }, std::move(image)).first;
            }
            painter.drawImage(transform.toWidget(tileRect), it->second);
        }
    }
    return stats;
}

size_t CellOverlayPainter::renderTile(QImage& image, const CellLayer& layer, const QRectF& level0, double downsample)
{
    image.fill(Qt::transparent);
    m_ids.clear();
    layer.index().query(level0, m_ids);
    // Colour per type looked up once per tile (0 = hidden), not per cell.
    constexpr int kTableSize = 256;
    std::array<QRgb, kTableSize> colours {};
    std::array<bool, kTableSize> known {};
    auto colourOf = [&](int type) -> QRgb {
        if (type < 0 || type >= kTableSize)
            return layer.isClassVisible(type) ? layer.classColor(type).rgba() : 0;
        if (!known[size_t(type)]) {
            known[size_t(type)] = true;
            colours[size_t(type)] = layer.isClassVisible(type) ? layer.classColor(type).rgba() : 0;
        }
        return colours[size_t(type)];
    };
    size_t drawn = 0;
    const int size = image.width();
    const double scale = 1.0 / downsample;
    for (quint32 id : m_ids) {
        const SlideCell& cell = layer.cells()[id];
        const QRgb colour = colourOf(cell.type);
        if (colour == 0)
            continue;
        const int x = int((cell.centroid.x - level0.left()) * scale) - kRasterDot / 2;
        const int y = int((cell.centroid.y - level0.top()) * scale) - kRasterDot / 2;
        for (int dy = std::max(0, y); dy < std::min(size, y + kRasterDot); ++dy) {
            auto* line = reinterpret_cast<QRgb*>(image.scanLine(dy));
            for (int dx = std::max(0, x); dx < std::min(size, x + kRasterDot); ++dx)
                line[dx] = colour;
        }
        ++drawn;
    }
    return drawn;
}

void CellOverlayPainter::paintHighlights(QPainter& painter, const CellLayer& layer, const ViewTransform& transform)
{
    const Affine toWidget(transform);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setBrush(Qt::NoBrush);
    auto outline = [&](quint32 id, const QColor& colour, double width) {
        if (id >= layer.size())
            return;
        const SlideCell& cell = layer.cells()[id];
        QPen pen(colour, width);
        pen.setCosmetic(true);
        painter.setPen(pen);
        if (transform.downsample() <= kOutlineMaxDownsample) {
            m_polygon.resize(int(cell.contour.size()));
            for (size_t i = 0; i < cell.contour.size(); ++i)
                m_polygon[int(i)] = toWidget(cell.contour[i].x, cell.contour[i].y);
            painter.drawPolygon(m_polygon);
        } else {
            painter.drawEllipse(toWidget(cell.centroid.x, cell.centroid.y), 6.0, 6.0);
        }
    };
    if (!layer.highlightedCells().empty()) {
        // A linked selection (embedding plot) can hold many cells: only those in view, as outlines when
        // nuclei are big enough, else as small squares (cheap for 100 k cells).
        const QColor colour(0, 255, 255);
        m_ids.clear();
        layer.index().query(transform.visibleLevel0Rect(), m_ids);
        const bool outlines = transform.downsample() <= kOutlineMaxDownsample;
        for (quint32 id : m_ids) {
            if (!layer.isHighlighted(id))
                continue;
            if (outlines) {
                outline(id, colour, 2.0);
            } else {
                const SlideCell& cell = layer.cells()[id];
                const QPointF p = toWidget(cell.centroid.x, cell.centroid.y);
                painter.fillRect(QRectF(p.x() - 2.5, p.y() - 2.5, 5.0, 5.0), colour);
            }
        }
    }
    if (const auto hovered = layer.hoveredCell())
        outline(*hovered, QColor(255, 255, 255), 2.0);
    if (const auto selected = layer.selectedCell())
        outline(*selected, QColor(255, 215, 0), 2.5);
}

} // namespace cellvit
