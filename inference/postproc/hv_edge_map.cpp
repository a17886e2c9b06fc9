#include "inference/postproc/hv_edge_map.h"

#include "inference/postproc/exact_sobel.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace cellvit {

namespace {

cv::Mat normalisedToUnit(const cv::Mat& m)
{
    cv::Mat out;
    cv::normalize(m, out, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
    return out;
}

// normalise(Sobel(normalise(dir))), in the reference's dtypes: float32 maps, float64 Sobel.
cv::Mat normalisedGradient(const cv::Mat& dir, int dx, int dy, int ksize)
{
    return normalisedToUnit(exactSobel64(normalisedToUnit(dir), dx, dy, ksize));
}

} // namespace

cv::Mat hvEdgeMap(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel)
{
    if (hx.type() != CV_32FC1 || hy.type() != CV_32FC1 || foreground.type() != CV_8UC1 || hx.size() != hy.size()
        || hx.size() != foreground.size())
        throw std::invalid_argument("hvEdgeMap: expected two CV_32F maps and a CV_8U mask of the same size");
    const cv::Mat sobelH = normalisedGradient(hx, 1, 0, sobelKernel);
    const cv::Mat sobelV = normalisedGradient(hy, 0, 1, sobelKernel);

    // Inverted in float32 (1 - x), float32 max, then "- (1 - blb)" promotes to float64 (int32 mask), negatives
    // clipped.
    cv::Mat overall(hx.size(), CV_64F);
    for (int r = 0; r < overall.rows; ++r) {
        const float* h = sobelH.ptr<float>(r);
        const float* v = sobelV.ptr<float>(r);
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        double* out = overall.ptr<double>(r);
        for (int c = 0; c < overall.cols; ++c) {
            const double value = static_cast<double>(std::max(1.0f - h[c], 1.0f - v[c])) - (1 - fg[c]);
            out[c] = value < 0.0 ? 0.0 : value;
        }
    }
    return overall;
}

} // namespace cellvit
