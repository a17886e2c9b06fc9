#pragma once
// The threaded tile pipeline: a reader thread fills a bounded queue with patches, the calling thread runs
// the predictor (the network) in batches, and a pool post-processes the maps into cells with embeddings.
// Memory is bounded by the queue depths, not by the slide size. Cancellation is checked between patches and,
// through PatchPredictor::predictUnlessCancelled, inside the network's forward pass.

#include "inference/pipeline/patch_predictor.h"
#include "inference/pipeline/patch_result.h"
#include "inference/pipeline/tile_plan.h"
#include "inference/postproc/postproc_params.h"

#include <atomic>
#include <functional>

namespace cellvit {

struct SegmenterOptions {
    int batchSize = 1;       // patches per forward pass
    int postprocThreads = 1; // post-processing workers
    int readAhead = 2;       // batches the reader may prepare ahead
};

struct SegmentProgress {
    size_t patchesDone = 0, patchesTotal = 0;
    size_t cells = 0;
    double elapsedSeconds = 0, etaSeconds = 0, patchesPerSecond = 0;
};

// Called once per finished patch, serialised (never concurrently), in completion order.
using PatchResultSink = std::function<void(PatchResult&&)>;
using ProgressCallback = std::function<void(const SegmentProgress&)>;

// Runs `patches` (a subset of plan.patches, e.g. those the store does not hold yet). Returns false when
// cancelled; every patch handed to the sink is complete, including those whose forward pass had already
// finished when the cancel came. A forward pass in progress is abandoned (its batch never reaches the sink,
// so the store does not record it), which makes a cancel take well under a second on a CPU too. Errors
// (unreadable tile, out of memory) propagate as exceptions after the workers have stopped.
bool segmentPatches(const SlideSource& slide, const TilePlan& plan, const std::vector<PatchSpec>& patches,
                    const PatchPredictor& predictor, const PostprocParams& params, const SegmenterOptions& options,
                    const PatchResultSink& sink, const ProgressCallback& progress = {},
                    const std::atomic<bool>* cancel = nullptr);

} // namespace cellvit
