#pragma once
// Steps 5-6 of the reference post-processing: the flooding landscape and the seeds of the watershed.

#include <opencv2/core/mat.hpp>

namespace cellvit {

// -GaussianBlur3x3((1 - edgeMap) * foreground), CV_64F: nuclei centres become basins.
cv::Mat watershedLandscape(const cv::Mat& edgeMap, const cv::Mat& foreground);

// foreground minus strong edges (edgeMap >= threshold), holes filled, opened with a 5x5 ellipse, labelled
// (4-connectivity) and stripped of components smaller than minMarkerSize. CV_32S labels, with gaps.
cv::Mat watershedMarkers(const cv::Mat& edgeMap, const cv::Mat& foreground, double threshold, int minMarkerSize);

} // namespace cellvit
