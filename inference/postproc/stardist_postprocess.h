#pragma once
// STARDIST / CPP-Net post-processing of one patch (CellViT v1 StarDistPostProcessor.post_proc_stardist):
// NMS of the star polygons -> label map -> contiguous ids -> cell records as for HoVer-Net (bbox, centroid, first
// contour, majority type). CPP-Net uses the same with its refined rays.

#include "inference/postproc/postprocess.h"
#include "inference/postproc/stardist_nms.h"

namespace cellvit {

struct StarDistPostprocResult : PostprocResult {
    StarDistDetections detections; // the NMS survivors; rawLabels[i] = k+1 of the survivor painted as id i+1
};

// prob: CV_32F object probabilities; rays: nrays planes of prob's size (see starDistNms); typeArgmax: CV_8U.
StarDistPostprocResult postprocessStarDist(const cv::Mat& prob, const float* rays, int nrays, const cv::Mat& typeArgmax,
                                           const StarDistNmsParams& params = {}, int threads = 1);

} // namespace cellvit
