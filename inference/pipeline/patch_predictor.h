#pragma once
// What the tile pipeline needs from a network: per RGB patch, the type argmax, the maps of its decoder (HoVer-Net:
// NP argmax and HV maps; STARDIST / CPP-Net: object probability and rays) and the token grid. CellVitModel is the real implementation; tests can plug in an oracle built from ground truth to
// check tiling, coordinates and merging end to end.

#include "inference/model/inference_cancelled.h"
#include "inference/model/map_options.h"
#include "inference/pipeline/tile_plan.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace cellvit {

class CellVitModel;

// HoVer-Net decoders fill npArgmax, hx, hy; STARDIST / CPP-Net decoders objectProbability and rays.
struct PatchPrediction {
    cv::Mat npArgmax, typeArgmax; // CV_8U: nucleus (1) / background (0); class id per pixel
    cv::Mat hx, hy;               // CV_32F horizontal / vertical distance maps
    cv::Mat objectProbability;    // CV_32F sigmoid of dist_map
    std::vector<float> rays;      // nrays × H × W ray lengths fed to the NMS (refined for CPP-Net)
    int nrays = 0;
    std::vector<float> tokens;    // tokenDim × tokenRows × tokenCols, row-major (may be empty)
    int tokenDim = 0, tokenRows = 0, tokenCols = 0;
};

class PatchPredictor {
public:
    virtual ~PatchPredictor() = default;
    // One prediction per RGB (CV_8UC3) patch, same order; `patches` says where each lies on the slide.
    // Called from one thread at a time.
    virtual std::vector<PatchPrediction> predict(const std::vector<cv::Mat>& rgbPatches,
                                                 const std::vector<PatchSpec>& patches) const = 0;
    // predict() that stops early: once `isCancelled` returns true it throws InferenceCancelled and returns
    // nothing for the batch. The default asks once before predicting (enough for quick predictors); the
    // network asks between its stages, so a cancel does not wait for a whole forward pass.
    virtual std::vector<PatchPrediction> predictUnlessCancelled(const std::vector<cv::Mat>& rgbPatches,
                                                                const std::vector<PatchSpec>& patches,
                                                                const CancellationCheck& isCancelled) const
    {
        throwIfCancelled(isCancelled);
        return predict(rgbPatches, patches);
    }
};

// The network: normalisation, batched forward pass, argmax of the class maps.
class ModelPredictor : public PatchPredictor {
public:
    // mapOptions: see CellVitModel::segmentationForward (upsampling 2 for maps post-processed at twice the
    // model's magnification, PostprocParams::mapScale).
    explicit ModelPredictor(const CellVitModel& model, const MapOptions& mapOptions = {})
        : m_model(model)
        , m_mapOptions(mapOptions)
    {
    }
    std::vector<PatchPrediction> predict(const std::vector<cv::Mat>& rgbPatches,
                                         const std::vector<PatchSpec>& patches) const override
    {
        return predictUnlessCancelled(rgbPatches, patches, {});
    }
    std::vector<PatchPrediction> predictUnlessCancelled(const std::vector<cv::Mat>& rgbPatches,
                                                        const std::vector<PatchSpec>& patches,
                                                        const CancellationCheck& isCancelled) const override;

private:
    const CellVitModel& m_model;
    MapOptions m_mapOptions;
};

} // namespace cellvit
