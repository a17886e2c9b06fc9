#include "viewer/cell_measurements.h"

#include "inference/merge/slide_cell.h"

#include <cmath>

namespace cellvit {

CellMeasurements measureCell(const SlideCell& cell, std::optional<double> mpp)
{
    CellMeasurements m;
    const auto& ring = cell.contour;
    double twice = 0;
    for (size_t i = 0; i < ring.size(); ++i) {
        const cv::Point2d& a = ring[i];
        const cv::Point2d& b = ring[(i + 1) % ring.size()];
        twice += a.x * b.y - b.x * a.y;
        m.perimeterPx += std::hypot(b.x - a.x, b.y - a.y);
    }
    m.areaPx = std::abs(twice) / 2;
    m.centroidPx = QPointF(cell.centroid.x, cell.centroid.y);
    if (mpp) {
        m.areaUm2 = m.areaPx * *mpp * *mpp;
        m.perimeterUm = m.perimeterPx * *mpp;
        m.centroidUm = m.centroidPx * *mpp;
    }
    return m;
}

} // namespace cellvit
