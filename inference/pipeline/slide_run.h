#pragma once
// One whole-slide (or region) segmentation run, shared by the CLI and the GUI: tissue detection, patch
// planning, the threaded patch pipeline, resuming from finished patches, and the merge of the overlap bands.
// Finished patches are kept by the caller through the two hooks below; the project store
// (inference/store/store_slide_run.h) is the one keeper, used by the CLI and the app.

#include "model_zoo/cellvit_error.h"
#include "inference/merge/slide_cell.h"
#include "inference/merge/slide_cell_merger.h"
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/batch_size.h"
#include "inference/pipeline/embedding_spill.h"
#include "inference/pipeline/patch_segmenter.h"
#include "inference/pipeline/region.h"
#include "inference/pipeline/tile_plan.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

namespace cellvit {

// The request cannot run (empty region, no tissue, ...); the message says why.
class RunError : public Error {
public:
    using Error::Error;
};

struct SlideRunRequest {
    const SlideSource* slide = nullptr;
    double slideMpp = 0;                   // resolved level-0 resolution (resolveMpp)
    const CellVitModel* model = nullptr;
    const PatchPredictor* predictor = nullptr; // optional stand-in for the model's forward pass (tests)
    // Without a model (a predictor that needs no network, e.g. the classic detector): the spec the run plans
    // with (target resolution, post-processing constants). Ignored when `model` is set.
    const ModelSpec* spec = nullptr;
    RegionOfInterest region;               // empty = whole slide
    bool onePatchForSmallRegion = true;    // TilePlanOptions: a region within one patch runs as that one patch
    bool onePatchForSmallSlide = true;     // TilePlanOptions: a slide within about one patch runs as one patch
    bool skipBackground = true;            // tissue mask decides which patches run
    SegmenterOptions segmenter;            // batchSize <= 0: chosen from free memory (batch_size.h); 1 without a model
    MergeMode mergeMode = MergeMode::Complete;
    // Magnification the network's HoVer-Net maps are post-processed at (PostprocParams::forModel): 0 = the model's,
    // as the reference does; 40 for a x20 network upsamples its maps 2x and uses the x40 constants, which keep
    // small crowded nuclei the x20 constants erase but split more with noisy HV maps (the default model's card
    // has both measured). STARDIST / CPP-Net decoders and stand-in predictors always use the model's.
    int postprocMagnification = 0;
    // Test-time flips of every patch, maps averaged (MapOptions::flipAveraging): HoVer-Net decoders only, four
    // times the network time.
    bool flipAveraging = false;
    // When set, embeddings are streamed to this temporary file as patches finish instead of being kept in
    // the cells (5 KB per cell for SAM-H); result.spilledEmbeddings then writes embeddings.npy.
    std::optional<std::filesystem::path> embeddingSpill;
    EmbeddingPrecision embeddingPrecision = EmbeddingPrecision::Float32;

    // Hooks for a caller that keeps finished patches (the project store), both optional.
    // Patches finished by an earlier run: called once with the plan, before any patch runs; each patch handed
    // to the sink is merged and not run again (a second one of the same patch is ignored).
    // The plan is known here, so a source that has nothing to resume may use the call to prepare for the run.
    using FinishedPatchSink = std::function<void(PatchResult&&)>;
    std::function<void(const TilePlan& plan, const FinishedPatchSink& sink)> replayFinishedPatches;
    // Each newly run patch, before it is merged. Called from the pipeline's workers, one at a time; an
    // exception (e.g. the store cannot write) aborts the run.
    std::function<void(const PatchResult&)> onPatchFinished;
};

struct SlideRunResult {
    TilePlan plan;
    std::vector<SlideCell> cells; // reference order (patch order, then cell order); embeddings filled
                                  // unless they were spilled
    int embeddingDim = 0;
    std::shared_ptr<EmbeddingSpill> spilledEmbeddings; // set when request.embeddingSpill was
    int batchSize = 0;                    // patches per forward pass used
    std::optional<BatchChoice> autoBatch; // how it was chosen, when it was chosen from free memory
    bool complete = true;         // false when cancelled (cells of finished patches are still there)
    size_t patchesResumed = 0;    // taken from replayFinishedPatches instead of being run again
    size_t patchesRun = 0;
    // Every patch whose cells are in `cells` (resumed or run), also those without any: a caller that replaces
    // earlier results after a cancel replaces them in exactly these patches.
    std::vector<PatchSpec> patchesDone;
    MergeStats mergeStats;
    double seconds = 0;
};

SlideRunResult runSlideSegmentation(const SlideRunRequest& request, const ProgressCallback& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

} // namespace cellvit
