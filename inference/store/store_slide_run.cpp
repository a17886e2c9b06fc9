#include "inference/store/store_slide_run.h"

#include "inference/store/store_thread.h"

#include <algorithm>
#include <cmath>

namespace cellvit {
namespace {

bool sameGrid(const PatchGrid& a, const PatchGrid& b)
{
    const auto close = [](double x, double y) { return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(x)); };
    return a.patchSize == b.patchSize && a.overlap == b.overlap && close(a.scale, b.scale)
        && close(a.levelOrigin.x, b.levelOrigin.x) && close(a.levelOrigin.y, b.levelOrigin.y);
}

} // namespace

StoreRunResult runSlideSegmentationIntoStore(const SlideRunRequest& request, const StoreRunOptions& options,
    const ProgressCallback& progress, const std::atomic<bool>* cancel)
{
    // Opened once the plan holds patches, as the run begins. On a thread of its own: finished patches arrive from
    // the pipeline's workers, and a SQLite connection must stay on the thread that opened it.
    std::optional<ProjectStoreThread> store;
    StoreRunResult out;
    SlideRunRequest storeRequest = request;
    // Runs once the plan is known: a new run is recorded with the plan's grid, a resumed one gives back the
    // patches it already holds.
    storeRequest.replayFinishedPatches = [&](const TilePlan& plan, const SlideRunRequest::FinishedPatchSink& sink) {
        store.emplace(options.storeFile);
        if (!options.resumeRun) {
            RunMeta meta = options.meta;
            meta.grid = plan.grid;
            meta.mergeMode = request.mergeMode;
            meta.patchesTotal = static_cast<int>(plan.patches.size());
            meta.parameters["mpp"] = request.slideMpp; // the resolution the run worked from, whoever started it
            out.runId = store->call([&](ProjectStore& s) { return s.beginRun(meta); });
            return;
        }
        const auto record = store->call([&](ProjectStore& s) { return s.run(*options.resumeRun); });
        if (!record)
            throw StoreError(
                options.storeFile.string() + ": no run " + std::to_string(*options.resumeRun) + " to resume");
        if (!sameGrid(record->meta.grid, plan.grid) || record->meta.mergeMode != request.mergeMode)
            throw StoreError(options.storeFile.string() + ": run " + std::to_string(*options.resumeRun)
                + " was planned with another patch grid or merge mode and cannot be resumed with these settings");
        out.runId = *options.resumeRun;
        store->call([&](ProjectStore& s) {
            s.finishRun(out.runId, RunStatus::Running); // a cancelled run that is resumed runs again
            s.loadPatches(out.runId, sink); // merged by the sink, one patch at a time, on the store's thread
        });
    };
    storeRequest.onPatchFinished
        = [&](const PatchResult& r) { store->call([&](ProjectStore& s) { s.addPatch(out.runId, r); }); };
    try {
        out.run = runSlideSegmentation(storeRequest, progress, cancel);
    } catch (...) {
        try {
            if (out.runId != 0)
                store->call([&](ProjectStore& s) { s.finishRun(out.runId, RunStatus::Failed); });
        } catch (const StoreError&) {
            // the original error says more
        }
        throw;
    }
    const RunStatus status = out.run.complete ? RunStatus::Finished : RunStatus::Cancelled;
    store->call([&](ProjectStore& s) { s.finishRun(out.runId, status); });
    return out;
}

} // namespace cellvit
