#include "viewer/tile_painter.h"

#include "viewer/tile_cache.h"
#include "viewer/tile_pyramid.h"
#include "viewer/view_transform.h"

#include <QPainter>
#include <algorithm>
#include <cmath>
#include <utility>

namespace cellvit {

namespace {

// Rounding the corners (not the size) makes neighbouring tiles share their edges exactly: no seams.
QRect snappedWidgetRect(const ViewTransform& transform, const QRectF& level0)
{
    const QPointF a = transform.toWidget(level0.topLeft());
    const QPointF b = transform.toWidget(level0.bottomRight());
    return QRect(QPoint(int(std::lround(a.x())), int(std::lround(a.y()))),
        QPoint(int(std::lround(b.x())) - 1, int(std::lround(b.y())) - 1));
}

} // namespace

TilePaintResult paintTiles(
    QPainter& painter, TileCache& cache, const TilePyramid& pyramid, const ViewTransform& transform, int targetLevel)
{
    TilePaintResult result;
    if (pyramid.isEmpty())
        return result;
    targetLevel = std::clamp(targetLevel, 0, pyramid.coarsestLevel());
    const QRectF visible = transform.visibleLevel0Rect();

    // Areas still uncovered, from the target level outwards: coarser tiles are drawn only there.
    std::vector<QRectF> holes;
    std::vector<std::pair<TileKey, QImage>> layers; // drawn in reverse: coarse first, fine on top
    for (const TileKey& key : pyramid.tilesIntersecting(targetLevel, visible)) {
        QImage image = cache.find(key);
        if (image.isNull()) {
            result.missing.push_back(key);
            holes.push_back(pyramid.tileRectLevel0(key));
        } else {
            layers.emplace_back(key, std::move(image));
        }
    }
    std::vector<std::pair<TileKey, QImage>> backdrop;
    for (int level = targetLevel + 1; level <= pyramid.coarsestLevel() && !holes.empty(); ++level) {
        std::vector<QRectF> stillMissing;
        for (const QRectF& hole : holes) {
            for (const TileKey& key : pyramid.tilesIntersecting(level, hole)) {
                QImage image = cache.find(key);
                if (!image.isNull())
                    backdrop.emplace_back(key, std::move(image));
            }
        }
        // A hole stays open for the next level only where this level had nothing to offer.
        for (const QRectF& hole : holes) {
            bool covered = true;
            for (const TileKey& key : pyramid.tilesIntersecting(level, hole))
                covered = covered && cache.contains(key);
            if (!covered)
                stillMissing.push_back(hole);
        }
        holes = std::move(stillMissing);
    }

    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    auto draw = [&](const TileKey& key, const QImage& image) {
        painter.drawImage(snappedWidgetRect(transform, pyramid.tileRectLevel0(key)), image);
        ++result.drawnTiles;
    };
    // Coarsest first; duplicates (a coarse tile under several holes) are drawn once.
    std::sort(backdrop.begin(), backdrop.end(), [](const auto& a, const auto& b) {
        if (a.first.level != b.first.level)
            return a.first.level > b.first.level;
        return std::make_pair(a.first.row, a.first.col) < std::make_pair(b.first.row, b.first.col);
    });
    backdrop.erase(
        std::unique(backdrop.begin(), backdrop.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
        backdrop.end());
    for (const auto& [key, image] : backdrop)
        draw(key, image);
    for (const auto& [key, image] : layers)
        draw(key, image);
    painter.restore();
    return result;
}

} // namespace cellvit
