#include "inference/datasets/label_transforms.h"

namespace cellvit {

TrainingSample transformedPlanes(const TrainingSample& sample, const std::function<cv::Mat(const cv::Mat&, bool)>& op)
{
    TrainingSample out = sample;
    auto apply = [&](const cv::Mat& plane, bool isImage) { return plane.empty() ? cv::Mat() : op(plane, isImage); };
    out.rgb = apply(sample.rgb, true);
    out.instanceMap = apply(sample.instanceMap, false);
    out.typeMap = apply(sample.typeMap, false);
    out.segmentationMask = apply(sample.segmentationMask, false);
    out.typeMask = apply(sample.typeMask, false);
    return out;
}

} // namespace cellvit
