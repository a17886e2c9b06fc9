#include "inference/targets/hv_target.h"

#include "inference/targets/instance_boxes.h"

#include <algorithm>
#include <map>

namespace cellvit {
namespace {

// Scales the negative values by 1/|min| and the positive ones by 1/max, as the reference does.
void normaliseSides(cv::Mat& m)
{
    double mn = 0, mx = 0;
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c) {
            const float v = m.at<float>(r, c);
            mn = std::min<double>(mn, v);
            mx = std::max<double>(mx, v);
        }
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c) {
            float& v = m.at<float>(r, c);
            if (v < 0)
                v = static_cast<float>(v / -mn);
            else if (v > 0)
                v = static_cast<float>(v / mx);
        }
}

} // namespace

HvTarget instanceHvTarget(const cv::Mat& instances)
{
    CV_Assert(instances.type() == CV_32S);
    HvTarget out { cv::Mat::zeros(instances.size(), CV_32F), cv::Mat::zeros(instances.size(), CV_32F) };
    for (const auto& [id, tight] : tightInstanceBoxes(instances)) { // ascending ids, as np.unique
        // get_bounding_box (exclusive max), then widened by 2 px where the reference's conditions allow.
        int r0 = tight.y, r1 = tight.y + tight.height, c0 = tight.x, c1 = tight.x + tight.width;
        if (r0 >= 2)
            r0 -= 2;
        if (c0 >= 2)
            c0 -= 2;
        if (r1 <= instances.rows - 2)
            r1 += 2;
        if (c1 <= instances.cols - 2)
            c1 += 2;
        const cv::Rect box(c0, r0, c1 - c0, r1 - r0);
        if (box.height < 2 || box.width < 2)
            continue;
        const cv::Mat mask = instances(box) == id;
        // Centre of mass of the crop, rounded as int(com + 0.5).
        double sumR = 0, sumC = 0, n = 0;
        for (int r = 0; r < mask.rows; ++r)
            for (int c = 0; c < mask.cols; ++c)
                if (mask.at<uchar>(r, c)) {
                    sumR += r;
                    sumC += c;
                    ++n;
                }
        const int comR = static_cast<int>(sumR / n + 0.5), comC = static_cast<int>(sumC / n + 0.5);
        cv::Mat x(mask.size(), CV_32F, 0.0f), y(mask.size(), CV_32F, 0.0f);
        for (int r = 0; r < mask.rows; ++r)
            for (int c = 0; c < mask.cols; ++c)
                if (mask.at<uchar>(r, c)) {
                    // The reference's ranges start at 1 (np.arange(1, n + 1) − com).
                    x.at<float>(r, c) = static_cast<float>(c + 1 - comC);
                    y.at<float>(r, c) = static_cast<float>(r + 1 - comR);
                }
        normaliseSides(x);
        normaliseSides(y);
        x.copyTo(out.x(box), mask);
        y.copyTo(out.y(box), mask);
    }
    return out;
}

} // namespace cellvit
