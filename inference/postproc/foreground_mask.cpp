#include "inference/postproc/foreground_mask.h"

#include "inference/postproc/connected_components.h"

namespace cellvit {

cv::Mat foregroundMask(const cv::Mat& npArgmax, int minBlobSize)
{
    // The reference thresholds the argmax as float32 at 0.5: for an integer map that is "nonzero".
    ComponentLabels blobs = labelComponents4(npArgmax != 0);
    removeSmallComponents(blobs, minBlobSize);
    return (blobs.labels != 0) & 1;
}

} // namespace cellvit
