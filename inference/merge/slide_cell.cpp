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
    // Points (centroid, contour vertices) are pixel centres; the bbox holds pixel edges (origin + k·b).
    // np.rint rounds half to even, as std::nearbyint in the default rounding mode.
    const cv::Point2d c = grid.toLevel0(patch, cell.centroid);
    s.centroid = { std::nearbyint(c.x), std::nearbyint(c.y) };
    s.contour.reserve(cell.contour.size());
    for (const cv::Point& p : cell.contour)
        s.contour.push_back(grid.toLevel0(patch, cv::Point2d(p.x, p.y)));
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
