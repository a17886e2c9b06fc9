#pragma once
// CPM-15 (MICCAI 2015) ASCII instance masks: first line "width height", then one label per line in
// row-major order (x fastest); 0 = background.

#include <filesystem>
#include <opencv2/core.hpp>

namespace cellvit::metrics {

// Returns a CV_32S map; throws AnnotationError when the header or the value count is wrong.
cv::Mat readCpmMask(const std::filesystem::path& file);

} // namespace cellvit::metrics
