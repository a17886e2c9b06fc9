#pragma once
// Dataset-level aggregation, as the reference's run_patch_inference: NaN-means of the per-image
// PQ scores, detection scores on the centroid pairs pooled over all images.

#include "inference/metrics/detection_scores.h"
#include "inference/metrics/image_evaluation.h"
#include "inference/metrics/nucleus_classes.h"

#include <string>
#include <vector>

namespace cellvit::metrics {

struct ClassMetrics {
    NucleusClass nucleusClass;
    PqScores pq; // NaN-mean over images of this channel's scores
    DetectionScores detection; // cell_type_detection_scores, w = [2,2,1,1]
};

struct DatasetMetrics {
    size_t imageCount = 0;
    PqScores binary; // bPQ/bDQ/bSQ
    bool typed = false; // some image had classes on both sides
    PqScores multiClass; // mPQ/mDQ/mSQ (NaN when untyped)
    DetectionScores detection; // cell_detection_scores, w = [1,1]
    size_t paired = 0;
    size_t unpairedTrue = 0;
    size_t unpairedPred = 0;
    std::vector<ClassMetrics> perClass; // typed only
    double meanClassF1 = 0; // NaN-mean of perClass' detection F1 (NaN when untyped): one number for the classes
};

PooledDetections poolDetections(const std::vector<ImageMetrics>& images);

DatasetMetrics aggregateMetrics(const std::vector<ImageMetrics>& images, const std::vector<NucleusClass>& classes);

} // namespace cellvit::metrics
