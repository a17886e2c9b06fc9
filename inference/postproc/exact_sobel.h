#pragma once
// cv::Sobel(src, CV_64F, dx, dy, ksize) on a CV_32F image, bit-identical to OpenCV, but faster for the large
// kernels of the post-processing (ksize 11 / 21): OpenCV 4.6 runs these as scalar loops.
//
// The fast path reproduces OpenCV's separable filter arithmetic (row pass then symmetric/antisymmetric column
// pass, REFLECT_101 border, same accumulation order, fused multiply-adds as in OpenCV's AVX2 build) with AVX2
// vectors. It is only used after a one-time probe has shown bit-identical results to cv::Sobel on this
// machine; otherwise (no AVX2/FMA, another OpenCV build) cv::Sobel itself is called.

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

cv::Mat exactSobel64(const cv::Mat& src, int dx, int dy, int ksize);
// The same into `out`, reusing its buffer when the size fits.
void exactSobel64(const cv::Mat& src, int dx, int dy, int ksize, cv::Mat& out);
// The same, plus the result's minimum and maximum as cv::minMaxIdx gives them (taken while the rows are written,
// not in another pass over the image). `threads` > 1 shares the vectorised path's column strips out.
void exactSobel64(
    const cv::Mat& src, int dx, int dy, int ksize, cv::Mat& out, double& minValue, double& maxValue, int threads = 1);

// Several Sobels at once (same kernel size), their column strips shared out over `threads` in one loop: each
// job's `out` gets cv::Sobel(*src, CV_64F, dx, dy, ksize), minValue / maxValue its cv::minMaxIdx. The jobs are
// independent: no job's output may be another's input or output (std::invalid_argument).
struct SobelJob {
    const cv::Mat* src;
    int dx, dy;
    cv::Mat* out;
    double minValue = 0, maxValue = 0;
};
void exactSobels64(std::vector<SobelJob>& jobs, int ksize, int threads = 1);

// Whether exactSobel64 uses its own vectorised path on this machine (for tests and benchmarks).
bool exactSobelIsAccelerated();

} // namespace cellvit
