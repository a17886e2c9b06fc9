#pragma once
// Splits samples into training and validation by name (cellvit-train --holdout), whole images at a time.

#include "inference/datasets/training_sample.h"

#include <set>
#include <string>
#include <vector>

namespace cellvit {

// The name holdout matches: the original image of a patch (TrainingSample::image), else the source file stem.
std::string holdoutName(const TrainingSample& sample);

struct HoldoutSplit {
    std::vector<TrainingSample> train, validation;
    std::set<std::string> matched; // the names that held out at least one sample
};

// A sample is held out when its holdoutName() is one of `names` (names matching nothing are not an error here:
// several --data folders are split one at a time). Throws std::invalid_argument for a patch's own file stem
// ("train_3_005"): holding out one patch would leave the other patches of its image in training, i.e. the same
// image on both sides.
HoldoutSplit splitByHoldout(std::vector<TrainingSample> samples, const std::vector<std::string>& names);

} // namespace cellvit
