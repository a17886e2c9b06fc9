#pragma once
// Steps 5-6 of the reference post-processing: the flooding landscape and the seeds of the watershed.

#include "inference/postproc/connected_components.h"

#include <opencv2/core/mat.hpp>

namespace cellvit {

// -GaussianBlur3x3((1 - edgeMap) * foreground), CV_64F: nuclei centres become basins.
cv::Mat watershedLandscape(const cv::Mat& edgeMap, const cv::Mat& foreground);
// The same into `landscape`, with `dist` as scratch (buffers reused when sizes fit).
void watershedLandscape(const cv::Mat& edgeMap, const cv::Mat& foreground, cv::Mat& landscape, cv::Mat& dist);
// The last step of it: the landscape from dist = (edgeMap - 1) * foreground (see hvEdgeSeedsAndDistance).
void landscapeFromDistance(const cv::Mat& dist, cv::Mat& landscape);

// One value of landscapeFromDistance(dist) computed alone, for a caller that needs few of them: cv::GaussianBlur 3x3
// in OpenCV 4.6's order of operations (row pass 0.25·x[c-1] + 0.5·x[c] + 0.25·x[c+1] left to right, then
// 0.5·centre + 0.25·(below + above), REFLECT_101 borders). The kernel's powers of two make every product exact,
// so only that order matters. Use only when landscapeAtMatchesOpenCv().
double landscapeAt(const cv::Mat& dist, int r, int c);
// One-time check that landscapeAt equals cv::GaussianBlur bit for bit here (maps with widely spread exponents,
// where any other order of the sums differs).
bool landscapeAtMatchesOpenCv();

// foreground minus strong edges (edgeMap >= threshold), holes filled, opened with a 5x5 ellipse, labelled
// (4-connectivity) and stripped of components smaller than minMarkerSize. CV_32S labels, with gaps.
cv::Mat watershedMarkers(const cv::Mat& edgeMap, const cv::Mat& foreground, double threshold, int minMarkerSize);

// Intermediate images of watershedMarkers, kept by callers that run it repeatedly.
struct MarkerScratch {
    cv::Mat seeds, filled, framed, opened; // CV_8U
};
// The same into `markers`.
void watershedMarkers(const cv::Mat& edgeMap, const cv::Mat& foreground, double threshold, int minMarkerSize,
    ComponentLabels& markers, MarkerScratch& scratch);
// Its steps after thresholding: seeds (CV_8U, foreground minus strong edges) -> markers.
void markersFromSeeds(const cv::Mat& seeds, int minMarkerSize, ComponentLabels& markers, MarkerScratch& scratch);

} // namespace cellvit
