#pragma once
// Steps 2-4 of the reference post-processing: the nucleus-boundary strength from the HV maps ("overall").

#include <opencv2/core/mat.hpp>

namespace cellvit {

// hx, hy: CV_32F horizontal / vertical distance maps; foreground: CV_8U 0/1. Returns CV_64F in [0, 1]:
// max of the inverted, min-max normalised Sobel responses inside the foreground, 0 outside.
cv::Mat hvEdgeMap(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel);

} // namespace cellvit
