#pragma once
// The paper's augmentations (reference §6), implemented with OpenCV; image and labels move together.

#include "inference/datasets/training_sample.h"

#include <random>

namespace cellvit {

struct AugmentationOptions {
    bool enabled = true; // false = crop only (validation)
    // Probabilities as the reference config (cellvit-facts §6).
    double rotate90 = 0.5, horizontalFlip = 0.5, verticalFlip = 0.5;
    double downscale = 0.15, blur = 0.2, gaussNoise = 0.25, colorJitter = 0.2;
    double zoomBlur = 0.1, randomSizedCrop = 0.1, elastic = 0.2;
    // Not in the reference (off by default): HED stain jitter of strength hedSigma (photometric_augmentations.h).
    double hedStain = 0.0, hedSigma = 0.05;
    // The reference's Superpixels (p 0.1 there; superpixel_augmentation.h). Off by default: the bundled model's
    // training stages drew their random numbers without it, and a default change would not reproduce them.
    double superpixels = 0.0;
};

// A crop of side `size` (padded with zeros/unlabelled when the image is smaller) followed by the augmentations.
TrainingSample augmentedCrop(
    const TrainingSample& sample, int size, std::mt19937_64& rng, const AugmentationOptions& options = {});

} // namespace cellvit
