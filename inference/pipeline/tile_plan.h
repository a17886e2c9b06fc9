#pragma once
// Which 1024² patches of a slide to run, and how each maps to level-0 pixels (reference §4.1–4.2:
// stride 960, overlap 64, patch (row, col) starts at model pixel (col·960 − 32, row·960 − 32)).

#include "inference/merge/patch_grid.h"
#include "inference/pipeline/region.h"
#include "inference/pipeline/tissue_mask.h"
#include "inference/slide/slide_source.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace cellvit {

struct PatchSpec {
    int row = 0, col = 0;
    int64_t originX = 0, originY = 0; // level-0 pixel of patch pixel (0, 0) (may be negative: white padding)
    PatchIndex index() const { return { row, col }; }
};

struct TilePlan {
    double slideMpp = 0;  // level-0 µm/px
    double modelMpp = 0;  // µm/px the network expects (0.25 at x40, 0.5 at x20)
    bool native = true;   // slide read as is (within the reference's native band): scale 1
    PatchGrid grid;       // the reference grid; grid.scale = level-0 pixels per patch pixel
    int readLevel = 0;    // pyramid level the patches are read from
    int gridRows = 0, gridCols = 0; // patch grid over the whole slide
    std::vector<PatchSpec> patches; // the patches to run, row-major

    double scale() const { return grid.scale; }
    // Level-0 coordinates of a patch-local point (pixel centres, see PatchGrid::toLevel0: no shift).
    cv::Point2d toLevel0(const PatchSpec& patch, const cv::Point2d& local) const
    {
        return grid.toLevel0(patch.index(), local);
    }
    cv::Rect2d level0Rect(const PatchSpec& patch) const
    {
        return { static_cast<double>(patch.originX), static_cast<double>(patch.originY), grid.patchSize * scale(),
                 grid.patchSize * scale() };
    }
};

struct TilePlanOptions {
    double minTissueFraction = 0.01; // the reference keeps patches with ≥ 1 % tissue
    const RegionOfInterest* region = nullptr; // nullptr = whole slide
    const TissueMask* tissue = nullptr;       // nullptr = run every patch in the region
    // A region whose bounding box fits inside one patch's inner area (patchSize − 2 × overlap model px) gets
    // one patch centred on it instead of the 1–4 patches of the slide's grid it straddles: every nucleus in
    // it is then at least one overlap band away from the patch border, so no merge is needed (issue #18).
    bool onePatchForSmallRegion = true;
    // A slide no larger than one patch plus its overlap bands (model pixels, e.g. a 256² tile or a 1000² field)
    // runs as one square patch of its own size (rounded up to the 16-px token, at least 256²) from its top-left
    // corner, instead of the grid's 1–4 patches that are mostly white padding: the network sees the image as
    // PanNuke / CoNSeP evaluation feeds it, and its attention is not spread over white (docs/architecture.md).
    bool onePatchForSmallSlide = true;
};

// slideMpp: resolved level-0 resolution; modelMpp: the network's. A one-patch plan (see TilePlanOptions) is a
// 1 × 1 grid whose levelOrigin puts patch (0, 0) around the region. A slide within ±20 % of the model's
// resolution (0.20–0.30 µm/px for x40, as the reference) is read natively; otherwise patches are read from
// the best pyramid level and resampled, with coordinates mapped back to level 0 exactly (no shift). A one-patch
// plan for a small slide (TilePlanOptions::onePatchForSmallSlide) has grid.patchSize below or a little above 1024.
TilePlan planTiles(const SlideSource& slide, double slideMpp, double modelMpp, const TilePlanOptions& options = {});

// The patch as the network sees it: grid.patchSize² RGB, white outside the slide.
cv::Mat readPatch(const SlideSource& slide, const TilePlan& plan, const PatchSpec& patch);

} // namespace cellvit
