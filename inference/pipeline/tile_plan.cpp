#include "inference/pipeline/tile_plan.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>

namespace cellvit {
namespace {

constexpr double kNativeBand = 0.2; // relative deviation from the model's mpp read without resampling
constexpr int kTokenSize = 16; // patch sides must be multiples of the encoder's token size
// The smallest one-patch side: the 256² tiles CellViT models are trained on (PanNuke, CoNSeP). A smaller tile is
// padded to it: a 128² input (a 40× tile for a 20× model) would squeeze the position embeddings into 8 × 8 tokens.
constexpr int kMinimumSide = 256;

// The side (model px) of the one patch that covers a slide of modelWidth × modelHeight model pixels, when the slide
// is no larger than a grid patch plus its overlap bands; 0 otherwise.
int smallSlidePatchSide(const PatchGrid& grid, double modelWidth, double modelHeight)
{
    const double longer = std::max(modelWidth, modelHeight);
    if (longer > grid.patchSize + 2 * grid.overlap)
        return 0;
    const int side = kTokenSize * static_cast<int>(std::ceil(longer / kTokenSize));
    return std::max(side, kMinimumSide);
}

bool fitsOnePatch(const TilePlan& plan, const cv::Rect2d& regionBox)
{
    const double inner = (plan.grid.patchSize - 2 * plan.grid.overlap) * plan.scale(); // level-0 px
    return regionBox.width <= inner && regionBox.height <= inner;
}

// One patch whose pixel (0, 0) lies at the whole level-0 pixel `origin`, run when it meets `regionBox`: the
// grid's origin moves there.
void planOnePatchAt(TilePlan& plan, const SlideSource& slide, const cv::Point2d& origin, const cv::Rect2d& regionBox)
{
    const cv::Point first = plan.grid.patchOriginInLevel({ 0, 0 });
    plan.grid.levelOrigin = { origin.x - std::round(plan.scale() * first.x), origin.y - std::round(plan.scale() * first.y) };
    plan.gridRows = plan.gridCols = 1;
    const auto& level0 = slide.levels().front();
    const cv::Rect2d slideRect(0, 0, static_cast<double>(level0.width), static_cast<double>(level0.height));
    if ((regionBox & slideRect).area() <= 0)
        return; // outside the slide: nothing to run
    PatchSpec patch;
    const cv::Point2d patchOrigin = plan.grid.patchOriginLevel0(patch.index());
    patch.originX = std::llround(patchOrigin.x);
    patch.originY = std::llround(patchOrigin.y);
    plan.patches.push_back(patch);
}

// One patch centred on the region.
void planOnePatch(TilePlan& plan, const SlideSource& slide, const cv::Rect2d& regionBox)
{
    const double side = plan.grid.patchSize * plan.scale();
    const cv::Point2d centre(regionBox.x + regionBox.width / 2, regionBox.y + regionBox.height / 2);
    planOnePatchAt(plan, slide, { std::round(centre.x - side / 2), std::round(centre.y - side / 2) }, regionBox);
}

} // namespace

TilePlan planTiles(const SlideSource& slide, double slideMpp, double modelMpp, const TilePlanOptions& options)
{
    if (!(slideMpp > 0) || !(modelMpp > 0))
        throw std::invalid_argument("tile planning needs positive slide and model resolutions");
    TilePlan plan;
    plan.slideMpp = slideMpp;
    plan.modelMpp = modelMpp;
    plan.native = std::abs(slideMpp - modelMpp) <= kNativeBand * modelMpp;
    const auto& level0 = slide.levels().front();
    const cv::Rect2d slideRect(0, 0, static_cast<double>(level0.width), static_cast<double>(level0.height));
    const double wanted = modelMpp / slideMpp; // level-0 pixels per model pixel, when resampled
    int smallSlideSide = 0;
    if (options.onePatchForSmallSlide) {
        const double perModelPixel = plan.native ? 1.0 : wanted;
        smallSlideSide
            = smallSlidePatchSide(plan.grid, slideRect.width / perModelPixel, slideRect.height / perModelPixel);
        if (smallSlideSide > 0)
            plan.grid.patchSize = smallSlideSide; // before the scale: it is derived from whole level pixels per patch
    }
    if (!plan.native) {
        plan.readLevel = slide.bestLevelForDownsample(wanted);
        const double ds = slide.levels()[static_cast<size_t>(plan.readLevel)].downsample;
        // Read an integer number of level pixels per patch; the scale is derived from it so the
        // patch ↔ level-0 mapping is exact for every patch.
        const double readSide = std::max(1.0, std::round(plan.grid.patchSize * wanted / ds));
        plan.grid.scale = readSide * ds / plan.grid.patchSize;
    }

    const bool hasRegion = options.region && !options.region->empty();
    if (smallSlideSide > 0) {
        // A region on it only filters the cells (by centroid, as always) and, as a small region drawn by the user,
        // is not vetoed by the tissue test; without one a blank tile is reported as such.
        planOnePatchAt(plan, slide, { 0, 0 }, slideRect); // the image's own pixels, white right and below
        if (options.tissue && !hasRegion && !plan.patches.empty()
            && options.tissue->tissueFraction(slideRect) < options.minTissueFraction)
            plan.patches.clear();
        return plan;
    }
    if (hasRegion && options.onePatchForSmallRegion && fitsOnePatch(plan, options.region->boundingBox())) {
        // No tissue test: the user drew this small region, and a coarse thumbnail mask must not veto it (glass
        // gives no cells, not an error). Larger regions still skip background patches of the grid.
        planOnePatch(plan, slide, options.region->boundingBox());
        return plan;
    }

    const double modelWidth = level0.width / plan.scale(), modelHeight = level0.height / plan.scale();
    plan.gridCols = std::max(1, static_cast<int>(std::ceil(modelWidth / plan.grid.stride())));
    plan.gridRows = std::max(1, static_cast<int>(std::ceil(modelHeight / plan.grid.stride())));

    const cv::Rect2d regionBox = hasRegion ? options.region->boundingBox() : slideRect;
    for (int row = 0; row < plan.gridRows; ++row) {
        for (int col = 0; col < plan.gridCols; ++col) {
            PatchSpec patch;
            patch.row = row;
            patch.col = col;
            // Level-0 origin (whole pixels) of model pixel (col·960 − 32, row·960 − 32).
            const cv::Point2d origin = plan.grid.patchOriginLevel0(patch.index());
            patch.originX = std::llround(origin.x);
            patch.originY = std::llround(origin.y);
            const cv::Rect2d rect = plan.level0Rect(patch);
            if ((rect & regionBox).area() <= 0)
                continue;
            if (hasRegion && !options.region->intersects(rect))
                continue;
            if (options.tissue && options.tissue->tissueFraction(rect) < options.minTissueFraction)
                continue;
            plan.patches.push_back(patch);
        }
    }
    return plan;
}

cv::Mat readPatch(const SlideSource& slide, const TilePlan& plan, const PatchSpec& patch)
{
    const int side = plan.grid.patchSize;
    if (plan.native)
        return slide.readRegion(0, patch.originX, patch.originY, side, side);
    const double ds = slide.levels()[static_cast<size_t>(plan.readLevel)].downsample;
    const auto readSide = static_cast<int64_t>(std::llround(side * plan.scale() / ds));
    cv::Mat region = slide.readRegion(plan.readLevel, patch.originX, patch.originY, readSide, readSide);
    cv::Mat out;
    // Area averaging when shrinking avoids aliasing; Lanczos when enlarging (the reference's PIL LANCZOS).
    cv::resize(region, out, cv::Size(side, side), 0, 0, readSide > side ? cv::INTER_AREA : cv::INTER_LANCZOS4);
    return out;
}

} // namespace cellvit
