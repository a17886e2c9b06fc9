#pragma once
// The radial distances a STARDIST / CPP-Net network is trained to predict (its `stardist_map` branch), computed from
// an instance map as stardist's `star_dist` (C implementation, used by the reference's `gen_stardist_maps`): for
// every foreground pixel and ray k at φ_k = 2πk/nrays (row step sin φ_k, column step cos φ_k), march in unit
// steps until the rounded position leaves the image or holds another value, then step back to the boundary
// (by 1 − 0.5 / max(|sin φ|, |cos φ|) steps) and take the length. Background pixels get 0 on every ray.

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

// instances: CV_32S, 0 = background. Returns nrays CV_32F maps (ray k first = channel k of the network output).
std::vector<cv::Mat> starDistances(const cv::Mat& instances, int nrays = 32);

} // namespace cellvit
