#include "inference/metrics/instance_centroids.h"

#include <climits>
#include <map>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace cellvit::metrics {

std::vector<InstanceCentroid> instanceCentroids(const cv::Mat& labels)
{
    if (labels.type() != CV_32SC1)
        throw std::invalid_argument("instanceCentroids: instance map must be CV_32S");

    // Bounding boxes [rmin, rmax] x [cmin, cmax] of every id in one pass.
    std::map<int, cv::Rect> boxes;
    for (int r = 0; r < labels.rows; ++r) {
        const int* row = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c) {
            if (row[c] == 0)
                continue;
            auto [it, inserted] = boxes.try_emplace(row[c], c, r, 1, 1);
            if (!inserted)
                it->second |= cv::Rect(c, r, 1, 1);
        }
    }

    std::vector<InstanceCentroid> out;
    out.reserve(boxes.size());
    for (const auto& [id, box] : boxes) {
        cv::Mat mask = labels(box) == id; // 0/255
        mask /= 255; // 0/1 like the reference's uint8 crop: moments count pixels
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(mask.clone(), contours, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
        // The reference looks at the first contour only, even for instances in several pieces.
        if (contours.empty() || contours.front().size() < 3)
            continue;
        const cv::Moments m = cv::moments(mask);
        out.push_back({ id, { m.m10 / m.m00 + box.x, m.m01 / m.m00 + box.y } });
    }
    return out;
}

} // namespace cellvit::metrics
