#pragma once
// Centroids of the instances of a map, as the reference derives ground-truth cells
// (v1 post_proc_cellvit.py: calculate_instances): image moments of each instance's bounding-box
// crop, dropping instances whose first OpenCV contour has fewer than 3 points (lines, single pixels).

#include <opencv2/core.hpp>
#include <vector>

namespace cellvit::metrics {

struct InstanceCentroid {
    int id;
    cv::Point2d centroid; // x, y in pixels of the map
};

// In ascending id order; labels is CV_32S with 0 = background.
std::vector<InstanceCentroid> instanceCentroids(const cv::Mat& labels);

} // namespace cellvit::metrics
