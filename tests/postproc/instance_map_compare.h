#pragma once
// Pixel-wise comparison of an instance map with a golden .npy (int32, same size), shared by the HoVer-Net and
// STARDIST post-processing golden tests.

#include "inference/io/npy.h"

#include <cstdint>
#include <opencv2/core/mat.hpp>

namespace cellvit::test {

inline int countDifferentPixels(const cv::Mat& actual, const NpyArray& expected)
{
    const int32_t* e = expected.data<int32_t>();
    int diff = 0;
    for (int r = 0; r < actual.rows; ++r)
        for (int c = 0; c < actual.cols; ++c)
            diff += actual.at<int32_t>(r, c) != e[r * actual.cols + c];
    return diff;
}

} // namespace cellvit::test
