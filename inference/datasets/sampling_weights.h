#pragma once
// The reference's "cell+tissue" oversampling weights (cellvit-facts §6, WeightedRandomSampler input).

#include "inference/datasets/training_sample.h"

#include <vector>

namespace cellvit {

// One weight per sample; classCount includes Background at 0 (ignored); gamma = 0.85 in the paper.
std::vector<double> cellTissueSamplingWeights(const std::vector<TrainingSample>& samples, int classCount,
    int tissueCount, double gamma = 0.85);

// Several folders trained together: each folder (consecutive runs of `sourceSizes` samples) gets the same
// share of the draws, and inside a folder its samples get cellTissueSamplingWeights() computed over that folder
// alone. Without the split, the folder with most samples (432 CoNSeP patches) would take most draws, and folders
// without classes (MoNuSeg, CPM-15) would share the smallest cell weight. A folder without training samples
// (sourceSizes 0) gets no share. Throws std::invalid_argument when the sizes do not add up to samples.size().
std::vector<double> perSourceCellTissueWeights(const std::vector<TrainingSample>& samples,
    const std::vector<size_t>& sourceSizes, int classCount, int tissueCount, double gamma = 0.85);

} // namespace cellvit
