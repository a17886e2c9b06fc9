#include "inference/merge/patch_grid.h"

#include <cmath>
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
    // Rounded to whole level-0 pixels: that is where the patch is read from, so the mapping below is exact
    // for every patch even when the scale is not an integer.
    const cv::Point origin = patchOriginInLevel(patch);
    return { levelOrigin.x + std::round(scale * origin.x), levelOrigin.y + std::round(scale * origin.y) };
}

cv::Point2d PatchGrid::toLevel0(PatchIndex patch, cv::Point2d patchPixel) const
{
    // Pixel indices denote pixel centres in both spaces: patch pixel p covers level-0 [p·s, (p+1)·s) from
    // the origin, whose centre is (p + ½)·s − ½ (with s = 2, patch pixel 0 maps to 0.5, between level-0
    // pixels 0 and 1). For s = 1 this is origin + p, the reference's mapping.
    const cv::Point2d origin = patchOriginLevel0(patch);
    return { origin.x + (patchPixel.x + 0.5) * scale - 0.5, origin.y + (patchPixel.y + 0.5) * scale - 0.5 };
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
        throw std::invalid_argument(
            "patch grid: overlap " + std::to_string(overlap) + " does not fit patch size " + std::to_string(patchSize));
    if (overlap % 2 != 0)
        throw std::invalid_argument("patch grid: overlap " + std::to_string(overlap) + " must be even");
    if (!(scale > 0.0))
        throw std::invalid_argument("patch grid: scale must be positive, got " + std::to_string(scale));
}

} // namespace cellvit
