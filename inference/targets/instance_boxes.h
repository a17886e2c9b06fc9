#pragma once
// Per-instance bounding boxes as the reference's `gen_distance_prob_maps` crops them: the tight box
// (`get_bounding_box`, exclusive max) widened by 2 px on each side where the image leaves room (its max-side test
// differs by one pixel from the HV target's).

#include <map>
#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace cellvit {

// The tight box of every instance (get_bounding_box: exclusive max), in one pass. instances: CV_32S,
// 0 = background. Ascending ids (np.unique order).
std::map<int, cv::Rect> tightInstanceBoxes(const cv::Mat& instances);

// The tight boxes widened as gen_distance_prob_maps widens them.
std::map<int, cv::Rect> widenedInstanceBoxes(const cv::Mat& instances);

} // namespace cellvit
