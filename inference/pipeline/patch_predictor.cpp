#include "inference/pipeline/patch_predictor.h"

#include "inference/model/cellvit_model.h"

#include <ATen/ATen.h>
#include <cstring>
#include <stdexcept>

namespace cellvit {
namespace {

cv::Mat planeOf(const at::Tensor& maps, int type)
{
    return cv::Mat(static_cast<int>(maps.size(0)), static_cast<int>(maps.size(1)), type, maps.data_ptr()).clone();
}

} // namespace

std::vector<PatchPrediction> ModelPredictor::predictUnlessCancelled(const std::vector<cv::Mat>& rgbPatches,
    const std::vector<PatchSpec>& /*patches*/, const CancellationCheck& isCancelled) const
{
    if (rgbPatches.empty())
        return {};
    const int rows = rgbPatches.front().rows, cols = rgbPatches.front().cols;
    at::Tensor batch = m_model.hostBatch(static_cast<int64_t>(rgbPatches.size()), rows, cols);
    auto* out = batch.data_ptr<uint8_t>();
    for (const cv::Mat& rgb : rgbPatches) {
        if (rgb.type() != CV_8UC3 || rgb.rows != rows || rgb.cols != cols)
            throw std::invalid_argument("ModelPredictor: patches of one batch must be RGB images of one size");
        for (int r = 0; r < rows; ++r, out += static_cast<size_t>(cols) * 3)
            std::memcpy(out, rgb.ptr<uint8_t>(r), static_cast<size_t>(cols) * 3);
    }
    const SegmentationMaps maps = m_model.segmentationForward(batch, isCancelled, m_mapOptions);
    std::vector<PatchPrediction> predictions(rgbPatches.size());
    for (size_t b = 0; b < rgbPatches.size(); ++b) {
        const auto i = static_cast<int64_t>(b);
        PatchPrediction& p = predictions[b];
        p.typeArgmax = planeOf(maps.nucleiTypeArgmax[i], CV_8U);
        if (maps.rays.defined()) {
            p.objectProbability = planeOf(maps.objectProbability[i], CV_32F);
            const at::Tensor rays = maps.rays[i].contiguous();
            p.nrays = static_cast<int>(rays.size(0));
            p.rays.assign(rays.data_ptr<float>(), rays.data_ptr<float>() + rays.numel());
        } else {
            p.npArgmax = planeOf(maps.nucleiBinaryArgmax[i], CV_8U);
            p.hx = planeOf(maps.hvMap[i][0], CV_32F);
            p.hy = planeOf(maps.hvMap[i][1], CV_32F);
        }
        const at::Tensor tokens = maps.tokens[i].contiguous();
        p.tokenDim = static_cast<int>(tokens.size(0));
        p.tokenRows = static_cast<int>(tokens.size(1));
        p.tokenCols = static_cast<int>(tokens.size(2));
        p.tokens.assign(tokens.data_ptr<float>(), tokens.data_ptr<float>() + tokens.numel());
    }
    return predictions;
}

} // namespace cellvit
