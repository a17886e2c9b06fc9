#include "inference/targets/object_probability_target.h"

#include "inference/targets/instance_boxes.h"
#include "inference/targets/split_instances.h"

#include <opencv2/imgproc.hpp>

namespace cellvit {

cv::Mat instanceObjectProbability(const cv::Mat& input)
{
    CV_Assert(input.type() == CV_32S);
    const cv::Mat instances = splitDisconnectedInstances(input); // each piece peaks at 1 on its own
    cv::Mat out = cv::Mat::zeros(instances.size(), CV_32F);
    for (const auto& [id, box] : widenedInstanceBoxes(instances)) {
        if (box.height < 2 || box.width < 2)
            continue;
        const cv::Mat mask = instances(box) == id;
        // scipy's distance_transform_edt: exact distance to the nearest zero inside the crop. OpenCV's precise L2
        // transform is the same exact EDT and, like scipy, never treats the crop's outside as background, so a
        // nucleus cut by the image border keeps its largest values at the border.
        cv::Mat distance;
        cv::distanceTransform(mask, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
        double maxValue = 0;
        cv::minMaxLoc(distance, nullptr, &maxValue, nullptr, nullptr, mask);
        if (maxValue <= 0)
            continue;
        cv::Mat normalised;
        distance.convertTo(normalised, CV_32F, 1.0 / (maxValue + 1e-10));
        normalised.copyTo(out(box), mask);
    }
    return out;
}

} // namespace cellvit
