#pragma once
// The classic detector behind the pipeline's PatchPredictor seam: each patch's instance map is turned into
// the maps a network would give (NP from the mask, HV from the instances as the training targets are made,
// one nucleus class), so HoVer-Net post-processing, tiling, the overlap merge and every export run unchanged.
// No token grid: classic cells carry no embedding.

#include "inference/classic/classic_detector.h"
#include "inference/pipeline/patch_predictor.h"

namespace cellvit::classic {

class ClassicPredictor : public PatchPredictor {
public:
    // patchMpp: µm per pixel of the patches the pipeline hands over (the plan's target resolution).
    ClassicPredictor(double patchMpp, ClassicParams params = {});
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgbPatches, const std::vector<PatchSpec>& patches) const override;

    // The maps of one patch (also for tests).
    PatchPrediction predictOne(const cv::Mat& rgb) const;

private:
    double m_patchMpp;
    ClassicParams m_params;
};

} // namespace cellvit::classic
