#pragma once
// Which 1024² patches of a slide to run, and how each maps to level-0 pixels (reference §4.1–4.2:
// stride 960, overlap 64, patch (row, col) starts at model pixel (col·960 − 32, row·960 − 32)).

#include "inference/pipeline/region.h"
#include "inference/pipeline/tissue_mask.h"
#include "inference/slide/slide_source.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace cellvit {

struct PatchSpec {
    int row = 0, col = 0;
    int64_t originX = 0, originY = 0; // level-0 pixel of patch pixel (0, 0) (may be negative: white padding)
};

struct TilePlan {
    static constexpr int kPatchSize = 1024;
    static constexpr int kOverlap = 64;
    static constexpr int kStride = kPatchSize - kOverlap;

    double slideMpp = 0;  // level-0 µm/px
    double modelMpp = 0;  // µm/px the network expects (0.25 at x40, 0.5 at x20)
    bool native = true;   // slide read as is (within the reference's native band): scale 1
    double scale = 1;     // level-0 pixels per patch pixel (exact for every patch, see readPatch)
    int readLevel = 0;    // pyramid level the patches are read from
    int gridRows = 0, gridCols = 0; // patch grid over the whole slide
    std::vector<PatchSpec> patches; // the patches to run, row-major

    // Level-0 coordinates of a patch-local point (x, y in patch pixels). Pixel indices denote pixel
    // centres in both spaces, so the centre of patch pixel p lies at level-0 (p + ½)·scale − ½: with
    // scale 2, patch pixel 0 covers level-0 pixels 0 and 1 and maps to 0.5, not 0 (no half-pixel shift).
    cv::Point2d toLevel0(const PatchSpec& patch, const cv::Point2d& local) const
    {
        return { patch.originX + (local.x + 0.5) * scale - 0.5, patch.originY + (local.y + 0.5) * scale - 0.5 };
    }
    cv::Rect2d level0Rect(const PatchSpec& patch) const
    {
        return { static_cast<double>(patch.originX), static_cast<double>(patch.originY), kPatchSize * scale,
                 kPatchSize * scale };
    }
};

struct TilePlanOptions {
    double minTissueFraction = 0.01; // the reference keeps patches with ≥ 1 % tissue
    const RegionOfInterest* region = nullptr; // nullptr = whole slide
    const TissueMask* tissue = nullptr;       // nullptr = run every patch in the region
};

// slideMpp: resolved level-0 resolution; modelMpp: the network's. A slide within ±20 % of the model's
// resolution (0.20–0.30 µm/px for x40, as the reference) is read natively; otherwise patches are read from
// the best pyramid level and resampled, with coordinates mapped back to level 0 exactly (no shift).
TilePlan planTiles(const SlideSource& slide, double slideMpp, double modelMpp, const TilePlanOptions& options = {});

// The patch as the network sees it: kPatchSize² RGB, white outside the slide.
cv::Mat readPatch(const SlideSource& slide, const TilePlan& plan, const PatchSpec& patch);

} // namespace cellvit
