#pragma once
// The display pyramid: the slide's own levels plus synthetic ones (factor-2 steps filling large gaps
// and reaching down to a small overview), each cut into square tiles. Pure geometry plus one reader.

#include "viewer/tile_key.h"

#include <QImage>
#include <QRectF>
#include <QSize>
#include <cstdint>
#include <vector>

namespace cellvit {

class SlideSource;

struct DisplayLevel {
    double downsample = 1.0; // level-0 pixels per pixel of this level
    int64_t width = 0; // size of this level in its own pixels
    int64_t height = 0;
    int sourceLevel = 0; // slide level read (and resampled when synthetic) for this level
    bool synthetic = false;
    int columns = 0; // tile grid
    int rows = 0;
};

class TilePyramid {
public:
    static constexpr int kDefaultTileSize = 512;
    static constexpr int kDefaultOverviewSide = 1024;

    TilePyramid() = default;
    // Levels are ordered fine to coarse; the coarsest fits in overviewSide pixels on its long side.
    explicit TilePyramid(
        const SlideSource& slide, int tileSize = kDefaultTileSize, int overviewSide = kDefaultOverviewSide);

    bool isEmpty() const { return m_levels.empty(); }
    int tileSize() const { return m_tileSize; }
    int levelCount() const { return static_cast<int>(m_levels.size()); }
    int coarsestLevel() const { return levelCount() - 1; }
    const DisplayLevel& level(int index) const { return m_levels.at(static_cast<size_t>(index)); }
    std::vector<double> downsamples() const;
    int64_t width() const { return m_width; } // level 0
    int64_t height() const { return m_height; }

    bool isValid(const TileKey& key) const;
    QSize tilePixelSize(const TileKey& key) const; // edge tiles are clipped to the level
    QRectF tileRectLevel0(const TileKey& key) const; // the level-0 area a tile covers
    // Tiles of `level` overlapping a level-0 rectangle, row-major.
    std::vector<TileKey> tilesIntersecting(int level, const QRectF& level0Rect) const;

private:
    int m_tileSize = kDefaultTileSize;
    int64_t m_width = 0;
    int64_t m_height = 0;
    std::vector<DisplayLevel> m_levels;
};

// Reads one tile as QImage::Format_RGB32 (the format QPainter draws fastest). Synthetic levels are
// read from their source level in bounded blocks and area-averaged. Throws SlideError.
QImage readTile(const SlideSource& slide, const TilePyramid& pyramid, const TileKey& key);

} // namespace cellvit
