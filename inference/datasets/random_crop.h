#pragma once
// A square window of a sample at a random position. Where the image is smaller than the window it is placed
// at a random offset on a zero canvas whose padding is unlabelled (both masks 0), so no loss sees it.

#include "inference/datasets/training_sample.h"

#include <random>

namespace cellvit {

TrainingSample randomPaddedCrop(const TrainingSample& sample, int size, std::mt19937_64& rng);

// The window of `size` whose top-left corner is at `offset` in sample coordinates (negative or beyond the
// image = padding).
TrainingSample paddedCropAt(const TrainingSample& sample, int size, cv::Point offset);

} // namespace cellvit
