#pragma once
// Steps 1-7 of the reference post-processing: NP + HV maps -> instance map (cellvit-facts §3).

#include "inference/postproc/instance_box.h"
#include "inference/postproc/postproc_params.h"

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

struct InstanceSegmentation {
    cv::Mat instanceMap; // CV_32S, 0 = background, instances 1..N
    std::vector<int> rawLabels; // reference (pre-remap) watershed label of instance i at index i-1
    std::vector<InstanceBox> boxes; // instanceBoxes(instanceMap), from the watershed's output pass
};

// npArgmax: CV_8U (1 = nucleus); hx, hy: CV_32F. Throws std::invalid_argument on mismatched inputs.
// Intermediate images are kept in a per-thread workspace between calls (~60 MB per calling thread for a
// 1024 x 1024 patch, released when the thread ends). threads > 1 runs the Sobels, the edge rows and the
// watershed's components in parallel (same result).
InstanceSegmentation segmentInstances(
    const cv::Mat& npArgmax, const cv::Mat& hx, const cv::Mat& hy, const PostprocParams& params, int threads = 1);

} // namespace cellvit
