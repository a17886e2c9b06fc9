// A plain image (a tile exported from QuPath, a field of view) has no resolution metadata. The desktop app used
// to refuse every run on it with the CLI's "pass --mpp"; Analysis ▸ Set Image Resolution declares it. Here on a
// real CoNSeP tile (256² at 40×, 56 annotated nuclei) with the bundled default model: refused with a reason that
// names the action, an out-of-range value refused, and once declared the run gives exactly the nuclei of the core
// pipeline on the image opened with that resolution (what `cellvit-cli segment TILE --mpp 0.25` runs).
// The declaration belongs to the slide's project: opening the tile again applies it, also when it was made while
// the project was still being read, and from the run of an older results folder; a value the models cannot use is
// not applied.
#include "default_model.h"
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "ui/inference_task.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/project_controller.h"
#include "ui/run_controller.h"
#include "viewer/cell_layer.h"
#include "viewer/slide_view.h"

#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <algorithm>

using namespace cellvit;

namespace {

std::vector<std::pair<double, double>> sortedCentroids(const std::vector<SlideCell>& cells)
{
    std::vector<std::pair<double, double>> centroids;
    for (const SlideCell& c : cells)
        centroids.emplace_back(c.centroid.x, c.centroid.y);
    std::sort(centroids.begin(), centroids.end());
    return centroids;
}

} // namespace

class TestStudioImageResolution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(m_tile);
        CELLVIT_REQUIRE_PATH(test::bundledDefaultModel());
        test::isolateSettings("tst_studio_image_resolution");
    }

    void tileRunsOnceItsResolutionIsDeclared()
    {
        MainWindow window;
        QStringList errors;
        window.setErrorReporter([&](QWidget*, const QString&, const QString& message) { errors << message; });
        QVERIFY(window.openSlide(QString::fromStdString(m_tile.string())));
        QVERIFY(!window.slideView()->micrometresPerPixel());
        QSignalSpy loaded(window.modelPanel(), &ModelPanel::modelLoaded);
        window.modelPanel()->loadCheckpoint(QString::fromStdString(test::bundledDefaultModel().string()));
        QVERIFY(loaded.wait(120000) || !loaded.isEmpty());

        // No resolution: refused before any work, with the way out.
        QSignalSpy refused(window.runController(), &RunController::runRefused);
        QVERIFY(!window.runOnWholeSlide());
        QCOMPARE(refused.count(), 1);
        const QString reason = refused.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("Set Image Resolution")), qPrintable(reason));

        // A value the models cannot use is refused and changes nothing.
        QVERIFY(!window.setImageResolution(2.0));
        QCOMPARE(errors.size(), 1);
        QVERIFY(!window.slideView()->micrometresPerPixel());

        QVERIFY(window.setImageResolution(0.25));
        QCOMPARE(window.slideView()->micrometresPerPixel().value_or(0), 0.25);
        QSignalSpy finished(window.inferenceTask(), &InferenceTask::finished);
        QSignalSpy failed(window.inferenceTask(), &InferenceTask::failed);
        QVERIFY(window.runOnWholeSlide());
        QVERIFY(finished.wait(300000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(errors.size() == 1);

        // The core on the same image and resolution finds the same nuclei at the same places.
        const auto slide = openSlide(m_tile, { 0.25 });
        const auto model = CellVitModel::load(test::bundledDefaultModel(), InferenceOptions { "cpu" });
        SlideRunRequest request;
        request.slide = slide.get();
        request.slideMpp = 0.25;
        request.model = model.get();
        const SlideRunResult expected = runSlideSegmentation(request);
        QCOMPARE(expected.plan.patches.size(), size_t(1)); // the tile as one 256² patch
        QCOMPARE(expected.plan.grid.patchSize, 256);
        // 56 nuclei are annotated on this tile: a run at the wrong scale or on white would find far fewer.
        QVERIFY2(expected.cells.size() >= 30 && expected.cells.size() <= 80, qPrintable(QString::number(expected.cells.size())));
        QCOMPARE(window.cellLayer()->size(), expected.cells.size());
        QCOMPARE(sortedCentroids(window.cellLayer()->cells()), sortedCentroids(expected.cells));
    }

    void theDeclaredResolutionIsRestoredWithTheProject()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        const QString tile = QString::fromStdString(m_tile.string());
        const auto failOnError = [](QWidget*, const QString& title, const QString& message) {
            QFAIL(qPrintable(title + QStringLiteral(": ") + message));
        };
        {
            MainWindow window;
            window.setErrorReporter(failOnError);
            window.setProjectFolder(folder);
            QVERIFY(window.openSlide(tile));
            window.projectController()->waitForRestore();
            QVERIFY(!window.slideView()->micrometresPerPixel());
            QVERIFY(window.setImageResolution(0.25));
            window.projectController()->flushRegionSaves(); // the store's queue: the declaration is written
        }
        {
            MainWindow reopened;
            reopened.setErrorReporter(failOnError);
            reopened.setProjectFolder(folder);
            QVERIFY(reopened.openSlide(tile));
            QVERIFY(!reopened.slideView()->micrometresPerPixel()); // the file has none; the project is read next
            reopened.projectController()->waitForRestore();
            QTRY_COMPARE(reopened.slideView()->micrometresPerPixel().value_or(0), 0.25);
            QVERIFY2(reopened.statusBar()->currentMessage().contains(QStringLiteral("declared")),
                qPrintable(reopened.statusBar()->currentMessage()));

            // Declared again while the project is being read: the newer value wins and is the one stored.
            reopened.projectController()->close();
            QVERIFY(reopened.openSlide(tile));
            QVERIFY(reopened.projectController()->isRestoring());
            QVERIFY(reopened.setImageResolution(0.3));
            reopened.projectController()->waitForRestore();
            QTest::qWait(50);
            QCOMPARE(reopened.slideView()->micrometresPerPixel().value_or(0), 0.3);
            reopened.projectController()->flushRegionSaves();
            QCOMPARE(reopened.projectController()->call([](ProjectStore& s) { return s.declaredMpp(); }).value_or(0),
                0.3);
        }
        // A results folder written before declarations were kept (`segment TILE --mpp 0.25` of an older version):
        // its run's resolution is used.
        {
            const auto older = std::filesystem::path(dir.path().toStdString()) / "older-results";
            {
                auto store = ProjectStore::openForSlide(m_tile, older);
                RunMeta meta;
                meta.parameters = { { "mpp", 0.25 }, { "regions", nlohmann::json::array() } };
                store->beginRun(meta);
                QVERIFY(!store->declaredMpp());
            }
            MainWindow window;
            window.setErrorReporter(failOnError);
            QVERIFY(window.openResultsFolder(QString::fromStdString(older.string())));
            window.projectController()->waitForRestore();
            QTRY_COMPARE(window.slideView()->micrometresPerPixel().value_or(0), 0.25);
        }
        // A run's resolution does not override a slide's own (the sample slide: 0.499 µm/px in its metadata).
        {
            const auto results = std::filesystem::path(dir.path().toStdString()) / "sample-results";
            {
                auto store = ProjectStore::openForSlide(test::sampleSlide(), results);
                RunMeta meta;
                meta.parameters = { { "mpp", 0.3 }, { "regions", nlohmann::json::array() } };
                store->beginRun(meta);
            }
            MainWindow window;
            window.setErrorReporter(failOnError);
            QVERIFY(window.openResultsFolder(QString::fromStdString(results.string())));
            window.projectController()->waitForRestore();
            QTest::qWait(50);
            QCOMPARE(window.slideView()->micrometresPerPixel().value_or(0), 0.499);
        }
        // A resolution the models cannot use (a `segment --mpp 0.9` run's) is named, not applied.
        ProjectStore::openForSlide(m_tile, folder)->setDeclaredMpp(0.9);
        MainWindow window;
        window.setErrorReporter(failOnError);
        window.setProjectFolder(folder);
        QVERIFY(window.openSlide(tile));
        window.projectController()->waitForRestore();
        QTRY_VERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("0.9")));
        QVERIFY(!window.slideView()->micrometresPerPixel());
    }

private:
    const std::filesystem::path m_tile = test::dataDir() / "consep_train_patches" / "images" / "train_3_000.jpg";
};

QTEST_MAIN(TestStudioImageResolution)
#include "tst_studio_image_resolution.moc"
