#pragma once
// The reference's Superpixels augmentation (albumentations Superpixels(p_replace 0.1, n_segments 100,
// max_size 128), cellvit-facts §6): SLIC superpixels, a random tenth of them flattened to their mean colour.
// It teaches the network to look past texture inside a region. Changes only the RGB image.

#include <opencv2/core/mat.hpp>
#include <random>

namespace cellvit {

// SLIC (Achanta et al. 2012) on CIELab: about `segments` regions on a regular grid, 10 iterations of local
// k-means with the spatial term weighted by `compactness` (skimage's default 10). Returns H×W CV_32S labels
// 0..K-1. Connectivity is not enforced (a label may have stray pixels); for a colour augmentation that is moot.
cv::Mat slicSegments(const cv::Mat& rgb, int segments = 100, double compactness = 10.0);

// As albumentations: an image larger than maxSize is segmented at that size (INTER_LINEAR) and the result
// scaled back, so the whole image is also softened; each superpixel is replaced by its per-channel mean with
// probability replaceProbability.
cv::Mat superpixelsReplaced(const cv::Mat& rgb, std::mt19937_64& rng, double replaceProbability = 0.1,
    int segments = 100, int maxSize = 128);

} // namespace cellvit
