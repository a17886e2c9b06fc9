#include "inference/postproc/fill_holes.h"

#include "inference/postproc/connected_components.h"

#include <stdexcept>
#include <vector>

namespace cellvit {

cv::Mat fillHoles(const cv::Mat& binary)
{
    if (binary.type() != CV_8UC1)
        throw std::invalid_argument("fillHoles: expected a CV_8UC1 image");
    const int rows = binary.rows, cols = binary.cols;
    // Background components (4-connected) that touch the border stay background; the others are holes.
    const ComponentLabels background = labelComponents4(binary == 0);
    std::vector<uint8_t> outside(background.count + 1, 0);
    for (int c = 0; c < cols; ++c) {
        outside[background.labels.at<int>(0, c)] = 1;
        outside[background.labels.at<int>(rows - 1, c)] = 1;
    }
    for (int r = 0; r < rows; ++r) {
        outside[background.labels.at<int>(r, 0)] = 1;
        outside[background.labels.at<int>(r, cols - 1)] = 1;
    }
    outside[0] = 0; // label 0 is the foreground itself
    cv::Mat out(rows, cols, CV_8U);
    for (int r = 0; r < rows; ++r) {
        const int* label = background.labels.ptr<int>(r);
        uint8_t* o = out.ptr<uint8_t>(r);
        for (int c = 0; c < cols; ++c)
            o[c] = !outside[label[c]];
    }
    return out;
}

} // namespace cellvit
