#include "inference/store/store_slide_run.h"

#include "inference/pipeline/batch_size.h"
#include "inference/postproc/postproc_params.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace cellvit {

StoreRunResult runSlideSegmentationIntoStore(const SlideRunRequest& request, const StoreRunOptions& options,
    const ProgressCallback& progress, const std::atomic<bool>* cancel)
{
    if (!request.slide || !(request.model || (request.predictor && request.spec)))
        throw std::invalid_argument(
            "runSlideSegmentationIntoStore needs a slide and a model (or a predictor and a spec)");
    const auto start = std::chrono::steady_clock::now();
    const SlideSource& slide = *request.slide;
    const ModelSpec& spec = request.model ? request.model->spec() : *request.spec;
    if (!request.region.empty() && request.region.area() <= 0)
        throw RunError("the region is empty (zero area)");

    std::optional<TissueMask> tissue;
    if (request.skipBackground)
        tissue = computeTissueMask(slide);
    TilePlanOptions planOptions;
    planOptions.region = request.region.empty() ? nullptr : &request.region;
    planOptions.tissue = tissue ? &*tissue : nullptr;
    StoreRunResult out;
    SlideRunResult& result = out.run;
    result.plan = planTiles(slide, request.slideMpp, spec.targetMpp(), planOptions);
    if (result.plan.patches.empty())
        throw RunError(request.region.empty() ? "no tissue found on the slide (every patch is background)"
                                              : "the region holds no tissue or lies outside the slide");

    ProjectStore store(options.storeFile);
    std::vector<PatchSpec> todo = result.plan.patches;
    if (options.resumeRun) {
        out.runId = *options.resumeRun;
        const auto record = store.run(out.runId);
        if (!record)
            throw StoreError(options.storeFile.string() + ": no run " + std::to_string(out.runId) + " to resume");
        std::set<PatchIndex> done;
        for (const auto& p : store.finishedPatches(out.runId))
            done.insert(p.index());
        result.patchesResumed = done.size();
        todo.erase(
            std::remove_if(todo.begin(), todo.end(), [&](const PatchSpec& p) { return done.count(p.index()) > 0; }),
            todo.end());
        store.finishRun(out.runId, RunStatus::Running); // a cancelled run that is resumed runs again
    } else {
        RunMeta meta = options.meta;
        meta.grid = result.plan.grid;
        meta.mergeMode = request.mergeMode;
        meta.patchesTotal = static_cast<int>(result.plan.patches.size());
        out.runId = store.beginRun(meta);
    }

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
        modelPredictor.emplace(*request.model);
    const PatchPredictor& predictor = request.predictor ? *request.predictor : *modelPredictor;
    SegmenterOptions segmenter = request.segmenter;
    if (segmenter.batchSize <= 0 && request.model) {
        result.autoBatch = chooseBatchSizeFor(*request.model, todo.size());
        segmenter.batchSize = result.autoBatch->batchSize;
    }
    segmenter.batchSize = std::max(1, segmenter.batchSize);
    result.batchSize = segmenter.batchSize;
    try {
        result.complete = segmentPatches(
            slide, result.plan, todo, predictor, PostprocParams::forMagnification(spec.magnification), segmenter,
            [&](PatchResult&& r) {
                store.addPatch(out.runId, r);
                result.embeddingDim = std::max(result.embeddingDim, r.embeddingDim);
                ++result.patchesRun;
            },
            reportProgress, cancel);
    } catch (...) {
        try {
            store.finishRun(out.runId, RunStatus::Failed);
        } catch (const StoreError&) {
            // the original error says more
        }
        throw;
    }
    store.finishRun(out.runId, result.complete ? RunStatus::Finished : RunStatus::Cancelled);

    result.cells = store.loadCells(out.runId);
    if (!request.region.empty()) {
        result.cells.erase(std::remove_if(result.cells.begin(), result.cells.end(),
                               [&](const SlideCell& c) { return !request.region.contains(c.centroid); }),
            result.cells.end());
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace cellvit
