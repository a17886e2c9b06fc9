#include "viewer/region_shape.h"

#include <cmath>

namespace cellvit {

double polygonAreaPx(const QPolygonF& polygon)
{
    double twice = 0.0;
    const int n = polygon.size();
    for (int i = 0; i < n; ++i) {
        const QPointF& a = polygon[i];
        const QPointF& b = polygon[(i + 1) % n];
        twice += a.x() * b.y() - b.x() * a.y();
    }
    return std::abs(twice) / 2.0;
}

double areaSquareMillimetres(double areaPx, double micrometresPerPixel)
{
    return areaPx * micrometresPerPixel * micrometresPerPixel / 1e6;
}

bool regionContains(const Region& region, const QPointF& level0)
{
    return region.polygon.containsPoint(level0, Qt::OddEvenFill);
}

QPolygonF normalisedRing(const QPolygonF& polygon)
{
    QPolygonF ring;
    for (const QPointF& p : polygon)
        if (ring.isEmpty() || ring.back() != p)
            ring.append(p);
    if (ring.size() > 1 && ring.front() == ring.back())
        ring.removeLast();
    return ring;
}

bool isValidRegionPolygon(const QPolygonF& polygon)
{
    return normalisedRing(polygon).size() >= 3 && polygonAreaPx(polygon) > 0.0;
}

} // namespace cellvit
