#pragma once
// Pixel-value augmentations (cellvit-facts §6, albumentations semantics). They change only the RGB image
// (CV_8UC3); labels and masks are untouched by construction, since they take and return the image alone.

#include <opencv2/core/mat.hpp>
#include <random>

namespace cellvit {

// Downscale(scale 0.5): nearest-neighbour down to half size and back up.
cv::Mat downscaledAndBack(const cv::Mat& rgb, double scale = 0.5);
// Blur(blur_limit 10): box blur with a random odd kernel in [3, limit].
cv::Mat randomBoxBlur(const cv::Mat& rgb, std::mt19937_64& rng, int limit = 10);
// GaussNoise(var_limit (10, 50)): per-pixel, per-channel noise of a variance drawn uniformly from the range.
cv::Mat withGaussianNoise(
    const cv::Mat& rgb, std::mt19937_64& rng, double minVariance = 10.0, double maxVariance = 50.0);
// ColorJitter(brightness/contrast 0.25, saturation 0.1, hue 0.05), the four in random order.
struct ColorJitterRange {
    double brightness = 0.25, contrast = 0.25, saturation = 0.1, hue = 0.05;
};
cv::Mat colorJittered(const cv::Mat& rgb, std::mt19937_64& rng, const ColorJitterRange& range = {});
// ZoomBlur(max_factor 1.05, step 0.01..0.03): the mean of the image and its centre zooms by 1, 1+step, ...
cv::Mat zoomBlurred(const cv::Mat& rgb, std::mt19937_64& rng, double maxFactor = 1.05);
// Stain jitter in HED space (Tellez et al. 2018, not in the reference): the optical density is split into
// haematoxylin, eosin and residual by Ruifrok-Johnston deconvolution, each channel scaled by a factor in
// [1 - sigma, 1 + sigma] and shifted by [-sigma, sigma] (in OD units), and recombined. It imitates the spread
// of staining between laboratories, which the reference's mild hue/saturation jitter does not cover.
cv::Mat hedStainJittered(const cv::Mat& rgb, std::mt19937_64& rng, double sigma = 0.05);

} // namespace cellvit
