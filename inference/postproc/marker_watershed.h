#pragma once
// Marker-controlled watershed with the exact semantics of scikit-image 0.19 `watershed(image, markers,
// mask=mask)` (connectivity 1, no compactness, no watershed line). cv::watershed is a different algorithm.
//
// Behaviour reproduced (skimage/segmentation/_watershed_cy.pyx + heap_general.pxi):
// * a binary min-heap of (value, age); markers are pushed first in raster order with their own pixel value
//   and age 0, every later push gets age = ++counter, so equal values pop in insertion order;
// * ties on (value, age) are resolved by the heap layout itself (sift-up / sift-down with strict compares,
//   left child preferred), which is why the heap is re-implemented rather than std::priority_queue;
// * neighbours are visited up, left, right, down; an unlabelled neighbour inside the mask takes the label of
//   the popped pixel *when pushed* and is never pushed again.

#include "inference/postproc/connected_components.h"
#include "inference/postproc/instance_box.h"

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

// landscape: CV_64F; markers: CV_32S (0 = none); mask: CV_8U (nonzero = may be flooded). Returns CV_32S labels
// (markers outside the mask are discarded, as skimage does).
// Uses a fast exact strategy (only markers that can grow are queued) and falls back to the full simulation
// when tied markers could make the result depend on skimage's heap layout.
cv::Mat markerWatershed(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask);

struct WatershedQueueItem {
    double value;
    int32_t age; // 0 for markers, then 2, 3, ... in push order
    int32_t index;
};

// One pixel of the flood: its landscape value next to its label, so that testing a neighbour and reading its
// value touch one cache line (the flood jumps around the image and is bound by memory traffic).
struct WatershedPixel {
    double value;
    int32_t label; // -1 = may not be flooded (outside the mask, padding), 0 = not yet labelled
    int32_t unused;
};

// Buffers of markerWatershed, kept by callers that run it repeatedly (reused when their size fits).
struct WatershedScratch {
    std::vector<WatershedPixel> state; // the padded image
    std::vector<WatershedQueueItem> items;
    ComponentLabels components; // of the mask
    std::vector<WatershedScratch> workers; // of the threads that flood components in parallel (beyond the caller)
};

// The same with `scratch` for the intermediate buffers.
cv::Mat markerWatershed(
    const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask, WatershedScratch& scratch);

// remapLabels(markerWatershed(...)) without its two passes over the result: labels renumbered 1..N in ascending
// order of their marker label; rawOfNew[i - 1] is the marker label of new id i. (The labels of the flood are
// exactly the markers inside the mask, which the flood already visits.)
// maskComponents: the mask's 4-connected components, when the caller has them (saves labelling the mask):
// every mask pixel in exactly the runs of its component; labels without runs are skipped, so components
// removed from the mask need only lose their runs. boxes: when given, set to instanceBoxes(result).
// threads > 1 floods the mask's components in parallel (same result).
cv::Mat markerWatershedCompact(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask,
    WatershedScratch& scratch, std::vector<int>& rawOfNew, const ComponentLabels* maskComponents = nullptr,
    std::vector<InstanceBox>* boxes = nullptr, int threads = 1);

// markerWatershedCompact on the landscape landscapeFromDistance(dist) (watershed_inputs.h) without blurring the
// whole image: only components with several marker labels are flooded, and they take the values they need from
// landscapeAt. Same result; only for use when landscapeAtMatchesOpenCv(). distanceIsFinite: the caller knows
// that no value of dist is NaN or infinite (hvEdgeSeedsAndDistance says so), which saves checking the pixels
// around each component that is not flooded (NaN keys send the watershed to its full simulation).
cv::Mat markerWatershedCompactFromDistance(const cv::Mat& dist, const cv::Mat& markers, const cv::Mat& mask,
    WatershedScratch& scratch, std::vector<int>& rawOfNew, const ComponentLabels* maskComponents = nullptr,
    std::vector<InstanceBox>* boxes = nullptr, int threads = 1, bool distanceIsFinite = false);

// The full simulation only (every marker queued, as skimage does). For tests and benchmarks.
cv::Mat markerWatershedExact(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask);

} // namespace cellvit
