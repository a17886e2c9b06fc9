#pragma once
// remap_label of the reference: renumber the instances 1..N in ascending order of their raw label.

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

// labels: CV_32S, non-negative, renumbered in place. Returns the raw label of new id i at index i-1.
std::vector<int> remapLabels(cv::Mat& labels);

} // namespace cellvit
