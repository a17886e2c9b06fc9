// The desktop app's side of issue #7: opening a slide restores its stored regions and the cells of its last
// run, offers to resume an interrupted run, and saves region edits as they happen.
#include "classic_store_run.h"
#include "inference/store/slide_identity.h"
#include "test_support.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/project_controller.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <set>

using namespace cellvit;

class TestStudioProject : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        CELLVIT_REQUIRE_PATH(test::crashTestImage());
    }

    void openingASlideRestoresItsProject()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const auto image = test::crashTestImage();
        size_t storedCells = 0;
        int total = 0;
        {
            // A run that stopped after 2 of 4 patches, and one region.
            auto store = ProjectStore::openForSlide(image, folder);
            test::ClassicStoreRun run(image);
            total = static_cast<int>(run.plan.patches.size());
            const int64_t id = store->beginRun(run.meta());
            QCOMPARE(run.writeRemaining(*store, id, {}, 2), size_t(2));
            storedCells = store->loadCells(id).size();
            const nlohmann::json square = { { "type", "Polygon" },
                { "coordinates", { { { 100, 100 }, { 400, 100 }, { 400, 400 }, { 100, 400 }, { 100, 100 } } } } };
            store->saveRegions({ { 0, QStringLiteral("Tumour"), square } });
        }
        QVERIFY(storedCells > 50);

        MainWindow window;
        window.setErrorReporter([](QWidget*, const QString& title, const QString& message) {
            QFAIL(qPrintable(title + QStringLiteral(": ") + message));
        });
        window.setProjectFolder(folder);
        QVERIFY(window.openSlide(QString::fromStdString(image.string())));
        QVERIFY(window.projectController()->isOpen());
        QCOMPARE(window.projectController()->storeFile(), storePathForSlide(image, folder));
        // Restored in the background (issue #18): openSlide returns before the stored cells are read.
        QVERIFY(window.projectController()->isRestoring());
        QCOMPARE(window.cellLayer()->cells().size(), size_t(0));
        window.projectController()->waitForRestore();

        QCOMPARE(window.regionStore()->regions().size(), size_t(1));
        QCOMPARE(window.regionStore()->regions()[0].name, QStringLiteral("Tumour"));
        QCOMPARE(window.regionStore()->regions()[0].polygon.size(), 4); // the closing point is dropped
        QCOMPARE(window.regionStore()->regions()[0].polygon[2], QPointF(400, 400));
        QCOMPARE(window.cellLayer()->cells().size(), storedCells);

        QVERIFY(window.interruptedRunBar());
        QVERIFY(!window.interruptedRunBar()->isHidden());
        const auto* label = window.interruptedRunBar()->findChild<QLabel*>();
        QVERIFY(label);
        QVERIFY2(label->text().contains(QStringLiteral("2 of %1").arg(total)), qPrintable(label->text()));
        QVERIFY(!window.resumeInterruptedRun()); // no model loaded: nothing starts, the bar stays

        // Region edits are saved as they happen.
        Region added;
        added.name = QStringLiteral("Stroma");
        added.polygon = QPolygonF({ QPointF(500, 500), QPointF(700, 500), QPointF(700, 650) });
        QVERIFY(window.regionStore()->addRegion(added) != 0);
        window.projectController()->flushRegionSaves(); // saved debounced, on the store's thread
        {
            ProjectStore reopened(storePathForSlide(image, folder));
            const auto regions = reopened.loadRegions();
            QCOMPARE(regions.size(), size_t(2));
            QCOMPARE(regions[1].name, QStringLiteral("Stroma"));
        }

        window.discardInterruptedRun();
        QVERIFY(window.interruptedRunBar()->isHidden());
        QVERIFY(!window.projectController()->call([](ProjectStore& s) { return s.unfinishedRun(); }));
        QVERIFY(window.projectController()->call([](ProjectStore& s) { return s.runs(); }).empty());
        QCOMPARE(window.cellLayer()->cells().size(), size_t(0));
    }

    // A real run (golden vit_small, one patch of the bundled sample) writes into the store; a new window on the
    // same slide shows the same nuclei without running anything.
    // Importing the same QuPath annotations again, in the same session or after the project restored the earlier
    // import (`cellvit-studio SLIDE --regions FILE` on every launch), adds no duplicates.
    void importingTheSameRegionsAgainAddsNothing()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const QString image = QString::fromStdString(test::crashTestImage().string());
        const QString annotations = dir.filePath(QStringLiteral("annotations.geojson"));
        {
            QFile file(annotations);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"objectType": "annotation", "name": "Tumour"},
   "geometry": {"type": "Polygon", "coordinates": [[[100.5, 100], [400, 100], [400, 400.25], [100.5, 400.25], [100.5, 100]]]}},
  {"type": "Feature", "properties": {"objectType": "annotation"},
   "geometry": {"type": "Polygon", "coordinates": [[[500, 500], [700, 500], [700, 650], [500, 500]]]}}]})");
        }
        const auto failOnError = [](QWidget*, const QString& title, const QString& message) {
            QFAIL(qPrintable(title + QStringLiteral(": ") + message));
        };
        {
            MainWindow window;
            window.setErrorReporter(failOnError);
            window.setProjectFolder(folder);
            QVERIFY(window.openSlide(image));
            window.projectController()->waitForRestore();
            QVERIFY(window.importRegions(annotations));
            QCOMPARE(window.regionStore()->regions().size(), size_t(2));
            QVERIFY(window.importRegions(annotations));
            QCOMPARE(window.regionStore()->regions().size(), size_t(2));
            QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("2 already there")),
                qPrintable(window.statusBar()->currentMessage()));
            window.projectController()->flushRegionSaves();
        }
        MainWindow reopened;
        reopened.setErrorReporter(failOnError);
        reopened.setProjectFolder(folder);
        QVERIFY(reopened.openSlide(image));
        reopened.projectController()->waitForRestore();
        QCOMPARE(reopened.regionStore()->regions().size(), size_t(2));
        QVERIFY(reopened.importRegions(annotations));
        QCOMPARE(reopened.regionStore()->regions().size(), size_t(2));
        QCOMPARE(reopened.regionEditor()->selectedIds().size(), size_t(1)); // the last one, as for new regions
    }

    void aRunIsSavedWithoutASaveStep()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("vit_small"));
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const QString slide = QString::fromStdString(test::sampleSlide().string());
        std::vector<SlideCell> shown;
        {
            MainWindow window;
            window.setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
            window.setProjectFolder(folder);
            QVERIFY(window.openSlide(slide));
            window.projectController()->waitForRestore();
            QSignalSpy loaded(window.modelPanel(), &ModelPanel::modelLoaded);
            QSignalSpy loadFailed(window.modelPanel(), &ModelPanel::modelLoadFailed);
            window.modelPanel()->loadCheckpoint(QString::fromStdString(test::goldenCheckpoint("vit_small").string()));
            QVERIFY(loaded.wait(300000) || !loadFailed.isEmpty());
            QVERIFY(loadFailed.isEmpty());
            const QPolygonF outline(QRectF(1000, 1000, 400, 400)); // inside patch (2, 2)
            window.regionEditor()->selectOnly(
                window.regionStore()->addRegion({ 0, {}, RegionKind::Rectangle, outline }));
            QSignalSpy finished(window.inferenceTask(), &InferenceTask::finished);
            QVERIFY(window.runOnSelectedRegions());
            QVERIFY(finished.wait(900000));
            QVERIFY(finished.first().first().toBool());
            shown = window.cellLayer()->cells();
            QVERIFY(!shown.empty());
            const auto run = window.projectController()->call([](ProjectStore& s) { return s.lastRun(); });
            QVERIFY(run);
            QCOMPARE(run->status, RunStatus::Finished);
            QCOMPARE(run->patchesFinished, run->meta.patchesTotal);
            QCOMPARE(run->meta.modelArch, window.modelPanel()->model()->info().arch);
            QVERIFY(window.interruptedRunBar()->isHidden());
        }
        MainWindow reopened;
        reopened.setProjectFolder(folder);
        QVERIFY(reopened.openSlide(slide));
        reopened.projectController()->waitForRestore();
        QCOMPARE(reopened.regionStore()->regions().size(), size_t(1));
        QCOMPARE(reopened.regionStore()->regions()[0].kind, RegionKind::Rectangle);
        // The cells the run showed: those of its patches centred inside its region.
        QCOMPARE(reopened.cellLayer()->cells().size(), shown.size());
        std::set<std::pair<double, double>> restored;
        for (const SlideCell& c : reopened.cellLayer()->cells())
            restored.insert({ c.centroid.x, c.centroid.y });
        for (const SlideCell& c : shown)
            QVERIFY(restored.count({ c.centroid.x, c.centroid.y }) == 1);
        QVERIFY(reopened.interruptedRunBar()->isHidden());
    }
};

QTEST_MAIN(TestStudioProject)
#include "tst_studio_project.moc"
