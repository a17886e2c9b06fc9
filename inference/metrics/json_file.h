#pragma once
// Reads a whole JSON file; parse errors become AnnotationError with the file name.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/core/types.hpp>

namespace cellvit::metrics {

nlohmann::json readJsonFile(const std::filesystem::path& file);

// [x, y] pair of numbers, or throws AnnotationError(file, what + " is not an [x, y] pair").
cv::Point2d jsonPoint(const nlohmann::json& value, const std::filesystem::path& file, const std::string& what);

} // namespace cellvit::metrics
