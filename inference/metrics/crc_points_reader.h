#pragma once
// CRCHistoPhenotypes (Sirinukunwattana et al. 2016) point annotations: MATLAB v5 .mat files (imgN_detection.mat,
// imgN_epithelial.mat, ...) holding one N×2 double array, column 1 = x and column 2 = y in 1-based MATLAB pixel
// coordinates. Read with libmatio (Debian libmatio-dev).

#include <filesystem>
#include <opencv2/core/types.hpp>
#include <string>
#include <vector>

namespace cellvit::metrics {

// Points of `variable` as 0-based pixel coordinates (x - 1, y - 1), in file order; an empty array gives none.
// Throws AnnotationError naming the file for unreadable files, a missing variable, or a shape other than N×2.
std::vector<cv::Point2d> readMatPoints(const std::filesystem::path& file, const std::string& variable = "detection");

} // namespace cellvit::metrics
