#include "inference/postproc/watershed_inputs.h"

#include "inference/postproc/connected_components.h"
#include "inference/postproc/fill_holes.h"

#include <opencv2/imgproc.hpp>

namespace cellvit {

cv::Mat watershedLandscape(const cv::Mat& edgeMap, const cv::Mat& foreground)
{
    // The reference computes -GaussianBlur((1 - e) * fg). Negation is exact and commutes with the blur's
    // products and sums (rounding is sign-symmetric), so blurring (e - 1) * fg gives the same values without a
    // final negation pass; only the sign of exact zeros may differ, which the watershed does not see.
    cv::Mat dist(edgeMap.size(), CV_64F);
    for (int r = 0; r < dist.rows; ++r) {
        const double* e = edgeMap.ptr<double>(r);
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        double* out = dist.ptr<double>(r);
        for (int c = 0; c < dist.cols; ++c)
            out[c] = (e[c] - 1.0) * fg[c];
    }
    // The reference blurs in float64 (the product above is float64); OpenCV's default border (REFLECT_101).
    cv::Mat blurred;
    cv::GaussianBlur(dist, blurred, cv::Size(3, 3), 0);
    return blurred;
}

cv::Mat watershedMarkers(const cv::Mat& edgeMap, const cv::Mat& foreground, double threshold, int minMarkerSize)
{
    cv::Mat seeds(edgeMap.size(), CV_8U);
    for (int r = 0; r < seeds.rows; ++r) {
        const double* e = edgeMap.ptr<double>(r);
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        uint8_t* out = seeds.ptr<uint8_t>(r);
        for (int c = 0; c < seeds.cols; ++c)
            out[c] = fg[c] && !(e[c] >= threshold);
    }
    cv::Mat opened;
    cv::morphologyEx(
        fillHoles(seeds), opened, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    ComponentLabels markers = labelComponents4(opened);
    removeSmallComponents(markers, minMarkerSize);
    return markers.labels;
}

} // namespace cellvit
