#pragma once
// The horizontal/vertical distance maps a CellViT/HoVer-Net network is trained to predict, computed from an
// instance map exactly as the reference (`gen_instance_hv_map`, cellvit-facts §6): per nucleus, x and y
// offsets from its rounded centre of mass, scaled separately on the negative and positive side to [−1, 1].

#include <opencv2/core/mat.hpp>

namespace cellvit {

struct HvTarget {
    cv::Mat x, y; // CV_32F, 0 on background
};

// instances: CV_32S, 0 = background, any positive ids.
HvTarget instanceHvTarget(const cv::Mat& instances);

} // namespace cellvit
