#pragma once
// Spatial augmentations (cellvit-facts §6). Each moves image, instance/type maps and masks together; labels
// use nearest neighbour so instance ids survive. Pixels brought in from outside the image are unlabelled
// (masks 0) rather than mirrored, because a mirrored nucleus would share its id with the original.

#include "inference/datasets/training_sample.h"

#include <random>

namespace cellvit {

// k quarter turns counter-clockwise (k modulo 4).
TrainingSample rotated90(const TrainingSample& sample, int k);
TrainingSample flippedHorizontally(const TrainingSample& sample);
TrainingSample flippedVertically(const TrainingSample& sample);

// albumentations RandomSizedCrop(min_max_height=(size/2, size), w2h_ratio 1): a random square of side
// uniform in [h/2, h], resized back to the sample's size (image linear, labels nearest).
TrainingSample randomSizedCrop(const TrainingSample& sample, std::mt19937_64& rng);

// albumentations ElasticTransform as the reference configures it (sigma 25, alpha 0.5, alpha_affine 15): a
// random affine warp that moves three anchor points by up to ±alphaAffine px, then a smooth random
// displacement field (uniform noise in [-1, 1], Gaussian-blurred with sigma, times alpha).
struct ElasticParameters {
    double alpha = 0.5, sigma = 25.0, alphaAffine = 15.0;
};
TrainingSample elasticTransformed(const TrainingSample& sample, std::mt19937_64& rng, const ElasticParameters& p = {});

// Applies the warp given as absolute source coordinates per output pixel (CV_32F maps) to every plane.
TrainingSample remapped(const TrainingSample& sample, const cv::Mat& mapX, const cv::Mat& mapY);

} // namespace cellvit
