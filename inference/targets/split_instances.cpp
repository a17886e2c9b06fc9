#include "inference/targets/split_instances.h"

#include "inference/targets/instance_boxes.h"

#include <opencv2/imgproc.hpp>

namespace cellvit {

cv::Mat splitDisconnectedInstances(const cv::Mat& instances)
{
    CV_Assert(instances.type() == CV_32S);
    cv::Mat out = instances.clone();
    double maxId = 0;
    cv::minMaxLoc(instances, nullptr, &maxId);
    int nextId = static_cast<int>(maxId);
    for (const auto& [id, box] : widenedInstanceBoxes(instances)) {
        const cv::Mat mask = instances(box) == id;
        cv::Mat pieces;
        // scipy.ndimage.label's default structure is the 4-neighbourhood; labels follow raster order.
        const int count = cv::connectedComponents(mask, pieces, 4, CV_32S);
        if (count <= 2)
            continue;
        cv::Mat target = out(box);
        for (int r = 0; r < pieces.rows; ++r)
            for (int c = 0; c < pieces.cols; ++c) {
                const int piece = pieces.at<int>(r, c);
                if (piece > 1)
                    target.at<int>(r, c) = nextId + piece; // label + current max, as the reference
            }
        nextId += count - 1;
    }
    return out;
}

} // namespace cellvit
