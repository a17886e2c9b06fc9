#include "inference/pipeline/patch_predictor.h"

#include "inference/model/cellvit_model.h"
#include "inference/postproc/postprocess.h"

#include <ATen/ATen.h>

namespace cellvit {
namespace {

cv::Mat argmapOf(const at::Tensor& logits, int64_t b)
{
    return argmaxOverChannels(logits[b].data_ptr<float>(), static_cast<int>(logits.size(1)),
                              static_cast<int>(logits.size(2)), static_cast<int>(logits.size(3)));
}

cv::Mat channelMap(const at::Tensor& maps, int64_t b, int64_t channel)
{
    return cv::Mat(static_cast<int>(maps.size(2)), static_cast<int>(maps.size(3)), CV_32F,
                   maps[b][channel].data_ptr<float>())
        .clone();
}

} // namespace

std::vector<PatchPrediction> ModelPredictor::predictUnlessCancelled(const std::vector<cv::Mat>& rgbPatches,
                                                                    const std::vector<PatchSpec>& /*patches*/,
                                                                    const CancellationCheck& isCancelled) const
{
    std::vector<at::Tensor> inputs;
    inputs.reserve(rgbPatches.size());
    for (const cv::Mat& rgb : rgbPatches)
        inputs.push_back(m_model.normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step)));
    const ModelOutputs out = m_model.forward(at::cat(inputs, 0), isCancelled);
    std::vector<PatchPrediction> predictions(rgbPatches.size());
    for (size_t b = 0; b < rgbPatches.size(); ++b) {
        const auto i = static_cast<int64_t>(b);
        PatchPrediction& p = predictions[b];
        p.npArgmax = argmapOf(out.nucleiBinaryMap, i);
        p.typeArgmax = argmapOf(out.nucleiTypeMap, i);
        p.hx = channelMap(out.hvMap, i, 0);
        p.hy = channelMap(out.hvMap, i, 1);
        const at::Tensor tokens = out.tokens[i].contiguous();
        p.tokenDim = static_cast<int>(tokens.size(0));
        p.tokenRows = static_cast<int>(tokens.size(1));
        p.tokenCols = static_cast<int>(tokens.size(2));
        p.tokens.assign(tokens.data_ptr<float>(), tokens.data_ptr<float>() + tokens.numel());
    }
    return predictions;
}

} // namespace cellvit
