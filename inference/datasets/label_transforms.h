#pragma once
// Applies one spatial operation to every plane of a sample at once, so image and labels never drift apart:
// the image with its own interpolation, instance/type maps and masks with nearest neighbour (ids preserved).

#include "inference/datasets/training_sample.h"

#include <functional>

namespace cellvit {

// op(plane, isImage) returns the transformed plane; isImage = true for rgb only.
TrainingSample transformedPlanes(const TrainingSample& sample, const std::function<cv::Mat(const cv::Mat&, bool)>& op);

} // namespace cellvit
