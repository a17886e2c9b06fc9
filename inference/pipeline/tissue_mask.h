#pragma once
// Coarse tissue detection on a low-resolution rendering of the slide, used to skip background tiles.

#include "inference/slide/slide_source.h"

#include <opencv2/core/mat.hpp>

namespace cellvit {

struct TissueMask {
    cv::Mat mask;           // CV_8U, 255 = tissue
    double downsample = 1; // level-0 pixels per mask pixel

    // Fraction of tissue pixels in the part of a level-0 rectangle that the slide covers (0 when it covers none):
    // a patch that overhangs the slide's edge, or a tile smaller than a patch, is judged by its image only.
    double tissueFraction(const cv::Rect2d& level0Rect) const;
};

// Otsu threshold on the HSV saturation of a thumbnail about `maxSide` pixels long (white glass has low
// saturation, stained tissue high); very dark pixels (V <= 85: pen marks, shadows) count as background as in
// the reference's HSV rule. Small holes are closed so nuclei-poor stroma is not dropped.
TissueMask computeTissueMask(const SlideSource& slide, int maxSide = 2048);

} // namespace cellvit
