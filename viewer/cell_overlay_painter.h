#pragma once
// Draws a CellLayer over the slide at any zoom within a frame budget. The level of detail follows the zoom
// (QuPath's approach): contours when nuclei are big enough to see, one dot per nucleus in between, and at
// coarse zoom raster tiles of dots rendered once and cached until the cells or their classes change.

#include <QImage>
#include <QPolygonF>
#include <QRectF>
#include <map>
#include <tuple>
#include <vector>

class QPainter;

namespace cellvit {

class CellLayer;
class ViewTransform;

enum class OverlayDetail { Outlines, Centroids, Raster };

struct OverlayPaintStats {
    OverlayDetail detail = OverlayDetail::Outlines;
    size_t cellsDrawn = 0; // contours or dots drawn now (raster tiles: cells rendered into new tiles)
    int rasterTilesBuilt = 0;
    int rasterTilesPending = 0; // left for the next frame (frame budget spent): the view repaints soon
};

class CellOverlayPainter {
public:
    static constexpr double kOutlineWidth = 2.0; // device px of a nucleus outline
    static constexpr double kHaloWidth = 1.0; // device px of the contrasting halo on each side of it
    static constexpr double kOutlineMaxDownsample = 2.0; // level-0 px per screen px
    static constexpr double kCentroidMaxDownsample = 8.0;
    static constexpr size_t kOutlineMaxCells = 30000; // more contours than this are drawn as dots
    static constexpr int kRasterTileSize = 256; // screen px of a cached overlay tile
    static constexpr size_t kRasterCacheBytes = size_t(96) << 20;
    static constexpr qint64 kRasterBuildBudgetMs = 4; // per frame; at least one tile is always built

    static OverlayDetail detailFor(double downsample);

    OverlayPaintStats paint(QPainter& painter, const CellLayer& layer, const ViewTransform& transform);
    void clearCache();
    size_t cachedTiles() const { return m_tiles.size(); }

private:
    using TileKey = std::tuple<int, qint64, qint64>; // level (log2 downsample), column, row
    size_t paintOutlines(QPainter& painter, const CellLayer& layer, const ViewTransform& transform);
    size_t paintCentroids(QPainter& painter, const CellLayer& layer, const ViewTransform& transform);
    OverlayPaintStats paintRaster(QPainter& painter, const CellLayer& layer, const ViewTransform& transform);
    size_t renderTile(QImage& image, const CellLayer& layer, const QRectF& level0, double downsample);
    void paintHighlights(QPainter& painter, const CellLayer& layer, const ViewTransform& transform);

    std::map<TileKey, QImage> m_tiles;
    const CellLayer* m_tilesLayer = nullptr;
    quint64 m_tilesRevision = 0;
    std::vector<quint32> m_ids; // reused between frames: no allocation per paint
    QPolygonF m_polygon;
};

} // namespace cellvit
