#pragma once
// Panoptic quality of instance maps, as the reference's get_fast_pq / remap_label / binarize
// (CellViT v1 cell_segmentation/utils/metrics.py, from the PanNuke-metrics repository).
// Instance maps are CV_32S, 0 = background.

#include <opencv2/core.hpp>
#include <vector>

namespace cellvit::metrics {

struct PqScores {
    double dq = 0.0;
    double sq = 0.0;
    double pq = 0.0;
};

// Instance ids (in the maps' own numbering), each list ascending except the paired ones, which
// are ordered like the reference: by true id (match IoU >= 0.5) or by assignment row (< 0.5).
struct PqPairing {
    std::vector<int> pairedTrue;
    std::vector<int> pairedPred;
    std::vector<int> unpairedTrue;
    std::vector<int> unpairedPred;
};

struct PqResult {
    PqScores scores;
    PqPairing pairing;
};

// DQ = TP/(TP + FP/2 + FN/2 + 1e-6), SQ = ΣIoU/(TP + 1e-6), PQ = DQ·SQ. Pairs need IoU > matchIou;
// below 0.5 the unique pairing is the maximum-IoU assignment. The reference requires contiguous ids
// (call remapLabel first); here ids are matched by value, which gives the same result for those.
PqResult fastPq(const cv::Mat& trueMap, const cv::Mat& predMap, double matchIou = 0.5);

// Renumbers the instances to 1..N in ascending order of their ids (remap_label, by_size=false).
cv::Mat remapLabel(const cv::Mat& labels);

// Merges per-class instance channels into one map, numbering the instances channel by channel and
// by ascending id within a channel; later channels overwrite earlier ones (binarize).
cv::Mat binarize(const std::vector<cv::Mat>& channels);

// Splits an instance map into numClasses channels: channel t holds the ids typed t. Instances that
// are not listed are left out, as CellViT.generate_instance_nuclei_map does for dropped cells.
struct TypedInstance {
    int id;
    int type;
};
std::vector<cv::Mat> typedInstanceChannels(
    const cv::Mat& labels, const std::vector<TypedInstance>& instances, int numClasses);

// Sorted unique non-zero ids.
std::vector<int> instanceIds(const cv::Mat& labels);

} // namespace cellvit::metrics
