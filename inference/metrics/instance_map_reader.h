#pragma once
// Instance label maps stored as images: .npy (2-D integer array, or with one singleton axis) and
// 8/16-bit single-channel .png/.tif. 0 = background, every other value is one instance.

#include <filesystem>
#include <opencv2/core.hpp>

namespace cellvit::metrics {

// Returns a CV_32S map; throws AnnotationError for unreadable files, negative labels or wrong shapes.
cv::Mat readInstanceMapNpy(const std::filesystem::path& file);
cv::Mat readInstanceMapImage(const std::filesystem::path& file);

} // namespace cellvit::metrics
