#pragma once
// Weight-free runs for the store and app tests: the classic detector over a MoNuSeg image (one 1000² x40 tile,
// four 1024-px patches), written patch by patch into a ProjectStore (shared by the crash-writer child process and
// the test that kills it); and over a whole slide into its results folder, as `cellvit-cli segment --out` does.

#include "inference/classic/classic_predictor.h"
#include "inference/pipeline/patch_segmenter.h"
#include "inference/pipeline/tile_plan.h"
#include "inference/postproc/postproc_params.h"
#include "inference/slide/slide_source.h"
#include "inference/store/project_store.h"
#include "inference/store/slide_identity.h"
#include "inference/store/store_slide_run.h"
#include "inference/store/store_thread.h"
#include "model_zoo/model_spec.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>

namespace cellvit::test {

inline ModelSpec classicSpec40()
{
    ModelSpec spec;
    spec.arch = "classic";
    spec.numNucleiClasses = 2;
    spec.numTissueClasses = 0;
    spec.magnification = 40;
    spec.nucleiTypeNames = { "Background", "Nucleus" };
    return spec;
}

constexpr double monusegMpp = 0.25;

// The slide's 1024² grid (four patches over a 1000² MoNuSeg image) rather than the one patch a slide that small
// gets by default: these tests are about runs of several patches (resume, crash recovery).
inline TilePlanOptions gridPlanOptions()
{
    TilePlanOptions options;
    options.onePatchForSmallSlide = false;
    return options;
}

struct ClassicStoreRun {
    explicit ClassicStoreRun(const std::filesystem::path& image)
        : slide(openSlide(image, { monusegMpp }))
        , spec(classicSpec40())
        , plan(planTiles(*slide, monusegMpp, spec.targetMpp(), gridPlanOptions()))
        , predictor(spec.targetMpp())
    {
    }

    RunMeta meta() const
    {
        RunMeta m;
        m.modelPath = QStringLiteral("classic");
        m.modelArch = QString::fromStdString(spec.arch);
        m.parameters = { { "slideMpp", monusegMpp }, { "engine", "classic" } };
        m.appVersion = QStringLiteral("test");
        m.grid = plan.grid;
        m.patchesTotal = static_cast<int>(plan.patches.size());
        return m;
    }

    // Runs the plan's patches that `run` does not hold yet (at most `limit`), committing each one as it finishes
    // (through a connection of its own on the store's thread: patches finish on the pipeline's workers); returns
    // how many ran.
    size_t writeRemaining(const ProjectStore& store, int64_t run,
        const std::function<void(const PatchSpec&)>& committed = {}, size_t limit = SIZE_MAX)
    {
        std::set<PatchIndex> done;
        for (const auto& p : store.finishedPatches(run))
            done.insert(p.index());
        std::vector<PatchSpec> todo;
        std::copy_if(plan.patches.begin(), plan.patches.end(), std::back_inserter(todo),
            [&](const PatchSpec& p) { return done.count(p.index()) == 0; });
        todo.resize(std::min(todo.size(), limit));
        size_t written = 0;
        ProjectStoreThread writer(store.path());
        segmentPatches(*slide, plan, todo, predictor, PostprocParams::forMagnification(spec.magnification), {},
            [&](PatchResult&& r) {
                writer.call([&](ProjectStore& s) { s.addPatch(run, r); });
                ++written;
                if (committed)
                    committed(r.patch);
            });
        return written;
    }

    std::unique_ptr<SlideSource> slide;
    ModelSpec spec;
    TilePlan plan;
    classic::ClassicPredictor predictor;
};

// The classic detector at the slide's own resolution (20× for the bundled sample: eight patches, about 2,200
// nuclei) over the whole `slide`, written into storePathForSlide(slide, resultsFolder) with the slide recorded
// and the run's meta filled: the store the CLI's `segment SLIDE --out resultsFolder` leaves.
inline StoreRunResult classicRunIntoResultsFolder(
    const std::filesystem::path& slidePath, const std::filesystem::path& resultsFolder)
{
    const auto slide = openSlide(slidePath);
    const double mpp = resolveMpp(*slide);
    ModelSpec spec = classicSpec40();
    spec.magnification = mpp < 0.375 ? 40 : 20;
    const classic::ClassicPredictor predictor(spec.targetMpp());
    SlideRunRequest request;
    request.slide = slide.get();
    request.slideMpp = mpp;
    request.predictor = &predictor;
    request.spec = &spec;
    StoreRunOptions options;
    options.storeFile = ProjectStore::openForSlide(slidePath, resultsFolder)->path(); // records the slide
    options.meta.modelPath = QStringLiteral("classic");
    options.meta.modelArch = QStringLiteral("classic");
    options.meta.classNames = { QStringLiteral("Background"), QStringLiteral("Nucleus") };
    options.meta.parameters = { { "slideMpp", mpp }, { "engine", "classic" } };
    options.meta.appVersion = QStringLiteral("test");
    return runSlideSegmentationIntoStore(request, options);
}

inline std::filesystem::path crashTestImage()
{
    return std::filesystem::path(CELLVIT_SHARED_DIR) / "data" / "monuseg_train_subset" / "Tissue_Images"
        / "TCGA-CH-5767-01Z-00-DX1.tif";
}

} // namespace cellvit::test
