#pragma once
// Integer label maps from .npy files (PanNuke-style folders).

#include <filesystem>
#include <opencv2/core/mat.hpp>

namespace cellvit {

// An H×W integer (or integral float) .npy array as CV_32S; throws DatasetError naming the file when the
// shape is not `expected` or a value is negative, non-integral or too large.
cv::Mat readLabelNpy(const std::filesystem::path& file, cv::Size expected);

} // namespace cellvit
