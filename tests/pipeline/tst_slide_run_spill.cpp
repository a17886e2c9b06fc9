// Embeddings spilled to disk during a slide run (cmd_segment's path): embeddings.npy must hold, row for row in
// the final cell order, what the in-memory run gives and what cell_embedding computes from the patch's
// tokens; the temporary file must be gone afterwards; a cancelled run resumed from the project store (the CLI's
// path) must give the same file byte for byte.
#include "inference/io/npy.h"
#include "inference/merge/cell_embedding.h"
#include "inference/metrics/annotation_loader.h"
#include "inference/pipeline/slide_run.h"
#include "inference/store/store_slide_run.h"
#include "inference/targets/hv_target.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <cmath>
#include <fstream>
#include <iterator>

using namespace cellvit;

namespace {

constexpr int kDim = 8;

// Token value that differs per patch, channel and token position, so a row from the wrong patch or cell shows.
float tokenValue(PatchIndex patch, int d, int r, int c)
{
    return static_cast<float>(patch.row * 1000 + patch.col * 100 + d) + 0.01f * static_cast<float>(r)
        + 0.0003f * static_cast<float>(c);
}

std::vector<float> tokenGrid(PatchIndex patch, int rows, int cols)
{
    std::vector<float> t(static_cast<size_t>(kDim * rows * cols));
    for (int d = 0; d < kDim; ++d)
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                t[static_cast<size_t>((d * rows + r) * cols + c)] = tokenValue(patch, d, r, c);
    return t;
}

// Ground-truth maps at each patch's position (as tst_slide_run_oracle); optionally cancels the run once
// `cancelAfter` predict calls have returned.
class Oracle : public PatchPredictor {
public:
    explicit Oracle(cv::Mat labels, std::atomic<bool>* cancel = nullptr, int cancelAfter = 0)
        : m_labels(std::move(labels))
        , m_cancel(cancel)
        , m_cancelAfter(cancelAfter)
    {
    }
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        if (m_cancel && ++m_calls > m_cancelAfter)
            m_cancel->store(true);
        std::vector<PatchPrediction> out;
        for (size_t i = 0; i < rgb.size(); ++i) {
            const cv::Rect window(
                static_cast<int>(patches[i].originX), static_cast<int>(patches[i].originY), rgb[i].cols, rgb[i].rows);
            cv::Mat crop(window.size(), CV_32S, cv::Scalar(0));
            const cv::Rect inside = window & cv::Rect(0, 0, m_labels.cols, m_labels.rows);
            m_labels(inside).copyTo(crop(inside - window.tl()));
            PatchPrediction p;
            p.npArgmax = crop > 0;
            p.npArgmax /= 255;
            p.typeArgmax = p.npArgmax.clone();
            const HvTarget hv = instanceHvTarget(crop);
            p.hx = hv.x;
            p.hy = hv.y;
            p.tokenDim = kDim;
            p.tokenRows = rgb[i].rows / 16;
            p.tokenCols = rgb[i].cols / 16;
            p.tokens = tokenGrid(patches[i].index(), p.tokenRows, p.tokenCols);
            out.push_back(std::move(p));
        }
        return out;
    }

private:
    cv::Mat m_labels;
    std::atomic<bool>* m_cancel;
    int m_cancelAfter;
    mutable int m_calls = 0;
};

std::vector<char> fileBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

} // namespace

class TestSlideRunSpill : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<SlideSource> m_slide;
    std::unique_ptr<CellVitModel> m_model;
    cv::Mat m_labels;

    SlideRunRequest request(const PatchPredictor& oracle) const
    {
        SlideRunRequest r;
        r.slide = m_slide.get();
        r.slideMpp = 0.25;
        r.model = m_model.get();
        r.predictor = &oracle;
        r.skipBackground = false;
        r.onePatchForSmallSlide = false; // the slide's grid: resuming across patches is under test
        r.segmenter.postprocThreads = 1; // completion order = plan order, so runs compare row for row
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto dir = test::dataDir() / "monuseg_train_subset";
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CELLVIT_REQUIRE_PATH(dir / "Annotations" / "TCGA-CH-5767-01Z-00-DX1.xml");
        metrics::ClassTable classes;
        metrics::LoadedAnnotation gt
            = metrics::loadAnnotation(dir / "Annotations" / "TCGA-CH-5767-01Z-00-DX1.xml", classes);
        metrics::rasteriseAt(gt, cv::Size(1000, 1000));
        m_labels = gt.labels;
        m_slide = openSlide(dir / "Tissue_Images" / "TCGA-CH-5767-01Z-00-DX1.tif", { 0.25 });
        m_model = CellVitModel::fromCheckpoint(
            loadCheckpoint(test::goldenCheckpoint("sam_small")), InferenceOptions { "cpu" });
    }

    void spilledRowsEqualInMemoryAndCellEmbedding()
    {
        const Oracle oracle(m_labels);
        const SlideRunResult inMemory = runSlideSegmentation(request(oracle));
        qInfo("%zu cells", inMemory.cells.size());
        QVERIFY(inMemory.cells.size() > 200);

        QTemporaryDir dir;
        SlideRunRequest spilled = request(oracle);
        spilled.embeddingSpill = std::filesystem::path(dir.path().toStdString()) / "spill.tmp";
        const SlideRunResult result = runSlideSegmentation(spilled);
        QVERIFY(result.spilledEmbeddings);
        QVERIFY(std::filesystem::exists(*spilled.embeddingSpill));
        QCOMPARE(result.spilledEmbeddings->dim(), kDim);
        QCOMPARE(result.cells.size(), inMemory.cells.size());
        const auto npy = std::filesystem::path(dir.path().toStdString()) / "embeddings.npy";
        result.spilledEmbeddings->writeNpy(npy, result.cells);
        QVERIFY2(!std::filesystem::exists(*spilled.embeddingSpill), "the temporary spill file was not removed");

        const NpyArray rows = readNpy(npy);
        QCOMPARE(rows.shape, (std::vector<int64_t> { int64_t(result.cells.size()), kDim }));
        const float* values = rows.data<float>();
        for (size_t i = 0; i < result.cells.size(); ++i) {
            const SlideCell& c = result.cells[i];
            const SlideCell& m = inMemory.cells[i];
            QVERIFY(c.patch == m.patch && c.patchCellId == m.patchCellId && c.centroid == m.centroid);
            QVERIFY(c.embedding.empty()); // spilled, not held
            QCOMPARE(m.embedding.size(), size_t(kDim));
            // The same cell through cell_embedding on its patch's token grid (scale 1: bbox - origin).
            Cell local;
            local.rmin = static_cast<int>(c.rmin - c.patchOrigin.y);
            local.rmax = static_cast<int>(c.rmax - c.patchOrigin.y);
            local.cmin = static_cast<int>(c.cmin - c.patchOrigin.x);
            local.cmax = static_cast<int>(c.cmax - c.patchOrigin.x);
            const std::vector<float> grid = tokenGrid(c.patch, 64, 64);
            const std::vector<float> expected = cellEmbedding(local, TokenGridView { grid.data(), kDim, 64, 64 });
            for (int d = 0; d < kDim; ++d) {
                const float v = values[i * kDim + size_t(d)];
                QCOMPARE(v, m.embedding[size_t(d)]);
                QCOMPARE(v, expected[size_t(d)]);
            }
        }
    }

    void halfPrecisionRowsRoundTheFloatRows()
    {
        const Oracle oracle(m_labels);
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        SlideRunRequest full = request(oracle);
        full.embeddingSpill = root / "f32.tmp";
        SlideRunRequest half = request(oracle);
        half.embeddingSpill = root / "f16.tmp";
        half.embeddingPrecision = EmbeddingPrecision::Float16;
        const SlideRunResult a = runSlideSegmentation(full);
        const SlideRunResult b = runSlideSegmentation(half);
        a.spilledEmbeddings->writeNpy(root / "f32.npy", a.cells);
        b.spilledEmbeddings->writeNpy(root / "f16.npy", b.cells);
        const NpyArray f32 = readNpy(root / "f32.npy");
        const NpyArray f16 = readNpy(root / "f16.npy");
        QCOMPARE(f16.dtype, std::string("<f2"));
        QCOMPARE(f16.shape, f32.shape);
        cv::Mat expected;
        cv::Mat(1, static_cast<int>(f32.count()), CV_32F, const_cast<float*>(f32.data<float>()))
            .convertTo(expected, CV_16F);
        QVERIFY(std::memcmp(expected.data, f16.bytes.data(), f16.bytes.size()) == 0);
        QVERIFY(!std::filesystem::exists(root / "f16.tmp"));
    }

    void resumeAfterCancelGivesIdenticalEmbeddings()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        StoreRunOptions store;
        store.storeFile = root / "run.cellvit.sqlite";
        store.meta.parameters = { { "test", "spill-resume" } };

        const Oracle oracle(m_labels);
        SlideRunRequest straight = request(oracle);
        straight.embeddingSpill = root / "straight.tmp";
        const SlideRunResult reference = runSlideSegmentation(straight);
        reference.spilledEmbeddings->writeNpy(root / "straight.npy", reference.cells);

        std::atomic<bool> cancel { false };
        {
            const Oracle cancelling(m_labels, &cancel, 1);
            SlideRunRequest first = request(cancelling);
            first.embeddingSpill = root / "resume.tmp";
            const StoreRunResult stored = runSlideSegmentationIntoStore(first, store, {}, &cancel);
            const SlideRunResult& partial = stored.run;
            store.resumeRun = stored.runId;
            QVERIFY(!partial.complete);
            QVERIFY(partial.patchesRun >= 1 && partial.patchesRun < reference.plan.patches.size());
            partial.spilledEmbeddings->writeNpy(root / "resume.npy", partial.cells); // the interrupted outputs
            QVERIFY(!std::filesystem::exists(root / "resume.tmp"));
        }
        SlideRunRequest second = request(oracle);
        second.embeddingSpill = root / "resume.tmp";
        const SlideRunResult resumed = runSlideSegmentationIntoStore(second, store).run;
        QVERIFY(resumed.complete);
        QVERIFY(resumed.patchesResumed >= 1);
        QCOMPARE(resumed.patchesResumed + resumed.patchesRun, reference.plan.patches.size());
        resumed.spilledEmbeddings->writeNpy(root / "resume.npy", resumed.cells);
        QVERIFY(!std::filesystem::exists(root / "resume.tmp"));
        const std::vector<char> want = fileBytes(root / "straight.npy");
        QVERIFY(want.size() > 1000);
        QVERIFY2(fileBytes(root / "resume.npy") == want, "resumed embeddings.npy differs from an uninterrupted run");
    }
};

QTEST_GUILESS_MAIN(TestSlideRunSpill)
#include "tst_slide_run_spill.moc"
