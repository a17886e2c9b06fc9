#pragma once
// STARDIST non-maximum suppression (stardist.nms.non_maximum_suppression with its C++ extension, stardist 0.9.1):
// pixels with probability > prob_thresh away from the border are candidates, taken in descending probability; a
// candidate is suppressed by an earlier kept one when their polygons' intersection covers more than nms_thresh of
// the smaller polygon (not IoU).

#include <opencv2/core/mat.hpp>

#include <vector>

namespace cellvit {

struct StarDistNmsParams {
    float probThreshold = 0.5f; // strict >
    float overlapThreshold = 0.5f; // intersection / smaller area, strict >
    int border = 2; // pixels within this distance of the image border are no candidates
};

struct StarDistDetections {
    int nrays = 0;
    std::vector<cv::Point> points; // x = column, y = row, in NMS order (descending probability)
    std::vector<float> probs;
    std::vector<float> dists; // points.size() × nrays
};

// prob: CV_32F H×W object probabilities (after the sigmoid). rays: nrays planes of H×W float32 (plane k at
// rays + k·H·W), read only at candidates.
StarDistDetections starDistNms(const cv::Mat& prob, const float* rays, int nrays, const StarDistNmsParams& params = {});

} // namespace cellvit
