#pragma once
// Steps 2-4 of the reference post-processing: the nucleus-boundary strength from the HV maps ("overall").

#include <opencv2/core/mat.hpp>

namespace cellvit {

// hx, hy: CV_32F horizontal / vertical distance maps; foreground: CV_8U 0/1. Returns CV_64F in [0, 1]:
// max of the inverted, min-max normalised Sobel responses inside the foreground, 0 outside.
cv::Mat hvEdgeMap(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel);

// Intermediate images of hvEdgeMap, kept by callers that run it repeatedly (buffers are reused when sizes fit).
struct HvEdgeScratch {
    cv::Mat unitX, unitY; // the normalised HV maps, CV_32F
    cv::Mat sobelH, sobelV; // CV_64F
    cv::Mat unitH, unitV; // the normalised Sobel responses, CV_32F
};

// The same into `edges`.
void hvEdgeMap(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel, cv::Mat& edges,
    HvEdgeScratch& scratch);

// The edge map's two uses computed row by row without storing it (a 1024^2 CV_64F image is 8 MB of memory
// traffic per pass): the watershed seeds `foreground && !(edge >= threshold)` (CV_8U 0/1, the input of
// watershedMarkers' hole filling) and `(edge - 1) * foreground` (CV_64F, the input of watershedLandscape's blur).
// threads > 1 shares the Sobels' column strips and the rows out (same result). Returns whether every distance
// value is finite (NaN in the HV maps makes some NaN).
bool hvEdgeSeedsAndDistance(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel,
    double threshold, cv::Mat& seeds, cv::Mat& distance, HvEdgeScratch& scratch, int threads = 1);

} // namespace cellvit
