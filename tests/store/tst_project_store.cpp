// The project store (issue #7): bit-identical round trips of cells, contours, embeddings and regions; a run
// that is killed with SIGKILL between two patches keeps exactly the committed patches, stays marked unfinished,
// and resuming it runs only the rest and ends with the cells of an uninterrupted run.
#include "classic_store_run.h"
#include "inference/pipeline/slide_run.h"
#include "inference/store/slide_identity.h"
#include "inference/store/store_slide_run.h"
#include "inference/store/store_thread.h"
#include "test_support.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

using namespace cellvit;

namespace {

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Every field the store keeps, compared bit for bit; returns the first difference.
QString cellDifference(const Cell& a, const Cell& b)
{
    if (a.id != b.id || a.rmin != b.rmin || a.cmin != b.cmin || a.rmax != b.rmax || a.cmax != b.cmax)
        return QStringLiteral("id/bbox of cell %1").arg(a.id);
    if (!sameBits(a.centroid.x, b.centroid.x) || !sameBits(a.centroid.y, b.centroid.y))
        return QStringLiteral("centroid of cell %1").arg(a.id);
    if (a.contour != b.contour)
        return QStringLiteral("contour of cell %1").arg(a.id);
    if (a.type != b.type || !sameBits(a.typeProb, b.typeProb))
        return QStringLiteral("type of cell %1").arg(a.id);
    return {};
}

QString slideCellDifference(const SlideCell& a, const SlideCell& b)
{
    if (!sameBits(a.centroid.x, b.centroid.x) || !sameBits(a.centroid.y, b.centroid.y) || a.contour != b.contour
        || a.type != b.type || !sameBits(a.typeProb, b.typeProb) || a.patch != b.patch || a.patchCellId != b.patchCellId
        || a.sequence != b.sequence || a.embedding != b.embedding)
        return QStringLiteral("cell %1 of patch (%2, %3)").arg(a.patchCellId).arg(a.patch.row).arg(a.patch.col);
    return {};
}

class CancelAfterFirstBatch : public PatchPredictor {
public:
    CancelAfterFirstBatch(const PatchPredictor& inner, std::atomic<bool>& cancel)
        : m_inner(inner)
        , m_cancel(cancel)
    {
    }
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        auto out = m_inner.predict(rgb, patches);
        m_cancel = true;
        return out;
    }

private:
    const PatchPredictor& m_inner;
    std::atomic<bool>& m_cancel;
};

// Its second forward pass fails (as a CUDA out-of-memory error would) once the store holds the first patch:
// after an error the pipeline drops patches not yet post-processed, so waiting keeps the test deterministic.
class FailOnSecondBatch : public PatchPredictor {
public:
    FailOnSecondBatch(const PatchPredictor& inner, std::filesystem::path storeFile)
        : m_inner(inner)
        , m_storeFile(std::move(storeFile))
    {
    }
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        if (m_calls++ == 0)
            return m_inner.predict(rgb, patches);
        ProjectStore store(m_storeFile); // this thread's own connection
        for (int i = 0; i < 600 && store.lastRun()->patchesFinished == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        throw std::runtime_error("the forward pass broke");
    }

private:
    const PatchPredictor& m_inner;
    std::filesystem::path m_storeFile;
    mutable std::atomic<int> m_calls { 0 };
};

int64_t countLines(const QString& text, const QString& prefix)
{
    int64_t n = 0;
    for (const auto& line : text.split(QLatin1Char('\n')))
        n += line.startsWith(prefix) ? 1 : 0;
    return n;
}

} // namespace

class TestProjectStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::crashTestImage()); }

    void cellsRoundTripBitIdentical()
    {
        QTemporaryDir dir;
        test::ClassicStoreRun run(test::crashTestImage());
        PatchResult patch;
        {
            // Real cells: the classic run's patch with the most nuclei.
            ProjectStore scratch(dir.filePath(QStringLiteral("scratch.sqlite")).toStdString());
            const int64_t scratchRun = scratch.beginRun(run.meta());
            run.writeRemaining(scratch, scratchRun);
            scratch.loadPatches(scratchRun, [&](PatchResult&& r) {
                if (r.cells.size() > patch.cells.size())
                    patch = std::move(r);
            });
        }
        QVERIFY2(patch.cells.size() > 20, "the classic detector found too few nuclei to test with");
        // An embedding of awkward floats (denormals, -0) next to ordinary ones.
        patch.embeddingDim = 7;
        std::mt19937 random(7);
        std::uniform_real_distribution<float> uniform(-1e3f, 1e3f);
        for (size_t i = 0; i < patch.cells.size() * 7; ++i)
            patch.embeddings.push_back(i % 7 == 0 ? std::numeric_limits<float>::denorm_min()
                    : i % 7 == 1                  ? -0.0f
                                                  : uniform(random));

        const auto file = dir.filePath(QStringLiteral("roundtrip.sqlite")).toStdString();
        int64_t id = 0;
        {
            ProjectStore store(file);
            id = store.beginRun(run.meta());
            store.addPatch(id, patch);
        }
        ProjectStore reopened(file); // a new connection on the closed file
        std::vector<PatchResult> loaded;
        reopened.loadPatches(id, [&](PatchResult&& r) { loaded.push_back(std::move(r)); });
        QCOMPARE(loaded.size(), size_t(1));
        QCOMPARE(loaded[0].patch.row, patch.patch.row);
        QCOMPARE(loaded[0].patch.originX, patch.patch.originX);
        QCOMPARE(loaded[0].cells.size(), patch.cells.size());
        for (size_t i = 0; i < patch.cells.size(); ++i) {
            const QString diff = cellDifference(loaded[0].cells[i], patch.cells[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
        QCOMPARE(loaded[0].embeddingDim, 7);
        QCOMPARE(loaded[0].embeddings.size(), patch.embeddings.size());
        QVERIFY(
            std::memcmp(loaded[0].embeddings.data(), patch.embeddings.data(), patch.embeddings.size() * sizeof(float))
            == 0);

        const auto record = reopened.run(id);
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Running);
        QCOMPARE(record->patchesFinished, 1);
        QCOMPARE(record->meta.patchesTotal, static_cast<int>(run.plan.patches.size()));
        QCOMPARE(record->meta.grid.patchSize, run.plan.grid.patchSize);
        QVERIFY(sameBits(record->meta.grid.scale, run.plan.grid.scale));
        QCOMPARE(QString::fromStdString(record->meta.parameters.dump()),
            QString::fromStdString(run.meta().parameters.dump()));
        // Merged slide cells carry the stored embeddings.
        const auto cells = reopened.loadCells(id);
        QVERIFY(!cells.empty());
        for (const auto& c : cells)
            QCOMPARE(c.embedding.size(), size_t(7));
    }

    // Issue #18: a run keeps the class names of its model (a restored run is shown with them), and runs stored
    // without them read back with none.
    void classNamesRoundTrip()
    {
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "p.sqlite";
        ProjectStore store(file);
        RunMeta meta;
        meta.modelPath = QStringLiteral("model.safetensors");
        meta.parameters = { { "regions", nlohmann::json::array() } };
        meta.classNames = QStringList { QStringLiteral("Background"), QStringLiteral("Epithelial"),
            QStringLiteral("Fibroblast") };
        const int64_t named = store.beginRun(meta);
        meta.classNames.clear();
        const int64_t unnamed = store.beginRun(meta);
        ProjectStore reopened(file);
        const auto a = reopened.run(named);
        QVERIFY(a);
        QCOMPARE(a->meta.classNames,
            (QStringList { QStringLiteral("Background"), QStringLiteral("Epithelial"), QStringLiteral("Fibroblast") }));
        QCOMPARE(QString::fromStdString(a->meta.parameters.dump()), QStringLiteral("{\"regions\":[]}"));
        QVERIFY(reopened.run(unnamed)->meta.classNames.isEmpty());
    }

    void regionsRoundTrip()
    {
        QTemporaryDir dir;
        const auto file = dir.filePath(QStringLiteral("regions.sqlite")).toStdString();
        const nlohmann::json polygon = { { "type", "Polygon" },
            { "coordinates", { { { 10.5, 20.25 }, { 300, 20.25 }, { 300, 400 }, { 10.5, 20.25 } } } } };
        const nlohmann::json rect
            = { { "type", "Polygon" }, { "coordinates", { { { 0, 0 }, { 5, 0 }, { 5, 5 }, { 0, 0 } } } } };
        std::vector<StoredRegion> saved;
        {
            ProjectStore store(file);
            saved = store.saveRegions(
                { { 0, QStringLiteral("Tumour"), polygon }, { 0, QStringLiteral("Stroma ü"), rect } });
            QCOMPARE(saved.size(), size_t(2));
            QVERIFY(saved[0].id > 0 && saved[1].id > saved[0].id);
        }
        {
            ProjectStore store(file);
            const auto loaded = store.loadRegions();
            QCOMPARE(loaded.size(), size_t(2));
            QCOMPARE(loaded[0].id, saved[0].id);
            QCOMPARE(loaded[0].name, QStringLiteral("Tumour"));
            QCOMPARE(loaded[0].geometry, polygon);
            QCOMPARE(loaded[1].name, QStringLiteral("Stroma ü"));
            QCOMPARE(loaded[1].geometry, rect);
            // Saving replaces: a deleted region is gone, kept ids stay.
            store.saveRegions({ loaded[1] });
        }
        ProjectStore store(file);
        const auto loaded = store.loadRegions();
        QCOMPARE(loaded.size(), size_t(1));
        QCOMPARE(loaded[0].id, saved[1].id);
    }

    // A plain image's resolution, once declared, belongs to its project: kept when the slide is recorded again
    // and when the store is reopened, cleared on request; nonsense values and a store without a slide are refused
    // naming the file.
    void declaredResolutionIsPartOfTheProject()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const auto image = test::crashTestImage();
        std::filesystem::path file;
        {
            auto store = ProjectStore::openForSlide(image, folder);
            file = store->path();
            QVERIFY(!store->declaredMpp());
            store->setDeclaredMpp(0.2527);
            store->setSlideInfo(image); // the slide recorded again (e.g. moved): the declaration stays
            QCOMPARE(store->declaredMpp().value_or(0), 0.2527);
        }
        {
            auto store = ProjectStore::openForSlide(image, folder);
            QCOMPARE(store->declaredMpp().value_or(0), 0.2527);
            const std::string negative = test::thrownMessage<StoreError>([&] { store->setDeclaredMpp(-0.25); });
            QVERIFY2(negative.find(file.string()) != std::string::npos && negative.find("positive") != std::string::npos,
                negative.c_str());
            QCOMPARE(store->declaredMpp().value_or(0), 0.2527);
            store->setDeclaredMpp(std::nullopt);
            QVERIFY(!store->declaredMpp());
        }
        const auto bare = dir.filePath(QStringLiteral("bare.sqlite")).toStdString();
        ProjectStore store(bare);
        const std::string noSlide = test::thrownMessage<StoreError>([&] { store.setDeclaredMpp(0.5); });
        QVERIFY2(noSlide.find(bare) != std::string::npos && noSlide.find("no slide") != std::string::npos,
            noSlide.c_str());
    }

    // Stores written before the declared resolution existed (schema version 1) are updated in place when opened:
    // their slide, regions and runs stay; a store of an unknown newer version is refused naming the file.
    void versionOneStoresAreMigrated()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const auto image = test::crashTestImage();
        const nlohmann::json square = { { "type", "Polygon" },
            { "coordinates", { { { 0, 0 }, { 9, 0 }, { 9, 9 }, { 0, 0 } } } } };
        std::filesystem::path file;
        int64_t run = 0;
        {
            auto store = ProjectStore::openForSlide(image, folder);
            file = store->path();
            store->saveRegions({ { 0, QStringLiteral("Tumour"), square } });
            test::ClassicStoreRun classic(image);
            run = store->beginRun(classic.meta());
        }
        const auto execute = [&](const QStringList& statements) { // what version 1 looked like, by hand
            const QString connection = QStringLiteral("tst_project_store_v1");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
                db.setDatabaseName(QString::fromStdString(file.string()));
                QVERIFY(db.open());
                QSqlQuery q(db);
                for (const QString& statement : statements)
                    QVERIFY2(q.exec(statement), qPrintable(statement + QStringLiteral(": ") + q.lastError().text()));
                db.close();
            }
            QSqlDatabase::removeDatabase(connection);
        };
        execute({ QStringLiteral("ALTER TABLE slide DROP COLUMN declared_mpp"),
            QStringLiteral("UPDATE schema_version SET version = 1") });
        if (QTest::currentTestFailed())
            return;
        {
            ProjectStore store(file);
            QCOMPARE(store.slidePath()->filename(), image.filename());
            QVERIFY(!store.declaredMpp());
            QCOMPARE(store.loadRegions().size(), size_t(1));
            QVERIFY(store.run(run));
            store.setDeclaredMpp(0.5);
        }
        QCOMPARE(ProjectStore(file).declaredMpp().value_or(0), 0.5);

        execute({ QStringLiteral("UPDATE schema_version SET version = 3") });
        if (QTest::currentTestFailed())
            return;
        const std::string newer = test::thrownMessage<StoreError>([&] { ProjectStore store(file); });
        QVERIFY2(newer.find(file.string()) != std::string::npos && newer.find("version 3") != std::string::npos,
            newer.c_str());
    }

    void storeOfASlideIsFoundAgain()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const auto image = test::crashTestImage();
        std::filesystem::path first;
        {
            auto store = ProjectStore::openForSlide(image, folder);
            first = store->path();
            QCOMPARE(store->slidePath()->filename(), image.filename());
        }
        QVERIFY(std::filesystem::exists(first));
        QCOMPARE(first.parent_path(), folder);
        QVERIFY(QString::fromStdString(first.filename().string()).endsWith(QLatin1String(".cellvit.sqlite")));
        QCOMPARE(storePathForSlide(image, folder), first);
        // Another slide, another store.
        const auto other = image.parent_path() / "TCGA-21-5786-01Z-00-DX1.tif";
        CELLVIT_REQUIRE_PATH(other);
        QVERIFY(storePathForSlide(other, folder) != first);
    }

    void errorsNameTheFileAndTheProblem()
    {
        QTemporaryDir dir;
        const auto junk = dir.filePath(QStringLiteral("junk.cellvit.sqlite")).toStdString();
        std::ofstream(junk) << "this is not an SQLite database, just text that is long enough to have a header page";
        const std::string openError = test::thrownMessage<StoreError>([&] { ProjectStore store(junk); });
        QVERIFY2(openError.find(junk) != std::string::npos, openError.c_str());

        const auto file = dir.filePath(QStringLiteral("twice.sqlite")).toStdString();
        ProjectStore store(file);
        test::ClassicStoreRun run(test::crashTestImage());
        const int64_t id = store.beginRun(run.meta());
        PatchResult empty;
        empty.patch = run.plan.patches.front();
        store.addPatch(id, empty);
        const std::string twice = test::thrownMessage<StoreError>([&] { store.addPatch(id, empty); });
        QVERIFY2(twice.find(file) != std::string::npos && twice.find("UNIQUE") != std::string::npos, twice.c_str());
        QCOMPARE(store.finishedPatches(id).size(), size_t(1)); // the failed transaction left nothing behind

        PatchResult wrongEmbeddings = empty;
        wrongEmbeddings.patch = run.plan.patches.back();
        wrongEmbeddings.cells.resize(2);
        wrongEmbeddings.embeddingDim = 3;
        wrongEmbeddings.embeddings.resize(5);
        const std::string mismatch = test::thrownMessage<StoreError>([&] { store.addPatch(id, wrongEmbeddings); });
        QVERIFY2(mismatch.find("embedding") != std::string::npos, mismatch.c_str());
        QVERIFY(test::thrownMessage<StoreError>([&] { store.finishRun(id + 100, RunStatus::Finished); }).find(file)
            != std::string::npos);
    }

    // A connection belongs to the thread that opened it: another thread is refused with a message naming the
    // file; ProjectStoreThread serves many threads through one connection and hands errors back to the caller.
    void storeStaysOnItsThread()
    {
        QTemporaryDir dir;
        const auto file = dir.filePath(QStringLiteral("threads.cellvit.sqlite")).toStdString();
        test::ClassicStoreRun run(test::crashTestImage());
        {
            ProjectStore store(file);
            const int64_t id = store.beginRun(run.meta());
            std::string refused;
            std::thread other([&] { refused = test::thrownMessage<StoreError>([&] { store.finishedPatches(id); }); });
            other.join();
            QVERIFY2(refused.find(file) != std::string::npos && refused.find("thread") != std::string::npos,
                refused.c_str());
        }

        ProjectStoreThread served(file);
        const int64_t id = served.call([](ProjectStore& s) { return s.lastRun()->id; });
        std::vector<std::thread> writers;
        std::atomic<int> failures { 0 };
        for (const PatchSpec& patch : run.plan.patches) {
            writers.emplace_back([&, patch] {
                PatchResult r;
                r.patch = patch;
                try {
                    served.call([&](ProjectStore& s) { s.addPatch(id, r); });
                } catch (const std::exception&) {
                    ++failures;
                }
            });
        }
        for (auto& w : writers)
            w.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(served.call([&](ProjectStore& s) { return s.finishedPatches(id).size(); }), run.plan.patches.size());
        PatchResult again;
        again.patch = run.plan.patches.front();
        const std::string twice
            = test::thrownMessage<StoreError>([&] { served.call([&](ProjectStore& s) { s.addPatch(id, again); }); });
        QVERIFY2(twice.find("UNIQUE") != std::string::npos, twice.c_str());

        const auto junk = dir.filePath(QStringLiteral("junk.sqlite")).toStdString();
        std::ofstream(junk) << "this is not an SQLite database, just text that is long enough to have a header page";
        const std::string openError = test::thrownMessage<StoreError>([&] { ProjectStoreThread bad(junk); });
        QVERIFY2(openError.find(junk) != std::string::npos, openError.c_str());
    }

    // The GUI's path: the pipeline writes into the store; a cancelled run resumes with only the missing patches
    // and ends with the cells of runSlideSegmentation.
    void storeRunCancelsAndResumes()
    {
        QTemporaryDir dir;
        test::ClassicStoreRun run(test::crashTestImage());
        SlideRunRequest request;
        request.slide = run.slide.get();
        request.slideMpp = test::monusegMpp;
        request.predictor = &run.predictor;
        request.spec = &run.spec;
        request.skipBackground = false;
        request.onePatchForSmallSlide = false; // several patches, as ClassicStoreRun's plan
        StoreRunOptions options;
        options.storeFile = dir.filePath(QStringLiteral("gui.cellvit.sqlite")).toStdString();
        options.meta = run.meta();

        // Cancel as the first forward pass returns: that patch is finished, no later one starts.
        std::atomic<bool> cancel { false };
        const CancelAfterFirstBatch cancelling(run.predictor, cancel);
        request.predictor = &cancelling;
        const StoreRunResult first = runSlideSegmentationIntoStore(request, options, {}, &cancel);
        request.predictor = &run.predictor;
        QVERIFY(!first.run.complete);
        const size_t total = first.run.plan.patches.size();
        QVERIFY(first.run.patchesRun >= 1 && first.run.patchesRun < total);
        {
            ProjectStore store(options.storeFile);
            QCOMPARE(store.run(first.runId)->status, RunStatus::Cancelled);
            QCOMPARE(store.run(first.runId)->patchesFinished, static_cast<int>(first.run.patchesRun));
            QCOMPARE(store.run(first.runId)->meta.patchesTotal, static_cast<int>(total));
        }

        options.resumeRun = first.runId;
        const StoreRunResult resumed = runSlideSegmentationIntoStore(request, options);
        QVERIFY(resumed.run.complete);
        QCOMPARE(resumed.runId, first.runId);
        QCOMPARE(resumed.run.patchesResumed, first.run.patchesRun);
        QCOMPARE(resumed.run.patchesRun, total - first.run.patchesRun);
        QCOMPARE(ProjectStore(options.storeFile).run(first.runId)->status, RunStatus::Finished);

        const SlideRunResult uninterrupted = runSlideSegmentation(request);
        QVERIFY(uninterrupted.cells.size() > 100);
        QCOMPARE(resumed.run.cells.size(), uninterrupted.cells.size());
        const std::vector<SlideCell> reopened = ProjectStore(options.storeFile).loadCells(first.runId);
        QCOMPARE(reopened.size(), uninterrupted.cells.size());
        for (size_t i = 0; i < uninterrupted.cells.size(); ++i) {
            const QString diff = slideCellDifference(resumed.run.cells[i], uninterrupted.cells[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
            const QString restored = slideCellDifference(reopened[i], uninterrupted.cells[i]);
            QVERIFY2(restored.isEmpty(), qPrintable(restored));
        }

        // The stored patches were merged in the other mode: resuming with this one is refused, the run untouched.
        request.mergeMode = MergeMode::Reference;
        const std::string refused
            = test::thrownMessage<StoreError>([&] { runSlideSegmentationIntoStore(request, options); });
        QVERIFY2(refused.find(options.storeFile.string()) != std::string::npos
                && refused.find("merge mode") != std::string::npos,
            refused.c_str());
        QCOMPARE(ProjectStore(options.storeFile).run(first.runId)->status, RunStatus::Finished);
    }

    void failedStoreRunIsMarkedAndKeepsItsPatches()
    {
        QTemporaryDir dir;
        test::ClassicStoreRun run(test::crashTestImage());
        const auto storeFile = dir.filePath(QStringLiteral("failed.cellvit.sqlite")).toStdString();
        const FailOnSecondBatch failing(run.predictor, storeFile);
        SlideRunRequest request;
        request.slide = run.slide.get();
        request.slideMpp = test::monusegMpp;
        request.predictor = &failing;
        request.spec = &run.spec;
        request.skipBackground = false;
        request.onePatchForSmallSlide = false; // several patches, as ClassicStoreRun's plan
        StoreRunOptions options;
        options.storeFile = storeFile;
        options.meta = run.meta();
        const std::string error
            = test::thrownMessage<std::runtime_error>([&] { runSlideSegmentationIntoStore(request, options); });
        QCOMPARE(error, std::string("the forward pass broke"));

        ProjectStore store(options.storeFile);
        const auto record = store.lastRun();
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Failed);
        QCOMPARE(record->patchesFinished, 1); // the first batch (one patch: batch size 1 without a model)
        QCOMPARE(store.finishedPatches(record->id).size(), size_t(1));
    }

    void killedRunKeepsCommittedPatchesAndResumes()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("crash.cellvit.sqlite"));
        const QString image = QString::fromStdString(test::crashTestImage().string());
        const int killAfter = 2;

        QProcess child;
        child.start(QStringLiteral(CELLVIT_STORE_CRASH_WRITER), { file, image, QStringLiteral("3000") });
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        QString out;
        while (countLines(out, QStringLiteral("committed ")) < killAfter) {
            QVERIFY2(child.state() == QProcess::Running || child.bytesAvailable() > 0,
                qPrintable(
                    QStringLiteral("the writer ended early: ") + QString::fromUtf8(child.readAllStandardError())));
            child.waitForReadyRead(30000);
            out += QString::fromUtf8(child.readAllStandardOutput());
        }
        child.kill(); // SIGKILL: no destructor, no finishRun
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        out += QString::fromUtf8(child.readAllStandardOutput());
        const int64_t reported = countLines(out, QStringLiteral("committed "));

        test::ClassicStoreRun run(test::crashTestImage());
        const int total = static_cast<int>(run.plan.patches.size());
        QVERIFY2(total > killAfter, "the image must give more patches than are written before the kill");
        int64_t id = 0;
        size_t kept = 0;
        {
            ProjectStore store(file.toStdString());
            const auto unfinished = store.unfinishedRun();
            QVERIFY2(unfinished, "the killed run must be marked unfinished");
            id = unfinished->id;
            QCOMPARE(unfinished->status, RunStatus::Running);
            QCOMPARE(unfinished->meta.patchesTotal, total);
            // Every reported commit is there; at most the patch being written at the kill is extra (never torn).
            kept = store.finishedPatches(id).size();
            QVERIFY2(static_cast<int64_t>(kept) >= reported && static_cast<int64_t>(kept) <= reported + 1,
                qPrintable(QStringLiteral("%1 patches stored, %2 reported").arg(kept).arg(reported)));
            QVERIFY(static_cast<int>(kept) < total);
            size_t cellsInPatches = 0;
            store.loadPatches(id, [&](PatchResult&& r) { cellsInPatches += r.cells.size(); });
            QVERIFY(cellsInPatches > 0);
            QVERIFY(!store.loadCells(id).empty());
        }

        // Resume in a child again (the normal path: a fresh process reopens the store).
        const auto resumed
            = test::runProgram(QStringLiteral(CELLVIT_STORE_CRASH_WRITER), { file, image, QStringLiteral("0") });
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(countLines(resumed.out, QStringLiteral("committed ")),
            static_cast<int64_t>(total - static_cast<int>(kept)));

        ProjectStore store(file.toStdString());
        QVERIFY(!store.unfinishedRun());
        QCOMPARE(store.runs().size(), size_t(1));
        QCOMPARE(store.run(id)->status, RunStatus::Finished);
        QCOMPARE(store.run(id)->patchesFinished, total);
        const auto restored = store.loadCells(id);
        qInfo("killed after %lld reported commits, %zu of %d patches kept; resumed %d; %zu cells restored",
            static_cast<long long>(reported), kept, total, total - static_cast<int>(kept), restored.size());

        // The same run uninterrupted, through the whole-slide pipeline (no store): the same cells.
        SlideRunRequest request;
        request.slide = run.slide.get();
        request.slideMpp = test::monusegMpp;
        request.predictor = &run.predictor;
        request.spec = &run.spec;
        request.skipBackground = false;
        request.onePatchForSmallSlide = false; // several patches, as ClassicStoreRun's plan
        const SlideRunResult uninterrupted = runSlideSegmentation(request);
        QCOMPARE(uninterrupted.plan.patches.size(), run.plan.patches.size());
        QVERIFY(uninterrupted.cells.size() > 100);
        QCOMPARE(restored.size(), uninterrupted.cells.size());
        for (size_t i = 0; i < restored.size(); ++i) {
            const QString diff = slideCellDifference(restored[i], uninterrupted.cells[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
    }
};

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_project_store.moc"
