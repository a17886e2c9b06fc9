#pragma once
// Detection and per-class detection scores on pooled centroid pairs (v1 metrics.py:
// cell_detection_scores, cell_type_detection_scores; HoVer-Net convention).

#include <array>
#include <vector>

namespace cellvit::metrics {

// Class of every paired and unpaired cell, pooled over a dataset.
struct PooledDetections {
    std::vector<int> pairedTrueType;
    std::vector<int> pairedPredType; // same length as pairedTrueType
    std::vector<int> unpairedTrueType;
    std::vector<int> unpairedPredType;
};

struct DetectionScores {
    double f1;
    double precision;
    double recall; // 0/0 gives NaN, as in NumPy
};

// F1 = 2TP / (2TP + w0·FP + w1·FN).
DetectionScores cellDetectionScores(const PooledDetections& d, std::array<double, 2> w = { 1.0, 1.0 });

// Restricted to paired cells where either side is typeId; unpaired cells of typeId count as FP_d/FN_d.
DetectionScores cellTypeDetectionScores(
    const PooledDetections& d, int typeId, std::array<double, 4> w = { 2.0, 2.0, 1.0, 1.0 });

} // namespace cellvit::metrics
