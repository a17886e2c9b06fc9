// The threaded tile pipeline on the bundled slide with a golden checkpoint: every planned patch comes back
// once, cells lie inside their patch, embeddings have the token width, and cancel stops early.
#include "inference/pipeline/patch_segmenter.h"
#include "inference/postproc/postprocess.h"
#include "test_support.h"

#include <ATen/ATen.h>

#include <set>

using namespace cellvit;

namespace {

const CellVitModel& goldenModel()
{
    static const auto model = CellVitModel::load(test::goldenCheckpoint("sam_small"),
                                                 InferenceOptions { "cpu", Precision::Float32, 2, true });
    return *model;
}

} // namespace

class TestPatchSegmenter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
    }

    void runsEveryPatchOnce()
    {
        const auto slide = openSlide(test::sampleSlide());
        const RegionOfInterest region = RegionOfInterest::rectangle(1000, 1000, 900, 100); // patches (1,1) and (1,2)
        TilePlanOptions planOptions;
        planOptions.region = &region;
        const TilePlan plan = planTiles(*slide, 0.499, 0.5, planOptions);
        QCOMPARE(static_cast<int>(plan.patches.size()), 2);

        std::vector<PatchResult> results;
        std::vector<SegmentProgress> reports;
        SegmenterOptions options;
        options.batchSize = 2;
        options.postprocThreads = 2;
        const bool complete = segmentPatches(*slide, plan, plan.patches, ModelPredictor(goldenModel()), PostprocParams::forMagnification(20),
                                             options, [&](PatchResult&& r) { results.push_back(std::move(r)); },
                                             [&](const SegmentProgress& p) { reports.push_back(p); });
        QVERIFY(complete);
        QCOMPARE(results.size(), size_t { 2 });
        std::set<std::pair<int, int>> seen;
        for (const auto& r : results) {
            seen.insert({ r.patch.row, r.patch.col });
            QCOMPARE(r.embeddingDim, 64); // sam_small token width
            QCOMPARE(r.embeddings.size(), r.cells.size() * 64);
            for (const auto& c : r.cells) {
                QVERIFY(c.type >= 1 && c.type <= 5);
                QVERIFY(c.rmin >= 0 && c.rmax <= 1024 && c.cmin >= 0 && c.cmax <= 1024);
            }
        }
        QCOMPARE(seen.size(), size_t { 2 });
        QCOMPARE(reports.back().patchesDone, size_t { 2 });
        QCOMPARE(reports.back().patchesTotal, size_t { 2 });

        // The same patch through the model and post-processing directly gives the same cells.
        const auto& first = results.front();
        const cv::Mat rgb = readPatch(*slide, plan, first.patch);
        const ModelOutputs out = goldenModel().forward(
            goldenModel().normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step)));
        const cv::Mat np = argmaxOverChannels(out.nucleiBinaryMap.data_ptr<float>(), 2, 1024, 1024);
        const cv::Mat nt = argmaxOverChannels(out.nucleiTypeMap.data_ptr<float>(), 6, 1024, 1024);
        const cv::Mat hx(1024, 1024, CV_32F, out.hvMap[0][0].data_ptr<float>());
        const cv::Mat hy(1024, 1024, CV_32F, out.hvMap[0][1].data_ptr<float>());
        const PostprocResult direct = postprocess(np, hx, hy, nt, PostprocParams::forMagnification(20));
        size_t nonBackground = 0;
        for (const auto& c : direct.cells)
            nonBackground += c.type != 0;
        QCOMPARE(first.cells.size(), nonBackground);
    }

    void cancelStopsEarly()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePlan plan = planTiles(*slide, 0.499, 0.5);
        std::atomic<bool> cancel { false };
        size_t delivered = 0;
        const bool complete = segmentPatches(*slide, plan, plan.patches, ModelPredictor(goldenModel()), PostprocParams::forMagnification(20),
                                             {}, [&](PatchResult&&) {
                                                 ++delivered;
                                                 cancel = true;
                                             },
                                             {}, &cancel);
        QVERIFY(!complete);
        QVERIFY2(delivered >= 1 && delivered <= 3, qPrintable(QString::number(delivered)));
        QVERIFY(delivered < plan.patches.size());
    }

    void unreadableSlideErrorPropagates()
    {
        const auto slide = openSlide(test::sampleSlide());
        TilePlan plan = planTiles(*slide, 0.499, 0.5);
        plan.native = false;
        plan.readLevel = 7; // no such level: the reader's error must reach the caller, no hang
        QVERIFY_THROWS_EXCEPTION(SlideError,
                                 segmentPatches(*slide, plan, plan.patches, ModelPredictor(goldenModel()),
                                                PostprocParams::forMagnification(20), {}, [](PatchResult&&) {}));
    }
};

QTEST_GUILESS_MAIN(TestPatchSegmenter)
#include "tst_patch_segmenter.moc"
