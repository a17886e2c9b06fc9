#pragma once
// scipy.ndimage.binary_fill_holes with its default (cross) structure: background pixels that cannot reach the
// image border through 4-connected background become foreground.

#include <opencv2/core/mat.hpp>

namespace cellvit {

// binary: CV_8U, nonzero = foreground. Returns CV_8U 0/1.
cv::Mat fillHoles(const cv::Mat& binary);

// The same into `out` (must not be `binary`), with `framed` as scratch; buffers are reused when sizes fit.
void fillHoles(const cv::Mat& binary, cv::Mat& out, cv::Mat& framed);

} // namespace cellvit
