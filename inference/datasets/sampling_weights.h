#pragma once
// The reference's "cell+tissue" oversampling weights (cellvit-facts §6, WeightedRandomSampler input).

#include "inference/datasets/training_sample.h"

#include <vector>

namespace cellvit {

// One weight per sample; classCount includes Background at 0 (ignored); gamma = 0.85 in the paper.
std::vector<double> cellTissueSamplingWeights(const std::vector<TrainingSample>& samples, int classCount,
    int tissueCount, double gamma = 0.85);

} // namespace cellvit
