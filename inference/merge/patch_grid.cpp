#include "inference/merge/patch_grid.h"

#include <stdexcept>
#include <string>

namespace cellvit {

cv::Point PatchGrid::patchOriginInLevel(PatchIndex patch) const
{
    const int half = overlap / 2;
    return { patch.col * stride() - half, patch.row * stride() - half };
}

cv::Point2d PatchGrid::patchOriginLevel0(PatchIndex patch) const
{
    const cv::Point origin = patchOriginInLevel(patch);
    return { levelOrigin.x + scale * origin.x, levelOrigin.y + scale * origin.y };
}

cv::Point2d PatchGrid::toLevel0(PatchIndex patch, cv::Point2d patchPixel) const
{
    const cv::Point2d origin = patchOriginLevel0(patch);
    return { origin.x + scale * patchPixel.x, origin.y + scale * patchPixel.y };
}

cv::Rect2d PatchGrid::ownedRectLevel0(PatchIndex patch) const
{
    // Patch (r, c) owns level pixels [c*stride, (c+1)*stride): the overlap bands are split in their middle.
    const double x0 = levelOrigin.x + scale * patch.col * stride();
    const double y0 = levelOrigin.y + scale * patch.row * stride();
    return { x0, y0, scale * stride(), scale * stride() };
}

void PatchGrid::validate() const
{
    if (patchSize <= 0 || overlap < 0 || overlap >= patchSize)
        throw std::invalid_argument("patch grid: overlap " + std::to_string(overlap) + " does not fit patch size "
                                    + std::to_string(patchSize));
    if (overlap % 2 != 0)
        throw std::invalid_argument("patch grid: overlap " + std::to_string(overlap) + " must be even");
    if (!(scale > 0.0))
        throw std::invalid_argument("patch grid: scale must be positive, got " + std::to_string(scale));
}

} // namespace cellvit
