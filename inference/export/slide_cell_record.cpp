#include "inference/export/slide_cell_record.h"

namespace cellvit {

SlideCellRecord slideCellFromPatchCell(const Cell& cell, cv::Point2d offset, double scale)
{
    SlideCellRecord r;
    r.contour.reserve(cell.contour.size());
    for (const cv::Point& p : cell.contour)
        r.contour.emplace_back((p.x + offset.x) * scale, (p.y + offset.y) * scale);
    r.centroid = { (cell.centroid.x + offset.x) * scale, (cell.centroid.y + offset.y) * scale };
    r.rmin = (cell.rmin + offset.y) * scale;
    r.cmin = (cell.cmin + offset.x) * scale;
    r.rmax = (cell.rmax + offset.y) * scale;
    r.cmax = (cell.cmax + offset.x) * scale;
    r.type = cell.type;
    r.typeProb = cell.typeProb;
    return r;
}

} // namespace cellvit
