#pragma once
// Step 1 of the reference post-processing: the nuclei foreground ("blb").

#include "inference/postproc/connected_components.h"

#include <opencv2/core/mat.hpp>

namespace cellvit {

// npArgmax: CV_8U argmax of the binary NP map (1 = nucleus). Pixels >= 0.5 form 4-connected blobs; blobs with
// fewer than minBlobSize pixels are dropped. Returns CV_8U 0/1.
cv::Mat foregroundMask(const cv::Mat& npArgmax, int minBlobSize);

// The same into `mask`; both buffers are reused when their size fits. Afterwards `blobs` describes the mask's
// components by its runs and sizes (removed blobs have none), while its label image still holds the removed
// blobs' labels on their (now background) pixels.
void foregroundMask(const cv::Mat& npArgmax, int minBlobSize, cv::Mat& mask, ComponentLabels& blobs);

} // namespace cellvit
