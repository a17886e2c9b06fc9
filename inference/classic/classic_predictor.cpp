#include "inference/classic/classic_predictor.h"

#include "inference/targets/hv_target.h"

#include <opencv2/core.hpp>
#include <stdexcept>

namespace cellvit::classic {

ClassicPredictor::ClassicPredictor(double patchMpp, ClassicParams params)
    : m_patchMpp(patchMpp)
    , m_params(std::move(params))
{
    if (!(patchMpp > 0))
        throw std::invalid_argument("classic predictor: µm per pixel must be positive");
}

PatchPrediction ClassicPredictor::predictOne(const cv::Mat& rgb) const
{
    const cv::Mat instances = detectNuclei(rgb, m_patchMpp, m_params);
    PatchPrediction p;
    p.npArgmax = instances > 0;
    p.npArgmax /= 255;
    p.typeArgmax = p.npArgmax.clone(); // one class: "Nucleus"
    const HvTarget hv = instanceHvTarget(instances);
    p.hx = hv.x;
    p.hy = hv.y;
    return p;
}

std::vector<PatchPrediction> ClassicPredictor::predict(
    const std::vector<cv::Mat>& rgbPatches, const std::vector<PatchSpec>&) const
{
    std::vector<PatchPrediction> out;
    out.reserve(rgbPatches.size());
    for (const cv::Mat& rgb : rgbPatches)
        out.push_back(predictOne(rgb));
    return out;
}

} // namespace cellvit::classic
