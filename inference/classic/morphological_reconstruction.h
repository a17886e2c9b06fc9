#pragma once
// Grey-scale morphological reconstruction by dilation and the h-maxima markers built on it: the maxima of a
// surface that stand at least h above every path to a higher maximum (MATLAB imextendedmax, skimage h_maxima).
// The classic detector takes them on the distance transform to split touching nuclei by shape.

#include <opencv2/core/mat.hpp>

namespace cellvit::classic {

// marker, mask: CV_32F of one size with marker <= mask. 8-connected reconstruction (Vincent's hybrid
// raster/anti-raster scans + FIFO propagation). Throws std::invalid_argument on mismatched inputs.
cv::Mat reconstructByDilation(const cv::Mat& marker, const cv::Mat& mask);

// CV_8U 0/1 map of the tops of the maxima of `surface` (CV_32F) whose dynamic is at least h (> 0).
cv::Mat hMaxima(const cv::Mat& surface, float h);

} // namespace cellvit::classic
