#include "inference/postproc/stardist_postprocess.h"

#include "inference/postproc/cell_extraction.h"
#include "inference/postproc/polygons_to_label.h"
#include "inference/postproc/remap_labels.h"

#include <stdexcept>

namespace cellvit {

StarDistPostprocResult postprocessStarDist(const cv::Mat& prob, const float* rays, int nrays, const cv::Mat& typeArgmax,
                                           const StarDistNmsParams& params, int threads)
{
    if (typeArgmax.type() != CV_8UC1 || typeArgmax.size() != prob.size())
        throw std::invalid_argument("post-processing: the type map must be a CV_8U argmax map of the probability map's size");
    StarDistPostprocResult out;
    out.detections = starDistNms(prob, rays, nrays, params);
    out.instanceMap = polygonsToLabel(out.detections, prob.rows, prob.cols);
    out.rawLabels = remapLabels(out.instanceMap);
    out.cells = extractCells(out.instanceMap, typeArgmax, threads);
    return out;
}

} // namespace cellvit
