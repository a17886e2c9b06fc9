#include "inference/postproc/instance_segmentation.h"

#include "inference/postproc/foreground_mask.h"
#include "inference/postproc/hv_edge_map.h"
#include "inference/postproc/marker_watershed.h"
#include "inference/postproc/remap_labels.h"
#include "inference/postproc/watershed_inputs.h"

#include <stdexcept>

namespace cellvit {

InstanceSegmentation segmentInstances(
    const cv::Mat& npArgmax, const cv::Mat& hx, const cv::Mat& hy, const PostprocParams& params)
{
    if (npArgmax.type() != CV_8UC1)
        throw std::invalid_argument("post-processing: the NP map must be a CV_8U argmax map");
    if (hx.type() != CV_32FC1 || hy.type() != CV_32FC1)
        throw std::invalid_argument("post-processing: the HV maps must be CV_32F");
    if (hx.size() != npArgmax.size() || hy.size() != npArgmax.size())
        throw std::invalid_argument("post-processing: NP and HV maps differ in size");
    if (npArgmax.empty())
        throw std::invalid_argument("post-processing: empty maps");

    const cv::Mat foreground = foregroundMask(npArgmax, params.minBlobSize);
    const cv::Mat edges = hvEdgeMap(hx, hy, foreground, params.sobelKernel);
    const cv::Mat markers = watershedMarkers(edges, foreground, params.markerThreshold, params.minMarkerSize);
    InstanceSegmentation out;
    out.instanceMap = markerWatershed(watershedLandscape(edges, foreground), markers, foreground);
    out.rawLabels = remapLabels(out.instanceMap);
    return out;
}

} // namespace cellvit
