#pragma once
// The reference's `fix_duplicates`, run by its STARDIST targets: an instance id covering several 4-connected pieces
// (a nucleus cut by a crop, a labelling slip) becomes one id per piece, so each piece is its own object. The piece
// met first in raster order keeps the id; the others get new ids above the map's maximum.

#include <opencv2/core/mat.hpp>

namespace cellvit {

// instances: CV_32S, 0 = background. Returns a new map.
cv::Mat splitDisconnectedInstances(const cv::Mat& instances);

} // namespace cellvit
