#include "inference/postproc/fill_holes.h"

#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace cellvit {

cv::Mat fillHoles(const cv::Mat& binary)
{
    cv::Mat out, framed;
    fillHoles(binary, out, framed);
    return out;
}

void fillHoles(const cv::Mat& binary, cv::Mat& out, cv::Mat& framed)
{
    if (binary.type() != CV_8UC1)
        throw std::invalid_argument("fillHoles: expected a CV_8UC1 image");
    if (binary.empty()) {
        out.create(binary.size(), CV_8U);
        return;
    }
    const int rows = binary.rows, cols = binary.cols;
    // Background that touches the border is exactly the background reachable (4-connected) from a one-pixel
    // background frame around the image: one scan-line flood fill instead of labelling all background.
    constexpr uint8_t kOutside = 128; // foreground is 255 after the compare below
    framed.create(rows + 2, cols + 2, CV_8U);
    framed.setTo(cv::Scalar(0));
    const cv::Mat inside = framed(cv::Rect(1, 1, cols, rows));
    cv::compare(binary, 0, inside, cv::CMP_NE);
    cv::floodFill(framed, cv::Point(0, 0), cv::Scalar(kOutside), nullptr, cv::Scalar(0), cv::Scalar(0), 4);
    out.create(rows, cols, CV_8U);
    for (int r = 0; r < rows; ++r) {
        const uint8_t* in = inside.ptr<uint8_t>(r);
        uint8_t* o = out.ptr<uint8_t>(r);
        for (int c = 0; c < cols; ++c)
            o[c] = in[c] != kOutside;
    }
}

} // namespace cellvit
