#pragma once
// Step 8-9 of the reference post-processing: one Cell record per instance (bbox, centroid, contour, type).

#include "inference/postproc/cell.h"
#include "inference/postproc/instance_box.h"

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

// Bounding boxes and pixel counts of ids 1..max id in one pass over the instance map (index id-1). Throws
// std::invalid_argument on a negative id.
std::vector<InstanceBox> instanceBoxes(const cv::Mat& instanceMap);

// instanceMap: CV_32S with ids 1..N; typeMap: CV_8U class argmax of the same size. Works on each bounding box
// only; instances whose contour has fewer than 3 points are dropped (as in the reference). Sorted by id; the
// output does not depend on `threads`.
std::vector<Cell> extractCells(const cv::Mat& instanceMap, const cv::Mat& typeMap, int threads = 1);
// The same with the boxes already known (instanceBoxes(instanceMap), e.g. from the watershed's output pass).
std::vector<Cell> extractCells(
    const cv::Mat& instanceMap, const cv::Mat& typeMap, const std::vector<InstanceBox>& boxes, int threads = 1);

} // namespace cellvit
