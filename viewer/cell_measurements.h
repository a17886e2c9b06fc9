#pragma once
// What the inspector shows for one nucleus: area, perimeter and centroid in micrometres.

#include <QPointF>
#include <optional>

namespace cellvit {

struct SlideCell;

struct CellMeasurements {
    double areaPx = 0; // level-0 px² (shoelace over the contour)
    double perimeterPx = 0; // closed contour length, level-0 px
    QPointF centroidPx;
    std::optional<double> areaUm2, perimeterUm; // with a known resolution
    std::optional<QPointF> centroidUm;
};

CellMeasurements measureCell(const SlideCell& cell, std::optional<double> micrometresPerPixel);

} // namespace cellvit
