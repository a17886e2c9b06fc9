#pragma once
// runSlideSegmentation with the project store keeping its finished patches: every finished patch is committed to the store
// (one transaction) as it arrives (SlideRunRequest::onPatchFinished), and a run that the store holds unfinished
// resumes with the patches it lacks (SlideRunRequest::replayFinishedPatches). Stored patches are replayed
// bit for bit, so the result's cells are those that reopening the slide restores (ProjectStore::loadCells).
// The store holds the embeddings too; a request's embedding spill is still honoured, so a caller that writes
// embeddings.npy (the CLI) does not hold a whole slide's embeddings in memory.
//
// The store file gets a connection of its own on a thread of its own (ProjectStoreThread: a QSqlDatabase
// connection belongs to one thread, and patches finish on the pipeline's workers), so this can run on a worker
// thread while the GUI holds its own connection to the same file (WAL allows both).

#include "inference/pipeline/slide_run.h"
#include "inference/store/project_store.h"

namespace cellvit {

struct StoreRunOptions {
    std::filesystem::path storeFile;
    std::optional<int64_t> resumeRun; // continue this run (its grid and merge mode must match); else a new run
    // For a new run; grid, patchesTotal, mergeMode and parameters["mpp"] are filled from the plan and request.
    RunMeta meta;
};

struct StoreRunResult {
    SlideRunResult run;
    int64_t runId = 0;
};

// Throws RunError as runSlideSegmentation, StoreError for store problems (the run is then marked failed when
// the store can still be written).
StoreRunResult runSlideSegmentationIntoStore(const SlideRunRequest& request, const StoreRunOptions& options,
    const ProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

} // namespace cellvit
