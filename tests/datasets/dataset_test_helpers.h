#pragma once
// Shared checks of the dataset tests: instance counting and image/label alignment measures.

#include "inference/datasets/training_sample.h"

#include <opencv2/imgproc.hpp>
#include <set>

namespace cellvit::test {

inline std::set<int> instanceIds(const cv::Mat& instances)
{
    std::set<int> ids;
    for (int y = 0; y < instances.rows; ++y) {
        const int* row = instances.ptr<int>(y);
        for (int x = 0; x < instances.cols; ++x)
            if (row[x] != 0)
                ids.insert(row[x]);
    }
    return ids;
}

// Mean grey value inside labelled nuclei and outside them: nuclei (haematoxylin) are darker when the
// labels sit on the image.
inline std::pair<double, double> greyInsideOutside(const TrainingSample& s)
{
    cv::Mat grey;
    cv::cvtColor(s.rgb, grey, cv::COLOR_RGB2GRAY);
    const cv::Mat inside = s.instanceMap != 0;
    return { cv::mean(grey, inside)[0], cv::mean(grey, ~inside)[0] };
}

inline bool allEqual(const cv::Mat& m, double value)
{
    return cv::countNonZero(m != value) == 0;
}

} // namespace cellvit::test
