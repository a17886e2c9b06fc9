#pragma once
// A drawn or imported region of interest: a closed polygon in level-0 pixels with a name. Rectangles and
// freehand outlines are stored as polygons too; the kind only says how the region was made.

#include <QPolygonF>
#include <QString>
#include <optional>

namespace cellvit {

enum class RegionKind { Rectangle, Polygon, Freehand, Imported };

struct Region {
    quint64 id = 0; // unique within a RegionStore, assigned on insertion
    QString name;
    RegionKind kind = RegionKind::Polygon;
    QPolygonF polygon; // level-0 pixels, not closed (last point != first)
};

// Shoelace area in level-0 px² (orientation-free).
double polygonAreaPx(const QPolygonF& polygon);
// mm² for a level-0 resolution in µm/px.
double areaSquareMillimetres(double areaPx, double micrometresPerPixel);
// Even-odd containment of a level-0 point.
bool regionContains(const Region& region, const QPointF& level0);
// Drops a repeated closing point and consecutive duplicates; a polygon needs 3 distinct points to count.
QPolygonF normalisedRing(const QPolygonF& polygon);
bool isValidRegionPolygon(const QPolygonF& polygon);

} // namespace cellvit
