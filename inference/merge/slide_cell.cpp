#include "inference/merge/slide_cell.h"

#include <cmath>

namespace cellvit {

SlideCell toSlideCell(const Cell& cell, PatchIndex patch, const PatchGrid& grid)
{
    SlideCell s;
    s.patch = patch;
    s.patchCellId = cell.id;
    s.patchOrigin = grid.patchOriginLevel0(patch);
    const cv::Point2d o = s.patchOrigin;
    const double k = grid.scale;
    // np.rint rounds half to even, as std::nearbyint in the default rounding mode.
    s.centroid = { std::nearbyint(o.x + k * cell.centroid.x), std::nearbyint(o.y + k * cell.centroid.y) };
    s.contour.reserve(cell.contour.size());
    for (const cv::Point& p : cell.contour)
        s.contour.emplace_back(o.x + k * p.x, o.y + k * p.y);
    s.rmin = o.y + k * cell.rmin;
    s.cmin = o.x + k * cell.cmin;
    s.rmax = o.y + k * cell.rmax;
    s.cmax = o.x + k * cell.cmax;
    s.type = cell.type;
    s.typeProb = cell.typeProb;
    // Status and edges always use the patch-local bbox in patch pixels, as the reference.
    s.cellStatus = cellStatus(cell, grid.patchSize);
    s.border = borderTouch(cell, grid.patchSize);
    if (touchesBorder(s.border))
        s.edgePatches = edgePatches(s.border, patch);
    return s;
}

} // namespace cellvit
