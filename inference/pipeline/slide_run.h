#pragma once
// One whole-slide (or region) segmentation run, shared by the CLI and the GUI: tissue detection, patch
// planning, the threaded patch pipeline, the run journal (resume), and the merge of the overlap bands.

#include "inference/merge/slide_cell.h"
#include "inference/merge/slide_cell_merger.h"
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/patch_segmenter.h"
#include "inference/pipeline/region.h"
#include "inference/pipeline/tile_plan.h"

#include <atomic>
#include <filesystem>
#include <optional>
#include <stdexcept>

namespace cellvit {

// The request cannot run (empty region, no tissue, ...); the message says why.
class RunError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SlideRunRequest {
    const SlideSource* slide = nullptr;
    double slideMpp = 0;                   // resolved level-0 resolution (resolveMpp)
    const CellVitModel* model = nullptr;
    const PatchPredictor* predictor = nullptr; // optional stand-in for the model's forward pass (tests)
    RegionOfInterest region;               // empty = whole slide
    bool skipBackground = true;            // tissue mask decides which patches run
    SegmenterOptions segmenter;
    MergeMode mergeMode = MergeMode::Complete;
    std::optional<std::filesystem::path> journal; // finished patches are kept here; a rerun resumes
    nlohmann::json journalKey;             // identifies the run (slide, model, settings) for resuming
};

struct SlideRunResult {
    TilePlan plan;
    std::vector<SlideCell> cells; // reference order (patch order, then cell order); embeddings filled
    int embeddingDim = 0;
    bool complete = true;         // false when cancelled (cells of finished patches are still there)
    size_t patchesResumed = 0;    // taken from the journal instead of being run again
    size_t patchesRun = 0;
    MergeStats mergeStats;
    double seconds = 0;
};

SlideRunResult runSlideSegmentation(const SlideRunRequest& request, const ProgressCallback& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

} // namespace cellvit
