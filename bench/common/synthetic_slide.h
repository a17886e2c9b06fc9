#pragma once
// A synthetic whole slide and a predictor that draws realistic nuclei on it, for benchmarks that drive the real
// pipeline (post-processing, merge, exports) without slide files or trained weights.
// The predictor draws a dense field of elliptic nuclei on a jittered lattice in slide coordinates (so overlapping
// patches agree): ~1000 per 1024² patch, as the post-processing target assumes.

#include "inference/pipeline/patch_predictor.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cellvit::bench {

constexpr int kLatticeSpacing = 32; // level-0 pixels between nuclei: (1024/32)² ≈ 1000 nuclei per patch

// A square level-0-only slide of `side` pixels at 0.25 µm/px, tissue-coloured with a faint texture.
class SyntheticSlide : public SlideSource {
public:
    explicit SyntheticSlide(int64_t side);
    const std::filesystem::path& path() const override { return m_path; }
    std::string vendor() const override { return "synthetic"; }
    const std::vector<SlideLevel>& levels() const override { return m_levels; }
    std::optional<double> mppX() const override { return 0.25; }
    std::optional<double> mppY() const override { return 0.25; }
    std::optional<double> objectivePower() const override { return 40.0; }
    const std::map<std::string, std::string>& properties() const override { return m_properties; }
    std::vector<std::string> associatedImageNames() const override { return {}; }
    cv::Mat readAssociatedImage(const std::string&) const override { return {}; }
    cv::Mat readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const override;

private:
    std::filesystem::path m_path = "synthetic-slide";
    std::vector<SlideLevel> m_levels;
    std::map<std::string, std::string> m_properties;
};

// Maps of the lattice nuclei inside each patch of a slide `slideSide` pixels wide, with `tokenDim`-wide tokens
// whose values encode the patch.
class LatticePredictor : public PatchPredictor {
public:
    LatticePredictor(int tokenDim, int64_t slideSide);
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override;

private:
    int m_dim;
    int64_t m_slideSide;
};

// A run over every patch of `slide` (no tissue detection) with `predictor` standing in for `model`'s forward pass.
SlideRunRequest syntheticRunRequest(const SyntheticSlide& slide, const CellVitModel& model,
    const PatchPredictor& predictor, int batchSize, int postprocThreads);

} // namespace cellvit::bench
