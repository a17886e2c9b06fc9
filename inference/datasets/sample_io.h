#pragma once
// Small building blocks shared by the dataset readers: image decoding, empty label planes, resampling to a
// target resolution and listing a folder's files.

#include "inference/datasets/training_sample.h"

#include <filesystem>
#include <string>
#include <vector>

namespace cellvit {

// Decodes an image file into CV_8UC3 RGB (alpha dropped, grey expanded); throws DatasetError naming the file.
cv::Mat readRgbImage(const std::filesystem::path& file);

// A sample around `rgb` with every label plane allocated: instance/type 0, both masks set to the given values.
TrainingSample unlabelledSample(
    const std::string& source, cv::Mat rgb, double mpp, unsigned char segmentationMask, unsigned char typeMask);

// Resolutions within this relative distance of each other count as equal (MoNuSeg's 0.2468..0.2527 are all
// "x40"): resampling by 1 % would only blur the image and drop thin label structures.
constexpr double kMppTolerance = 0.1;

// Scale factor from `mpp` to `targetMpp` (1 when either is unknown or they agree within kMppTolerance).
double rescaleFactor(double mpp, double targetMpp);

// Resamples image (INTER_AREA down, INTER_LINEAR up) and labels/masks (INTER_NEAREST, ids untouched) by
// rescaleFactor(sample.mpp, targetMpp); sample.mpp becomes the resolution actually reached.
TrainingSample rescaledToMpp(TrainingSample sample, double targetMpp);

// Regular files of `folder` whose extension (lower case, with dot) is in `extensions`, sorted by name.
std::vector<std::filesystem::path> filesWithExtensions(
    const std::filesystem::path& folder, const std::vector<std::string>& extensions);

// Lower-case extension with dot (".tif").
std::string lowerExtension(const std::filesystem::path& file);

} // namespace cellvit
