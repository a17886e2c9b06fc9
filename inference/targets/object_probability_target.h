#pragma once
// The object-probability map a STARDIST / CPP-Net network is trained to predict (its `dist_map` branch), computed
// from an instance map as the reference's PanNuke target `gen_distance_prob_maps`: per nucleus, the Euclidean
// distance to the nearest pixel that is not this nucleus inside its bounding box widened by 2 px (where the image
// allows), divided by the nucleus' maximum, so every nucleus peaks at 1 in its centre. Background is 0. Disconnected
// pieces of one id count as separate nuclei (splitDisconnectedInstances, the reference's fix_duplicates).

#include <opencv2/core/mat.hpp>

namespace cellvit {

// instances: CV_32S, 0 = background, any positive ids. Returns CV_32F in [0, 1].
cv::Mat instanceObjectProbability(const cv::Mat& instances);

} // namespace cellvit
