#pragma once
// OpenSlide hands out premultiplied ARGB; the pipeline wants opaque RGB on the slide background.

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string_view>

namespace cellvit {

// Parses OpenSlide's `openslide.background-color` ("RRGGBB" hex, optional leading '#'), as R, G, B.
std::optional<cv::Vec3b> parseHexColor(std::string_view text);

// Converts w×h premultiplied ARGB pixels (OpenSlide's layout, 0 = transparent) into CV_8UC3 RGB
// composited onto `background` (R, G, B). Matches the reference's DeepZoom path: un-premultiply as
// openslide-python does, then PIL's paste-with-alpha onto a solid background.
cv::Mat compositeArgbToRgb(const uint32_t* argb, int width, int height, cv::Vec3b background);

} // namespace cellvit
