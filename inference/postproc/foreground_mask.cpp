#include "inference/postproc/foreground_mask.h"

#include <algorithm>
#include <stdexcept>

namespace cellvit {

cv::Mat foregroundMask(const cv::Mat& npArgmax, int minBlobSize)
{
    cv::Mat mask;
    ComponentLabels blobs;
    foregroundMask(npArgmax, minBlobSize, mask, blobs);
    return mask;
}

void foregroundMask(const cv::Mat& npArgmax, int minBlobSize, cv::Mat& mask, ComponentLabels& blobs)
{
    if (npArgmax.type() != CV_8UC1)
        throw std::invalid_argument("foregroundMask: expected a CV_8U argmax map");
    // The reference thresholds the argmax as float32 at 0.5: for an integer map that is "nonzero", which is
    // what the labelling tests anyway.
    labelComponents4(npArgmax, blobs);
    const std::vector<int>& sizes = blobs.sizes;
    // remove_small_objects and "!= 0" in one pass over the labels.
    std::vector<uint8_t> kept(sizes.size());
    for (size_t i = 1; i < sizes.size(); ++i)
        kept[i] = sizes[i] >= minBlobSize;
    mask.create(npArgmax.size(), CV_8U);
    for (int r = 0; r < mask.rows; ++r) {
        const int* label = blobs.labels.ptr<int>(r);
        uint8_t* out = mask.ptr<uint8_t>(r);
        for (int c = 0; c < mask.cols; ++c)
            out[c] = kept[label[c]];
    }
    // The removed blobs lose their runs and sizes (not their pixels' labels: rewriting the image costs a pass),
    // so that the runs describe the mask's components exactly, as markerWatershedCompact can use them.
    blobs.runs.erase(
        std::remove_if(blobs.runs.begin(), blobs.runs.end(), [&](const ComponentRun& run) { return !kept[run.label]; }),
        blobs.runs.end());
    for (size_t i = 1; i < sizes.size(); ++i) {
        if (!kept[i]) {
            blobs.sizes[0] += blobs.sizes[i];
            blobs.sizes[i] = 0;
        }
    }
}

} // namespace cellvit
