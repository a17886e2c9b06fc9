#pragma once
// Draws the regions (selected ones highlighted, with their names) and the outline being drawn.

#include <QPolygonF>
#include <vector>

class QPainter;

namespace cellvit {

class RegionStore;
class ViewTransform;

void paintRegions(QPainter& painter, const RegionStore& store, const std::vector<quint64>& selectedIds,
    const QPolygonF& draft, const ViewTransform& transform);

} // namespace cellvit
