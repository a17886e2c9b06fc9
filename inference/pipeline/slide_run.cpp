#include "inference/pipeline/slide_run.h"

#include "inference/pipeline/batch_size.h"
#include "inference/model/freed_memory.h"
#include "inference/postproc/postproc_params.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>

namespace cellvit {
namespace {

// Embeddings stay with their patch until the merge has decided which cells survive.
struct PatchEmbeddings {
    std::vector<int> cellIds; // ascending (post-processing order)
    std::vector<float> values;
    int dim = 0;
};

} // namespace

SlideRunResult runSlideSegmentation(const SlideRunRequest& request, const ProgressCallback& progress,
                                    const std::atomic<bool>* cancel)
{
    // The allocator keeps freed tensor pages for the next patch; after the run nothing reuses them.
    const ReleaseFreedMemoryOnExit releaseAtEnd;
    if (!request.slide || !(request.model || (request.predictor && request.spec)))
        throw std::invalid_argument("runSlideSegmentation needs a slide and a model (or a predictor and a model spec)");
    const auto start = std::chrono::steady_clock::now();
    const SlideSource& slide = *request.slide;
    const ModelSpec& spec = request.model ? request.model->spec() : *request.spec;
    PostprocParams params = PostprocParams::forMagnification(spec.magnification);
    if (request.model && !request.predictor && !spec.isStarDistFamily()) {
        try {
            params = PostprocParams::forModel(
                spec.magnification, request.postprocMagnification > 0 ? request.postprocMagnification : spec.magnification);
        } catch (const std::invalid_argument& e) {
            throw RunError(e.what());
        }
    }
    if (request.flipAveraging && (!request.model || request.predictor || spec.isStarDistFamily()))
        throw RunError("test-time flips need a network with a HoVer-Net decoder (not STARDIST, CPP-Net or the "
                       "classic engine)");
    // A freehand ROI that crosses itself (QuPath allows it) is repaired into its valid parts; a bow-tie's two
    // triangles would otherwise cancel out to zero area.
    const RegionOfInterest region = request.region.repaired();
    if (!request.region.empty() && region.area() <= 0)
        throw RunError("the region is empty (zero area)");
    const auto& level0 = slide.levels().front();
    if (!region.empty() && !region.intersects(cv::Rect2d(0, 0, double(level0.width), double(level0.height)))) {
        const cv::Rect2d box = region.boundingBox();
        throw RunError("the region lies outside the slide (region x " + std::to_string(int64_t(box.x)) + "–"
            + std::to_string(int64_t(box.x + box.width)) + ", y " + std::to_string(int64_t(box.y)) + "–"
            + std::to_string(int64_t(box.y + box.height)) + "; the slide is " + std::to_string(level0.width) + " × "
            + std::to_string(level0.height) + " px)");
    }

    std::optional<TissueMask> tissue;
    if (request.skipBackground)
        tissue = computeTissueMask(slide);
    TilePlanOptions planOptions;
    planOptions.region = region.empty() ? nullptr : &region;
    planOptions.tissue = tissue ? &*tissue : nullptr;
    planOptions.onePatchForSmallRegion = request.onePatchForSmallRegion;
    planOptions.onePatchForSmallSlide = request.onePatchForSmallSlide;
    SlideRunResult result;
    result.plan = planTiles(slide, request.slideMpp, spec.targetMpp(), planOptions);
    if (result.plan.patches.empty())
        throw RunError(region.empty() ? "no tissue found on the slide (every patch is background)"
                                      : "no tissue found in the region (every patch is background)");

    std::vector<SlideCell> cells;
    SlideCellMerger merger(result.plan.grid, request.mergeMode, [&](SlideCell&& c) { cells.push_back(std::move(c)); });
    std::map<PatchIndex, PatchEmbeddings> embeddings;
    if (request.embeddingSpill)
        result.spilledEmbeddings = std::make_shared<EmbeddingSpill>(*request.embeddingSpill, request.embeddingPrecision);
    auto accept = [&](PatchResult&& r) {
        merger.addPatch(r.patch.index(), r.cells);
        result.embeddingDim = std::max(result.embeddingDim, r.embeddingDim);
        if (result.spilledEmbeddings) {
            result.spilledEmbeddings->addPatch(r.patch.index(), r.cells, r.embeddingDim, r.embeddings);
            return;
        }
        PatchEmbeddings& e = embeddings[r.patch.index()];
        e.dim = r.embeddingDim;
        e.values = std::move(r.embeddings);
        for (const auto& c : r.cells)
            e.cellIds.push_back(c.id);
    };

    // Finished patches are replayed one at a time: a resumed run holds no more than a fresh one. A record of a
    // patch the plan does not hold (another plan of the same index, e.g. the grid's patch (0, 0) before a
    // one-patch plan) is not this run's and is ignored.
    std::set<PatchIndex> done;
    std::map<PatchIndex, cv::Point2d> planned;
    for (const PatchSpec& p : result.plan.patches)
        planned[p.index()] = cv::Point2d(static_cast<double>(p.originX), static_cast<double>(p.originY));
    auto acceptFinished = [&](PatchResult&& r) {
        const auto it = planned.find(r.patch.index());
        if (it == planned.end() || it->second != cv::Point2d(static_cast<double>(r.patch.originX), static_cast<double>(r.patch.originY)))
            return;
        if (done.insert(r.patch.index()).second) {
            result.patchesDone.push_back(r.patch);
            accept(std::move(r));
        }
    };
    if (request.replayFinishedPatches)
        request.replayFinishedPatches(result.plan, acceptFinished);
    result.patchesResumed = done.size();
    std::vector<PatchSpec> todo = result.plan.patches;
    todo.erase(std::remove_if(todo.begin(), todo.end(), [&](const PatchSpec& p) { return done.count(p.index()) > 0; }),
               todo.end());

    ProgressCallback reportProgress;
    if (progress) {
        const size_t resumed = result.patchesResumed;
        reportProgress = [&, resumed](const SegmentProgress& p) {
            SegmentProgress overall = p;
            overall.patchesDone += resumed;
            overall.patchesTotal += resumed;
            progress(overall);
        };
    }
    std::optional<ModelPredictor> modelPredictor;
    if (!request.predictor)
        modelPredictor.emplace(*request.model, MapOptions { params.mapScale, request.flipAveraging });
    const PatchPredictor& predictor = request.predictor ? *request.predictor : *modelPredictor;
    SegmenterOptions segmenter = request.segmenter;
    if (segmenter.batchSize <= 0 && request.model) {
        result.autoBatch = chooseBatchSizeFor(*request.model, todo.size());
        segmenter.batchSize = result.autoBatch->batchSize;
    }
    segmenter.batchSize = std::max(1, segmenter.batchSize); // no network: its memory estimate does not apply
    result.batchSize = segmenter.batchSize;
    result.complete = segmentPatches(slide, result.plan, todo, predictor, params, segmenter,
                                     [&](PatchResult&& r) {
                                         if (request.onPatchFinished)
                                             request.onPatchFinished(r);
                                         result.patchesDone.push_back(r.patch);
                                         accept(std::move(r));
                                         ++result.patchesRun;
                                     },
                                     reportProgress, cancel);
    merger.finish();
    result.mergeStats = merger.stats();

    // Reference order, region filter (by centroid), and each survivor's embedding.
    std::sort(cells.begin(), cells.end(), [](const SlideCell& a, const SlideCell& b) { return a.sequence < b.sequence; });
    if (!region.empty()) {
        cells.erase(std::remove_if(cells.begin(), cells.end(),
                                   [&](const SlideCell& c) { return !region.contains(c.centroid); }),
                    cells.end());
    }
    // Cells come patch by patch (sequence order), so each patch's buffer is freed once its cells have their
    // rows: the embeddings are never held twice.
    std::optional<PatchIndex> previous;
    for (auto& c : cells) {
        if (previous && *previous != c.patch)
            embeddings.erase(*previous);
        previous = c.patch;
        const auto found = embeddings.find(c.patch);
        if (found == embeddings.end())
            continue;
        const PatchEmbeddings& e = found->second;
        const auto it = std::lower_bound(e.cellIds.begin(), e.cellIds.end(), c.patchCellId);
        if (it == e.cellIds.end() || *it != c.patchCellId || e.dim == 0)
            continue; // no tokens were recorded for this patch
        const auto row = static_cast<size_t>(it - e.cellIds.begin());
        c.embedding.assign(e.values.begin() + static_cast<std::ptrdiff_t>(row * e.dim),
                           e.values.begin() + static_cast<std::ptrdiff_t>((row + 1) * e.dim));
    }
    result.cells = std::move(cells);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace cellvit
