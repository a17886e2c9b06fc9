#pragma once
// Draws the cached tiles of a view. Tiles of the target level go on top; where one is not cached yet
// the coarser levels underneath show through (QuPath/ASAP style), so there are no black holes.

#include "viewer/tile_key.h"

#include <vector>

class QPainter;

namespace cellvit {

class TileCache;
class TilePyramid;
class ViewTransform;

struct TilePaintResult {
    std::vector<TileKey> missing; // visible tiles of the target level that are not cached
    int drawnTiles = 0;
};

TilePaintResult paintTiles(
    QPainter& painter, TileCache& cache, const TilePyramid& pyramid, const ViewTransform& transform, int targetLevel);

} // namespace cellvit
