#include "inference/postproc/postprocess.h"

#include "inference/postproc/cell_extraction.h"
#include "inference/postproc/instance_segmentation.h"

#include <stdexcept>

namespace cellvit {

PostprocResult postprocess(const cv::Mat& npArgmax, const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& typeArgmax,
    const PostprocParams& params, int threads)
{
    if (typeArgmax.type() != CV_8UC1 || typeArgmax.size() != npArgmax.size())
        throw std::invalid_argument("post-processing: the type map must be a CV_8U argmax map of the NP map's size");
    InstanceSegmentation segmentation = segmentInstances(npArgmax, hx, hy, params, threads);
    PostprocResult out;
    out.cells = extractCells(segmentation.instanceMap, typeArgmax, segmentation.boxes, threads);
    out.instanceMap = std::move(segmentation.instanceMap);
    out.rawLabels = std::move(segmentation.rawLabels);
    return out;
}

cv::Mat argmaxOverChannels(const float* data, int channels, int rows, int cols)
{
    if (channels < 1 || channels > 256 || rows < 1 || cols < 1)
        throw std::invalid_argument("argmaxOverChannels: need 1..256 channels and a non-empty map");
    cv::Mat out(rows, cols, CV_8U);
    const size_t plane = static_cast<size_t>(rows) * cols;
    uint8_t* best = out.ptr<uint8_t>();
    std::vector<float> bestValue(data, data + plane);
    std::fill(best, best + plane, uint8_t(0));
    for (int ch = 1; ch < channels; ++ch) {
        const float* p = data + ch * plane;
        for (size_t i = 0; i < plane; ++i) {
            // np.argmax: the first maximum wins, NaN counts as the maximum.
            if (p[i] > bestValue[i] || (p[i] != p[i] && bestValue[i] == bestValue[i])) {
                bestValue[i] = p[i];
                best[i] = static_cast<uint8_t>(ch);
            }
        }
    }
    return out;
}

} // namespace cellvit
