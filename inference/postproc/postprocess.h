#pragma once
// HoVer-Net style post-processing of one patch (cellvit-facts §3): network maps -> instance map + cell records.
// Matches the reference (CellViT v1 DetectionCellPostProcessor / v2 postprocessing_numpy + remap_label)
// exactly; see tests/postproc for the golden comparisons.

#include "inference/postproc/cell.h"
#include "inference/postproc/postproc_params.h"

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

struct PostprocResult {
    cv::Mat instanceMap; // CV_32S, 0 = background, instances 1..N (contiguous, in reference label order)
    std::vector<Cell> cells; // sorted by id; instances with a degenerate contour (< 3 points) have no record
    std::vector<int> rawLabels; // reference watershed label of instance i at index i-1 (cells.json "raw_id")
};

// npArgmax: CV_8U argmax of the NP map (1 = nucleus); hx, hy: CV_32F HV channels; typeArgmax: CV_8U class map.
// threads > 1 spreads the Sobels, the watershed and the per-cell part over a pool; the result is identical. Throws
// std::invalid_argument on mismatched inputs.
PostprocResult postprocess(const cv::Mat& npArgmax, const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& typeArgmax,
    const PostprocParams& params, int threads = 1);

// Argmax over the channels of a C x H x W float array (ties -> lower channel, like np.argmax). CV_8U, C <= 256.
cv::Mat argmaxOverChannels(const float* data, int channels, int rows, int cols);

} // namespace cellvit
