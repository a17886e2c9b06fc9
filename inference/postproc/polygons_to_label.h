#pragma once
// stardist.geometry.polygons_to_label without probabilities: the detections' polygons rasterised in NMS order with
// skimage.draw.polygon (pixel centres inside, on an edge or on a vertex), detection k painted with label k+1, later
// (lower-probability) polygons overwriting earlier ones.

#include "inference/postproc/stardist_nms.h"

#include <opencv2/core/mat.hpp>

namespace cellvit {

// CV_32S rows×cols label map (0 = background).
cv::Mat polygonsToLabel(const StarDistDetections& detections, int rows, int cols);

} // namespace cellvit
