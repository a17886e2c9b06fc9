#include "inference/postproc/instance_segmentation.h"

#include "inference/postproc/foreground_mask.h"
#include "inference/postproc/hv_edge_map.h"
#include "inference/postproc/marker_watershed.h"
#include "inference/postproc/watershed_inputs.h"

#include <stdexcept>

namespace cellvit {

namespace {

// The intermediate images of one call, kept per thread: a 1024 x 1024 patch goes through ~70 MB of them, and
// allocated afresh each call (glibc returns such blocks to the kernel) their page faults cost more than the
// image processing itself. Held until the thread ends.
struct SegmentationWorkspace {
    cv::Mat foreground, seeds, dist, landscape;
    ComponentLabels blobs, markers;
    HvEdgeScratch edgeScratch;
    MarkerScratch markerScratch;
    WatershedScratch watershedScratch;
};

} // namespace

InstanceSegmentation segmentInstances(
    const cv::Mat& npArgmax, const cv::Mat& hx, const cv::Mat& hy, const PostprocParams& params, int threads)
{
    if (npArgmax.type() != CV_8UC1)
        throw std::invalid_argument("post-processing: the NP map must be a CV_8U argmax map");
    if (hx.type() != CV_32FC1 || hy.type() != CV_32FC1)
        throw std::invalid_argument("post-processing: the HV maps must be CV_32F");
    if (hx.size() != npArgmax.size() || hy.size() != npArgmax.size())
        throw std::invalid_argument("post-processing: NP and HV maps differ in size");
    if (npArgmax.empty())
        throw std::invalid_argument("post-processing: empty maps");

    thread_local SegmentationWorkspace ws;
    foregroundMask(npArgmax, params.minBlobSize, ws.foreground, ws.blobs);
    // The edge map is only needed through these two images (hvEdgeSeedsAndDistance), which the stored-edge-map
    // path of watershedMarkers / watershedLandscape computes identically.
    const bool distanceIsFinite = hvEdgeSeedsAndDistance(
        hx, hy, ws.foreground, params.sobelKernel, params.markerThreshold, ws.seeds, ws.dist, ws.edgeScratch, threads);
    markersFromSeeds(ws.seeds, params.minMarkerSize, ws.markers, ws.markerScratch);
    InstanceSegmentation out;
    // The foreground's blobs are the mask's components: the watershed need not label the mask again. It needs
    // the landscape only inside components with several markers, so it blurs the distance map just there.
    if (landscapeAtMatchesOpenCv()) {
        out.instanceMap = markerWatershedCompactFromDistance(ws.dist, ws.markers.labels, ws.foreground,
            ws.watershedScratch, out.rawLabels, &ws.blobs, &out.boxes, threads, distanceIsFinite);
        return out;
    }
    landscapeFromDistance(ws.dist, ws.landscape);
    out.instanceMap = markerWatershedCompact(ws.landscape, ws.markers.labels, ws.foreground, ws.watershedScratch,
        out.rawLabels, &ws.blobs, &out.boxes, threads);
    return out;
}

} // namespace cellvit
